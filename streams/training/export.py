"""Export the pair model and the sentence encoder to ONNX, quantised to int8 for the CPU."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The package folder the judge loads its files from.
MODEL_DIR = Path(__file__).resolve().parent.parent / "processors" / "judge" / "model"
#: ONNX opset: onnxruntime 1.17+ runs it, and the dynamic int8 quantiser supports it.
OPSET = 17


def to_onnx(module: Any, path: Path, output: str) -> None:
    """Export ``module`` (ids, mask, segment ids -> ``output``) to ONNX with dynamic batch and length."""
    import torch  # noqa: PLC0415 - training extra

    dummy = {
        "input_ids": torch.ones((2, 12), dtype=torch.long),
        "attention_mask": torch.ones((2, 12), dtype=torch.long),
        "token_type_ids": torch.zeros((2, 12), dtype=torch.long),
    }
    axes = {name: {0: "batch", 1: "tokens"} for name in dummy}
    axes[output] = {0: "batch"}
    module.eval()
    torch.onnx.export(module, (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
                      str(path), input_names=list(dummy), output_names=[output], dynamic_axes=axes,
                      opset_version=OPSET, dynamo=False)


def quantise(source: Path, target: Path) -> None:
    """Write ``target``, ``source`` with int8 dynamic quantisation, and remove ``source``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: PLC0415

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8)
    source.unlink()


def export_models(
    base: Path, pair_weights: Path, build_model: Callable[[Path], Any], out: Path | None = None
) -> Path:
    """Write ``pair.onnx`` (fine-tuned cross-encoder), ``encoder.onnx`` and ``tokenizer.json``.

    ``build_model`` makes the untrained cross-encoder the weights load into (the trainer's own).
    """
    import torch  # noqa: PLC0415
    from transformers import AutoModel  # noqa: PLC0415

    out = out or MODEL_DIR
    out.mkdir(parents=True, exist_ok=True)
    model = build_model(base)
    state = torch.load(pair_weights, map_location="cpu")
    model.load_state_dict({k: v.float() for k, v in state.items()})
    to_onnx(model, out / "pair.fp32.onnx", "logits")
    quantise(out / "pair.fp32.onnx", out / "pair.onnx")

    class SentenceEncoder(torch.nn.Module):
        """MiniLM with mean pooling and unit length: the sentence-transformers recipe."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base)).float()

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    to_onnx(SentenceEncoder(), out / "encoder.fp32.onnx", "embedding")
    quantise(out / "encoder.fp32.onnx", out / "encoder.onnx")
    shutil.copyfile(base / "tokenizer.json", out / "tokenizer.json")
    print(f"exported pair.onnx, encoder.onnx, tokenizer.json -> {out}")
    return out
