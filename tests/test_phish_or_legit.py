"""Phish or Legit? / 真定呃?: rules, fairness, content, pace per difficulty, bots, drawing."""

from __future__ import annotations

import itertools
import json
import random
import statistics
import threading
import weakref
from urllib.parse import urlsplit

import pygame
import pytest

from games import phish_or_legit as pl
from games.base import DIFFICULTIES
from games.phish_or_legit import ahead
from kiosk.i18n import LANGUAGES
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.linebreak import bad_breaks
from tests import gamekit
from tests.gamekit import DT, GameKit, run
from tests.journeykit import play_through

GAME_ID = "phish_or_legit"
KIT: GameKit[pl.PhishOrLegit] = GameKit(pl.GAME)
content, make_ctx, make_game, run_bot = KIT.content, KIT.make_ctx, KIT.make_game, KIT.run_bot
# Hong Kong's real addresses for the organisations the cards mention.
OFFICIAL_DOMAINS = ("gov.hk", "hsbc.com.hk", "bochk.com", "octopus.com.hk", "hongkongpost.hk",
                    "sf-express.com", "cyberdefender.hk")  # fmt: skip


def cards() -> dict[str, pl.CardSpec]:
    return {c.id: c for c in pl.load_cards(content())}


def until_asking(game: pl.PhishOrLegit) -> pl.LiveCard:
    for _ in range(round(10 / DT)):
        if game.accepting and game.card is not None:
            return game.card
        game.update(DT)
    raise AssertionError("no card became answerable within 10 s")


def forced(game: pl.PhishOrLegit, card_id: str) -> pl.LiveCard:
    """Make ``card_id`` the card on screen now, ready to answer."""
    spec = cards()[card_id]
    surface, regions = pl.render_card(game.ctx, spec, game.pace)
    game._uid += 1
    game.card = pl.LiveCard(game._uid, spec, surface, regions, game.card_home.copy())
    game._begin("ask")  # its reading time starts now
    return game.card


def press(game: pl.PhishOrLegit, answer: str, pointer: int = 1) -> None:
    x, y = game.buttons[answer].center
    game.handle(PointerEvent("down", x, y, pointer))
    game.handle(PointerEvent("up", x, y, pointer))


def swipe(
    game: pl.PhishOrLegit, dx: float, pointer: int = 1, steps: int = 8, seconds: float = 0.3
) -> None:
    x0, y0 = game.card_home.center
    game.handle(PointerEvent("down", x0, y0, pointer))
    for k in range(1, steps + 1):
        game.update(seconds / steps)
        game.handle(PointerEvent("move", x0 + dx * k / steps, y0, pointer))
    game.handle(PointerEvent("up", x0 + dx, y0, pointer))


def one_button(answer: str, difficulty: str, seed: int) -> pl.PhishOrLegit:
    """A visitor who taps the same button as soon as each card can be answered."""
    game = make_game("en", difficulty, seed)
    while not game.finished:
        if game.accepting:
            press(game, answer)
        game.update(DT)
    return game


# --------------------------------------------------------------------------- rules


def test_a_right_answer_scores_cheers_and_names_the_sign() -> None:
    game = make_game()
    forced(game, "sf_customs_fee")
    press(game, "scam")
    assert (game.correct, game.wrong, game.missed) == (1, 0, 0)
    assert "good" in game.cues and "bad" not in game.cues
    assert game.feedback is not None and game.feedback.tone == "good"
    assert game.feedback.verdict == "Right, it's a scam!"
    assert "sf-express.com" in game.feedback.sign
    assert game.phase == "reveal" and game.score() == 100
    assert game.result().details["taps"] == 1


def test_a_wrong_answer_explains_the_telltale_sign_in_one_line() -> None:
    game = make_game(lang="en")
    forced(game, "hsbc_lookalike")
    press(game, "safe")
    assert (game.correct, game.wrong) == (0, 1)
    assert "bad" in game.cues
    fb = game.feedback
    assert fb is not None and fb.tone == "bad"
    assert fb.verdict == "Oops, that one was a scam."
    assert fb.sign == ("HSBC Hong Kong's real address ends in hsbc.com.hk, not hsbc-hk-secure.com.")
    assert game.score() == 0
    assert game.result().details["mistakes"] == ["hsbc_lookalike"]


