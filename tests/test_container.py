"""Reviewed pages of other sites as training data: container renderings and their labels file (cleaner.training.container)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cleaner.cli.retrain import read_training
from cleaner.training.container import container_paragraphs, paragraphs_sha256, reviewed_documents
from cleaner.training.data import DataError, LabeledDocument
from cleaner.training.evaluate import cross_validate
from cleaner.labels import Label
from cleaner.training.options import TrainingOptions

from conftest import REPO, synthetic_document
from test_retraining import ARTICLE, run, write_pairs

SHARED = REPO.parent / "shared" / "data"
REVIEWED_LABELS = REPO / "models" / "labels" / "wcxb-dev.jsonl"

PAGE = (
    "<html><body><div id='page'><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
    "<div id='main'><div id='wrap'><article>{body}</article><p>Related: the river in winter</p></div>"
    "<aside><p>Most read this week</p></aside></div>"
    "<footer><p>© 2026 The River Post</p></footer></div><script>var x = 'never text';</script></body></html>"
)


def test_the_container_is_two_levels_above_the_body_blocks() -> None:
    html = PAGE.format(body="".join(f"<p>{text}</p>" for text in ARTICLE)).encode()
    paragraphs = container_paragraphs(html, "\n\n".join(ARTICLE))
    # article -> div#wrap -> div#main: the related link and the aside are in it, the nav and footer are not.
    assert paragraphs == [*ARTICLE, "Related: the river in winter", "Most read this week"]


def test_a_page_without_the_gold_body_has_no_container() -> None:
    html = PAGE.format(body="<p>Something else entirely was written on this page today.</p>").encode()
    assert container_paragraphs(html, "\n\n".join(ARTICLE)) is None


def labels_file(path: Path, pairs: Path, labels_of: dict[str, list[str]]) -> Path:
    """A labels file for the pages of `pairs` named in `labels_of`, hashed over their renderings; a page's labels
    default to body for the lines of its gold text, boilerplate for the others."""
    records = []
    for page_id, labels in labels_of.items():
        truth = json.loads((pairs / "ground-truth" / f"{page_id}.json").read_text(encoding="utf-8"))
        paragraphs = container_paragraphs(gzip.decompress((pairs / "html" / f"{page_id}.html.gz").read_bytes()),
                                          truth["main_content"])
        labels = labels or ["body" if text in truth["main_content"] else "boilerplate" for text in paragraphs]
        records.append({"id": page_id, "sha256": paragraphs_sha256(paragraphs), "labels": labels})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_reviewed_documents_take_the_files_labels_and_group_by_site(tmp_path: Path) -> None:
    pairs = write_pairs(tmp_path / "pairs", pages=3)
    labels = labels_file(tmp_path / "labels.jsonl", pairs, {"0000": [], "0002": []})
    documents = reviewed_documents(pairs, labels)
    assert [doc.id for doc in documents] == ["0000", "0002"]
    assert [doc.group for doc in documents] == ["site:site0.example", "site:site2.example"]
    records = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    assert [[label.value for label in doc.labels] for doc in documents] == [r["labels"] for r in records]
    assert all({Label.BODY, Label.BOILERPLATE} <= set(doc.labels) for doc in documents)
    assert any("festival 2" in text for text in documents[1].paragraphs)


def test_a_page_that_renders_differently_is_an_error_naming_the_line(tmp_path: Path) -> None:
    pairs = write_pairs(tmp_path / "pairs", pages=2)
    labels = labels_file(tmp_path / "labels.jsonl", pairs, {"0000": [], "0001": []})
    records = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    records[1]["labels"].append("boilerplate")  # one label more than the page has paragraphs
    labels.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with pytest.raises(DataError, match=r"labels\.jsonl:2: page 0001 renders to other paragraphs"):
        reviewed_documents(pairs, labels)
    labels.write_text(json.dumps({"id": "0009", "sha256": "", "labels": []}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"labels\.jsonl:1: page '0009' is not in"):
        reviewed_documents(pairs, labels)
    labels.write_text('{"id": "0000", "labels": []}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r'labels\.jsonl:1: expected \{"id", "sha256", "labels"\}'):
        reviewed_documents(pairs, labels)


def synthetic(k: int, without: Label | None = None) -> LabeledDocument:
    """A synthetic page (conftest) in its own group; the paragraphs of label `without` relabeled body."""
    paragraphs, labels = synthetic_document(k)
    parsed = tuple(Label.BODY if Label(label) is without else Label(label) for label in labels)
    return LabeledDocument(f"page-{k}", tuple(paragraphs), parsed, f"group-{k}")


def test_cross_validation_trains_on_the_extra_documents_and_never_scores_them() -> None:
    scored = [synthetic(k, without=Label.EDITORIAL) for k in range(4)]  # no editorial line among them
    extra = tuple(synthetic(k) for k in range(10, 18))  # eight: with six, whether a model this small calls the notes
    # editorial turned on the features of the comment lines below them
    options = TrainingOptions(augment_rate=0, extra=extra)
    unseen = synthetic(30)
    with_extra = options.fit(scored).predict([unseen.paragraphs])[0]
    without = TrainingOptions(augment_rate=0).fit(scored).predict([unseen.paragraphs])[0]
    assert "editorial" in with_extra and "editorial" not in without  # learned from the extra documents alone
    _, result = cross_validate(scored, options.fit, folds=2)
    assert result.paragraphs == sum(len(doc.paragraphs) for doc in scored)
    assert result.documents == len(scored)


def test_train_adds_the_reviewed_pages_and_says_so_on_the_card(tmp_path: Path) -> None:
    pairs = write_pairs(tmp_path / "pairs", pages=4)
    labels = labels_file(tmp_path / "labels.jsonl", pairs, {"0001": [], "0003": []})
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps({"id": "own", "paragraphs": ["A headline", *ARTICLE],
                                "labels": ["headline", "body", "body", "body"]}) + "\n", encoding="utf-8")
    model = tmp_path / "model.npz"
    result = run("train", data, "--train-html", pairs, labels, "-o", model, "--cv", "0", "--augment", "0")
    assert result.exit_code == 0, result.output
    card = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["training"]["documents"] == 3
    assert card["training"]["sources"] == ["data.jsonl", "2 reviewed pages of other sites"]
    result = run("train", data, "--train-html", pairs, data, "-o", model, "--cv", "0")
    assert result.exit_code == 2 and "data.jsonl:1" in result.output


@pytest.mark.skipif(not (SHARED / "wcxb-dev").is_dir(), reason="needs ../shared/data/wcxb-dev beside the repository")
def test_the_labels_in_models_match_their_pages_and_share_no_site_with_the_training_pages() -> None:
    documents = reviewed_documents(SHARED / "wcxb-dev", REVIEWED_LABELS)
    assert len(documents) == 160
    assert sum(label is Label.COMMENTS for doc in documents for label in doc.labels) > 500
    truth = json.loads((SHARED / "pages" / "ground-truth.json").read_text(encoding="utf-8"))
    training_sites = {"site:" + urlsplit(entry["url"]).netloc.removeprefix("www.") for entry in truth.values()}
    assert training_sites.isdisjoint(doc.group for doc in documents)
    assert {doc.id for doc in documents}.isdisjoint(doc.id for doc in read_training([SHARED / "train"]))
