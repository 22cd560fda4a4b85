"""Speech timings: the render server, the frame loop's calls, and how fast faults are handled.

Real pyttsx3 + espeak-ng in the real render server; faults are injected as the speech tests
do, through ``tests/speech_fault_server.py``. The "budget" column holds the bound each number
had as a test assertion before the tests stopped timing things: the frame loop's calls stay
far below a 16 ms frame, a hang is noticed after RENDER_TIMEOUT_S (2 s) and not much later,
a dead engine at once, and shutdown never waits for a hung engine.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from _common import emit, percentile  # first: it sets up the headless environment

# isort: split
import pygame

from kiosk.speech import Speech, engine

CACHED = "Welcome to Smartizen Park."
STUCK = "This phrase gets the engine stuck."


class _Warnings(logging.Handler):
    """Times of the speech warnings logged (kept off the console)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.times: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.times.append(time.monotonic())


WARNINGS = _Warnings()


@contextlib.contextmanager
def fault(name: str) -> Iterator[None]:
    """Render servers started meanwhile run with the speech tests' fault ``name``."""
    engine.kill_server()
    engine.SERVER_MODULE, os.environ["SPEECH_FAULT"] = "tests.speech_fault_server", name
    try:
        yield
    finally:
        engine.kill_server()
        engine.SERVER_MODULE = "kiosk.speech.server"
        del os.environ["SPEECH_FAULT"]


@contextlib.contextmanager
def tuned(**settings: float) -> Iterator[None]:
    """Speech class settings (read when a Speech is made) changed meanwhile."""
    saved = {name: getattr(Speech, name) for name in settings}
    for name, value in settings.items():
        setattr(Speech, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(Speech, name, value)


def wait(until: Callable[[], bool], speech: Speech | None = None, timeout: float = 30.0) -> float:
    """Seconds until ``until()``, running a fake frame loop on ``speech`` meanwhile."""
    start = time.monotonic()
    while not until():
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"still waiting after {timeout:g} s")
        if speech is not None:
            speech.update()
        time.sleep(0.002)
    return time.monotonic() - start


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def engine_pid() -> int | None:
    server = engine.current_server()
    return server.pid if server is not None else None


def server_start(runs: int) -> dict[str, float | bool | int]:
    """Spawn to hello, and which modules the server process imports."""
    engine.kill_server()
    starts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        process = engine.EngineProcess(10.0)
        starts.append(time.perf_counter() - t0)
        process.kill()
    python, *args = engine.server_command()
    traced = subprocess.run(
        [python, "-X", "importtime", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=engine.server_env(),
        check=False,
    )
    modules = [line.rsplit("|", 1)[-1].strip() for line in traced.stderr.splitlines()]
    modules = [m for m in modules if m and m != "imported package"]
    return {
        "server_start_ms": round(statistics.median(starts) * 1e3, 1),
        "server_modules": len(modules),
        "server_imports_pygame": any(m.split(".")[0] == "pygame" for m in modules),
    }


def frame_loop(cache: Path, rounds: int) -> dict[str, float]:
    """say() while the worker renders other phrases, then update() every frame until heard."""
    speech = Speech(cache)
    says, updates, renders = [], [], []
    for r in range(rounds):
        phrases = [f"Round {r}.{n}. Catch the falling recycling before it lands." for n in range(6)]
        for text in phrases[:-1]:
            speech.prepare("en", text)  # keep the worker busy rendering meanwhile
        says.append(timed(lambda text=phrases[-1]: speech.say("en", text)))
        channel = pygame.mixer.Channel(0)
        while not channel.get_busy():
            updates.append(timed(speech.update))
            time.sleep(0.004)
        speech.stop()
        t0 = time.perf_counter()
        speech.wait_rendered("en", f"A phrase never said before, number {r}.", timeout=30)
        renders.append(time.perf_counter() - t0)
    speech.shutdown()
    return {
        "render_ms": round(statistics.median(renders) * 1e3, 1),
        "say_max_ms": round(max(says) * 1e3, 3),
        "update_p50_ms": round(percentile(updates, 0.5) * 1e3, 3),
        "update_p99_ms": round(percentile(updates, 0.99) * 1e3, 3),
        "update_max_ms": round(max(updates) * 1e3, 3),
    }


def hang(cache: Path) -> dict[str, float]:
    """A render that never answers: noticed after RENDER_TIMEOUT_S; the frame loop unaffected."""
    with fault("by-text"):
        speech = Speech(cache)
        speech.wait_rendered("en", CACHED)
        hung_pid = engine_pid()
        start = time.monotonic()
        speech.say("en", STUCK)
        calls: list[float] = []
        while engine_pid() == hung_pid:  # until the hung server is replaced
            calls.append(timed(speech.update))
            calls.append(timed(lambda: speech.set_volume(0.6)))
            calls.append(timed(lambda: speech.set_muted(False)))
            calls.append(timed(lambda: speech.status))
            calls.append(timed(lambda: speech.speaking))
            if len(calls) == 50:  # say() and stop() while the worker waits on the hung engine
                calls.append(timed(lambda: speech.say("en", "Said while the engine hangs.")))
                calls.append(timed(speech.stop))
            time.sleep(0.01)
        detected = time.monotonic() - start
        speech.shutdown()
    return {
        "hang_detected_s": round(detected, 3),
        "call_during_hang_median_ms": round(statistics.median(calls) * 1e3, 4),
        "call_during_hang_max_ms": round(max(calls) * 1e3, 3),
    }


def shutdown_while_hung(cache: Path) -> dict[str, float]:
    """shutdown() with the engine process stopped (SIGSTOP) in the middle of a render."""
    speech = Speech(cache)
    speech.wait_rendered("en", CACHED)
    pid = engine_pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    try:
        speech.say("en", "Nobody will ever hear this phrase.")
        wait(lambda: speech._worker.busy_since is not None)
        took = timed(speech.shutdown)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)
    return {"shutdown_while_hung_s": round(took, 3)}


