"""The limits every session store keeps, whatever holds its records: written once, here.

A store takes its limits as keywords (`StoreSettings`, the same for every store and for
`from_url`) and derives from `SessionRules`, which keeps them and says what they mean: when a
session is idle for too long, how many past states a network keeps, when a read is worth
writing its last-use time. The store itself only keeps its records.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Required, TypedDict

from app.engine import Network

from .assignments import DEFAULT_LIMITS, AssignmentLimits
from .base import (
    LOCK_WAIT_SECONDS,
    NotRoomOwner,
    Room,
    RoomsFull,
    history_limit,
    key_digest,
    new_room_key,
    new_session_id,
)
from .records import TOUCH_INTERVAL_SECONDS


class StoreSettings(TypedDict, total=False):
    """The keywords every store takes (each store adds only where it keeps its records)."""

    ttl_seconds: Required[float]
    """A session idle for longer than this is gone."""
    max_sessions: Required[int]
    """The most live sessions kept (and as many rooms)."""
    history_limit: int
    """The most past states a session keeps for stepping back (100)."""
    history_bytes: int | None
    """…and no more than this many bytes of them (None: no bound but the count)."""
    clock: Callable[[], float]
    """Unix time now (`time.time`; tests pass a clock they move)."""
    lock_wait: float
    """The longest wait for a session another request holds (LOCK_WAIT_SECONDS)."""
    assignment_limits: AssignmentLimits
    """The assignments' own limits (DEFAULT_LIMITS)."""


@dataclass(frozen=True)
class NewRoom:
    """A room about to be kept: its id, its owner key (the owner's page gets it, once), the
    digest of that key (what a store keeps of it, never the key) and the room."""

    id: str
    key: str
    owner: str
    room: Room


class SessionRules:
    """A store's limits and what they mean, the same in every store."""

    def __init__(self, settings: StoreSettings) -> None:
        self.ttl_seconds = settings["ttl_seconds"]
        self.max_sessions = settings["max_sessions"]
        self.history_limit = settings.get("history_limit", 100)
        self.history_bytes = settings.get("history_bytes")
        self.lock_wait = settings.get("lock_wait", LOCK_WAIT_SECONDS)
        self.assignment_limits = settings.get("assignment_limits", DEFAULT_LIMITS)
        self._clock = settings.get("clock", time.time)

    def _cutoff(self) -> float:
        """The last-use time before which a session (or room) has expired."""
        return self._clock() - self.ttl_seconds

    def _kept_history(self, network: Network) -> int:
        """How many past states a session of `network` keeps (see `history_limit`)."""
        return history_limit(network, count=self.history_limit, max_bytes=self.history_bytes)

    def _stale_touch(self, touched: float, now: float) -> bool:
        """True when a session's last-use time is worth writing again: older than
        TOUCH_INTERVAL_SECONDS, or than a hundredth of the TTL (not every request writes it)."""
        return now - touched > min(TOUCH_INTERVAL_SECONDS, self.ttl_seconds / 100)

    def _admit_room(self, kept: int) -> None:
        """RoomsFull when `kept` live rooms are as many as the sessions a store keeps."""
        if kept >= self.max_sessions:
            raise RoomsFull(self.max_sessions)

    def _new_room(self, session_id: str) -> NewRoom:
        """A new room showing the session: network 1, its owner's page open now."""
        key, now = new_room_key(), self._clock()
        room = Room(session_id, network=1, started="new", seen=now, left=None)
        return NewRoom(new_session_id(), key, key_digest(key), room)

    @staticmethod
    def _check_owner(room_id: str, owner: str, key: str | None) -> None:
        """NotRoomOwner unless `key` is None (a follower reads) or `owner` is its digest."""
        if key is not None and key_digest(key) != owner:
            raise NotRoomOwner(room_id)
