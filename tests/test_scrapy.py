"""The Scrapy pipeline: settings, NotConfigured, and a real crawl of pages served on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from cleaner.integrations.scrapy import CleanerPipeline, PipelineOptions, SettingsError
from cleaner.labels import Label

from conftest import REPO

CRAWL_TIMEOUT_S = 180
PROSE = {
    "a": "The harbour in the old town was closed on Tuesday after a storm damaged two of its piers, the port "
         "authority said, and it will stay closed for at least a week while engineers inspect the damage.",
    "b": "The caf\u00e9 on the quay reopened on Friday after the floods, its owner said, and the fishermen who "
         "had lost their boats came in for coffee before they went to look at what the storm had left.",
    "c": "The council in the old town voted on Monday to rebuild the piers before the winter, and the work "
         "will start next month, the mayor said, after engineers finish their inspection of the harbour.",
}
MORE = ("Fishermen said the closure would cost them most of the season's best week, and several of them asked "
        "the council for help with the cost of moving their boats to the next harbour along the coast.")
# The rest of the story: a real article has more than two paragraphs (on a two-paragraph page with a comment
# section the text model alone can take the article for comments; the HTML path's section priors keep it body).
REST = ("The port authority said ferries would use the northern quay in the meantime, and that the timetable "
        "would not change, although passengers should allow more time to board during the repairs.",
        "Engineers expect to publish their report on the piers by the end of the month, when the council will "
        "decide how much of the rebuilding it can pay for from its own budget this year.")
COMMENT = "reader1 says: I live by the harbour and this is exactly what happened to us last night, thank you."


def article(key: str, charset: str) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>Harbour news {key}</title>
<meta name="author" content="Jane Doe"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour news {key}</h1><p>{PROSE[key]}</p><p>{MORE}</p>{"".join(f"<p>{p}</p>" for p in REST)}</article>
<div id="comments" class="comments"><h3>2 comments</h3><div class="comment"><p>{COMMENT}</p></div></div>
<footer>&copy; 2021 Daily Courier. All rights reserved.</footer></body></html>"""


