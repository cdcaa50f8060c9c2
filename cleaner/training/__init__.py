"""Training and evaluation: labeled-data readers, augmentation, HTML label alignment, reviewed pages, the training
options, evaluation and cross-validation, and the gate (each imported on first use). `python -m
cleaner.training.measure_priors` measures the HTML section priors."""

from .._lazy import lazy_exports

_PUBLIC = {
    "DEFAULT_SEED": "options",
    "DataError": "data",
    "Gate": "gate",
    "GateError": "gate",
    "LabelMap": "data",
    "LabeledDocument": "data",
    "Report": "evaluate",
    "TrainingOptions": "options",
    "cross_validate": "evaluate",
    "read_labeled": "data",
    "report": "evaluate",
    "run_gate": "gate",
}

__all__ = sorted(_PUBLIC)
__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)
