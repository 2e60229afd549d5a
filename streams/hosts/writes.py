"""What a host writes to the store for a processor, by what the processor declares (``store_write``).

A processor never touches the store: it declares which of factstream's tables its results
belong in, and the host writes them, inside the batch, before the outputs are sent and the
offsets committed (flush, then commit). Plug-ins declare none: their outputs are on their topic.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from factstream.errors import ConfigurationError
from factstream.observability import Metrics
from factstream.store import ClaimStore

log = logging.getLogger(__name__)

#: The article with its claims ("articles"), the tracked claims and their mentions, decided under the
#: store's locks ("mentions"), the contradictions found ("contradictions").
STORE_WRITES = ("articles", "mentions", "contradictions")
#: What a processor without candidates may declare (the others are written with candidates).
PLAIN_WRITES = ("articles",)


@dataclass(frozen=True)
class StoreWrite:
    """How the host writes one kind of result, and how it reports it."""

    #: What it writes (a value of ``store_write``); also the timer's label in ``db_write_seconds``.
    table: str
    timer: str
    #: The dead-letter key of an input record the write failed on.
    key_of: Callable[[Any], str]
    #: Writes a batch: the input records and, per record, its outputs. None for "mentions", which
    #: the store decides and writes in one transaction (see :class:`factstream.hosts.CandidateHost`).
    write: Callable[[ClaimStore, Sequence[Any], Sequence[Sequence[Any]]], Awaitable[None]] | None
    #: Logs one input record's outputs once they are stored.
    announce: Callable[[Any, Sequence[Any]], None]


async def _save_articles(
    store: ClaimStore, articles: Sequence[Any], claims: Sequence[Sequence[Any]]
) -> None:
    await store.save_articles([(article, len(found))
                               for article, found in zip(articles, claims, strict=True)])


async def _save_contradictions(
    store: ClaimStore, updates: Sequence[Any], found: Sequence[Sequence[Any]]
) -> None:
    await store.save_contradictions([c for cs in found for c in cs], [u.claim.id for u in updates])


def _announce_article(article: Any, claims: Sequence[Any]) -> None:
    log.info("extracted %d claims from article %s", len(claims), article.id,
             extra={"event": "article_extracted", "article_id": article.id, "claims": len(claims)})


def _announce_tracked(claim: Any, updates: Sequence[Any]) -> None:
    for update in updates:
        if update.is_new:
            log.info("new tracked claim %s from claim %s", update.tracked.id, update.claim.id,
                     extra={"event": "tracked_claim_created", "tracked_claim_id": update.tracked.id,
                            "claim_id": update.claim.id, "article_id": update.claim.article_id})


def _announce_contradictions(update: Any, found: Sequence[Any]) -> None:
    for item in found:
        log.info("%s contradiction %s between %s and %s",
                 item.kind, item.id, item.claim_a_id, item.claim_b_id,
                 extra={"event": "contradiction_found", "contradiction_id": item.id, "kind": item.kind,
                        "claim_a_id": item.claim_a_id, "claim_b_id": item.claim_b_id})


_WRITES = {
    "articles": StoreWrite("articles", "save_articles", lambda article: article.id, _save_articles,
                           _announce_article),
    "mentions": StoreWrite("mentions", "dedup_batch", lambda claim: claim.article_id, None,
                           _announce_tracked),
    "contradictions": StoreWrite("contradictions", "save_contradictions",
                                 lambda update: update.claim.article_id, _save_contradictions,
                                 _announce_contradictions),
}


def store_write_of(processor: Any) -> StoreWrite | None:
    """What the host writes for ``processor`` (its ``store_write``), or None."""
    table = getattr(processor, "store_write", None)
    if table is None:
        return None
    if table not in _WRITES:
        raise ConfigurationError(
            f"processor {processor.name!r} declares store_write={table!r}; "
            f"factstream writes only {', '.join(STORE_WRITES)} (or None)"
        )
    return _WRITES[table]


def timed(metrics: Metrics, write: StoreWrite) -> Any:
    """The timer of one write, in ``factstream_db_write_seconds``."""
    return metrics.timed(metrics.db_write_seconds, write.timer)
