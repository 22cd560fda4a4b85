"""The deployment files do what docs/deploy-desks.md says.

The TLS proxy example (deploy/nginx/) runs in a real nginx, in front of a real claim server
(waitress) and, for the fleet's paths, a marker app standing where ``smartizen fleet serve``
listens (only which upstream answered matters here). Every row of the document's access
table is requested from three places: the internet side, the staff LAN and the visitor
Wi-Fi (loopback addresses 127.0.0.3 and .2 stand for the two LAN subnets). The config's
rules are also read without nginx, and the systemd units are read by ``systemd-analyze
verify`` and their commands checked against the ``smartizen`` command line.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.claims.backend import open_store
from kiosk.claims.desk import ClaimDesk
from kiosk.claims.settings import ClaimsSettings
from kiosk.claims.web import create_app
from kiosk.cli import cli
from kiosk.pin import hash_pin
from kiosk.prizes import eventkey
from kiosk.proxies import waitress_options
from tests.claimkit import free_port, make_code, rows
from tests.serverkit import local_server

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
PROXY_CONF = DEPLOY / "nginx" / "smartizen-claims.conf"
PROXY_SNIPPET = DEPLOY / "nginx" / "smartizen-proxy.conf"
DOC = ROOT / "docs" / "deploy-desks.md"
HOST = "claim.example.hk"
STAFF_LAN = "10.20.0.0/16"
STAFF, VISITOR = "127.0.0.3", "127.0.0.2"  # a desk on the staff LAN, a phone on the Wi-Fi
FLEET_MARK = b"fleet service here"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Row(NamedTuple):
    paths: list[str]
    internet: str
    staff: str
    visitor: str


def access_table() -> list[Row]:
    """The document's table of who may reach what, row by row."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- proxy-table")[1].split("<!-- /proxy-table -->")[0]
    found = []
    for line in table.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        found.append(Row(re.findall(r"`([^`]+)`", cells[0]), *cells[1:4]))
    return found


def test_the_documented_table_covers_the_paths_that_matter() -> None:
    table = access_table()
    paths = {p for row in table for p in row.paths}
    assert {"/C/<code>", "/desk", "/dashboard", "/fleet/v1/heartbeat", "/"} <= paths
    for row in table:
        assert {row.internet, row.staff, row.visitor} <= {
            "claim server",
            "fleet service",
            "403",
            "404",
        }
    staff_only = [r for r in table if r.staff != r.visitor]
    assert staff_only and all(r.internet == "404" for r in staff_only)  # never the internet


# -- the config read as text (runs wherever the tests run) -------------------------------------
def server_blocks(conf: str) -> dict[str, str]:
    """Each top-level ``server { … }`` block by its first ``listen`` port."""
    blocks: dict[str, str] = {}
    for match in re.finditer(r"^server \{\n(.*?)^\}", conf, re.S | re.M):
        body = match.group(1)
        port = re.search(r"listen (\d+)", body).group(1)
        blocks[port] = body
    return blocks


def locations(block: str) -> dict[str, str]:
    return {
        m.group(1).strip(): m.group(2)
        for m in re.finditer(r"location ([^{]+)\{(.*?)\n    \}", block, re.S)
    }


def test_the_internet_side_serves_only_claim_pages_and_the_lan_side_guards_staff_paths() -> None:
    blocks = server_blocks(PROXY_CONF.read_text(encoding="utf-8"))
    assert set(blocks) == {"80", "8443", "443"}
    internet = locations(blocks["8443"])
    assert set(internet) == {"~ ^/[Cc]/[A-Za-z0-9]+$", "/static/", "/"}
    assert "return 404" in internet["/"]
    assert all("smartizen_claims" in internet[p] for p in internet if p != "/")
    assert "smartizen_fleet" not in blocks["8443"] and "/desk" not in blocks["8443"]
    lan = locations(blocks["443"])
    for path in ("= /", "/desk", "/dashboard", "/fleet/"):
        rules = [
            line.strip() for line in lan[path].splitlines() if "allow" in line or "deny" in line
        ]
        assert rules == [f"allow {STAFF_LAN};", "deny all;"], path
    assert "return 404" in lan["/"]
    assert "return 301 https://" in blocks["80"] and "proxy_pass" not in blocks["80"]
    snippet = PROXY_SNIPPET.read_text(encoding="utf-8")
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in snippet  # replaced, not appended


