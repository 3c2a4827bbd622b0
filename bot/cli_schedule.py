"""``panelbot schedule``: propose interview loops from a pool file and calendars.

``propose`` is scriptable (``--json``) and keeps the interface of DESIGN.md:
``panelbot schedule propose --kit KIT --pool POOL.yaml --candidate-window START/END ...``.
It exits 1 with one line naming the blocking constraint when no loop fits.
``import-pool`` validates a pool file and shows what panelbot understood from it; with
``--save`` it stores every interviewer as a profile of ``PANELBOT_WORKSPACE_ID`` (the
pool ids must then be the platform's user ids, e.g. Slack ``U0123ABCD``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.table import Table

from bot.cli_errors import CliError, friendly
from bot.cli_rubrics import load_registry
from bot.context import open_engine, store_scope
from bot.settings import get_settings, parse_duration
from flows.profiles import profile_input_of
from flows.scheduling import (
    CalendarError,
    CombinedProvider,
    ICalendarFileProvider,
    Interval,
    LoopRequest,
    ManualBlocksProvider,
    Option,
    Pool,
    PoolLoadError,
    Proposal,
    SchedulingError,
    collect_busy,
    load_pool,
    propose,
)
from flows.scheduling.availability import is_url
from flows.scheduling.pool import WEEKDAYS
from flows.timefmt import format_slot
from rubrics.schema import Kit
from storage.enums import Platform

schedule_app = typer.Typer(no_args_is_help=True)
console = Console()

_WINDOW_HELP = (
    "When the candidate can interview, START/END in ISO 8601, e.g. "
    "2026-11-24T09:00/2026-11-24T17:00 or 2026-11-24T09:00/17:00; repeatable."
)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(f"--tz: unknown time zone '{name}' (use an IANA name such as Europe/Berlin)") from None


def parse_window(raw: str, tz: ZoneInfo) -> Interval:
    """``START/END``; END may be a bare time on START's day; naive times are in ``tz``."""
    usage = f"--candidate-window '{raw}': {{}}; use START/END like 2026-11-24T09:00/2026-11-24T17:00"
    first, sep, last = raw.strip().partition("/")
    if not sep:
        raise CliError(usage.format("expected START/END"))
    try:
        start = datetime.fromisoformat(first.strip())
        last = last.strip()
        if "T" not in last and " " not in last and ":" in last:
            end = datetime.fromisoformat(f"{start.date().isoformat()}T{last}")
        else:
            end = datetime.fromisoformat(last)
    except ValueError as exc:
        raise CliError(usage.format(str(exc))) from None
    start = start if start.tzinfo else start.replace(tzinfo=tz)
    end = end if end.tzinfo else end.replace(tzinfo=tz)
    if end <= start:
        raise CliError(usage.format("the end is not after the start"))
    return Interval(start, end)


def _duration(option: str, value: str) -> timedelta:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise CliError(f"{option}: {exc}") from None


def _kits() -> dict[str, Kit]:
    registry = load_registry()
    return {kit_id: registry.get(kit_id) for kit_id in registry.ids()}


def _pool(path: Path, kits: dict[str, Kit]) -> Pool:
    try:
        return load_pool(path, kits=kits)
    except PoolLoadError as exc:
        raise CliError(str(exc)) from None


