"""`smartizen stats | export | merge | report | reset`: the organisers' tools.

Tables for people by default (``stats``, ``merge``, ``reset``) or CSV for spreadsheets
(``export``); ``--format json`` wherever a program reads the output. Days and hours are Hong
Kong time unless ``--utc`` or ``--tz`` says otherwise, and every output names its zone.
``stats``, ``export`` and ``report`` read a kiosk's file or, with ``--fleet``, the central
store (the same tallies: :mod:`kiosk.organiser.dialect`).
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
from kiosk.organiser import claimtally, tally, visits
from kiosk.organiser.dialect import POSTGRES, SQLITE
from kiosk.organiser.merge import CONFLICT_RULE, MergeConflict, MergeRefused, merge
from kiosk.organiser.source import FLEET_ENV, FleetSource, Source, SourceError
from kiosk.organiser.tally import DIMENSIONS, STATS_KEYS, Period, Zone
from kiosk.organiser.titles import title as game_title
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


def source_options(fn: Callable) -> Callable:
    """``--fleet`` (the central store instead of ``--db``) and ``--claims-db``."""
    fn = click.option(
        "--claims-db",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="A prize desk's claims.db, read beside --db to tell which prizes were "
        "collected (the central store knows it already).",
    )(fn)
    return fleet_option(fn)


def fleet_option(fn: Callable) -> Callable:
    """``--fleet``: the central store instead of ``--db``."""
    return click.option(
        "--fleet",
        metavar="DSN|TOML",
        is_flag=False,
        flag_value="fleet.toml",
        envvar=FLEET_ENV,
        help="Read the central store (PostgreSQL) instead of a file: a DSN or "
        'postgresql:// URL, or a fleet.toml holding dsn = "…" (--fleet alone: '
        f"./fleet.toml) [env: {FLEET_ENV}; an explicit --db wins over the env].",
    )(fn)


def _wants_fleet(fleet: str | None) -> bool:
    """``--fleet`` given, or its env var set and ``--db`` not typed."""
    ctx = click.get_current_context()
    typed_db = ctx.get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE
    from_env = ctx.get_parameter_source("fleet") == click.core.ParameterSource.ENVIRONMENT
    return bool(fleet) and not (from_env and typed_db)


def _open_source(db: Path, fleet: str | None, claims_db: Path | None) -> Source:
    """The central store when :func:`_wants_fleet`, else the kiosk file; one ``Error:``
    line when it cannot be opened."""
    if _wants_fleet(fleet):
        assert fleet is not None
        if claims_db is not None:
            raise click.UsageError("--claims-db goes with a kiosk file, not --fleet")
        from kiosk.organiser.source import fleet_dsn

        try:
            return FleetSource(fleet_dsn(fleet))
        except SourceError as exc:
            raise click.ClickException(str(exc)) from None
    source = Source(_open(db), str(db))
    if claims_db is not None:
        with _plain_errors(claims_db):
            try:
                source.attach_claims(claims_db)
            except BaseException:
                source.close()
                raise
    return source


@contextmanager
def _plain_errors(path: Path | str) -> Iterator[None]:
    """Known failures become one ``Error:`` line and exit status 1, never a traceback."""
    try:
        yield
    except (NotAKioskDatabase, DatabaseBusy, MergeConflict, SourceError) as exc:
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


def _stats_keys_callback(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    try:
        return tally.parse_stats_keys(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(short_help="Plays, completion rate, mean score and prizes per game.")
@db_option
@source_options
@click.option(
    "--by",
    "keys",
    default="game",
    show_default=True,
    metavar="KEYS",
    callback=_stats_keys_callback,
    help=f"Split by {', '.join(STATS_KEYS)}, or both: game,difficulty.",
)
@period_options
@zone_options
@format_option(("table", "csv", "json"), "table")
def stats(
    db: Path,
    fleet: str | None,
    claims_db: Path | None,
    keys: list[str],
    day: str | None,
    since: str | None,
    until: str | None,
    zone: Zone,
    utc: bool,
    fmt: str,
) -> None:
    """Plays, completion rate, mean score and prizes per game (or per difficulty), then
    the visitors' funnel and the prizes issued vs collected.

    Completion rate is completed plays out of those that ended (plays still in progress
    count neither way); the mean score is over completed plays. The funnel (touched →
    language → game → started → completed → QR shown) needs the visits the booths record;
    "collected" needs the central store (--fleet) or a desk's --claims-db.

    \b
    Examples:
      smartizen stats --db scores.db
      smartizen stats --db fleet.db --date 2026-07-18 --by difficulty
      smartizen stats --fleet postgresql://organiser@fleet.park.lan/smartizen --date today
      smartizen stats --fleet fleet.toml --format json
    """
    period = _period(zone, day, since, until)
    source = _open_source(db, fleet, claims_db)
    with _plain_errors(source.name):
        try:
            result = tally.stats(source, period, keys)
            funnel = visits.funnel(source, zone, period)[0] if visits.has_visits(source) else None
            prizes = claimtally.claims(source, zone, period, ["tier"])
        finally:
            source.close()
    rows = [{**g.as_dict(), "title": game_title(g.game)} for g in result.games]
    total = result.total.as_dict()
    everything = "all games" if keys[0] == "game" else "all plays"  # the total row's name
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "db": source.name,
                    "period": period.label,
                    "timezone": zone.label,
                    "utc_offset": zone.offset_text,
                    "by": keys,
                    "games": rows,
                    "total": total,
                    "funnel": funnel.as_dict() if funnel else None,
                    "claims": [
                        {"tier": c.key[0], "issued": c.issued, "collected": c.collected}
                        for c in prizes
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if fmt == "csv":
        fields = [*keys, *(k for k in total if k not in keys), "title"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows([*rows, {**total, keys[0]: everything, "title": None}])
        return
    headers = [*keys, "plays", "completed", "abandoned", "error", "in progress"]
    headers += ["completion", "mean score", "prizes"] + (["title"] if "game" in keys else [])
    table = [
        [
            *(row.get(k) or everything for k in keys[:1]),
            *(row.get(k) for k in keys[1:]),
            row["plays"],
            row["completed"],
            row["abandoned"],
            row["error"],
            row["in_progress"],
            _percent(row["completion_rate"]),
            _one_decimal(row["mean_score"]),
            row["prizes"],
            *([row.get("title")] if "game" in keys else []),
        ]
        for row in [*rows, total]
    ]
    if len(table) == 1:  # only the all-games row: nothing to show
        table = []
    title = f"{source.name} · {period.label} · days in {zone.describe()}"
    click.echo(_table(headers, table, title) if table else f"{title}\n\nNo plays.")
    if funnel is not None and funnel.counts[0]:
        click.echo("\n" + _funnel_table(funnel))
    if any(c.issued for c in prizes):
        click.echo("\n" + _claims_table(prizes))


def _funnel_table(funnel: visits.FunnelRow) -> str:
    rows, previous = [], None
    touched = funnel.counts[0]
    for stage, n in zip(visits.STAGES, funnel.counts, strict=True):
        rows.append(
            [
                visits.STAGE_LABELS[stage][0],
                n,
                _percent(n / touched if touched else None),
                _percent(n / previous if previous else None) if previous is not None else None,
            ]
        )
        previous = n
    return _table(["visitors' funnel", "visitors", "of touched", "of previous"], rows)


def _claims_table(prizes: list[claimtally.ClaimRow]) -> str:
    rows = [[c.key[0], c.issued, c.collected, _percent(c.rate)] for c in prizes]
    issued = sum(c.issued for c in prizes)
    known = all(c.collected is not None for c in prizes)
    collected = sum(c.collected or 0 for c in prizes) if known else None
    rows.append(["all tiers", issued, collected, _percent(collected / issued if known else None)])
    table = _table(["prize tier", "issued", "collected", "collected %"], rows)
    if not known:
        table += "\n(collected: unknown here; give --claims-db or read the central store)"
    return table


# -- export ----------------------------------------------------------------------------------


def _dimensions_callback(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    try:
        return tally.parse_dimensions(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(short_help="Participation counts, or every play, as CSV or JSON.")
@db_option
@source_options
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
    "--funnel",
    is_flag=True,
    help="Count visitors at each stage of the funnel instead of plays (--by "
    f"{', '.join(visits.FUNNEL_DIMENSIONS)}; periods by when the screen was touched).",
)
@click.option(
    "--claims",
    is_flag=True,
    help="Prizes issued and collected instead of plays (--by "
    f"{', '.join(claimtally.CLAIM_DIMENSIONS)}).",
)
@click.option(
    "--titles", is_flag=True, help="Add each game's title (English and Chinese) beside its id."
)
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
    fleet: str | None,
    claims_db: Path | None,
    dims: list[str],
    raw: bool,
    funnel: bool,
    claims: bool,
    titles: bool,
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
    empty for no prize), difficulty. Days and hours are in Hong Kong time unless --utc or
    --tz says otherwise, and their column names say so: day_hkt, hour_hkt. "day,hour"
    gives a timeline; "hour" alone adds up all days.

    --funnel counts visitors at each stage instead (touched, language, game, started,
    completed, qr); --claims counts prizes issued and collected.

    --raw writes every play as stored (times in UTC) plus its start time in the chosen
    zone (started_hkt), without the prize claim codes unless --with-codes asks for them.

    \b
    Examples:
      smartizen export --by game,hour --db fleet.db > plays-per-hour.csv
      smartizen export --by day,kiosk --since 2026-07-18 --until 2026-07-19
      smartizen export --by game,tier --outcome completed --format json
      smartizen export --raw --date 2026-07-18 -o plays-0718.csv
      smartizen export --fleet fleet.toml --by day,hour --date today
      smartizen export --fleet fleet.toml --funnel --by kiosk
      smartizen export --fleet fleet.toml --claims --by tier,day
    """
    period = _period(zone, day, since, until)
    if with_codes and not raw:
        raise click.UsageError("--with-codes goes with --raw")
    if sum((raw, funnel, claims)) > 1:
        raise click.UsageError("give one of --raw, --funnel and --claims")
    if (funnel or claims) and outcomes:
        raise click.UsageError("--outcome counts plays; it does not go with --funnel or --claims")
    if show_sql:  # no connection: the SQL depends only on which engine
        try:
            click.echo(
                _sql_text(
                    _wants_fleet(fleet),
                    dims,
                    raw,
                    funnel,
                    claims,
                    zone,
                    period,
                    outcomes,
                    with_codes,
                )
            )
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--by'") from None
        return
    source = _open_source(db, fleet, claims_db)
    with _plain_errors(source.name):
        try:
            _export(
                source,
                dims,
                raw,
                funnel,
                claims,
                titles,
                outcomes,
                period,
                zone,
                fmt,
                output,
                with_codes,
            )
        except ValueError as exc:  # a dimension the chosen count cannot be split by
            raise click.BadParameter(str(exc), param_hint="'--by'") from None
        finally:
            source.close()


