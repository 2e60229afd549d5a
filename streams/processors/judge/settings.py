"""Settings of the pair judge (``FACTSTREAM_JUDGE_*``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class JudgeSettings(BaseSettings):
    """How the pair judge runs its models."""

    model_config = SettingsConfigDict(env_prefix="FACTSTREAM_JUDGE_", env_file=".env", extra="ignore")

    verdict: Literal["rules", "learned"] = Field(
        default="rules",
        description="Who decides dedup and contradictions in the pipeline and `factstream compare`: "
                    "'learned' is the pair judge (docs/models/pair-judge.md); 'rules' the rule verdict of "
                    "the previous release, the default until the judge is order-stable (the crash and "
                    "two-order tests of tests/test_reliability.py fail with it).",
    )
    threads: int = Field(
        default=1, ge=1, le=64,
        description="onnxruntime threads per model call. One suits a worker per core (more would fight "
                    "the other agents for the cores); raise it for a lone process such as the bench.",
    )
