"""Training and evaluation: labeled-data readers, augmentation, HTML label alignment, reviewed pages, the training
options, evaluation and cross-validation, and the gate. `python -m cleaner.training.measure_priors` measures the
HTML section priors."""

from .data import DataError, LabeledDocument, LabelMap, read_labeled
from .evaluate import Report, cross_validate, report
from .gate import Gate, GateError, run_gate
from .options import DEFAULT_SEED, TrainingOptions

__all__ = [
    "DEFAULT_SEED",
    "DataError",
    "Gate",
    "GateError",
    "LabelMap",
    "LabeledDocument",
    "Report",
    "TrainingOptions",
    "cross_validate",
    "read_labeled",
    "report",
    "run_gate",
]
