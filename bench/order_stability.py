"""Order stability (issue 15): how much dedup and contradiction detection depend on arrival order.

Each article is extracted once, with its publication time fixed (one hour apart in the canonical
order, as in :mod:`.contradiction_audit`). Its claims are then fed through dedup and contradiction
detection (the audit's in-memory pipeline, which retrieves candidates as the PostgreSQL store does
by blocking key) in the canonical article order and in N shuffled article orders; an article's
claims stay together and in order, as a worker reads one article's records.

Outcomes are compared as sets of mention groups (a tracked claim as the frozenset of its claims' ids,
since a tracked claim's id is its first mention's) and contradictions as an unordered pair of groups
and a kind. Prints the tracked claims per order, the mentions whose group differs from the canonical
run's, the contradictions per order and their symmetric difference, then up to ``--show`` differing
groups with their texts, so a reader can say what made each differ. Three causes are known
(tests/test_reliability.py): approximate numbers are not transitive; a tracked claim is judged as of
its first mention; candidates are the CANDIDATES_PER_KEY most recent per blocking key (a claim whose
key window was full when it was decided is marked ``[cap]``).

The audit's store has no semantic (pgvector) candidates and no CANDIDATES_PER_CLAIM bound, so under
the learned verdict this measures key-blocked candidates only.
Run: python -m factstream.bench.order_stability [--corpus DIR] [--folder politics] [--orders N]
[--seed S] [--verdict rules|learned] [--show K].
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from factstream.bench.contradiction_audit import DEFAULT_CORPUS, MemoryStore, Pipeline, load
from factstream.processors.extract import extract_claims
from factstream.processors.judge.settings import JudgeSettings
from factstream.processors.matching import analyse, compare_features
from factstream.processors.matching.quantities import amounts_agree
from factstream.schemas.records import Article, Claim, TrackedClaim

Group = frozenset[str]
#: A contradiction independent of order: the two groups (unordered) and the kind.
Conflict = tuple[frozenset[Group], str]
# Pairs are judged within clusters up to this size (a cluster is a handful of mentions of one fact).
MAX_PAIRED = 12


class WindowStore(MemoryStore):
    """The audit's store, also noting which stored tracked claims each read left out of its windows.

    A tracked claim under one of the keys but older than the CANDIDATES_PER_KEY most recent of every
    such key is cut: the claim being decided never meets it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._ids: dict[str, list[str]] = {}
        self.cut: set[str] = set()

    def candidates(self, keys: Sequence[str], exclude: str | None = None) -> list[TrackedClaim]:
        """Return the audit store's candidates, adding those its windows left out to :attr:`cut`."""
        found = super().candidates(keys, exclude)
        under = {i for key in keys for i in self._ids.get(key, ())}
        if len(under) > len(found):
            self.cut |= under - {t.id for t in found} - {exclude}
        return found

    def add(self, tracked: TrackedClaim, keys: Sequence[str]) -> None:
        """Store a new tracked claim under its keys."""
        super().add(tracked, keys)
        for key in dict.fromkeys(keys):
            self._ids.setdefault(key, []).append(tracked.id)


@dataclass
class Outcome:
    """What one order gave: tracked claims as groups of claim ids, and the contradictions between them."""

    order: list[int]
    groups: set[Group]
    group_of: dict[str, Group]
    conflicts: set[Conflict]
    tracked_of: dict[str, str] = field(default_factory=dict)
    #: Claim id -> the tracked claims its dedup or contradiction reads left out (only where some were).
    cut: dict[str, set[str]] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Comparison:
    """How an order's outcome differs from the canonical one."""

    only_canonical: set[Group]
    only_other: set[Group]
    moved: set[str]
    conflicts_only_canonical: set[Conflict]
    conflicts_only_other: set[Conflict]

    @property
    def same(self) -> bool:
        """Whether both orders gave the same tracked claims and the same contradictions."""
        return not (self.only_canonical or self.only_other or self.conflicts_only_canonical
                    or self.conflicts_only_other)


def extract_all(articles: Sequence[Article]) -> list[list[Claim]]:
    """Each article's claims, extracted once (their times are the article's, whatever the order)."""
    return [extract_claims(article) for article in articles]


