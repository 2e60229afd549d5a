"""Pydantic records: the contract of every message on every factstream topic.

Every record carries a ``schema_version`` so consumers can refuse or migrate
records they do not understand, and every id is a deterministic hash of
content and source so that a replay or a retry writes the same rows.
"""

from __future__ import annotations

import hashlib
import unicodedata
import warnings
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

# Bumped when a record changes incompatibly; consumers compare it.
SCHEMA_VERSION = 1

# Hex characters kept from a sha256 digest: 96 bits keep collisions out of reach
# for billions of records while keeping ids short enough to read in a table.
_ID_HEX_CHARS = 24


def stable_id(prefix: str, *parts: object) -> str:
    """Return a deterministic id ``prefix_<hash>`` from the given parts.

    The same content always yields the same id, which makes database writes
    idempotent under Kafka's at-least-once delivery.
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")  # unit separator: ("ab","c") != ("a","bc")
    return f"{prefix}_{digest.hexdigest()[:_ID_HEX_CHARS]}"


def utcnow() -> datetime:
    """Return the current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


NonEmptyStr = Annotated[str, Field(min_length=1)]

ModelT = TypeVar("ModelT", bound=BaseModel)
_PLANS: dict[type[BaseModel], list[tuple[str, Any, Callable[[], Any] | None]]] = {}


def unvalidated(cls: type[ModelT], /, **values: Any) -> ModelT:
    """Build a record from values known to be valid (rows the store wrote), without validating.

    What ``model_construct`` does, minus its per-field default lookups (pydantic 2 inspects a
    default factory's signature on every call): building candidates read back from the store
    is the hot path of deduplication, where this is ~10x cheaper. Missing fields get their
    defaults; extra names are not allowed.
    """
    plan = _PLANS.get(cls)
    if plan is None:
        if cls.__private_attributes__ or cls.__pydantic_post_init__:
            raise TypeError(f"{cls.__name__} needs model_construct (private attributes or post-init)")
        plan = _PLANS[cls] = [
            (name, field.default, field.default_factory)  # type: ignore[misc]
            for name, field in cls.model_fields.items()
        ]
    data: dict[str, Any] = {}
    for name, default, factory in plan:
        if name in values:
            data[name] = values[name]
        else:
            data[name] = factory() if factory is not None else default
    unknown = values.keys() - data.keys()
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
    record = cls.__new__(cls)
    object.__setattr__(record, "__dict__", data)
    object.__setattr__(record, "__pydantic_fields_set__", set(values))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record


def trusted(cls: type[ModelT], /, **values: Any) -> ModelT:
    """Deprecated name of :func:`unvalidated` (it skips validation; it trusts nothing), kept for a release."""
    warnings.warn("factstream.schemas.records.trusted is deprecated: use unvalidated", DeprecationWarning,
                  stacklevel=2)
    return unvalidated(cls, **values)


class Record(BaseModel):
    """Base of every topic record: strict about unknown fields, versioned."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)

    schema_version: int = SCHEMA_VERSION

    @model_validator(mode="after")
    def _known_version(self) -> Record:
        if self.schema_version > SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {self.schema_version} is newer than this factstream "
                f"understands ({SCHEMA_VERSION}); upgrade factstream"
            )
        return self


DateSource = Literal["article", "given", "ingested"]


class Article(Record):
    """A raw news article as it arrives on the raw articles topic."""

    id: str = Field(default="", description="Deterministic id; derived from source and url/body when empty.")
    url: str | None = None
    source: NonEmptyStr = Field(description="The outlet that published the article.")
    title: str = ""
    body: Annotated[str, AfterValidator(_nfc)] = Field(min_length=1)
    published_at: AwareDatetime | None = None
    date_source: DateSource | None = Field(
        default=None,
        description="Where published_at came from: the article itself, a date given at ingest "
        "(--published-at), or the time of ingest; 'article' when a date is set and no source is named.",
    )
    language: str | None = Field(default=None, description="ISO 639-1 code; detected when absent.")
    fetched_at: AwareDatetime = Field(default_factory=utcnow)

    @model_validator(mode="after")
    def _derive_id(self) -> Article:
        if not self.body.strip():
            raise ValueError("body is empty (only whitespace)")
        for name in ("source", "title", "body", "url"):
            if "\x00" in (getattr(self, name) or ""):
                raise ValueError(f"{name} contains a NUL character")
        if not self.id:
            self.id = article_id(self.source, self.url, self.title, self.body)
        if self.published_at is None:
            self.date_source = None
        elif self.date_source is None:
            self.date_source = "article"
        return self


def article_id(source: str, url: str | None, title: str, body: str) -> str:
    """Deterministic article id: the url when known, else the content."""
    if url:
        return stable_id("art", source.strip().lower(), url.strip())
    return stable_id("art", source.strip().lower(), title.strip(), _nfc(body))


class Quantity(BaseModel):
    """A number found in a claim, normalised."""

    model_config = ConfigDict(extra="forbid")

    value: float
    unit: str | None = Field(
        default=None, description="Normalised unit or counted noun, e.g. 'country', '%', 'GBP'."
    )
    text: str = Field(default="", description="The number as written in the text.")
    approximate: bool = Field(default=False, description="'about', 'nearly', 'some', rounded words.")
    lower_bound: bool = Field(
        default=False, description="A vague quantity: 'thousands of' means at least 1,000."
    )


class Extractor(BaseModel):
    """Which extractor produced a claim, so claims can be re-extracted later."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: str


