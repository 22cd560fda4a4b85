"""The claim server's pages (Flask; served by waitress in ``smartizen serve-claims``).

Visitors (no login, no cookies, no JavaScript):
    GET <claim path><code>     the prize, its status, the reference and desk code, and a large
                               QR of the same link for the desk's scanner. In the code's
                               language (``?lang=`` switches). A bad code is "not a valid
                               code", never why.
Staff (PIN, session cookie, CSRF token on every form):
    GET  /desk                 log in, then one focused input for a USB scanner or a typed
                               desk code
    POST /desk/login, /desk/logout
    POST /desk/check           the verdict, big and coloured, with the prize to hand over
    POST /desk/redeem          "Hand over": records the redemption (once per code, ever)
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, abort, redirect, render_template, request, session, url_for
from markupsafe import Markup

from kiosk.claims.desk import READY, ClaimDesk, Verdict
from kiosk.claims.qrsvg import qr_svg
from kiosk.claims.security import LoginThrottle, csrf_ok, csrf_token
from kiosk.i18n import LANGUAGES, Strings
from kiosk.pin import pin_matches
from kiosk.prizes import claimcode

SESSION_MAX_S = 12 * 3600  # even an active session ends after a (long) shift

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


def create_app(desk: ClaimDesk, strings: Strings | None = None) -> Flask:
    settings = desk.settings
    strings = strings or Strings()
    throttle = LoginThrottle(settings.max_pin_failures, settings.lockout_minutes * 60)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # per process: a restart logs staff out
        SESSION_COOKIE_NAME="szp_desk",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        MAX_CONTENT_LENGTH=16 * 1024,
    )
    app.extensions["claim_desk"] = desk

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(PAGE_HEADERS)
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    # -- visitors ---------------------------------------------------------------------------
    def claim_page(code: str) -> tuple[str, int]:
        verdict = desk.check(code, opened=True)
        claim = verdict.claim
        asked = request.args.get("lang")
        lang = asked if asked in LANGUAGES else (claim.lang if claim else LANGUAGES[0])
        t = _Text(strings, lang)
        if claim is None:
            return render_template(
                "invalid.html", lang=lang, texts=[_Text(strings, x) for x in LANGUAGES]
            ), 404
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
        ), 200

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
    def staff() -> bool:
        """Logged in and not expired (idle or too long); touches the idle timer."""
        if not session.get("staff"):
            return False
        now = time.time()
        idle = now - session.get("seen", 0)
        if idle > settings.session_minutes * 60 or now - session.get("since", 0) > SESSION_MAX_S:
            session.clear()
            session["notice"] = "Session expired; enter the PIN again."
            return False
        session["seen"] = now
        return True

    def require_form() -> None:
        if not csrf_ok(session, request.form.get("csrf")):
            abort(400, "This form has expired. Reload the page and try again.")

    def desk_page(verdict: Verdict | None = None) -> str:
        prize = {}
        if verdict is not None and verdict.claim is not None:
            prize = {x: _Text(strings, x).tier(verdict.claim.tier) for x in LANGUAGES}
        return render_template(
            "desk.html",
            lang="en",
            verdict=verdict,
            prize=prize,
            desk_name=session.get("desk", settings.desk_name),
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
            desk_name=session.get("desk", settings.desk_name),
            csrf=csrf_token(session),
        ), status

    @app.get("/desk")
    def desk_home() -> Any:
        return desk_page() if staff() else login_page()

    @app.post("/desk/login")
    def login() -> Any:
        require_form()
        client = request.remote_addr or "?"
        wait = throttle.locked_for(client)
        if wait > 0:
            return login_page(f"Too many wrong PINs. Try again in {int(wait // 60) + 1} min.", 429)
        if not pin_matches(request.form.get("pin", ""), settings.pin_hash):
            throttle.failed(client)
            wait = throttle.locked_for(client)
            if wait > 0:
                return login_page(
                    f"Too many wrong PINs. Try again in {int(wait // 60) + 1} min.", 429
                )
            return login_page("Wrong PIN.", 403)
        throttle.succeeded(client)
        desk_name = (request.form.get("desk") or settings.desk_name).strip()[:40]
        session.clear()  # a fresh session (and CSRF token) after login
        now = time.time()
        session.update(staff=True, since=now, seen=now, desk=desk_name or settings.desk_name)
        return redirect(url_for("desk_home"), 303)

    @app.post("/desk/logout")
    def logout() -> Any:
        require_form()
        session.clear()
        return redirect(url_for("desk_home"), 303)

    @app.post("/desk/check")
    def check() -> Any:
        if not staff():
            return redirect(url_for("desk_home"), 303)
        require_form()
        return desk_page(desk.check(request.form.get("code", "")))

    @app.post("/desk/redeem")
    def redeem() -> Any:
        if not staff():
            return redirect(url_for("desk_home"), 303)
        require_form()
        return desk_page(desk.redeem(request.form.get("code", ""), session["desk"]))

    return app


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
