"""The API's settings fields, on top of the shared :class:`~streams.settings.Settings`.

These three fields belong in ``streams.settings.Settings``; until they are there, ``ApiSettings``
carries them (same names, same ``FACTSTREAM_API_*`` variables), and once they are, it adds nothing.
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from streams.settings import Settings

# Loopback by default: exposing the API is a decision (with a token set), not an accident.
DEFAULT_API_HOST = "127.0.0.1"
# Next to faust's 6066 worker port, out of the way of common development servers.
DEFAULT_API_PORT = 6067


class ApiSettings(Settings):
    """Settings with the HTTP API's fields."""

    api_token: SecretStr | None = Field(
        default=None,
        description="Bearer token required by POST /articles and POST /reviews; unset: writes are disabled.",
    )
    api_host: str = Field(default=DEFAULT_API_HOST, description="Address `factstream serve` binds to.")
    api_port: int = Field(default=DEFAULT_API_PORT, ge=1, le=65535, description="Port of `factstream serve`.")


def api_settings(settings: Settings) -> ApiSettings:
    """Return the settings as ApiSettings (API fields from the environment when ``settings`` lacks them)."""
    if isinstance(settings, ApiSettings):
        return settings
    return ApiSettings(**settings.model_dump(exclude_unset=False))
