"""The side panel's cards, rendered once each: the trip card, a ride card (its still part:
the live countdown is drawn on top every frame) and the card that ends a trip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from games.smart_commute.art import LED_BG, draw_pin, draw_score_star
from games.smart_commute.network import RGB
from games.smart_commute.state import OPTIONS_RECT, TRIP_RECT, EndCard, Option
from kiosk.ui import theme
from kiosk.ui.blend import shade
from kiosk.ui.shapes import draw_clock, draw_mark, leaf
from kiosk.ui.typeset import sub2_width

if TYPE_CHECKING:
    from games.smart_commute.game import SmartCommute
    from games.smart_commute.view import CommuteView


def render_trip_card(view: CommuteView) -> pygame.Surface:
    """The trip's card: "Trip 2 of 5", the goal, from and to."""
    game = view.game
    text, tr, pick = game.ctx.text, game.ctx.tr, game.ctx.pick
    spec = game.run.spec
    card = pygame.Surface(TRIP_RECT.size, pygame.SRCALPHA)
    r = card.get_rect()
    pygame.draw.rect(card, theme.CARD, r, border_radius=theme.RADIUS)
    label = tr("trip_of", n=game.trip_index + 1, total=len(game.trips))
    text.draw(card, label, 28, theme.SUN, topleft=(28, 16), weight="bold")
    goal = pick(spec.goal)
    size = view.fit(goal, 42, r.w - 56, "bold", 28)
    text.draw(card, goal, size, theme.WHITE, topleft=(28, 54), weight="bold")
    stops = game.net.stops
    col_w = (r.w - 56 - 70) // 2
    for k, (key, sid, colour) in enumerate(
        (("from", spec.start, theme.SUN), ("to", spec.dest, theme.CORAL))
    ):
        x = 28 + k * (col_w + 70)
        if k == 0:
            pygame.draw.circle(card, colour, (x + 14, 140), 14)
            pygame.draw.circle(card, theme.INK, (x + 14, 140), 14, 3)
        else:
            draw_pin(card, (x + 14, 150), 24)
        text.draw(card, tr(key), 24, theme.MIST, topleft=(x + 40, 110))
        name = pick(stops[sid].name)
        size = view.fit(name, 34, col_w - 40, "bold", 22)
        text.draw(card, name, size, theme.WHITE, topleft=(x + 40, 136), weight="bold")
    ax = 28 + col_w + 12
    pygame.draw.polygon(
        card,
        theme.MIST,
        [
            (ax, 138),
            (ax + 30, 138),
            (ax + 30, 128),
            (ax + 48, 146),
            (ax + 30, 164),
            (ax + 30, 154),
            (ax, 154),
        ],
    )
    return card


def led_rect(card: pygame.Rect) -> pygame.Rect:
    """The arrival board's window at the right of a ride card."""
    h = min(card.h - 36, 128)
    led = pygame.Rect(0, 0, 188, h)
    led.midright = (card.right - 20, card.centery)
    return led


