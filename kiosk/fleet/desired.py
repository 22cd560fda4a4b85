"""What organisers want a booth to do: pause, games on/off, volume, stock adjustments.

The heartbeat answer carries the booth's current document with its ``revision``; the booth
applies a new revision between visitors and reports ``applied_revision``. Every change goes
through :func:`set_desired`, which checks the document and bumps the revision in the same
transaction, so two organisers saving at once get two revisions, never a lost one.
"""

from __future__ import annotations

import uuid
from dataclasses import field
from datetime import date
from typing import Annotated, Any

import psycopg
from psycopg.types.json import Jsonb
from pydantic import ConfigDict, Field, TypeAdapter
from pydantic.dataclasses import dataclass

from kiosk import typedtoml


class DesiredError(ValueError):
    """The settings document is not one a booth can apply; the message says which key."""


_STRICT = ConfigDict(extra="forbid")


@dataclass(config=_STRICT)
class StockEntry:
    id: Annotated[str, Field(min_length=1, max_length=64, description="a unique id")]
    tier: Annotated[str, Field(min_length=1, max_length=32, description="a prize tier id")]
    delta: Annotated[int, Field(ge=-10_000, le=10_000, description="-10000 to 10000")]
    day: date


@dataclass(config=_STRICT)
class Desired:
    paused: bool = False
    games: dict[str, bool] = field(default_factory=dict)
    volume: Annotated[float | None, Field(ge=0.0, le=1.0, description="0.0 to 1.0")] = None
    stock: list[StockEntry] = field(default_factory=list)


_DUMP = TypeAdapter(Desired)


def check(settings: dict[str, Any]) -> dict[str, Any]:
    """``settings`` checked and normalised (JSON-ready); :class:`DesiredError` if wrong."""
    if not isinstance(settings, dict):
        raise DesiredError("desired settings must be a table of keys")
    model = typedtoml.build(Desired, settings, "desired settings", DesiredError)
    return _DUMP.dump_python(model, mode="json", exclude_none=True)


DESIRED_SQL = "SELECT revision, settings FROM desired_settings WHERE kiosk_id = %s"


def desired_answer(row: tuple[Any, ...]) -> dict[str, Any]:
    """A ``(revision, settings)`` row as the heartbeat answer's ``desired``."""
    return {"revision": row[0], **row[1]}


def get_desired(conn: psycopg.Connection[Any], kiosk_id: str) -> dict[str, Any] | None:
    """``{"revision": n, **settings}`` for the booth, or None if nothing was ever set."""
    row = conn.execute(DESIRED_SQL, (kiosk_id,)).fetchone()
    return None if row is None else desired_answer(row)


def set_desired(
    conn: psycopg.Connection[Any], kiosk_id: str, settings: dict[str, Any], by: str
) -> int:
    """Replace the booth's desired settings with ``settings`` (checked) and return the new
    revision (1 the first time). ``by`` names the organiser, for the record.

    :raises DesiredError: the document is wrong, or the booth is not registered
    """
    document = check(settings)
    with conn.transaction():
        try:
            row = conn.execute(
                "INSERT INTO desired_settings (kiosk_id, revision, settings, updated_by)"
                " VALUES (%s, 1, %s, %s)"
                " ON CONFLICT (kiosk_id) DO UPDATE SET"
                " revision = desired_settings.revision + 1, settings = EXCLUDED.settings,"
                " updated_at = now(), updated_by = EXCLUDED.updated_by"
                " RETURNING revision",
                (kiosk_id, Jsonb(document), by),
            ).fetchone()
        except psycopg.errors.ForeignKeyViolation:
            raise DesiredError(f"no kiosk {kiosk_id!r} is registered") from None
    assert row is not None
    return int(row[0])


def change_desired(
    conn: psycopg.Connection[Any],
    kiosk_id: str,
    by: str,
    *,
    paused: bool | None = None,
    games: dict[str, bool] | None = None,
    volume: float | None = None,
    add_stock: list[tuple[str, int, date]] | None = None,
) -> int:
    """Change some settings and keep the rest: ``games`` entries are merged, each
    ``add_stock`` (tier, delta, day) becomes a new entry with its own id (the booth applies
    each id once). Returns the new revision."""
    with conn.transaction():
        # Serialise read-change-write per booth, also when there is no row yet to lock.
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext('smartizen.desired'), hashtext(%s))",
            (kiosk_id,),
        )
        row = conn.execute(
            "SELECT settings FROM desired_settings WHERE kiosk_id = %s", (kiosk_id,)
        ).fetchone()
        current: dict[str, Any] = dict(row[0]) if row else {}
        if paused is not None:
            current["paused"] = paused
        if games:
            current["games"] = {**current.get("games", {}), **games}
        if volume is not None:
            current["volume"] = volume
        for tier, delta, day in add_stock or ():
            entry = {"id": str(uuid.uuid4()), "tier": tier, "delta": delta, "day": day.isoformat()}
            current["stock"] = [*current.get("stock", []), entry]
        return set_desired(conn, kiosk_id, current, by)
