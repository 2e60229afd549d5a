"""Settings: the one place factstream reads environment variables (prefix ``FACTSTREAM_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from factstream.errors import ConfigurationError

# The embedded broker (librdkafka's mock cluster) creates every topic with this
# many partitions; faust must agree with it, and real Kafka topics default to it.
DEFAULT_PARTITIONS = 4

# Large enough for any real news article (the longest BBC article is ~25 KB),
# small enough that one hostile record cannot exhaust a worker's memory.
DEFAULT_MAX_BODY_BYTES = 1_000_000


# Loopback by default: exposing the API is a decision (with a token set), not an accident.
DEFAULT_API_HOST = "127.0.0.1"
# Next to faust's 6066 worker port, out of the way of common development servers.
DEFAULT_API_PORT = 6067


def _default_state_dir() -> Path:
    return Path.cwd() / ".factstream"


class Settings(BaseSettings):
    """Effective factstream settings, from ``FACTSTREAM_*`` variables and a ``.env`` file."""

    model_config = SettingsConfigDict(env_prefix="FACTSTREAM_", env_file=".env", extra="ignore")

    kafka_bootstrap: str | None = Field(
        default=None,
        description="Kafka bootstrap servers (host:port,...). Unset: start or reuse the embedded broker.",
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="PostgreSQL URL (postgresql://user:pass@host/db). "
        "Unset: start or reuse embedded PostgreSQL.",
    )
    state_dir: Path = Field(
        default_factory=_default_state_dir,
        description="Where embedded services keep their data and their discovery file.",
    )
    topic_prefix: str = Field(default="factstream.", description="Prefix of every topic name.")
    topic_partitions: int = Field(default=DEFAULT_PARTITIONS, ge=1, description="Partitions per topic.")
    topic_replication: int = Field(default=1, ge=1, description="Replication factor for `topics create`.")
    app_id: str = Field(default="factstream", description="faust app id: the consumer group prefix.")
    max_body_bytes: int = Field(
        default=DEFAULT_MAX_BODY_BYTES, ge=1, description="Articles with a larger body are dead-lettered."
    )
    processing_guarantee: Literal["at_least_once", "exactly_once"] = Field(
        default="at_least_once",
        description="faust processing guarantee; results in PostgreSQL are exactly-once either way.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="Log level.")
    log_format: Literal["text", "json"] = Field(default="text", description="Worker log lines: text or JSON.")
    consumer_fetch_max_wait_ms: int = Field(
        default=100, ge=1, le=10_000,
        description="Longest a consumer fetch waits for data on a drained partition (latency vs requests).",
    )
    shutdown_timeout: float = Field(
        default=30.0, gt=0, description="Seconds a stopping worker has to flush and commit before it exits."
    )
    web_port: int = Field(default=6066, description="faust worker web port (health and stats).")
    api_token: SecretStr | None = Field(
        default=None,
        description="Bearer token required by POST /articles and POST /reviews; unset: writes are disabled.",
    )
    api_host: str = Field(default=DEFAULT_API_HOST, description="Address `factstream serve` binds to.")
    api_port: int = Field(default=DEFAULT_API_PORT, ge=1, le=65535, description="Port of `factstream serve`.")
    processors: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Processors to run, in order, comma-separated; empty: every installed one.",
    )
    processors_disabled: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Installed processors not to run, comma-separated."
    )

    @field_validator("processors", "processors_disabled", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    def database_dsn(self) -> str:
        """Return the PostgreSQL connection string (resolved settings always have one)."""
        if self.database_url is None:
            raise ConfigurationError("no database configured")
        return self.database_url.get_secret_value()

    def masked(self) -> dict[str, Any]:
        """Return the settings as plain data with secrets masked, safe to log or print."""
        data = self.model_dump(mode="json")
        if self.database_url is not None:
            data["database_url"] = _mask_url(self.database_url.get_secret_value())
        if self.api_token is not None:
            data["api_token"] = "**********"  # noqa: S105 - the mask, not a password
        return data


def _mask_url(url: str) -> str:
    """Hide the password in a database URL, keep the rest readable."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def load_settings(**overrides: Any) -> Settings:
    """Load settings from the environment, with explicit overrides (e.g. from CLI options) on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
