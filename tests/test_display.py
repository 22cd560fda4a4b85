"""The screen: the presentation path chosen for the machine, the letterbox kept right when the
window changes size, and only the changed parts of the canvas copied (issue 13, 11.11)."""

from __future__ import annotations

from collections.abc import Iterator

import pygame
import pytest

from kiosk.booth.app import run
from kiosk.booth.display import Display
from kiosk.booth.glprobe import choose_path, probe_gl_renderer
from kiosk.booth.present import ROUGH_PX, TRUSTED_AFTER, SurfacePresenter
from kiosk.input import PointerTranslator
from kiosk.ui.damage import Damage
from kiosk.ui.scaling import Letterbox


@pytest.fixture
def display() -> Iterator[Display]:
    yield Display(headless=True)
    pygame.display.set_mode((1920, 1080))  # what the other tests expect (conftest)


@pytest.mark.parametrize(
    ("driver", "renderer", "path"),
    [
        ("x11", "llvmpipe (LLVM 15.0.6, 256 bits)", "framebuffer"),
        ("x11", "softpipe", "framebuffer"),
        ("wayland", "Mesa Software Rasterizer", "framebuffer"),
        ("x11", "Mesa Intel(R) UHD Graphics 620 (KBL GT2)", "gpu"),
        ("x11", "AMD Radeon Graphics (radeonsi, renoir, LLVM 15.0.7)", "gpu"),
        ("x11", "V3D 7.1", "gpu"),  # a Raspberry Pi 5
        ("x11", None, "framebuffer"),  # no OpenGL at all
        ("dummy", None, "framebuffer"),
    ],
)
def test_the_path_follows_the_opengl_renderer(driver, renderer, path) -> None:
    choice = choose_path(driver, renderer)
    assert choice.path == path
    assert choice.renderer == (renderer or "no OpenGL")


def test_staff_can_force_a_path_and_a_typo_is_ignored() -> None:
    assert choose_path("x11", "llvmpipe", forced="gpu").path == "gpu"
    assert choose_path("x11", "Mesa Intel(R) UHD", forced="framebuffer").path == "framebuffer"
    assert choose_path("x11", "llvmpipe", forced="gpu-please").path == "framebuffer"


def test_the_probe_finds_no_opengl_under_the_dummy_driver(monkeypatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert probe_gl_renderer() is None  # a real child process, answering "no OpenGL"


def test_a_headless_display_says_which_path_and_draws_straight_into_the_window(
    display: Display,
) -> None:
    assert display.choice.path == "framebuffer"
    assert display.canvas is pygame.display.get_surface()  # 1920×1080: no copy at all
    assert "framebuffer" in display.describe() and "1920×1080" in display.describe()


def test_a_resized_window_is_letterboxed_again_and_touches_follow(display: Display) -> None:
    translator = PointerTranslator(display.letterbox)
    assert display.handle(pygame.event.Event(pygame.VIDEORESIZE, w=1280, h=1024, size=(1280, 1024)))
    window = pygame.display.get_surface()
    assert window.get_size() == (1280, 1024)
    assert display.canvas.get_size() == (1920, 1080) and display.canvas is not window
    # The picture is 1280×720 in the middle: bars of 152 px above and below.
    assert display.letterbox.rect == pygame.Rect(0, 152, 1280, 720)
    centre = translator.translate(pygame.event.Event(pygame.FINGERDOWN, x=0.5, y=0.5, dx=0.0,
                                                     dy=0.0, finger_id=1, touch_id=1))  # fmt: skip
    assert (round(centre.x), round(centre.y)) == (960, 540)
    top = translator.translate(
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(640, 152), button=1, touch=False)
    )
    assert (round(top.x), round(top.y)) == (960, 0)

    display.canvas.fill((200, 30, 30))
    display.present()
    assert window.get_at((640, 10))[:3] == (0, 0, 0)  # the bar
    inside = window.get_at((640, 512))  # the picture (smoothscale rounds a level or two down)
    assert all(abs(a - b) <= 3 for a, b in zip(inside[:3], (200, 30, 30), strict=True))


def test_the_loop_hands_the_kiosk_its_new_canvas_after_a_resize(make_kiosk, display) -> None:
    app = make_kiosk(canvas=display.canvas)
    presented = []
    real_present = display.present

    def present(changed=None, started=None) -> None:
        real_present(changed, started)
        presented.append(app.canvas)
        if len(presented) == 2:
            app.running = False

    display.present = present
    pygame.event.clear()
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=2560, h=1440, size=(2560, 1440)))
    run(app, display, PointerTranslator(display.letterbox), kiosk_mode=True)
    assert app.canvas is display.canvas and app.canvas.get_size() == (1920, 1080)
    assert pygame.display.get_surface().get_size() == (2560, 1440)
    assert display.letterbox.factor is None and display.letterbox.rect.size == (2560, 1440)


