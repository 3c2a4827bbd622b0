"""Independent referees for the solver: a constraint checker, brute force, greedy first-fit.

None of these use the solver's grid or search code; they work on plain datetimes, so a
bug in the bit masks cannot hide behind a matching bug here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise, permutations

from flows.scheduling import Interval, Interviewer, LoopRequest, Option
from flows.timefmt import zone

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Key = tuple[date, int, int]


def windows_of(request: LoopRequest) -> list[Interval]:
    windows = [w.utc() for w in request.windows if w.start < w.end]
    if request.horizon is not None:
        clipped = (w.clip(request.horizon.start, request.horizon.end) for w in windows)
        windows = [w for w in clipped if w is not None]
    return windows


def candidate_day(request: LoopRequest, moment: datetime) -> date:
    return moment.astimezone(zone(request.candidate_tz)).date()


def local_day(person: Interviewer, moment: datetime) -> date:
    return moment.astimezone(zone(person.tz)).date()


def week_of(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def in_hours(person: Interviewer, start: datetime, end: datetime) -> bool:
    tz = zone(person.tz)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    return (
        local_start.date() == local_end.date()
        and local_start.weekday() in person.hours.weekdays
        and person.hours.start <= local_start.time()
        and local_end.time() <= person.hours.end
    )


def is_free(person: Interviewer, busy: Sequence[Interval], start: datetime, end: datetime) -> bool:
    slot = Interval(start, end)
    return not any(slot.overlaps(item) for item in (*busy, *person.bookings))


def in_window(request: LoopRequest, start: datetime, end: datetime) -> bool:
    return any(w.contains(Interval(start, end)) for w in windows_of(request))


def on_grid(request: LoopRequest, start: datetime) -> bool:
    return (start - EPOCH) % request.grid == timedelta(0)


def existing(person: Interviewer) -> tuple[Counter[date], Counter[tuple[int, int]]]:
    days: Counter[date] = Counter()
    weeks: Counter[tuple[int, int]] = Counter()
    for booking in person.bookings:
        day = local_day(person, booking.start)
        days[day] += 1
        weeks[week_of(day)] += 1
    return days, weeks


def load_cost(people: Mapping[str, Interviewer], loop: Sequence[tuple[str, datetime]]) -> int:
    """Increase of the sum of squared weekly loads when ``loop`` is booked."""
    extra: Counter[tuple[str, tuple[int, int]]] = Counter()
    total = 0
    for person_id, start in sorted(loop, key=lambda item: item[1]):
        person = people[person_id]
        week = week_of(local_day(person, start))
        total += 2 * (existing(person)[1][week] + extra[(person_id, week)]) + 1
        extra[(person_id, week)] += 1
    return total


def violations(
    option: Option,
    request: LoopRequest,
    pool: Sequence[Interviewer],
    busy: Mapping[str, Sequence[Interval]],
) -> list[str]:
    """Every constraint ``option`` breaks, in words; empty when it is a valid loop."""
    people = {person.id: person for person in pool}
    problems: list[str] = []
    interviews = list(option.interviews)
    stage_keys = [stage.key for stage in request.stages]
    if sorted(i.stage for i in interviews) != sorted(stage_keys):
        problems.append(f"stages {[i.stage for i in interviews]} != {stage_keys}")
    if interviews != sorted(interviews, key=lambda i: i.start):
        problems.append("interviews are not in time order")
    interviews.sort(key=lambda i: i.start)
    usage: Counter[tuple[str, date]] = Counter()
    week_usage: Counter[tuple[str, tuple[int, int]]] = Counter()
    for item in interviews:
        person = people.get(item.interviewer)
        stage = request.stage(item.stage)
        if person is None:
            problems.append(f"{item.interviewer} is not in the pool")
            continue
        if item.end - item.start != stage.duration:
            problems.append(f"{item.stage} lasts {item.end - item.start}")
        if not on_grid(request, item.start):
            problems.append(f"{item.stage} starts off the grid at {item.start}")
        if not in_window(request, item.start, item.end):
            problems.append(f"{item.stage} is outside the candidate's windows")
        if person.trainee or not person.is_qualified(request.kit_id, item.stage):
            problems.append(f"{person.id} may not lead {item.stage}")
        if not in_hours(person, item.start, item.end):
            problems.append(f"{item.stage} is outside {person.id}'s working hours")
        if not is_free(person, busy.get(person.id, ()), item.start, item.end):
            problems.append(f"{person.id} is busy during {item.stage}")
        day = local_day(person, item.start)
        usage[(person.id, day)] += 1
        week_usage[(person.id, week_of(day))] += 1
        if item.shadow is not None:
            trainee = people.get(item.shadow)
            if trainee is None or not trainee.trainee or not trainee.is_qualified(request.kit_id, item.stage):
                problems.append(f"{item.shadow} may not shadow {item.stage}")
            elif not (
                in_hours(trainee, item.start, item.end)
                and is_free(trainee, busy.get(trainee.id, ()), item.start, item.end)
            ):
                problems.append(f"shadow {trainee.id} is not free for {item.stage}")
            else:
                shadow_day = local_day(trainee, item.start)
                usage[(trainee.id, shadow_day)] += 1
                week_usage[(trainee.id, week_of(shadow_day))] += 1
    for (person_id, day), count in usage.items():
        if existing(people[person_id])[0][day] + count > people[person_id].max_per_day:
            problems.append(f"{person_id} exceeds {people[person_id].max_per_day} a day on {day}")
    for (person_id, week), count in week_usage.items():
        if existing(people[person_id])[1][week] + count > people[person_id].max_per_week:
            problems.append(f"{person_id} exceeds {people[person_id].max_per_week} a week")
    if request.order_fixed and [i.stage for i in interviews] != stage_keys:
        problems.append("stages are not in kit order")
    for before, after in pairwise(interviews):
        if after.start - before.end < request.min_break:
            problems.append(f"break between {before.stage} and {after.stage} is too short")
    days = {candidate_day(request, i.start) for i in interviews}
    if request.same_day and len(days) > 1:
        problems.append("the loop spans several days")
    leads = Counter(i.interviewer for i in interviews)
    if tuple(sorted(p for p, n in leads.items() if n > 1)) != option.repeated:
        problems.append(f"repeated people {option.repeated} do not match {leads}")
    shadows = [i.shadow for i in interviews if i.shadow]
    if len(shadows) != len(set(shadows)):
        problems.append("a trainee shadows twice")
    if interviews:
        expected = (
            candidate_day(request, interviews[-1].start),
            load_cost(people, [(i.interviewer, i.start) for i in interviews]),
            len(days),
            max(i.end for i in interviews),
        )
        if tuple(option.score) != expected:
            problems.append(f"score {tuple(option.score)} != {expected}")
    return problems


@dataclass(frozen=True)
class Loop:
    placements: tuple[tuple[str, str, datetime], ...]  # (stage, interviewer, start), in time order

    def distinct(self) -> bool:
        people = [person for _, person, _ in self.placements]
        return len(people) == len(set(people))


def grid_starts(request: LoopRequest, minutes: int) -> list[datetime]:
    starts: set[datetime] = set()
    duration = timedelta(minutes=minutes)
    for window in windows_of(request):
        moment = EPOCH + -((EPOCH - window.start) // request.grid) * request.grid
        while moment + duration <= window.end:
            starts.add(moment)
            moment += request.grid
    return sorted(starts)


def all_loops(
    request: LoopRequest, pool: Sequence[Interviewer], busy: Mapping[str, Sequence[Interval]]
) -> Iterator[Loop]:
    """Every valid loop on the grid (repeats of a person allowed), by depth-first search."""
    leads = sorted((p for p in pool if not p.trainee), key=lambda p: p.id)
    options: dict[str, list[tuple[datetime, Interviewer]]] = {}
    for stage in request.stages:
        options[stage.key] = [
            (start, person)
            for start in grid_starts(request, stage.minutes)
            for person in leads
            if person.is_qualified(request.kit_id, stage.key)
            and in_hours(person, start, start + stage.duration)
            and is_free(person, busy.get(person.id, ()), start, start + stage.duration)
        ]
    orders = (
        [tuple(s.key for s in request.stages)]
        if request.order_fixed
        else list(permutations(s.key for s in request.stages))
    )
    booked = {p.id: existing(p) for p in pool}

    def extend(order: tuple[str, ...], placed: list[tuple[str, str, datetime]], not_before: datetime | None) -> Iterator[Loop]:
        if len(placed) == len(order):
            yield Loop(tuple(placed))
            return
        key = order[len(placed)]
        stage = request.stage(key)
        for start, person in options[key]:
            if not_before is not None and start < not_before:
                continue
            if request.same_day and placed and candidate_day(request, start) != candidate_day(request, placed[0][2]):
                continue
            day = local_day(person, start)
            same_day_uses = sum(1 for _, p, s in placed if p == person.id and local_day(person, s) == day)
            same_week_uses = sum(
                1 for _, p, s in placed if p == person.id and week_of(local_day(person, s)) == week_of(day)
            )
            if booked[person.id][0][day] + same_day_uses + 1 > person.max_per_day:
                continue
            if booked[person.id][1][week_of(day)] + same_week_uses + 1 > person.max_per_week:
                continue
            placed.append((key, person.id, start))
            yield from extend(order, placed, start + stage.duration + request.min_break)
            placed.pop()

    for order in orders:
        yield from extend(order, [], None)


def loop_key(request: LoopRequest, pool: Sequence[Interviewer], loop: Loop) -> Key:
    people = {p.id: p for p in pool}
    days = {candidate_day(request, start) for _, _, start in loop.placements}
    return (
        candidate_day(request, loop.placements[-1][2]),
        load_cost(people, [(person, start) for _, person, start in loop.placements]),
        len(days),
    )


def kind(request: LoopRequest, loop: Loop) -> frozenset[tuple[str, str, date]]:
    """What makes two options different: a stage's interviewer or day."""
    return frozenset((stage, person, candidate_day(request, start)) for stage, person, start in loop.placements)


