"""The judge's two neural parts, run with onnxruntime (no torch): a sentence encoder and a pair model.

- ``encoder.onnx``: MiniLM-L6 (the ``all-MiniLM-L6-v2`` weights), mean-pooled, unit length, int8.
  Each claim is embedded once; the cosine of two embeddings finds candidates that share few words.
- ``pair.onnx``: the same network fine-tuned as a cross-encoder on both claims at once, int8; it
  outputs a paraphrase logit and entailment / neutral / contradiction logits. Run only on the few
  candidates that survive the cheaper tests.

Both files and the tokenizer live in ``model/`` beside this module (``docs/models/pair-judge.md``
is the card). Loaded once per process, on first use.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import numpy as np

#: The folder holding the model files and ``metrics.json``.
MODEL_DIR = Path(__file__).resolve().parent / "model"
#: Word pieces kept per text (encoder) and per pair (pair model); news claims are 20-60.
MAX_TOKENS = 128
MAX_PAIR_TOKENS = 160
#: Rows per encoder call: one, for the reason given for PAIR_BATCH. In batches of 32 a claim's
#: embedding depended on the texts embedded beside it (cosine down to 0.976 against the same text
#: alone, on BBC claims), so the gate and the closest candidates, and with them a verdict, could
#: depend on the order in which claims arrived; alone it depends on the text only. Without padding,
#: rows alone cost no more: 3.8-4.6 ms of CPU a text against 4.3-4.7 in length-sorted batches of 32,
#: one thread, 600 BBC claims (2026-12-07).
ENCODER_BATCH = 1
#: Rows per pair-model call: one. Both models are int8 with dynamically quantized activations, one
#: scale per tensor, so in a batch a row's logits depend on the other rows (up to 0.9 logit apart on
#: BBC sentence pairs, batches of 32 against rows alone): alone, a pair's logits depend on the pair
#: only, whatever else is judged beside it, which lets the judge cache them (PairJudge.pair_logits).
#: It costs nothing: without padding, rows alone took 1.61 s of CPU per 256 pairs on one thread,
#: batches of 32 1.92 s (2026-12-05).
PAIR_BATCH = 1


class JudgeModels:
    """The ONNX sessions and the tokenizer, shared by every judge in the process."""

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort  # noqa: PLC0415 - imported once, on first use
            from tokenizers import Tokenizer  # noqa: PLC0415
        except ImportError as exc:  # pragma: no cover - both are core dependencies
            raise RuntimeError(
                "the pair judge needs onnxruntime and tokenizers: pip install factstream") from exc
        self.model_dir = model_dir
        options = ort.SessionOptions()
        if threads is None:
            from factstream.processors.judge.settings import JudgeSettings  # noqa: PLC0415

            threads = JudgeSettings().threads
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        providers = ["CPUExecutionProvider"]
        self.encoder = ort.InferenceSession(str(model_dir / "encoder.onnx"), options, providers=providers)
        self.pair = ort.InferenceSession(str(model_dir / "pair.onnx"), options, providers=providers)
        self._single = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._single.enable_truncation(max_length=MAX_TOKENS)
        self._single.no_padding()
        self._pairs = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._pairs.enable_truncation(max_length=MAX_PAIR_TOKENS, strategy="longest_first")
        self._pairs.no_padding()
        # onnxruntime sessions are thread-safe, the tokenizers' truncation state is per object.
        self._lock = threading.Lock()

    @staticmethod
    def _feed(encodings: list) -> dict[str, np.ndarray]:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for i, e in enumerate(encodings):
            n = len(e.ids)
            ids[i, :n] = e.ids
            mask[i, :n] = e.attention_mask
            types[i, :n] = e.type_ids
        return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length 384-dim embeddings, one row per text (float32)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return self._run(self.encoder, self._single, texts, [len(t) for t in texts], ENCODER_BATCH)

    def pair_logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Raw logits per pair: [paraphrase, entailment, neutral, contradiction]."""
        if not pairs:
            return np.zeros((0, 4), dtype=np.float32)
        return self._run(self.pair, self._pairs, pairs, [len(a) + len(b) for a, b in pairs], PAIR_BATCH)

    def _run(self, session: object, tokenizer: object, inputs: list, lengths: list[int],
             batch: int) -> np.ndarray:
        """One output row per input, run in batches of similar length (little padding), in order."""
        order = sorted(range(len(inputs)), key=lambda i: lengths[i])
        with self._lock:
            encodings = tokenizer.encode_batch([inputs[i] for i in order])  # type: ignore[attr-defined]
        out = [session.run(None, self._feed(encodings[start: start + batch]))[0]  # type: ignore[attr-defined]
               for start in range(0, len(order), batch)]
        stacked = np.concatenate(out).astype(np.float32)
        result = np.empty_like(stacked)
        result[order] = stacked
        return result

    def symmetric_logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Logits of each pair read in one canonical order (the texts sorted), run once.

        A verdict must not depend on which claim came first: sorting the two texts gives both
        orders the same input, at half the cost of averaging over both orders.
        """
        return self.pair_logits([(a, b) if a <= b else (b, a) for a, b in pairs])


@cache
def models() -> JudgeModels:
    """The process-wide models, loaded on first use."""
    return JudgeModels()