@pytest.mark.parametrize(
    ("window", "picture", "factor"),
    [
        ((3840, 2160), (3840, 2160), 2),
        ((2560, 1440), (2560, 1440), None),
        ((1366, 768), (1360, 765), None),  # 17/24: small exact blocks, a 3 px bar each side
        ((1080, 1920), (1072, 603), None),  # portrait screen, landscape canvas: 67/120
        ((1920, 1080), (1920, 1080), 1),
    ],
)
def test_the_letterbox_scales_by_an_exact_ratio(window, picture, factor) -> None:
    box = Letterbox(window)
    assert box.rect.size == picture and box.factor == factor
    src, dst = box.snap(pygame.Rect(101, 203, 40, 40))
    assert src.contains(pygame.Rect(101, 203, 40, 40))
    assert dst.w == src.w * box.ratio and dst.h == src.h * box.ratio  # exact proportion


def test_scaled_pieces_match_the_whole_picture() -> None:
    """After a first whole frame, a changed rectangle scaled on its own lands exactly where
    scaling the whole canvas would put it: no seams at 2× (pixel copy) or enlarged, a few
    levels of rounding at the odd edge pixel when shrunk; the rest is left alone."""
    canvas = pygame.Surface((1920, 1080))
    for i in range(0, 1920, 16):
        pygame.draw.line(canvas, (i % 256, (i * 7) % 256, 90), (i, 0), (1920 - i, 1080), 9)
    for size in ((3840, 2160), (2560, 1440), (1366, 768)):
        box = Letterbox(size)
        pieces = pygame.Surface(size)
        presenter = SurfacePresenter(canvas.copy(), box)
        presenter.window = pieces
        assert box.rect in presenter.draw()  # the first frame: the whole picture
        pygame.draw.circle(presenter.canvas, (250, 240, 10), (460, 240), 40)
        pushed = presenter.draw()
        assert pushed and sum(r.w * r.h for r in pushed) < size[0] * size[1] / 4
        assert presenter.draw() == []  # nothing changed since
        assert off_a_fresh_present(presenter, box) <= (0 if box.factor or size[0] > 1920 else 6)
        whole = pygame.Surface(size)
        b = pygame.surfarray.array3d(pieces).astype(int)
        box.present(presenter.canvas, whole)  # the simple way (screenshots): as good
        assert abs(pygame.surfarray.array3d(whole).astype(int) - b).mean() < 5, size


def test_a_card_moving_is_copied_rough_and_the_still_picture_filtered_again() -> None:
    """At a filtered size, a big piece that moves (ROUGH_PX) is copied unfiltered while it
    moves, and filtered again over the next still frames, each of which pushes only a
    share: at rest the window is what a fresh presenter draws."""
    canvas = pygame.Surface((1920, 1080))
    for i in range(0, 1920, 16):
        pygame.draw.line(canvas, (i % 256, (i * 7) % 256, 90), (i, 0), (1920 - i, 1080), 9)
    backdrop = canvas.copy()
    for size in ((2560, 1440), (1366, 768)):
        box = Letterbox(size)
        presenter = SurfacePresenter(canvas.copy(), box)
        presenter.window = pygame.Surface(size)
        presenter.draw()
        face = pygame.Surface((500, 320))  # a card with writing on it: all of it differs
        face.fill((250, 250, 250))
        for y in range(20, 300, 30):
            pygame.draw.line(face, (20, 20, 120), (20, y), (480, y + 7), 5)
        card = face.get_rect(topleft=(200, 300))
        assert card.w * card.h > ROUGH_PX
        for _ in range(6):
            presenter.canvas.blit(backdrop, card, card)
            card.move_ip(60, 10)
            presenter.canvas.blit(face, card)
            assert presenter.draw()
        assert presenter._rescaler.rough
        still = 0
        while pushed := presenter.draw():
            assert sum(r.w * r.h for r in pushed) < size[0] * size[1] / 4
            still += 1
        assert still > 1
        assert off_a_fresh_present(presenter, box) <= (0 if size[0] > 1920 else 6), size