Modality = Literal["asserted", "hedged"]


class Claim(Record):
    """One claim extracted from one article: a mention of a (tracked) fact."""

    id: str = Field(default="", description="Deterministic: article id, span and text.")
    article_id: NonEmptyStr
    source: str = Field(default="", description="Outlet of the article.")
    url: str | None = None
    published_at: AwareDatetime | None = None
    text: NonEmptyStr = Field(description="The claim as a self-contained statement.")
    speaker: str | None = Field(
        default=None, description="Normalised speaker; null for the outlet's own reporting."
    )
    speaker_role: str | None = Field(default=None, description="e.g. 'Russian President'.")
    speaker_aliases: list[str] = Field(
        default_factory=list,
        description="The forms the article used for the speaker, the speaker first: "
        "['Tony Blair', 'Mr Blair', 'the prime minister'].",
    )
    reporting: bool = Field(default=False, description="True when the outlet itself asserts the claim.")
    quote: str | None = Field(
        default=None,
        description="The quoted words, exact: a quote in one piece character for character; a quote "
        "split by its attribution ('“We will not,” he said, “raise taxes.”') "
        "as its fragments joined by one space ('We will not raise taxes.').",
    )
    quote_spans: list[tuple[int, int]] = Field(
        default_factory=list,
        description="[start, end) character offsets in the body of each quoted fragment, in order; "
        "body[start:end] is the fragment exactly and `quote` is the fragments joined by one space. "
        "Empty when `quote` is null. Fragments are one claim when an attribution breaks one sentence "
        "('“We will not,” he said, “raise taxes this year.”'). Two sentences of one speaker "
        "('“The water came in fast,” she said. “We lost everything.”') and two main clauses "
        "('“I am ready,” he said, “but I see no point.”') are a claim each, each attributed to the "
        "speaker with its own exact quote: a tracked claim is one fact.",
    )
    span: tuple[int, int] = Field(description="[start, end) character offsets of the claim in the body.")
    numbers: list[Quantity] = Field(default_factory=list)
    modality: Modality = "asserted"
    hedge: str | None = Field(default=None, description="The hedge cue when modality is 'hedged'.")
    negated: bool = False
    entities: list[str] = Field(default_factory=list, description="Normalised entities the claim is about.")
    claim_time: date | None = Field(default=None, description="When the asserted thing happens or was said.")
    checkworthiness: float = Field(default=0.5, ge=0.0, le=1.0)
    language: str | None = None
    extractor: Extractor = Field(default_factory=lambda: Extractor(name="unknown", version="0"))

    @model_validator(mode="after")
    def _derive_id(self) -> Claim:
        start, end = self.span
        if start < 0 or end < start:
            raise ValueError(f"span {self.span} is not a valid [start, end) range")
        for q_start, q_end in self.quote_spans:
            if q_start < 0 or q_end < q_start:
                raise ValueError(f"quote span {(q_start, q_end)} is not a valid [start, end) range")
        if not self.id:
            self.id = stable_id("clm", self.article_id, start, end, self.text)
        return self


def tracked_claim_id(founding_claim_id: str) -> str:
    """The id of the tracked claim a claim starts when it is the first mention of a fact."""
    return stable_id("trk", founding_claim_id)


class Mention(BaseModel):
    """Where a tracked claim was said: one extracted claim in one article."""

    model_config = ConfigDict(extra="forbid")

    claim_id: str
    article_id: str
    source: str
    speaker: str | None = None
    quote: str | None = None
    span: tuple[int, int]
    text: str
    published_at: AwareDatetime | None = None


