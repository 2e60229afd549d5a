"""Settings of the extract processor (``FACTSTREAM_EXTRACT_*``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ExtractSettings(BaseSettings):
    """How the extract processor behaves; the defaults suit English news."""

    model_config = SettingsConfigDict(env_prefix="FACTSTREAM_EXTRACT_", env_file=".env", extra="ignore")

    extractor: Literal["rules"] = Field(
        default="rules", description="Which claim extractor runs; 'rules' is the offline rule-based one."
    )
    languages: tuple[str, ...] = Field(
        default=("en",), description="ISO 639-1 codes the extractor reads; other articles yield no claims."
    )
    min_checkworthiness: float = Field(
        default=0.0, ge=0.0, le=1.0,
        description="Claims scoring below this are dropped; 0 keeps all so later stages can decide.",
    )