def _export(
    source: Source,
    dims: list[str],
    raw: bool,
    funnel: bool,
    claims: bool,
    titles: bool,
    outcomes: tuple[str, ...],
    period: Period,
    zone: Zone,
    fmt: str,
    output: TextIO,
    with_codes: bool = False,
) -> None:
    name = source.name
    if raw:
        columns, rows = tally.raw_query(source, zone, period, outcomes, with_codes)
        title = f"{name} · every play · {period.label} · started_{zone.suffix} in {zone.describe()}"
        _write_rows(output, fmt, columns, rows, title, decode=("details",))
        return
    if funnel:
        if not visits.has_visits(source):
            raise SourceError(f"{name}: no visits recorded here (a booth older than the funnel)")
        keyed = visits.funnel(source, zone, period, dims)
        _, _, keys = visits.funnel_query(source.dialect, dims, zone, period)
        columns = [*keys, *visits.STAGES]
        rows: Iterable[tuple] = [(*r.key, *r.counts) for r in keyed]
        what = "visitors"
    elif claims:
        prizes = claimtally.claims(source, zone, period, dims)
        _, _, keys = claimtally.claims_query(source.dialect, None, dims, zone, period)
        columns = [*keys, "issued", "collected"]
        rows = [(*c.key, c.issued, c.collected) for c in prizes]
        what = "prizes"
    else:
        columns, rows = tally.counts(source, dims, zone, period, outcomes)
        what = "plays"
    if titles and "game" in columns:
        columns, rows = _with_titles(columns, rows)
    title = f"{name} · {what} by {', '.join(dims)} · {period.label} · {zone.describe()}"
    _write_rows(output, fmt, columns, rows, title)