def test_the_sign_is_in_the_visitors_language() -> None:
    game = make_game(lang="zh-HK")
    forced(game, "bank_no_link")
    press(game, "scam")
    assert game.feedback is not None
    assert game.feedback.verdict == "錯咗！呢個其實係安全。"
    assert game.feedback.sign.startswith("冇連結")


def test_the_reveal_outlines_the_clue_and_then_the_next_card_comes() -> None:
    game = make_game()
    card = forced(game, "bochk_zero")
    assert card.spec.clue == "link" and "link" in card.regions
    press(game, "safe")
    surface = pygame.Surface((1920, 1080))
    run(game, 0.3)
    game.draw(surface)
    area = card.regions["link"].move(card.rect.topleft).inflate(18, 14)
    assert tuple(surface.get_at((area.centerx, area.top + 2)))[:3] == theme.SUN
    run(game, game.pace.wrong_s + pl.LEAVE_S + 0.1)
    assert game.card is not None and game.card.uid != card.uid
    run(game, game.pace.enter_s + 0.05)
    assert game.accepting


def test_swipe_left_means_scam_and_right_means_safe() -> None:
    game = make_game()
    forced(game, "crypto_guaranteed")
    swipe(game, -400)
    assert game.correct == 1 and game.chosen["scam"] == 1
    game = make_game()
    forced(game, "son_home")
    swipe(game, +400)
    assert game.correct == 1 and game.chosen["safe"] == 1
    assert game.result().details["swipes"] == 1


def test_a_short_slow_drag_springs_back_and_a_quick_flick_answers() -> None:
    game = make_game()
    card = forced(game, "friend_lunch")
    swipe(game, 120, steps=10, seconds=1.0)  # slow and short: not an answer
    assert game.shown == 0 and game.accepting
    run(game, 0.5)
    assert abs(card.dx) < 5
    swipe(game, 130, steps=3, seconds=0.06)  # short but fast: a flick
    assert game.shown == 1 and game.correct == 1


def test_the_buttons_follow_the_issue_left_scam_right_safe() -> None:
    game = make_game()
    assert game.buttons["scam"].right < game.card_home.left
    assert game.buttons["safe"].left > game.card_home.right
    assert game.ctx.tr("btn_scam") == "Scam" and game.ctx.tr("btn_safe") == "Safe"
    zh = make_game("zh-HK")
    assert zh.ctx.tr("btn_scam") == "呃人" and zh.ctx.tr("btn_safe") == "安全"


def test_not_answering_counts_as_a_miss() -> None:
    game = make_game()
    card = forced(game, "mum_lost_phone")
    run(game, game.pace.read_s - 0.5)
    assert game.missed == 0 and game.accepting
    run(game, 0.6)
    assert game.missed == 1 and game.shown == 1 and game.score() == 0
    assert game.feedback is not None and game.feedback.tone == "bad"
    assert game.feedback.verdict == "Too slow: that one was a scam."
    assert game.result().details["mistakes"] == [card.spec.id]
    press(game, "scam")  # too late: the card is gone
    assert game.shown == 1 and game.correct == 0


def test_a_round_without_input_scores_zero_and_every_card_counts_as_missed() -> None:
    for difficulty in DIFFICULTIES:
        game = make_game(difficulty=difficulty)
        run(game, 61)
        assert game.finished
        result = game.result()
        assert result.score == 0
        assert result.details["shown"] == result.details["missed"] >= 3
        assert result.details["unresolved"] <= 1


def test_taps_during_the_verdict_never_answer_the_next_card() -> None:
    game = make_game()
    forced(game, "prize_fee")
    press(game, "scam")
    for _ in range(round((game.pace.right_s + pl.LEAVE_S) / DT)):
        press(game, "scam", pointer=2)  # hammering while the verdict shows
        game.update(DT)
    assert game.shown == 1
    # A press that starts before the next card and lifts on it does not count either.
    x, y = game.buttons["safe"].center
    game.handle(PointerEvent("down", x, y, 3))
    until_asking(game)
    before = game.shown
    game.handle(PointerEvent("up", x, y, 3))
    assert game.shown == before


