"""The classifier: features of paragraphs in their document, hashing, the n-gram and tree fast paths, prediction
from arrays, the scikit-learn classifier that training fits, and the model files (each imported on first use: only
training imports scikit-learn)."""

from .._lazy import lazy_exports

_PUBLIC = {
    "ArrayClassifier": "runtime",
    "Model": "persist",
    "ModelError": "persist",
    "ParagraphClassifier": "classifier",
    "Prediction": "runtime",
    "TextBatch": "features",
    "batch_context_features": "features",
    "default_model_path": "persist",
    "lexical_features": "classifier",
    "load_model": "persist",
    "save_model": "persist",
}

__all__ = sorted(_PUBLIC)
__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)
