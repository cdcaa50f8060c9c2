"""The paragraph classifier: lexical and context features, a stacked neighbour step and sequence decoding.

It follows scikit-learn's rules (``__init__`` only stores parameters, ``fit`` learns attributes
ending in ``_`` and returns ``self``), with documents as samples: ``X`` is a sequence of documents,
each a sequence of paragraph strings, and ``y`` the matching sequences of label names.

1. Three first-stage models label each paragraph on their own: a logistic regression from its words, characters
   and context features; naive Bayes from its words and characters alone; gradient-boosted trees from its
   context features alone. They err differently, and the second stage learns which one to trust where.
2. Gradient-boosted trees re-label it from the first stage's probabilities for it, its neighbours and the
   document as a whole. During training they see out-of-fold probabilities, as at prediction time.
3. Viterbi decoding over label transitions learned from the training documents keeps sections
   such as a comment thread, a bio box or an appended commentary in one piece.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Sequence
from weakref import WeakKeyDictionary

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler

from .features import LEXICAL_HASH_BITS, TextBatch, batch_context_features
from .runtime import N_LABELS, ArrayClassifier, Prediction, over_all_labels, second_stage_features
from ..labels import LABELS

STACK_MAX_DEPTH = 4  # shallow trees: 186 training documents do not support deep interactions
STACK_ROUNDS = 100
INNER_FOLDS, LARGE_INNER_FOLDS, LARGE_TRAINING = 5, 3, 50_000  # with 3 folds on 10 small documents, a rare label
# that 6 of them have was not learned at all
# Passes of SGD over the paragraphs: about a million paragraph updates, at least 15 and at most 1,000, and fewer when
# it converges first. On 31,000 paragraphs it ran 63 passes to its tolerance and labeled no better than with 15; on
# a few documents 15 passes do not learn a rare label at all.
FIRST_STAGE_UPDATES, FIRST_STAGE_EPOCHS = 1_000_000, (15, 1000)
WORDS_SMOOTHING = 0.3  # additive smoothing of the naive Bayes view
LAYOUT_ROUNDS, LAYOUT_LEARNING_RATE = 150, 0.1  # the context-only trees of the first stage
# The defaults of `alpha` and `class_balance` were chosen by cross-validation repeated with three seeds (cleaner
# evaluate --cv 5 --repeats 3): the weakly regularised first stage (alpha 1e-5) gave body word-F1 from 0.945 to 0.956
# with the seed alone, as whole long pages flipped between body and boilerplate; 1e-4 with half-balanced label weights
# keeps it within 0.950-0.959. The second stage trains on all its rows: early stopping held out a random tenth of
# paragraphs, another draw that moved the figures.


class ParagraphClassifier(ClassifierMixin, BaseEstimator):
    """Labels every paragraph of a document with one of the six labels, using the document as context.

    Parameters
    ----------
    alpha : L2 regularisation of the first stage, a logistic regression fitted by SGD (fast on hashed n-grams).
    stack_learning_rate : learning rate of the second stage, gradient-boosted trees over the stacked probabilities.
    window : how many neighbours on each side the second stage sees.
    inner_folds : folds for the out-of-fold probabilities that train the second stage; None: 5, or 3 from
        `LARGE_TRAINING` paragraphs on (where each fold's training part is large anyway, and time counts).
    transition_weight : weight of the learned label transitions in decoding (0 turns decoding off).
    class_balance : how far both stages reweight paragraphs towards rare labels: each label's weight is
        (paragraphs / (labels x its paragraphs)) ** class_balance; 0 weighs every paragraph the same, 1 is "balanced".
    document_balance : how far both stages reweight paragraphs towards short documents: each paragraph's weight is
        multiplied by (median length / its document's length) ** document_balance; 0 lets a document count by its
        paragraphs (a whole-page dump of 1,000 lines as much as twenty articles), 1 makes every document count alike.
    hash_bits : log2 of the hashed n-gram space of each lexical vectorizer.
    random_state : seed for everything random in training.
    verbose : above 0, each training step is said on stderr with its time.
    """

    def __init__(
        self,
        alpha: float = 1e-4,
        stack_learning_rate: float = 0.1,
        window: int = 3,
        inner_folds: int | None = None,
        transition_weight: float = 0.4,
        class_balance: float = 0.5,
        document_balance: float = 0.5,
        hash_bits: int = 16,
        random_state: int = 0,
        verbose: int = 0,
    ) -> None:
        self.alpha = alpha
        self.stack_learning_rate = stack_learning_rate
        self.window = window
        self.inner_folds = inner_folds
        self.transition_weight = transition_weight
        self.class_balance = class_balance
        self.document_balance = document_balance
        self.hash_bits = hash_bits
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X: Sequence[Sequence[str]], y: Sequence[Sequence[str]], groups: Sequence[str] | None = None):
        """Learn from documents `X` and their label sequences `y`; `groups` keeps a site in one inner fold."""
        if len(X) < 2:
            raise ValueError("training needs at least two documents (the second stage learns from held-out ones)")
        progress = _Progress(self.verbose, len(X), sum(map(len, X)))
        targets = _encode_targets(X, y)
        lengths = [len(doc) for doc in X]
        self.classes_ = np.array(LABELS)
        self.lexical_ = lexical_features(self.hash_bits)
        self.scaler_ = StandardScaler()
        batch = TextBatch.of(X)
        features = self._first_stage_features(X, fit=True, batch=batch)
        lexical, context = self._lexical_block(features), self._context_block(features)
        progress.step("features")
        weights = _class_weights(targets, self.class_balance) * _document_weights(lengths, self.document_balance)
        if groups is None or len(set(groups)) < 2:  # one site only: its documents are the best folds there are
            groups = list(range(len(X)))
        paragraph_groups = np.repeat(np.asarray(groups), lengths)
        inner_folds = self.inner_folds or (LARGE_INNER_FOLDS if len(targets) >= LARGE_TRAINING else INNER_FOLDS)
        folds = GroupKFold(n_splits=min(inner_folds, len(set(paragraph_groups))))
        first_stage = ((self._first_model(len(targets)), features), (ComplementNB(alpha=WORDS_SMOOTHING), lexical),
                       (self._trees(LAYOUT_LEARNING_RATE, LAYOUT_ROUNDS), context))
        held_out = []
        with warnings.catch_warnings():  # SGD stopped by its pass limit on large data, as intended
            warnings.filterwarnings("ignore", category=ConvergenceWarning)
            for (model, inputs), name in zip(first_stage, ("words and context", "naive Bayes", "context trees")):
                held_out.append(_out_of_fold(model, inputs, targets, paragraph_groups, folds, weights))
                model.fit(inputs, targets, sample_weight=weights)
                progress.step(f"first stage, {name} ({folds.n_splits} held-out folds and the final fit)")
        (self.first_, _), (self.words_, _), (self.layout_, _) = first_stage
        first, *views = held_out
        self.second_ = self._trees(self.stack_learning_rate, STACK_ROUNDS).fit(
            self._second_stage_features(context, first, views, batch), targets, sample_weight=weights
        )
        progress.step("second stage")
        self.log_start_, self.log_transitions_ = _learn_transitions(targets, lengths)
        return self

    def _first_model(self, paragraphs: int) -> SGDClassifier:
        low, high = FIRST_STAGE_EPOCHS
        epochs = int(np.clip(np.ceil(FIRST_STAGE_UPDATES / max(paragraphs, 1)), low, high))
        return SGDClassifier(loss="log_loss", alpha=self.alpha, max_iter=epochs, random_state=self.random_state)

    def _trees(self, learning_rate: float, rounds: int) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(learning_rate=learning_rate, max_depth=STACK_MAX_DEPTH, max_iter=rounds,
                                              early_stopping=False, random_state=self.random_state)

    def predict_proba(self, X: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Second-stage probabilities, one (paragraphs x labels) array per document."""
        return _runtime(self).predict_proba(X)

    def predict_steps(self, X: Sequence[Sequence[str]]) -> dict[str, list[list[str]]]:
        """The labels after each step: the first stage alone, the stacked second stage, and decoding (last)."""
        return _runtime(self).predict_steps(X)

    def decode(self, X: Sequence[Sequence[str]], weights: Sequence[np.ndarray | None] | None = None) -> list[Prediction]:
        """Labels, confidences and decoding changes for each document (see `ArrayClassifier.decode`)."""
        return _runtime(self).decode(X, weights)

    def predict(self, X: Sequence[Sequence[str]]) -> list[list[str]]:
        return _runtime(self).predict(X)

    def score(self, X, y, sample_weight=None) -> float:
        """Paragraph accuracy over all documents."""
        return _runtime(self).score(X, y)

    def _first_stage_features(
        self, X: Sequence[Sequence[str]], fit: bool, batch: TextBatch | None = None
    ) -> sp.csr_matrix:
        """Lexical and scaled context features, side by side (training and the tests; prediction keeps them apart).
        `batch`, when given, is `TextBatch.of(X)`, made once by the caller."""
        texts = [paragraph for doc in X for paragraph in doc]
        context = batch_context_features(batch or TextBatch.of(X))
        if fit:
            return sp.hstack([self.lexical_.fit_transform(texts), self.scaler_.fit_transform(context)], format="csr")
        if not texts:
            return sp.csr_matrix((0, 0))
        return sp.hstack([self.lexical_.transform(texts), self.scaler_.transform(context)], format="csr")

    def _lexical_block(self, features: sp.csr_matrix) -> sp.csr_matrix:
        """The n-gram columns of `_first_stage_features`."""
        return features[:, : -self.scaler_.n_features_in_]

    def _context_block(self, features: sp.csr_matrix) -> np.ndarray:
        """The scaled context columns of `_first_stage_features`, dense."""
        return features[:, -self.scaler_.n_features_in_ :].toarray()

    def _second_stage_features(
        self, context: np.ndarray, first: np.ndarray, views: Sequence[np.ndarray], batch: TextBatch
    ) -> np.ndarray:
        """What the second stage learns from (`runtime.second_stage_features`)."""
        return second_stage_features(context, first, views, batch, self.window)


class _Progress:
    """Says each training step on stderr with the seconds it took, when `verbose` is above 0."""

    def __init__(self, verbose: int, documents: int, paragraphs: int) -> None:
        self.verbose, self.started = verbose, time.perf_counter()
        self.last = self.started
        if verbose > 0:
            print(f"cleaner: training on {documents} documents, {paragraphs} paragraphs", file=sys.stderr, flush=True)

    def step(self, name: str) -> None:
        if self.verbose > 0:
            now = time.perf_counter()
            print(f"cleaner: {name}: {now - self.last:.0f} s (total {now - self.started:.0f} s)", file=sys.stderr,
                  flush=True)
            self.last = now


_RUNTIMES: WeakKeyDictionary[ParagraphClassifier, tuple[tuple[int, ...], ArrayClassifier]] = WeakKeyDictionary()


def _runtime(model: ParagraphClassifier) -> ArrayClassifier:
    """The arrays of a fitted model, which do its predictions: made on its first prediction and kept while the model
    lives (beside it, not in it: a pickled model holds only what scikit-learn fitted), made again after a refit."""
    fitted = tuple(map(id, (model.lexical_, model.scaler_, model.first_, model.words_, model.layout_, model.second_)))
    known = _RUNTIMES.get(model)
    if known is None or known[0] != fitted:
        known = _RUNTIMES[model] = (fitted, ArrayClassifier.of(model))
    return known[1]


def lexical_features(hash_bits: int = LEXICAL_HASH_BITS) -> FeatureUnion:
    """Word 1-2-grams and character 2-4-grams, hashed (no vocabulary to store or load) and TF-IDF weighted."""
    words = HashingVectorizer(n_features=2**hash_bits, ngram_range=(1, 2), alternate_sign=False, norm=None)
    chars = HashingVectorizer(
        n_features=2**hash_bits, analyzer="char_wb", ngram_range=(2, 4), alternate_sign=False, norm=None
    )
    return FeatureUnion([
        ("words", make_pipeline(words, TfidfTransformer(sublinear_tf=True))),
        ("chars", make_pipeline(chars, TfidfTransformer(sublinear_tf=True))),
    ])


def _probabilities(model, features) -> np.ndarray:
    """Probabilities over all six labels, also for a label the training data lacked (probability 0)."""
    return over_all_labels(model.predict_proba(features), model.classes_)


def _out_of_fold(model, X, targets: np.ndarray, groups: np.ndarray, folds: GroupKFold, weights: np.ndarray) -> np.ndarray:
    """A clone of `model`'s probabilities for each row of `X`, fitted on the other folds; labels absent from the
    data keep probability 0."""
    probabilities = np.zeros((len(targets), N_LABELS))
    with warnings.catch_warnings():
        # A fold that lacks a rare label is expected on small data: its probability columns are mapped below.
        warnings.filterwarnings("ignore", message="Number of classes in training fold", category=RuntimeWarning)
        probabilities[:, np.unique(targets)] = cross_val_predict(
            clone(model), X, targets, groups=groups, cv=folds, method="predict_proba", params={"sample_weight": weights}
        )
    return probabilities


def _class_weights(targets: np.ndarray, balance: float) -> np.ndarray:
    counts = np.bincount(targets, minlength=N_LABELS).astype(float)
    present = counts > 0
    weight = np.ones(N_LABELS)
    weight[present] = (counts.sum() / (present.sum() * counts[present])) ** balance
    return weight[targets]


def _document_weights(lengths: list[int], balance: float) -> np.ndarray:
    """Each paragraph's weight for its document's length (see `document_balance`), with mean 1 over paragraphs."""
    if not sum(lengths):
        return np.ones(0)
    sizes = np.maximum(np.asarray(lengths, dtype=float), 1)
    weight = np.repeat((np.median(sizes) / sizes) ** balance, np.asarray(lengths, dtype=int))
    return weight / weight.mean()


def _learn_transitions(targets: np.ndarray, lengths: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Log start and transition probabilities, add-one smoothed, from the training label sequences."""
    start = np.ones(N_LABELS)
    transitions = np.ones((N_LABELS, N_LABELS))
    for begin, end in _bounds(lengths):
        if end > begin:
            start[targets[begin]] += 1
            np.add.at(transitions, (targets[begin : end - 1], targets[begin + 1 : end]), 1)
    return np.log(start / start.sum()), np.log(transitions / transitions.sum(axis=1, keepdims=True))


def _bounds(lengths: list[int]) -> list[tuple[int, int]]:
    ends = np.cumsum(lengths)
    return [(int(end - length), int(end)) for length, end in zip(lengths, ends)]


def _encode_targets(X: Sequence[Sequence[str]], y: Sequence[Sequence[str]]) -> np.ndarray:
    if len(X) != len(y):
        raise ValueError(f"{len(X)} documents but {len(y)} label sequences")
    index = {label: k for k, label in enumerate(LABELS)}
    targets = []
    for number, (doc, labels) in enumerate(zip(X, y)):
        if len(doc) != len(labels):
            raise ValueError(f"document {number} has {len(doc)} paragraphs but {len(labels)} labels")
        for label in labels:
            if str(label) not in index:
                raise ValueError(f"document {number}: unknown label {str(label)!r} (expected one of {', '.join(LABELS)})")
            targets.append(index[str(label)])
    return np.asarray(targets, dtype=int)
