"""The HTML benchmark (`cleaner.bench.html`): its per-type table, metadata, time and language figures, on a few real
pages of ../shared/data (real trafilatura, real cleaner) and on hand-checkable tiny cases."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import cleaner
from cleaner.bench import html as bench
from cleaner.bench.html_language import UNKNOWN, guess_language
from cleaner.bench.html_metadata import PageMetadata, iso_day, metadata_accuracy, normalized
from cleaner.labels import Label
from cleaner.training.align import Gold, HtmlPair

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
needs_data = pytest.mark.skipif(not (DATA / bench.WCXB_OTHER_SET).is_dir(), reason="needs ../shared/data beside the repository")


def fake_page(page_type: str, gold: str, set_name: str = bench.WCXB_OTHER_SET) -> bench.BenchPage:
    """A page that is only its gold text and type: enough for the scoring functions."""
    return bench.BenchPage(HtmlPair(f"{page_type}-{gold[:5]}", b"", None, Gold(gold)), set_name, page_type)


def fake_output(**texts: str) -> bench.PageOutput:
    return bench.PageOutput(texts, cleaner.Document([]), {"title": None, "author": None, "date": None})


@pytest.fixture(scope="module")
def real_run() -> tuple[list[bench.BenchPage], bench.SetRun]:
    """One wcxb-dev article and the first two wcxb-dev-other forum threads, through every extractor once."""
    article = bench.read_set(DATA, bench.WCXB_SET)[:1]
    forums = [page for page in bench.read_set(DATA, bench.WCXB_OTHER_SET) if page.page_type == bench.FORUM][:2]
    pages = article + forums
    return pages, bench.run_set(pages, cleaner.load_model())


def test_the_table_means_page_f1_over_pages_and_pools_words_for_micro_figures() -> None:
    pages = [fake_page("forum", "a b c d"), fake_page("forum", "x y"), fake_page("article", "p q", bench.WCXB_SET)]
    outputs = [fake_output(cleaner="a b c d"), fake_output(cleaner="x y z w"), fake_output(cleaner="")]
    types = bench.per_type(pages, bench.scores(pages, outputs))
    forum = types["forum"]["cleaner"]
    # page F1s 1 and 2*2/(4+2) = 2/3; pooled: 6 of 8 predicted words are right, all 6 gold words found
    assert forum["n"] == 2 and forum["mean_page_f1"] == pytest.approx(5 / 6)
    assert forum["micro_precision"] == pytest.approx(0.75) and forum["micro_recall"] == 1.0
    assert types["article"]["cleaner"] == pytest.approx(
        {"n": 1, "mean_page_f1": 0.0, "micro_precision": 0.0, "micro_recall": 0.0, "micro_f1": 0.0, "empty": 1})
    assert types[bench.ALL_WCXB]["cleaner"]["n"] == 3 and types[bench.WCXB_OTHER]["cleaner"]["n"] == 2
    assert list(types) == ["article", "forum", bench.WCXB_OTHER, bench.ALL_WCXB]


def test_the_metadata_figures_count_only_pages_whose_gold_has_the_field() -> None:
    pages = [
        PageMetadata({"title": "Hello, World!", "author": "Jane O'Neil", "date": "2024-03-05"},
                     {"title": {"a": "hello world", "b": "Hello World | Site"},
                      "author": {"cleaner metadata['author']": "jane o neil", "cleaner metadata['authors']": "Jane Doe"},
                      "date": {"cleaner metadata['date']": "2024-3-5T10:00:00", "cleaner metadata['dates']": None}}),
        PageMetadata({"title": "Other", "author": None, "date": None},
                     {"title": {"a": None, "b": "other"}, "author": {"cleaner metadata['author']": "Someone"},
                      "date": {}}),
    ]
    figures = metadata_accuracy(pages)
    assert figures["title"]["sources"] == {"a": {"pages": 2, "found": 1, "accuracy": 0.5},
                                           "b": {"pages": 2, "found": 2, "accuracy": 0.5}}
    assert figures["author"]["sources"]["cleaner metadata['author']"] == {"pages": 1, "found": 1, "accuracy": 1.0}
    assert figures["author"]["sources"]["cleaner metadata['authors']"]["accuracy"] == 0.0
    assert figures["author"]["disagreement"]["both_found"] == 1 and figures["author"]["disagreement"]["differ"] == 1
    assert figures["date"]["sources"]["cleaner metadata['date']"]["accuracy"] == 1.0
    assert figures["date"]["sources"]["cleaner metadata['dates']"] == {"pages": 1, "found": 0, "accuracy": 0.0}


def test_values_are_compared_without_case_or_punctuation_and_dates_as_iso_days() -> None:
    assert normalized("  Dylan Bailey; MS, RD!") == normalized("dylan bailey ms rd") == "dylan bailey ms rd"
    assert iso_day("2024-3-5T10:00:00+02:00") == iso_day("2024-03-05") == "2024-03-05"
    assert iso_day("2025-09") != iso_day("2025-09-01")


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The mayor said that the bridge was closed for repairs and that it would open in the spring."),
    ("de", "Der Bürgermeister sagte, dass die Brücke nicht mehr für den Verkehr offen ist und auch im Winter zu bleibt."),
    ("fr", "Le maire a dit que le pont est fermé pour des travaux et qu'il sera ouvert dans les mois qui viennent."),
    ("es", "El alcalde dijo que el puente está cerrado por obras y que los vecinos no pueden usar las calles del centro."),
    ("it", "Il sindaco ha detto che il ponte è chiuso per lavori e che non sarà aperto prima della fine del mese."),
    ("pt", "O prefeito disse que a ponte está fechada para obras e que não será aberta antes do fim do mês, com os custos."),
    ("nl", "De burgemeester zei dat het een brug is die niet voor het verkeer open is en ook in de winter dicht blijft."),
])
def test_the_language_guess_finds_each_languages_function_words(language: str, text: str) -> None:
    assert guess_language(text) == language


def test_a_text_too_short_or_without_function_words_has_no_language() -> None:
    assert guess_language("Price: 20 EUR") == UNKNOWN
    assert guess_language("東京 大阪 " * 50) == UNKNOWN


def test_time_is_per_timed_page_and_the_ratio_is_cleaners_to_bare_extractions() -> None:
    seconds = {bench.TIMED_CLEANER: 1.0, bench.TIMED_BASELINE: 2.0, bench.MAIN: 1.5, bench.DEFAULTS: 1.5}
    runs = {"a": bench.SetRun([], dict(seconds), 10), "b": bench.SetRun([], dict(seconds), 30), "c": bench.SetRun()}
    figures = bench.time_figures(runs)
    assert figures["a"]["ms_per_page"][bench.TIMED_CLEANER] == pytest.approx(100.0)
    assert figures["a"]["ratio"] == pytest.approx(0.5)
    assert figures["all"]["timed_pages"] == 40 and figures["all"]["ms_per_page"][bench.TIMED_BASELINE] == pytest.approx(100.0)
    assert "c" not in figures  # too few pages to time


def test_a_forum_page_keeps_its_posts_labeled_comments_and_an_article_only_its_body() -> None:
    document = cleaner.Document([cleaner.Paragraph("Thread title", Label.HEADLINE, 1.0),
                                 cleaner.Paragraph("First post", Label.COMMENTS, 1.0),
                                 cleaner.Paragraph("Rules of the forum", Label.BODY, 1.0),
                                 cleaner.Paragraph("Reply", Label.BOILERPLATE, 1.0),
                                 cleaner.Paragraph("Second post", Label.COMMENTS, 1.0)])
    forum = bench.page_output(fake_page("forum", "x"), document, None, "main", "defaults")
    article = bench.page_output(fake_page("article", "x", bench.WCXB_SET), document, None, "main", "defaults")
    assert forum.texts[bench.CLEANER] == "First post\nRules of the forum\nSecond post"
    assert article.texts[bench.CLEANER] == article.texts[bench.CLEANER_BODY] == "Rules of the forum"
    assert forum.texts[bench.MAIN] == "main" and forum.trafilatura == {"title": None, "author": None, "date": None}


def test_a_page_an_extractor_raises_on_is_scored_empty_and_listed(monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise AttributeError("'list' object has no attribute 'get'")

    monkeypatch.setattr(cleaner, "clean_documents", broken)
    monkeypatch.setattr(cleaner, "clean_html", broken)
    failures: list[dict[str, str]] = []
    documents = bench.cleaner_batch([fake_page("listing", "gold words")], cleaner.load_model(), failures)
    assert [document.paragraphs for document in documents] == [[]]
    assert failures == [{"extractor": bench.CLEANER, "set": bench.WCXB_OTHER_SET, "id": "listing-gold ",
                         "error": "AttributeError: 'list' object has no attribute 'get'"}]


def test_the_warm_up_pages_are_run_but_not_timed() -> None:
    pages = [fake_page("forum", f"w{i}") for i in range(bench.WARM_UP_PAGES + 2)]
    batches = list(bench.batches(pages))
    assert batches[0] == (pages[: bench.WARM_UP_PAGES], False)
    assert [page for batch, _ in batches for page in batch] == pages and all(clock for _, clock in batches[1:])


@needs_data
def test_a_page_whose_gold_is_trafilaturas_main_text_scores_one_for_it(real_run) -> None:
    pages, run = real_run
    out = run.outputs[0]
    assert out.texts[bench.MAIN].strip()
    gold = Gold(out.texts[bench.MAIN], out.trafilatura["title"], out.trafilatura["author"], out.trafilatura["date"])
    page = replace(pages[0], pair=replace(pages[0].pair, gold=gold))
    row = bench.per_type([page], bench.scores([page], [out]))["article"][bench.MAIN]
    assert (row["mean_page_f1"], row["micro_precision"], row["micro_recall"]) == (1.0, 1.0, 1.0)
    figures = bench.metadata_figures([page], [out])["article"]
    assert figures["title"]["sources"]["trafilatura"]["accuracy"] == 1.0


@needs_data
def test_forum_threads_are_scored_as_keep_body_comments_writes_them_and_articles_by_their_body(real_run) -> None:
    pages, run = real_run
    article, forum = run.outputs[0], run.outputs[1]
    assert article.texts[bench.CLEANER] == article.document.body
    assert forum.texts[bench.CLEANER] == forum.texts[bench.CLEANER_THREAD]
    kept = set(forum.texts[bench.CLEANER].splitlines())
    assert set(forum.document.comments.splitlines()) <= kept and set(forum.document.body.splitlines()) <= kept
    # the same documents as clean_html gives, one page at a time
    assert forum.document.labels == cleaner.clean_html(pages[1].pair.html, pages[1].pair.url).labels


@needs_data
def test_the_command_prints_the_tables_and_writes_every_figure_as_json(tmp_path: Path, capsys) -> None:
    path = tmp_path / "figures.json"
    bench.main(["--sets", "wcxb-dev", "--limit", "2", "--json", str(path)])
    figures = json.loads(path.read_text(encoding="utf-8"))
    printed = capsys.readouterr().out
    assert figures["types"]["article"]["cleaner"]["n"] == 2 and figures[bench.WCXB_SET]["pages"] == 2
    assert set(figures["metadata"]["article"]) == {"title", "author", "date"}
    assert "WCXB, Murrough Foley (CC-BY-4.0)" in printed and printed.splitlines()[2].startswith("article")
