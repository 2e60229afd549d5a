"""The cachetools LRU caches keep what the hand-written OrderedDict caches they replaced kept.

The hand code (matching features and the store's candidate cache) read with ``get`` then
``move_to_end``, inserted, and dropped the oldest entries beyond the size; a differential replay
of random reads and writes checks that ``cachetools.LRUCache`` holds the same keys, in the same
least-recently-used order, after every step: bounded size, most recently used kept.
"""

import random
from collections import OrderedDict

from cachetools import LRUCache

from factstream.processors.matching import features
from factstream.store import repository


class _HandLRU:
    """The eviction the project wrote by hand before cachetools (as in features.py and repository.py)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[int, int] = OrderedDict()

    def get(self, key: int) -> int | None:
        value = self.data.get(key)
        if value is not None:
            self.data.move_to_end(key)
        return value

    def put(self, key: int, value: int) -> None:
        self.data[key] = value
        while len(self.data) > self.size:
            self.data.popitem(last=False)


def _lru_order(cache: LRUCache) -> list[int]:
    """Keys of ``cache`` from least to most recently used (popping a copy)."""
    copy = cache.__copy__()
    return [copy.popitem()[0] for _ in range(len(copy))]


def test_lru_cache_keeps_the_same_entries_as_the_hand_written_cache():
    rng = random.Random(18)
    for size in (1, 2, 5, 17):
        hand, lib = _HandLRU(size), LRUCache(size)
        for _ in range(3000):
            key = rng.randrange(3 * size)
            if rng.random() < 0.5:
                # The read-through pattern: a hit refreshes the entry, a miss stores it.
                got = hand.get(key)
                assert lib.get(key) == got
                if got is None:
                    hand.put(key, key * 7)
                    lib[key] = key * 7
            elif key not in hand.data:
                # The insert-if-absent pattern (remember_tracked, new tracked claims).
                hand.put(key, key)
                lib[key] = key
            assert _lru_order(lib) == list(hand.data)
            assert len(lib) <= size


def test_project_caches_are_bounded_by_their_documented_sizes():
    assert features._TRACKED_CACHE.maxsize == features.TRACKED_FEATURE_CACHE_SIZE
    store = repository.ClaimStore("postgresql://unused", min_size=0)
    assert store._candidates.maxsize == repository.CANDIDATE_CACHE_SIZE
    assert store._screens.maxsize == repository.SCREEN_CACHE_SIZE


def test_resizing_the_feature_cache_bounds_it_and_keeps_the_most_recent():
    old_size = features.FEATURE_CACHE_SIZE
    try:
        features.resize_feature_cache(2)
        cache = features._CACHE
        for key in ("a", "b", "c"):
            cache[(key,)] = key  # type: ignore[assignment]
        assert cache.get(("b",)) == "b"
        cache[("d",)] = "d"  # type: ignore[assignment]
        assert set(cache) == {("b",), ("d",)}
    finally:
        features.resize_feature_cache(old_size)
