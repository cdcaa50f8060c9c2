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
from dataclasses import dataclass
from functools import cache
from weakref import WeakKeyDictionary

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.naive_bayes import ComplementNB
from sklearn.preprocessing import StandardScaler
from threadpoolctl import ThreadpoolController

from .features import TextBatch, batch_context_features, byline_cues, first_copies, lexical_features
from .forest import CompiledForest
from .lexical import FastLexical
from ..labels import LABELS

N_LABELS = len(LABELS)
PROBABILITY_FLOOR = 1e-6  # keeps log-probabilities finite in decoding
WIDE_WINDOWS = (5, 15)  # radii of the section-level probability averages
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
VIEW_WINDOW = 1  # neighbours on each side whose naive Bayes and context-tree probabilities the second stage sees
# The defaults of `alpha` and `class_balance` were chosen by cross-validation repeated with three seeds (cleaner
# evaluate --cv 5 --repeats 3): the weakly regularised first stage (alpha 1e-5) gave body word-F1 from 0.945 to 0.956
# with the seed alone, as whole long pages flipped between body and boilerplate; 1e-4 with half-balanced label weights
# keeps it within 0.950-0.959. The second stage trains on all its rows: early stopping held out a random tenth of
# paragraphs, another draw that moved the figures.


@dataclass(frozen=True, slots=True)
class Prediction:
    """The decoded labels of one document, their confidences, and which ones decoding changed."""

    labels: list[str]
    confidences: list[float]
    by_sequence: list[bool]


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
        weights = _class_weights(targets, self.class_balance)
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
        return self._stages(X)[1]

    def predict_steps(self, X: Sequence[Sequence[str]]) -> dict[str, list[list[str]]]:
        """The labels after each step: the first stage alone, the stacked second stage, and decoding (last)."""
        first, second = self._stages(X)
        return {
            "first stage": [[LABELS[k] for k in doc.argmax(axis=1).tolist()] for doc in first],
            "stacked": [[LABELS[k] for k in doc.argmax(axis=1).tolist()] for doc in second],
            "decoded": [prediction.labels for prediction in self._decode_probabilities(second)],
        }

    def decode(self, X: Sequence[Sequence[str]], weights: Sequence[np.ndarray | None] | None = None) -> list[Prediction]:
        """Labels, confidences and decoding changes for each document.

        `weights`, one (paragraphs x labels) array or None per document, rescale the second-stage probabilities
        before decoding, p'(y|x) ∝ p(y|x) w(y): a label-prior shift (see `cleaner.html.priors`).
        """
        probabilities = self.predict_proba(X)
        if weights is not None:
            probabilities = [p if w is None else _reweighted(p, w) for p, w in zip(probabilities, weights, strict=True)]
        return self._decode_probabilities(probabilities)

    def predict(self, X: Sequence[Sequence[str]]) -> list[list[str]]:
        return [prediction.labels for prediction in self.decode(X)]

    def score(self, X, y, sample_weight=None) -> float:
        """Paragraph accuracy over all documents."""
        predicted = np.concatenate([np.asarray(p, dtype=object) for p in self.predict(X)])
        truth = np.concatenate([np.asarray([str(label) for label in doc], dtype=object) for doc in y])
        return float(np.mean(predicted == truth))

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
        """Scaled context features plus the logistic regression's probabilities for each paragraph, its neighbours,
        its document and its copies (the highest of each label over the paragraphs with the same text: a headline
        repeated in a teaser list keeps looking like the headline), the byline cue, and the other first-stage
        `views`' probabilities for the paragraph, its nearest neighbours and its document."""
        return np.hstack([
            context, stack_context_many(first, batch.lengths, self.window),
            copies_maximum(first, first_copies(batch)), byline_cues(batch)[:, None],
            *(stack_context_many(view, batch.lengths, VIEW_WINDOW) for view in views),
        ])

    def _stages(self, X: Sequence[Sequence[str]]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """First- and second-stage probabilities, one (paragraphs x labels) array per document each, for the
        whole batch at once (the compiled lexical features and trees: the same values as the fitted ones)."""
        lengths = [len(doc) for doc in X]
        if not sum(lengths):
            empty = [np.zeros((0, N_LABELS)) for _ in X]
            return empty, list(empty)
        compiled = _compiled(self)
        batch = TextBatch.of(X)
        lexical = compiled.lexical.transform([paragraph for doc in X for paragraph in doc], batch)
        context = self.scaler_.transform(batch_context_features(batch)).astype(np.float64)
        first = _first_stage_probabilities(self.first_, lexical, context)
        # One OpenMP thread: multi-threaded tree prediction slows 5-50x when another process competes for the CPU.
        with _threadpools().limit(limits=1, user_api="openmp"):
            views = [_probabilities(self.words_, lexical), _probabilities(compiled.layout, context)]
            second = _probabilities(compiled.forest, self._second_stage_features(context, first, views, batch))
        splits = np.cumsum(lengths)[:-1]
        return np.split(first, splits), np.split(second, splits)

    def _decode_probabilities(self, probabilities: list[np.ndarray]) -> list[Prediction]:
        """Viterbi decoding of every document's second-stage probabilities in one batched pass."""
        best = [p.argmax(axis=1) for p in probabilities]
        if self.transition_weight == 0:
            paths = best
        else:
            emissions = [np.log(np.maximum(p, PROBABILITY_FLOOR)) for p in probabilities]
            weight = self.transition_weight
            paths = viterbi_many(emissions, weight * self.log_start_, weight * self.log_transitions_)
        return [_prediction(p, path, b) for p, path, b in zip(probabilities, paths, best)]


def _reweighted(probabilities: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each row of `probabilities` times its row of `weights`, normalised again."""
    shifted = probabilities * weights
    return shifted / np.maximum(shifted.sum(axis=1, keepdims=True), PROBABILITY_FLOOR)


def _prediction(probabilities: np.ndarray, path: np.ndarray, best: np.ndarray) -> Prediction:
    rows = np.arange(len(path))
    return Prediction(
        labels=[LABELS[k] for k in path.tolist()],
        confidences=probabilities[rows, path].astype(float).tolist(),
        by_sequence=(path != best).tolist(),
    )


def _first_stage_probabilities(model: SGDClassifier, lexical: sp.csr_matrix, context: np.ndarray) -> np.ndarray:
    """The first stage's probabilities from its two feature blocks, without stacking them into one matrix.

    The same arithmetic as SGDClassifier.predict_proba with log loss: one-vs-rest logistic scores, normalised.
    """
    if model.loss != "log_loss" or model.coef_.shape[0] == 1:
        return _probabilities(model, sp.hstack([lexical, context], format="csr"))
    width = lexical.shape[1]
    scores = lexical @ model.coef_[:, :width].T + context @ model.coef_[:, width:].T + model.intercept_
    probabilities = expit(scores)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    if probabilities.shape[1] == N_LABELS:
        return probabilities
    full = np.zeros((len(probabilities), N_LABELS))
    full[:, model.classes_] = probabilities
    return full


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


@dataclass(frozen=True)
class _Compiled:
    """Fast equivalents of a fitted classifier's lexical features and trees (same outputs, less time)."""

    lexical: FastLexical
    layout: CompiledForest
    forest: CompiledForest


_COMPILED: WeakKeyDictionary[ParagraphClassifier, _Compiled] = WeakKeyDictionary()


def _compiled(model: ParagraphClassifier) -> _Compiled:
    """The fast parts of a fitted model, built on its first prediction and kept while the model lives.

    They are kept beside the model, not in it: a saved model holds only what scikit-learn fitted.
    """
    compiled = _COMPILED.get(model)
    if (
        compiled is None or compiled.lexical.union is not model.lexical_ or compiled.layout.model is not model.layout_
        or compiled.forest.model is not model.second_
    ):
        compiled = _COMPILED[model] = _Compiled(
            FastLexical(model.lexical_), CompiledForest(model.layout_), CompiledForest(model.second_)
        )
    return compiled


@cache
def _threadpools() -> ThreadpoolController:
    """The process's thread pools, found once: a fresh scan costs about 2 ms, too much for every batch."""
    return ThreadpoolController()


def stack_context(probabilities: np.ndarray, window: int) -> np.ndarray:
    """For each paragraph: its log-probabilities, its neighbours' within `window`, and where it stands among them.

    Besides the neighbours, each row has the mean probabilities of the document and the cumulative share of
    each label's probability mass before the paragraph, which tells "after the article's end" from "inside it".
    """
    n = len(probabilities)
    if n == 0:
        return np.zeros((0, N_LABELS * (2 * window + 3 + len(WIDE_WINDOWS))))
    logs = np.log(np.maximum(probabilities, PROBABILITY_FLOOR))
    padded = np.vstack([np.zeros((window, N_LABELS)), probabilities, np.zeros((window, N_LABELS))])
    neighbours = [padded[window + offset : window + offset + n] for offset in range(-window, window + 1) if offset]
    mass = probabilities.sum(axis=0) + PROBABILITY_FLOOR
    before = (np.cumsum(probabilities, axis=0) - probabilities) / mass
    mean = np.broadcast_to(probabilities.mean(axis=0), probabilities.shape)
    wide = [_window_mean(probabilities, radius) for radius in WIDE_WINDOWS]
    return np.hstack([logs, *neighbours, before, mean, *wide])


def stack_context_many(probabilities: np.ndarray, lengths: list[int], window: int) -> np.ndarray:
    """`stack_context` of consecutive documents (rows of `probabilities`, `lengths` each), stacked, in one pass.

    The documents are laid side by side in a zero-padded (documents x longest x labels) array, so that sums and
    running sums run within each document in the same order as `stack_context` adds them.
    """
    sizes = np.asarray(lengths, dtype=np.int64)
    if not sizes.sum():
        return np.zeros((0, N_LABELS * (2 * window + 3 + len(WIDE_WINDOWS))))
    doc = np.repeat(np.arange(len(sizes)), sizes)
    index = np.arange(len(doc)) - (np.cumsum(sizes) - sizes)[doc]
    padded = np.zeros((len(sizes), int(sizes.max()) + 2 * window, N_LABELS))
    padded[doc, index + window] = probabilities
    neighbours = [padded[doc, index + window + offset] for offset in range(-window, window + 1) if offset]
    running = np.cumsum(padded[:, window:], axis=1)
    totals = running[:, -1]
    before = (running[doc, index] - probabilities) / (totals[doc] + PROBABILITY_FLOOR)
    mean = totals[doc] / sizes[doc][:, None]
    cumulative = np.concatenate([np.zeros((len(sizes), 1, N_LABELS)), running], axis=1)
    wide = []
    for radius in WIDE_WINDOWS:
        low, high = np.maximum(index - radius, 0), np.minimum(index + radius + 1, sizes[doc])
        wide.append((cumulative[doc, high] - cumulative[doc, low]) / (high - low)[:, None])
    logs = np.log(np.maximum(probabilities, PROBABILITY_FLOOR))
    return np.hstack([logs, *neighbours, before, mean, *wide])


def copies_maximum(probabilities: np.ndarray, copies: np.ndarray) -> np.ndarray:
    """For each row, the highest probability of each label among the rows that share its `copies` entry."""
    highest = np.zeros_like(probabilities)
    np.maximum.at(highest, copies, probabilities)
    return highest[copies]


def _window_mean(probabilities: np.ndarray, radius: int) -> np.ndarray:
    """The mean probabilities over the paragraphs within `radius` on either side (the paragraph included)."""
    n = len(probabilities)
    cumulative = np.vstack([np.zeros((1, N_LABELS)), np.cumsum(probabilities, axis=0)])
    low = np.maximum(np.arange(n) - radius, 0)
    high = np.minimum(np.arange(n) + radius + 1, n)
    return (cumulative[high] - cumulative[low]) / (high - low)[:, None]


def viterbi_many(emissions: list[np.ndarray], log_start: np.ndarray, log_transitions: np.ndarray) -> list[np.ndarray]:
    """`viterbi` of several documents at once: step i advances, in one numpy operation, every document that is longer than i."""
    lengths = np.array([len(e) for e in emissions], dtype=np.int64)
    if not len(lengths) or lengths.max() == 0:
        return [np.zeros(0, dtype=int) for _ in emissions]
    order = np.argsort(-lengths, kind="stable")  # longest first: the documents still running are always a prefix
    steps, running = int(lengths.max()), lengths[order]
    padded = np.zeros((steps, len(order), N_LABELS))
    for slot, k in enumerate(order):
        padded[: lengths[k], slot] = emissions[k]
    score = log_start + padded[0]
    back = np.zeros((steps, len(order), N_LABELS), dtype=int)
    for i in range(1, steps):
        active = int(np.count_nonzero(running > i))
        candidates = score[:active, :, None] + log_transitions
        back[i, :active] = candidates.argmax(axis=1)
        score[:active] = candidates.max(axis=1) + padded[i, :active]
    paths = np.zeros((steps, len(order)), dtype=int)
    nonempty = running > 0
    paths[running[nonempty] - 1, np.flatnonzero(nonempty)] = score[nonempty].argmax(axis=1)
    for i in range(steps - 1, 0, -1):
        active = int(np.count_nonzero(running > i))
        paths[i - 1, :active] = back[i, np.arange(active), paths[i, :active]]
    result: list[np.ndarray] = [np.zeros(0, dtype=int)] * len(order)
    for slot, k in enumerate(order):
        result[k] = paths[: lengths[k], slot]
    return result


def viterbi(log_emissions: np.ndarray, log_start: np.ndarray, log_transitions: np.ndarray) -> np.ndarray:
    """The label path maximising emissions plus transitions."""
    n = len(log_emissions)
    if n == 0:
        return np.zeros(0, dtype=int)
    score = log_start + log_emissions[0]
    back = np.zeros((n, N_LABELS), dtype=int)
    for i in range(1, n):
        candidates = score[:, None] + log_transitions
        back[i] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + log_emissions[i]
    path = np.zeros(n, dtype=int)
    path[-1] = score.argmax()
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def _probabilities(model, features) -> np.ndarray:
    """Probabilities over all six labels, also for a label the training data lacked (probability 0)."""
    known = model.predict_proba(features)
    if known.shape[1] == N_LABELS:
        return known
    full = np.zeros((known.shape[0], N_LABELS))
    full[:, model.classes_] = known
    return full


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
