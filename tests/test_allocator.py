"""app.allocator: on glibc the server keeps the memory a request freed for the next one."""

from __future__ import annotations

import ctypes
import ctypes.util
import platform

import pytest

from app.allocator import keep_freed_memory

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not GLIBC, reason="the thresholds are glibc's")
def test_on_glibc_the_thresholds_are_set_every_time_it_is_asked() -> None:
    assert keep_freed_memory() is True
    assert keep_freed_memory() is True


@pytest.mark.skipif(not GLIBC, reason="the thresholds are glibc's")
def test_a_buffer_of_megabytes_then_comes_from_the_reused_heap_not_a_fresh_mapping() -> None:
    keep_freed_memory()
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc_usable_size.restype = ctypes.c_size_t
    libc.malloc_usable_size.argtypes = [ctypes.c_void_p]
    pointer = libc.malloc(8 * 1024 * 1024)
    try:
        # glibc marks a chunk it mapped on its own with bit 1 (IS_MMAPPED) of its size field.
        size_field = ctypes.c_size_t.from_address(pointer - ctypes.sizeof(ctypes.c_size_t)).value
        assert size_field & 2 == 0
    finally:
        libc.free(ctypes.c_void_p(pointer))
