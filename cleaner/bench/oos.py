"""Out-of-source validation: a model trained on one source, tested on another, per rendering and label.

Site-grouped cross-validation inside one benchmark flatters: its sites share the benchmark's way of choosing and
rendering pages. Here the sources are the 181 news pages of ../shared/data/train (with their page and extractor
renderings, and the seeds) and the labeled pages of WCXB (wcxb-dev and wcxb-dev-other, credit "WCXB, Murrough
Foley", CC-BY-4.0), each in the renderings of `cleaner.training.renderings`::

    python -m cleaner.bench.oos ../shared/data models/labels/pages.jsonl --train news      # news -> wcxb
    python -m cleaner.bench.oos ../shared/data models/labels/pages.jsonl --train wcxb      # wcxb -> news
    python -m cleaner.bench.oos ../shared/data models/labels/pages.jsonl --shipped         # the shipped model
    python -m cleaner.bench.oos ../shared/data models/labels/pages.jsonl --train news --hold-out-seeds

`--skip-page-type forum` leaves the forum threads out of the training documents (the test sets keep them): the
recipe of the shipped model (models/README.md). `--only-page-type forum` tests on the forum threads alone (with
`--shipped`, the shipped model or `--model PATH`, which never saw them). `--hold-out-seeds` trains the news run
without the five seeds and labels them too: the seeds held out.

`--save MODEL` keeps the model a `--train` run fitted, with its out-of-source figures in the card: the shipped
model is the news run's (models/README.md).

The shipped model is the news run's, so `--shipped` figures are in sample on the news sets and out of source on
the WCXB ones; the two `--train` runs are the out-of-source figures of its pipeline both ways (models/README.md).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from ..training.data import LabeledDocument, read_labeled
from ..training.evaluate import report
from ..labels import LABELS
from ..training.pages import page_type, read_labeled_pages, source_and_rendering, without_types
from ..model.persist import load_model, save_model
from ..training.augment import AUGMENT_RATE
from ..training.options import TrainingOptions

SOURCES = {"pages": "news", "wcxb-dev": "wcxb", "wcxb-dev-other": "wcxb"}  # folder under ../shared/data -> source
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "labels.jsonl"


def sets(data: Path, labels: Path) -> dict[tuple[str, str], list[LabeledDocument]]:
    """The labeled documents by (source, rendering); the news pages' container rendering is the reviewed training set."""
    found: dict[tuple[str, str], list[LabeledDocument]] = defaultdict(list)
    for doc in read_labeled_pages(data, labels):
        folder, rendering = source_and_rendering(doc)
        found[SOURCES[folder], rendering].append(doc)
    found["news", "container"] = read_labeled([data / "train"])
    return dict(found)


def rows(model, documents: dict[tuple[str, str], list[LabeledDocument]]) -> dict[str, dict]:
    """Per (source, rendering): documents, macro-F1, body word-F1 and each label's F1 and support."""
    table = {}
    for (source, rendering), docs in sorted(documents.items()):
        result = report(docs, model.predict([doc.paragraphs for doc in docs]))
        table[f"{source}/{rendering}"] = {
            "documents": len(docs), "macro_f1": result.macro_f1, "body_word_f1": result.body_word_f1,
            "paragraphs": result.paragraphs, "right": sum(result.confusion[k][k] for k in range(len(LABELS))),
            "f1": {label: m["f1"] for label, m in result.per_label.items()},
            "support": {label: m["support"] for label, m in result.per_label.items()},
        }
    return table


def markdown(table: dict[str, dict]) -> str:
    head = "| test set | docs | macro-F1 | body word-F1 | " + " | ".join(LABELS) + " |"
    lines = [head, "|" + "---|" * (4 + len(LABELS))]
    for name, row in table.items():
        cells = [f"{row['f1'][label]:.3f} ({row['support'][label]})" for label in LABELS]
        lines.append(f"| {name} | {row['documents']} | {row['macro_f1']:.3f} | {row['body_word_f1']:.3f} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="../shared/data: one folder per source")
    parser.add_argument("labels", type=Path, help="models/labels/pages.jsonl")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--train", choices=sorted(set(SOURCES.values())), help="train on this source, test on the others")
    group.add_argument("--shipped", action="store_true", help="test the shipped model on every set")
    parser.add_argument("--augment", type=float, default=AUGMENT_RATE,
                        help=f"share of training documents given a synthetic copy (default {AUGMENT_RATE}; 0: off)")
    parser.add_argument("--skip-page-type", dest="skip_types", action="append", default=[], metavar="TYPE",
                        help="leave the pages of this WCXB page type out of the training documents (repeatable)")
    parser.add_argument("--only-page-type", dest="only_types", action="append", default=[], metavar="TYPE",
                        help="test on the pages of this WCXB page type alone (repeatable)")
    parser.add_argument("--model", type=Path, help="with --shipped: this model file instead of the shipped one")
    parser.add_argument("--hold-out-seeds", action="store_true",
                        help="with --train news: train without the seeds, and test on them too")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--save", type=Path, metavar="MODEL", help="with --train: also save the model, with the "
                        "figures in its card")
    args = parser.parse_args(argv)
    if args.save and not args.train:
        parser.error("--save needs --train")
    if args.hold_out_seeds and (args.train != "news" or args.save):
        parser.error("--hold-out-seeds needs --train news, and the model it fits is not the shipped one (no --save)")
    if args.model and not args.shipped:
        parser.error("--model needs --shipped")
    documents = sets(args.data, args.labels)
    if args.shipped:
        model, tested = load_model(args.model).estimator, documents
    else:
        training = [doc for (source, _), docs in documents.items() if source == args.train for doc in docs
                    if page_type(args.data, doc) not in args.skip_types]
        seeds = read_labeled([SEEDS]) if args.train == "news" else []
        training += [] if args.hold_out_seeds else seeds
        started = time.perf_counter()
        options = TrainingOptions(augment_rate=args.augment, verbose=1)
        model = options.fit(training)
        print(f"trained on {args.train}: {len(training)} documents in {time.perf_counter() - started:.0f} s")
        tested = {key: docs for key, docs in documents.items() if key[0] != args.train}
        tested |= {("seeds", "container"): seeds} if args.hold_out_seeds else {}
    if args.only_types:
        tested = {key: kept for key, docs in tested.items()
                  if (kept := [doc for doc in docs if page_type(args.data, doc) in args.only_types])}
    table = rows(model, tested)
    print(markdown(table))
    if "seeds/container" in table:
        print(f"seeds held out: {table['seeds/container']['right']} of {table['seeds/container']['paragraphs']} "
              "paragraphs right")
    if args.json:
        args.json.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    if args.save:
        save_model(model, args.save, _training_card(args, options, training), {"out_of_source": table})
        print(f"wrote {args.save}")


def _training_card(args: argparse.Namespace, options: TrainingOptions, training: list[LabeledDocument]) -> dict:
    """The `training` part of a saved model's card, with the command that made it."""
    folders = [folder for folder, source in SOURCES.items() if source == args.train]
    sources = [f"{args.labels.name} (pages of {', '.join(folders)}, every rendering{without_types(args.skip_types)})"]
    return options.card(training, sources + (["train", SEEDS.name] if args.train == "news" else [])) | {
        "command": f"python -m cleaner.bench.oos DATA {args.labels.name} --train {args.train} "
                   + "".join(f"--skip-page-type {kind} " for kind in args.skip_types) + "--save MODEL"}


if __name__ == "__main__":
    main()