# -- the config run in a real nginx ------------------------------------------------------------
class Sides(NamedTuple):
    http: int
    internet: int
    lan: int


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=7))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def replace(text: str, old: str, new: str) -> str:
    assert old in text, f"deploy/nginx/smartizen-claims.conf no longer has {old!r}"
    return text.replace(old, new)


def render(folder: Path, claims: int, fleet: int, sides: Sides) -> Path:
    """The shipped config with this machine's ports, certificate and subnets; nothing else
    changed, so what runs is what is documented."""
    cert, key = self_signed(folder)
    text = PROXY_CONF.read_text(encoding="utf-8")
    text = re.sub(r"^\s*listen \[::\].*\n", "", text, flags=re.M)  # no IPv6 needed here
    for old, new in [
        ("server 127.0.0.1:8080;", f"server 127.0.0.1:{claims};"),
        ("server 127.0.0.1:8700;", f"server 127.0.0.1:{fleet};"),
        ("listen 80;", f"listen 127.0.0.1:{sides.http};"),
        ("listen 8443 ssl", f"listen 127.0.0.1:{sides.internet} ssl"),
        ("listen 443 ssl", f"listen 127.0.0.1:{sides.lan} ssl"),
        (f"allow {STAFF_LAN};", f"allow {STAFF};"),
        ("/etc/ssl/smartizen/fullchain.pem", str(cert)),
        ("/etc/ssl/smartizen/privkey.pem", str(key)),
        ("/etc/nginx/snippets/smartizen-proxy.conf", str(PROXY_SNIPPET)),
    ]:
        text = replace(text, old, new)
    site = folder / "site.conf"
    site.write_text(text)
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        + f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 256; }}\n"
        + f"http {{ access_log off; {temp} include {site}; }}\n"
    )
    return main


def fleet_marker(environ: dict, start_response) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [FLEET_MARK]


def fetch(port: int, path: str, source: str, *, tls: bool = True, **headers: str) -> tuple:
    """``(status, headers, body)`` of a GET from ``source`` (a loopback address)."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=30, source_address=(source, 0), context=context
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request("GET", path, headers={"Host": HOST, **headers})
        answer = conn.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        conn.close()


def answered_by(status: int, headers: dict[str, str], body: bytes) -> str:
    """Who answered, in the table's words."""
    if "Content-Security-Policy" in headers:  # every claim server answer carries it
        return "claim server"
    if body == FLEET_MARK:
        return "fleet service"
    return str(status)


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[Sides, ClaimDesk, str]]:
    if not Path(NGINX).exists():
        pytest.skip(
            "nginx is not installed (apt-get install nginx-light); the config's rules "
            "are still checked as text by the test above"
        )
    key = eventkey.generate(tmp_path / "event.key")
    settings = ClaimsSettings(
        public_key=str(eventkey.public_path(key.path)),
        database=str(tmp_path / "claims.db"),
        pin_hash=hash_pin("4815162342", iterations=1000),
        claim_days=100_000,
        trusted_proxies=["127.0.0.1"],
        cookie_secure=True,
    )
    settings.validate()
    desk = ClaimDesk(settings, eventkey.load_public(settings.public_key), open_store(settings))
    code = make_code(key)
    with (
        local_server(create_app(desk), **waitress_options(settings.trusted_proxies)) as claims,
        local_server(fleet_marker) as fleet,
    ):
        sides = Sides(free_port(), free_port(), free_port())
        conf = render(tmp_path, int(claims.rsplit(":", 1)[1]), int(fleet.rsplit(":", 1)[1]), sides)
        proc = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(tmp_path), "-e", str(tmp_path / "error.log")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    fetch(sides.http, "/", STAFF, tls=False)
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log = tmp_path / "error.log"
                        pytest.fail(
                            f"nginx did not start: {proc.stdout.read()!r} "
                            f"{log.read_text() if log.exists() else ''}"
                        )
                    time.sleep(0.1)
            yield sides, desk, code
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            desk.close()