def best_keys(
    request: LoopRequest, pool: Sequence[Interviewer], busy: Mapping[str, Sequence[Interval]]
) -> tuple[list[Key], bool]:
    """The keys of the best distinct kinds of loop, and whether repeats were needed."""
    loops = list(all_loops(request, pool, busy))
    distinct = [loop for loop in loops if loop.distinct()]
    chosen, repeats = (distinct, False) if distinct else (loops, True)
    best: dict[frozenset[tuple[str, str, date]], Key] = {}
    for loop in chosen:
        signature = kind(request, loop)
        key = loop_key(request, pool, loop)
        if signature not in best or key < best[signature]:
            best[signature] = key
    return sorted(best.values())[: request.options], repeats


def greedy_first_fit(
    request: LoopRequest, pool: Sequence[Interviewer], busy: Mapping[str, Sequence[Interval]]
) -> Loop | None:
    """Stages in kit order; each at the earliest grid start where the first free person
    in pool order can take it (one interview each, limits respected); no look-ahead."""
    booked = {p.id: existing(p) for p in pool}
    placed: list[tuple[str, str, datetime]] = []
    not_before: datetime | None = None
    for stage in request.stages:
        choice = None
        for start in grid_starts(request, stage.minutes):
            if not_before is not None and start < not_before:
                continue
            if request.same_day and placed and candidate_day(request, start) != candidate_day(request, placed[0][2]):
                continue
            for person in pool:
                end = start + stage.duration
                day = local_day(person, start)
                if (
                    person.trainee
                    or any(p == person.id for _, p, _ in placed)
                    or not person.is_qualified(request.kit_id, stage.key)
                    or not in_hours(person, start, end)
                    or not is_free(person, busy.get(person.id, ()), start, end)
                    or booked[person.id][0][day] + 1 > person.max_per_day
                    or booked[person.id][1][week_of(day)] + 1 > person.max_per_week
                ):
                    continue
                choice = (stage.key, person.id, start)
                break
            if choice:
                break
        if choice is None:
            return None
        placed.append(choice)
        not_before = choice[2] + stage.duration + request.min_break
    return Loop(tuple(placed))
