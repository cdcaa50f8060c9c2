"""The command line, through click's CliRunner: help, clean, label and train."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest

from cleaner import Label, clean as clean_text
from cleaner.training.data import fingerprint, read_labeled
from cleaner.labels import LABELS
from cleaner.model.persist import card_path, default_model_path
from cleaner.text.segment import split_paragraphs, split_spans
from cleaner.cli import commands
from cleaner.pipeline.io import Source
from cleaner.cli import main

from conftest import SEEDS_DIR, labeled_records, read_jsonl_file, run_cli as run, synthetic_document, write_jsonl

SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))


def seed(prefix: str) -> Path:
    (path,) = [p for p in SEED_FILES if p.name.startswith(prefix)]
    return path


def headline_then_body(text: str) -> str:
    """What `clean` writes by default: the title once, then the body paragraphs, one per line."""
    document = clean_text(text)
    lines = [document.title, *(p.text for p in document.paragraphs if p.label is Label.BODY)]
    return "\n".join(line for line in lines if line) + "\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An input folder with seed texts nested two levels deep, and a file that is not .txt."""
    root = tmp_path / "in"
    (root / "sub" / "deeper").mkdir(parents=True)
    shutil.copy(seed("000"), root / "a.txt")
    shutil.copy(seed("002"), root / "sub" / "b.txt")
    shutil.copy(seed("004"), root / "sub" / "deeper" / "c.txt")
    (root / "sub" / "notes.md").write_text("# not an input\n", encoding="utf-8")
    return root


# --- help -------------------------------------------------------------------------------------------------------


