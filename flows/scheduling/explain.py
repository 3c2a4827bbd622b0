"""Plain words for the solver's answers: why each option, and what blocks a loop.

A recruiter reads these lines, so they name stages by their kit key, people by name,
days as the candidate sees them ("Tue-Thu" in the candidate's zone), and the one
constraint that matters. The diagnosis checks constraints from the most basic to the
most combined and reports the first that fails, for the first stage it fails for:
qualification, the windows themselves, working hours, calendars, load limits, then
order/breaks/same-day, then the one-person-per-interview rule.
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import combinations

from flows.scheduling.grid import INF, Plan
from flows.scheduling.search import Found
from flows.timefmt import zone


def day_span(days: list[date]) -> str:
    """``Tue-Thu``, ``Mon, Wed-Thu``; with dates when the span is a week or more."""
    days = sorted(set(days))
    if not days:
        return "in the candidate's windows"
    with_dates = (days[-1] - days[0]).days >= 6
    fmt = "%a %d %b" if with_dates else "%a"
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    parts = [
        a.strftime(fmt) if a == b else f"{a.strftime(fmt)}-{b.strftime(fmt)}" for a, b in runs
    ]
    return ", ".join(parts)


def window_days(plan: Plan) -> list[date]:
    return [day for index, day in enumerate(plan.dates) if plan.window & _day_mask(plan, index)]


def _day_mask(plan: Plan, index: int) -> int:
    first, stop = plan.day_start[index], plan.day_end[index]
    return ((1 << (stop - first)) - 1) << first


def _local(plan: Plan, moment: datetime, fmt: str) -> str:
    return moment.astimezone(zone(plan.request.candidate_tz)).strftime(fmt)


def _minutes(plan: Plan) -> int:
    return int(plan.request.min_break.total_seconds() // 60)


def reasons(plan: Plan, loops: list[Found], shadows: list[dict[int, str]]) -> list[str]:
    """One line per option: what makes it earliest/fairest, or how it differs from #1."""
    lines = []
    best = loops[0]
    tz = plan.request.candidate_tz
    for rank, found in enumerate(loops):
        day, load, days, end = found.key
        when = f"{_local(plan, plan.at(end), '%a %d %b %H:%M')} {tz}"
        loads = sorted(
            plan.people[p.lead].week_load[plan.people[p.lead].zone.week_of[p.start]]
            for p in found.placements
        )
        spread = f"{loads[0]}-{loads[-1]}" if loads[0] != loads[-1] else f"{loads[0]}"
        span = "1 day" if days == 1 else f"{days} days"
        if rank == 0:
            text = f"earliest finish, done {when}; fairest panel (weekly loads {spread}); {span}"
        else:
            b_day, b_load, b_days, _ = best.key
            if day > b_day:
                later = day - b_day
                text = f"done {when}, {later} day{'s' if later > 1 else ''} later than #1"
            elif load > b_load:
                text = f"also done {when}; busier panel (load +{load - b_load}, weekly loads {spread})"
            elif days > b_days:
                text = f"also done {when}, same load, but spread over {span}"
            else:
                text = f"also done {when}, same load; {_difference(plan, best, found)}"
            if day > b_day:
                text += f"; weekly loads {spread}; {span}"
        text += _repeats(plan, found) + _shadow_note(plan, found, shadows[rank])
        lines.append(text)
    return lines


def _difference(plan: Plan, best: Found, other: Found) -> str:
    mine = {p.stage: p for p in best.placements}
    changes = []
    for placement in other.placements:
        base = mine[placement.stage]
        key = plan.request.stages[placement.stage].key
        if placement.lead != base.lead:
            changes.append(f"{key} with {plan.people[placement.lead].person.name}")
        elif placement.start != base.start:
            changes.append(f"{key} at {_local(plan, plan.at(placement.start), '%H:%M')}")
    if not changes:
        return "same panel"
    shown = ", ".join(changes[:2])
    return f"differs in {shown}" + (f" and {len(changes) - 2} more" if len(changes) > 2 else "")


def _repeats(plan: Plan, found: Found) -> str:
    counts: dict[int, int] = {}
    for placement in found.placements:
        counts[placement.lead] = counts.get(placement.lead, 0) + 1
    twice = [plan.people[lead].person.name for lead, n in counts.items() if n > 1]
    if not twice:
        return ""
    return f"; {', '.join(twice)} interview{'s' if len(twice) == 1 else ''} more than once (no loop with one interview per person was found)"


def _shadow_note(plan: Plan, found: Found, shadows: dict[int, str]) -> str:
    if not plan.request.shadow:
        return ""
    if not shadows:
        return "; no trainee is free to shadow"
    names = {lead.person.id: lead.person.name for lead in plan.people}
    parts = [
        f"{names[trainee]} shadows {plan.request.stages[found.placements[i].stage].key}"
        for i, trainee in sorted(shadows.items())
    ]
    return "; " + ", ".join(parts)


