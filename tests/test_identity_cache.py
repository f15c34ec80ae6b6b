"""app.identity_cache: a value is found again only for the very object it was made from, goes
with that object, and a cache bounded in bytes drops its least recently used values first."""

from __future__ import annotations

import gc
import threading

import pytest

from app.identity_cache import IdentityCache


class Owner:
    """An object that takes weak references."""


def test_a_value_is_found_for_its_owner_and_detail_only() -> None:
    cache: IdentityCache[str] = IdentityCache()
    owner, other = Owner(), Owner()

    cache.put(owner, "json of owner", "json")

    assert cache.get(owner, "json") == "json of owner"
    assert cache.get(owner, "binary") is None
    assert cache.get(other, "json") is None


def test_a_value_goes_when_its_owner_is_freed() -> None:
    cache: IdentityCache[str] = IdentityCache()
    owner = Owner()
    cache.put(owner, "value")

    del owner
    gc.collect()

    assert len(cache) == 0


def test_an_owner_born_where_a_freed_one_was_does_not_find_its_value() -> None:
    cache: IdentityCache[str] = IdentityCache()
    owners = [Owner() for _ in range(50)]
    for owner in owners:
        cache.put(owner, f"value of {id(owner)}")
    freed = {id(owner) for owner in owners}

    del owners, owner
    newcomers = [Owner() for _ in range(200)]  # some reuse the freed addresses

    assert any(id(n) in freed for n in newcomers)  # CPython reuses freed memory at once
    assert all(cache.get(n) is None for n in newcomers)


def test_a_bounded_cache_drops_the_least_recently_used_first() -> None:
    cache: IdentityCache[bytes] = IdentityCache(max_bytes=10, size=len)
    a, b, c = Owner(), Owner(), Owner()
    cache.put(a, b"aaaa")
    cache.put(b, b"bbbb")
    cache.get(a)

    cache.put(c, b"cccc")

    assert cache.get(a) == b"aaaa" and cache.get(c) == b"cccc"
    assert cache.get(b) is None
    assert cache.nbytes == 8


def test_a_value_larger_than_the_bound_is_returned_but_not_kept() -> None:
    cache: IdentityCache[bytes] = IdentityCache(max_bytes=3, size=len)
    owner = Owner()

    assert cache.put(owner, b"four") == b"four"
    assert cache.get(owner) is None and cache.nbytes == 0


def test_a_bound_in_bytes_needs_a_size() -> None:
    with pytest.raises(ValueError, match="size"):
        IdentityCache(max_bytes=10)


def test_threads_putting_and_freeing_at_once_leave_a_consistent_count() -> None:
    cache: IdentityCache[bytes] = IdentityCache(max_bytes=1000, size=len)

    def churn() -> None:
        for _ in range(2000):
            owner = Owner()
            cache.put(owner, b"x" * 10)
            assert cache.get(owner) == b"x" * 10

    threads = [threading.Thread(target=churn) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    gc.collect()

    assert len(cache) == 0 and cache.nbytes == 0
