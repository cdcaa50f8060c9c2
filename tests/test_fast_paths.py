"""The fast implementations compute what the plain ones compute: context features, lexical features, tree prediction,
and prediction from a model file of arrays equals the scikit-learn estimators it was made from.

The shipped model was trained on the plain definitions, so every speed-up must leave the numbers unchanged.
Each test runs both on the seeds, training pages from ../shared and generated text with the characters
that trip up case-folding, white space and pattern shortcuts.
"""

from __future__ import annotations

import re
import sys
from itertools import chain

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference_features
from sklearn.ensemble import HistGradientBoostingClassifier

from cleaner.model import features, lexical
from cleaner.training.data import read_labeled
from cleaner.model.features import FEATURE_NAMES, TextBatch, batch_context_features, first_copies
from cleaner.model.forest import Forest
from cleaner.model.lexical import Lexical
from cleaner.labels import LABELS
from cleaner.model.classifier import ParagraphClassifier, _probabilities
from cleaner.model.persist import load_model, save_model
from cleaner.model.runtime import (
    N_LABELS, PROBABILITY_FLOOR, ArrayClassifier, copies_maximum, stack_context, stack_context_many, viterbi, viterbi_many,
)

from conftest import REPO, SEED_LABELS, TINY_MODEL_PARAMS, synthetic_corpus

TRAIN_DIR = REPO.parent / "shared" / "data" / "train"
TRAIN_DOCUMENTS = 40  # enough pages for every feature to vary, few enough to keep the test quick

# Words and marks that the cue patterns and their literal shortcuts look for, and characters that case-fold,
# strip or split unlike ASCII: dotted and dotless i, long s, the Kelvin sign, NBSP, zero-width and line separators.
VOCABULARY = [
    "Ed.", "ed.", "Editor's note:", "— The Editors", "(ed.)", "Comment", "3 comments", "Comments (12)", "Reply",
    "says:", "says:x", "ſays:x", "Leave a Reply", "JOIN THE DISCUSSION", "responses", "Continues …", "Read more", "Related", "Share",
    "Getty Images", "All rights reserved", "newsletter", "cookies", "http://x.org", "www.site.com", "@handle",
    "a@b", "©", "Copyright", "May", "2019", "10:45", "12/05/2020", "updated", "ago", "İ", "ı", "ſ", "K", "ſays:",
    "COMMENTſ", "I", "we", "you", "media", "reports", "the", "story", "Ω", "٣", "²", "😀", "\u00a0", "\u200b",
    "\u2028", "\t", "  ", "\"", "”", ")", ".", "!", "?", "…", "\ud800", "By", "by", "is a", "was an", "staff",
    "writer", "reporter", "Reporting by", "view more articles", "Write to", "email the author", "About the author",
    "AUTHOR", "aſſistant", "edİtor",
]
LONG_WORDS = " ".join(["word"] * 30)  # a long paragraph, so that the main-block features have a block


def real_documents() -> list[list[str]]:
    """The seeds and the first training pages, as paragraph lists."""
    documents = [list(doc.paragraphs) for doc in read_labeled([str(SEED_LABELS)])]
    if TRAIN_DIR.is_dir():
        documents += [list(doc.paragraphs) for doc in read_labeled([str(TRAIN_DIR)])[:TRAIN_DOCUMENTS]]
    return documents


paragraph_text = st.lists(st.sampled_from(VOCABULARY) | st.text(max_size=12), max_size=12).map(" ".join)
documents_strategy = st.lists(
    st.lists(paragraph_text | st.just(LONG_WORDS), min_size=0, max_size=10), min_size=1, max_size=4
)


def reference_rows(documents: list[list[str]]) -> np.ndarray:
    rows = [reference_features.context_features(doc) for doc in documents]
    return np.vstack(rows) if rows else np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)


def assert_same_rows(documents: list[list[str]]) -> None:
    expected, actual = reference_rows(documents), batch_context_features(TextBatch.of(documents))
    assert actual.shape == expected.shape
    mismatched = [FEATURE_NAMES[j] for j in range(expected.shape[1]) if not np.allclose(actual[:, j], expected[:, j])]
    assert not mismatched, f"features differ from the reference: {mismatched}"


@pytest.fixture(scope="module")
def documents() -> list[list[str]]:
    return real_documents()


def test_batched_context_features_equal_the_per_paragraph_reference_on_real_pages(documents) -> None:
    assert sum(map(len, documents)) > 1000
    assert_same_rows(documents)


def test_each_document_gets_the_same_rows_alone_as_in_a_batch(documents) -> None:
    together = batch_context_features(TextBatch.of(documents[:6]))
    alone = np.vstack([features.context_features(doc) for doc in documents[:6]])
    np.testing.assert_array_equal(together, alone)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_strategy)
