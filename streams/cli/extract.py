"""`factstream extract` and `factstream compare`: the analyses alone, without broker or database."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import click

from factstream.cli.base import aware, fail, option
from factstream.cli.ingest import PUBLISHED_AT_FORMATS
from factstream.schemas.records import Claim


@click.command()
@click.argument("paths", nargs=-1)
@option("--source", default="local", show_default=True, env_name="INGEST_SOURCE",
              help="Outlet for articles that do not name one.")
@option("--published-at", type=click.DateTime(PUBLISHED_AT_FORMATS), env_name="INGEST_PUBLISHED_AT",
              help="Publication time for articles without one (UTC when no offset is given).")
def extract(paths: Sequence[str], source: str, published_at: datetime | None) -> None:
    """Run claim extraction alone (no broker, no database): one JSON claim per line.

    Reads stdin without PATH.
    """
    from factstream.ingest import Defaults, expand_paths, read_inputs
    from factstream.processors import registry
    from factstream.settings import DEFAULT_MAX_BODY_BYTES

    processor = registry.load("extract")
    processor.setup()
    when = aware(published_at)
    failed = 0
    for item in read_inputs(expand_paths(paths or ["-"]), Defaults(source, when), DEFAULT_MAX_BODY_BYTES):
        if item.article is None:
            click.echo(f"rejected {item.label}: {item.error}", err=True)
            failed += 1
            continue
        for claim in processor.process(item.article):
            click.echo(claim.model_dump_json())
    if failed:
        sys.exit(2)


@click.command()
def compare() -> None:
    """Compare claim pairs from stdin ({"a": ..., "b": ...} per line; a side is a text or a claim object).

    Prints one JSON line per pair: {"relation": "duplicate"|"contradiction"|"none", "kind", "score",
    "explanation", "probabilities", "evidence", "model_version"}, from the same verdict as the
    dedup and contradiction agents (FACTSTREAM_JUDGE_VERDICT: the rules, or the learned judge).
    """
    from factstream.processors.judge import default_judge
    from factstream.processors.judge.settings import JudgeSettings
    from factstream.processors.matching import analyse, claim_from_text
    from factstream.processors.matching import compare as compare_by_rules

    learned = JudgeSettings().verdict == "learned"
    judge = default_judge() if learned else None

    def side(value: Any, line_no: int, name: str) -> Claim:
        if isinstance(value, str):
            return claim_from_text(value)
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            fields = {k: v for k, v in value.items() if k != "text"}
            return claim_from_text(value["text"], **fields)
        raise click.ClickException(f"line {line_no}: {name!r} must be a text or an object with a 'text'")

    for line_no, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            pair = json.loads(line)
        except json.JSONDecodeError as exc:
            fail(f"line {line_no}: not valid JSON: {exc.msg}")
        if not isinstance(pair, dict) or "a" not in pair or "b" not in pair:
            fail(f"line {line_no}: expected an object with 'a' and 'b'")
        try:
            a, b = side(pair["a"], line_no, "a"), side(pair["b"], line_no, "b")
        except (ValueError, TypeError) as exc:
            fail(f"line {line_no}: {exc}")
        if judge is None:
            rule = compare_by_rules(a, b)
            out: dict[str, Any] = {"relation": rule.relation, "kind": rule.kind,
                                   "score": round(rule.score, 4),
                                   "explanation": rule.explanation, "model_version": "rules"}
        else:
            (verdict,) = judge.judge([(analyse(a), analyse(b))])
            out = {"relation": verdict.relation, "kind": verdict.kind, "score": round(verdict.score, 4),
                   "explanation": verdict.explanation, "probabilities": verdict.probabilities,
                   "evidence": verdict.evidence, "model_version": verdict.model_version}
        click.echo(json.dumps(out, ensure_ascii=False))
        sys.stdout.flush()

