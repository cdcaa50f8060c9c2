"""Reading input: decoding bytes of any encoding into text (or a clear error), finding files, reading JSONL."""

from __future__ import annotations

import io
import os
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.pipeline.io import Source, find_sources, read_jsonl_records
from cleaner.text.decode import CONTROL, UTF8, InputError, control_count, decode, decode_bytes

from conftest import permissions_are_enforced

FRENCH = "Le maire a déclaré : « Déjà vu ». Les élèves sont arrivés à l'école en retard ; c'était naïf.\n"
GERMAN = "Die Straße in München war gesperrt. Größere Schäden gab es nicht, sagte die Polizei.\n"
SPANISH = "El niño comió la piña en la mañana. ¿Qué pasó después? Nadie lo sabe aún.\n"
SMART_QUOTES = "“Smart quotes” — and a dash… it’s a naïve café, 20 € each.\n"
POLISH = "Zażółć gęślą jaźń. Władze Łodzi poinformowały w środę, że ulica będzie zamknięta.\n"
RUSSIAN = "Привет, как дела? Это статья на русском языке о погоде в Москве.\n"
GREEK = "Αυτό είναι ένα άρθρο ειδήσεων στα ελληνικά. Η κυβέρνηση ανακοίνωσε σήμερα.\n"


def png_bytes() -> bytes:
    """A real 1x1 PNG image: signature, IHDR, IDAT and IEND chunks."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 6, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0\0")) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("text", "encoding", "detected"),
    [
        (FRENCH, "utf-8", "utf-8"),
        (FRENCH, "utf-8-sig", "utf-8-sig"),
        (FRENCH, "utf-16", "utf-16"),  # with a BOM
        (GERMAN, "utf-16-be", "utf_16_be"),  # without one: NUL bytes, but text
        (RUSSIAN, "utf-32", "utf-32"),
        (FRENCH, "latin-1", "cp1252"),
        (GERMAN, "latin-1", "cp1252"),
        (SPANISH, "latin-1", "cp1252"),
        (SMART_QUOTES, "cp1252", "cp1252"),
        ("caf\xe9", "latin-1", "cp1252"),
        (POLISH, "cp1250", "cp1250"),
        (RUSSIAN, "cp1251", "cp1251"),
        (GREEK, "cp1253", "cp1253"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-no-bom", "utf32", "latin1-fr", "latin1-de",
         "latin1-es", "cp1252-quotes", "latin1-short", "cp1250-pl", "cp1251-ru", "cp1253-el"],
)
def test_text_in_any_common_encoding_decodes_to_the_original(text: str, encoding: str, detected: str) -> None:
    decoded = decode(text.encode(encoding), "page.txt")
    assert decoded.text == text  # never mojibake; a byte-order mark is dropped
    assert decoded.encoding == detected
    assert decoded.guessed == (detected not in ("utf-8", "utf-8-sig", "utf-16", "utf-32"))
    assert decode_bytes(text.encode(encoding), "page.txt") == decoded.text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (png_bytes(), "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x1f\x8b\x08\x00" + bytes(12), "gzip"),
        (b"abc\x00def" + bytes(range(1, 9)) * 8, "NUL bytes"),
        (b"\x01\x02\x03abc\x04\x05\x06" * 10, "control characters"),
    ],
    ids=["png", "jpeg", "pdf", "gzip", "nul", "controls"],
)
def test_binary_data_is_refused_naming_the_file_and_what_it_is(data: bytes, expected: str) -> None:
    with pytest.raises(InputError, match="binary data") as raised:
        decode(data, "photo.txt")
    assert str(raised.value).startswith("photo.txt: ")
    assert expected in str(raised.value)


def test_bytes_of_no_telling_encoding_are_refused_not_guessed() -> None:
    with pytest.raises(InputError, match="encoding cannot be told") as raised:
        decode(bytes(range(0x80, 0x100)) * 3, "odd.txt")
    assert str(raised.value).startswith("odd.txt: not UTF-8")


def test_a_bom_with_invalid_bytes_after_it_is_an_error() -> None:
    with pytest.raises(InputError, match="not valid utf-8-sig"):
        decode(b"\xef\xbb\xbfgood\xffbad", "x.txt")


def test_a_few_stray_control_characters_do_not_make_text_binary() -> None:
    text = "Headline\n" + "A long paragraph of article text. " * 20 + "\x1b[0m\x07\n"
    assert decode(text.encode(), "x.txt").text == text


@given(st.text(alphabet=st.characters(codec="utf-8", max_codepoint=0x2FF) | st.sampled_from("\x00\x08\x0e\x1b\x7f\x80\x85\x9f\xa0\u0100")))
def test_controls_counted_on_utf8_bytes_are_those_of_the_text(text: str) -> None:
    assert control_count(text.encode(UTF8), text, UTF8) == len(CONTROL.findall(text))


def test_c1_controls_in_utf8_make_text_binary_as_c0_ones_do() -> None:
    with pytest.raises(InputError, match="40 control characters"):
        decode(("abc\u0085\u009f" * 20).encode(UTF8), "x.txt")


def test_empty_bytes_are_an_empty_text() -> None:
    assert decode(b"", "empty.txt").text == ""


def test_find_sources_reports_missing_paths_and_broken_links_and_walks_folders(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b").mkdir(parents=True)
    (root / "b" / "2.txt").write_text("two", encoding="utf-8")
    (root / "1.TXT").write_text("one", encoding="utf-8")
    (root / "notes.md").write_text("not an input", encoding="utf-8")
    os.symlink(tmp_path / "gone.txt", root / "dangling.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")
    found = list(find_sources([str(root), str(tmp_path / "absent.txt"), str(tmp_path / "link.txt"), os.devnull]))
    sources = [f for f in found if isinstance(f, Source)]
    errors = [str(f) for f in found if isinstance(f, InputError)]
    assert [s.relative.as_posix() for s in sources] == ["1.TXT", "b/2.txt"]
    assert errors == [
        f"{root / 'dangling.txt'}: broken symbolic link (its target {tmp_path / 'gone.txt'} does not exist)",
        f"{tmp_path / 'absent.txt'}: no such file or folder",
        f"{tmp_path / 'link.txt'}: broken symbolic link (its target {tmp_path / 'gone.txt'} does not exist)",
        f"{os.devnull}: not a regular file, folder or pipe",
    ]


@pytest.mark.skipif(not permissions_are_enforced(), reason="mode 000 does not stop root")
def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "in" / "locked"
    locked.mkdir(parents=True)
    (locked / "x.txt").write_text("x", encoding="utf-8")
    locked.chmod(0)
    try:
        errors = [str(f) for f in find_sources([str(tmp_path / "in")]) if isinstance(f, InputError)]
    finally:
        locked.chmod(0o755)
    assert errors == [f"{locked}: cannot list the folder (Permission denied); its files were not read"]


def test_jsonl_records_report_each_bad_line_by_number() -> None:
    lines = [
        b'\xef\xbb\xbf{"id": 1, "text": "a BOM before the first record"}',
        b'{"id": 2, "text": "caf\xe9"}',
        b'{"id": 3, "paragraphs": ["x", 4]}',
        b"",
        b'{"id": 5}',
        b'{"id": 6, "paragraphs": ["fine"]}',
    ]
    results = list(read_jsonl_records(io.BytesIO(b"\n".join(lines) + b"\n"), "in.jsonl"))
    assert [r["id"] for r in results if isinstance(r, dict)] == [1, 6]
    errors = [str(r) for r in results if isinstance(r, InputError)]
    assert errors[0].startswith("in.jsonl:2: not UTF-8")
    assert errors[1].startswith("in.jsonl:3: 'paragraphs' must be a list of strings")
    assert errors[2] == "in.jsonl:5: the record has neither 'paragraphs' nor 'text'"