def test_a_press_counts_when_the_finger_lifts_on_the_same_button() -> None:
    game = make_game()
    forced(game, "octopus_refund")
    x, y = game.buttons["scam"].center
    game.handle(PointerEvent("down", x, y, 1))
    assert game.shown == 0  # not on the way down
    game.handle(PointerEvent("up", *game.buttons["safe"].center, 1))  # slid to the other one
    assert game.shown == 0
    game.handle(PointerEvent("down", x, y, 1))
    game.handle(PointerEvent("up", x + 30, y + 30, 1))
    assert game.correct == 1


def test_time_running_out_finishes_the_round_and_the_last_card_is_not_counted() -> None:
    game = make_game()
    run(game, 59.5)
    assert not game.finished
    last = game.card
    run(game, 1.0)
    assert game.finished and game.time_left == 0
    if last is not None and last.choice is None and game.phase in ("enter", "ask"):
        assert game.unresolved == 1
    result = game.result()
    assert 0 <= result.score <= 100
    assert result.lesson_key in ("lesson_high", "lesson_mid", "lesson_low")
    press(game, "scam")
    swipe(game, 400)
    game.update(DT)
    assert game.result().details == result.details


def test_a_round_ending_while_its_next_card_is_drawn_is_freed_when_let_go(monkeypatch) -> None:
    """Time runs out while the worker still draws the card ahead (a clock faster than real
    time, or a very slow machine): that card is never dealt, and the round's end lets go
    of it, waiting for its worker, which holds the round until its call returns. The
    finished round is then freed the moment it is let go (tests/test_game_contract.py)."""
    drawing, go = threading.Event(), threading.Event()
    real = ahead.render_card

    def slow(*args):
        drawing.set()
        go.wait(30)
        return real(*args)

    monkeypatch.setattr(ahead, "render_card", slow)
    game = make_game()  # its second card is drawn ahead as the first is dealt
    assert drawing.wait(10) and game.ahead.pending is not None
    threading.Timer(0.2, go.set).start()
    game.elapsed = game.pace.duration_s - DT / 2
    game.update(DT)
    assert game.finished and game.ahead.pending is None
    freed = weakref.ref(game)
    del game
    assert freed() is None


def test_no_new_card_in_the_final_moment() -> None:
    game = make_game()
    game.elapsed = game.pace.duration_s - 1.0
    forced(game, "son_home")
    press(game, "safe")
    run(game, 0.9)
    assert game.phase == "reveal" or game.card is None


def test_the_score_is_correct_over_shown_and_bounded() -> None:
    game = make_game()
    for card_id, answer in (
        ("sf_customs_fee", "scam"),
        ("gov_hk_site", "safe"),
        ("frozen_24h", "safe"),
        ("hotline_1823", "scam"),
    ):
        forced(game, card_id)
        press(game, answer)
    forced(game, "job_deposit")
    run(game, game.pace.read_s + 0.1)
    assert (game.correct, game.wrong, game.missed) == (2, 2, 1)
    assert game.score() == 40
    details = game.result().details
    assert details["shown"] == 5 and details["scam_shown"] == 3 and details["safe_shown"] == 2
    assert details["answered_scam"] == 2 and details["answered_safe"] == 2
    assert make_game().result().score == 0  # nothing shown yet: 0, not a division error


def test_the_lesson_follows_the_score() -> None:
    game = make_game()
    game.correct, game.wrong = 9, 1
    assert game.result().lesson_key == "lesson_high"
    game.correct, game.wrong = 13, 7
    assert game.result().lesson_key == "lesson_mid"
    game.correct, game.wrong = 5, 5  # what tapping one button earns: the basics lesson
    assert game.result().lesson_key == "lesson_low"