def failures(cache: Path) -> dict[str, float]:
    """An engine that raises, and one that dies in the middle of a render."""
    with fault("by-text"):
        speech = Speech(cache / "boom")
        WARNINGS.times.clear()
        start = time.monotonic()
        for n in range(5):
            speech.prepare("en", f"Phrase number {n} (boom).")
        wait(lambda: bool(WARNINGS.times))
        raised = WARNINGS.times[0] - start
        speech.shutdown()
    with fault("by-text"):
        speech = Speech(cache / "crash")
        WARNINGS.times.clear()
        start = time.monotonic()
        speech.say("en", "This phrase makes the engine crash.")
        wait(lambda: bool(WARNINGS.times), speech)
        died = WARNINGS.times[0] - start
        speech.shutdown()
    with tuned(IDLE_CHECK_S=0.3):
        speech = Speech(cache / "idle")
        speech.wait_rendered("en", CACHED)
        pid = engine_pid()
        assert pid is not None
        start = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        idle = wait(lambda: "restarted" in speech.status)
        speech.shutdown()
    with fault("hang-at-start"), tuned(ENGINE_START_TIMEOUT=0.5):
        start = time.monotonic()
        speech = Speech(cache / "start")
        hung_start = time.monotonic() - start
        speech.shutdown()
    return {
        "raise_noticed_s": round(raised, 3),
        "death_mid_render_noticed_s": round(died, 3),
        "death_while_idle_noticed_s": round(idle, 3),
        "hung_start_given_up_s": round(hung_start, 3),
    }


# measure -> (unit, budget as once asserted by the tests, check)
BUDGETS: dict[str, tuple[str, str, Callable[[float], bool]]] = {
    "say_max_ms": ("ms", "< 5", lambda v: v < 5),
    "update_max_ms": ("ms", "< 5", lambda v: v < 5),
    "hang_detected_s": ("s", "1.9-2.5", lambda v: 1.9 <= v < 2.5),
    "call_during_hang_median_ms": ("ms", "< 1", lambda v: v < 1),
    "call_during_hang_max_ms": ("ms", "< 50", lambda v: v < 50),
    "shutdown_while_hung_s": ("s", "< 1", lambda v: v < 1),
    "raise_noticed_s": ("s", "< 1", lambda v: v < 1),
    "death_mid_render_noticed_s": ("s", "< 1", lambda v: v < 1),
    "death_while_idle_noticed_s": ("s", "< 1.5 (idle check 0.3 s)", lambda v: v < 1.5),
    "hung_start_given_up_s": ("s", "< 1.5 (start timeout 0.5 s)", lambda v: v < 1.5),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rounds", type=int, default=5, help="frame-loop rounds")
    args = parser.parse_args()
    log = logging.getLogger("kiosk.speech")
    log.addHandler(WARNINGS)
    log.propagate = False
    pygame.mixer.init()
    tmp = Path(tempfile.mkdtemp())
    data: dict[str, float | bool | int] = {}
    data |= server_start(runs=10)
    data |= frame_loop(tmp / "frames", args.rounds)
    data |= hang(tmp / "hang")
    data |= shutdown_while_hung(tmp / "shutdown")
    data |= failures(tmp / "faults")
    data["within_budget"] = all(check(data[k]) for k, (_, _, check) in BUDGETS.items())
    table = []
    for name, value in data.items():
        unit, budget, check = BUDGETS.get(name, ("", "", None))
        ok = "" if check is None or isinstance(value, bool) else ("yes" if check(value) else "NO")
        table.append((name, value, unit, budget, ok))
    emit(data, table, ("measure", "value", "unit", "budget", "within"), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