def run_order(claims: Sequence[Sequence[Claim]], order: Sequence[int],
              learned: bool | None = None) -> Outcome:
    """Feed the articles' claims in ``order`` (article indices) through dedup and contradict.

    ``learned`` None leaves the verdict to the pipeline's default (FACTSTREAM_JUDGE_VERDICT).
    """
    pipeline = Pipeline()
    store = WindowStore()
    pipeline.store = store
    if learned is not None:
        pipeline.dedup.learned = pipeline.contradict.learned = learned
    found: list[tuple[str, str, str]] = []
    cut: dict[str, set[str]] = {}
    start = time.perf_counter()
    for index in order:
        for claim in claims[index]:
            store.cut = set()
            _, alerts = pipeline.feed(claim)
            if store.cut:
                cut[claim.id] = store.cut
            found.extend((x.claim_a_id, x.claim_b_id, x.kind) for x in alerts)
    seconds = time.perf_counter() - start
    members: dict[str, set[str]] = {}
    for claim_id, tracked_id in pipeline.tracked_of.items():
        members.setdefault(tracked_id, set()).add(claim_id)
    of_tracked = {tracked_id: frozenset(ids) for tracked_id, ids in members.items()}
    group_of = {claim_id: of_tracked[tracked_id] for claim_id, tracked_id in pipeline.tracked_of.items()}
    conflicts = {(frozenset((of_tracked[a], of_tracked[b])), kind) for a, b, kind in found}
    return Outcome(list(order), set(of_tracked.values()), group_of, conflicts, dict(pipeline.tracked_of),
                   cut, seconds)


def compare_outcomes(canonical: Outcome, other: Outcome) -> Comparison:
    """Return what differs between two orders' outcomes."""
    only_canonical = canonical.groups - other.groups
    only_other = other.groups - canonical.groups
    moved = {claim_id for group in only_canonical | only_other for claim_id in group}
    return Comparison(only_canonical, only_other, moved, canonical.conflicts - other.conflicts,
                      other.conflicts - canonical.conflicts)


def differing_clusters(comparison: Comparison) -> list[tuple[set[Group], set[Group]]]:
    """The differing groups joined into clusters: canonical groups and other groups sharing claims."""
    clusters: list[tuple[set[Group], set[Group]]] = []
    pending = set(comparison.only_canonical)
    others = set(comparison.only_other)
    while pending:
        left: set[Group] = {pending.pop()}
        right: set[Group] = set()
        grew = True
        while grew:
            ids = set().union(*left, *right)
            more_right = {g for g in others if g & ids}
            more_left = {g for g in pending if g & set().union(*more_right)} if more_right else set()
            grew = bool(more_right - right or more_left - left)
            right |= more_right
            left |= more_left
            pending -= more_left
            others -= more_right
        clusters.append((left, right))
    clusters.extend((set(), {g}) for g in others)
    # Largest first, then by smallest claim id: the same listing on every run of the same orders.
    return sorted(clusters, key=lambda c: (-sum(len(g) for g in c[0] | c[1]), min(set().union(*c[0], *c[1]))))


@dataclass
class Corpus:
    """The claims of each article, looked up by id: text, article (canonical index) and span."""

    claims: Sequence[Sequence[Claim]]
    texts: dict[str, Claim] = field(init=False)
    where: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.texts = {c.id: c for article in self.claims for c in article}
        self.where = {c.id: i for i, article in enumerate(self.claims) for c in article}

    def read_order(self, outcome: Outcome) -> dict[str, tuple[int, int]]:
        """Each claim's place in an order's reading: (article's rank in the order, offset in the article)."""
        rank = {article: r for r, article in enumerate(outcome.order)}
        return {c: (rank[self.where[c]], self.texts[c].span[0]) for c in self.texts}


def _relations(ids: Sequence[str], corpus: Corpus, pipeline: Pipeline) -> list[str]:
    """The verdict's relation for each pair of claims (a chain of duplicates with a gap is not transitive).

    A pair that is not a duplicate and whose figures disagree reads ``none (figures)``.
    """
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    features = {c: analyse(corpus.texts[c]) for c in ids}
    if pipeline.dedup.learned:
        judged = pipeline.dedup.judge.judge([(features[a], features[b]) for a, b in pairs], explain=False)
        relations = [j.relation for j in judged]
    else:
        relations = [compare_features(features[a], features[b]).relation for a, b in pairs]
    return [f"{r} (figures)" if r != "duplicate" and features[a].amounts and features[b].amounts
            and not amounts_agree(list(features[a].amounts), list(features[b].amounts)) else r
            for (a, b), r in zip(pairs, relations, strict=True)]


