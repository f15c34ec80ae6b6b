"""The iterations traced last, kept by network and parameters: stepping through an iteration
traces it once, not once a step."""

from __future__ import annotations

import threading
from collections import OrderedDict

from .network import Network, Parameters
from .trace import Trace, trace_iteration

RECENT_TRACE_BYTES = 32 * 1024 * 1024
"""What the kept traces' arrays, and what was written from them, may take in all, per process
(a 3-layer 32-wide trace of a batch of 16 takes ~130 kB, a 784-256-128-10 trace of a batch of
64 ~5 MB; the JSON of all its tensors about three times as much)."""


class RecentTraces:
    """The last traces computed, up to `max_bytes` of arrays; safe for threads.

    A trace is found again for a network of the same fingerprint (built from an equal spec:
    a store may build a session's network again) and parameters equal bit for bit, so a trace
    from the cache is the one `trace_iteration` would compute. Its arrays are made read-only:
    several requests may hold one trace at once, and none may change it.
    """

    def __init__(self, max_bytes: int = RECENT_TRACE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._kept: OrderedDict[tuple[bytes, bytes], tuple[Trace, int]] = OrderedDict()
        self._guard = threading.Lock()

    def trace(self, network: Network, params: Parameters) -> Trace:
        """`trace_iteration(network, params)`, computed only when not kept."""
        key = (network.fingerprint, params.fingerprint)
        with self._guard:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found[0]
        trace = trace_iteration(network, params)
        size = sum(tensor.value.nbytes for tensor in trace.tensors.values())
        if size > self.max_bytes:
            return trace
        for tensor in trace.tensors.values():
            tensor.value.flags.writeable = False
        with self._guard:
            self._kept.pop(key, None)
            self._kept[key] = (trace, size)
            while self._kept and self._nbytes() > self.max_bytes:
                self._kept.popitem(last=False)
        return trace

    def _nbytes(self) -> int:
        """What the kept traces take: their arrays, and what was written from them since
        (`Trace.written`). Call under the guard."""
        return sum(size + trace.written.nbytes for trace, size in self._kept.values())

    def clear(self) -> None:
        """Forgets every trace."""
        with self._guard:
            self._kept.clear()

    def __len__(self) -> int:
        with self._guard:
            return len(self._kept)

    @property
    def nbytes(self) -> int:
        """What the kept traces take: their arrays and what was written from them."""
        with self._guard:
            return self._nbytes()


RECENT = RecentTraces()
"""The process's cache: `Session.trace()` reads through it."""
