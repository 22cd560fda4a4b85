"""The claim server's pages (Flask; served by waitress in ``smartizen serve-claims``).

Visitors (no login, no JavaScript; one cookie, a random phone id: kiosk/claims/phones.py):
    GET <claim path><code>     the prize, its status, the reference and desk code, and a large
                               QR of the same link for the desk's scanner. In the code's
                               language (``?lang=`` switches). A bad code is "not a valid
                               code", never why.
Staff (PIN with per-client back-off, a server-side session, CSRF token on every form):
    GET  /desk                 log in, then one focused input for a USB scanner or a typed
                               desk code
    POST /desk/login, /desk/logout (the session is revoked in the database)
    POST /desk/check           the verdict, big and coloured, with the prize to hand over
    POST /desk/redeem          "Hand over": records the redemption (once per code, ever)
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from markupsafe import Markup
from werkzeug.http import dump_cookie

from kiosk.claims.desk import READY, ClaimDesk, Verdict
from kiosk.claims.fastpage import VISIT_KEY, ClaimPageFastPath
from kiosk.claims.names import clean_desk_name
from kiosk.claims.phones import PHONE_COOKIE, phone_id
from kiosk.claims.qrsvg import qr_svg
from kiosk.claims.security import LoginThrottle, csrf_ok, csrf_token
from kiosk.claims.sessions import IDLE, LOGOUT, TOO_LONG, StaffSession, StaffSessions
from kiosk.claims.store import MAX_PHONES, StoreDown
from kiosk.i18n import LANGUAGES, Strings
from kiosk.pin import pin_matches
from kiosk.prizes import claimcode
from kiosk.proxies import TrustedProxyFix

log = logging.getLogger(__name__)

SESSION_MAX_S = 12 * 3600  # even an active session ends after a (long) shift
PAGE_CACHE = 4096  # rendered claim pages kept (UTF-8), as many as qrsvg's cache of QR symbols
ENDED_NOTICE = {
    IDLE: "Session expired; enter the PIN again.",
    TOO_LONG: "Session expired; enter the PIN again.",
    LOGOUT: "You were logged out; enter the PIN again.",
}

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the URL is the code: never leak it to another site
    "X-Frame-Options": "DENY",
}


@dataclass
class _Text:
    """String lookup for a template, in one language, with a fallback for custom tiers."""

    strings: Strings
    lang: str

    def __call__(self, key: str, **fmt: Any) -> str:
        return self.strings.get(self.lang, key, **fmt)

    def tier(self, tier: str) -> str:
        key = f"prize.{tier}"
        if key in self.strings.tables.get(self.lang, {}):
            return self(key)
        return tier.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Visit:
    """A phone's visit to a code's page, judged: what the page shows, and the phone's id."""

    verdict: Verdict
    lang: str
    phone: str
    new_phone: bool


