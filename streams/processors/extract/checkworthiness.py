"""How much a claim deserves a fact-checker's time, as a probability in [0, 1].

MiniLM (the ``all-MiniLM-L6-v2`` weights) fine-tuned on ClaimBuster's labelled sentences as a
sentence classifier, mean-pooled to one logit, run with onnxruntime in int8 (no torch), trained by
``streams/training/checkworthiness_minilm.py`` (``make checkworthiness-model``). The network, its
tokenizer and the machine-readable ``checkworthiness.metrics.json`` (version, threshold, Platt
calibration, figures) ship in the package beside this module; the card is ``docs/checkworthiness.md``.

Each text runs alone, never batched: the int8 activations are quantised with one scale per call, so
in a batch a sentence's score would depend on the sentences beside it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from cachetools import LRUCache

from factstream.errors import ConfigurationError

MODEL_DIR = Path(__file__).resolve().parent / "models"
ONNX_PATH = MODEL_DIR / "checkworthiness.onnx"
TOKENIZER_PATH = MODEL_DIR / "tokenizer.json"
METRICS_PATH = MODEL_DIR / "checkworthiness.metrics.json"
#: Word pieces read per text; ClaimBuster's sentences and news claims run 15-40.
MAX_TOKENS = 64
#: Scores kept per process by exact text: a wire story printed by several outlets, a re-ingested
#: article and a quote repeated down an article are scored once. A text's score depends on the text
#: alone (each runs alone), so the cache changes no score.
SCORE_CACHE_SIZE = 20_000


def tokenizer(path: Path = TOKENIZER_PATH) -> Any:
    """MiniLM's word-piece tokenizer, truncating to :data:`MAX_TOKENS` (no padding)."""
    from tokenizers import Tokenizer  # noqa: PLC0415 - a core dependency, loaded on first use

    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.no_padding()
    return tok


def encode(tok: Any, texts: list[str]) -> dict[str, list[list[int]]]:
    """Token ids, attention mask and segment ids, padded to the longest text."""
    encodings = tok.encode_batch(texts)
    width = max(len(e.ids) for e in encodings)
    return {
        "input_ids": [e.ids + [0] * (width - len(e.ids)) for e in encodings],
        "attention_mask": [e.attention_mask + [0] * (width - len(e.ids)) for e in encodings],
        "token_type_ids": [[0] * width for _ in encodings],
    }


@dataclass(frozen=True, slots=True)
class CheckworthinessModel:
    """The ONNX session, its tokenizer and the calibration of the shipped model."""

    session: Any
    tokenizer: Any
    version: str
    # Platt scaling of the raw logit (checkworthiness.metrics.json; how: docs/checkworthiness.md).
    scale: float
    shift: float
    lock: threading.Lock

    @classmethod
    def load(cls, folder: Path = MODEL_DIR, *, version: str | None = None, scale: float | None = None,
             shift: float | None = None) -> CheckworthinessModel:
        """Load the files in ``folder``.

        The version and calibration come from its metrics file unless given (training scores its
        own export before it has one).
        """
        import onnxruntime as ort  # noqa: PLC0415

        onnx = folder / ONNX_PATH.name
        if not onnx.exists():
            raise ConfigurationError(
                f"check-worthiness model missing at {onnx}; rebuild it with `make checkworthiness-model`")
        if version is None or scale is None or shift is None:
            metrics = json.loads((folder / METRICS_PATH.name).read_text(encoding="utf-8"))
            version = metrics["version"]
            scale, shift = metrics["model"]["platt"]
        options = ort.SessionOptions()
        # Extraction runs one text at a time on the worker's own thread: one intra-op thread.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(onnx), options, providers=["CPUExecutionProvider"])
        return cls(session, tokenizer(folder / TOKENIZER_PATH.name), str(version), float(scale),
                   float(shift), threading.Lock())

    def margin(self, text: str) -> float:
        """Return the raw logit of one text (run alone)."""
        with self.lock:  # the tokenizer's truncation state is per object
            feed = encode(self.tokenizer, [text or " "])
        inputs = {name: np.asarray(value, dtype=np.int64) for name, value in feed.items()}
        return float(self.session.run(None, inputs)[0][0])

    def score(self, text: str) -> float:
        """Return the probability that a text is check-worthy."""
        z = self.scale * self.margin(text) + self.shift
        return float(1.0 / (1.0 + np.exp(-z)))


_LOCK = threading.Lock()
_SCORES: LRUCache[str, float] = LRUCache(maxsize=SCORE_CACHE_SIZE)
_SCORES_LOCK = threading.Lock()


@cache
def _load() -> CheckworthinessModel:
    return CheckworthinessModel.load()


def model() -> CheckworthinessModel:
    """Return the shipped model, loaded once per process."""
    with _LOCK:
        return _load()


def score(text: str) -> float:
    """Return the check-worthiness of a claim's words, rounded to three places."""
    with _SCORES_LOCK:
        found = _SCORES.get(text)
    if found is None:
        found = round(model().score(text), 3)
        with _SCORES_LOCK:
            _SCORES[text] = found
    return found