# --------------------------------------------------------------------------- fairness


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_tapping_one_button_all_the_time_scores_about_half(difficulty: str) -> None:
    for answer in ("scam", "safe"):
        games = [one_button(answer, difficulty, seed) for seed in range(12)]
        scores = [g.result().score for g in games]
        assert max(scores) <= 60, (answer, scores)
        assert 40 <= statistics.mean(scores) <= 53, (answer, scores)
        assert min(g.shown for g in games) >= 10  # mashing shows many cards, half of them wrong
        for g in games:
            d = g.result().details
            assert abs(d["scam_shown"] - d["safe_shown"]) <= 2


def test_the_deck_deals_scam_and_safe_near_50_50_in_a_seeded_order() -> None:
    for seed in range(30):
        deck = pl.Deck(random.Random(seed), list(cards().values()), max_imbalance=2)
        seq = [deck.draw() for _ in range(200)]
        diff = 0
        for spec in seq:
            diff += 1 if spec.answer == "scam" else -1
            assert abs(diff) <= 2
        assert all(a.id != b.id for a, b in itertools.pairwise(seq))

    def first(seed: int) -> list[str]:
        deck = pl.Deck(random.Random(seed), list(cards().values()))
        return [deck.draw().id for _ in range(15)]

    assert first(5) == first(5)
    assert first(5) != first(6)


def test_the_deck_is_not_a_simple_alternation() -> None:
    deck = pl.Deck(random.Random(3), list(cards().values()))
    seq = [deck.draw().answer for _ in range(400)]
    changes = sum(a != b for a, b in itertools.pairwise(seq)) / (len(seq) - 1)
    assert 0.5 <= changes <= 0.7  # balanced, yet the next side can't be read off the last


# --------------------------------------------------------------------------- difficulty


def test_difficulty_changes_the_pace_text_and_cards() -> None:
    child, adult, senior = (pl.load_pace(content(), d) for d in ("child", "adult", "senior"))
    assert child.read_s > adult.read_s and senior.read_s > adult.read_s
    assert senior.wrong_s > adult.wrong_s and child.wrong_s > adult.wrong_s
    assert senior.body_size > adult.body_size and senior.min_size > adult.min_size
    assert senior.sign_size > adult.sign_size and senior.button_size > adult.button_size
    assert child.child_only and not adult.child_only and not senior.child_only
    assert adult.swipe and child.swipe and not senior.swipe
    assert child.duration_s == adult.duration_s == senior.duration_s == 60
    # A visitor who never touches anything is shown fewer cards at the easier levels.
    shown = {}
    for d in DIFFICULTIES:
        game = make_game(difficulty=d)
        run(game, 61)
        shown[d] = game.shown
    assert shown["child"] < shown["adult"] and shown["senior"] < shown["adult"]
    # Mashing shows fewer cards to children and seniors too (longer verdicts).
    assert one_button("scam", "child", 1).shown < one_button("scam", "adult", 1).shown
    assert one_button("scam", "senior", 1).shown < one_button("scam", "adult", 1).shown


def test_children_get_only_the_simpler_cards_in_both_kinds() -> None:
    game = make_game(difficulty="child")
    seen = [game.deck.draw() for _ in range(60)]
    assert all(spec.child for spec in seen)
    assert {spec.answer for spec in seen} == {"scam", "safe"}
    adult = make_game(difficulty="adult")
    assert any(not adult.deck.draw().child for _ in range(40))


def test_seniors_just_tap_a_drag_never_answers() -> None:
    game = make_game(difficulty="senior")
    assert not game.swipe_enabled
    card = forced(game, "crypto_guaranteed")
    swipe(game, -600)
    assert game.shown == 0 and card.dx == 0
    press(game, "scam")
    assert game.correct == 1
    assert game.ctx.tr("hint_tap") == "Read it, then tap Scam or Safe."
    adult = make_game()
    assert adult.buttons["scam"].w >= 300 and game.buttons["scam"].h >= adult.buttons["scam"].h


def test_unknown_difficulty_falls_back_to_adult() -> None:
    assert pl.load_pace(content(), "martian") == pl.load_pace(content(), "adult")


# --------------------------------------------------------------------------- content


