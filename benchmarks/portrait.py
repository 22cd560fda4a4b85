"""How much of a 1080×1920 portrait totem each journey screen uses: before (the landscape
screen letterboxed into it, as the kiosk did until portrait layouts) and now (the portrait
layout).

Per screen: the share of the glass that shows content (pixels that are neither the night-sky
backdrop nor the plain background, nor a black bar), the share spanned by the content's
bounding box, and the smallest touch target in physical pixels. ``--json`` prints
{"screens": {name: {...}}, "means": {...}}.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pygame
from _common import emit

from games.registry import discover
from kiosk.booth.app import Kiosk
from kiosk.clock import SimClock
from kiosk.config import Config
from kiosk.i18n import Strings
from kiosk.input import PointerEvent
from kiosk.pin import hash_pin
from kiosk.playlog.store import PlayStore
from kiosk.speech import Speech
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop, draw_lights
from kiosk.ui.frame import LANDSCAPE, PORTRAIT
from kiosk.ui.overlay import shade

TOTEM = PORTRAIT  # the physical screen both layouts are measured on
NEAR = 24  # a pixel within this of the background (any channel) is background
PIN = "2468"


def kiosk(size: tuple[int, int], tmp: Path) -> Kiosk:
    config = Config()
    config.staff.pin_hash = hash_pin(PIN, salt=b"portrait-measure", iterations=1000)
    config.prizes.key_file = str(tmp / "event.key")
    clock = SimClock()

    def wall() -> datetime:
        return datetime(2026, 7, 18, 2, tzinfo=UTC) + timedelta(seconds=clock.now())

    return Kiosk(
        config=config,
        strings=Strings(),
        store=PlayStore(tmp / f"{size[0]}x{size[1]}.db", "K01"),
        speech=Speech(tmp / "speech", muted=True),
        games=list(discover().values()),
        clock=clock,
        wall=wall,
        canvas=pygame.Surface(size),
        seed=5,
    )


def run(app: Kiosk, seconds: float) -> None:
    for _ in range(round(seconds / 0.05)):
        app.clock.advance(0.05)
        app.frame(0.05, draw=False)


def tap(app: Kiosk, pos: tuple[float, float]) -> None:
    run(app, 0.4)
    app.pointer(PointerEvent("down", *pos, 1))
    app.pointer(PointerEvent("up", *pos, 1))
    run(app, 0.05)


def press(app: Kiosk, label: str) -> None:
    (button,) = [b for b in app.layer.buttons if b.label == label]
    tap(app, button.rect.center)


def screens(app: Kiosk) -> Iterator[str]:
    """Walks one English visitor's journey and the staff layers, yielding each screen's
    name while it is showing (its animations at a fixed moment)."""

    def settle(t: float = 2.0) -> None:
        app.scene.t = t

    settle()
    yield "attract"
    tap(app, (500, 500))
    settle()
    yield "language"
    tap(app, app.scene.buttons[0].rect.center)
    settle()
    yield "menu"
    tap(app, app.scene.buttons[0].rect.center)
    yield "howto"
    tap(app, app.scene.start.rect.center)
    run(app, 3.0)
    yield "play"
    app.asking = True
    yield "still playing?"
    app.asking = False
    app.scene.game.finished = True
    run(app, 2.0)
    settle(5.0)
    yield "result"
    app.prizes.nonce = lambda: 7
    tap(app, app.scene.next.rect.center)
    settle()
    yield "claim"
    tap(app, app.scene.done.rect.center)
    settle()
    yield "thanks"
    app.pointer(PointerEvent("down", 40, 40, 9))
    run(app, 3.2)
    app.pointer(PointerEvent("up", 40, 40, 9))
    yield "PIN pad"
    for digit in PIN:
        press(app, digit)
    press(app, app.staff.tr("staff.ok"))
    yield "staff panel"
    press(app, app.staff.tr("staff.pause"))
    press(app, app.staff.tr("staff.close"))
    settle()
    yield "paused"
    app.journey.fail(RuntimeError("measured"))
    settle()
    yield "failsafe"


def backgrounds(size: tuple[int, int], t: float, layer: bool) -> list[np.ndarray]:
    """What counts as no content: the backdrop (still and with its lights at ``t``) and the
    plain background fill, each also dimmed by the shade when a layer is open (the staff
    panel paints its own plain background over the shade)."""
    out = []
    for lights in (False, True):
        surf = pygame.Surface(size)
        draw_backdrop(surf, t)
        if lights:
            draw_lights(surf, t)
        out.append(surf)
    plain = pygame.Surface(size)
    plain.fill(theme.BACKGROUND)
    out.append(plain)
    if layer:
        for surf in list(out):
            dimmed = surf.copy()
            dimmed.blit(shade(size), (0, 0))
            out.append(dimmed)
    return [pygame.surfarray.array3d(s).astype(np.int16) for s in out]


def content_mask(app: Kiosk) -> np.ndarray:
    app.draw()
    frame = pygame.surfarray.array3d(app.canvas).astype(np.int16)
    mask = np.ones(frame.shape[:2], dtype=bool)
    for bg in backgrounds(app.canvas.get_size(), app.scene.t, app.layer is not None):
        mask &= np.abs(frame - bg).max(axis=2) > NEAR
    return mask


def measure(app: Kiosk) -> dict[str, float]:
    """The shares of the totem's area, as the canvas would appear on it."""
    mask = content_mask(app)
    scale = min(TOTEM[0] / app.canvas.get_width(), TOTEM[1] / app.canvas.get_height())
    totem_area = TOTEM[0] * TOTEM[1]
    xs, ys = np.nonzero(mask)
    box = (xs.max() - xs.min() + 1) * (ys.max() - ys.min() + 1) if len(xs) else 0
    screen = app.layer or app.scene
    targets = [min(b.rect.size) for b in screen.buttons]
    return {
        "lit_pct": round(100 * mask.size * scale**2 / totem_area, 1),
        "content_pct": round(100 * mask.sum() * scale**2 / totem_area, 1),
        "span_pct": round(100 * box * scale**2 / totem_area, 1),
        "smallest_target_px": round(min(targets) * scale) if targets else None,
    }


