"""Each kind of card drawn as the real thing looks on a phone or a wall.

A text message or WhatsApp chat, an e-mail, an app's notification on a lock screen, an
incoming call, a browser's address bar, a poster with a QR code. Every renderer draws with a
:class:`~games.phish_or_legit.painter.Painter` and returns where each clue (sender, subject,
body, link, note, qr) landed on the card, so the reveal can outline the one that gives the
card away, and whether everything fitted.
"""

from __future__ import annotations

import logging
import math
import zlib
from collections.abc import Callable

import pygame

from games.base import RGB, GameContext
from games.phish_or_legit.art import draw_fake_qr, draw_poster_icon, draw_sticker_qr
from games.phish_or_legit.deck import CardSpec, Pace
from games.phish_or_legit.painter import (
    CARD_RADIUS,
    LINK,
    MUTED_INK,
    PAD,
    PAPER,
    STATUS_H,
    Painter,
    fit_lines,
    ink_on,
    wrap_chars,
    wrap_words,
)
from kiosk.ui import theme
from kiosk.ui.blend import shade
from kiosk.ui.text import TextRenderer

log = logging.getLogger(__name__)

Regions = dict[str, pygame.Rect]  # clue name → area on the card (card coordinates)


def _status_bar(p: Painter, w: int, color: RGB, bg: RGB | None) -> None:
    if bg is not None:
        p.rect(bg, pygame.Rect(0, 0, w, STATUS_H + CARD_RADIUS), radius=CARD_RADIUS)
        p.rect(bg, pygame.Rect(0, CARD_RADIUS, w, STATUS_H - CARD_RADIUS + 2))
    p.lines(["10:32"], 22, color, PAD + 12, 4, weight="bold")
    x = w - PAD - 120
    for k in range(4):  # signal bars
        h = 6 + 4 * k
        p.rect(color, pygame.Rect(x + k * 9, 30 - h, 6, h))
    p.rect(color, pygame.Rect(w - PAD - 64, 12, 40, 18), width=2, radius=4)
    p.rect(color, pygame.Rect(w - PAD - 60, 16, 26, 10))
    p.rect(color, pygame.Rect(w - PAD - 23, 17, 4, 8))


