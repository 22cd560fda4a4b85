"""`smartizen stats | export | merge | report | reset`: the organisers' after-hours tools.

Tables for people by default (``stats``, ``merge``, ``reset``) or CSV for spreadsheets
(``export``); ``--format json`` wherever a program reads the output. Days and hours are Hong
Kong time unless ``--utc`` or ``--tz`` says otherwise, and every output names its zone.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import click

from kiosk.cli.database import database_options
from kiosk.organiser import tally
from kiosk.organiser.merge import CONFLICT_RULE, MergeConflict, MergeRefused, merge
from kiosk.organiser.tally import DIMENSIONS, Period, Zone
from kiosk.playlog.access import DatabaseBusy, NotAKioskDatabase, open_read
from kiosk.playlog.maintenance import LIVE_PLAY_S, EndedPlay, end_in_progress
from kiosk.playlog.schema import utc_iso

OUTCOME_CHOICES = ("completed", "abandoned", "error", "in_progress")
DASH = "—"

# -- shared options --------------------------------------------------------------------------


db_option = database_options(
    "A kiosk's play log, or a fleet file made by merge", envvar="SMARTIZEN_DB"
)


def _zone_callback(ctx: click.Context, param: click.Parameter, value: str) -> Zone:
    if ctx.params.get("utc"):
        if ctx.get_parameter_source("zone") == click.core.ParameterSource.COMMANDLINE:
            raise click.BadParameter("give --utc or --tz, not both")
        return tally.UTC_ZONE
    try:
        return tally.parse_zone(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def zone_options(fn: Callable) -> Callable:
    fn = click.option(
        "--tz",
        "zone",
        metavar="ZONE",
        default="HKT",
        show_default=True,
        envvar="SMARTIZEN_TZ",
        callback=_zone_callback,
        help="Time zone for days and hours: HKT, UTC, an offset like +08:00, or a name "
        "like Asia/Hong_Kong [env: SMARTIZEN_TZ].",
    )(fn)
    return click.option(
        "--utc", is_flag=True, is_eager=True, help="Days and hours in UTC (same as --tz UTC)."
    )(fn)


def period_options(fn: Callable) -> Callable:
    fn = click.option(
        "--until",
        metavar="DATE|TIME",
        help="Only plays started before this (a date includes the whole day).",
    )(fn)
    fn = click.option("--since", metavar="DATE|TIME", help="Only plays started at or after this.")(
        fn
    )
    return click.option(
        "--date",
        "day",
        metavar="DATE",
        help="Only plays started on this day: YYYY-MM-DD, today or yesterday.",
    )(fn)


def _period(zone: Zone, day: str | None, since: str | None, until: str | None) -> Period:
    try:
        return tally.make_period(zone, day, since, until)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _open(db: Path) -> sqlite3.Connection:
    try:
        return open_read(db)
    except NotAKioskDatabase as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def _plain_errors(path: Path) -> Iterator[None]:
    """Known failures become one ``Error:`` line and exit status 1, never a traceback."""
    try:
        yield
    except (NotAKioskDatabase, DatabaseBusy, MergeConflict) as exc:
        raise click.ClickException(str(exc)) from None
    except sqlite3.Error as exc:  # a damaged file, a full disk, a lock held for too long
        raise click.ClickException(f"{path}: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"{exc.filename or path}: {exc.strerror or exc}") from None


def format_option(choices: tuple[str, ...], default: str) -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def output_option(fn: Callable) -> Callable:
    return click.option(
        "-o",
        "--output",
        type=click.File("w", encoding="utf-8", lazy=True),
        default="-",
        help="Write to this file instead of standard output.",
    )(fn)


_NUMBER = re.compile(r"^-?[\d.,]+%?$")


def _table(headers: list[str], rows: Iterable[Iterable[Any]], title: str | None = None) -> str:
    """A plain text table, numbers right-aligned; ``None`` shows as a dash."""
    cells = [["" if v is None else v for v in row] for row in rows]

    def numeric(i: int) -> bool:
        values = [row[i] for row in cells if row[i] not in ("", DASH)]
        return bool(values) and all(
            isinstance(v, int | float) or _NUMBER.match(str(v)) for v in values
        )

    from tabulate import tabulate  # the organiser extra: a claim server's smartizen lacks it

    align = [("right" if numeric(i) else "left") for i in range(len(headers))]
    body = tabulate(
        [[DASH if v == "" else v for v in row] for row in cells],
        headers=headers,
        tablefmt="simple",
        disable_numparse=True,
        colalign=align,
    )
    return f"{title}\n\n{body}" if title else body


def _percent(rate: float | None) -> str | None:
    return None if rate is None else f"{rate * 100:.1f}%"


def _one_decimal(value: float | None) -> str | None:
    return None if value is None else f"{value:.1f}"


# -- stats -----------------------------------------------------------------------------------


@click.command(short_help="Plays, completion rate, mean score and prizes per game.")
@db_option
@period_options
@zone_options
@format_option(("table", "csv", "json"), "table")
def stats(
    db: Path, day: str | None, since: str | None, until: str | None, zone: Zone, utc: bool, fmt: str
) -> None:
    """Plays, completion rate, mean score and prizes per game.

    Completion rate is completed plays out of those that ended (plays still in progress
    count neither way); the mean score is over completed plays.

    \b
    Examples:
      smartizen stats --db scores.db
      smartizen stats --db fleet.db --date 2026-07-18
      smartizen stats --db fleet.db --date today --format json
    """
    period = _period(zone, day, since, until)
    conn = _open(db)
    with _plain_errors(db):
        try:
            result = tally.stats(conn, period)
        finally:
            conn.close()
    rows = [g.as_dict() for g in result.games]
    total = result.total.as_dict()
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "db": str(db),
                    "period": period.label,
                    "timezone": zone.label,
                    "utc_offset": zone.offset_text,
                    "games": rows,
                    "total": total,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(total), lineterminator="\n")
        writer.writeheader()
        writer.writerows([*rows, {**total, "game": "all games"}])
        return
    headers = ["game", "plays", "completed", "abandoned", "error", "in progress"]
    headers += ["completion", "mean score", "prizes"]
    table = [
        [
            row["game"] or "all games",
            row["plays"],
            row["completed"],
            row["abandoned"],
            row["error"],
            row["in_progress"],
            _percent(row["completion_rate"]),
            _one_decimal(row["mean_score"]),
            row["prizes"],
        ]
        for row in [*rows, total]
    ]
    if len(table) == 1:  # only the all-games row: nothing to show
        table = []
    title = f"{db} · {period.label} · days in {zone.describe()}"
    click.echo(_table(headers, table, title) if table else f"{title}\n\nNo plays.")


# -- export ----------------------------------------------------------------------------------


def _dimensions_callback(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    try:
        return tally.parse_dimensions(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(short_help="Participation counts, or every play, as CSV or JSON.")
@db_option
@click.option(
    "--by",
    "dims",
    default="game",
    show_default=True,
    metavar="DIMS",
    callback=_dimensions_callback,
    help=f"Comma-separated dimensions to count plays by: {', '.join(DIMENSIONS)}.",
)
@click.option("--raw", is_flag=True, help="Every play row instead of counts (ignores --by).")
@click.option(
    "--with-codes",
    is_flag=True,
    help="With --raw: include prize_code, the claim codes (whoever holds one can collect "
    "the prize; keep the file safe).",
)
@click.option(
    "--outcome",
    "outcomes",
    multiple=True,
    type=click.Choice(OUTCOME_CHOICES),
    help="Only plays with this outcome (repeat for several).",
)
@period_options
@zone_options
@format_option(("csv", "json", "table"), "csv")
@output_option
@click.option("--sql", "show_sql", is_flag=True, help="Print the SQL query instead of running it.")
def export(
    db: Path,
    dims: list[str],
    raw: bool,
    with_codes: bool,
    outcomes: tuple[str, ...],
    day: str | None,
    since: str | None,
    until: str | None,
    zone: Zone,
    utc: bool,
    fmt: str,
    output: TextIO,
    show_sql: bool,
) -> None:
    """Participation counts for the organisers' reports, or every play with --raw.

    Counts plays (started, whatever their outcome) per combination of the --by
    dimensions: game, day, hour (of the day, 0-23), kiosk, language, tier (prize tier;
    empty for no prize). Days and hours are in Hong Kong time unless --utc or --tz says
    otherwise, and their column names say so: day_hkt, hour_hkt. "day,hour" gives a
    timeline; "hour" alone adds up all days.

    --raw writes every play as stored (times in UTC) plus its start time in the chosen
    zone (started_hkt), without the prize claim codes unless --with-codes asks for them.

    \b
    Examples:
      smartizen export --by game,hour --db fleet.db > plays-per-hour.csv
      smartizen export --by day,kiosk --since 2026-07-18 --until 2026-07-19
      smartizen export --by game,tier --outcome completed --format json
      smartizen export --raw --date 2026-07-18 -o plays-0718.csv
    """
    period = _period(zone, day, since, until)
    if with_codes and not raw:
        raise click.UsageError("--with-codes goes with --raw")
    if show_sql:
        click.echo(_sql_text(dims, raw, zone, period, outcomes, with_codes))
        return
    conn = _open(db)
    with _plain_errors(db):
        _export(conn, db, dims, raw, outcomes, period, zone, fmt, output, with_codes)


def _export(
    conn: sqlite3.Connection,
    db: Path,
    dims: list[str],
    raw: bool,
    outcomes: tuple[str, ...],
    period: Period,
    zone: Zone,
    fmt: str,
    output: TextIO,
    with_codes: bool = False,
) -> None:
    try:
        if raw:
            columns, rows = tally.raw_query(conn, zone, period, outcomes, with_codes)
            title = (
                f"{db} · every play · {period.label} · started_{zone.suffix} in {zone.describe()}"
            )
            _write_rows(output, fmt, columns, rows, title, decode=("details",))
        else:
            columns, rows = tally.counts(conn, dims, zone, period, outcomes)
            title = f"{db} · plays by {', '.join(dims)} · {period.label} · {zone.describe()}"
            _write_rows(output, fmt, columns, rows, title)
    finally:
        conn.close()


def _sql_text(
    dims: list[str],
    raw: bool,
    zone: Zone,
    period: Period,
    outcomes: tuple[str, ...],
    with_codes: bool = False,
) -> str:
    if raw:
        sql, params = tally.raw_sql(zone, period, outcomes, with_codes)
    else:
        sql, params, _ = tally.counts_query(dims, zone, period, outcomes)
    for value in params:
        sql = sql.replace("?", "'" + str(value).replace("'", "''") + "'", 1)
    return sql


def _write_rows(
    out: TextIO,
    fmt: str,
    columns: list[str],
    rows: Iterable[tuple],
    title: str,
    decode: tuple[str, ...] = (),
) -> None:
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        # Streamed, one object a line, so a million raw plays never sit in memory at once.
        decode_at = [i for i, c in enumerate(columns) if c in decode]
        separator = "[\n  "
        for row in rows:
            item = dict(zip(columns, row, strict=True))
            for i in decode_at:
                if row[i] is not None:
                    item[columns[i]] = json.loads(row[i])
            out.write(separator + json.dumps(item, ensure_ascii=False))
            separator = ",\n  "
        out.write("[]\n" if separator.startswith("[") else "\n]\n")
    else:
        out.write(_table(columns, rows, title) + "\n")


# -- merge -----------------------------------------------------------------------------------


@click.command(name="merge", short_help="Combine kiosks' databases into one fleet database.")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--into",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The fleet database to create or add to.",
)
@format_option(("table", "json"), "table")
def merge_command(inputs: tuple[Path, ...], into: Path, fmt: str) -> None:
    """Combine kiosks' databases into one fleet database.

    Inputs are opened read-only and never changed. Plays keep their kiosk's id and are
    counted once however often a file is merged: a play found again is updated only if
    the new copy is more finished (completed > error > abandoned > in progress, then a
    prize issued, then the later end). Staff logs (audit, stock adjustments) are
    carried over once each row. A file that is not a kiosk database stops the merge
    before anything is written.

    \b
    Examples:
      smartizen merge K01.db K02.db K03.db --into fleet.db
      smartizen merge usb/*/scores.db --into fleet.db
    """
    try:
        with _plain_errors(into):
            result = merge(inputs, into)
    except MergeRefused as exc:
        lines = "\n".join(f"  {p}" for p in exc.problems)
        raise click.ClickException(f"nothing merged; fix or leave out:\n{lines}") from None
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "into": str(result.into),
                    "plays": result.plays,
                    "kiosks": result.kiosks,
                    "conflict_rule": list(CONFLICT_RULE),
                    "sources": [
                        {
                            "path": str(s.path),
                            "kiosks": s.kiosks,
                            "plays": _counts(s.plays),
                            **{t: _counts(c) for t, c in s.logs.items()},
                            "skipped_columns": s.skipped_columns,
                            "skipped_tables": s.skipped_tables,
                        }
                        for s in result.sources
                    ],
                },
                indent=2,
            )
        )
        return
    headers = ["input", "kiosk", "plays", "new", "updated", "unchanged", "staff log rows new"]
    rows = [
        [
            str(s.path),
            ", ".join(s.kiosks) or DASH,
            s.plays.read,
            s.plays.added,
            s.plays.updated,
            s.plays.unchanged,
            sum(c.added for c in s.logs.values()),
        ]
        for s in result.sources
    ]
    click.echo(_table(headers, rows))
    for s in result.sources:
        if s.skipped_columns:
            click.echo(
                f"{s.path}: columns unknown to this version, not merged: "
                + ", ".join(s.skipped_columns),
                err=True,
            )
        if s.skipped_tables:
            click.echo(f"{s.path}: tables not merged: " + ", ".join(s.skipped_tables), err=True)
    click.echo(f"\n{result.into} holds {result.plays:,} plays from {result.kiosks} kiosks.")


def _counts(c) -> dict[str, int]:
    return {"read": c.read, "new": c.added, "updated": c.updated, "unchanged": c.unchanged}


# -- report ----------------------------------------------------------------------------------


@click.command(short_help="Write the organisers' HTML report with charts.")
@db_option
@click.option(
    "--out",
    default="report.html",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write (one self-contained page).",
)
@period_options
@zone_options
def report(
    db: Path,
    out: Path,
    day: str | None,
    since: str | None,
    until: str | None,
    zone: Zone,
    utc: bool,
) -> None:
    """One self-contained HTML page for the organisers: charts and the totals table.

    Plays per hour per game, completion rate, score distribution, prizes by tier and the
    kiosks compared, drawn as inline SVG in the page, so it can be mailed or
    opened offline.

    \b
    Examples:
      smartizen report --db fleet.db --out report.html
      smartizen report --db fleet.db --date 2026-07-18 --out day1.html
    """
    from kiosk.organiser.report import build_report

    period = _period(zone, day, since, until)
    conn = _open(db)
    with _plain_errors(db):
        try:
            page = build_report(conn, zone, period, source=db.name)
        finally:
            conn.close()
    with _plain_errors(out):
        out.write_text(page.html, encoding="utf-8")
    click.echo(
        f"Wrote {out} ({len(page.html) // 1024:,} KB): {page.plays:,} plays, "
        f"{page.charts} charts, hours in {zone.describe()}."
    )


# -- reset -----------------------------------------------------------------------------------


@click.command(short_help="End plays left in progress, as abandoned.")
@db_option
@click.option("--kiosk", "kiosk_id", metavar="ID", help="Only this kiosk's plays (e.g. K07).")
@click.option(
    "--older-than",
    "older_than",
    type=click.FloatRange(min=0),
    metavar="MINUTES",
    help=f"Only plays started at least this many minutes ago "
    f"[default: {LIVE_PLAY_S / 60:g}, the longest a round can last, with a margin].",
)
@click.option(
    "--all",
    "end_all",
    is_flag=True,
    help="End every play in progress, even one a visitor may be playing right now.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be ended; change nothing.")
@zone_options
@format_option(("table", "json"), "table")
def reset(
    db: Path,
    kiosk_id: str | None,
    older_than: float | None,
    end_all: bool,
    dry_run: bool,
    zone: Zone,
    utc: bool,
    fmt: str,
) -> None:
    """End plays left in progress, for staff without the touchscreen.

    Plays still marked in_progress that started more than 10 minutes ago (the longest a
    round can last, with a margin) become abandoned, with ended_at now, in one BEGIN
    IMMEDIATE transaction: safe while a kiosk has the file open (it waits for the kiosk's
    write, never interleaves). A younger play is left alone: a visitor may be playing it,
    and ending it would cost them their prize; --all ends those too. The kiosk's own
    record of a play it finishes later is ignored, so each play is counted once.
    Recorded in the audit table.

    \b
    Examples:
      smartizen reset --db scores.db --dry-run
      smartizen reset --db scores.db --older-than 60
      smartizen reset --db scores.db --all
    """
    if end_all and older_than is not None:
        raise click.UsageError("--all and --older-than contradict each other; give one.")
    now = datetime.now(zone.tzinfo)
    if end_all:
        before = None
    else:
        minutes = LIVE_PLAY_S / 60 if older_than is None else older_than
        before = now - timedelta(minutes=minutes)
    with _plain_errors(db):
        ended = end_in_progress(db, now, kiosk_id, before, dry_run)
        spared = end_in_progress(db, now, kiosk_id, None, dry_run=True) if before else []
    if dry_run and before:
        spared = [p for p in spared if p.id not in {e.id for e in ended}]
    verb = "would end" if dry_run else "ended"
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "db": str(db),
                    "dry_run": dry_run,
                    "ended_at": utc_iso(now),
                    "started_before": utc_iso(before) if before else None,
                    "plays": [vars(p) for p in ended],
                    "spared": [vars(p) for p in spared],
                },
                indent=2,
            )
        )
        return
    note = _spared_note(spared, before, zone)
    if not ended:
        matching = " matching" if kiosk_id or before else ""
        click.echo(f"{db}: no plays in progress{matching}.{note}")
        return
    rows = [[p.id, p.kiosk_id, p.game, _local(p.started_at, zone)] for p in ended]
    click.echo(_table(["play", "kiosk", "game", f"started ({zone.label})"], rows))
    click.echo(
        f"\n{db}: {verb} {len(ended)} play(s) in progress as abandoned "
        f"at {now.strftime('%Y-%m-%d %H:%M:%S')} {zone.label}.{note}"
    )


def _spared_note(spared: list[EndedPlay], before: datetime | None, zone: Zone) -> str:
    if not spared or before is None:
        return ""
    return (
        f"\n{len(spared)} play(s) started after {before.strftime('%H:%M:%S')} {zone.label} "
        "left in progress: a visitor may still be playing. --all ends them too."
    )


def _local(stored: str, zone: Zone) -> str:
    return datetime.fromisoformat(stored).astimezone(zone.tzinfo).strftime("%Y-%m-%d %H:%M:%S")


def register(group: click.Group) -> None:
    for command in (stats, export, merge_command, report, reset):
        group.add_command(command)
