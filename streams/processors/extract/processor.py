"""The extract processor: articles in, claims out, with a pluggable extractor behind it.

The processor only adapts a :class:`~factstream.processors.extract.extractor.ClaimExtractor` to the
:class:`~factstream.processors.base.Processor` protocol; a stronger extractor (an LLM endpoint, say)
plugs in by passing another ``ClaimExtractor`` without touching the stream wiring.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel

from factstream.errors import InvalidRecord
from factstream.processors.base import CANDIDATE_KEYS
from factstream.processors.extract.extractor import ClaimExtractor, RuleBasedExtractor
from factstream.processors.extract.settings import ExtractSettings
from factstream.schemas.records import Article, Claim


class ExtractProcessor:
    """Turn each article into the claims it contains."""

    name: ClassVar[str] = "extract"
    input_topic: ClassVar[str] = "articles"
    output_topic: ClassVar[str | None] = "claims"
    input_type: ClassVar[type[BaseModel]] = Article
    output_type: ClassVar[type[BaseModel] | None] = Claim
    #: The host stores each article with its claim count.
    store_write: ClassVar[str | None] = "articles"
    #: Claims go to dedup's partition for their speaker or subject, where their duplicates go too.
    output_key: ClassVar[str | None] = CANDIDATE_KEYS
    # Extraction is CPU-bound (a few ms an article): batches stay small to keep latency low, and
    # large enough that a batch's sentences parse together (process_batch).
    batch_size: ClassVar[int] = 32

    def __init__(
        self, extractor: ClaimExtractor | None = None, settings: ExtractSettings | None = None
    ) -> None:
        """Use ``extractor`` if given, else the one the settings name."""
        self.settings = settings or ExtractSettings()
        self._extractor = extractor

    def setup(self) -> None:
        """Build the extractor once; the rule-based one loads nothing but compiled regexes."""
        if self._extractor is None:
            self._extractor = RuleBasedExtractor(languages=tuple(self.settings.languages))

    def process(self, record: BaseModel) -> list[Claim]:
        """Return the claims of one article; a record that is not an article is dead-lettered."""
        if not isinstance(record, Article):
            raise InvalidRecord(f"extract expects an Article, got {type(record).__name__}")
        if self._extractor is None:
            self.setup()
        assert self._extractor is not None  # noqa: S101 - set by setup()
        return self._keep(self._extractor.extract(record))

    def process_batch(self, records: Sequence[BaseModel]) -> list[list[Claim]]:
        """Return the claims of each article in order, parsed together (cheaper per article).

        The optional batch member of the processor contract (``docs/plugins.md``); the extract
        agent hands it each batch it takes. Gives what :meth:`process` gives each record; a
        record that is not an article fails the whole call (the agent then retries one by one).
        """
        for record in records:
            if not isinstance(record, Article):
                raise InvalidRecord(f"extract expects an Article, got {type(record).__name__}")
        if self._extractor is None:
            self.setup()
        assert self._extractor is not None  # noqa: S101 - set by setup()
        many = getattr(self._extractor, "extract_many", None)
        found = (list(many(records)) if many is not None
                 else [self._extractor.extract(record) for record in records])  # type: ignore[arg-type]
        return [self._keep(claims) for claims in found]

    def _keep(self, claims: list[Claim]) -> list[Claim]:
        floor = self.settings.min_checkworthiness
        return [claim for claim in claims if claim.checkworthiness >= floor] if floor else claims

    def close(self) -> None:
        """Nothing to release: the rule-based extractor holds no files or connections."""