def _chat(
    p: Painter,
    spec: CardSpec,
    lang: str,
    tr: Callable[..., str],
    w: int,
    h: int,
    s: int,
    whatsapp: bool,
) -> tuple[Regions, bool]:
    """SMS and WhatsApp: a header with the sender, one incoming bubble with the link."""
    regions: Regions = {}
    if whatsapp:
        bg, head, head_ink, sub_ink = (236, 229, 221), (0, 94, 84), theme.WHITE, (214, 236, 230)
        bubble = (255, 255, 255)
    else:
        bg, head, head_ink, sub_ink = (255, 255, 255), (242, 242, 246), theme.INK, MUTED_INK
        bubble = (229, 230, 236)
    p.rect(bg, pygame.Rect(0, 0, w, h), radius=CARD_RADIUS)
    head_h = STATUS_H + round(s * 2.5)
    p.rect(head, pygame.Rect(0, 0, w, head_h), radius=CARD_RADIUS)
    p.rect(head, pygame.Rect(0, head_h - CARD_RADIUS, w, CARD_RADIUS))
    _status_bar(p, w, head_ink, None)
    cy = STATUS_H + (head_h - STATUS_H) // 2
    p.polygon(head_ink, [(PAD + 18, cy - 14), (PAD + 4, cy), (PAD + 18, cy + 14)], 4)
    r = round(s * 0.85)
    ax = PAD + 40 + r
    p.circle(shade(head, 0.8) if whatsapp else (190, 194, 204), (ax, cy), r)
    p.circle(head_ink if whatsapp else theme.WHITE, (ax, cy - r * 0.25), r * 0.34)
    p.rect(
        head_ink if whatsapp else theme.WHITE,
        pygame.Rect(ax - r * 0.55, cy + r * 0.2, r * 1.1, r * 0.5),
        radius=round(r * 0.3),
    )
    x = ax + r + 22
    name_w = w - x - PAD
    sender = spec.text("sender", lang)
    ns, lines = fit_lines(p.text, sender, s, name_w, 1, "bold", floor=s - 10)
    regions["sender"] = p.lines(lines[:1], ns, head_ink, x, cy - s * 1.25, weight="bold")
    p.lines(
        [tr("kind_whatsapp" if whatsapp else "kind_sms")], round(s * 0.7), sub_ink, x, cy + s * 0.12
    )
    # The message bubble.
    bp = round(s * 0.55)
    max_w = w - 2 * PAD - 80 - 2 * bp
    body = wrap_words(p.text, spec.text("body", lang), s, max_w)
    link = wrap_chars(p.text, spec.link, s, max_w) if spec.link else []
    font = p.text.font(s)
    line_h = round(s * 1.3)
    inner_w = max([font.size(ln)[0] for ln in body + link] or [0])
    top = head_h + round(s * 0.9)
    box = pygame.Rect(
        PAD, top, inner_w + 2 * bp, (len(body) + len(link)) * line_h + 2 * bp + round(s * 0.8)
    )
    p.rect(bubble, box, radius=22)
    p.polygon(bubble, [(box.x, box.y + 6), (box.x - 14, box.y), (box.x + 20, box.y)])
    regions["body"] = p.lines(body, s, theme.INK, box.x + bp, box.y + bp)
    if link:
        regions["link"] = p.lines(
            link, s, LINK, box.x + bp, box.y + bp + len(body) * line_h, underline=True
        )
    p.lines([tr("now")], round(s * 0.62), MUTED_INK, box.x + bp, box.bottom - bp - round(s * 0.7))
    bar = pygame.Rect(PAD, h - 78, w - 2 * PAD, 54)
    p.rect((255, 255, 255) if whatsapp else (242, 242, 246), bar, radius=27)
    p.rect((205, 208, 216), bar, width=2, radius=27)
    return regions, box.bottom + 20 <= bar.y


def _email(
    p: Painter, spec: CardSpec, lang: str, tr: Callable[..., str], w: int, h: int, s: int
) -> tuple[Regions, bool]:
    regions: Regions = {}
    p.rect((255, 255, 255), pygame.Rect(0, 0, w, h), radius=CARD_RADIUS)
    _status_bar(p, w, theme.INK, (242, 242, 246))
    y = STATUS_H + 14
    # Kind row: an envelope and the word "Email".
    ks = round(s * 0.7)
    env = pygame.Rect(PAD, y + 4, round(ks * 1.5), ks)
    p.rect(LINK, env, width=3, radius=4)
    p.line(LINK, env.topleft, env.center, 3)
    p.line(LINK, env.topright, env.center, 3)
    p.lines([tr("kind_email")], ks, MUTED_INK, env.right + 14, y - ks * 0.1)
    y += round(ks * 1.6)
    inner = w - 2 * PAD
    fs = round(s * 0.78)
    label = tr("email_from")
    lw = p.text.font(fs).size(label + " ")[0]
    sender = (
        wrap_chars(p.text, spec.text("sender", lang), fs, inner - lw, "bold")
        if " " not in spec.text("sender", lang)
        else wrap_words(p.text, spec.text("sender", lang), fs, inner - lw, "bold")
    )
    p.lines([label], fs, MUTED_INK, PAD, y)
    regions["sender"] = p.lines(sender, fs, theme.INK, PAD + lw, y, weight="bold")
    y = regions["sender"].bottom + round(s * 0.4)
    subject = wrap_words(p.text, spec.text("subject", lang), s, inner, "bold")
    regions["subject"] = p.lines(subject, s, theme.INK, PAD, y, weight="bold")
    y = regions["subject"].bottom + round(s * 0.35)
    p.line((220, 222, 230), (PAD, y), (w - PAD, y), 2)
    y += round(s * 0.45)
    bs = round(s * 0.92)
    body = wrap_words(p.text, spec.text("body", lang), bs, inner)
    regions["body"] = p.lines(body, bs, theme.INK, PAD, y)
    y = regions["body"].bottom + round(s * 0.3)
    if spec.link:
        link = wrap_chars(p.text, spec.link, bs, inner)
        regions["link"] = p.lines(link, bs, LINK, PAD, y, underline=True)
        y = regions["link"].bottom
    return regions, y + PAD <= h


