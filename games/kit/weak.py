"""Callbacks held without keeping their owner alive.

A game hands its kit its own methods (a timer's callback, a backdrop's builder). Held
strongly, each would close a reference cycle (game → kit → method → game), and a finished
round, with its full-screen surfaces, would wait for Python's cyclic collector instead of
being freed the moment the kiosk lets go of it.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

Callback = Callable[..., Any]


def held_weakly(callback: Callback) -> Callable[[], Callback | None]:
    """A getter for ``callback`` that does not keep its owner alive: a bound method, or a
    ``functools.partial`` of one, is held through a weak reference to the object; anything
    else (a function, a lambda) strongly. The getter returns None once the owner is gone."""
    if isinstance(callback, functools.partial) and hasattr(callback.func, "__self__"):
        return _WeakPartial(callback)
    if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
        return weakref.WeakMethod(callback)  # type: ignore[return-value]
    return lambda: callback


class _WeakPartial:
    """``functools.partial(obj.method, *args)`` without a strong reference to ``obj``."""

    def __init__(self, callback: functools.partial) -> None:
        self.method = weakref.WeakMethod(callback.func)
        self.args, self.keywords = callback.args, callback.keywords

    def __call__(self) -> Callback | None:
        func = self.method()
        return None if func is None else functools.partial(func, *self.args, **self.keywords)

    def holds(self, callback: Callback) -> bool:
        return (
            isinstance(callback, functools.partial)
            and callback.func == self.method()
            and (callback.args, callback.keywords) == (self.args, self.keywords)
        )


def same_callback(held: Callable[[], Callback | None], callback: Callback) -> bool:
    if isinstance(held, _WeakPartial):
        return held.holds(callback)
    return held() == callback
