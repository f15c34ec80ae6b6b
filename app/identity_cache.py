"""Values made from an object, found again by the object itself for as long as it lives."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from functools import partial
from typing import Generic, TypeVar

V = TypeVar("V")


class IdentityCache(Generic[V]):
    """Values kept by (the identity of an object, a hashable detail), safe for threads.

    An entry is found only for the very object it was made from, and goes when that object is
    freed (the object must take weak references). With `max_bytes`, the values' `size` in all
    is kept under it, the least recently used dropped first.
    """

    def __init__(
        self, *, max_bytes: int | None = None, size: Callable[[V], int] | None = None
    ) -> None:
        if max_bytes is not None and size is None:
            raise ValueError("a cache bounded in bytes needs the size of a value")
        self.max_bytes = max_bytes
        self._size = size
        self._kept: OrderedDict[tuple[int, Hashable], tuple[weakref.ref[object], V, int]] = (
            OrderedDict()
        )
        self._bytes = 0
        self._guard = threading.Lock()
        # A freed object's entries are noted here and dropped by the next call: the note may be
        # taken in any thread at any moment (even inside a call holding the guard), so it only
        # appends, which is atomic.
        self._freed: deque[tuple[int, Hashable]] = deque()

    def get(self, owner: object, detail: Hashable = None) -> V | None:
        """The value kept for `owner` and `detail`, if any."""
        key = (id(owner), detail)
        with self._guard:
            self._drop_freed()
            found = self._kept.get(key)
            if found is None or found[0]() is not owner:
                return None
            self._kept.move_to_end(key)
            return found[1]

    def put(self, owner: object, value: V, detail: Hashable = None) -> V:
        """Keeps `value` for `owner` and `detail` (unless it alone is over `max_bytes`);
        returns it."""
        key = (id(owner), detail)
        size = 0 if self._size is None else self._size(value)
        if self.max_bytes is not None and size > self.max_bytes:
            return value
        ref = weakref.ref(owner, partial(_note_freed, self._freed, key))
        with self._guard:
            self._drop_freed()
            self._discard(key)
            self._kept[key] = (ref, value, size)
            self._bytes += size
            while self.max_bytes is not None and self._bytes > self.max_bytes:
                _, (_, _, dropped) = self._kept.popitem(last=False)
                self._bytes -= dropped
        return value

    def __len__(self) -> int:
        with self._guard:
            self._drop_freed()
            return len(self._kept)

    @property
    def nbytes(self) -> int:
        """The kept values' size in all."""
        with self._guard:
            self._drop_freed()
            return self._bytes

    def _drop_freed(self) -> None:
        while self._freed:
            key = self._freed.popleft()
            found = self._kept.get(key)
            if found is not None and found[0]() is None:
                self._discard(key)

    def _discard(self, key: tuple[int, Hashable]) -> None:
        found = self._kept.pop(key, None)
        if found is not None:
            self._bytes -= found[2]


def _note_freed(
    freed: deque[tuple[int, Hashable]], key: tuple[int, Hashable], _: weakref.ref[object]
) -> None:
    freed.append(key)