def _was_cut(ids: Iterable[str], outcome: Outcome) -> set[str]:
    """The claims among ``ids`` whose reads left out a tracked claim that holds one of ``ids``."""
    ids = set(ids)
    involved = {outcome.tracked_of[c] for c in ids}
    return {c for c in ids if outcome.cut.get(c, set()) & involved}


def cluster_cause(ids: Sequence[str], relations: Sequence[str], outcomes: Sequence[Outcome],
                  corpus: Corpus) -> str:
    """A first guess at why a cluster's groups differ between orders (the texts printed say more).

    ``window``: in one order a claim never met a tracked claim of the cluster (older than the
    CANDIDATES_PER_KEY most recent under each of its keys). ``non-transitive``: some pair of the
    cluster's claims is not a duplicate, so which claim came first (the tracked claim is judged as of
    it) decides who joins; ``(numbers)`` when such a pair's figures disagree. Both can hold (joined
    by ``+``); ``other`` when neither does.
    """
    causes = []
    if any(_was_cut(ids, outcome) for outcome in outcomes):
        causes.append("window")
    if any(r.endswith("(figures)") for r in relations):
        causes.append("non-transitive (numbers)")
    elif any(r != "duplicate" for r in relations):
        causes.append("non-transitive")
    return " + ".join(causes) or "other"


def conflict_cause(conflict: Conflict, found: Outcome, missing: Outcome, corpus: Corpus,
                   learned: bool) -> str:
    """A first guess at why the order ``missing`` lacks a contradiction that the order ``found`` has.

    ``groups differ``: dedup split or joined the facts otherwise. ``window``: the two never met
    (one was cut from the other's candidates). ``first mention``: a fact's first mention, which the
    verdict reads, differs between the orders. Else both met as the same first mentions and were
    judged apart: under the learned judge, by the other candidates present (it reads only the
    PAIR_MODEL_CANDIDATES closest of them), under the rules by which one was new.
    """
    groups, _ = conflict
    if not groups <= missing.groups:
        return "groups differ"
    read, read_found = corpus.read_order(missing), corpus.read_order(found)
    heads = [min(g, key=read.__getitem__) for g in groups]
    tracked = [missing.tracked_of[h] for h in heads]
    if any(missing.cut.get(h, set()) & set(tracked) for h in heads):
        return "window"
    if heads != [min(g, key=read_found.__getitem__) for g in groups]:
        return "first mention"
    return "other candidates (PAIR_MODEL_CANDIDATES)" if learned else "which side was new"


def _describe(groups: Iterable[Group], outcome: Outcome, corpus: Corpus, label: str) -> None:
    read = corpus.read_order(outcome)
    cut = _was_cut(set().union(*groups), outcome)
    for group in sorted(groups, key=lambda g: min(read[c] for c in g)):
        print(f"    {label} group of {len(group)}:")
        for rank, claim_id in enumerate(sorted(group, key=read.__getitem__)):
            claim = corpus.texts[claim_id]
            mark = "first" if rank == 0 else "     "
            flag = " [cut]" if claim_id in cut else ""
            print(f"      {mark} art {corpus.where[claim_id]:>3} (read {read[claim_id][0]:>3}){flag} "
                  f"{claim.speaker or '-'}: {claim.text[:150]!r}")