def test_the_group_has_help() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert main.help and main.help.strip()
    assert set(main.commands) >= {"clean", "label", "train", "evaluate"}


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_and_option_has_help(name: str) -> None:
    command = main.commands[name]
    assert command.help and command.help.strip(), f"`cleaner {name}` has no help text"
    undocumented = [p.name for p in command.params if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert not undocumented, f"`cleaner {name}` options without help: {undocumented}"
    result = run(name, "--help")
    assert result.exit_code == 0
    assert command.help.strip().splitlines()[0] in " ".join(result.output.split())


# --- clean ------------------------------------------------------------------------------------------------------


def test_clean_mirrors_a_nested_folder_with_headline_then_body(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("clean", tree, "-o", out)
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["a.txt", "sub/b.txt", "sub/deeper/c.txt"]
    for name in written:
        source = (tree / name).read_text(encoding="utf-8")
        assert (out / name).read_text(encoding="utf-8") == headline_then_body(source)


def test_clean_writes_the_title_once_and_drops_boilerplate(tmp_path: Path) -> None:
    result = run("clean", seed("004"), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "out" / seed("004").name).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Coalition targets Daesh men from stranded convoy"
    assert lines.count(lines[0]) == 1  # the seed repeats its headline four times
    assert "Follow" not in lines
    assert len(lines) < len(split_paragraphs(seed("004").read_text(encoding="utf-8")))


def test_keep_comments_changes_what_is_written(tmp_path: Path) -> None:
    assert run("clean", seed("000"), "-o", tmp_path / "default").exit_code == 0
    assert run("clean", seed("000"), "-o", tmp_path / "comments", "--keep", "comments").exit_code == 0
    default = (tmp_path / "default" / seed("000").name).read_text(encoding="utf-8")
    comments = (tmp_path / "comments" / seed("000").name).read_text(encoding="utf-8")
    document = clean_text(seed("000").read_text(encoding="utf-8"))
    assert comments == document.comments + "\n"
    assert comments != default
    assert document.body.split("\n")[0] in default and document.body.split("\n")[0] not in comments


def test_an_unknown_keep_label_is_a_usage_error(tmp_path: Path) -> None:
    result = run("clean", seed("000"), "-o", tmp_path / "out", "--keep", "body,footer")
    assert result.exit_code == 2
    assert "footer" in result.output
    assert not (tmp_path / "out").exists()


def test_clean_jsonl_writes_one_aligned_record_per_document(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("clean", tree, "--format", "jsonl", "-o", out)
    assert result.exit_code == 0, result.output
    records = read_jsonl_file(out)
    assert [r["id"] for r in records] == ["a.txt", "sub/b.txt", "sub/deeper/c.txt"]
    for record in records:
        text = (tree / record["id"]).read_text(encoding="utf-8")
        assert record["paragraphs"] == split_paragraphs(text)
        assert len(record["labels"]) == len(record["confidences"]) == len(record["paragraphs"])
        assert set(record["labels"]) <= set(LABELS)
        assert all(0 <= c <= 1 for c in record["confidences"])
        for name in LABELS:
            kept = [p for p, lab in zip(record["paragraphs"], record["labels"]) if lab == name]
            assert record[name] == "\n".join(kept)


def test_a_long_text_file_is_split_before_it_is_labeled_and_cleaned_the_same(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text file longer than LONG_TEXT_CHARS goes to the library as its spans (its text is not held while it is
    labeled); what the run writes is the same."""
    source = Source(tree / "a.txt", Path("a.txt"), "text")
    text = source.path.read_text(encoding="utf-8")
    assert commands._file_document(text, source) == {"text": text}
    outputs = []
    for limit in (commands.LONG_TEXT_CHARS, 0):
        monkeypatch.setattr(commands, "LONG_TEXT_CHARS", limit)
        out = tmp_path / f"out-{limit}"
        result = run("clean", tree, "-o", out, "--keep", "body,headline,byline")
        assert result.exit_code == 0, result.output
        outputs.append({path.relative_to(out): path.read_text(encoding="utf-8") for path in out.rglob("*.txt")})
    assert commands._file_document(text, source) == {"paragraphs": split_spans(text)}
    assert len(outputs[0]) == 3 and outputs[0] == outputs[1]


def test_clean_reads_stdin_and_writes_stdout() -> None:
    text = seed("001").read_text(encoding="utf-8")
    result = run("clean", "-", input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert result.stdout == headline_then_body(text)
    assert "1 documents" in result.stderr


def test_a_missing_input_is_reported_and_the_others_are_still_written(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "gone.txt"
    out = tmp_path / "out"
    result = run("clean", seed("000"), missing, seed("001"), "-o", out)
    assert result.exit_code == 1
    assert str(missing) in result.stderr
    assert (out / seed("000").name).is_file() and (out / seed("001").name).is_file()


def test_several_inputs_to_stdout_is_a_usage_error() -> None:
    result = run("clean", seed("000"), seed("001"))
    assert result.exit_code == 2
    assert "-o" in result.output


def test_two_inputs_with_the_same_name_do_not_overwrite_each_other(tmp_path: Path) -> None:
    # Nothing is silently lost: two inputs called x.txt must not end up as one output file.
    for folder, prefix in (("one", "000"), ("two", "001")):
        (tmp_path / folder).mkdir()
        shutil.copy(seed(prefix), tmp_path / folder / "x.txt")
    out = tmp_path / "out"
    result = run("clean", tmp_path / "one" / "x.txt", tmp_path / "two" / "x.txt", "-o", out)
    written = {p.read_text(encoding="utf-8") for p in out.rglob("*.txt")}
    expected = {headline_then_body(seed(prefix).read_text(encoding="utf-8")) for prefix in ("000", "001")}
    assert result.exit_code != 0 or written == expected, f"exit {result.exit_code}, {len(written)} distinct outputs"


# --- model option -----------------------------------------------------------------------------------------------


def copied(source: Path, target: Path) -> Path:
    """A model file and its card, copied to `target` (outside the package)."""
    target.parent.mkdir(exist_ok=True)
    shutil.copy(source, target)
    shutil.copy(card_path(source), card_path(target))
    return target


@pytest.mark.parametrize("command", ["clean", "label"])
def test_a_pickled_model_outside_the_package_needs_trust_model(tiny_pickled: Path, tmp_path: Path, command: str) -> None:
    source = seed("000") if command == "clean" else write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "paragraphs": ["x"]}])
    out = tmp_path / "out"
    result = run(command, source, "-o", out, "--model", copied(tiny_pickled, tmp_path / "models" / "copy.joblib"))
    assert result.exit_code == 2
    assert "--trust-model" in result.output
    assert not out.exists()


def test_trust_model_loads_a_pickled_model_from_outside_the_package(tiny_pickled: Path, tmp_path: Path) -> None:
    model = copied(tiny_pickled, tmp_path / "models" / "copy.joblib")
    result = run("clean", seed("000"), "-o", tmp_path / "out", "--model", model, "--trust-model")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / seed("000").name).exists()


def test_a_copy_of_the_shipped_model_loads_from_anywhere_without_trust(tmp_path: Path) -> None:
    model = copied(default_model_path(), tmp_path / "models" / "copy.npz")
    result = run("clean", seed("000"), "-o", tmp_path / "out", "--model", model)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / seed("000").name).read_text(encoding="utf-8") == headline_then_body(
        seed("000").read_text(encoding="utf-8")
    )


# --- label ------------------------------------------------------------------------------------------------------

LABEL_RECORDS = [
    {
        "id": "first",
        "paragraphs": [
            "Storm closes the harbour",
            "The harbour was closed on Tuesday. Engineers will inspect the piers next week.",
            "Share on Facebook",
            "Share on Facebook",
        ],
        "url": "https://example.org/harbour",
        "meta": {"site": "example", "rank": 3},
    },
    {"id": "second", "paragraphs": ["One paragraph only, with two sentences. Here is the second one."], "lang": "en"},
    {"id": "empty", "paragraphs": [], "note": None},
]


def test_label_adds_aligned_labels_and_keeps_the_records(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", LABEL_RECORDS)
    out = tmp_path / "out.jsonl"
    result = run("label", source, "-o", out)
    assert result.exit_code == 0, result.output
    records = read_jsonl_file(out)
    assert len(records) == len(LABEL_RECORDS)
    for given, record in zip(LABEL_RECORDS, records):
        assert {k: v for k, v in record.items() if k not in ("labels", "confidences")} == given
        assert len(record["labels"]) == len(record["confidences"]) == len(given["paragraphs"])
        assert set(record["labels"]) <= set(LABELS)
        assert all(0 <= c <= 1 for c in record["confidences"])


def test_label_splits_a_text_record_into_paragraphs(tmp_path: Path) -> None:
    text = seed("003").read_text(encoding="utf-8")
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "t", "text": text}])
    result = run("label", source, "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl_file(tmp_path / "out.jsonl")
    assert record["paragraphs"] == split_paragraphs(text)
    assert record["labels"] == clean_text(text).labels
    assert len(record["confidences"]) == len(record["paragraphs"])


def test_label_keeps_the_text_field_of_a_text_record(tmp_path: Path) -> None:
    # The README's contract: each input record is written "with its fields unchanged", plus the new fields.
    given = {"id": "t", "text": "Storm closes the harbour\nThe harbour was closed on Tuesday."}
    source = write_jsonl(tmp_path / "in.jsonl", [given])
    result = run("label", source, "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl_file(tmp_path / "out.jsonl")
    assert {key: record.get(key) for key in given} == given


def test_label_keeps_ids_as_given(tmp_path: Path) -> None:
    records = [{"id": 7, "paragraphs": ["Storm closes the harbour"]}, {"id": "007", "paragraphs": ["Share"]}]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    result = run("label", source, "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in read_jsonl_file(tmp_path / "out.jsonl")] == [7, "007"]


def test_label_reports_a_malformed_line_and_goes_on(tmp_path: Path) -> None:
    lines = [LABEL_RECORDS[0], '{"id": "broken", "paragraphs": [', LABEL_RECORDS[1], '["not", "an", "object"]']
    source = write_jsonl(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    result = run("label", source, "-o", out)
    assert result.exit_code == 1
    assert f"{source}:2" in result.stderr
    assert f"{source}:4" in result.stderr
    assert [r["id"] for r in read_jsonl_file(out)] == ["first", "second"]


def test_label_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("label", tmp_path / "absent.jsonl", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 2
    assert "absent.jsonl" in result.output


# --- train ------------------------------------------------------------------------------------------------------


def train_and_use(data: list[Path], tmp_path: Path) -> None:
    """Train with --cv 0, check the model and its card, and clean a document with the new model."""
    model = tmp_path / "trained" / "model.npz"
    result = run("train", *data, "-o", model, "--cv", "0")
    assert result.exit_code == 0, result.output + repr(result.exception)
    card = json.loads(card_path(model).read_text(encoding="utf-8"))
    assert card["labels"] == list(LABELS)
    assert card["training"]["data_sha256"] == fingerprint(read_labeled(data))
    assert card["training"]["documents"] == sum(len(read_jsonl_file(path)) for path in data)

    page = tmp_path / "page.txt"
    page.write_text("\n".join(synthetic_document(42)[0]) + "\n", encoding="utf-8")
    out = tmp_path / "cleaned"
    result = run("clean", page, "-o", out, "--format", "jsonl", "--model", model)
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl_file(out)
    assert record["paragraphs"] == synthetic_document(42)[0]
    # The synthetic pages are regular enough that even a model trained on a handful of them gets most labels right.
    agree = sum(a == b for a, b in zip(record["labels"], synthetic_document(42)[1]))
    assert agree >= 0.7 * len(record["labels"])


def test_train_on_one_small_jsonl_file_writes_a_usable_model(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "small.jsonl", labeled_records(6))
    train_and_use([data], tmp_path)


def test_train_on_two_small_jsonl_files_writes_a_usable_model(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "one.jsonl", labeled_records(3, prefix="one-"))
    second = write_jsonl(tmp_path / "two.jsonl", [dict(r, id=f"two-{k}") for k, r in enumerate(labeled_records(6)[3:])])
    train_and_use([first, second], tmp_path)


def test_train_refuses_bad_data_with_its_location(tmp_path: Path) -> None:
    records = labeled_records(2)
    records[1]["labels"][0] = "title"
    data = write_jsonl(tmp_path / "bad.jsonl", records)
    result = run("train", data, "-o", tmp_path / "model.npz", "--cv", "0")
    assert result.exit_code == 2
    assert f"{data}:2" in result.output
    assert not (tmp_path / "model.npz").exists()


@pytest.mark.parametrize("command", [[], ["clean"], ["train"], ["gate"]])
def test_dash_h_is_help_for_the_group_and_every_command(command: list[str]) -> None:
    result = run(*command, "-h")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("Usage: ") and " ".join(["", *command, "[OPTIONS]"]) in first
    assert "-h, --help" in result.output


def test_the_package_and_the_command_tell_the_same_version() -> None:
    import cleaner

    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip().endswith(f", version {cleaner.__version__}")  # the runner names the program "main"
    assert cleaner.__version__[0].isdigit() and "__version__" in cleaner.__all__


SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))


@pytest.mark.parametrize("command", ["clean", "show"])
def test_quiet_says_nothing_but_errors_and_verbose_adds_the_timing(tmp_path: Path, command: str) -> None:
    target = ["-o", tmp_path / ("out" if command == "clean" else "report.html")]
    normal = run(command, *SEED_FILES[:2], *target)
    assert normal.exit_code == 0 and "2 documents" in normal.stderr
    quiet = run(command, *SEED_FILES[:2], *target, "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    verbose = run(command, *SEED_FILES[:2], *target, "--verbose")
    assert verbose.exit_code == 0 and " s (" in verbose.stderr and "paragraphs/s)" in verbose.stderr
    failed = run(command, tmp_path / "missing.txt", *target, "-q")
    assert failed.exit_code == 1 and "missing.txt: no such file" in failed.stderr and "documents" not in failed.stderr


@pytest.mark.parametrize("order", [("-q", "-v"), ("-v", "-q")])
def test_quiet_and_verbose_together_are_a_usage_error(tmp_path: Path, order: tuple[str, str]) -> None:
    done = run("clean", SEED_FILES[0], "-o", tmp_path / "out", *order)
    assert done.exit_code == 2 and "-q and -v" in done.stderr and not (tmp_path / "out").exists()


def test_the_progress_bar_shows_the_share_done_and_time_left_when_the_total_is_known() -> None:
    import io

    from cleaner.pipeline.progress import Progress

    for total, expected in ((4, "4/4"), (None, "4 docs")):
        stream = io.StringIO()
        progress = Progress(stream, enabled=True, total=total)
        for _ in range(4):
            progress.update(10)
        progress.close()
        assert expected in stream.getvalue()
        assert ("100%" in stream.getvalue()) == (total is not None)  # and tqdm's time left, "<00:00"