SPIDER = '''
import dataclasses, sys
import scrapy
from scrapy.crawler import CrawlerProcess

BASE, OUT = sys.argv[1], sys.argv[2]


@dataclasses.dataclass
class PageData:
    url: str
    html: str
    body: str | None = None
    comments: str | None = None
    metadata: dict | None = None


class PageItem(scrapy.Item):
    url = scrapy.Field()
    html = scrapy.Field()
    body = scrapy.Field()
    comments = scrapy.Field()
    metadata = scrapy.Field()


class Pages(scrapy.Spider):
    name = "pages"
    start_urls = [BASE + "index.html"]

    def parse(self, response):
        yield from response.follow_all(css="a.story", callback=self.parse_page)

    def parse_page(self, response):
        key = response.url.rsplit("/", 1)[-1][0]
        if key == "a":
            yield {"url": response.url, "html": response.text}
        elif key == "b":
            yield PageItem(url=response.url, html=response.body)  # raw bytes: cleaner decodes them
        else:
            yield PageData(url=response.url, html=response.text)


process = CrawlerProcess(settings={
    "ITEM_PIPELINES": {"cleaner.integrations.scrapy.CleanerPipeline": 300},
    "CLEANER_KEEP": ["body", "comments"],
    "FEEDS": {OUT: {"format": "jsonlines", "fields": ["url", "body", "comments", "metadata"]}},
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
})
process.crawl(Pages)
process.start()
'''


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """Three article pages (one in windows-1252) and an index linking them, served on 127.0.0.1."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(
        "<html><body>" + "".join(f'<a class="story" href="{k}.html">{k}</a> ' for k in PROSE) + "</body></html>",
        encoding="utf-8")
    (root / "a.html").write_text(article("a", "utf-8"), encoding="utf-8")
    (root / "b.html").write_bytes(article("b", "windows-1252").encode("cp1252"))
    (root / "c.html").write_text(article("c", "utf-8"), encoding="utf-8")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_real_crawl_cleans_dicts_items_and_dataclasses(site: str, tmp_path: Path) -> None:
    script = tmp_path / "crawl.py"
    script.write_text(SPIDER, encoding="utf-8")
    out = tmp_path / "items.jsonl"
    done = subprocess.run([sys.executable, str(script), site, str(out)], cwd=REPO, capture_output=True, text=True,
                          timeout=CRAWL_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    assert "Deprecat" not in done.stderr, done.stderr  # the pipeline follows Scrapy's current conventions
    items = {item["url"].rsplit("/", 1)[-1][0]: item for item in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert sorted(items) == ["a", "b", "c"], done.stderr
    for key, item in items.items():
        assert PROSE[key] in item["body"]  # the dict, the Item (given bytes in windows-1252) and the dataclass
        assert "Home" not in item["body"] and "All rights reserved" not in item["body"]
        assert COMMENT not in item["body"]
        assert item["metadata"]["author"] == "Jane Doe"
        assert item["metadata"]["url"] == item["url"]
        assert isinstance(item["comments"], str)


def test_disabled_is_not_configured() -> None:
    with pytest.raises(NotConfigured):
        CleanerPipeline.from_crawler(get_crawler(settings_dict={"CLEANER_ENABLED": False}))


def test_settings_choose_fields_and_labels() -> None:
    options = PipelineOptions.from_settings({"CLEANER_KEEP": "body,comments", "CLEANER_OUTPUT_FIELDS": {"body": "article"},
                                             "CLEANER_SOURCE_FIELD": "page", "CLEANER_METADATA_FIELD": None})
    assert options.outputs == {Label.BODY: "article", Label.COMMENTS: "comments"}
    assert options.source_field == "page" and options.metadata_field is None
    for bad in ({"CLEANER_KEEP": ["body", "footer"]}, {"CLEANER_SOURCE_FORMAT": "pdf"}):
        with pytest.raises(SettingsError, match="footer|pdf"):
            PipelineOptions.from_settings(bad)


def test_from_crawler_loads_the_model_and_reads_the_settings(shipped_model) -> None:
    pipeline = CleanerPipeline.from_crawler(get_crawler(settings_dict={"CLEANER_SOURCE_FORMAT": "text"}))
    assert pipeline.model.path == shipped_model.path
    assert pipeline.options.source_format == "text" and pipeline.options.outputs == {Label.BODY: "body"}


RUNSPIDER = '''
import json
import scrapy


class Odd(scrapy.Spider):
    name = "odd"
    custom_settings = {"ITEM_PIPELINES": {"cleaner.integrations.scrapy.CleanerPipeline": 300},
                       "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "INFO"}

    def __init__(self, base, stats_out, **kwargs):
        super().__init__(**kwargs)
        self.start_urls, self.stats_out = [base + "a.html"], stats_out

    def parse(self, response):
        yield {"url": response.url, "html": response.text}
        yield {"url": "n", "html": 12345}
        yield {"url": "e", "html": "   "}
        yield {"url": "b", "html": bytes(range(256)) * 40}
        yield {"url": "x"}

    def closed(self, reason):
        with open(self.stats_out, "w") as handle:
            json.dump({k: v for k, v in self.crawler.stats.get_stats().items() if k.startswith(("cleaner/", "item_"))},
                      handle)
'''


def runspider(tmp_path: Path, site: str, *settings: str) -> tuple[subprocess.CompletedProcess, Path, Path]:
    """`scrapy runspider` of RUNSPIDER against the site, with `-s` settings: the process, its items and stats files."""
    spider, items, stats = tmp_path / "odd.py", tmp_path / "odd.jsonl", tmp_path / "stats.json"
    spider.write_text(RUNSPIDER, encoding="utf-8")
    args = [sys.executable, "-m", "scrapy", "runspider", str(spider), "-a", f"base={site}", "-a", f"stats_out={stats}",
            "-o", f"{items}:jsonlines"]
    for setting in settings:
        args += ["-s", setting]
    return subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=CRAWL_TIMEOUT_S), items, stats


@pytest.mark.parametrize("setting, problem", [
    ("CLEANER_KEEP=body,comment", "CLEANER_KEEP"), ("CLEANER_SOURCE_FORMAT=markdown", "CLEANER_SOURCE_FORMAT"),
    ("CLEANER_OUTPUT_FIELDS=[1, 2", "CLEANER_OUTPUT_FIELDS"),
])
def test_a_misconfigured_pipeline_fails_the_crawl(site: str, tmp_path: Path, setting: str, problem: str) -> None:
    done, items, _ = runspider(tmp_path, site, setting)
    assert done.returncode == 1, done.stderr
    assert "SettingsError" in done.stderr and problem in done.stderr
    assert not items.exists() or not items.read_text(encoding="utf-8").strip()  # no raw items went out


def test_items_that_cannot_be_cleaned_are_dropped_with_reasons_and_counted(site: str, tmp_path: Path) -> None:
    done, items, stats = runspider(tmp_path, site, 'CLEANER_OUTPUT_FIELDS={"body": "text"}', "CLEANER_DROP_SOURCE=1")
    assert done.returncode == 0, done.stderr
    written = {item["url"].rsplit("/", 1)[-1]: item for item in map(json.loads, items.read_text().splitlines())}
    assert sorted(written) == ["a.html", "x"]  # the cleaned page, and the item without a source (passed through)
    assert PROSE["a"] in written["a.html"]["text"] and "html" not in written["a.html"]
    assert "is int, not text or bytes" in done.stderr and "is empty" in done.stderr and "binary data" in done.stderr
    counted = json.loads(stats.read_text())
    assert counted["cleaner/cleaned"] == 1 and counted["cleaner/items_without_source"] == 1
    assert counted["cleaner/dropped/not_text"] == 1 and counted["cleaner/dropped/empty_source"] == 1
    assert counted["cleaner/dropped/unreadable"] == 1 and counted["item_dropped_count"] == 3
    assert "cleaner: cleaned 1 items (" in done.stderr and "dropped 3, passed 1 without 'html'" in done.stderr
