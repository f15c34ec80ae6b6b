"""The limits every session store keeps, whatever holds its records: written once, here.

A store takes its limits as keywords (`StoreSettings`, the same for every store and for
`from_url`) and derives from `SessionRules`, which keeps them and says what they mean: when a
session is idle for too long, how many past states a network keeps, when a read is worth
writing its last-use time. The store itself only keeps its records.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Required, TypedDict

from app.engine import Network

from .assignments import DEFAULT_LIMITS, AssignmentLimits
from .base import LOCK_WAIT_SECONDS, history_limit
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
