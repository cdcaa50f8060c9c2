"""Prediction from plain arrays: the fitted classifier as numbers (IDF weights, linear weights, naive Bayes
log-probabilities, compiled trees, label transitions), with numpy and scipy.sparse alone.

This is what a model file holds and what labels every paragraph. scikit-learn is for training only: `ArrayClassifier.of`
reads a fitted `ParagraphClassifier`, `arrays` and `from_arrays` are the contents of a ``.npz`` model file, which
loads without pickle (so loading a model cannot run code). The steps are the classifier's (see `classifier`):

1. the first stage's three views of each paragraph: logistic regression over n-grams and context, naive Bayes over
   n-grams, boosted trees over context;
2. the second stage's trees over the stacked probabilities of each paragraph, its neighbours and its document;
3. Viterbi decoding over the learned label transitions.

tests/test_fast_paths.py checks every step against the scikit-learn estimators it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .features import TextBatch, batch_context_features, byline_cues, first_copies
from .forest import ARRAYS as FOREST_ARRAYS, Forest
from .lexical import Lexical
from .slices import passes, pieces
from ..labels import LABELS

ARRAY_FORMAT = 1  # bump when the arrays' names or meaning change: a model file records it and is refused on mismatch
N_LABELS = len(LABELS)
BODY_COLUMN = LABELS.index("body")
PROBABILITY_FLOOR = 1e-6  # keeps log-probabilities finite in decoding
WIDE_WINDOWS = (5, 15)  # radii of the section-level probability averages
VIEW_WINDOW = 1  # neighbours on each side whose naive Bayes and context-tree probabilities the second stage sees
FORESTS = ("layout", "second")  # the context trees of the first stage, and the second stage
DECODING = ("window", "transition_weight", "log_start", "log_transitions")  # what decoding reads, by name


@dataclass(frozen=True, slots=True)
class Prediction:
    """The decoded labels of one document, their confidences, and which ones decoding changed."""

    labels: list[str]
    confidences: list[float]
    by_sequence: list[bool]
    body: list[float]  # each paragraph's probability of being body (what a rule that keeps body needs to say)


@dataclass(frozen=True, slots=True)
class Linear:
    """One-vs-rest logistic scores over the n-gram and context columns side by side (SGDClassifier, log loss)."""

    coef: np.ndarray
    intercept: np.ndarray
    classes: np.ndarray

    def predict_proba(self, lexical: sp.csr_matrix, context: np.ndarray) -> np.ndarray:
        """Probabilities over all labels, as SGDClassifier.predict_proba gives them for the stacked columns."""
        width = lexical.shape[1]
        scores = lexical @ self.coef[:, :width].T + context @ self.coef[:, width:].T + self.intercept
        positive = _logistic(scores)
        if len(self.coef) == 1:  # two classes: one score, for the second
            return over_all_labels(np.column_stack([1 - positive[:, 0], positive[:, 0]]), self.classes)
        total = positive.sum(axis=1, keepdims=True)
        positive[total[:, 0] == 0] = 1.0  # scikit-learn's uniform answer when every score underflows
        return over_all_labels(positive / np.where(total == 0, positive.shape[1], total), self.classes)


@dataclass(frozen=True, slots=True)
class NaiveBayes:
    """ComplementNB's joint log-likelihoods over the n-gram columns, normalised."""

    log_prob: np.ndarray
    class_log_prior: np.ndarray
    classes: np.ndarray

    def predict_proba(self, lexical: sp.csr_matrix) -> np.ndarray:
        joint = np.asarray(lexical @ self.log_prob.T)
        if len(self.classes) == 1:
            joint = joint + self.class_log_prior
        highest = joint.max(axis=1, keepdims=True)
        normaliser = highest + np.log(np.exp(joint - highest).sum(axis=1, keepdims=True))
        return over_all_labels(np.exp(joint - normaliser), self.classes)