def walk(size: tuple[int, int], tmp: Path) -> dict[str, dict[str, float]]:
    app = kiosk(size, tmp)
    return {name: measure(app) for name in screens(app)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    pygame.init()
    pygame.display.set_mode((64, 64))
    random.seed(0)
    tmp = Path(tempfile.mkdtemp())
    before = walk(LANDSCAPE, tmp)
    after = walk(PORTRAIT, tmp)
    data: dict[str, dict] = {"screens": {}, "means": {}}
    rows = []
    for name in before:
        b, a = before[name], after[name]
        data["screens"][name] = {"before": b, "after": a}
        rows.append(
            (
                name,
                f"{b['content_pct']} → {a['content_pct']}",
                f"{b['span_pct']} → {a['span_pct']}",
                f"{b['lit_pct']} → {a['lit_pct']}",
                f"{b['smallest_target_px']} → {a['smallest_target_px']}",
            )
        )
    mean: Callable[[dict, str], float] = lambda side, k: round(  # noqa: E731
        sum(v[k] for v in side.values()) / len(side), 1
    )
    for key in ("content_pct", "span_pct", "lit_pct"):
        data["means"][key] = {"before": mean(before, key), "after": mean(after, key)}
    rows.append(
        (
            "mean",
            f"{mean(before, 'content_pct')} → {mean(after, 'content_pct')}",
            f"{mean(before, 'span_pct')} → {mean(after, 'span_pct')}",
            f"{mean(before, 'lit_pct')} → {mean(after, 'lit_pct')}",
            "",
        )
    )
    emit(
        data,
        rows,
        (
            "screen on a 1080×1920 totem",
            "content % (before → after)",
            "content span %",
            "lit (not black bar) %",
            "smallest target px",
        ),
        args.json,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
