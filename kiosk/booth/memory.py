"""Keep the C heap from creeping up over a day of visitors (glibc only; no-op elsewhere).

Surfaces and sounds are allocated and freed all day; glibc keeps freed blocks in its arenas,
so the process's resident size creeps up in peaks even though nothing leaks. Two remedies:

* ``tune_allocator`` (once, at start-up) fixes the size above which glibc maps a block on its
  own. By default that limit rises to the largest block ever freed (up to 32 MB), after which
  full-screen surfaces (8 MB each) are carved out of the shared heap and fragment it; with a
  fixed limit they are mapped and given back the moment they are freed.
* ``release_free_memory`` (``malloc_trim``) returns the heap's free pages; called after each
  full collection between visitors (kiosk/booth/collector.py), off the frame-critical path.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # mallopt parameter number, from glibc's <malloc.h>
MMAP_THRESHOLD = 256 * 1024  # a 256×256 RGBA surface; text and small sprites stay below

_libc = _trim = _mallopt = None
try:
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _trim = _libc.malloc_trim
    _trim.argtypes = [ctypes.c_size_t]
    _mallopt = _libc.mallopt
    _mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to do
    log.debug("glibc malloc controls unavailable; skipping")


def tune_allocator() -> bool:
    """Fix glibc's mmap threshold (see the module docstring); True if it took effect."""
    return _mallopt is not None and _mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd",
            "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def malloc_stats() -> dict[str, float]:
    """glibc's view of the C heap in MB: in use, free but kept, and mapped on its own.

    Empty where mallinfo2 is missing (not glibc, or glibc < 2.33).
    """
    info = getattr(_libc, "mallinfo2", None)
    if info is None:
        return {}
    info.restype = _MallInfo2
    m = info()
    mb = 2**20
    return {
        "heap_used_mb": m.uordblks / mb,
        "heap_free_mb": m.fordblks / mb,
        "mmap_mb": m.hblkhd / mb,
    }


def release_free_memory() -> None:
    if _trim is not None:
        _trim(0)
