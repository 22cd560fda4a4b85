"""`smartizen funnel`: how far visitors got, and the prizes by tier (earned, given, downgraded,
sold out), from a kiosk's log or a merged fleet file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kiosk.cli.tally import (
    _open,
    _percent,
    _period,
    _plain_errors,
    _table,
    db_option,
    format_option,
    period_options,
    zone_options,
)
from kiosk.organiser import funnel as visits
from kiosk.organiser.tally import Zone

STAGE_LABELS = {
    "touched": "touched the screen",
    "language": "chose a language",
    "game": "chose a game",
    "started": "started playing",
    "completed": "completed the game",
    "qr": "saw a prize QR",
}


@click.command(short_help="Visitor funnel (touched → played → QR) and prizes by tier.")
@db_option
@period_options
@zone_options
@format_option(("table", "json"), "table")
def funnel(
    db: Path, day: str | None, since: str | None, until: str | None, zone: Zone, utc: bool, fmt: str
) -> None:
    """How far visitors got, from the attract touch to the prize QR, and the prizes by
    tier: earned, given, given instead of a better tier (its stock was gone), earned
    when nothing was left, and when each tier sold out.

    \b
    Examples:
      smartizen funnel --db scores.db --date today
      smartizen funnel --db fleet.db --format json
    """
    period = _period(zone, day, since, until)
    conn = _open(db)
    with _plain_errors(db):
        try:
            stages = visits.funnel(conn, period)
            tiers = visits.tiers(conn, period)
        except visits.NoVisits as exc:
            raise click.ClickException(f"{db}: {exc}") from None
        finally:
            conn.close()
    if fmt == "json":
        payload = {
            "db": str(db),
            "period": period.label,
            "timezone": zone.label,
            "funnel": [s.as_dict() for s in stages],
            "tiers": [t.as_dict() for t in tiers],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    title = f"{db} · {period.label} · days in {zone.describe()}"
    if not stages[0].visits:
        click.echo(f"{title}\n\nNo visits.")
        return
    rows = [[STAGE_LABELS[s.stage], s.visits, _percent(s.of_touched)] for s in stages]
    click.echo(_table(["visitors who …", "visits", "of all"], rows, title))
    if tiers:
        headers = ["tier", "earned", "given", "given instead", "none left", "sold out (UTC)"]
        lines = [
            [t.tier, t.earned, t.given, t.downgraded, t.sold_out_earners, t.sold_out_at]
            for t in tiers
        ]
        click.echo("\n" + _table(headers, lines, "Prizes by tier"))


def register(group: click.Group) -> None:
    group.add_command(funnel)
