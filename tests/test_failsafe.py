"""A broken font or a fault on every frame: the kiosk keeps serving, logs each cause once and
backs off instead of spinning (issue 11, item 10). On the simulated clock, plus one real
``launch.py`` boot with 0-byte font files."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from kiosk.booth.failures import BACKOFF_CAP_S, CALM_S, FailureLog
from kiosk.booth.scenes.attract import AttractScene
from kiosk.booth.scenes.failsafe import FailsafeScene
from kiosk.ui.text import FONT_FILES, TextRenderer
from tests.bootkit import launch
from tests.journeykit import play_through, run_for, tap


def broken_fonts(folder: Path, content: bytes = b"") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in FONT_FILES.values():
        (folder / name).write_bytes(content)
    return folder


@pytest.mark.parametrize(
    "content", [b"", b"not a font" * 50, b"OTTO" + bytes(4000)], ids=["empty", "text", "truncated"]
)
def test_an_unusable_font_file_falls_back_to_the_built_in_font_logged_once(
    tmp_path, caplog, content
) -> None:
    text = TextRenderer(font_dir=broken_fonts(tmp_path / "fonts", content))
    with caplog.at_level(logging.ERROR, logger="kiosk.ui.text"):
        for size in (24, 40, 64):
            for weight in ("regular", "bold"):
                assert text.render("Touch to play 開始", size, (255, 255, 255), weight).get_width()
        assert text.wrap("Sort the rubbish into the right bins", 40, 300)
    unusable = [r for r in caplog.records if "unusable" in r.message]
    assert len(unusable) == len(FONT_FILES)  # once per file, not per size or per call
    assert set(text.broken) == {tmp_path / "fonts" / n for n in FONT_FILES.values()}


def test_the_kiosk_serves_whole_journeys_with_empty_font_files(make_kiosk, tmp_path) -> None:
    app = make_kiosk()
    app.text = TextRenderer(font_dir=broken_fonts(tmp_path / "fonts"))
    run_for(app, 10, draw=True)
    assert app.scene.name == "attract"
    play_through(app)
    run_for(app, 60, draw=True)
    assert app.journey.failures.total == 0
    assert app.store.count(outcome="completed") == 1


def fail_attract(monkeypatch) -> list[int]:
    """Attract's drawing raises on every frame, as a broken asset under it would."""
    calls = [0]

    def draw(self, surface):
        calls[0] += 1
        raise ValueError("Font file object has an invalid file size: 0")

    monkeypatch.setattr(AttractScene, "draw", draw)
    return calls


def test_a_fault_on_every_frame_backs_off_and_logs_its_traceback_once(
    make_kiosk, monkeypatch, caplog
) -> None:
    app = make_kiosk()
    attempts = fail_attract(monkeypatch)
    holds = []
    with caplog.at_level(logging.INFO):
        for _ in range(12 * 60 * 10):  # twelve simulated minutes at 10 frames a second
            run_for(app, 0.1, dt=0.1, draw=True)
            scene = app.scene
            if isinstance(scene, FailsafeScene) and (not holds or holds[-1][0] is not scene):
                holds.append((scene, scene.hold_s))
    durations = [h for _, h in holds]
    assert durations[:6] == [6, 12, 24, 48, 96, BACKOFF_CAP_S]
    assert set(durations[5:]) == {BACKOFF_CAP_S}
    assert attempts[0] == app.journey.failures.total == len(holds) <= 12
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1 and "invalid file size" in caplog.text
    again = [r.getMessage() for r in caplog.records if "failed again" in r.getMessage()]
    assert again and all("ValueError at" in m and "times so far" in m for m in again)
    assert len(again) <= 4  # at the 2nd, 4th, 8th … occurrence only
    assert len(caplog.text) < 20_000