def render_option(view: CommuteView, opt: Option) -> pygame.Surface:
    """The still part of a ride card; the countdown is drawn live on top."""
    game = view.game
    text, tr, pick = game.ctx.text, game.ctx.tr, game.ctx.pick
    e = opt.ride
    w, h = opt.rect.size
    card = pygame.Surface((w, h), pygame.SRCALPHA)
    r = card.get_rect()
    pygame.draw.rect(card, theme.CARD, r, border_radius=theme.RADIUS)
    pygame.draw.rect(
        card,
        e.color,
        pygame.Rect(0, 0, 16, h),
        border_top_left_radius=theme.RADIUS,
        border_bottom_left_radius=theme.RADIUS,
    )
    big = h >= 240
    disc_r = 50 if big else 42
    cx, cy = 30 + disc_r + 8, h // 2 + (6 if big else 4)
    card.blit(view.glyph(e.mode.glyph, e.color, disc_r), (cx - disc_r, cy - disc_r))
    # number badge, matching the one on the map
    bx, by = cx - disc_r + 4, cy - disc_r + 2
    pygame.draw.circle(card, theme.SUN, (bx, by), 22)
    pygame.draw.circle(card, theme.INK, (bx, by), 22, 3)
    text.draw(card, str(opt.number), 28, theme.INK, center=(bx, by), weight="bold")
    led = led_rect(r)
    x0 = cx + disc_r + 22
    avail = led.x - x0 - 16
    ts, ss = game.pace.title_size, game.pace.text_size
    line = pick(e.name)
    if e.scheduled:
        line = tr("line_stops" if e.stops > 1 else "line_stop", line=line, n=e.stops)
    dest = tr("to_stop", stop=pick(game.net.stops[e.to].name))
    line_size = view.fit(line, ss, avail, "regular", 20)
    dest_size = view.fit(dest, ts, avail, "bold", 24)
    chip_h = ss + 16
    ride_label = tr("ride", n=e.minutes)
    co2_label = tr("co2", g=e.co2)
    cs_size = ss - 6
    while cs_size > 18 and (
        sub2_width(text, ride_label, cs_size, "bold")
        + sub2_width(text, co2_label, cs_size, "bold")
        + 122
        > avail
    ):
        cs_size -= 4
    block = line_size + 10 + dest_size + 14 + chip_h
    y = (h - block) // 2 - 2
    text.draw(card, line, line_size, theme.MIST, topleft=(x0, y))
    y += line_size + 8
    text.draw(card, dest, dest_size, theme.WHITE, topleft=(x0, y - 4), weight="bold")
    y += dest_size + 16
    # chips: riding minutes, CO₂ grams
    rs = text.render(ride_label, cs_size, theme.MIST, "bold")
    chip = pygame.Rect(x0, y, rs.get_width() + 56, chip_h)
    pygame.draw.rect(card, theme.NAVY, chip, border_radius=chip_h // 2)
    draw_clock(card, (chip.x + 24, chip.centery), max(9, chip_h // 4), theme.MIST)
    card.blit(rs, rs.get_rect(midleft=(chip.x + 42, chip.centery)))
    fill = co2_fill(game, e.co2)
    cs = view.render(co2_label, cs_size, theme.INK, "bold")
    chip2 = pygame.Rect(chip.right + 10, y, cs.get_width() + 56, chip_h)
    pygame.draw.rect(card, fill, chip2, border_radius=chip_h // 2)
    leaf(
        card,
        (chip2.x + 24, chip2.centery),
        chip_h * 0.6,
        chip_h * 0.32,
        -0.7,
        shade(fill, 0.55),
    )
    card.blit(cs, cs.get_rect(midleft=(chip2.x + 42, chip2.centery)))
    # the board window
    pygame.draw.rect(card, LED_BG, led, border_radius=18)
    pygame.draw.rect(card, theme.NAVY, led, 3, border_radius=18)
    text.draw(card, tr("wait_label"), 24, theme.MIST, center=(led.centerx, led.y + 22))
    return card


def co2_fill(game: SmartCommute, grams: int) -> RGB:
    """A CO₂ chip's colour: mint for none, then sky, sun and coral as the grams grow."""
    if grams <= 0:
        return theme.MINT
    if grams <= game.co2_low:
        return theme.SKY
    if grams <= game.co2_mid:
        return theme.SUN
    return theme.CORAL


def render_end_card(view: CommuteView, end: EndCard) -> pygame.Surface:
    """The card that replaces the board when a trip ends: arrived with stars, or lost. It
    reads the round only through ``end`` and the view's text helpers: it is made in a
    worker during the ride that ends the trip, which must not keep a round alive."""
    text, tr = view.ctx.text, view.ctx.tr
    run, outcome, score = end.run, end.outcome, end.score
    card = pygame.Surface(OPTIONS_RECT.size, pygame.SRCALPHA)
    r = card.get_rect()
    pygame.draw.rect(card, theme.CARD, r, border_radius=theme.RADIUS)
    cx = r.centerx
    if outcome == "arrived":
        pygame.draw.rect(card, theme.GOOD, r, 8, border_radius=theme.RADIUS)
        head = tr("arrived", stop=end.dest)
        size = view.fit(head, 52, r.w - 60, "bold", 30)
        text.draw(card, head, size, theme.WHITE, center=(cx, 90), weight="bold")
        summary = view.render(
            tr("trip_summary", minutes=run.minutes, g=run.co2), 38, theme.MIST, "bold"
        )
        card.blit(summary, summary.get_rect(center=(cx, 170)))
        stars = 3 if score >= 90 else 2 if score >= 70 else 1 if score >= 40 else 0
        for k in range(3):
            draw_score_star(card, (cx + (k - 1) * 120, 300), 52, k < stars)
        line = tr("trip_score", score=round(score))
        text.draw(card, line, 46, theme.SUN, center=(cx, 430), weight="bold")
    else:
        pygame.draw.rect(card, theme.BAD, r, 8, border_radius=theme.RADIUS)
        text.draw(card, tr("lost"), 52, theme.WHITE, center=(cx, 150), weight="bold")
        draw_mark(card, (cx, 290), 60, False)
        if end.more_trips:
            text.draw(card, tr("lost_next"), 38, theme.MIST, center=(cx, 430), weight="bold")
    return card