def test_batched_context_features_equal_the_reference_on_generated_text(documents: list[list[str]]) -> None:
    assert_same_rows(documents)


def assert_same_byline_cues(documents: list[list[str]]) -> None:
    batch = TextBatch.of(documents)
    expected = [float(features.BYLINE_CUE.search(text) is not None) for text in batch.texts]
    assert features.byline_cues(batch).tolist() == expected


def test_byline_cues_equal_the_plain_pattern_on_real_pages(documents) -> None:
    assert_same_byline_cues(documents)
    cues = features.byline_cues(TextBatch.of([["By Ana Swanson", "Phil Helsel is a reporter for NBC News.", "Bystanders ran."]]))
    assert cues.tolist() == [1.0, 1.0, 0.0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_strategy)
def test_byline_cues_equal_the_plain_pattern_on_generated_text(documents: list[list[str]]) -> None:
    assert_same_byline_cues(documents)


def test_the_literal_shortcuts_still_find_every_cue_when_case_folding_is_unusual() -> None:
    paragraphs = ["ſays:hello", "COMMENTſ are closed", "Edİtor", "READ MORE", "x ED.", "Reprınted here", "wWw.x"]
    assert_same_rows([paragraphs])
    cues = features.batch_context_features(TextBatch.of([paragraphs]))[:, FEATURE_NAMES.index("comment_cue")]
    assert cues[0] == 1  # "ſays:" matches "says:" case-insensitively in `re`, and the shortcut must see it too
    assert cues[1] == 1


@pytest.fixture(scope="module")
def real_classifier() -> ParagraphClassifier:
    """A scikit-learn classifier fitted on real pages (the seeds and the first training pages), as training leaves it."""
    labeled = read_labeled([str(SEED_LABELS)]) + (read_labeled([str(TRAIN_DIR)])[:TRAIN_DOCUMENTS] if TRAIN_DIR.is_dir() else [])
    return ParagraphClassifier(inner_folds=3).fit([list(doc.paragraphs) for doc in labeled],
                                                  [[label.value for label in doc.labels] for doc in labeled],
                                                  groups=[doc.group for doc in labeled])


@pytest.fixture(scope="module")
def tiny_classifier() -> ParagraphClassifier:
    docs, labels = synthetic_corpus()
    return ParagraphClassifier(**TINY_MODEL_PARAMS).fit(docs, labels, groups=[f"s{k}" for k in range(len(docs))])


def assert_same_lexical(union, texts: list[str]) -> None:
    expected = union.transform(texts)
    actual = Lexical.of(union).transform(texts)
    assert actual.shape == expected.shape
    assert abs(actual - expected).max() == 0
    assert actual.has_sorted_indices


def test_fast_lexical_features_equal_the_fitted_union_on_real_pages(real_classifier, documents) -> None:
    texts = [p for doc in documents for p in doc]
    fast = Lexical.of(real_classifier.lexical_)
    expected = real_classifier.lexical_.transform(texts)
    first, second = fast.transform(texts[:500]), fast.transform(texts)  # the second call reuses cached words
    assert abs(second - expected).max() == 0
    assert abs(first - expected[:500]).max() == 0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraph_text, min_size=1, max_size=8))
def test_fast_lexical_features_equal_the_union_on_generated_text(tiny_classifier, texts: list[str]) -> None:
    texts = [t.encode("utf-8", "replace").decode("utf-8") for t in texts]  # the union cannot hash lone surrogates
    assert_same_lexical(tiny_classifier.lexical_, texts)


def test_the_word_cache_is_emptied_when_full_and_stays_correct(tiny_classifier, monkeypatch) -> None:
    monkeypatch.setattr(lexical, "MAX_CACHED_WORDS", 20)
    fast = Lexical.of(tiny_classifier.lexical_)
    texts = [f"alpha{k} beta{k} gamma{k} shared words here {'x' * 70}" for k in range(12)]
    for start in range(0, len(texts), 3):
        chunk = texts[start : start + 3]
        assert abs(fast.transform(chunk) - tiny_classifier.lexical_.transform(chunk)).max() == 0
        assert len(fast.char_cache.ids) <= 20
    assert not any(len(word) > lexical.MAX_CACHED_WORD_CHARS for word in fast.char_cache.ids)


