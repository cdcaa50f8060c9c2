"""Renderings of a labeled page (container, whole page, extractor) and the labels carried between them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cleaner.training.container import paragraphs_sha256
from cleaner.training.data import DataError
from cleaner.training.pages import page_type, read_labeled_pages
from cleaner.training.renderings import carry_labels, extract_paragraphs, page_paragraphs, render

from conftest import REPO, run_cli

STORY = ("The harbour in the old town was closed on Tuesday after a storm damaged two of its piers, the port "
         "authority said, and it will stay closed for at least a week while engineers inspect the damage.")
MORE = ("Fishermen said the closure would cost them most of the season's best week, and several of them asked the "
        "council for help with the cost of moving their boats to the next harbour along the coast.")
COMMENT = "I live by the harbour and this is exactly what happened to us last night, thank you for writing it."
PAGE = f"""<html><head><title>Harbour closed</title><script>var tracking = "not text";</script></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour closed</h1><p>{STORY}</p><p>{MORE}</p></article>
<div class="comments"><h3>1 comment</h3><p>{COMMENT}</p></div>
<footer>&copy; 2021 Daily Courier</footer></body></html>"""
SHARED_PAGES = REPO.parent / "shared" / "data"
LABELS_FILE = REPO / "models" / "labels" / "pages.jsonl"


def test_the_whole_page_keeps_navigation_comments_and_footer_but_no_script() -> None:
    lines = page_paragraphs(PAGE.encode())
    assert {"Harbour closed", STORY, MORE, COMMENT, "© 2021 Daily Courier"} <= set(lines)
    assert not any("tracking" in line for line in lines)


def test_the_extractor_rendering_keeps_the_story() -> None:
    lines = extract_paragraphs(PAGE.encode())
    assert STORY in lines and MORE in lines and "Home" not in " ".join(lines)


def test_render_refuses_an_unknown_rendering() -> None:
    with pytest.raises(ValueError, match="unknown rendering 'pdf'"):
        render(PAGE.encode(), STORY, "pdf")


def test_labels_are_carried_by_line_then_by_words_then_by_neighbour() -> None:
    source = ["Home", "Harbour closed", STORY, MORE, "1 comment", COMMENT]
    labels = ["boilerplate", "headline", "body", "body", "comments", "comments"]
    target = ["Harbour closed", f"{STORY} {MORE}", "1 comment", COMMENT, "zzz qqq", "Home"]
    carried, how = carry_labels(source, labels, target)
    assert carried == ["headline", "body", "comments", "comments", "comments", "boilerplate"]
    assert how == {"match": 3, "copy": 1, "words": 1, "neighbour": 1}


def write_page(root: Path, page_id: str, html: str, body: str, page_type: str | None = None) -> None:
    (root / "html").mkdir(parents=True, exist_ok=True)
    (root / "ground-truth").mkdir(exist_ok=True)
    (root / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
    truth = {"url": "https://courier.example/harbour", "title": "Harbour closed", "main_content": body}
    truth |= {"page_type": page_type} if page_type else {}
    (root / "ground-truth" / f"{page_id}.json").write_text(json.dumps(truth), encoding="utf-8")


def test_labeled_pages_are_rendered_again_and_checked_against_their_hash(tmp_path: Path) -> None:
    write_page(tmp_path / "data" / "mini", "0001", PAGE, f"{STORY}\n{MORE}")
    lines = page_paragraphs(PAGE.encode())
    labels = ["body" if line in (STORY, MORE) else "boilerplate" for line in lines]
    record = {"source": "mini", "id": "0001", "rendering": "page", "sha256": paragraphs_sha256(lines), "labels": labels}
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,) = read_labeled_pages(tmp_path / "data", good)
    assert doc.id == "mini/0001#page" and doc.group == "site:courier.example"
    assert list(doc.paragraphs) == lines and [label.value for label in doc.labels] == labels
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**record, "sha256": "0" * 64}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl:1: page mini/0001 renders to other page paragraphs"):
        read_labeled_pages(tmp_path / "data", bad)


def test_pages_of_a_skipped_type_are_left_out(tmp_path: Path) -> None:
    records = []
    for page_id, kind in (("0001", "article"), ("0002", "forum"), ("0003", None)):
        write_page(tmp_path / "data" / "mini", page_id, PAGE, f"{STORY}\n{MORE}", kind)
        lines = page_paragraphs(PAGE.encode())
        records.append({"source": "mini", "id": page_id, "rendering": "page", "sha256": paragraphs_sha256(lines),
                        "labels": ["body"] * len(lines)})
    labels_path = tmp_path / "pages.jsonl"
    labels_path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    every = read_labeled_pages(tmp_path / "data", labels_path)
    assert [doc.id for doc in every] == ["mini/0001#page", "mini/0002#page", "mini/0003#page"]
    assert [page_type(tmp_path / "data", doc) for doc in every] == ["article", "forum", None]
    kept = read_labeled_pages(tmp_path / "data", labels_path, skip_types=["forum"])
    assert [doc.id for doc in kept] == ["mini/0001#page", "mini/0003#page"]  # a page without a type is kept


def test_train_and_evaluate_on_labeled_pages_saying_each_step(tmp_path: Path) -> None:
    data, records = tmp_path / "data", []
    for k, site in enumerate(["courier.example", "gazette.example", "herald.example", "ledger.example"]):
        html = PAGE.replace("Harbour closed", f"Harbour {k} closed").replace("Daily Courier", site)
        write_page(data / "mini", f"000{k}", html, f"{STORY}\n{MORE}")
        truth = data / "mini" / "ground-truth" / f"000{k}.json"
        truth.write_text(truth.read_text().replace("courier.example", site), encoding="utf-8")
        for rendering in ("page", "extract"):
            lines = render(html.encode(), f"{STORY}\n{MORE}", rendering)
            labels = ["body" if line in (STORY, MORE) else "comments" if line == COMMENT else "boilerplate"
                      for line in lines]
            records.append({"source": "mini", "id": f"000{k}", "rendering": rendering,
                            "sha256": paragraphs_sha256(lines), "labels": labels})
    labels_path = tmp_path / "pages.jsonl"
    labels_path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    model = tmp_path / "model.npz"
    result = run_cli("train", "--pages", data, labels_path, "-o", model, "--cv", "0", "--augment", "0")
    assert result.exit_code == 0, result.output
    assert "cleaner: training on 8 documents" in result.stderr
    assert "cleaner: second stage: " in result.stderr
    card = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["training"]["documents"] == 8
    assert card["training"]["sources"] == [f"pages.jsonl (pages of {data}, every rendering)"]
    quiet = run_cli("train", "--pages", data, labels_path, "-o", model, "--cv", "0", "-q", "--skip-page-type", "forum")
    assert quiet.exit_code == 0 and "cleaner: " not in quiet.stderr
    card = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["training"]["sources"] == [f"pages.jsonl (pages of {data}, every rendering, without the forum pages)"]
    report = run_cli("evaluate", model, "--pages", data, labels_path)
    assert report.exit_code == 0, report.output
    assert "body" in report.output and "8 documents" in report.output


@pytest.mark.skipif(not SHARED_PAGES.is_dir(), reason="needs ../shared/data")
def test_the_shipped_labels_match_the_pages_they_label(tmp_path: Path) -> None:
    records = [json.loads(line) for line in LABELS_FILE.read_text(encoding="utf-8").splitlines()]
    sample = records[:: max(1, len(records) // 40)]  # every rendering of many pages, in a few seconds
    sample_file = tmp_path / "sample.jsonl"
    sample_file.write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
    documents = read_labeled_pages(SHARED_PAGES, sample_file)
    assert len(documents) == len(sample)
    assert {doc.id.rsplit("#", 1)[1] for doc in documents} == {"container", "page", "extract"}