def test_content_integrity() -> None:
    data = content()
    raw_cards = data["cards"]
    assert len(raw_cards) >= 30
    ids = [c["id"] for c in raw_cards]
    assert len(ids) == len(set(ids)), "duplicate card ids"
    loaded = pl.load_cards(data)
    assert len(loaded) == len(raw_cards), "a card has a bad kind or answer"
    for spec in loaded:
        assert spec.clue in pl.CLUES, spec.id
        for lang in LANGUAGES:
            sign = spec.sign_in(lang)
            assert sign.strip() and spec.sign.get(lang), (spec.id, lang)
            assert "\n" not in sign
            assert len(sign) <= (100 if lang == "en" else 50), (spec.id, lang, len(sign))
            assert spec.text("sender", lang).strip(), (spec.id, lang)
            assert spec.text("body", lang).strip() or spec.text("subject", lang).strip()
        for name in ("sender", "subject", "body", "note"):
            value = getattr(spec, name)
            if "*" not in value and value:  # translated: both languages present
                assert all(value.get(lang, "").strip() for lang in LANGUAGES), (spec.id, name)
        if spec.kind == "url":
            assert spec.link, spec.id
    answers = [s.answer for s in loaded]
    assert abs(answers.count("scam") - answers.count("safe")) <= 3
    simple = [s for s in loaded if s.child]
    assert sum(s.answer == "scam" for s in simple) >= 6
    assert sum(s.answer == "safe" for s in simple) >= 6
    assert {s.kind for s in loaded} == set(pl.KINDS)


def _host(link: str) -> str:
    return urlsplit(link if "://" in link else f"https://{link}").hostname or ""


