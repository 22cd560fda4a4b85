"""The claim page's plain GET answered in front of Flask, from pages already rendered.

Phones reload their claim page, and a page is a function of its language and verdict alone
(kiosk/claims/web.py keeps them rendered). For such a reload Flask's request machinery
(request and app contexts, URL routing, the session cookie, signals, response objects) cost
three times the page's own work. So ``GET <claim path><code>`` with no query string is
handled here: the visit is judged exactly as the Flask view judges it (signature, database,
phone noted) and, when the page is already rendered, the bytes go out with the headers the
Flask view sends. Anything else, and any visit whose page is not rendered yet, goes on to
Flask together with the visit already judged, so a code or phone is never noted twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import parse_cookie

#: Where a judged visit travels on to the Flask view in the WSGI environ.
VISIT_KEY = "smartizen.claim_visit"
#: Codes (base32, any letter case) only: desk codes, slashes and anything needing URL
#: decoding take Flask's way.
_CODE = re.compile(r"[A-Za-z0-9]+")

Visit = Any  # web.Visit; kept opaque here: this module only carries it
WSGIApp = Callable[[dict[str, Any], Callable], Iterable[bytes]]


class ClaimPageFastPath:
    """WSGI middleware in front of the Flask ``app``, for codes under ``prefixes`` (not the
    ``reserved`` paths of Flask's other pages): ``visit(code, cookies) -> Visit`` judges a visit,
    ``reply(visit) -> (headers, body) | None`` gives a rendered page's response or ``None``
    when Flask must render it."""

    def __init__(
        self,
        app: WSGIApp,
        prefixes: Iterable[str],
        reserved: Iterable[str],
        visit: Callable[[str, dict[str, str]], Visit],
        reply: Callable[[Visit], tuple[list[tuple[str, str]], bytes] | None],
    ) -> None:
        self.app = app
        self.prefixes = tuple(sorted(prefixes, key=len, reverse=True))
        self.reserved = frozenset(reserved)  # Flask's own fixed paths (/desk, /healthz)
        self.visit = visit
        self.reply = reply

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        code = self._code(environ)
        if code is None:
            return self.app(environ, start_response)
        try:
            visit = self.visit(code, parse_cookie(environ))
        except Exception:  # Flask's view meets it again, and answers and logs it its way
            return self.app(environ, start_response)
        answer = self.reply(visit)
        if answer is None:
            environ[VISIT_KEY] = visit
            return self.app(environ, start_response)
        headers, body = answer
        start_response("200 OK", headers)
        return [body]

    def _code(self, environ: dict[str, Any]) -> str | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        path = environ.get("PATH_INFO", "")
        if path in self.reserved:
            return None
        for prefix in self.prefixes:
            if path.startswith(prefix):
                code = path[len(prefix) :]
                return code if _CODE.fullmatch(code) else None
        return None
