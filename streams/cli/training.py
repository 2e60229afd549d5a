"""`factstream train` and `factstream evaluate`: the learned components' training and figures.

Training needs the ``train`` extra (``pip install torch==2.13.0`` first on a CPU machine, then
``pip install 'factstream[train]'``); evaluation runs on what production installs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from factstream.cli.base import dsn, option

#: The shared folder beside a source checkout (data/ and corpus/bbc/ are read in place).
DEFAULT_SHARED = Path("../shared")


def _needs_training_extra() -> None:
    try:
        import sklearn  # noqa: F401, PLC0415
        import torch  # noqa: F401, PLC0415
    except ImportError as exc:
        raise click.ClickException(
            f"training needs the 'train' extra ({exc.name} is missing): pip install torch==2.13.0 "
            "'factstream[train]'") from exc


@click.group("train")
def train() -> None:
    """Train the learned components from ../shared/data, the BBC corpus and your reviews."""


@train.command("judge")
@option("--shared", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=DEFAULT_SHARED,
              show_default=True, env_name="TRAIN_SHARED",
              help="Folder with data/ (labelled sets) and corpus/bbc/.")
@option("--epochs", type=click.IntRange(1, 20), default=3, show_default=True, env_name="TRAIN_EPOCHS",
        help="Fine-tuning epochs of the pair model.")
@option("--work", type=click.Path(file_okay=False, path_type=Path), default=Path("build/judge"),
              show_default=True, env_name="TRAIN_WORK",
              help="Where the labelled pairs and the fine-tuned weights are written.")
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              env_name="TRAIN_OUT",
              help="Model folder to write (default: the installed package's).")
@option("--with-reviews/--without-reviews", default=False, show_default=True,
              env_name="TRAIN_WITH_REVIEWS",
              help="Add the reviews recorded in the configured database as labelled pairs.")
@option("--step", type=click.Choice(["all", "data", "finetune", "export", "combine"]), default="all",
              show_default=True, env_name="TRAIN_STEP", help="Run one step only.")
@option("--combiner", type=click.Choice(["monotone", "logistic", "trees"]), default="monotone",
              show_default=True, env_name="TRAIN_COMBINER",
              help="The combiner's design: a logistic regression held monotone in how related two claims "
                   "are, the same unconstrained, or boosted trees (better on held-out pairs, more false "
                   "alarms on the pipeline's candidates; docs/models/pair-judge.md).")
@option("--candidates/--no-candidates", default=True, show_default=True, env_name="TRAIN_CANDIDATES",
        help="Measure the judge on the pipeline's candidate pairs of BBC news too (eval only; their "
             "extraction adds about ten minutes on two cores).")
@click.pass_obj
def train_judge(ctx: Any, shared: Path, epochs: int, work: Path, out: Path | None, with_reviews: bool,
                step: str, combiner: str, candidates: bool) -> None:
    """Train the pair judge: labelled pairs, fine-tuning, ONNX int8 export, combiner fit, figures."""
    _needs_training_extra()
    from factstream.training.judge import main as judge_main

    args = [step, "--shared", str(shared), "--pairs", str(work / "pairs.jsonl.gz"), "--work", str(work),
            "--epochs", str(epochs), "--combiner", combiner]
    if not candidates:
        args.append("--no-candidates")
    if out is not None:
        args += ["--out", str(out)]
    if with_reviews:
        from factstream.training.reviews import reviewed_pairs, write_reviews

        settings, _ = ctx.resolved()
        pairs = reviewed_pairs(dsn(settings))
        work.mkdir(parents=True, exist_ok=True)
        write_reviews(pairs, work / "reviews.jsonl")
        click.echo(f"{len(pairs)} reviewed decisions added as labelled pairs")
        args += ["--reviews", str(work / "reviews.jsonl")]
    sys.exit(judge_main(args))


@train.command("checkworthiness")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def train_checkworthiness(args: tuple[str, ...]) -> None:
    """Train the check-worthiness model: MiniLM fine-tuned on ClaimBuster (``--help`` of the script)."""
    _needs_training_extra()
    try:
        from factstream.training.checkworthiness_minilm import main as checkworthiness_main
    except ImportError as exc:  # pragma: no cover - present in a full checkout
        raise click.ClickException("this build has no check-worthiness trainer") from exc
    sys.exit(checkworthiness_main(list(args)))


@click.command("evaluate")
@option("--shared", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=DEFAULT_SHARED,
              show_default=True, env_name="TRAIN_SHARED",
              help="Folder with data/ (labelled sets) and corpus/bbc/.")
@option("--split", type=click.Choice(["eval", "tune"]), default="eval", show_default=True,
              env_name="TRAIN_SPLIT",
              help="eval: never trained or tuned on; tune: the combiner's own (in-sample) figures.")
@option("--limit", type=click.IntRange(1), default=None, env_name="TRAIN_LIMIT",
              help="At most this many pairs per set (a quick look).")
@click.option("--candidates", is_flag=True,
              help="Also the pipeline's candidate pairs of BBC news, eval split (their false alarms; "
                   "extraction of four BBC folders, about ten minutes on two cores).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def evaluate(shared: Path, split: str, limit: int | None, candidates: bool, as_json: bool) -> None:
    """Precision, recall and F1 of the pair judge per labelled set, on pairs it was not fitted on."""
    from collections import defaultdict

    from factstream.processors.judge import default_judge
    from factstream.training.evaluate import judge_pairs, print_report, score, to_json
    from factstream.training.judge_data import all_pairs

    # The candidate pairs are made for the eval split only: no extraction for the tune split's figures.
    pairs = [p for p in all_pairs(shared, candidates and split == "eval")
             if p.split == split and p.relation is not None]
    if limit:
        per_set: dict[str, int] = defaultdict(int)
        kept = []
        for p in pairs:
            if per_set[p.source] < limit:
                per_set[p.source] += 1
                kept.append(p)
        pairs = kept
    judge = default_judge()
    report = score(pairs, judge_pairs(judge, pairs))
    if as_json:
        click.echo(to_json(report))
    else:
        label = "never trained or tuned on" if split == "eval" else "IN-SAMPLE: the combiner was fitted here"
        print_report(report, f"{split} split ({label}), model {judge.version}")