def second_stage_inputs(estimator: ParagraphClassifier, documents: list[list[str]]) -> np.ndarray:
    first_features = estimator._first_stage_features(documents, fit=False)
    first = _probabilities(estimator.first_, first_features)
    context = estimator._context_block(first_features)
    lexical = estimator._lexical_block(first_features)
    views = [_probabilities(estimator.words_, lexical), _probabilities(estimator.layout_, context)]
    return estimator._second_stage_features(context, first, views, TextBatch.of(documents))


def test_first_stage_probabilities_from_the_two_blocks_equal_those_of_the_stacked_matrix(real_classifier, documents) -> None:
    estimator = real_classifier
    stacked = estimator._first_stage_features(documents[:10], fit=False)
    lexical = estimator._lexical_block(stacked)
    expected = _probabilities(estimator.first_, stacked)
    actual = ArrayClassifier.of(estimator).first.predict_proba(lexical, estimator._context_block(stacked))
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=6), st.integers(0, 2**16))
def test_batched_viterbi_finds_the_paths_of_one_document_at_a_time(lengths: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    emissions = [np.log(rng.dirichlet(np.ones(N_LABELS), size=n)) if n else np.zeros((0, N_LABELS)) for n in lengths]
    start = np.log(rng.dirichlet(np.ones(N_LABELS)))
    transitions = np.log(rng.dirichlet(np.ones(N_LABELS), size=N_LABELS))
    together = viterbi_many(emissions, start, transitions)
    for emission, path in zip(emissions, together):
        np.testing.assert_array_equal(path, viterbi(emission, start, transitions))


def test_compiled_trees_give_the_models_probabilities(real_classifier, documents) -> None:
    model = real_classifier.second_
    forest = Forest.of(model)
    X = second_stage_inputs(real_classifier, documents[:20])
    np.testing.assert_allclose(forest.predict_proba(X), model.predict_proba(X), rtol=0, atol=1e-12)


def test_compiled_context_trees_give_the_models_probabilities(real_classifier, documents) -> None:
    estimator = real_classifier
    context = estimator._context_block(estimator._first_stage_features(documents[:20], fit=False))
    forest = Forest.of(estimator.layout_)
    np.testing.assert_allclose(forest.predict_proba(context), estimator.layout_.predict_proba(context), rtol=0, atol=1e-12)


def test_compiled_trees_send_missing_values_where_the_model_does(real_classifier, documents) -> None:
    model = real_classifier.second_
    X = second_stage_inputs(real_classifier, documents[:3]).copy()
    X[::3, : X.shape[1] // 2] = np.nan
    np.testing.assert_allclose(Forest.of(model).predict_proba(X), model.predict_proba(X), rtol=0, atol=1e-12)


def test_compiled_trees_of_a_small_model_and_an_empty_input(tiny_classifier) -> None:
    docs, _ = synthetic_corpus(3)
    X = second_stage_inputs(tiny_classifier, docs)
    forest = Forest.of(tiny_classifier.second_)
    np.testing.assert_allclose(forest.predict_proba(X), tiny_classifier.second_.predict_proba(X), rtol=0, atol=1e-12)
    assert forest.predict_proba(X[:0]).shape == (0, len(tiny_classifier.second_.classes_))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6), st.integers(0, 2**16))
def test_batched_stacking_equals_stacking_each_document(lengths: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    probabilities = rng.dirichlet(np.ones(N_LABELS), size=sum(lengths))
    starts = np.cumsum(lengths) - lengths
    one_by_one = [stack_context(probabilities[s : s + n], 3) for s, n in zip(starts, lengths)]
    np.testing.assert_allclose(stack_context_many(probabilities, lengths, 3), np.vstack(one_by_one), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5, 7])
@pytest.mark.parametrize("classes", [2, 3])
def test_compiled_trees_of_every_depth_give_the_models_probabilities(depth: int, classes: int) -> None:
    rng = np.random.default_rng(depth)
    X = rng.normal(size=(300, 6))
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(int) + (classes > 2) * (X[:, 3] > 1)
    X[rng.random(X.shape) < 0.05] = np.nan
    model = HistGradientBoostingClassifier(max_depth=depth, max_iter=15, random_state=0).fit(X, y)
    forest = Forest.of(model)
    assert forest.depth == depth
    np.testing.assert_allclose(forest.predict_proba(X), model.predict_proba(X), rtol=0, atol=1e-12)


def test_trees_that_never_split_are_compiled_too() -> None:
    X = np.random.default_rng(0).normal(size=(40, 3))
    y = np.arange(40) % 3
    model = HistGradientBoostingClassifier(max_iter=5, min_samples_leaf=40).fit(X, y)  # too few rows to split
    forest = Forest.of(model)
    assert forest.depth == 0
    np.testing.assert_allclose(forest.predict_proba(X), model.predict_proba(X), rtol=0, atol=1e-12)