def _official(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def test_safe_links_are_real_addresses_and_scam_links_are_not() -> None:
    for spec in cards().values():
        if not spec.link:
            continue
        host = _host(spec.link)
        if spec.answer == "safe":
            assert _official(host), (spec.id, host)
        else:
            assert not _official(host), (spec.id, host)
    for spec in cards().values():  # a safe SMS from a bank has a registered "#" sender, no link
        if spec.kind == "sms" and spec.answer == "safe":
            assert spec.text("sender", "en").startswith("#") and not spec.link, spec.id


def test_the_hong_kong_scam_patterns_of_the_issue_are_all_there() -> None:
    c = cards()
    expected_scams = {
        "sf_customs_fee": "HK$12",
        "hkpost_redelivery": "Hongkong Post",
        "hsbc_lookalike": "",
        "bochk_zero": "",
        "gov_subsidy": "subsidy",
        "voucher_card_number": "Consumption Voucher",
        "mum_lost_phone": "lost my phone",
        "octopus_refund": "refund",
        "crypto_guaranteed": "Guaranteed",
        "celebrity_investment": "",
        "overseas_immigration": "",
        "plus852_police": "",
        "parking_qr_sticker": "",
        "frozen_24h": "",
        "short_link_bank": "",
    }
    for card_id, words in expected_scams.items():
        assert c[card_id].answer == "scam", card_id
        assert words in c[card_id].text("body", "en"), card_id
    assert "hsbc-hk-secure.com" in c["hsbc_lookalike"].link
    assert "b0chk" in c["bochk_zero"].link
    assert c["parking_qr_sticker"].sticker and c["parking_qr_sticker"].clue == "qr"
    assert "24 hours" in c["frozen_24h"].text("subject", "en")
    assert c["short_link_bank"].link.startswith("bit.ly/")
    assert c["overseas_immigration"].text("sender", "en").startswith("+44")
    assert c["plus852_police"].text("sender", "en").startswith("+852")
    assert c["plus852_police"].text("note", "zh-HK") == "來電源自香港境外，請留意詐騙。"
    for card_id in (
        "gov_hk_site",
        "bank_no_link",
        "delivery_app",
        "hotline_1823",
        "scameter",
        "hotline_18222",
        "otp_requested",
        "hkpost_real",
        "meter_official",
    ):
        assert c[card_id].answer == "safe", card_id
    assert c["gov_hk_site"].link.endswith(".gov.hk")
    assert "back of your card" in c["bank_no_link"].text("body", "en")
    assert "防騙視伏器" in c["scameter"].text("subject", "zh-HK")
    assert "18222" in c["hotline_18222"].text("subject", "en")
    assert "1823" in c["hotline_1823"].text("subject", "en")


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    needed = {"hint",
              "hint_tap", "tally", "times_up", "btn_scam", "btn_safe",
              "swipe_left", "swipe_right", "stamp_scam", "stamp_safe", "now", "email_from",
              "field_user", "field_password", "page_button", "call_decline",
              "call_accept"}  # fmt: skip
    needed |= {f"{kind}_{a}" for kind in ("right", "wrong", "missed") for a in pl.ANSWERS}
    needed |= {f"kind_{k}" for k in pl.KINDS if k not in ("url", "poster")}
    gamekit.check_strings(pl.GAME, needed, ("Phish or Legit?", "真定呃？"))


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_every_card_fits_its_frame_in_both_languages(difficulty: str) -> None:
    pace = pl.load_pace(content(), difficulty)
    for lang in LANGUAGES:
        ctx = make_ctx(lang, difficulty)
        for spec in cards().values():
            size, fits = pl.fit_card(ctx.text, ctx.tr, spec, lang, pace)
            assert fits and size >= pace.min_size, (difficulty, lang, spec.id, size)
            surface, regions = pl.render_card(ctx, spec, pace)
            assert surface.get_size() == (pace.card_w, pace.card_h)
            assert spec.clue in regions, (spec.id, lang)
            frame = surface.get_rect()
            for name, area in regions.items():
                assert frame.contains(area), (difficulty, lang, spec.id, name, area)


def test_the_verdict_and_sign_fit_the_banner_in_two_lines() -> None:
    text = gamekit.text()
    for difficulty in DIFFICULTIES:
        game = make_game(difficulty=difficulty)
        width = game.banner_rect.w - 220
        for spec in cards().values():
            for lang in LANGUAGES:
                size, lines = pl.fit_lines(text, spec.sign_in(lang), game.pace.sign_size, width, 2)
                assert len(lines) <= 2 and size >= game.pace.sign_size - 6, (spec.id, lang)
        verdict = game.pace.sign_size + 6
        assert round(verdict * 1.3) + 2 * round(game.pace.sign_size * 1.3) <= game.banner_rect.h


def test_chinese_lines_never_start_with_punctuation() -> None:
    text = gamekit.text()
    for spec in cards().values():
        value = spec.text("body", "zh-HK")
        for width in (300, 420, 560, 700):
            lines = pl.wrap_words(text, value, 40, width)
            assert "".join(lines).replace(" ", "") == value.replace(" ", "")
            assert not bad_breaks(value, lines), (spec.id, lines)


def test_the_howto_screen_wraps_the_instructions_cleanly() -> None:
    from kiosk.booth.scenes.howto import HOWTO_SIZE, PANEL

    for lang in LANGUAGES:
        howto = gamekit.strings().get(lang, f"game.{GAME_ID}.howto")
        lines = gamekit.text().wrap(howto, HOWTO_SIZE, PANEL.width - 120)
        assert len(lines) <= 4, lines  # the panel holds four lines
        assert not bad_breaks(howto, lines), lines


def test_touch_targets_layout_and_text_contrast() -> None:
    for d in DIFFICULTIES:
        game = make_game(difficulty=d)
        canvas = pygame.Rect(0, 0, 1920, 1080)
        for rect in game.buttons.values():
            assert rect.w >= 3 * theme.MIN_TARGET and rect.h >= 3 * theme.MIN_TARGET
            assert canvas.contains(rect) and not rect.colliderect(game.card_home)
        assert canvas.contains(game.card_home) and canvas.contains(game.banner_rect)
        assert game.card_home.top >= 110 and game.banner_rect.top > game.card_home.bottom
    for fg, bg in (
        (theme.INK, theme.BAD),
        (theme.INK, theme.GOOD),
        (pl.MUTED_INK, pl.PAPER),
        (pl.MUTED_INK, (255, 255, 255)),
        (pl.LINK, (255, 255, 255)),
        (pl.LINK, (229, 230, 236)),
        (theme.INK, theme.SUN),
    ):
        assert theme.contrast_ratio(fg, bg) >= 4.5, (fg, bg)
    for spec in cards().values():
        if spec.brand is not None:
            assert theme.contrast_ratio(pl.ink_on(spec.brand), spec.brand) >= 4.5, spec.id


# --------------------------------------------------------------------------- bots


def test_the_bot_both_swipes_and_taps_but_only_taps_for_seniors() -> None:
    details = run_bot(0.8, "adult", seed=2).result().details
    assert details["swipes"] > 0 and details["taps"] > 0
    senior = run_bot(0.8, "senior", seed=2).result().details
    assert senior["swipes"] == 0 and senior["taps"] > 0


# --------------------------------------------------------------------------- multi-touch


def test_a_second_finger_cannot_take_over_a_swipe_and_stray_ups_are_harmless() -> None:
    game = make_game()
    card = forced(game, "son_home")
    x, y = game.card_home.center
    game.handle(PointerEvent("down", x, y, 1))
    game.handle(PointerEvent("down", x + 10, y, 2))
    game.handle(PointerEvent("move", x - 500, y, 2))  # not the dragging finger
    assert card.dx == 0
    game.handle(PointerEvent("up", x - 500, y, 2))
    game.handle(PointerEvent("up", 5, 5, 99))  # never went down
    game.handle(PointerEvent("move", 5, 5, 42))
    assert game.shown == 0
    game.handle(PointerEvent("move", x + 300, y, 1))
    game.handle(PointerEvent("up", x + 300, y, 1))
    assert game.correct == 1


# --------------------------------------------------------------------------- drawing


def test_every_card_kind_draws_something_different(tmp_path) -> None:
    ctx = make_ctx("zh-HK")
    pace = pl.load_pace(content(), "adult")
    looks = set()
    for spec in cards().values():
        surface, _ = pl.render_card(ctx, spec, pace)
        colours = {
            surface.get_at((x, y))[:3]
            for x in range(0, pace.card_w, 20)
            for y in range(0, pace.card_h, 20)
        }
        assert len(colours) > 6, spec.id
        looks.add(pygame.image.tobytes(surface, "RGBA"))
    assert len(looks) == len(cards())
    game = make_game("en", "adult", seed=3)
    run(game, 1.0)
    surface = pygame.Surface((1920, 1080))
    game.draw(surface)
    path = tmp_path / "phish_en.png"
    pygame.image.save(surface, path)
    assert path.stat().st_size > 10_000


def test_no_qr_on_a_poster_can_be_scanned() -> None:
    """The posters' QR codes are look-alikes: a visitor's phone must open nothing."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from kiosk.ui.qr import qr_surface

    def decode(surface: pygame.Surface) -> list[str]:
        pixels = pygame.surfarray.array3d(surface).transpose(1, 0, 2).copy()
        return [r.text for r in zxingcpp.read_barcodes(pixels)]

    control = pygame.Surface((400, 400))
    control.fill((255, 255, 255))
    control.blit(qr_surface("control", 300), (50, 50))
    assert decode(control) == ["control"]  # the decoder works on a real code
    ctx = make_ctx("en")
    pace = pl.load_pace(content(), "adult")
    posters = [s for s in cards().values() if s.kind == "poster" and (s.link or s.sticker)]
    assert posters
    for spec in posters:
        surface, regions = pl.render_card(ctx, spec, pace)
        assert "qr" in regions
        for scale in (1, 2):
            assert decode(pygame.transform.scale_by(surface, scale)) == [], spec.id
    for seed in range(40):
        plain = pygame.Surface((400, 400))
        plain.fill((255, 255, 255))
        pl.draw_fake_qr(plain, pygame.Rect(50, 50, 300, 300), seed)
        assert decode(plain) == [], seed


def test_the_kiosk_plays_it_end_to_end_and_logs_the_counts(make_kiosk) -> None:
    app = make_kiosk(games=[pl.GAME])
    play_through(app, lang_index=1)  # 繁體中文, the game's own bot at skill 0.9
    (row,) = app.store.plays()
    assert row["game"] == GAME_ID and row["outcome"] == "completed"
    details = row["details"]
    details = json.loads(details) if isinstance(details, str) else details
    assert details["shown"] == details["correct"] + details["wrong"] + details["missed"]
    assert row["score"] == round(100 * details["correct"] / details["shown"])

# --------------------------------------------------------------------------- beyond the contract
# tests/test_game_contract.py checks what every game promises; these are this game's own.


def test_after_touch_chaos_every_card_shown_is_counted_once() -> None:
    for chaos in gamekit.chaos_rounds(GAME_ID):
        game = chaos.game
        assert game.shown == game.correct + game.wrong + game.missed


def test_a_skilled_bot_plays_this_game_well_at_every_level() -> None:
    """Beyond the shared contract's score: a skilled round many cards shown."""
    for difficulty in DIFFICULTIES:
        details = run_bot(1.0, difficulty, seed=3).result().details
        assert details["shown"] >= 10, (difficulty, details)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_verdict_is_only_ever_shown_beside_the_card_it_explains(lang: str) -> None:
    """The previous card's verdict once sat under the next card for its whole reading time,
    so a scam appeared above "Right, it's safe!" (issue 12, item 1)."""
    for skill in (1.0, 0.3):
        game = make_game(lang, "adult", seed=4)
        bot = pl.GAME.bot(game, random.Random(5), skill)
        verdicts, cards_with_a_verdict = 0, set()
        for _ in gamekit.play(game, bot, game.duration_s + 5, DT):
            fb = game.feedback
            if fb is not None and fb.tone in ("good", "bad"):
                verdicts += 1
                assert game.card is not None and fb.card == game.card.uid, (game.phase, fb)
                cards_with_a_verdict.add(fb.card)
            if game.phase in ("enter", "ask"):
                assert fb is None, (game.phase, fb)  # a new card is read with the hint only
            if game.finished:
                break
        assert game.finished and verdicts > 0 and len(cards_with_a_verdict) >= 5


def test_each_next_card_is_drawn_ahead_and_its_arrival_frame_draws_none(monkeypatch) -> None:
    """Only the round's first card is drawn where the round is built; every later card's
    picture comes from the worker that drew it while the card before was read (issue 13:
    its arrival frame was the slowest of the round), and it is the picture the frame would
    have drawn."""
    import games.phish_or_legit.game as game_module

    in_frame: list[str] = []
    draw = game_module.render_card

    def counting(ctx, spec, pace):
        in_frame.append(spec.id)
        return draw(ctx, spec, pace)

    monkeypatch.setattr(game_module, "render_card", counting)
    game = make_game("zh-HK", "adult", seed=3)
    assert len(in_frame) == 1 and game.ahead.pending is not None
    bot = pl.PhishBot(game, random.Random(1), 0.8)
    dealt: list[pl.LiveCard] = []
    while not game.finished:
        for ev in bot.step(DT):
            game.handle(ev)
        game.update(DT)
        if game.card is not None and (not dealt or dealt[-1] is not game.card):
            dealt.append(game.card)
    assert len(dealt) > 5
    assert len(in_frame) == 1 and game.ahead.drawn_ahead == len(dealt) - 1
    for card in dealt[1:4]:
        drawn_now, regions = draw(game.ctx, card.spec, game.pace)
        assert regions == card.regions
        assert pygame.image.tobytes(drawn_now, "RGBA") == pygame.image.tobytes(
            card.surface, "RGBA"
        )


def test_a_card_the_worker_failed_to_draw_is_drawn_in_the_frame(monkeypatch) -> None:
    import games.phish_or_legit.ahead as ahead_module

    def broken(ctx, spec, pace):
        raise RuntimeError("no picture")

    game = make_game()
    game.ahead.take()  # the card drawn ahead at the start: let it go
    before = game.ahead.drawn_ahead
    monkeypatch.setattr(ahead_module, "render_card", broken)
    spec = game.deck.draw()
    game.ahead.start(spec)
    assert game.ahead._job.done.wait(10)
    monkeypatch.undo()  # the frame's own drawing works
    taken, surface, _, solid = game.ahead.take()
    assert taken is spec and surface.get_size() == (game.pace.card_w, game.pace.card_h)
    assert solid is None  # split for drawing in the frame, when first drawn
    assert game.ahead.drawn_ahead == before