def test_only_what_changed_is_reported() -> None:
    surface = pygame.Surface((1920, 1080))
    damage = Damage()
    assert damage.changed(surface) == [surface.get_rect()]  # the first frame: everything
    assert damage.changed(surface) == []  # nothing moved
    pygame.draw.circle(surface, (255, 255, 0), (500, 300), 10)
    pygame.draw.rect(surface, (0, 255, 0), (1800, 1000, 3, 70))  # a thin bar over two bands
    changed = damage.changed(surface)
    assert changed and all(r.w * r.h < 200 * 200 for r in changed)
    assert any(r.collidepoint(500, 300) for r in changed)
    assert any(r.collidepoint(1801, 1001) for r in changed)
    assert any(r.collidepoint(1801, 1069) for r in changed)
    assert damage.changed(surface) == []
    damage.reset()
    assert damage.changed(surface) == [surface.get_rect()]


def test_every_changed_pixel_is_inside_a_reported_rectangle_frame_after_frame() -> None:
    """The comparison reuses its buffers from frame to frame (and after a reset): whatever
    changed since the previous call, one pixel or many, is covered; nothing else is."""
    import random

    rng = random.Random(7)
    surface = pygame.Surface((1920, 1080))
    damage = Damage()
    damage.changed(surface)
    for frame in range(12):
        if frame == 6:
            damage.reset()
            assert damage.changed(surface) == [surface.get_rect()]
        before = surface.copy()
        spots = [(rng.randrange(1920), rng.randrange(1080)) for _ in range(rng.randrange(1, 6))]
        for x, y in spots:
            surface.set_at((x, y), (rng.randrange(1, 256), 0, frame))
        changed = damage.changed(surface)
        moved = [(x, y) for x, y in spots if surface.get_at((x, y)) != before.get_at((x, y))]
        for x, y in moved:
            assert any(r.collidepoint(x, y) for r in changed), (frame, x, y)
        assert all(any(r.collidepoint(p) for p in moved) for r in changed)
        assert damage.changed(surface) == []


def test_the_staff_panel_is_told_how_frames_reach_the_screen(make_kiosk, display) -> None:
    app = make_kiosk(canvas=display.canvas)
    assert app.staff.display_status() == "headless"  # before the launcher says
    app.display_status = display.describe  # as kiosk/booth/launcher.py does
    assert app.staff.display_status().startswith("framebuffer · no OpenGL · 1920×1080")
    line = app.staff.tr("staff.display", status=app.staff.display_status())
    assert "framebuffer" in line


def test_a_large_picture_scaled_an_axis_at_a_time_is_the_same_picture() -> None:
    from kiosk.ui.scaling import smoothscale_into

    canvas = pygame.Surface((1920, 1080))
    for i in range(0, 1920, 7):
        pygame.draw.line(canvas, (i % 256, (i * 3) % 256, 50), (i, 0), (1920 - i, 1080), 3)
    for size in ((2560, 1440), (1360, 765), (100, 56)):
        one, two = pygame.Surface(size), pygame.Surface(size)
        pygame.transform.smoothscale(canvas, size, one)
        smoothscale_into(canvas, two)
        assert pygame.image.tobytes(one, "RGB") == pygame.image.tobytes(two, "RGB"), size


def test_bands_skipped_by_memcmp_report_what_a_full_comparison_does(monkeypatch) -> None:
    """Unchanged bands are skipped after a memcmp; runs of changed bands, at the top, in
    the middle and at the bottom, give the same rectangles as comparing every word."""
    import random

    from kiosk.ui import damage as damage_module

    assert damage_module._memcmp is not None  # Linux: the C library answers
    rng = random.Random(11)
    surface = pygame.Surface((1920, 1080))
    fast, full = Damage(), Damage()
    fast.changed(surface)
    full.changed(surface)
    for frame in range(10):
        for _ in range(rng.randrange(0, 8)):
            y = rng.choice((0, 1075, rng.randrange(1080)))
            surface.fill((frame, 9, 9), (rng.randrange(1900), y, rng.randrange(1, 90), 5))
        got = fast.changed(surface)
        with monkeypatch.context() as m:
            m.setattr(damage_module, "_memcmp", None)
            assert got == full.changed(surface), frame