def test_prediction_and_its_steps_equal_the_plain_scikit_learn_path(real_classifier, documents) -> None:
    estimator, docs = real_classifier, documents[:12]
    lengths = [len(doc) for doc in docs]
    splits = np.cumsum(lengths)[:-1]
    first_features = estimator._first_stage_features(docs, fit=False)
    first = _probabilities(estimator.first_, first_features)
    second = _probabilities(estimator.second_, second_stage_inputs(estimator, docs))
    np.testing.assert_allclose(np.concatenate(estimator.predict_proba(docs)), second, rtol=0, atol=1e-12)
    weight = estimator.transition_weight
    decoded = [
        viterbi(np.log(np.maximum(p, PROBABILITY_FLOOR)), weight * estimator.log_start_, weight * estimator.log_transitions_)
        for p in np.split(second, splits)
    ]
    steps = estimator.predict_steps(docs)
    assert steps["first stage"] == [[LABELS[k] for k in doc.argmax(axis=1)] for doc in np.split(first, splits)]
    assert steps["stacked"] == [[LABELS[k] for k in doc.argmax(axis=1)] for doc in np.split(second, splits)]
    assert steps["decoded"] == [[LABELS[k] for k in path] for path in decoded] == estimator.predict(docs)


def test_copies_share_the_highest_probability_of_each_label() -> None:
    documents = [["Title", "Body text.", "Title"], ["Title", "Other"]]
    copies = first_copies(TextBatch.of(documents))
    assert copies.tolist() == [0, 1, 0, 3, 4]  # the second document's "Title" is not a copy of the first's
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.5, 0.5], [0.6, 0.4]])
    highest = copies_maximum(probabilities, copies)
    np.testing.assert_array_equal(highest, [[0.9, 0.7], [0.2, 0.8], [0.9, 0.7], [0.5, 0.5], [0.6, 0.4]])


def plain_tokens(pieces: list[list[str]]) -> tuple[list[str], list[int], list[int]]:
    """Tokens numbered in order of first occurrence, with each one's row: the plain definition of `features.Tokens`."""
    ids: dict[str, int] = {}
    flat = [ids.setdefault(token, len(ids)) for token in chain.from_iterable(pieces)]
    return list(ids), flat, [row for row, tokens in enumerate(pieces) for _ in tokens]


def assert_same_tokens(documents: list[list[str]]) -> None:
    batch = TextBatch.of(documents)
    for tokens, pieces in [(batch.words, [text.split() for text in batch.lowered]),
                           (batch.vocabulary, [features.WORD.findall(text) for text in batch.lowered])]:
        assert (tokens.distinct, tokens.ids.tolist(), tokens.rows.tolist()) == plain_tokens(pieces)
    assert batch.token_counts.tolist() == [len(features.WORD.findall(text)) for text in batch.lowered]


def test_the_tokens_found_word_by_word_equal_those_of_whole_paragraphs(documents) -> None:
    assert_same_tokens(documents)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_strategy)
def test_the_tokens_found_word_by_word_equal_those_of_whole_paragraphs_on_generated_text(documents) -> None:
    assert_same_tokens(documents)


def test_no_character_is_both_white_space_and_a_word_character_and_lower_casing_keeps_white_space() -> None:
    """What the shortcuts rely on, for every code point: WORD tokens never span white space (so they can be found
    word by word), lower-casing neither makes nor removes white space (so a paragraph and its lower-cased text
    have as many words), and DIGITS only finds what str.isdigit counts."""
    word = re.compile(r"\w")
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        lowered = character.lower()
        assert not (character.isspace() and word.match(character)), hex(code)
        assert lowered and all(c.isspace() == character.isspace() for c in lowered), hex(code)
        assert bool(word.match(character)) == (character.isalnum() or character == "_"), hex(code)
        assert not features.DIGITS.match(character) or character.isdigit(), hex(code)  # a line without digits has no DIGITS


def test_a_model_file_of_arrays_labels_as_the_estimator_it_was_saved_from(real_classifier, documents, tmp_path) -> None:
    path = tmp_path / "real.npz"
    save_model(real_classifier, path, training={}, metrics={})
    loaded = load_model(path).estimator  # outside the package, and no trust needed: arrays cannot run code
    assert isinstance(loaded, ArrayClassifier)
    docs = documents[:15]
    for ours, theirs in zip(loaded.predict_proba(docs), real_classifier.predict_proba(docs)):
        np.testing.assert_array_equal(ours, theirs)
    assert [p.labels for p in loaded.decode(docs)] == real_classifier.predict(docs)
    assert loaded.get_params() == real_classifier.get_params()
