"""The compact record both persistent stores keep: float64 blobs, and a history read lazily."""

from __future__ import annotations

import operator
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import SupportsIndex, cast, overload

import numpy as np
import orjson

from app.engine import Limits, Network, Parameters, Session, build_spec

NETWORK_CACHE_SIZE = 256
"""Networks kept built in memory, by session id: a spec never changes, so it is parsed once."""

KNOWN_BYTES = 64 * 1024 * 1024
"""What the kept sessions' parameters (initial and last known) and losses may take in all, per
store."""

TOUCH_INTERVAL_SECONDS = 60.0
"""A read refreshes the last-use time only when it is older than this, to spare writes."""

TRUSTED_LIMITS = Limits(
    max_width=sys.maxsize, max_depth=sys.maxsize, max_parameters=sys.maxsize, max_batch=sys.maxsize
)
"""A stored spec was checked when it was created; smaller limits later must not lock it out."""

FLOAT64 = np.dtype("<f8")


def spec_json(session: Session) -> str:
    """The session's spec as stored: JSON with the initial parameters explicit.

    Written by orjson (a 250,000-parameter spec in tens of milliseconds, against a third of a
    second for `json.dumps`), which would write a NaN as null: a spec's numbers are finite, as
    its validation made sure, and this checks it again."""
    if not np.isfinite(session.initial.flat()).all():
        raise ValueError("a stored spec's parameters must be finite")
    spec = session.network.spec.to_dict()
    spec["weights"], spec["biases"] = session.initial.to_lists()
    return orjson.dumps(spec).decode()


def floats_blob(values: Iterable[float] | np.ndarray) -> bytes:
    """Numbers as little-endian float64 bytes (non-finite ones kept)."""
    return np.asarray(values, dtype=FLOAT64).tobytes()


def parameters_blob(parameters: Parameters) -> bytes:
    """W_1 … W_k then b_1 … b_k, row-major, as float64 bytes (see Parameters.flat)."""
    return floats_blob(parameters.flat())


def decode_parameters(template: Parameters, blob: bytes) -> Parameters:
    """Parameters shaped like `template` from a float64 blob (see parameters_blob)."""
    vector = np.frombuffer(blob, dtype=FLOAT64)
    if vector.size != template.flat().size:
        raise RuntimeError(f"stored parameters hold {vector.size} numbers, expected another count")
    return template.unflat(vector)


def outside(keys: range, start: int, stop: int) -> list[int]:
    """The keys (a range of step 1) not in start … stop - 1: the history rows a session no
    longer keeps, found from the ends of the two ranges (not key by key: every request asks)."""
    stop = max(start, stop)
    return [*range(keys.start, min(keys.stop, start)), *range(max(keys.start, stop), keys.stop)]


class _Unloaded:
    """A history entry still in the database: the parameters at the start of iteration `key`."""

    __slots__ = ("key",)

    def __init__(self, key: int) -> None:
        self.key = key


@lru_cache(maxsize=1024)
def _placeholders(start: int, stop: int) -> tuple[_Unloaded, ...]:
    """The entries of iterations start … stop - 1 not read yet (shared: they never change)."""
    return tuple(_Unloaded(key) for key in range(start, stop))


class LazyHistory(list[Parameters]):
    """A session's history whose entries are read from the database when first looked at.

    Entry j holds the parameters at the start of iteration `iteration - len + j`. Appending,
    trimming the front, `len` and `clear` read nothing, so the update step (which appends one
    entry) reads no history at all; only stepping back across an update reads one row.
    """

    def __init__(self, keys: range, load: Callable[[int], Parameters]) -> None:
        super().__init__()
        self._keys = keys
        self._placeholders = _placeholders(keys.start, keys.stop)
        list.extend(self, cast(tuple[Parameters, ...], self._placeholders))
        self._load = load
        self._read: dict[int, Parameters] = {}
        """The parameters read from the database, by the iteration whose row they are."""

    def _resolve(self, index: int) -> Parameters:
        item: object = list.__getitem__(self, index)
        if isinstance(item, _Unloaded):
            loaded = self._load(item.key)
            list.__setitem__(self, index, loaded)
            self._read[item.key] = loaded
            return loaded
        return cast(Parameters, item)

    @overload
    def __getitem__(self, index: SupportsIndex) -> Parameters: ...

    @overload
    def __getitem__(self, index: slice) -> list[Parameters]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> Parameters | list[Parameters]:
        if isinstance(index, slice):
            return [self._resolve(i) for i in range(*index.indices(len(self)))]
        return self._resolve(operator.index(index))

    def __iter__(self) -> Iterator[Parameters]:
        for i in range(len(self)):
            yield self._resolve(i)

    def pop(self, index: SupportsIndex = -1) -> Parameters:
        position = operator.index(index)
        self._resolve(position)
        return list.pop(self, position)

    def changed(self, first: int) -> list[int]:
        """The indices j of the entries that are not the stored row of iteration first + j
        (none, found at once, when the history was not touched: every step but the update)."""
        if (
            first == self._keys.start
            and list.__len__(self) == len(self._placeholders)
            and all(map(operator.is_, list.__iter__(self), self._placeholders))
        ):
            return []
        return [j for j in range(len(self)) if not self.is_stored_as(j, first + j)]

    def is_stored_as(self, index: int, key: int) -> bool:
        """True when entry `index` is the database row of iteration `key`, unchanged."""
        item: object = list.__getitem__(self, index)
        if isinstance(item, _Unloaded):
            return item.key == key
        return self._read.get(key) is item