def diagnose(plan: Plan, *, exhausted: bool, steps: int, deepest: int = 0) -> str:
    """The first constraint, most basic first, that leaves no loop."""
    request = plan.request
    days = day_span(window_days(plan))
    if plan.window == 0:
        return "the candidate has no availability window" + (
            " inside the scheduling horizon" if request.horizon is not None else ""
        )
    leads_of = []
    for stage in request.stages:
        qualified = [lead for lead in plan.people if lead.person.is_qualified(request.kit_id, stage.key)]
        leads = [lead for lead in qualified if not lead.person.trainee]
        if not leads:
            extra = " (only trainees, who shadow but do not lead)" if qualified else ""
            return f"no interviewer in the pool is qualified for the {stage.key} stage of {request.kit_id}{extra}"
        leads_of.append(leads)
    for s_index, stage in enumerate(request.stages):
        if not plan.startable(plan.window, s_index):
            return f"the candidate's windows ({days}) have no {stage.minutes}-minute stretch for {stage.key}"
    needed = sum(stage.minutes for stage in request.stages)
    offered = bin(plan.window).count("1") * int(plan.res.total_seconds() // 60)
    if offered < needed:
        return (
            f"the candidate's windows ({days}) offer {_hours(offered)}, "
            f"but the {len(request.stages)} interviews take {_hours(needed)}"
        )
    for s_index, stage in enumerate(request.stages):
        leads = leads_of[s_index]
        if not any(plan.startable(lead.hours, s_index) for lead in leads):
            return f"no qualified {stage.key} interviewer works during the candidate's windows ({days}) in their own working hours"
        if not any(plan.startable(lead.free, s_index) for lead in leads):
            return f"no qualified {stage.key} interviewer is free {days}"
        if not any(lead.startable.get(s_index, 0) for lead in leads):
            return f"every qualified {stage.key} interviewer free {days} has reached their daily or weekly interview limit"
    order = _order_problem(plan, days)
    if order:
        return order
    crowded = _crowded(plan)
    if crowded:
        return crowded
    if exhausted:
        return f"the search stopped after {steps} steps without a loop; narrow the windows or the pool"
    total = len(request.stages)
    where = " on one day" if request.same_day else ""
    if request.order_fixed and 0 < deepest < total:
        return (
            f"at most {deepest} of the {total} interviews line up{where} with free qualified "
            f"interviewers, breaks and limits; no {request.stages[deepest].key} interviewer "
            f"is free after {request.stages[deepest - 1].key} in any of them"
        )
    return (
        f"no combination fits{where}: the stages, breaks and load limits leave no way to give "
        "each interview a free qualified interviewer"
    )


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def _chain(plan: Plan, t: int, limit: int) -> tuple[int, int]:
    """Follow the relaxed earliest chain; ``(stages placed, earliest next slot)``."""
    for s_index in range(len(plan.durations)):
        start = plan.next_start[s_index][t] if t < plan.size else INF
        if start >= limit:
            return s_index, t
        t = start + plan.durations[s_index] + plan.brk
    return len(plan.durations), t


def _order_problem(plan: Plan, days: str) -> str | None:
    request = plan.request
    if not request.order_fixed:
        return None  # each stage has someone free (checked above); some order may still fit
    gap = f" with a {_minutes(plan)}-minute break" if _minutes(plan) else ""
    if not request.same_day:
        placed, t = _chain(plan, 0, INF)
        if placed == len(request.stages):
            return None
        stage = request.stages[placed]
        if placed == 0:
            return f"no qualified {stage.key} interviewer is free {days}"
        previous = request.stages[placed - 1].key
        after = _local(plan, plan.at(t - plan.brk), "%a %H:%M")
        return (
            f"no qualified {stage.key} interviewer is free {days} after {previous} "
            f"(earliest end {after}){gap}"
        )
    best: tuple[int, int] | None = None
    for index in range(len(plan.dates)):
        placed, _ = _chain(plan, plan.day_start[index], plan.day_end[index])
        if placed == len(request.stages):
            return None
        if best is None or placed > best[0]:
            best = (placed, index)
    assert best is not None
    placed, index = best
    blocker = request.stages[placed].key
    on = plan.dates[index].strftime("%a %d %b")
    fitted = ", ".join(stage.key for stage in request.stages[:placed])
    then = f"{on} fits {fitted}, then" if placed else f"on {on}"
    return (
        f"no single day ({days}) fits all {len(request.stages)} interviews in order{gap}; "
        f"{then} no {blocker} interviewer is free"
    )


def _crowded(plan: Plan) -> str | None:
    """Stages that together need more people than can take them (Hall's condition).

    With ``same_day``, each day is checked on its own: the loop fits no day when every
    day is either too short (see ``_order_problem``) or short of people.
    """
    if not plan.request.same_day:
        return _short_of_people(plan, -1)
    problems = []
    for index in range(len(plan.dates)):
        first, stop = plan.day_start[index], plan.day_end[index]
        if _chain(plan, first, stop)[0] < len(plan.durations):
            continue
        problem = _short_of_people(plan, index)
        if problem is None:
            return None
        problems.append(f"on {plan.dates[index]:%a %d %b} {problem}")
    return "no single day works: " + problems[0] if problems else None


def _short_of_people(plan: Plan, day: int) -> str | None:
    window = -1 if day < 0 else _day_mask(plan, day)
    stages = range(len(plan.request.stages))
    for size in range(2, len(plan.request.stages) + 1):
        for group in combinations(stages, size):
            people = {lead.index for s in group for lead in plan.leads[s] if lead.startable[s] & window}
            if len(people) < size:
                names = ", ".join(sorted(plan.people[i].person.name for i in people)) or "nobody"
                keys = ", ".join(plan.request.stages[s].key for s in group)
                return (
                    f"the {keys} stages need {size} interviews but only {names} can take them, "
                    f"and their calendars or limits do not allow more than one each"
                )
    return None
