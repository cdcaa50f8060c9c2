"""Labeling with Label Studio and doccano: review tasks of whole documents (`tasks`), the projects' settings
(`configs`), and the field names both sides agree on (`schema`); `cleaner.training.data` reads the exports."""

from .configs import CONFIG_FILES, labeling_config
from .tasks import (
    DEFAULT_FORMAT, DOCCANO, FORMATS, LABEL_STUDIO, ReviewDocument, doccano_record, label_studio_task,
    least_confident, model_version, review_lines,
)

__all__ = [
    "CONFIG_FILES", "DEFAULT_FORMAT", "DOCCANO", "FORMATS", "LABEL_STUDIO", "ReviewDocument", "doccano_record",
    "label_studio_task", "labeling_config", "least_confident", "model_version", "review_lines",
]
