"""factstream's contracts: topic records, SQL migrations and exported JSON Schema."""

from factstream.schemas.records import (
    RECORD_TYPES,
    SCHEMA_VERSION,
    Article,
    Claim,
    Contradiction,
    ContradictionKind,
    DeadLetter,
    Evidence,
    Extractor,
    Mention,
    Quantity,
    TrackedClaim,
    TrackedClaimUpdate,
    stable_id,
    tracked_claim_id,
    utcnow,
)

__all__ = [
    "RECORD_TYPES",
    "SCHEMA_VERSION",
    "Article",
    "Claim",
    "Contradiction",
    "ContradictionKind",
    "DeadLetter",
    "Evidence",
    "Extractor",
    "Mention",
    "Quantity",
    "TrackedClaim",
    "TrackedClaimUpdate",
    "stable_id",
    "tracked_claim_id",
    "utcnow",
]
