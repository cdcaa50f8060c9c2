"""The classifier: features of paragraphs in their document, hashing, the n-gram and tree fast paths, the
classifier itself, and the model files it is saved in and loaded from."""

from typing import Any

from .features import TextBatch, batch_context_features, lexical_features
from .persist import Model, ModelError, default_model_path, load_model, save_model

# The classifier pulls in scikit-learn's estimators; it is imported when first asked for (unpickling the
# shipped model asks for `cleaner.model.ParagraphClassifier`), so that `import cleaner` stays as light as before.
_LAZY = {"ParagraphClassifier", "Prediction"}

__all__ = [
    "Model",
    "ModelError",
    "ParagraphClassifier",
    "Prediction",
    "TextBatch",
    "batch_context_features",
    "default_model_path",
    "lexical_features",
    "load_model",
    "save_model",
]


def __getattr__(name: str) -> Any:
    """The classifier's names, imported on first use."""
    if name in _LAZY:
        from . import classifier

        return getattr(classifier, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