class TrackedClaim(Record):
    """A fact tracked across articles, with every mention of it."""

    id: str
    canonical_text: str
    speaker: str | None = None
    speaker_role: str | None = None
    modality: Modality = "asserted"
    negated: bool = False
    numbers: list[Quantity] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list)
    claim_time: date | None = None
    first_seen_article_id: str
    first_seen_at: AwareDatetime | None = None
    last_seen_at: AwareDatetime | None = None
    mention_count: int = 1
    source_count: int = 1
    mentions: list[Mention] = Field(default_factory=list)


class TrackedClaimUpdate(Record):
    """Emitted by deduplication: a claim was attached to a tracked claim."""

    tracked: TrackedClaim
    claim: Claim
    is_new: bool = Field(description="True when the claim started a new tracked claim.")
    score: float = Field(default=1.0, description="The judge's probability that the claim restates the "
                         "tracked claim it joined (1.0 for a new tracked claim).")
    model_version: str = Field(default="", description="The pair judge that made the decision.")


ContradictionKind = Literal["numeric", "negation", "antonym", "stance_reversal", "conflicting_report"]


class Evidence(BaseModel):
    """The exact place in a source that supports one side of a contradiction."""

    model_config = ConfigDict(extra="forbid")

    tracked_claim_id: str
    claim_id: str
    article_id: str
    source: str = ""
    speaker: str | None = None
    text: str
    quote: str | None = None
    span: tuple[int, int]
    published_at: AwareDatetime | None = None


class Contradiction(Record):
    """Two tracked claims that state incompatible facts."""

    id: str = Field(default="", description="Deterministic: the two tracked claims and the kind.")
    claim_a_id: str
    claim_b_id: str
    kind: ContradictionKind
    score: float = Field(ge=0.0, le=1.0)
    explanation: str
    evidence: list[Evidence] = Field(default_factory=list)
    judgement: dict[str, Any] = Field(
        default_factory=dict,
        description="The judge's probabilities and what the analyses found to differ (values, "
                    "opposite words, the negated side, the embedding cosine).")
    model_version: str = Field(default="", description="The pair judge that made the decision.")
    detected_at: AwareDatetime = Field(default_factory=utcnow)

    @model_validator(mode="after")
    def _derive_id(self) -> Contradiction:
        if self.claim_a_id == self.claim_b_id:
            raise ValueError("a claim cannot contradict itself")
        if not self.id:
            a, b = sorted((self.claim_a_id, self.claim_b_id))
            self.id = stable_id("ctr", a, b, self.kind)
        return self


class DeadLetter(Record):
    """Input a stage could not process, kept with the reason so nothing is lost."""

    id: str = Field(default="", description="Deterministic: stage, key and payload.")
    stage: str = Field(description="The processor or stage that rejected the record.")
    reason: str = Field(description="A human-readable reason.")
    error_type: str = Field(default="", description="Exception class name, when there was one.")
    payload: str = Field(description="The original payload (UTF-8, or base64 when not valid UTF-8).")
    payload_encoding: Literal["utf-8", "base64"] = "utf-8"
    payload_truncated: bool = Field(
        default=False,
        description="True on the dead-letter topic when `payload` is only a prefix; the whole payload "
        "is in the dead_letters table.",
    )
    payload_sha256: str = Field(default="", description="SHA-256 (hex) of the original payload bytes.")
    payload_bytes: int | None = Field(default=None, description="Size of the original payload in bytes.")
    key: str | None = Field(default=None, description="The Kafka message key, usually the article id.")
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    received_at: AwareDatetime = Field(default_factory=utcnow)

    @model_validator(mode="after")
    def _derive_id(self) -> DeadLetter:
        # PostgreSQL text cannot hold NUL; an error message quoting bad input may carry one.
        self.reason = self.reason.replace("\x00", "\\x00")
        if self.key is not None:
            self.key = self.key.replace("\x00", "\\x00")
        if not self.id:
            # Payload, not topic position: the same bad input sent twice is one dead letter.
            self.id = stable_id("dlq", self.stage, self.key, self.payload)
        return self


#: Every topic record type, by the name used for its JSON Schema file.
RECORD_TYPES: dict[str, type[Record]] = {
    "article": Article,
    "claim": Claim,
    "tracked_claim": TrackedClaim,
    "tracked_claim_update": TrackedClaimUpdate,
    "contradiction": Contradiction,
    "dead_letter": DeadLetter,
}
