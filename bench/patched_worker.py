"""A ``factstream run`` worker with prototype patches applied, for measuring proposed changes.

``FACTSTREAM_BENCH_PATCH`` names the patches (comma-separated); the bench starts workers with
``python -m factstream.bench.patched_worker run ...`` instead of ``python -m factstream run ...``
when it is set.
Patches change speed only, never decisions (see docs/performance.md):

- ``feature_cache=N``: the matching feature caches' size (``FEATURE_CACHE_SIZE``, 20,000);
- ``candidates_per_key=N``: the per-key candidate window (50); changes decisions, so cost only;
- ``candidates_per_claim=N``: candidates built and compared per claim (40); changes decisions too.

(The fetch wait, the candidate cache and the narrow candidate select that were prototyped here
are now in the code: ``FACTSTREAM_CONSUMER_FETCH_MAX_WAIT_MS`` and ``streams/store/repository.py``.)

The store-size probe runs in the bench process itself, so ``--patch`` applies there too.
"""

from __future__ import annotations

import os
import sys


def apply(spec: str) -> None:
    """Apply the patches named in ``spec``."""
    for item in filter(None, (s.strip() for s in spec.split(","))):
        name, _, value = item.partition("=")
        if name == "feature_cache":
            from factstream.processors.matching import features

            features.resize_feature_cache(int(value))
        elif name == "candidates_per_key":
            # Changes decisions (fewer candidates): for cost only, never without the quality benches.
            from factstream.store import repository

            repository.CANDIDATES_PER_KEY = int(value)
        elif name == "candidates_per_claim":
            from factstream.store import repository

            repository.CANDIDATES_PER_CLAIM = int(value)
        else:
            raise SystemExit(f"unknown bench patch {name!r}")


if __name__ == "__main__":
    import runpy

    apply(os.environ.get("FACTSTREAM_BENCH_PATCH", ""))
    # Run the CLI as `python -m factstream` would: the bench drives it from outside, never imports it.
    sys.argv[0] = "factstream"
    runpy.run_module("factstream", run_name="__main__", alter_sys=True)