@dataclass(frozen=True)
class StoredLosses:
    """J of each finished iteration as a store keeps them (`blob`, float64 bytes) and as a
    session's list of them starts (`values`), so that a request that leaves them as they were
    neither converts them nor writes them (10,000 losses: ~0.6 ms each way and back)."""

    blob: bytes
    values: tuple[float, ...]

    @classmethod
    def read(cls, blob: bytes) -> StoredLosses:
        """The losses stored as `blob`."""
        return cls(blob, tuple(np.frombuffer(blob, dtype=FLOAT64).tolist()))

    @classmethod
    def of(cls, losses: Sequence[float]) -> StoredLosses:
        """The losses to store for a session's `losses`."""
        return cls(floats_blob(losses), tuple(losses))

    def then(self, losses: Sequence[float]) -> StoredLosses:
        """These, when a session that started from them still has them; else `of(losses)`."""
        if len(losses) == len(self.values) and tuple(losses) == self.values:
            return self
        return StoredLosses.of(losses)

    @property
    def nbytes(self) -> int:
        """What they take: the bytes, and a float object and a slot for each value."""
        return len(self.blob) + 32 * len(self.values)


@dataclass(frozen=True)
class KnownState:
    """A session's parameters and losses as a store last read or wrote them, at `version`."""

    version: object
    parameters: Parameters
    losses: StoredLosses


@dataclass(frozen=True)
class Known:
    """A session's network and initial parameters, built once, and its last known state."""

    network: Network
    initial: Parameters
    state: KnownState | None = None

    @cached_property
    def nbytes(self) -> int:
        """What its parameters and losses take."""
        state = 0 if self.state is None else _nbytes(self.state.parameters)
        losses = 0 if self.state is None else self.state.losses.nbytes
        return _nbytes(self.initial) + state + losses


def _nbytes(parameters: Parameters) -> int:
    return sum(a.nbytes for a in _arrays(parameters))


def _arrays(parameters: Parameters) -> tuple[np.ndarray, ...]:
    """Every weight matrix and bias vector."""
    return (*parameters.weights, *(parameters.biases or ()))


class KnownSessions:
    """The sessions a store used last, by id: at most NETWORK_CACHE_SIZE of them and
    KNOWN_BYTES of parameters; safe for threads.

    A spec never changes, so its network is built once. A session's state is kept with the
    version it was stored under: a store that reads the version first (a small row) need not
    read and decode the parameters again when nobody, in this process or another, has written
    the session since. The engine never changes an array in place, so sharing them is safe.
    """

    def __init__(self, max_count: int = NETWORK_CACHE_SIZE, max_bytes: int = KNOWN_BYTES) -> None:
        self.max_count = max_count
        self.max_bytes = max_bytes
        self._kept: OrderedDict[str, Known] = OrderedDict()
        self._bytes = 0
        self._guard = threading.Lock()

    def get(self, session_id: str) -> Known | None:
        """What is known of the session, if anything."""
        with self._guard:
            known = self._kept.get(session_id)
            if known is not None:
                self._kept.move_to_end(session_id)
            return known

    def build(self, session_id: str, stored_spec: str | bytes) -> Known:
        """The session's network, built from its stored spec (`spec_json`), remembered."""
        network = Network(build_spec(orjson.loads(stored_spec), TRUSTED_LIMITS))
        return self.remember(session_id, network, network.initial_parameters())

    def remember(self, session_id: str, network: Network, initial: Parameters) -> Known:
        """Remembers the session's network and initial parameters (no state yet)."""
        known = Known(network, initial)
        with self._guard:
            self._put(session_id, known)
        return known

    def note_state(
        self, session_id: str, version: object, parameters: Parameters, losses: StoredLosses
    ) -> None:
        """Remembers the session's state as stored under `version` (if its network is known);
        its arrays are made read-only, as they will be shared by the requests that load it."""
        for array in _arrays(parameters):
            array.flags.writeable = False
        with self._guard:
            known = self._kept.get(session_id)
            if known is not None:
                self._put(
                    session_id,
                    Known(known.network, known.initial, KnownState(version, parameters, losses)),
                )

    def forget(self, session_id: str) -> None:
        """Forgets the session (deleted, expired, or its state unknown)."""
        with self._guard:
            known = self._kept.pop(session_id, None)
            if known is not None:
                self._bytes -= known.nbytes

    def clear(self) -> None:
        """Forgets every session."""
        with self._guard:
            self._kept.clear()
            self._bytes = 0

    def _put(self, session_id: str, known: Known) -> None:
        previous = self._kept.pop(session_id, None)
        if previous is not None:
            self._bytes -= previous.nbytes
        self._kept[session_id] = known
        self._bytes += known.nbytes
        while len(self._kept) > 1 and (
            len(self._kept) > self.max_count or self._bytes > self.max_bytes
        ):
            _, dropped = self._kept.popitem(last=False)
            self._bytes -= dropped.nbytes
