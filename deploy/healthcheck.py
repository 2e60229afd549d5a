#!/usr/bin/env python3
"""Container health check: exit 0 when a factstream HTTP endpoint answers 2xx, else 1.

Without an argument it checks the worker's web server on 127.0.0.1 at the configured
``web_port`` (FACTSTREAM_WEB_PORT, via the settings model). With a URL it checks that
instead, e.g. ``factstream-healthcheck http://127.0.0.1:8000/health`` for the api.

The worker's web server binds 127.0.0.1 only, so the check must run inside the
container (Docker HEALTHCHECK, Kubernetes exec probe), never from outside.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

# Shorter than every probe timeout in deploy/, so the probe sees our exit code, not its own timeout.
_TIMEOUT_S = 4.0


def _worker_url() -> str:
    from factstream.settings import load_settings

    return f"http://127.0.0.1:{load_settings().web_port}/"


def main(argv: list[str]) -> int:
    """Check the URL given, or the worker's; report failures on stderr."""
    url = argv[1] if len(argv) > 1 else _worker_url()
    try:
        with urllib.request.urlopen(url, timeout=_TIMEOUT_S) as response:  # noqa: S310 - fixed local URL
            ok = 200 <= response.status < 300
    except (OSError, urllib.error.URLError) as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    if not ok:
        print(f"unhealthy: {url}: HTTP {response.status}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
