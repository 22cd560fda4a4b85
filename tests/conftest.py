"""Shared fixtures: a real kiosk on a simulated clock, headless, with a real SQLite file.

Only fixtures and options live here (pytest loads this file itself; nothing imports it).
Plain helpers are in modules a test imports by name: ``journeykit`` (driving a kiosk),
``gamekit`` (playing one game), ``bootkit`` (``launch.py`` in a subprocess), ``screenkit``
(reference screenshots), ``tallykit`` (a play log to tally), ``serverkit`` (a WSGI app
on a local port) and ``claimkit`` (a claim server on either store).
"""

from __future__ import annotations

import os
import re

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame
import pytest

from games.registry import discover
from kiosk.booth.app import Kiosk
from kiosk.booth.scenes import attract, howto, language, menu
from kiosk.clock import SimClock
from kiosk.config import Config
from kiosk.fleet import pgcluster
from kiosk.fleet.migrate import migrate
from kiosk.fleet.pgcluster import Cluster
from kiosk.i18n import Strings
from kiosk.pin import DEFAULT_PIN, hash_pin
from kiosk.playlog.queued import QueuedLog
from kiosk.playlog.resilient import ResilientStore
from kiosk.playlog.writer import Writer
from kiosk.speech import Speech
from tests.journeykit import SimWall

if TYPE_CHECKING:
    from tests.bootkit import BoothRun

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The default PIN, hashed with 1,000 rounds instead of 200,000: the same check, but a test
# (or the monkey) tapping the PIN pad does not spend 0.15 s per guess in PBKDF2.
QUICK_PIN_HASH = hash_pin(DEFAULT_PIN, salt=b"smartizen-tests!", iterations=1000)
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
    language.wait_for_face()  # a screen being drawn ahead in a worker ends before pygame does
    menu.wait_for_faces()
    howto.wait_for_text()
    pygame.quit()


@pytest.fixture(scope="session")
def booth_run(tmp_path_factory: pytest.TempPathFactory) -> BoothRun:
    """One autoplaying ``launch.py`` boot (tests/bootkit.py) for every test that only reads
    what it left behind: the launcher's, the watchdog's and the claim end-to-end tests."""
    from tests.bootkit import boot_autoplay  # zxing-cpp and the CLI: only when a test boots

    return boot_autoplay(tmp_path_factory.mktemp("booth"))


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium (Debian's, driven by Playwright) for the session's browser
    tests; each test opens its own context, so nothing is shared but the process."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL server for the whole run (Debian's binaries; CI installs
    them). Tests get their own database on it from ``central_db``."""
    if not pgcluster.available():
        pytest.fail("PostgreSQL server binaries missing: apt-get install postgresql")
    with Cluster() as cluster:
        yield cluster


@pytest.fixture
def central_db(pg_cluster: Cluster, request: pytest.FixtureRequest) -> str:
    """A fresh, migrated central store for one test; returns its libpq DSN."""
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    dsn = pg_cluster.create_database(name)
    migrate(dsn)
    return dsn


@pytest.fixture(params=["sqlite", "postgresql"])
def claims_dsn(request: pytest.FixtureRequest) -> str:
    """A claim-server test on each store: ``""`` (the SQLite file, the single-desk default)
    or a fresh central database's DSN (``[postgres] dsn``, several desks)."""
    return request.getfixturevalue("central_db") if request.param == "postgresql" else ""


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
    stores: list[QueuedLog] = []

    def make(
        games=None,
        config: Config | None = None,
        seed: int = 1,
        start: datetime = EPOCH,
        busy_timeout_s: float = 5.0,
        **kw,
    ) -> Kiosk:
        """A kiosk whose wall clock reads ``start`` plus simulated time (``app.wall`` is a
        ``SimWall``: a test may step it); its store behind a writer thread, as the booth's."""
        if config is None:
            config = Config()
            config.staff.pin_hash = QUICK_PIN_HASH
        # As a booth starts: no attract labels kept. Those of earlier tests' kiosks (kept by
        # their renderers) would fill attract's cache and have it start over mid-test, at a
        # moment that depends on which tests ran before (kiosk/booth/scenes/attract.py).
        attract._kept.clear()
        attract._count.clear()
        clock = SimClock()
        wall = SimWall(clock, start)
        # One kiosk per database (its lock): a second kiosk in a test gets its own file.
        name = f"scores-{len(stores) + 1}.db" if stores else "scores.db"
        # The booth's own arrangement: the store behind its writer thread.
        store = QueuedLog(
            Writer(
                ResilientStore(
                    tmp_path / name, config.kiosk_id, now=wall, busy_timeout_s=busy_timeout_s
                )
            )
        )
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