class _SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer built once per key instead of on every
    request (a fifth of a claim page's server time went to rebuilding it)."""

    _signer: tuple[object, URLSafeTimedSerializer | None] = (None, None)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._signer[0] != keys:
            self._signer = (keys, super().get_signing_serializer(app))
        return self._signer[1]


def create_app(
    desk: ClaimDesk, strings: Strings | None = None, clock: Callable[[], float] = time.time
) -> Flask:
    """The claim server's app. ``clock``: wall time in seconds, for the desk's back-off and
    sessions (shared through the database with every other server process)."""
    settings = desk.settings
    strings = strings or Strings()
    throttle = LoginThrottle(
        desk.store, settings.max_pin_failures, settings.lockout_minutes * 60, clock
    )
    sessions = StaffSessions(desk.store, settings.session_minutes * 60, SESSION_MAX_S, clock)
    app = Flask(__name__)
    if settings.trusted_proxies:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, settings.trusted_proxies, settings.proxy_hops)
    app.config.update(
        # One key per claim store: every server process on it honours the same cookies.
        SECRET_KEY=desk.store.secret("flask-session"),
        SESSION_COOKIE_NAME="szp_desk",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        MAX_CONTENT_LENGTH=16 * 1024,
    )
    app.extensions["claim_desk"] = desk
    app.session_interface = _SessionCookies()

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(PAGE_HEADERS)
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    def notice(key: str, lang: str = LANGUAGES[0]) -> str:
        """A page for visitors in every language: ``prize.<key>`` and its ``_hint``."""
        texts = [_Text(strings, x) for x in LANGUAGES]
        return render_template("notice.html", lang=lang, texts=texts, key=key)

    @app.errorhandler(StoreDown)
    def store_down(exc: StoreDown) -> tuple[str, int, dict[str, str]]:
        """The central database is not answering: say so in both languages and carry on
        (nothing was recorded)."""
        return notice("unavailable"), 503, {"Retry-After": "30"}

    # -- visitors ---------------------------------------------------------------------------
    pages: dict[tuple[str, Verdict], bytes] = {}
    phone_cookie = {
        "max_age": (settings.claim_days + 1) * 86400,
        "secure": settings.cookie_secure,
        "httponly": True,
        "samesite": "Lax",  # sent when the QR's link is opened from the camera app
    }

    def visit(code: str, cookies: Mapping[str, str], asked: str | None = None) -> Visit:
        phone, new_phone = phone_id(cookies.get(PHONE_COOKIE))
        verdict = desk.check(code, opened=True, phone=phone)
        claim = verdict.claim
        lang = asked if asked in LANGUAGES else (claim.lang if claim else LANGUAGES[0])
        return Visit(verdict, lang, phone, new_phone)

    def claim_page(code: str) -> Any:
        # Judged already when it came through the fast path (kiosk/claims/fastpage.py).
        seen = request.environ.pop(VISIT_KEY, None)
        if seen is None:
            seen = visit(code, request.cookies, request.args.get("lang"))
        verdict, lang, claim = seen.verdict, seen.lang, seen.verdict.claim
        if claim is None:
            return notice("invalid", lang), 404
        # A claim page is a function of its language and verdict alone; phones reload it.
        html = pages.get((lang, verdict))
        if html is None:
            html = render_claim(lang, _Text(strings, lang), verdict, claim).encode()
            if len(pages) >= PAGE_CACHE:
                pages.clear()  # bounded memory; the next visits simply render again
            pages[lang, verdict] = html
        page = make_response(html)
        if seen.new_phone:
            page.set_cookie(PHONE_COOKIE, seen.phone, **phone_cookie)
        return page

    page_headers = [*PAGE_HEADERS.items(), ("Cache-Control", "no-store")]

    def rendered(seen: Visit) -> tuple[list[tuple[str, str]], bytes] | None:
        """The response ``claim_page`` would give, if its page is rendered already."""
        html = pages.get((seen.lang, seen.verdict)) if seen.verdict.claim else None
        if html is None:
            return None
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(html)))]
        if seen.new_phone:
            headers.append(("Set-Cookie", dump_cookie(PHONE_COOKIE, seen.phone, **phone_cookie)))
        return headers + page_headers, html

    def render_claim(lang: str, t: _Text, verdict: Verdict, claim: claimcode.Claim) -> str:
        link = desk.link(verdict.code)
        where = settings.desk.get(lang) or t("prize.desk_where")
        return render_template(
            "claim.html",
            lang=lang,
            t=t,
            verdict=verdict,
            claim=claim,
            prize=t.tier(claim.tier),
            status=_visitor_status(verdict, t, desk),
            desk_code=claimcode.desk_code(verdict.code),
            where=where,
            qr=Markup(qr_svg(link, t("prize.qr_alt"))),
            other_lang=next((x for x in LANGUAGES if x != lang), None),
        )

    prefixes = {settings.claim_path, settings.claim_path.lower()}
    for i, prefix in enumerate(sorted(prefixes)):
        app.add_url_rule(f"{prefix}<code>", f"claim_{i}", claim_page)

    @app.get("/")
    def index() -> Response:
        return redirect(url_for("desk_home"))

    @app.get("/healthz")
    def healthz() -> tuple[str, int, dict[str, str]]:
        return "ok\n", 200, {"Content-Type": "text/plain"}

    # -- staff --------------------------------------------------------------------------------
    def staff() -> StaffSession | None:
        """The open staff session (touching its idle timer), checked in the database: a
        session ended by logout or expiry is refused, whichever copy of the cookie comes."""
        token = session.get("token")
        current, why = sessions.check(token)
        if current is None and token:
            session.clear()
            session["notice"] = ENDED_NOTICE.get(why, "")
        return current

    def require_form() -> None:
        if not csrf_ok(session, request.form.get("csrf")):
            abort(400, "This form has expired. Reload the page and try again.")

    def desk_page(current: StaffSession, verdict: Verdict | None = None) -> str:
        prize = {}
        if verdict is not None and verdict.claim is not None:
            prize = {x: _Text(strings, x).tier(verdict.claim.tier) for x in LANGUAGES}
        return render_template(
            "desk.html",
            lang="en",
            verdict=verdict,
            prize=prize,
            phones=desk.phones(verdict.code if verdict else None),
            max_phones=MAX_PHONES,
            desk_name=current.desk,
            csrf=csrf_token(session),
            READY=READY,
            local_time=desk.local_time,
        )

    def login_page(message: str = "", status: int = 200) -> tuple[str, int]:
        notice = session.pop("notice", "")
        return render_template(
            "login.html",
            lang="en",
            message=message or notice,
            desk_name=settings.desk_name,
            csrf=csrf_token(session),
        ), status

    @app.get("/desk")
    def desk_home() -> Any:
        current = staff()
        return desk_page(current) if current else login_page()

    @app.post("/desk/login")
    def login() -> Any:
        require_form()
        client = request.remote_addr or "?"
        wait = throttle.attempt(client)
        if wait > 0:
            return login_page(f"Too many wrong PINs. Try again in {_wait_text(wait)}.", 429)
        if not pin_matches(request.form.get("pin", ""), settings.pin_hash):
            failures = throttle.failures(client)
            log.warning("wrong desk PIN from %r (%d in a row)", client, failures)
            wait = throttle.delay(failures)
            if wait > 0:
                return login_page(f"Wrong PIN. Try again in {_wait_text(wait)}.", 429)
            return login_page("Wrong PIN.", 403)
        throttle.succeeded(client)
        desk_name = clean_desk_name(request.form.get("desk"), settings.desk_name)
        session.clear()  # a fresh session (and CSRF token) after login
        session["token"] = sessions.start(desk_name)
        return redirect(url_for("desk_home"), 303)

    @app.post("/desk/logout")
    def logout() -> Any:
        require_form()
        sessions.end(session.get("token"), LOGOUT)
        session.clear()
        return redirect(url_for("desk_home"), 303)

    @app.post("/desk/check")
    def check() -> Any:
        current = staff()
        if current is None:
            return redirect(url_for("desk_home"), 303)
        require_form()
        return desk_page(current, desk.check(request.form.get("code", "")))

    @app.post("/desk/redeem")
    def redeem() -> Any:
        current = staff()
        if current is None:
            return redirect(url_for("desk_home"), 303)
        require_form()
        return desk_page(current, desk.redeem(request.form.get("code", ""), current.desk))

    reserved = [rule.rule for rule in app.url_map.iter_rules() if not rule.arguments]
    app.wsgi_app = ClaimPageFastPath(app.wsgi_app, prefixes, reserved, visit, rendered)
    return app


def _wait_text(seconds: float) -> str:
    if seconds < 90:
        return f"{math.ceil(seconds)} s"
    return f"{math.ceil(seconds / 60)} min"


def _visitor_status(verdict: Verdict, t: _Text, desk: ClaimDesk) -> dict[str, str]:
    if verdict.status == READY:
        return {"kind": "ready", "title": t("prize.ready"), "text": t("prize.ready_hint")}
    if verdict.redemption is not None:
        when = desk.local_time(verdict.redemption.redeemed_at)
        return {
            "kind": "collected",
            "title": t("prize.collected"),
            "text": t("prize.collected_detail", when=when, desk=verdict.redemption.desk),
        }
    if verdict.reason == "issued_in_future":  # a kiosk's clock ran ahead: staff decide
        return {
            "kind": "invalid",
            "title": t("prize.check_at_desk"),
            "text": t("prize.check_at_desk_detail"),
        }
    return {
        "kind": "expired",
        "title": t("prize.expired"),
        "text": t("prize.expired_detail", last_day=str(verdict.last_day)),
    }
