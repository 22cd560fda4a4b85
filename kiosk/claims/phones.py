"""Which phones opened a claim page: a first-opening cookie holding a random id.

The first time a phone opens any claim page it is given ``szp_phone``, 22 random URL-safe
characters and nothing else (no address, no user agent, nothing it sent). The database
records which ids opened which code, so the desk sees "opened on 2 different phones" and
can ask before handing over: a code photographed off the kiosk screen by a stranger shows
up as a second phone.
"""

from __future__ import annotations

import re
import secrets

PHONE_COOKIE = "szp_phone"
_PHONE_ID = re.compile(r"[A-Za-z0-9_-]{22}")


def phone_id(cookie: str | None) -> tuple[str, bool]:
    """The phone's id from its cookie, or a new one: ``(id, is_new)``.

    Anything that is not an id this server could have made is replaced, so the column
    only ever holds random ids.
    """
    if cookie and _PHONE_ID.fullmatch(cookie):
        return cookie, False
    return secrets.token_urlsafe(16), True
