"""Keeps memory a request freed for the next one, instead of handing it back to the system.

A request allocates and frees buffers of up to megabytes (a 784-256-128-10 trace holds 5.7 MB of
float64, its answer 7.6 MB). glibc takes a buffer over its mmap threshold straight from the
kernel and returns it on free, and trims the heap's free top over its trim threshold; every
page of a fresh buffer is then a page fault on first touch, which is slow in a virtual machine.
Measured here (a 2-core VM): POST /api/trace in the compact encoding took 38–76 ms with glibc's
defaults and 19–28 ms with the thresholds below, the engine's own part 4.5 → 1.6 ms.

The thresholds only let freed memory stay in the process up to `TRIM_BYTES`: the server's
resident size can stay that much above what it uses after a peak.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
"""mallopt's parameter numbers (glibc's malloc.h)."""

MMAP_BYTES = 32 * 1024 * 1024
"""Buffers under this come from the heap and are reused: the largest glibc allows by default."""

TRIM_BYTES = 256 * 1024 * 1024
"""The heap's free top is handed back to the system only past this."""


def keep_freed_memory() -> bool:
    """Sets glibc's thresholds; False where the C library is not glibc (nothing changes)."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl (Alpine) has no mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_BYTES)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_BYTES)
    )
