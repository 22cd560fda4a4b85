"""The dashboard in real headless Chromium, both languages, laptop and tablet widths: logged in
through its own form (no script on the page), screenshotted, and checked for what an
organiser needs to see at a glance (an offline booth in red, charts drawn, no sideways scroll).
Screenshots are left in the test's tmp folder to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.dashboardkit import PASSWORD, seed, serving

WIDTHS = {"laptop": (1366, 900), "tablet": (820, 1180)}


@pytest.fixture
def server(central_db) -> Iterator[str]:
    seed(central_db)
    with serving(central_db) as url:
        yield url


def _log_in(page, base: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/dashboard/")
    page.fill("#username", "ada")
    page.fill("#password", password)
    page.click("button[type=submit]")


@pytest.mark.parametrize("lang", ["en", "zh-HK"])
def test_dashboard_in_chromium(server, chromium, tmp_path: Path, lang: str):
    scripts: list[str] = []
    for size, (width, height) in WIDTHS.items():
        context = chromium.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=False
        )
        try:
            page = context.new_page()
            page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script"
                    else None)
            _log_in(page, server, password="wrong-password")
            assert page.locator(".error").is_visible()
            _log_in(page, server)
            page.goto(f"{server}/dashboard/lang/{lang}?next=/dashboard/")
            assert page.locator("html").get_attribute("lang") == lang
            assert page.locator("#kpi-plays").inner_text() == "10"
            assert page.locator(".booth.offline").count() == 1
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not overflow, f"sideways scroll at {size} width"
            shot = tmp_path / f"dashboard-{lang}-{size}.png"
            page.screenshot(path=str(shot), full_page=True)
            tile = tmp_path / f"tile-{lang}-{size}.png"
            page.locator(".booth.offline a").screenshot(path=str(tile))

            page.goto(f"{server}/dashboard/booth/booth-03")
            assert page.locator(".booth-head.warning").count() == 1
            booth_shot = tmp_path / f"booth-{lang}-{size}.png"
            page.screenshot(path=str(booth_shot), full_page=True)
            page.click("button[value=pause]")
            # is_visible() does not wait: on a loaded machine the new page may still be loading.
            page.wait_for_selector(".saved", state="visible")
            assert "/dashboard/booth/booth-03?done=pause" in page.url
            page.click("button[value=resume]")  # back as it was for the next width
        finally:
            context.close()

        image = Image.open(shot).convert("RGB")
        assert image.width == width and image.height > height
        # The offline booth's tile is red at a glance: its border strip is the alert colour.
        strip = Image.open(tile).convert("RGB").getpixel((2, 20))
        assert strip[0] > 180 and strip[1] < 90 and strip[2] < 90, strip
        # Not a blank page: the navy top bar and the teal heat map are on screen.
        colours = {c for _, c in image.resize((96, 192)).getcolors(96 * 192)}
        assert any(r < 40 and g < 60 and 60 < b < 100 for r, g, b in colours)
        assert any(r < 80 and 100 < g < 200 and 100 < b < 200 for r, g, b in colours)
    assert scripts == []
