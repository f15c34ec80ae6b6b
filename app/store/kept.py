"""Records kept in a dict of this process, each with the time of its last use: the memory
store's sessions, rooms and assignments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar


class Used(Protocol):
    """A record with the Unix time of its last use."""

    touched: float


E = TypeVar("E", bound=Used)


class Kept(dict[str, E]):
    """Records by id; one last used before a cutoff has expired, and goes when looked up or
    purged; `missing(id)` is the error for one not kept. Not safe for threads by itself: its
    store's guard is held around it."""

    def __init__(self, missing: Callable[[str], LookupError]) -> None:
        super().__init__()
        self.missing = missing

    def find(self, key: str, cutoff: float) -> E | None:
        """The record of `key` unless it is not kept or has expired (then it goes)."""
        entry = self.get(key)
        if entry is not None and entry.touched < cutoff:
            del self[key]
            return None
        return entry

    def live(self, key: str, cutoff: float) -> E:
        """The record of `key`; `missing(key)` when it is not kept or has expired."""
        entry = self.find(key, cutoff)
        if entry is None:
            raise self.missing(key)
        return entry

    def purge(self, cutoff: float) -> list[str]:
        """Drops the records last used before `cutoff`; their ids."""
        stale = [key for key, entry in self.items() if entry.touched < cutoff]
        for key in stale:
            del self[key]
        return stale
