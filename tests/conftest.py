"""Shared fixtures: a real kiosk on a simulated clock, headless, with a real SQLite file."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pygame
import pytest

from games.registry import discover
from kiosk.booth.app import Kiosk
from kiosk.clock import SimClock
from kiosk.config import Config
from kiosk.i18n import Strings
from kiosk.input import PointerEvent
from kiosk.playlog.resilient import ResilientStore
from kiosk.speech import Speech

EPOCH = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)  # a carnival morning, 10:00 in Hong Kong


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-screens",
        action="store_true",
        help="rewrite the reference screenshots in tests/screens/",
    )


@pytest.fixture(scope="session", autouse=True)
def _pygame() -> Iterator[None]:
    pygame.init()
    pygame.display.set_mode((1920, 1080))
    yield
    pygame.quit()


@pytest.fixture(scope="session")
def strings() -> Strings:
    return Strings()


@pytest.fixture
def speech(tmp_path: Path) -> Iterator[Speech]:
    s = Speech(tmp_path / "speech", muted=True)
    yield s
    s.shutdown()


@pytest.fixture
def make_kiosk(tmp_path: Path, strings: Strings, speech: Speech) -> Iterator[Callable[..., Kiosk]]:
    stores: list[ResilientStore] = []

    def make(games=None, config: Config | None = None, seed: int = 1, **kw) -> Kiosk:
        config = config or Config()
        clock = SimClock()

        def wall() -> datetime:
            return EPOCH + timedelta(seconds=clock.now())

        store = ResilientStore(tmp_path / "scores.db", config.kiosk_id, now=wall)
        stores.append(store)
        return Kiosk(
            config=config,
            strings=strings,
            store=store,
            speech=speech,
            games=games if games is not None else list(discover().values()),
            clock=clock,
            wall=wall,
            seed=seed,
            **kw,
        )

    yield make
    for store in stores:
        store.close()


def run_for(app: Kiosk, seconds: float, dt: float = 0.05, draw: bool = False) -> None:
    """Advance a kiosk's simulated clock, frame by frame."""
    for _ in range(round(seconds / dt)):
        app.clock.advance(dt)
        app.frame(dt, draw=draw)


def tap(app: Kiosk, x: float, y: float, pointer: int = 1) -> None:
    """One physical tap, after letting any input guard of a new screen pass."""
    run_for(app, 0.4)
    app.pointer(PointerEvent("down", x, y, pointer))
    app.pointer(PointerEvent("up", x, y, pointer))
    run_for(app, 0.05)


def tap_button(app: Kiosk, index: int = 0) -> None:
    x, y = app.scene.buttons[index].rect.center
    tap(app, x, y)