def _with_titles(columns: list[str], rows: Iterable[tuple]) -> tuple[list[str], list[tuple]]:
    """``title_en`` and ``title_zh-HK`` beside the ``game`` column."""
    at = columns.index("game") + 1
    names = ["title_en", "title_zh-HK"]
    out = [
        (*row[:at], game_title(row[at - 1], "en"), game_title(row[at - 1], "zh-HK"), *row[at:])
        for row in rows
    ]
    return [*columns[:at], *names, *columns[at:]], out


def _sql_text(
    fleet: bool,
    dims: list[str],
    raw: bool,
    funnel: bool,
    claims: bool,
    zone: Zone,
    period: Period,
    outcomes: tuple[str, ...],
    with_codes: bool = False,
) -> str:
    d = POSTGRES if fleet else SQLITE
    if raw:
        sql, params = tally.raw_sql(zone, period, outcomes, with_codes, d)
    elif funnel:
        sql, params, _ = visits.funnel_query(d, dims, zone, period)
    elif claims:
        collected = FleetSource.COLLECTED_SQL if fleet else None
        sql, params, _ = claimtally.claims_query(d, collected, dims, zone, period)
    else:
        sql, params, _ = tally.counts_query(dims, zone, period, outcomes, d)
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
                            "visits": _counts(s.visits),
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
@source_options
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
    fleet: str | None,
    claims_db: Path | None,
    out: Path,
    day: str | None,
    since: str | None,
    until: str | None,
    zone: Zone,
    utc: bool,
) -> None:
    """One self-contained HTML page for the organisers: charts and the totals table.

    Plays per hour per game, completion rate, score distribution, prizes by tier and the
    kiosks compared, then plays by day × hour, by difficulty, the visitors' funnel and
    prizes issued vs collected (when the source records them), drawn as inline SVG in the
    page, so it can be mailed or opened offline.

    \b
    Examples:
      smartizen report --db fleet.db --out report.html
      smartizen report --db fleet.db --date 2026-07-18 --out day1.html
      smartizen report --fleet fleet.toml --date today --out today.html
    """
    from kiosk.organiser.report import build_report

    period = _period(zone, day, since, until)
    source = _open_source(db, fleet, claims_db)
    label = source.name if isinstance(source, FleetSource) else db.name
    with _plain_errors(source.name):
        try:
            page = build_report(source, zone, period, source=label)
        finally:
            source.close()
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
