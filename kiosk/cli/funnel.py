"""`smartizen funnel`: how far visitors got, and the prizes by tier (earned, given, downgraded,
sold out), from a kiosk's log, a merged fleet file or the central store (``--fleet``).

The funnel is :func:`kiosk.organiser.visits.funnel`, the one definition `stats`, `export
--funnel`, `report` and the dashboard count with."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kiosk.cli.tally import (
    _funnel_table,
    _open_source,
    _period,
    _plain_errors,
    _table,
    db_option,
    fleet_option,
    format_option,
    period_options,
    zone_options,
)
from kiosk.organiser import tiers as prize_tiers
from kiosk.organiser import visits
from kiosk.organiser.tally import Zone


@click.command(short_help="Visitor funnel (touched → played → QR) and prizes by tier.")
@db_option
@fleet_option
@period_options
@zone_options
@format_option(("table", "json"), "table")
def funnel(
    db: Path,
    fleet: str | None,
    day: str | None,
    since: str | None,
    until: str | None,
    zone: Zone,
    utc: bool,
    fmt: str,
) -> None:
    """How far visitors got, from the attract touch to the prize QR, and the prizes by
    tier: earned, given, given instead of a better tier (its stock was gone), earned
    when nothing was left, and when each tier sold out.

    A visit counts as completed when its round was completed (the QR shown or not); a
    round given up counts as started only. The dashboard's funnel counts the same way.

    \b
    Examples:
      smartizen funnel --db scores.db --date today
      smartizen funnel --db fleet.db --format json
      smartizen funnel --fleet fleet.toml --date today
    """
    period = _period(zone, day, since, until)
    source = _open_source(db, fleet, None)
    with _plain_errors(source.name):
        try:
            if not visits.has_visits(source):
                raise click.ClickException(
                    f"{source.name}: this log has no visits (written before the kiosk "
                    "recorded them)"
                )
            (whole,) = visits.funnel(source, zone, period)
            tiers = prize_tiers.tiers(source, period)
        finally:
            source.close()
    touched = whole.counts[0]
    if fmt == "json":
        payload = {
            "db": source.name,
            "period": period.label,
            "timezone": zone.label,
            "funnel": [
                {"stage": stage, "visits": n, "of_touched": (n / touched) if touched else None}
                for stage, n in whole.as_dict().items()
            ],
            "tiers": [t.as_dict() for t in tiers],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    title = f"{source.name} · {period.label} · days in {zone.describe()}"
    if not touched:
        click.echo(f"{title}\n\nNo visits.")
        return
    click.echo(f"{title}\n\n{_funnel_table(whole)}")
    if tiers:
        headers = ["tier", "earned", "given", "given instead", "none left", "sold out (UTC)"]
        lines = [
            [t.tier, t.earned, t.given, t.downgraded, t.sold_out_earners, t.sold_out_at]
            for t in tiers
        ]
        click.echo("\n" + _table(headers, lines, "Prizes by tier"))


def register(group: click.Group) -> None:
    group.add_command(funnel)
