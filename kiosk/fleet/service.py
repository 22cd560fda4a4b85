"""The fleet service: the booths' API on the venue LAN (docs/fleet-contract.md).

``POST /fleet/v1/sync`` stores a batch of a booth's outbox and answers ``{"acked": through}``
only after it is committed and flushed; a booth that asks for ``"ack": "durable-lsn"`` gets
its batch committed without waiting for the flush and answered with log positions instead
(``{"received", "lsn", "flushed", "epoch"}``), and learns with an empty push when the log is
flushed past them; ``POST /fleet/v1/heartbeat`` records the booth's status and
answers with the centre's time, today's plays across the carnival and the desired settings.
Both need ``Authorization: Bearer <token>`` (kiosk/fleet/kiosks.py): 401 for a token no booth
holds, 403 for a revoked booth or another booth's rows, 400 for a malformed body (one line
saying why), 413 for a body over ``max_body_mb``, 503 while the database is unreachable.
Every error answer is ``{"error": "<reason>"}``.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from typing import Any

import psycopg
from flask import Flask, Response, g, jsonify, request
from psycopg_pool import ConnectionPool, PoolTimeout
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from kiosk.fleet import heartbeat
from kiosk.fleet.dashboard.web import dashboard_blueprint
from kiosk.fleet.ingest import (
    FILE_ID,
    BatchRefused,
    check_batch,
    flushed,
    ingest,
    ingest_unflushed,
)
from kiosk.fleet.kiosks import Kiosk, authenticate
from kiosk.fleet.settings import FleetSettings
from kiosk.proxies import TrustedProxyFix, waitress_options

log = logging.getLogger(__name__)

APPLICATION_NAME = "smartizen-fleet"
DURABLE_LSN = "durable-lsn"  # the sync body's "ack" for a durable-position acknowledgement
POOL_KEY = "fleet_pool"


class _Refused(Exception):
    def __init__(self, status: int, reason: str, *, bad_rows: bool = False) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.bad_rows = bad_rows


def make_pool(settings: FleetSettings) -> ConnectionPool:
    """One pool for the service: a connection per worker thread, opened at start, so no
    push waits for a new backend. A connection broken by a database restart fails its
    request (503: the booth retries) and is replaced, without a check on every request."""
    return ConnectionPool(
        settings.dsn,
        min_size=settings.threads,
        max_size=settings.threads,
        # Autocommit: the token lookup is one round trip; writes open their own transaction.
        kwargs={"application_name": APPLICATION_NAME, "autocommit": True},
        timeout=5.0,  # then 503: the booth retries later, its sync thread never blocks long
        open=True,
        name=APPLICATION_NAME,
    )


def _queued_ms(environ: dict[str, Any]) -> float | None:
    """Milliseconds since waitress last read from this request's connection (its body has
    arrived) until the handler started: the wait for a free worker thread. None when not
    served by waitress (tests' client)."""
    channel = getattr(environ.get("waitress.client_disconnected"), "__self__", None)
    received = getattr(channel, "last_activity", None)
    return None if received is None else max(0.0, (time.time() - received) * 1000)


def create_app(
    settings: FleetSettings,
    pool: ConnectionPool | None = None,
    *,
    dashboard_options: dict[str, Any] | None = None,
) -> Flask:
    """The Flask app: the booths' ``/fleet/v1/*`` and the organisers' ``/dashboard``. It
    opens its own pool from ``settings.dsn`` unless given one; the pool is
    ``app.extensions["fleet_pool"]``. ``dashboard_options`` go to
    :func:`dashboard_blueprint` (tests: how fresh its shared numbers must be)."""
    settings.validate()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_mb * 1024 * 1024
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if settings.trusted_proxies:
        app.wsgi_app = TrustedProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, settings.trusted_proxies, settings.proxy_hops
        )
    pool = pool or make_pool(settings)
    app.extensions[POOL_KEY] = pool
    today = heartbeat.TodayCount(settings.played_today_cache_s)
    app.register_blueprint(
        dashboard_blueprint(
            pool,
            utc_offset_hours=settings.utc_offset_hours,
            cookie_secure=settings.cookie_secure,
            **(dashboard_options or {}),
        )
    )

    def body() -> Any:
        try:
            return json.loads(request.get_data(cache=False))
        except RequestEntityTooLarge:
            raise
        except (ValueError, UnicodeDecodeError) as exc:
            raise _Refused(400, f"the body is not JSON: {exc}") from None

    def booth(conn: psycopg.Connection[Any]) -> Kiosk:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _Refused(401, "missing Authorization: Bearer <kiosk token>")
        kiosk = authenticate(conn, token.strip())
        if kiosk is None:
            raise _Refused(401, "unknown kiosk token")
        if kiosk.revoked:
            raise _Refused(403, f"kiosk {kiosk.kiosk_id} is revoked")
        g.kiosk_id = kiosk.kiosk_id
        return kiosk

    def claimed_id(kiosk: Kiosk, data: Any) -> None:
        if not isinstance(data, dict):
            raise _Refused(400, "the body must be a JSON object")
        if data.get("kiosk_id") != kiosk.kiosk_id:
            raise _Refused(
                403, f"this token belongs to kiosk {kiosk.kiosk_id}, not {data.get('kiosk_id')!r}"
            )

    @app.post("/fleet/v1/sync")
    def sync() -> Response:
        start = time.perf_counter()
        queued = _queued_ms(request.environ)
        with pool.connection() as conn:
            got = time.perf_counter()
            kiosk = booth(conn)
            authed = time.perf_counter()
            data = body()
            claimed_id(kiosk, data)
            through = data.get("through")
            if type(through) is not int or not 0 <= through < 2**63:
                raise _Refused(400, f'"through" must be a whole number ≥ 0, got {through!r}')
            file_id = data.get("file_id", "")  # absent: a booth from before file ids
            if not isinstance(file_id, str) or not FILE_ID.match(file_id):
                raise _Refused(400, f'"file_id" must be 0–64 letters or digits, got {file_id!r}')
            ack = data.get("ack")
            if ack not in (None, DURABLE_LSN):
                raise _Refused(400, f'"ack" must be "{DURABLE_LSN}" or absent, got {ack!r}')
            parsed = time.perf_counter()
            try:
                rows = check_batch(kiosk.kiosk_id, data.get("rows", {}))
                storing = time.perf_counter()
                if ack is None:  # a booth from before: acked = committed AND flushed
                    applied = ingest(conn, kiosk.kiosk_id, rows, through, file_id)
                    reply: dict[str, Any] = {"acked": through}
                elif not rows:  # only asking how far the log is flushed
                    where = flushed(conn)
                    applied, reply = {}, {"flushed": where.flushed, "epoch": where.epoch}
                else:
                    applied, where = ingest_unflushed(conn, kiosk.kiosk_id, rows, through, file_id)
                    reply = {
                        "received": through,
                        "lsn": where.lsn,
                        "flushed": where.flushed,
                        "epoch": where.epoch,
                    }
            except BatchRefused as exc:
                raise _Refused(exc.status, str(exc), bad_rows=exc.bad_rows) from None
        done = time.perf_counter()
        log.debug("sync %s through %d: %s", kiosk.kiosk_id, through, applied)
        answer = jsonify(reply)
        # Where a slow push spent its time (benchmarks/fleet.py reports each stage): waiting
        # for a worker thread, for a connection, the token lookup, reading the JSON, checking
        # it, the upsert and COMMIT (pipelined), and the whole handler.
        stages = {
            "queue": queued,
            "pool": got - start,
            "auth": authed - got,
            "parse": parsed - authed,
            "check": storing - parsed,
            "store": done - storing,
            "total": done - start,
        }
        answer.headers["Server-Timing"] = ", ".join(
            f"{name};dur={ms if name == 'queue' else ms * 1000:.2f}"
            for name, ms in stages.items()
            if ms is not None
        )
        return answer

    @app.post("/fleet/v1/heartbeat")
    def beat() -> Response:
        with pool.connection() as conn:
            kiosk = booth(conn)
            data = body()
            claimed_id(kiosk, data)
            try:
                status = heartbeat.parse_status(data)
            except BatchRefused as exc:
                raise _Refused(400, str(exc)) from None
            answer = heartbeat.record(conn, status, settings.utc_offset_hours, today)
        return jsonify(answer)

    @app.get("/fleet/v1/health")
    def health() -> Response:
        with pool.connection() as conn:
            conn.execute("SELECT 1")
        return jsonify(ok=True)

    @app.errorhandler(_Refused)
    def refused(exc: _Refused) -> tuple[Response, int]:
        # Every refusal is logged: a booth refused again and again (it backs off to one try a
        # minute) shows up at the centre, not only in the booth's own log.
        who = g.get("kiosk_id", "?")
        log.warning("fleet %s %s: %d %s", request.path, who, exc.status, exc.reason)
        if exc.bad_rows:  # the booth narrows the batch down to the row and sets it aside
            return jsonify(error=exc.reason, bad_rows=True), exc.status
        return jsonify(error=exc.reason), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int]:
        code = exc.code or 500
        if code == 413:
            reason = f"the body is larger than {settings.max_body_mb} MB: send smaller batches"
        else:
            reason = exc.description or exc.name
        return jsonify(error=reason), code

    @app.errorhandler(PoolTimeout)
    @app.errorhandler(psycopg.OperationalError)
    def unavailable(exc: Exception) -> tuple[Response, int]:
        log.error("fleet %s: central store unavailable: %s", request.path, exc)
        return jsonify(error="central store unavailable, try again later"), 503

    @app.errorhandler(Exception)
    def failed(exc: Exception) -> tuple[Response, int]:
        log.exception("fleet %s: unexpected error", request.path)
        return jsonify(error="internal error (logged at the centre)"), 500

    return app


def serve(settings: FleetSettings, host: str | None = None, port: int | None = None) -> None:
    """Run the service on waitress until Ctrl-C or SIGTERM (systemd's stop); the pool is
    closed on the way out."""
    from waitress import serve as waitress_serve

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)
    app = create_app(settings)
    proxy_options = {"clear_untrusted_proxy_headers": True}
    proxy_options.update(waitress_options(settings.trusted_proxies))
    try:
        waitress_serve(
            app,
            host=host or settings.host,
            port=port or settings.port,
            threads=settings.threads,
            ident="smartizen-fleet",
            # Above Flask's limit, so a too-large push gets Flask's JSON 413.
            max_request_body_size=(settings.max_body_mb + 1) * 1024 * 1024,
            **proxy_options,
        )
    except KeyboardInterrupt:
        log.info("fleet service stopped")
    finally:
        app.extensions[POOL_KEY].close()
