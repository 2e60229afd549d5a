"""The order-stability bench reports a difference between two orders when, and only when, one exists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from factstream.bench.order_stability import compare_outcomes, extract_all, report, run_order
from factstream.schemas.records import Article

START = datetime(2005, 1, 1, tzinfo=UTC)


def articles(figures: list[str]) -> list[Article]:
    """One article per figure, an hour apart, each from its own outlet: the same report but for the figure."""
    return [
        Article(source=f"outlet{i}", url=f"https://example.org/{i}", title=f"Repairs {i}",
                body=f"Mayor Ann Vale said the council spent {figure} pounds on road repairs last year. "
                     "The weather was mild.",
                published_at=START + timedelta(hours=i), language="en")
        for i, figure in enumerate(figures)
    ]


def test_non_transitive_figures_make_the_order_matter(capsys):
    # 1,904 ~ 1,912 ~ 1,930 but not 1,904 ~ 1,930: whichever comes first takes the middle one.
    claims = extract_all(articles(["1,904", "1,912", "1,930"]))
    spent = {article[0].id for article in claims}
    canonical = run_order(claims, [0, 1, 2], learned=False)
    reversed_ = run_order(claims, [2, 1, 0], learned=False)
    comparison = compare_outcomes(canonical, reversed_)
    assert not comparison.same
    assert comparison.moved == spent  # the weather claims are one group in both orders
    assert len(comparison.only_canonical) == len(comparison.only_other) == 2
    assert compare_outcomes(canonical, run_order(claims, [0, 1, 2], learned=False)).same
    report(claims, [canonical, reversed_], show=5, learned=False)
    out = capsys.readouterr().out
    assert "mentions in a group that differs 3 of 6" in out
    assert "likely cause: non-transitive (numbers)" in out


def test_orders_that_cannot_differ_are_reported_the_same(capsys):
    claims = extract_all(articles(["1,904", "1,912"]))
    outcomes = [run_order(claims, order, learned=False) for order in ([0, 1], [1, 0])]
    comparison = compare_outcomes(*outcomes)
    assert comparison.same and not comparison.moved
    assert len(outcomes[0].groups) == 2
    report(claims, outcomes, show=5, learned=False)
    assert "mentions in a group that differs 0 of 4" in capsys.readouterr().out
