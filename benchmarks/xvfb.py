"""The kiosk fullscreen on a real X server (Xvfb), as a booth PC without a GPU runs it.

For each screen size (1920×1080 and 3840×2160) and each case, ``launch.py`` runs fullscreen
on a fresh Xvfb for ``--seconds`` (20) after a short warm-up, and this prints frames per
second, the kiosk process's CPU (% of one core, every thread) and its resident memory:

* ``attract``: the attract screen at rest, nobody touching;
* ``game``: bots play journeys on the real clock (``--autoplay``); fps counts only the
  frames while a game is on screen.

Budgets (issue 13): attract ≥ 58 fps and ≤ 15 % of a core at 1080p, ≥ 55 fps and ≤ 40 % at
4K, RSS ≤ 150 MB; a game at 4K ≥ 50 fps. Xvfb uses software OpenGL (llvmpipe), so the kiosk
should choose its framebuffer path here; ``--path gpu`` forces the texture path to compare.
Without Xvfb installed (``apt-get install -y xvfb``) it says so and exits 0. ``--json``
prints {"runs": [...]} only.

What a booth at rest on attract holds (from /proc/PID/smaps, December 2026): the window
(X shared memory: 8 MB at 1080p, 32 MB at 4K), the backdrop (8 MB), the language screen's
face drawn ahead (2 MB: kiosk/ui/faces.py), attract's labels (3 MB), at 4K the 1920×1080
canvas (8 MB). No still picture (a light is put out from the backdrop), no copy of the last
frame while scenes report their changes (kiosk/booth/present.py); the menu's faces, the
round's scratch surface and the visitors' fonts and text are let go at each quiet point,
the first a moment after start-up (kiosk/booth/app.py ``rest``). The rest is code:
Python's (about 17 MB of modules, run with PYTHONOPTIMIZE=2 as the systemd unit runs it)
and the libraries' (numpy, cryptography, pydantic, SDL: 45 MB of mapped files; Pillow,
which ``qrcode`` imports when it is installed, only in the test environment: 3.5 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # puts the repository on sys.path for the child's kiosk imports

SIZES = ((1920, 1080), (3840, 2160))
CASES = ("attract", "game")
WARM_UP_S = 3.0
BUDGETS = {  # (size, case): (min fps, max % of a core)
    ((1920, 1080), "attract"): (58.0, 15.0),
    ((3840, 2160), "attract"): (55.0, 40.0),
    ((3840, 2160), "game"): (50.0, None),
}
BUDGET_RSS_MB = 150.0


def child(case: str, seconds: float, out: Path) -> int:
    """Runs inside the X session: the real launcher, with the loop timed from outside it."""
    import resource

    import kiosk.booth.app as app_module
    from kiosk.booth import launcher

    real_run = app_module.run
    stats = {"frames": 0, "play_frames": 0, "play_s": 0.0, "rss_peak_mb": 0.0}

    def timed_run(app, display, *args, **kwargs):
        present = display.present
        t_start = time.perf_counter()
        state: dict[str, float] = {}

        def counted(changed=None, started=None) -> None:
            present(changed, started)
            now = time.perf_counter()
            if now - t_start < WARM_UP_S:
                return
            if not state:  # the measurement starts
                state["t0"], state["cpu0"], state["last"] = now, _cpu_s(resource), now
                state["main0"] = time.thread_time()
            stats["frames"] += 1
            if app.scene.name == "play":
                stats["play_frames"] += 1
                stats["play_s"] += now - state["last"]
            state["last"] = now
            if stats["frames"] % 60 == 0:
                stats["rss_peak_mb"] = max(stats["rss_peak_mb"], _rss_mb())
            if now - state["t0"] >= seconds:
                stats["wall_s"] = now - state["t0"]
                stats["cpu_s"] = _cpu_s(resource) - state["cpu0"]
                stats["main_cpu_s"] = time.thread_time() - state["main0"]
                stats["rss_mb"] = _rss_mb()
                stats["rss_peak_mb"] = max(stats["rss_peak_mb"], stats["rss_mb"])
                stats["path"] = getattr(display, "describe", lambda: "unknown")()
                app.running = False

        display.present = counted
        return real_run(app, display, *args, **kwargs)

    app_module.run = timed_run
    args = ["--mute", "--db", str(out.parent / "xvfb.db"), "--seed", "3"]
    if case == "game":
        args += ["--autoplay", "1000"]
    code = launcher.main(args)
    out.write_text(json.dumps(stats))
    return code


def _cpu_s(resource) -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def start_xvfb(size: tuple[int, int]) -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    screen = f"{size[0]}x{size[1]}x24"
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0", screen],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    if not number:
        xvfb.kill()
        raise RuntimeError("Xvfb did not start")
    return xvfb, f":{number}"


def measure(size: tuple[int, int], case: str, seconds: float, path: str | None) -> dict:
    xvfb, display = start_xvfb(size)
    tmp = Path(tempfile.mkdtemp())
    out = tmp / "stats.json"
    env = dict(os.environ, DISPLAY=display, PYGAME_HIDE_SUPPORT_PROMPT="1")
    env["SDL_VIDEODRIVER"] = "x11"  # the real X server, not _common's dummy driver
    env["SDL_AUDIODRIVER"] = "dummy"
    env["PYTHONOPTIMIZE"] = "2"  # as the booth's systemd unit runs it
    if path:
        env["SMARTIZEN_PRESENT"] = path
    try:
        command = [sys.executable, __file__, "--child", case, "--seconds", str(seconds)]
        proc = subprocess.run(
            [*command, "--out", str(out)],
            env=env,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=seconds + 120,
        )
    finally:
        xvfb.terminate()
        xvfb.wait()
    if not out.exists():
        tail = proc.stderr.strip().splitlines()[-3:]
        raise RuntimeError(f"kiosk under Xvfb failed ({proc.returncode}): {tail}")
    s = json.loads(out.read_text())
    fps = s["frames"] / s["wall_s"]
    if case == "game":
        fps = s["play_frames"] / s["play_s"] if s["play_s"] else 0.0
    row = {
        "size": f"{size[0]}x{size[1]}",
        "case": case,
        "path": s.get("path", "?"),
        "fps": round(fps, 1),
        "cpu_pct": round(100 * s["cpu_s"] / s["wall_s"], 1),
        "frame_thread_cpu_pct": round(100 * s["main_cpu_s"] / s["wall_s"], 1),
        "rss_mb": round(s["rss_mb"], 1),
        "rss_peak_mb": round(s["rss_peak_mb"], 1),
    }
    min_fps, max_cpu = BUDGETS.get((size, case), (None, None))
    row["within_budget"] = (
        (min_fps is None or row["fps"] >= min_fps)
        and (max_cpu is None or row["cpu_pct"] <= max_cpu)
        and (case != "attract" or row["rss_peak_mb"] <= BUDGET_RSS_MB)  # at rest only
    )
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "\n").splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--path", choices=("gpu", "framebuffer"), help="force a present path")
    parser.add_argument("--case", choices=CASES, action="append", help="default: both")
    parser.add_argument("--size", action="append", help="WxH (default 1920x1080 and 3840x2160)")
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.seconds, args.out)

    if shutil.which("Xvfb") is None:
        message = "Xvfb is not installed (apt-get install -y xvfb): nothing measured"
        if args.json:
            print(json.dumps({"skipped": message, "runs": []}))
        else:
            print(message)
        return 0
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.size] if args.size else SIZES
    runs = [
        measure(size, case, args.seconds, args.path)
        for size in sizes
        for case in (args.case or CASES)
    ]
    data = {"seconds": args.seconds, "budget_rss_mb": BUDGET_RSS_MB, "runs": runs}
    rows = [
        (r["size"], r["case"], r["fps"], r["cpu_pct"], r["frame_thread_cpu_pct"],
         r["rss_peak_mb"], r["path"],
         "ok" if r["within_budget"] else "OVER")
        for r in runs
    ]  # fmt: skip
    header = ("size", "case", "fps", "cpu %", "frame thread %", "rss MB", "path", "budget")
    _common.emit(data, rows, header, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
