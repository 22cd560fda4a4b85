"""Rectangles joined so that each pixel is worked on once: what a present scales, what a
frame spreads over later frames and what a game repaints are each a set of rectangles that
must not overlap (a piece scaled or painted twice costs twice)."""

from __future__ import annotations

from collections.abc import Iterable

import pygame


def join_overlapping(
    rects: Iterable[pygame.Rect], bounds: pygame.Rect | None = None, slack: float = 0.0
) -> list[pygame.Rect]:
    """``rects`` clipped to ``bounds`` (empty ones dropped), those that overlap joined into
    their bounding box until none do. With ``slack``, two are also joined when their
    bounding box is at most ``slack`` times their two areas: neighbours cheaper to work on
    as one. Without it the search for an overlap is pygame's (``collidelist``, in C): a
    frame of a few dozen lights was 400 Python-level ``colliderect`` calls."""
    out: list[pygame.Rect] = []
    for r in rects:
        r = r.clip(bounds) if bounds is not None else pygame.Rect(r)
        if not (r.w and r.h):
            continue
        while (i := _joinable(r, out, slack)) != -1:
            r.union_ip(out.pop(i))
        out.append(r)
    return out


def _joinable(r: pygame.Rect, out: list[pygame.Rect], slack: float) -> int:
    """The index of the first of ``out`` to join ``r`` with, or -1."""
    if not slack:
        return r.collidelist(out)
    for i, o in enumerate(out):
        u = r.union(o)
        if r.colliderect(o) or u.w * u.h <= slack * (r.w * r.h + o.w * o.h):
            return i
    return -1


def outside(r: pygame.Rect, hole: pygame.Rect) -> list[pygame.Rect]:
    """The parts of ``r`` outside ``hole``: up to four rectangles (above, below, left,
    right of it)."""
    if not r.colliderect(hole):
        return [r]
    inner = r.clip(hole)
    parts = [
        pygame.Rect(r.left, r.top, r.w, inner.top - r.top),
        pygame.Rect(r.left, inner.bottom, r.w, r.bottom - inner.bottom),
        pygame.Rect(r.left, inner.top, inner.left - r.left, inner.h),
        pygame.Rect(inner.right, inner.top, r.right - inner.right, inner.h),
    ]
    return [p for p in parts if p.w > 0 and p.h > 0]