class ArrayClassifier:
    """A fitted paragraph classifier as arrays: labels paragraphs in their documents like the `ParagraphClassifier` it
    was made from (`of`), with the same methods for prediction."""

    def __init__(self, lexical: Lexical, scaler: tuple[np.ndarray, np.ndarray], first: Linear, words: NaiveBayes,
                 forests: dict[str, Forest], decoding: dict[str, Any], params: dict[str, Any] | None = None) -> None:
        self.lexical, (self.mean, self.scale), self.first, self.words = lexical, scaler, first, words
        self.layout, self.second = forests["layout"], forests["second"]
        self.window = int(decoding["window"])
        self.transition_weight = float(decoding["transition_weight"])
        self.log_start_ = np.asarray(decoding["log_start"], dtype=np.float64)
        self.log_transitions_ = np.asarray(decoding["log_transitions"], dtype=np.float64)
        self.params = dict(params or {})

    @classmethod
    def of(cls, model: Any) -> ArrayClassifier:
        """The arrays of a fitted ParagraphClassifier; ValueError if a part cannot be stored as arrays."""
        if model.first_.loss != "log_loss":
            raise ValueError(f"a first stage with loss {model.first_.loss!r} cannot be stored as arrays (log_loss can)")
        return cls(
            Lexical.of(model.lexical_), (model.scaler_.mean_, model.scaler_.scale_),
            Linear(model.first_.coef_, model.first_.intercept_, model.first_.classes_),
            NaiveBayes(model.words_.feature_log_prob_, model.words_.class_log_prior_, model.words_.classes_),
            {"layout": Forest.of(model.layout_), "second": Forest.of(model.second_)},
            {"window": model.window, "transition_weight": model.transition_weight, "log_start": model.log_start_,
             "log_transitions": model.log_transitions_},
            model.get_params(),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """Every number of the model, by name: what `from_arrays` takes and a model file stores."""
        decoding = (self.window, self.transition_weight, self.log_start_, self.log_transitions_)
        arrays = {"format": np.asarray(ARRAY_FORMAT), "lexical.word_idf": self.lexical.word_idf,
                  "lexical.char_idf": self.lexical.char_idf, "scaler.mean": self.mean, "scaler.scale": self.scale,
                  **{name: np.asarray(value) for name, value in zip(DECODING, decoding, strict=True)}}
        for part in ("first", "words"):
            for name, value in _fields(getattr(self, part)).items():
                arrays[f"{part}.{name}"] = value
        for forest in FORESTS:
            arrays.update({f"{forest}.{name}": value for name, value in getattr(self, forest).arrays().items()})
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], params: dict[str, Any] | None = None) -> ArrayClassifier:
        """The model of `arrays`; KeyError names an array that is missing, ValueError a format that differs."""
        if missing := [name for name in _array_names() if name not in arrays]:
            raise KeyError(missing[0])
        if int(arrays["format"]) != ARRAY_FORMAT:
            raise ValueError(f"array format {int(arrays['format'])} differs from this cleaner's {ARRAY_FORMAT}")
        part = lambda prefix: {key.split(".", 1)[1]: value for key, value in arrays.items() if key.startswith(prefix + ".")}
        return cls(
            Lexical(arrays["lexical.word_idf"], arrays["lexical.char_idf"]),
            (arrays["scaler.mean"], arrays["scaler.scale"]), Linear(**part("first")), NaiveBayes(**part("words")),
            {forest: Forest.from_arrays(part(forest)) for forest in FORESTS},
            {name: arrays[name] for name in DECODING}, params,
        )

    def get_params(self) -> dict[str, Any]:
        """The training parameters of the classifier these arrays came from."""
        return dict(self.params)

    def predict_proba(self, X: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Second-stage probabilities, one (paragraphs x labels) array per document."""
        return self.stages(X)[1]

    def predict_steps(self, X: Sequence[Sequence[str]]) -> dict[str, list[list[str]]]:
        """The labels after each step: the first stage alone, the stacked second stage, and decoding (last)."""
        first, second = self.stages(X)
        return {
            "first stage": [[LABELS[k] for k in doc.argmax(axis=1).tolist()] for doc in first],
            "stacked": [[LABELS[k] for k in doc.argmax(axis=1).tolist()] for doc in second],
            "decoded": [prediction.labels for prediction in self.decode_probabilities(second)],
        }

    def decode(self, X: Sequence[Sequence[str]], weights: Sequence[np.ndarray | None] | None = None) -> list[Prediction]:
        """Labels, confidences and decoding changes for each document.

        `weights`, one (paragraphs x labels) array or None per document, rescale the second-stage probabilities
        before decoding, p'(y|x) ∝ p(y|x) w(y): a label-prior shift (see `cleaner.html.priors`).
        """
        probabilities = self.predict_proba(X)
        if weights is not None:
            probabilities = [p if w is None else _reweighted(p, w) for p, w in zip(probabilities, weights, strict=True)]
        return self.decode_probabilities(probabilities)

    def predict(self, X: Sequence[Sequence[str]]) -> list[list[str]]:
        return [prediction.labels for prediction in self.decode(X)]

    def score(self, X: Sequence[Sequence[str]], y: Sequence[Sequence[str]]) -> float:
        """Paragraph accuracy over all documents."""
        predicted = [label for doc in self.predict(X) for label in doc]
        truth = [str(label) for doc in y for label in doc]
        return float(np.mean(np.asarray(predicted, dtype=object) == np.asarray(truth, dtype=object)))

    def stages(self, X: Sequence[Sequence[str]]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """First- and second-stage probabilities, one (paragraphs x labels) array per document each, computed in
        passes of bounded size (`slices`): documents grouped, a very long one cut into overlapping slices."""
        firsts: list[list[np.ndarray]] = [[] for _ in X]
        seconds: list[list[np.ndarray]] = [[] for _ in X]
        for group in passes(pieces([len(doc) for doc in X])):
            first, second = self._pass([X[piece.doc][piece.start:piece.stop] for piece in group])
            for piece, f, s in zip(group, first, second, strict=True):
                keep = slice(piece.keep_start - piece.start, piece.keep_stop - piece.start)
                firsts[piece.doc].append(f[keep])
                seconds[piece.doc].append(s[keep])
        return [_joined(parts) for parts in firsts], [_joined(parts) for parts in seconds]

    def _pass(self, X: Sequence[Sequence[str]]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """First- and second-stage probabilities of documents labeled together, each whole."""
        lengths = [len(doc) for doc in X]
        if not sum(lengths):
            empty = [np.zeros((0, N_LABELS)) for _ in X]
            return empty, list(empty)
        batch = TextBatch.of(X)
        lexical = self.lexical.transform([paragraph for doc in X for paragraph in doc], batch)
        context = self._scaled(batch_context_features(batch))
        first = self.first.predict_proba(lexical, context)
        layout = over_all_labels(self.layout.predict_proba(context), self.layout.classes_)
        views = [self.words.predict_proba(lexical), layout]
        stacked = second_stage_features(context, first, views, batch, self.window)
        second = over_all_labels(self.second.predict_proba(stacked), self.second.classes_)
        splits = np.cumsum(lengths)[:-1]
        return np.split(first, splits), np.split(second, splits)

    def _scaled(self, context: np.ndarray) -> np.ndarray:
        """StandardScaler.transform, in its precision: the context features are float32, and so is the scaled copy."""
        scaled = context.copy()
        scaled -= self.mean.astype(scaled.dtype)
        scaled /= self.scale.astype(scaled.dtype)
        return scaled.astype(np.float64)

    def decode_probabilities(self, probabilities: list[np.ndarray]) -> list[Prediction]:
        """Viterbi decoding of every document's second-stage probabilities in one batched pass."""
        best = [p.argmax(axis=1) for p in probabilities]
        if self.transition_weight == 0:
            paths = best
        else:
            emissions = [np.log(np.maximum(p, PROBABILITY_FLOOR)) for p in probabilities]
            weight = self.transition_weight
            paths = viterbi_many(emissions, weight * self.log_start_, weight * self.log_transitions_)
        return [_prediction(p, path, b) for p, path, b in zip(probabilities, paths, best)]


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """A document's rows from its pieces (one piece: the array itself, not a copy)."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def second_stage_features(context: np.ndarray, first: np.ndarray, views: Sequence[np.ndarray], batch: TextBatch,
                          window: int) -> np.ndarray:
    """Scaled context features plus the logistic regression's probabilities for each paragraph, its neighbours,
    its document and its copies (the highest of each label over the paragraphs with the same text: a headline
    repeated in a teaser list keeps looking like the headline), the byline cue, and the other first-stage
    `views`' probabilities for the paragraph, its nearest neighbours and its document."""
    return np.hstack([
        context, stack_context_many(first, batch.lengths, window),
        copies_maximum(first, first_copies(batch)), byline_cues(batch)[:, None],
        *(stack_context_many(view, batch.lengths, VIEW_WINDOW) for view in views),
    ])


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


def _array_names() -> list[str]:
    """The name of every array a model file holds."""
    names = ["format", "lexical.word_idf", "lexical.char_idf", "scaler.mean", "scaler.scale", *DECODING]
    names += [f"{part}.{name}" for part, kind in (("first", Linear), ("words", NaiveBayes)) for name in kind.__slots__]
    return names + [f"{forest}.{name}" for forest in FORESTS for name in FOREST_ARRAYS]


def _fields(part: Linear | NaiveBayes) -> dict[str, np.ndarray]:
    return {name: np.asarray(getattr(part, name)) for name in part.__slots__}


def _logistic(scores: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-scores)), without overflow."""
    return np.exp(-np.logaddexp(0.0, -scores))


def over_all_labels(known: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Probabilities over all six labels from those of the `classes` a model was trained on (the others get 0)."""
    if known.shape[1] == N_LABELS:
        return known
    full = np.zeros((known.shape[0], N_LABELS))
    full[:, np.asarray(classes, dtype=np.intp)] = known
    return full


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
        body=probabilities[:, BODY_COLUMN].astype(float).tolist(),
    )