def _app(
    p: Painter, spec: CardSpec, lang: str, tr: Callable[..., str], w: int, h: int, s: int
) -> tuple[Regions, bool]:
    """A lock screen with one notification from an installed app."""
    regions: Regions = {}
    brand = spec.brand or (40, 60, 110)
    wall_top, wall_bottom = shade(brand, 0.55), (22, 28, 52)
    if p.surface is not None:
        for k in range(0, h, 8):
            f = k / h
            c = tuple(round(wall_top[i] + (wall_bottom[i] - wall_top[i]) * f) for i in range(3))
            pygame.draw.rect(p.surface, c, pygame.Rect(0, k, w, 8))
        mask = pygame.Surface((w, h), pygame.SRCALPHA)
        pygame.draw.rect(mask, (255, 255, 255, 255), mask.get_rect(), border_radius=CARD_RADIUS)
        p.surface.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
    _status_bar(p, w, theme.WHITE, None)
    p.lines(
        ["10:32"],
        round(s * 2.4),
        theme.WHITE,
        w / 2,
        STATUS_H + 6,
        weight="bold",
        align="center",
        gap=1.2,
    )
    top = STATUS_H + round(s * 3.3)
    box_w = w - 2 * PAD
    bp = round(s * 0.6)
    icon = round(s * 1.4)
    name_x = bp + icon + 18
    ns = round(s * 0.8)
    name = wrap_words(p.text, spec.text("sender", lang), ns, box_w - name_x - bp - 90, "bold")
    body = wrap_words(p.text, spec.text("body", lang), s, box_w - 2 * bp)
    line_h = round(s * 1.3)
    head_h = max(icon, len(name) * round(ns * 1.3))
    box = pygame.Rect(PAD, top, box_w, bp + head_h + round(s * 0.5) + len(body) * line_h + bp)
    p.rect((248, 248, 250), box, radius=28)
    ir = pygame.Rect(box.x + bp, box.y + bp, icon, icon)
    p.rect(brand, ir, radius=icon // 4)
    initial = spec.text("sender", lang)[:1].upper()
    p.lines(
        [initial],
        round(icon * 0.62),
        ink_on(brand),
        ir.centerx,
        ir.centery - round(icon * 0.62 * 0.65),
        weight="bold",
        align="center",
    )
    regions["sender"] = p.lines(name, ns, theme.INK, box.x + name_x, box.y + bp, weight="bold")
    p.lines([tr("now")], round(s * 0.62), MUTED_INK, box.right - bp - 80, box.y + bp)
    regions["body"] = p.lines(body, s, theme.INK, box.x + bp, box.y + bp + head_h + s * 0.5)
    return regions, box.bottom + PAD <= h


def _call(
    p: Painter, spec: CardSpec, lang: str, tr: Callable[..., str], w: int, h: int, s: int
) -> tuple[Regions, bool]:
    regions: Regions = {}
    p.rect((24, 28, 42), pygame.Rect(0, 0, w, h), radius=CARD_RADIUS)
    _status_bar(p, w, theme.WHITE, None)
    inner = w - 2 * PAD
    y = STATUS_H + 8
    ks = round(s * 0.72)
    p.lines([tr("kind_call")], ks, (190, 200, 220), w / 2, y, align="center")
    y += round(ks * 1.5)
    cs = round(s * 1.3)
    regions["sender"] = p.lines(
        [spec.text("sender", lang)],
        cs,
        theme.WHITE,
        w / 2,
        y,
        weight="bold",
        align="center",
        gap=1.2,
    )
    y = regions["sender"].bottom + 4
    if spec.subject:
        ss = round(s * 0.86)
        subject = wrap_words(p.text, spec.text("subject", lang), ss, inner)
        regions["subject"] = p.lines(subject, ss, (214, 222, 240), w / 2, y, align="center")
        y = regions["subject"].bottom + round(s * 0.4)
    if spec.note:
        ns = round(s * 0.8)
        note = wrap_words(p.text, spec.text("note", lang), ns, inner - 110, "bold")
        nh = len(note) * round(ns * 1.3) + 28
        box = pygame.Rect(PAD, y, inner, max(nh, 70))
        p.rect(theme.SUN, box, radius=18)
        tri = (box.x + 44, box.centery)
        p.polygon(
            theme.INK,
            [(tri[0], tri[1] - 24), (tri[0] - 26, tri[1] + 20), (tri[0] + 26, tri[1] + 20)],
            4,
        )
        p.line(theme.INK, (tri[0], tri[1] - 8), (tri[0], tri[1] + 6), 4)
        p.circle(theme.INK, (tri[0], tri[1] + 13), 3)
        p.lines(note, ns, theme.INK, box.x + 90, box.centery - len(note) * ns * 0.65, weight="bold")
        regions["note"] = box
        y = box.bottom + round(s * 0.5)
    bs = round(s * 0.9)
    body = wrap_words(p.text, spec.text("body", lang), bs, inner - 48)
    font = p.text.font(bs)
    bw = max([font.size(ln)[0] for ln in body] or [0]) + 48
    box = pygame.Rect(0, y, bw, len(body) * round(bs * 1.3) + 36)
    box.centerx = w // 2
    p.rect((236, 240, 248), box, radius=22)
    p.polygon(
        (236, 240, 248),
        [(box.centerx - 16, box.y + 1), (box.centerx, box.y - 16), (box.centerx + 16, box.y + 1)],
    )
    regions["body"] = p.lines(body, bs, theme.INK, box.centerx, box.y + 18, align="center")
    r = round(s * 0.8)
    ls = round(s * 0.6)
    cy = h - PAD // 2 - round(ls * 1.4) - r
    for k, (color, key) in enumerate(
        (((222, 60, 60), "call_decline"), ((40, 170, 90), "call_accept"))
    ):
        cx = w * (0.28 if k == 0 else 0.72)
        p.circle(color, (cx, cy), r)
        # Decline: the receiver lying flat (hung up); Answer: lifted and tilted, as phones show.
        handset(p, (cx, cy), r * 1.1, 0 if key == "call_decline" else -45)
        p.lines([tr(key)], ls, theme.WHITE, cx, cy + r + 6, align="center")
    return regions, box.bottom + 12 <= cy - r


def handset_outline(centre: tuple[float, float], size: float, angle: float) -> list:
    """A telephone receiver's outline (ear cup, handle, mouth cup) of ``size`` across,
    turned ``angle`` degrees anticlockwise from lying flat with its cups down."""
    # Lying flat: a handle from (-1, 0) to (1, 0) with cups hanging below both ends.
    shape = [
        (-1.0, -0.1), (1.0, -0.1), (1.0, 0.55), (0.55, 0.55), (0.45, 0.18),
        (-0.45, 0.18), (-0.55, 0.55), (-1.0, 0.55),
    ]  # fmt: skip
    rad = math.radians(angle)
    cos, sin = math.cos(rad), math.sin(rad)
    half = size / 2
    return [
        (centre[0] + half * (x * cos + y * sin), centre[1] + half * (-x * sin + y * cos))
        for x, y in shape
    ]


def handset(p: Painter, centre: tuple[float, float], size: float, angle: float) -> None:
    p.polygon(theme.WHITE, handset_outline(centre, size, angle))


def _url(
    p: Painter, spec: CardSpec, lang: str, tr: Callable[..., str], w: int, h: int, s: int
) -> tuple[Regions, bool]:
    """A phone browser: the address bar is the card's main clue."""
    regions: Regions = {}
    p.rect((255, 255, 255), pygame.Rect(0, 0, w, h), radius=CARD_RADIUS)
    chrome = (232, 234, 240)
    us = s
    lock_w = 54
    addr = wrap_chars(p.text, spec.link, us, w - 2 * PAD - lock_w - 40)
    bar_h = len(addr) * round(us * 1.3) + 28
    head_h = STATUS_H + bar_h + 28
    p.rect(chrome, pygame.Rect(0, 0, w, head_h), radius=CARD_RADIUS)
    p.rect(chrome, pygame.Rect(0, head_h - CARD_RADIUS, w, CARD_RADIUS))
    _status_bar(p, w, theme.INK, None)
    bar = pygame.Rect(PAD, STATUS_H + 12, w - 2 * PAD, bar_h)
    p.rect((255, 255, 255), bar, radius=bar_h // 2 if len(addr) == 1 else 22)
    p.rect((196, 200, 210), bar, width=2, radius=bar_h // 2 if len(addr) == 1 else 22)
    lx, ly = bar.x + 34, bar.centery
    p.rect(MUTED_INK, pygame.Rect(lx - 12, ly - 4, 24, 20), radius=4)
    p.circle(MUTED_INK, (lx, ly - 6), 9, 3)
    regions["link"] = p.lines(addr, us, theme.INK, bar.x + lock_w + 10, bar.y + 14)
    y = head_h
    brand = spec.brand or (60, 80, 120)
    band_h = round(s * 2.3)
    p.rect(brand, pygame.Rect(0, y, w, band_h))
    ts = round(s * 1.05)
    title, tl = fit_lines(
        p.text, spec.text("sender", lang), ts, w - 2 * PAD - 60, 1, "bold", floor=s - 8
    )
    p.rect(ink_on(brand), pygame.Rect(PAD, y + band_h // 2 - 18, 36, 36), radius=8)
    regions["sender"] = p.lines(
        tl[:1], title, ink_on(brand), PAD + 54, y + band_h / 2 - title * 0.65, weight="bold"
    )
    y += band_h + round(s * 0.6)
    bs = round(s * 0.92)
    body = wrap_words(p.text, spec.text("body", lang), bs, w - 2 * PAD)
    regions["body"] = p.lines(body, bs, theme.INK, PAD, y)
    y = regions["body"].bottom + round(s * 0.5)
    if spec.fields:
        fh = round(s * 1.5)
        fs = round(s * 0.8)
        for key in ("field_user", "field_password"):
            box = pygame.Rect(PAD, y, w - 2 * PAD, fh)
            p.rect((246, 247, 250), box, radius=12)
            p.rect((170, 176, 190), box, width=2, radius=12)
            p.lines([tr(key)], fs, MUTED_INK, box.x + 18, box.centery - fs * 0.65)
            y = box.bottom + 14
        btn = pygame.Rect(PAD, y, w - 2 * PAD, fh)
        p.rect(brand, btn, radius=12)
        p.lines(
            [tr("page_button")],
            fs,
            ink_on(brand),
            btn.centerx,
            btn.centery - fs * 0.65,
            weight="bold",
            align="center",
        )
        y = btn.bottom
    return regions, y + PAD <= h


def _poster(
    p: Painter, spec: CardSpec, lang: str, tr: Callable[..., str], w: int, h: int, s: int
) -> tuple[Regions, bool]:
    """A printed poster or sign: heading, a line, and a QR code with its link under it."""
    regions: Regions = {}
    brand = spec.brand or (40, 80, 140)
    p.rect(brand, pygame.Rect(0, 0, w, h), radius=CARD_RADIUS)
    panel = pygame.Rect(20, 20, w - 40, h - 40)
    p.rect(PAPER, panel, radius=CARD_RADIUS - 10)
    inner = panel.w - 2 * PAD
    hs = round(s * 0.72)
    head_h = round(hs * 1.9)
    p.rect(brand, pygame.Rect(panel.x, panel.y, panel.w, head_h), radius=CARD_RADIUS - 10)
    p.rect(brand, pygame.Rect(panel.x, panel.y + head_h - CARD_RADIUS, panel.w, CARD_RADIUS))
    regions["sender"] = p.lines(
        [spec.text("sender", lang)],
        hs,
        ink_on(brand),
        w / 2,
        panel.y + head_h / 2 - hs * 0.65,
        weight="bold",
        align="center",
    )
    y = panel.y + head_h + round(s * 0.5)
    ts = round(s * 1.1)
    subject = wrap_words(p.text, spec.text("subject", lang), ts, inner, "bold")
    regions["subject"] = p.lines(
        subject, ts, theme.INK, w / 2, y, weight="bold", align="center", gap=1.25
    )
    y = regions["subject"].bottom + round(s * 0.25)
    if spec.body:
        bs = round(s * 0.85)
        body = wrap_words(p.text, spec.text("body", lang), bs, inner)
        regions["body"] = p.lines(body, bs, MUTED_INK, w / 2, y, align="center")
        y = regions["body"].bottom + round(s * 0.3)
    ls = round(s * 0.8)
    link_h = round(ls * 1.5) if spec.link else 0
    room = panel.bottom - PAD // 2 - link_h - y
    side = min(300, room)
    visual = pygame.Rect(0, y, side, side)
    visual.centerx = w // 2
    if spec.link or spec.sticker:
        if spec.sticker:
            p.call(draw_sticker_qr, visual, spec.id)
        else:
            p.call(draw_fake_qr, visual, zlib.crc32(spec.id.encode()))
        regions["qr"] = visual
    else:
        p.call(draw_poster_icon, visual, brand, spec.id)
    if spec.link:
        regions["link"] = p.lines(
            [spec.link], ls, theme.INK, w / 2, visual.bottom + 6, weight="bold", align="center"
        )
    return regions, side >= 120


RENDERERS: dict[str, Callable[..., tuple[Regions, bool]]] = {
    "sms": lambda *a: _chat(*a, whatsapp=False),
    "whatsapp": lambda *a: _chat(*a, whatsapp=True),
    "email": _email,
    "app": _app,
    "call": _call,
    "url": _url,
    "poster": _poster,
}


def fit_card(
    text: TextRenderer, tr: Callable[..., str], spec: CardSpec, lang: str, pace: Pace
) -> tuple[int, bool]:
    """The largest text size (from ``body_size`` down to ``min_size``) at which the card
    fits its frame, and whether it fits at all."""
    renderer = RENDERERS[spec.kind]
    size = pace.body_size
    while True:
        _, fits = renderer(Painter(text, None), spec, lang, tr, pace.card_w, pace.card_h, size)
        if fits or size <= pace.min_size:
            return size, fits
        size -= 2


def render_card(ctx: GameContext, spec: CardSpec, pace: Pace) -> tuple[pygame.Surface, Regions]:
    size, fits = fit_card(ctx.text, ctx.tr, spec, ctx.lang, pace)
    if not fits:
        log.error("phish_or_legit: card %s overflows at %d px (%s)", spec.id, size, ctx.lang)
    surface = pygame.Surface((pace.card_w, pace.card_h), pygame.SRCALPHA)
    regions, _ = RENDERERS[spec.kind](
        Painter(ctx.text, surface), spec, ctx.lang, ctx.tr, pace.card_w, pace.card_h, size
    )
    if pygame.display.get_surface() is not None:
        surface = surface.convert_alpha()  # the display's pixel format blits fastest
    return surface, regions