def report(claims: Sequence[Sequence[Claim]], outcomes: Sequence[Outcome], show: int,
           learned: bool | None) -> list[Comparison]:
    """Print the figures per order, then each order's differing clusters: causes, and the first ``show``.

    A cluster is the differing groups of both orders that share claims; a claim marked ``[cut]``
    was decided without meeting a tracked claim of its cluster (window full).
    """
    corpus = Corpus(claims)
    canonical = outcomes[0]
    comparisons = [compare_outcomes(canonical, other) for other in outcomes[1:]]
    mentions = len(corpus.texts)
    print(f"articles {len(claims)}, claims (mentions) {mentions}")
    print(f"order 0 (canonical): tracked claims {len(canonical.groups)}, contradictions "
          f"{len(canonical.conflicts)} ({canonical.seconds:.1f} s)")
    for number, (other, comparison) in enumerate(zip(outcomes[1:], comparisons, strict=True), 1):
        print(f"order {number} (shuffled): tracked claims {len(other.groups)}, contradictions "
              f"{len(other.conflicts)} ({other.seconds:.1f} s)")
        print(f"  groups only in canonical {len(comparison.only_canonical)}, only in this order "
              f"{len(comparison.only_other)}; mentions in a group that differs {len(comparison.moved)} "
              f"of {mentions}; contradictions only in canonical {len(comparison.conflicts_only_canonical)}, "
              f"only in this order {len(comparison.conflicts_only_other)}")
    pipeline = Pipeline()
    if learned is not None:
        pipeline.dedup.learned = learned
    for number, (other, comparison) in enumerate(zip(outcomes[1:], comparisons, strict=True), 1):
        clusters = differing_clusters(comparison)
        causes: Counter[str] = Counter()
        moved: Counter[str] = Counter()
        shown = 0
        print(f"\n== order {number}: {len(clusters)} differing clusters "
              f"({len(comparison.moved)} mentions), first {min(show, len(clusters))} shown")
        for rank, (left, right) in enumerate(clusters, 1):
            ids = sorted(set().union(*left, *right), key=lambda c: (corpus.where[c], corpus.texts[c].span))
            relations = _relations(ids, corpus, pipeline) if len(ids) <= MAX_PAIRED else []
            cause = cluster_cause(ids, relations, (canonical, other), corpus)
            causes[cause] += 1
            moved[cause] += len(ids)
            if shown >= show:
                continue
            shown += 1
            print(f"  [{number}.{rank}] {len(ids)} mentions; likely cause: {cause}")
            _describe(left, canonical, corpus, "canonical")
            _describe(right, other, corpus, f"order {number}")
            if relations:
                pairs = [(i, j) for i in range(len(ids)) for j in range(i + 1, len(ids))]
                print("    pairs (claims in canonical order): "
                      + "; ".join(f"{i}-{j} {r}" for (i, j), r in zip(pairs, relations, strict=True)))
        for label, conflicts, found, missing in (
                ("canonical", comparison.conflicts_only_canonical, canonical, other),
                (f"order {number}", comparison.conflicts_only_other, other, canonical)):
            for conflict in sorted(conflicts, key=str):
                groups, kind = conflict
                cause = conflict_cause(conflict, found, missing, corpus, pipeline.dedup.learned)
                causes[f"contradiction: {cause}"] += 1
                print(f"  contradiction only in {label}: {kind}; likely cause: {cause}")
                for group in groups:
                    first = min(group, key=lambda c: (corpus.where[c], corpus.texts[c].span))
                    print(f"    art {corpus.where[first]:>3} ({len(group)} mentions) "
                          f"{corpus.texts[first].speaker or '-'}: {corpus.texts[first].text[:150]!r}")
        print("  causes (first guess): " + "; ".join(
            f"{cause} {count}" + (f" ({moved[cause]} mentions)" if cause in moved else "")
            for cause, count in causes.most_common()))
    return comparisons


def main() -> None:
    """Extract the folder once, run it in the canonical order and N shuffled orders, print the differences."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--folder", default="politics", help="topic folder of the corpus (default politics)")
    parser.add_argument("--orders", type=int, default=2, help="shuffled article orders (default 2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verdict", choices=("rules", "learned"), default=None,
                        help=f"who decides (default the pipeline's: {JudgeSettings().verdict})")
    parser.add_argument("--show", type=int, default=10, help="differing clusters to print per order")
    args = parser.parse_args()
    learned = None if args.verdict is None else args.verdict == "learned"
    # The audit's loader, so each article keeps the publication time the audit gives it.
    articles = [a for a in load(args.corpus, None)
                if not args.folder or Path(a.url or "").parent.name == args.folder]
    start = time.perf_counter()
    claims = extract_all(articles)
    print(f"extracted {sum(map(len, claims))} claims from {len(articles)} articles "
          f"({time.perf_counter() - start:.1f} s); verdict {args.verdict or JudgeSettings().verdict}")
    rng = random.Random(args.seed)
    orders = [list(range(len(articles)))]
    for _ in range(args.orders):
        shuffled = orders[0][:]
        rng.shuffle(shuffled)
        orders.append(shuffled)
    outcomes = [run_order(claims, order, learned) for order in orders]
    report(claims, outcomes, args.show, learned)


if __name__ == "__main__":
    main()
