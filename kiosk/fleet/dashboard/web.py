"""The organisers' live dashboard: a Flask blueprint under ``/dashboard``.

    GET  /dashboard/                  the whole carnival (login first): alerts, booths, today's
                                      plays by booth/game × hour, the funnel, prizes issued vs
                                      collected, stock and sell-out times, downtime. Refreshes
                                      itself every ``refresh_s`` with a meta tag: no JavaScript.
    GET  /dashboard/booth/<id>        one booth: its status, today's games × hours, its silences,
                                      and the remote controls (plain forms)
    POST /dashboard/booth/<id>/settings   pause/resume, a game on/off, stock ±, volume
    POST /dashboard/login, /logout    accounts from ``smartizen fleet add-organiser``
    GET  /dashboard/lang/<lang>       English / 繁體中文 (a cookie), back to the same page

Every POST carries a CSRF token (the session's; before login, a double-submit cookie), cookies
are HttpOnly and SameSite=Strict, and the pages send a strict Content-Security-Policy.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup
from psycopg_pool import ConnectionPool

from kiosk import svgchart as charts
from kiosk.fleet.dashboard import status
from kiosk.fleet.dashboard.auth import Door, Session
from kiosk.fleet.dashboard.snapshot import Shared
from kiosk.fleet.dashboard.stock import fill_booths
from kiosk.fleet.dashboard.text import Text, dashboard_strings
from kiosk.fleet.dashboard.today import FUNNEL, Today, compute, gaps
from kiosk.fleet.desired import DesiredError, change_desired, get_desired
from kiosk.i18n import GAMES_DIR, LANGUAGES, Strings, game_files
from kiosk.localday import local_date, local_time

log = logging.getLogger(__name__)

SESSION_COOKIE = "szp_dash"
LOGIN_CSRF_COOKIE = "szp_dash_login"
LANG_COOKIE = "szp_dash_lang"
STOCK_STEPS = (-5, -1, 1, 5, 10)
VOLUME_STEPS = (0, 25, 50, 75, 100)
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def dashboard_blueprint(
    pool: ConnectionPool,
    *,
    utc_offset_hours: float = 8.0,
    refresh_s: int = 10,
    cookie_secure: bool = False,
    clock: Callable[[], datetime] = _utc_now,
    snapshot_max_age_s: float = 5.0,
    snapshot_stale_s: float = 60.0,
    view_max_age_s: float = 2.0,
    view_stale_s: float = 30.0,
    door: Door | None = None,
    strings: Strings | None = None,
) -> Blueprint:
    """The dashboard for the central store behind ``pool``. ``clock`` is the centre's time
    (UTC, aware); the day's aggregates are shared by all viewers for ``snapshot_max_age_s``,
    the rendered overview (booth status included) for ``view_max_age_s``."""
    bp = Blueprint(
        "dashboard",
        __name__,
        url_prefix="/dashboard",
        template_folder="templates",
        static_folder="static",
        static_url_path="/static",
    )
    door = door or Door(pool)
    own = strings or dashboard_strings()
    visitor = Strings()
    known_games = [game_id for game_id, _ in game_files(GAMES_DIR)]
    snapshot: Shared[date, Today] = Shared(
        lambda day: compute(pool, day, utc_offset_hours, clock()),
        snapshot_max_age_s,
        snapshot_stale_s,
    )
    # Set by the first page view: what rendering outside a request needs.
    site: dict[str, Any] = {}

    @bp.app_context_processor
    def links() -> dict[str, Any]:
        # url_for costs a fifth of a millisecond; a hundred booths' links are one prefix each.
        prefix = url_for("dashboard.booth", kiosk_id="-")[:-1]
        return {"booth_url": lambda kiosk_id: prefix + quote(kiosk_id, safe="")}

    @bp.after_request
    def headers(response: Response) -> Response:
        response.headers.update(HEADERS)
        if request.endpoint == "dashboard.static":
            response.headers["Cache-Control"] = "max-age=3600"
        return response

    # -- language and session -------------------------------------------------------------

    def language() -> str:
        chosen = request.cookies.get(LANG_COOKIE)
        if chosen in LANGUAGES:
            return chosen
        best = request.accept_languages.best_match(["en", "zh-HK", "zh-TW", "zh"])
        return "zh-HK" if best and best.startswith("zh") else "en"

    def text() -> Text:
        return Text(own, visitor, language(), utc_offset_hours)

    def current() -> Session | None:
        return door.session(request.cookies.get(SESSION_COOKIE), clock())

    def cookie(response: Response, name: str, value: str, max_age: int | None = None) -> None:
        response.set_cookie(
            name, value, max_age=max_age, path="/dashboard", httponly=True,
            samesite="Strict", secure=cookie_secure,
        )

    def require_csrf(who: Session) -> None:
        if not _same(who.csrf, request.form.get("csrf")):
            abort(400, "This form has expired. Reload the page and try again.")

    def login_page(message: str = "", code: int = 200) -> Response:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
        page = make_response(
            render_template(
                "dashboard/login.html", t=text(), message=message, csrf=token,
                username=request.form.get("username", ""),
            ),
            code,
        )
        cookie(page, LOGIN_CSRF_COOKIE, token)
        return page

    # -- pages ----------------------------------------------------------------------------

    @bp.get("/")
    def overview() -> Response:
        who = current()
        if who is None:
            return login_page()
        t = text()
        if not site:
            prefix = url_for("dashboard.booth", kiosk_id="-")[:-1]
            site["booth_url"] = lambda kiosk_id: prefix + quote(kiosk_id, safe="")
            site["app"] = current_app._get_current_object()  # type: ignore[attr-defined]
        now, main = views.get(t.lang)
        return make_response(
            render_template(
                "dashboard/overview.html", t=t, who=who, now=now, main=main, refresh_s=refresh_s
            )
        )

    def make_view(lang: str) -> tuple[datetime, Markup]:
        """The overview's content in one language (only the top bar is each viewer's)."""
        app = site["app"]
        t = Text(own, visitor, lang, utc_offset_hours)
        now = clock()
        booths = status.booths(pool, now)
        today = snapshot.get(local_date(now, utc_offset_hours))
        fill_booths(booths, today.stock)
        with app.app_context():
            html = app.jinja_env.get_template("dashboard/overview_main.html").render(
                **_overview(t, now, booths, today), booth_url=site["booth_url"]
            )
        return now, Markup(html)

    views: Shared[str, tuple[datetime, Markup]] = Shared(make_view, view_max_age_s, view_stale_s)

    def _overview(
        t: Text, now: datetime, booths: list[status.Booth], today: Today
    ) -> dict[str, Any]:
        hours = today.hours(local_time(now, utc_offset_hours).hour)
        per_booth = today.per_booth()
        games = sorted({g for (_, g, _) in today.cells}, key=t.game)
        tiers = status.tiers(booths, [tier for _, tier in today.stock])
        prize_tiers = [x for x in tiers if x in today.issued] + sorted(
            set(today.issued) - set(tiers)
        )
        order = {"offline": 0, "never": 1, "warning": 2, "paused": 3, "ok": 4}
        return {
            **_charts(t, booths, today, hours, games, prize_tiers),
            "t": t,
            "now": now,
            "booths": sorted(booths, key=lambda b: (order[b.state], b.kiosk_id)),
            "by_id": {b.kiosk_id: b for b in booths},
            "alerts": status.alerts(booths, now),
            "today": today,
            "per_booth": per_booth,
            "tiers": tiers,
            "online": sum(b.online for b in booths),
            "issued": sum(today.issued.values()),
            "collected": sum(today.collected.values()),
            "down_rows": sorted(
                ((b, d) for b in booths if (d := _downtime(today, b, now))["gaps"]),
                key=lambda bd: (-bd[1]["seconds"], bd[0].kiosk_id),
            ),
        }

    drawn: dict[tuple, dict[str, Markup]] = {}

    def _charts(
        t: Text, booths: list[status.Booth], today: Today, hours: list[int], games: list[str],
        prize_tiers: list[str],
    ) -> dict[str, Markup]:
        """The overview's charts, drawn once per copy of the day's numbers and language."""
        key = (t.lang, today.day, today.computed_at, tuple(hours),
               tuple((b.kiosk_id, b.label) for b in booths))
        found = drawn.get(key)
        if found is None:
            if len(drawn) > 16:
                drawn.clear()
            found = drawn[key] = {
                "heat_booths": Markup(
                    charts.heatmap(
                        t("plays.by_booth"),
                        [(b.kiosk_id, b.label) for b in booths],
                        hours, today.by("booth"), t("plays.total"),
                    )
                ),
                "heat_games": Markup(
                    charts.heatmap(
                        t("plays.by_game"), [(g, t.game(g)) for g in games], hours,
                        today.by("game"), t("plays.total"),
                    )
                ),
                "funnel": Markup(
                    charts.funnel(
                        t("funnel.title"),
                        [(t(f"funnel.{s}"), today.funnel.get(s, 0)) for s in FUNNEL],
                    )
                ),
                "prizes": Markup(
                    charts.issued_collected(
                        t("prizes.title"),
                        [(t.tier(x), today.issued[x], today.collected.get(x, 0))
                         for x in prize_tiers],
                        (t("prizes.issued"), t("prizes.collected")),
                    )
                ),
            }
        return found

    @bp.get("/booth/<kiosk_id>")
    def booth(kiosk_id: str) -> Response:
        who = current()
        if who is None:
            return login_page()
        now = clock()
        t = text()
        found = {b.kiosk_id: b for b in status.booths(pool, now)}
        this = found.get(kiosk_id)
        if this is None:
            abort(404)
        day = local_date(now, utc_offset_hours)
        today = snapshot.get(day)
        fill_booths([this], today.stock)
        hours = today.hours(local_time(now, utc_offset_hours).hour)
        cells = today.per_booth_game(kiosk_id)
        games = sorted({g for g, _ in cells} | set(known_games), key=t.game)
        with pool.connection() as conn:
            desired = get_desired(conn, kiosk_id) or {"revision": 0}
        revision = desired["revision"]
        return make_response(
            render_template(
                "dashboard/booth.html",
                t=t, who=who, now=now, b=this, today=today,
                alerts=[a for a in status.alerts([this], now)],
                heat=Markup(
                    charts.heatmap(
                        t("plays.by_game"), [(g, t.game(g)) for g in games], hours, cells,
                        t("plays.total"),
                    )
                ),
                games=games, game_on={g: desired.get("games", {}).get(g, True) for g in games},
                paused=desired.get("paused", this.paused),
                volume=desired.get("volume"),
                revision=revision,
                tiers=status.tiers([this]) or list(status.KNOWN_TIERS[:2]),
                stock_steps=STOCK_STEPS, volume_steps=VOLUME_STEPS,
                down=_downtime(today, this, now),
                gaps=gaps(pool, kiosk_id, day, utc_offset_hours),
                done=request.args.get("done", ""),
            )
        )

    @bp.post("/booth/<kiosk_id>/settings")
    def settings(kiosk_id: str) -> Response:
        who = current()
        if who is None:
            return login_page(code=403)
        require_csrf(who)
        form = request.form
        action = form.get("action", "")
        change: dict[str, Any] = {}
        try:
            if action in ("pause", "resume"):
                change["paused"] = action == "pause"
            elif action in ("game_on", "game_off") and form.get("game") in known_games:
                change["games"] = {form["game"]: action == "game_on"}
            elif action == "stock" and form.get("tier"):
                delta = int(form.get("delta", "0"))
                if not -100 <= delta <= 100 or delta == 0:
                    raise ValueError(delta)
                change["add_stock"] = [(form["tier"][:32], delta, local_date(clock(),
                                                                             utc_offset_hours))]
            elif action == "volume":
                change["volume"] = int(form.get("volume", "")) / 100
                if not 0 <= change["volume"] <= 1:
                    raise ValueError(change["volume"])
            else:
                raise ValueError(action)
        except ValueError:
            abort(400, "That change is not one the dashboard knows. Reload the page.")
        try:
            with pool.connection() as conn:
                revision = change_desired(conn, kiosk_id, who.username, **change)
        except DesiredError:
            abort(404)
        views.forget()  # the next overview shows the change
        log.info("dashboard: %s set %s on %s (revision %d)", who.username, change, kiosk_id,
                 revision)
        return redirect(url_for("dashboard.booth", kiosk_id=kiosk_id, done=action), 303)

    # -- door -----------------------------------------------------------------------------

    @bp.post("/login")
    def login() -> Response:
        t = text()
        if not _same(request.cookies.get(LOGIN_CSRF_COOKIE), request.form.get("csrf")):
            return login_page(t("login.expired"), 400)
        client = request.remote_addr or "?"
        now = clock()
        wait = door.attempt(client, now)
        if wait > 0:
            return login_page(t("login.wait", wait=_wait_text(t, wait)), 429)
        username = request.form.get("username", "").strip()
        if not door.check_password(username, request.form.get("password", "")):
            failures = door.failures(client)
            log.warning("dashboard: wrong password for %r from %r (%d in a row)",
                        username[:40], client, failures)
            wait = door.delay(failures)
            if wait > 0:
                return login_page(t("login.wrong_wait", wait=_wait_text(t, wait)), 429)
            return login_page(t("login.wrong"), 403)
        door.succeeded(client)
        page = redirect(url_for("dashboard.overview"), 303)
        cookie(page, SESSION_COOKIE, door.start(username, now), max_age=16 * 3600)
        page.delete_cookie(LOGIN_CSRF_COOKIE, path="/dashboard")
        return page

    @bp.post("/logout")
    def logout() -> Response:
        who = current()
        if who is not None:
            require_csrf(who)
            door.end(request.cookies.get(SESSION_COOKIE), clock())
        page = redirect(url_for("dashboard.overview"), 303)
        page.delete_cookie(SESSION_COOKIE, path="/dashboard")
        return page

    @bp.get("/lang/<lang>")
    def switch_language(lang: str) -> Response:
        if lang not in LANGUAGES:
            abort(404)
        back = request.args.get("next", "")
        # Only a page of the dashboard itself: never an open redirect.
        if not back.startswith("/dashboard/") or back.startswith("//") or "\\" in back:
            back = url_for("dashboard.overview")
        page = redirect(back, 303)
        cookie(page, LANG_COOKIE, lang, max_age=365 * 86400)
        return page

    return bp


def _same(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and secrets.compare_digest(expected, given)


def _downtime(today: Today, booth: status.Booth, now: datetime) -> dict[str, float]:
    """Today's silences longer than a minute, with the current one if the booth is offline."""
    down = today.downtime.get(booth.kiosk_id)
    seconds, gaps_n, longest = (down.seconds, down.gaps, down.longest_s) if down else (0, 0, 0)
    if booth.seen_at is not None and not booth.online and booth.seen_at >= today.start:
        tail = (now - booth.seen_at).total_seconds()
        seconds, gaps_n, longest = seconds + tail, gaps_n + 1, max(longest, tail)
    return {"seconds": seconds, "gaps": gaps_n, "longest": longest}


def _wait_text(t: Text, seconds: float) -> str:
    return t.duration(math.ceil(seconds))