def test_after_the_fault_clears_the_kiosk_serves_and_a_later_fault_starts_short(
    make_kiosk, monkeypatch
) -> None:
    app = make_kiosk()
    fail_attract(monkeypatch)
    run_for(app, 6 + 6, draw=True)  # two failures, the second hold still running
    assert isinstance(app.scene, FailsafeScene) and app.scene.hold_s == 12
    monkeypatch.undo()  # the asset is fixed
    run_for(app, 12, draw=True)
    assert app.scene.name == "attract"
    play_through(app)
    run_for(app, CALM_S, draw=False)
    fail_attract(monkeypatch)
    run_for(app, 0.1, draw=True)
    assert isinstance(app.scene, FailsafeScene) and app.scene.hold_s == 6


def test_a_failsafe_that_cannot_draw_goes_plain_and_still_returns(make_kiosk, monkeypatch) -> None:
    app = make_kiosk()
    fail_attract(monkeypatch)

    def bad_notice(self, surface, section, size):
        raise RuntimeError("no font at all")

    monkeypatch.setattr(FailsafeScene, "draw_bilingual_notice", bad_notice)
    run_for(app, 0.2, draw=True)
    scene = app.scene
    assert isinstance(scene, FailsafeScene) and scene.plain
    run_for(app, 3, draw=True)
    assert app.scene is scene  # drawing plain: no further failures
    assert app.journey.failures.total == 2
    monkeypatch.undo()
    run_for(app, scene.hold_s, draw=True)
    assert app.scene.name == "attract"


def test_a_tap_ends_a_one_off_failsafe_but_not_a_back_off(make_kiosk, monkeypatch) -> None:
    app = make_kiosk()
    calls = fail_attract(monkeypatch)
    run_for(app, 0.1, draw=True)
    assert isinstance(app.scene, FailsafeScene) and app.scene.hold_s == 6
    monkeypatch.undo()
    tap(app, 960, 540)  # a one-off: the visitor goes on at once
    assert app.scene.name == "attract"
    calls = fail_attract(monkeypatch)
    run_for(app, 0.1, draw=True)
    assert isinstance(app.scene, FailsafeScene) and app.scene.hold_s == 12
    tap(app, 960, 540)  # in a back-off a tap does not retry what keeps failing
    assert isinstance(app.scene, FailsafeScene) and calls[0] == 1


def test_causes_are_type_and_place_and_the_hold_is_capped() -> None:
    clock = [0.0]
    log = FailureLog(lambda: clock[0])

    def raise_here(exc):
        raise exc

    holds = []
    for i in range(10):
        try:
            raise_here(ValueError(f"message {i}"))  # another message, the same cause
        except ValueError as exc:
            holds.append(log.record(exc, "attract"))
    assert holds == [6, 12, 24, 48, 96, 120, 120, 120, 120, 120]
    assert list(log.counts.values()) == [10]
    clock[0] = 120 + CALM_S + 1  # long after the last hold ended: a first failure again
    try:
        raise_here(KeyError("other"))
    except KeyError as exc:
        assert log.record(exc, "menu") == 6
    assert len(log.counts) == 2


def test_a_real_kiosk_with_empty_font_files_completes_journeys(tmp_path) -> None:
    fonts = broken_fonts(tmp_path / "fonts")
    env = dict(os.environ, SMARTIZEN_FONT_DIR=str(fonts))
    db = tmp_path / "scores.db"
    proc = launch(
        "--headless", "--fast", "--mute", "--autoplay", "2", "--seed", "4", "--db", str(db),
        env=env, cwd=tmp_path,
    )  # fmt: skip
    said = f"stdout: {proc.stdout[-1500:]}\nstderr: {proc.stderr[-3000:]}"
    assert proc.returncode == 0, said
    assert "2 completed" in proc.stdout, said
    assert proc.stderr.count("unusable") == len(FONT_FILES), said
    assert "Traceback" not in proc.stderr and "failsafe" not in proc.stderr, said
    log = tmp_path / "logs" / "kiosk.log"
    assert log.stat().st_size < 50_000