@schedule_app.command("propose")
@friendly
def propose_command(
    kit: Annotated[str, typer.Option("--kit", help="Rubric kit id; its stages make the loop.")],
    pool: Annotated[Path, typer.Option("--pool", help="POOL.yaml with interviewers and calendars.")],
    candidate_window: Annotated[list[str], typer.Option("--candidate-window", help=_WINDOW_HELP)],
    tz: Annotated[
        str, typer.Option("--tz", help="The candidate's zone: for window times without an offset and for days.")
    ] = "UTC",
    min_break: Annotated[str, typer.Option("--min-break", help="Break between interviews, e.g. 15m.")] = "15m",
    same_day: Annotated[bool, typer.Option("--same-day", help="Put the whole loop on one day.")] = False,
    any_order: Annotated[bool, typer.Option("--any-order", help="Stages need not keep the kit order.")] = False,
    shadow: Annotated[bool, typer.Option("--shadow", help="Add a free trainee as shadow where possible.")] = False,
    options: Annotated[int, typer.Option("--options", min=1, max=10, help="How many loops to propose.")] = 3,
    grid: Annotated[str, typer.Option("--grid", help="Start times fall on this grid, e.g. 15m.")] = "15m",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Propose the best interview loops: earliest, then fairest load, then fewest days."""
    kits = _kits()
    if kit not in kits:
        raise CliError(f"unknown kit '{kit}' (available: {', '.join(sorted(kits))}); see `panelbot rubrics list`")
    zone = _zone(tz)
    windows = [parse_window(raw, zone) for raw in candidate_window]
    loaded = _pool(pool, kits)
    try:
        request = LoopRequest.for_kit(
            kits[kit], windows, candidate_tz=tz, min_break=_duration("--min-break", min_break),
            same_day=same_day, order_fixed=not any_order, grid=_duration("--grid", grid),
            shadow=shadow, options=options,
        )
    except SchedulingError as exc:
        raise CliError(str(exc)) from None
    start = min(w.start for w in windows) - timedelta(days=1)
    end = max(w.end for w in windows) + timedelta(days=1)
    provider = CombinedProvider([ICalendarFileProvider(base_dir=loaded.base_dir), ManualBlocksProvider()])
    try:
        busy = collect_busy(loaded.interviewers, provider, start, end)
    except CalendarError as exc:
        raise CliError(str(exc)) from None
    proposal = propose(request, loaded.interviewers, busy)
    if as_json:
        typer.echo(json.dumps(proposal_json(proposal, request, loaded), indent=2))
    else:
        _print_options(proposal, request, loaded)
    if not proposal.feasible:
        raise CliError(f"no loop fits: {proposal.blocked}")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def proposal_json(proposal: Proposal, request: LoopRequest, pool: Pool) -> dict[str, Any]:
    """The stable JSON shape of ``schedule propose --json``."""
    return {
        "kit": request.kit_id,
        "candidate_tz": request.candidate_tz,
        "feasible": proposal.feasible,
        "blocked": proposal.blocked,
        "notes": list(proposal.notes),
        "options": [
            {
                "rank": rank,
                "reason": option.reason,
                "score": {
                    "finish_day": option.score.finish_day.isoformat(),
                    "load": option.score.load,
                    "days": option.score.days,
                    "ends_at": _utc(option.score.ends_at),
                },
                "repeated": list(option.repeated),
                "interviews": [
                    {
                        "stage": item.stage,
                        "title": item.title,
                        "interviewer": item.interviewer,
                        "interviewer_name": pool.get(item.interviewer).name,
                        "interviewer_tz": pool.get(item.interviewer).tz,
                        "start": _utc(item.start),
                        "end": _utc(item.end),
                        "local_start": item.start.astimezone(ZoneInfo(pool.get(item.interviewer).tz)).isoformat(),
                        "shadow": item.shadow,
                    }
                    for item in option.interviews
                ],
            }
            for rank, option in enumerate(proposal.options, start=1)
        ],
    }


def _print_options(proposal: Proposal, request: LoopRequest, pool: Pool) -> None:
    zone = ZoneInfo(request.candidate_tz)
    for rank, option in enumerate(proposal.options, start=1):
        console.print(_option_table(rank, option, request, pool, zone))
    for note in proposal.notes:
        console.print(f"note: {note}", highlight=False)


def _option_table(rank: int, option: Option, request: LoopRequest, pool: Pool, zone: ZoneInfo) -> Table:
    day = option.starts_at.astimezone(zone).strftime("%a %d %b %Y")
    table = Table(
        title=f"Option {rank} · {day}",
        caption=option.reason,
        title_justify="left",
        caption_justify="left",
    )
    for column in ("stage", f"candidate ({request.candidate_tz})", "interviewer", "their time", "UTC"):
        table.add_column(column)
    if request.shadow:
        table.add_column("shadow")
    for item in option.interviews:
        person = pool.get(item.interviewer)
        local = f"{item.start.astimezone(zone):%a %H:%M}-{item.end.astimezone(zone):%H:%M}"
        utc = f"{item.start.astimezone(UTC):%H:%M}-{item.end.astimezone(UTC):%H:%M}"
        row = [item.stage, local, person.name, format_slot(item.start, item.end, person.tz), utc]
        if request.shadow:
            row.append(pool.get(item.shadow).name if item.shadow else "-")
        table.add_row(*row)
    return table


@schedule_app.command("import-pool")
@friendly
def import_pool(
    path: Annotated[Path, typer.Argument(help="POOL.yaml to validate.")],
    calendars: Annotated[
        bool, typer.Option("--calendars", help="Also read every calendar (files and URLs) for the next 14 days.")
    ] = False,
    save: Annotated[
        bool, typer.Option("--save", help="Store every interviewer as a profile in PANELBOT_WORKSPACE_ID.")
    ] = False,
    platform: Annotated[
        Platform, typer.Option("--platform", help="Whose user ids the pool ids are (with --save).")
    ] = Platform.SLACK,
) -> None:
    """Validate a pool file and show each interviewer's profile as panelbot reads it."""
    pool = _pool(path, _kits())
    problems = []
    busy: dict[str, list[Interval]] = {}
    file_reader = ICalendarFileProvider(base_dir=pool.base_dir)
    for index, person in enumerate(pool.interviewers):
        if person.calendar and not is_url(person.calendar):
            resolved = Path(file_reader.resolve(person.calendar))
            if not resolved.is_file():
                problems.append(f"{path}: interviewers[{index}].calendar: no such file {resolved}")
    if problems:
        raise CliError("\n".join(problems))
    if calendars:
        now = datetime.now(UTC)
        provider = CombinedProvider([file_reader, ManualBlocksProvider()])
        try:
            busy = collect_busy(pool.interviewers, provider, now, now + timedelta(days=14))
        except CalendarError as exc:
            raise CliError(str(exc)) from None
    table = Table("id", "name", "zone", "hours", "limits", "qualified", "calendar")
    for person in pool.interviewers:
        hours = person.hours
        days = ",".join(WEEKDAYS[d] for d in sorted(hours.weekdays))
        qualified = "; ".join(f"{kit}: {', '.join(sorted(stages))}" for kit, stages in sorted(person.qualified.items()))
        role = " (trainee)" if person.trainee else ""
        source = person.calendar or "-"
        if calendars and person.id in busy:
            count = len(busy[person.id])
            source += f" ({count} busy block{'' if count == 1 else 's'} in 14 days)"
        table.add_row(
            person.id, person.name + role, person.tz,
            f"{hours.start:%H:%M}-{hours.end:%H:%M} {days}",
            f"{person.max_per_day}/day, {person.max_per_week}/week", qualified or "-", source,
        )
    console.print(table)
    trainees = sum(1 for person in pool.interviewers if person.trainee)
    console.print(
        f"[green]✓[/] {path}: {len(pool.interviewers)} interviewers ({trainees} trainees) are valid",
        highlight=False,
    )
    if save:
        created, updated = save_pool(pool, platform)
        console.print(
            f"saved {len(pool.interviewers)} profiles ({platform.value}): "
            f"{created} created, {updated} updated",
            highlight=False,
        )


def save_pool(pool: Pool, platform: Platform) -> tuple[int, int]:
    """Upsert every interviewer of ``pool`` as a profile, in one transaction.

    All or nothing: a half-imported pool would leave the solver with a pool nobody wrote.
    """
    settings = get_settings()
    created = 0
    with store_scope(open_engine(settings)) as store:
        for person in pool.interviewers:
            data = profile_input_of(person, base_dir=pool.base_dir)
            _, fresh = store.upsert_profile(settings.workspace_id, platform, person.id, data)
            created += fresh
    return created, len(pool.interviewers) - created
