"""The client's address behind the TLS proxy, for the servers that count wrong passwords.

Behind deploy/nginx every request arrives from the proxy's address, so a back-off counted
per address would make one person's typos slow every desk or organiser at once.
:class:`TrustedProxyFix` takes the client's address from ``X-Forwarded-For`` only when the
request really came from a configured proxy, so nobody else can pick an address per guess to
dodge their back-off. Shared by the claim server and the fleet service (both on waitress).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, Field
from werkzeug.middleware.proxy_fix import ProxyFix


def _addresses(addresses: list[str]) -> list[str]:
    for address in addresses:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise ValueError(f"{address!r} is not an IP address") from None
    return addresses


# A settings key: the proxies' addresses as the server sees them (empty: no proxy).
ProxyAddresses = Annotated[
    list[str],
    Field(description='a list of IP addresses, e.g. ["127.0.0.1"]'),
    AfterValidator(_addresses),
]


class TrustedProxyFix:
    """werkzeug's ProxyFix, applied only to requests from a configured proxy address.

    ProxyFix alone believes the last ``hops`` entries of ``X-Forwarded-For`` from anyone who
    sends the header; here a request from any other address keeps its own address.
    """

    def __init__(self, app: Any, trusted: Iterable[str], hops: int = 1) -> None:
        self.app = app
        self.trusted = frozenset(trusted)
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops)

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        if environ.get("REMOTE_ADDR") in self.trusted:
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


def waitress_options(trusted_proxies: Iterable[str]) -> dict[str, Any]:
    """What waitress needs beside :class:`TrustedProxyFix`: by default it strips
    ``X-Forwarded-*`` headers before the app sees them, so with a proxy configured it must
    pass them on (the app then believes them only from the proxy's address)."""
    return {"clear_untrusted_proxy_headers": False} if list(trusted_proxies) else {}