def test_a_small_change_is_reported_as_itself_not_as_the_tiles_it_touches() -> None:
    """A light a few pixels wide straddling four tiles is rescaled as those few pixels
    (to the 2-pixel word), and a frame with changes scattered everywhere is reported band
    by band, never as one box over the whole canvas."""
    surface = pygame.Surface((1920, 1080))
    damage = Damage()
    damage.changed(surface)
    surface.fill((200, 200, 0), (37, 38, 5, 4))  # across the corner of four 40×40 tiles
    assert damage.changed(surface) == [pygame.Rect(36, 38, 6, 4)]
    for i in range(120):  # more rectangles than are worth copying one by one
        surface.fill((i, 9, 9), (5 + (i % 10) * 190, 5 + (i // 10) * 90, 3, 3))
    changed = damage.changed(surface)
    assert len(changed) <= 1080 // 40
    assert sum(r.w * r.h for r in changed) < 1920 * 1080 / 2
    assert damage.changed(surface) == []


def test_a_new_screen_is_reported_whole_without_comparing_it_all(monkeypatch) -> None:
    """Most of the canvas changed (a new screen): one whole rectangle, and the kept frame
    is the new one (nothing is reported again); a few lights still get their own."""
    from kiosk.ui import damage as damage_module

    surface = pygame.Surface((1920, 1080))
    damage = Damage()
    damage.changed(surface)
    compared = []
    real = damage_module.Damage._diff
    monkeypatch.setattr(
        damage_module.Damage, "_diff", lambda self, *a: compared.append(1) or real(self, *a)
    )
    for x in range(0, 1920, 30):  # stripes over every tile: a different screen
        pygame.draw.line(surface, (90, 200, 40), (x, 0), (x + 200, 1080), 9)
    assert damage.changed(surface) == [surface.get_rect()] and not compared
    assert damage.changed(surface) == []
    pygame.draw.circle(surface, (255, 255, 0), (700, 500), 8)
    changed = damage.changed(surface)
    assert compared and changed and all(r.w * r.h <= 20 * 20 for r in changed)


def test_a_filtered_scale_names_the_filter_pygame_chose(display: Display) -> None:
    """The start-up log says which smoothscale backend filters the picture (SSE2 on a PC,
    NEON on a Raspberry Pi; GENERIC would explain a slow booth at a scaled size)."""
    assert display.describe_scale() == "1920×1080 copied"
    display.resize((1366, 768))
    backend = pygame.transform.get_smoothscale_backend()
    assert display.describe_scale() == f"1920×1080 scaled (filtered, {backend})"
    display.resize((3840, 2160))
    assert display.describe_scale() == "1920×1080 scaled 2× (pixel copy)"


def off_a_fresh_present(presenter: SurfacePresenter, box: Letterbox) -> int:
    """How far (colour levels) ``presenter``'s window is from its canvas presented whole
    by a new presenter: pieces put on one by one must add up to the whole picture."""
    whole = pygame.Surface(presenter.window.get_size())
    again = SurfacePresenter(presenter.canvas, box)
    again.window = whole
    again.draw()
    a = pygame.surfarray.array3d(whole).astype(int)
    b = pygame.surfarray.array3d(presenter.window).astype(int)
    return int(abs(a - b).max())


def test_at_a_whole_factor_a_scene_reporting_its_changes_lets_the_last_frame_copy_go() -> None:
    """A still screen at 4K (attract all day): once scenes have said what changed for
    TRUSTED_AFTER frames, the comparison's copy of the last frame is let go and the reports
    are copied as they are; the window is still the whole picture, and a frame without a
    report makes the copy again. At a filtered size the copy stays (what is scaled
    depends on what really changed)."""
    canvas = pygame.Surface((1920, 1080))
    canvas.fill((20, 40, 80))
    for size, lets_go in (((3840, 2160), True), ((2560, 1440), False)):
        box = Letterbox(size)
        presenter = SurfacePresenter(canvas.copy(), box)
        presenter.window = pygame.Surface(size)
        presenter.draw()  # the first frame: the whole picture
        for i in range(TRUSTED_AFTER + 5):
            spot = pygame.Rect(100 + 7 * i, 300, 12, 12)
            presenter.canvas.fill((250, 200, i % 256), spot)
            presenter.draw([spot])
        assert presenter.damage.holding is not lets_go, size
        if not lets_go:
            continue
        assert off_a_fresh_present(presenter, box) == 0
        presenter.canvas.fill((0, 255, 0), (500, 500, 30, 30))
        assert box.rect in presenter.draw(None)  # no report: everything
        # The copy is made again, its 9 MB of fresh pages in a worker, not in this frame
        # (the first frame of a screen: 6-17 ms of CPU at 4K in benchmarks/frames.py).
        assert not presenter.damage.holding and off_a_fresh_present(presenter, box) == 0
        assert presenter.damage.wait_prepared()
        spot = pygame.Rect(700, 300, 12, 12)
        presenter.canvas.fill((1, 2, 3), spot)
        assert presenter.draw([spot]) == [pygame.Rect(1400, 600, 24, 24)]  # as reported
        assert presenter.damage.holding and off_a_fresh_present(presenter, box) == 0
        presenter.canvas.fill((255, 0, 0), (600, 500, 30, 30))
        assert sum(r.w * r.h for r in presenter.draw(None)) < 10_000  # compared again
        assert off_a_fresh_present(presenter, box) == 0
