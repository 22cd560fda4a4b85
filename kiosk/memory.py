"""Give freed memory back to the operating system between visitors.

Surfaces and sounds are allocated and freed all day; glibc keeps freed blocks in its arenas,
so the process's resident size creeps up in peaks even though nothing leaks. ``malloc_trim``
returns those pages; called once per visitor, off the frame-critical path.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

_trim = None
try:
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _trim = _libc.malloc_trim
    _trim.argtypes = [ctypes.c_size_t]
except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to do
    log.debug("malloc_trim unavailable; skipping")


def release_free_memory() -> None:
    if _trim is not None:
        _trim(0)
