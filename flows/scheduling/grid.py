"""Time on a grid: everyone's availability as bit masks over the candidate's windows.

Slot ``x`` is ``[origin + x*res, origin + (x+1)*res)``. The resolution ``res`` is the
greatest common divisor of the start grid and the stage lengths, so an interview covers
whole slots exactly; starts are allowed only every ``grid`` (``step`` slots), aligned
to UTC. An interviewer's *free* mask is their working hours (in their zone) inside the
candidate's windows, minus busy time (rounded outwards to whole slots: a 09:50 meeting
end blocks the 09:45 slot, so nobody is ever double-booked), minus the local days and
ISO weeks where their existing bookings already reach ``max_per_day``/``max_per_week``.
For a stage of ``n`` slots, the slots where an interview can *start* are
``free & free>>1 & ... & free>>(n-1)`` on grid steps. Python's big integers make these
whole-horizon operations a handful of machine-word loops each, which is what keeps a
300-person, two-week search well under a second.

This module also derives the relaxed tables the search uses for its bounds: per stage
and slot, the cheapest load cost of anyone who could start there, and the earliest
start of the last stage if every later stage took the earliest slot anyone has.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flows.scheduling.model import Interval, Interviewer, LoopRequest, SchedulingError
from flows.timefmt import zone

INF = 1 << 60
MAX_HORIZON = timedelta(days=92)


def lowest_bit(value: int) -> int:
    """Index of the lowest set bit of a positive integer."""
    return (value & -value).bit_length() - 1


def span_mask(first: int, end: int) -> int:
    """Bits ``first .. end-1``."""
    return ((1 << (end - first)) - 1) << first if end > first else 0


@dataclass(slots=True)
class ZoneTable:
    """Local days and ISO weeks of one zone, per slot and as slot ranges."""

    day_of: list[int]
    week_of: list[int]
    day_ranges: dict[int, tuple[int, int]]
    week_ranges: dict[int, tuple[int, int]]
    segment_end: list[int]  # first slot after x where the local or candidate day changes


@dataclass(slots=True)
class Lead:
    """One interviewer as the search sees them, with their masks per stage."""

    index: int
    person: Interviewer
    zone: ZoneTable
    hours: int
    free: int
    available: int
    day_load: Counter[int]
    week_load: Counter[int]
    week_cost: dict[int, int]
    startable: dict[int, int] = field(default_factory=dict)
    min_cost: int = 1

    def cost(self, slot: int, extra: int = 0) -> int:
        """What booking this person at ``slot`` adds to the sum of squared weekly loads.

        ``extra`` counts interviews this loop already gives them that week.
        """
        return self.week_cost[self.zone.week_of[slot]] + 2 * extra


@dataclass(slots=True)
class Plan:
    """Everything the search and the diagnosis need, computed once per request."""

    request: LoopRequest
    origin: datetime
    res: timedelta
    size: int
    step: int
    cday: list[int]
    dates: list[date]
    day_start: list[int]
    day_end: list[int]
    window: int
    starts: int
    durations: list[int]
    brk: int
    people: list[Lead]
    leads: list[list[Lead]]
    trainees: list[list[Lead]]
    union: list[int] = field(default_factory=list)
    min_cost: list[list[int]] = field(default_factory=list)
    next_start: list[list[int]] = field(default_factory=list)
    in_day_min: list[list[int]] = field(default_factory=list)
    day_min_range: list[list[list[int]]] = field(default_factory=list)
    last_start: list[list[int]] = field(default_factory=list)

    def at(self, slot: int) -> datetime:
        return self.origin + slot * self.res

    def slot_floor(self, moment: datetime) -> int:
        return int((moment - self.origin) // self.res)

    def slot_ceil(self, moment: datetime) -> int:
        return -int((self.origin - moment) // self.res)

    def mask_of(self, interval: Interval, *, outward: bool) -> int:
        """Slots an interval touches (``outward``) or fully covers."""
        if outward:
            first, end = self.slot_floor(interval.start), self.slot_ceil(interval.end)
        else:
            first, end = self.slot_ceil(interval.start), self.slot_floor(interval.end)
        return span_mask(max(first, 0), min(end, self.size))

    def startable(self, free: int, stage: int) -> int:
        """Grid slots where an interview of ``stage`` fits entirely inside ``free``."""
        result = free
        for shift in range(1, self.durations[stage]):
            result &= free >> shift
        return result & self.starts


def build_plan(
    request: LoopRequest, pool: Sequence[Interviewer], busy: Mapping[str, Sequence[Interval]]
) -> Plan:
    """Discretise the request and every interviewer's availability onto one grid."""
    windows = [w.utc() for w in request.windows if w.start < w.end]
    if request.horizon is not None:
        clipped = (w.clip(request.horizon.start, request.horizon.end) for w in windows)
        windows = [w for w in clipped if w is not None]
    res_minutes = math.gcd(int(request.grid.total_seconds() // 60), *(s.minutes for s in request.stages))
    res = timedelta(minutes=res_minutes)
    step = int(request.grid / res)
    if windows:
        first = min(w.start for w in windows)
        last = max(w.end for w in windows)
        if last - first > MAX_HORIZON:
            raise SchedulingError("candidate windows span more than 92 days; narrow them")
        midnight = datetime.combine(first.date(), time(0), tzinfo=UTC)
        origin = midnight + ((first - midnight) // request.grid) * request.grid
        size = -int((origin - last) // res)
    else:
        origin, size = datetime(1970, 1, 1, tzinfo=UTC), 0  # nothing to place
    durations = [-(-s.minutes // res_minutes) for s in request.stages]
    brk = -int(-request.min_break // res)
    plan = Plan(
        request=request, origin=origin, res=res, size=size, step=step, cday=[], dates=[],
        day_start=[], day_end=[], window=0, starts=0, durations=durations, brk=brk,
        people=[], leads=[[] for _ in request.stages], trainees=[[] for _ in request.stages],
    )
    _candidate_days(plan, zone(request.candidate_tz))
    for window in windows:
        plan.window |= plan.mask_of(window, outward=False)
    plan.starts = sum(1 << x for x in range(0, size, step))
    zones: dict[str, ZoneTable] = {}
    hours_cache: dict[tuple[object, ...], int] = {}
    for index, person in enumerate(sorted(pool, key=lambda p: p.id)):
        table = zones.get(person.tz)
        if table is None:
            table = zones[person.tz] = _zone_table(plan, zone(person.tz))
        lead = _lead(plan, index, person, table, busy.get(person.id, ()), hours_cache)
        plan.people.append(lead)
        for s_index, stage in enumerate(request.stages):
            if not person.is_qualified(request.kit_id, stage.key):
                continue
            mask = plan.startable(lead.available, s_index)
            lead.startable[s_index] = mask
            if mask:
                (plan.trainees if person.trainee else plan.leads)[s_index].append(lead)
    _relaxed_tables(plan)
    return plan


def _day_ranges(plan: Plan, tz: ZoneInfo) -> list[tuple[date, int, int]]:
    """Local dates of ``tz`` that the horizon touches, with their slot ranges."""
    if plan.size == 0:
        return []
    end = plan.at(plan.size)
    day = plan.origin.astimezone(tz).date()
    ranges = []
    while True:
        start = datetime.combine(day, time(0), tzinfo=tz)
        if start >= end:
            break
        following = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        first = max(plan.slot_ceil(start), 0)
        stop = min(plan.slot_ceil(following), plan.size)
        if first < stop:
            ranges.append((day, first, stop))
        day += timedelta(days=1)
    return ranges


def _candidate_days(plan: Plan, tz: ZoneInfo) -> None:
    plan.cday = [0] * plan.size
    for index, (day, first, stop) in enumerate(_day_ranges(plan, tz)):
        plan.dates.append(day)
        plan.day_start.append(first)
        plan.day_end.append(stop)
        plan.cday[first:stop] = [index] * (stop - first)


def _zone_table(plan: Plan, tz: ZoneInfo) -> ZoneTable:
    day_of = [0] * plan.size
    week_of = [0] * plan.size
    day_ranges: dict[int, tuple[int, int]] = {}
    week_ranges: dict[int, tuple[int, int]] = {}
    for day, first, stop in _day_ranges(plan, tz):
        year, week, _ = day.isocalendar()
        key = year * 100 + week
        day_of[first:stop] = [day.toordinal()] * (stop - first)
        week_of[first:stop] = [key] * (stop - first)
        day_ranges[day.toordinal()] = (first, stop)
        low, high = week_ranges.get(key, (first, stop))
        week_ranges[key] = (min(low, first), max(high, stop))
    segment_end = [plan.size] * plan.size
    for x in range(plan.size - 2, -1, -1):
        same = day_of[x] == day_of[x + 1] and plan.cday[x] == plan.cday[x + 1]
        segment_end[x] = segment_end[x + 1] if same else x + 1
    return ZoneTable(day_of, week_of, day_ranges, week_ranges, segment_end)


def _hours_mask(plan: Plan, person: Interviewer, table: ZoneTable) -> int:
    hours, tz = person.hours, zone(person.tz)
    mask = 0
    for ordinal in table.day_ranges:
        day = date.fromordinal(ordinal)
        if day.weekday() not in hours.weekdays:
            continue
        opening = datetime.combine(day, hours.start, tzinfo=tz)
        closing = datetime.combine(day, hours.end, tzinfo=tz)
        if opening < closing:
            mask |= plan.mask_of(Interval(opening, closing), outward=False)
    return mask


def _lead(
    plan: Plan,
    index: int,
    person: Interviewer,
    table: ZoneTable,
    busy: Sequence[Interval],
    hours_cache: dict[tuple[object, ...], int],
) -> Lead:
    key = (person.tz, person.hours.start, person.hours.end, person.hours.weekdays)
    hours = hours_cache.get(key)
    if hours is None:
        hours = hours_cache[key] = _hours_mask(plan, person, table)
    hours &= plan.window
    blocked = 0
    for interval in (*busy, *person.bookings):
        blocked |= plan.mask_of(interval, outward=True)
    free = hours & ~blocked
    tz = zone(person.tz)
    day_load: Counter[int] = Counter()
    week_load: Counter[int] = Counter()
    for booking in person.bookings:
        local = booking.start.astimezone(tz).date()
        year, week, _ = local.isocalendar()
        day_load[local.toordinal()] += 1
        week_load[year * 100 + week] += 1
    full = 0
    for ordinal, (first, stop) in table.day_ranges.items():
        if day_load[ordinal] >= person.max_per_day:
            full |= span_mask(first, stop)
    for week, (first, stop) in table.week_ranges.items():
        if week_load[week] >= person.max_per_week:
            full |= span_mask(first, stop)
    available = free & ~full
    week_cost = {week: 2 * week_load[week] + 1 for week in table.week_ranges}
    return Lead(
        index=index, person=person, zone=table, hours=hours, free=free, available=available,
        day_load=day_load, week_load=week_load, week_cost=week_cost,
        min_cost=min(week_cost.values(), default=1),
    )


def _relaxed_tables(plan: Plan) -> None:
    """Per stage: cheapest cost per slot, next possible start, in-day and per-day minima."""
    size, ndays = plan.size, len(plan.dates)
    for s_index in range(len(plan.durations)):
        by_cost: dict[int, int] = {}
        union = 0
        for lead in plan.leads[s_index]:
            mask = lead.startable[s_index]
            union |= mask
            for week, (first, stop) in lead.zone.week_ranges.items():
                part = mask & span_mask(first, stop)
                if part:
                    cost = 2 * lead.week_load[week] + 1
                    by_cost[cost] = by_cost.get(cost, 0) | part
        costs = [INF] * size
        assigned = 0
        for cost in sorted(by_cost):
            bits = by_cost[cost] & ~assigned
            assigned |= bits
            while bits:
                low = bits & -bits
                costs[low.bit_length() - 1] = cost
                bits ^= low
        nxt = [INF] * (size + 1)
        in_day = [INF] * (size + 1)
        for x in range(size - 1, -1, -1):
            nxt[x] = x if costs[x] < INF else nxt[x + 1]
            same_day = x + 1 < size and plan.cday[x + 1] == plan.cday[x]
            in_day[x] = min(costs[x], in_day[x + 1]) if same_day else costs[x]
        day_min = [min(costs[a:b], default=INF) for a, b in zip(plan.day_start, plan.day_end, strict=True)]
        ranges = [[INF] * ndays for _ in range(ndays)]
        for a in range(ndays):
            best = INF
            for b in range(a, ndays):
                best = min(best, day_min[b])
                ranges[a][b] = best
        plan.union.append(union)
        plan.min_cost.append(costs)
        plan.next_start.append(nxt)
        plan.in_day_min.append(in_day)
        plan.day_min_range.append(ranges)
    # Earliest start of the last stage when every stage takes the first slot anyone has.
    stages = len(plan.durations)
    last = [[INF] * (size + 1) for _ in range(stages)]
    for s_index in range(stages - 1, -1, -1):
        nxt, row = plan.next_start[s_index], last[s_index]
        for x in range(size):
            start = nxt[x]
            if start >= INF:
                continue
            if s_index == stages - 1:
                row[x] = start
            else:
                following = start + plan.durations[s_index] + plan.brk
                row[x] = last[s_index + 1][following] if following < size else INF
    plan.last_start = last