def test_real_nginx_answers_every_row_of_the_documented_table(nginx) -> None:
    sides, _, code = nginx
    places = {
        "internet": (sides.internet, STAFF),
        "staff": (sides.lan, STAFF),
        "visitor": (sides.lan, VISITOR),
    }
    seen = []
    for row in access_table():
        for template in row.paths:
            path = template.replace("<code>", code)
            for place, (port, source) in places.items():
                got = answered_by(*fetch(port, path, source))
                seen.append((template, place, got))
                assert got == getattr(row, place), (template, place, got)
    assert len(seen) >= 3 * 9
    status, _, page = fetch(sides.internet, f"/C/{code}", VISITOR)
    assert status == 200 and b"K07-0153" in page  # a phone on mobile data sees its prize
    status, headers, _ = fetch(sides.http, f"/C/{code}", VISITOR, tls=False)
    assert status == 301 and headers["Location"] == f"https://{HOST}/C/{code}"


def test_behind_nginx_the_claim_server_sees_each_client_not_a_forged_address(nginx) -> None:
    """A wrong PIN from a desk is counted against the desk's own address, whatever
    X-Forwarded-For the browser sent (the proxy replaces it)."""
    sides, desk, _ = nginx
    _, headers, page = fetch(sides.lan, "/desk", STAFF)
    token = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
    cookie = headers["Set-Cookie"].split(";")[0]
    assert "Secure" in headers["Set-Cookie"]  # cookie_secure behind TLS
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    conn = http.client.HTTPSConnection(
        "127.0.0.1", sides.lan, timeout=30, source_address=(STAFF, 0), context=context
    )
    conn.request(
        "POST",
        "/desk/login",
        f"pin=000000&csrf={token}",
        {
            "Host": HOST,
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": "198.51.100.99",
        },
    )
    answer = conn.getresponse()
    answer.read()
    conn.close()
    assert answer.status == 403
    assert rows(desk.store, "login_failures", "client, failures") == [(STAFF, 1)]


# -- the systemd units -------------------------------------------------------------------------
def unit(path: Path) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            name, _, value = line.partition("=")
            keys.setdefault(name.strip(), []).append(value.strip())
    return keys


@pytest.mark.parametrize(
    ("name", "command"),
    [("smartizen-claims.service", "serve-claims"), ("smartizen-fleet.service", "fleet")],
)
def test_the_units_run_a_smartizen_command_that_exists(
    name: str, command: str, tmp_path: Path
) -> None:
    keys = unit(DEPLOY / name)
    (exec_start,) = keys["ExecStart"]
    binary, *args = exec_start.split()
    assert binary == "/opt/smartizen/.venv/bin/smartizen" and args[0] == command
    assert keys["User"] == ["smartizen"] and keys["Restart"] == ["always"]
    assert "PGPASSFILE=/etc/smartizen/pgpass" in keys["Environment"]
    analyze = shutil.which("systemd-analyze")
    if analyze:  # systemd's own reading: every key known, every value parsed
        copy = tmp_path / name
        installed = Path(sys.executable).with_name("smartizen")  # this venv's command
        copy.write_text((DEPLOY / name).read_text().replace(binary, str(installed)))
        verify = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True)
        assert verify.returncode == 0 and not verify.stderr.strip(), verify.stderr
    done = CliRunner().invoke(cli, [*args, "--help"])
    assert done.exit_code == 0, done.output  # every option the unit passes is accepted
