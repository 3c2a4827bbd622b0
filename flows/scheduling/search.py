"""Best-first search for the best loops, exact for ``(finish day, load, days)``.

A partial loop places some stages, in time order. Its children place one more stage
with one interviewer, at the *earliest* slot that interviewer can start on a given day
(candidate's day, split where the interviewer's own day changes). Nothing is lost by
that: moving an interview earlier within its day keeps its day, its week (so its load
cost and limits) and leaves more room for the rest; so every loop has a counterpart in
this space that is at least as good.

The queue is ordered by a lower bound on the finished loop's ``(finish day, load,
days)`` taken from the relaxed tables of ``grid`` (everyone qualified may take any
stage, no one-person-once rule): the last stage cannot start before the relaxed
earliest chain allows, and each remaining stage costs at least the cheapest cost anyone
has between now and that day. The bound never overestimates, so the first complete
loops popped are the best ones. Ties go to deeper nodes, then to the earliest possible
end, then to earlier slots: complete loops are found after a handful of expansions and
tend to end early, but the end time is a preference, not part of the exact objective
(making it exact would mean proving optimality among thousands of equal-cost panels).

Pruning keeps the search small without losing any of the top ``k`` loops. A child
(interviewer ``j`` at ``y``) is dropped when at least ``r + k`` *other* people could take
the same stage no later on the same day (or on a day the loop already uses) at no
higher cost, ``r`` being the stages still to place after it: whatever the rest of a
loop through ``j`` looks like, it uses at most ``r`` of them, and each of the other
``k`` gives a distinct loop that is no worse. Prefixes that leave the same situation
are expanded at most ``k`` times (``first_of_state``).

The work is bounded by a budget of stage expansions. Ordinary requests need tens; a
pool with several idle people qualified for every stage (the bound's blind spot: it
lets each of them take every open stage) can need a thousand. Past the budget the
search completes its most advanced prefixes depth-first and reports that the loops
are valid but not proven best.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from flows.scheduling.grid import INF, Lead, Plan, lowest_bit, span_mask

Key = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Placement:
    stage: int
    lead: int
    start: int


@dataclass(frozen=True, slots=True)
class Found:
    """A complete loop: placements in time order and its exact key."""

    placements: tuple[Placement, ...]
    key: Key


@dataclass(frozen=True, slots=True)
class SearchResult:
    loops: tuple[Found, ...]
    exhausted: bool  # the budget ran out: loops are valid but not proven best
    steps: int
    deepest: int = 0  # most stages any prefix placed that could still be completed


# A placed prefix as a linked list (stage, lead, start, parent): children share it.
Path = tuple[int, int, int, "Path"] | None


@dataclass(frozen=True, slots=True)
class _Node:
    t: int  # earliest slot for the next interview (previous end plus the break)
    done: int  # bit set of placed stages
    cost: int
    days: int
    last_day: int  # candidate day of the latest interview, -1 before the first
    first_day: int
    depth: int
    path: Path


def _walk(path: Path) -> Iterator[tuple[int, int, int]]:
    while path is not None:
        stage, lead, start, parent = path
        yield stage, lead, start
        path = parent


class _Search:
    def __init__(self, plan: Plan, *, wanted: int, distinct: bool) -> None:
        self.plan = plan
        self.wanted = wanted
        self.distinct = distinct
        self.stages = len(plan.durations)
        self.order_fixed = plan.request.order_fixed
        self.same_day = plan.request.same_day
        self.counter = 0
        self.deepest = 0
        self.expanded: dict[tuple[object, ...], set[frozenset[tuple[int, int, int]]]] = {}
        self.relevant: dict[int, frozenset[int]] = {}
        self.heap: list[tuple[tuple[int, ...], int, Key, _Node]] = []
        self.finishing = False

    def bound(
        self,
        t: int,
        remaining: list[int],
        cost: int,
        days: int,
        last_day: int,
        first_day: int,
    ) -> Key | None:
        """A key no completion of this prefix can beat, or ``None`` if none exists."""
        plan = self.plan
        if t >= plan.size:
            return None
        if self.order_fixed:
            last = plan.last_start[remaining[0]][t]
            if last >= INF:
                return None
            end = last + plan.durations[remaining[-1]]
        else:
            last = end = 0
            for stage in remaining:
                start = plan.next_start[stage][t]
                if start >= INF:
                    return None
                last = max(last, start)
                end = max(end, start + plan.durations[stage])
        finish = plan.cday[last]
        if self.same_day and first_day >= 0 and finish != first_day:
            return None
        today = plan.cday[t]
        extra = 0
        for stage in remaining:
            cheapest = plan.in_day_min[stage][t]
            if finish > today:
                cheapest = min(cheapest, plan.day_min_range[stage][today + 1][finish])
            extra += cheapest
        return (finish, cost + extra, days + (finish != last_day), end)

    def push(self, key: Key, node: _Node) -> None:
        self.deepest = max(self.deepest, node.depth)
        # Exact mode: by (finish day, load, days); among ties deeper nodes first (a
        # complete loop is popped as soon as it is as good as anything left), then the
        # earliest possible end, then first come (earlier slots are pushed first).
        # Out of budget: deepest first, to complete the most promising prefixes.
        self.counter += 1
        if self.finishing:
            priority: tuple[int, ...] = (-node.depth, *key)
        else:
            priority = (*key[:3], -node.depth, key[3])
        heapq.heappush(self.heap, (priority, self.counter, key, node))

    def run(self, budget: int) -> SearchResult:
        """Best-first until ``wanted`` kinds of loop are found or ``budget`` is spent.

        ``budget`` counts stage expansions (one per open stage tried at a node). When it
        runs out, the search turns depth-first for up to half as much again, to complete
        the prefixes it holds: those loops are valid but not proven best.
        """
        found: list[Found] = []
        root = self.bound(0, list(range(self.stages)), 0, 0, -1, -1)
        if root is not None:
            self.push(root, _Node(0, 0, 0, 0, -1, -1, 0, None))
        spent = 0
        seen: set[frozenset[tuple[int, int, int]]] = set()
        while self.heap and len(found) < self.wanted:
            if spent >= budget and not self.finishing:
                self.finishing = True
                entries, self.heap = self.heap, []
                for _, _, key, node in entries:
                    self.push(key, node)
            if spent >= budget + budget // 2:
                break
            _, _, key, node = heapq.heappop(self.heap)
            if node.depth == self.stages:
                placements = tuple(reversed([Placement(*item) for item in _walk(node.path)]))
                # Options must differ in a stage's interviewer or day, not just in order
                # or minutes; the first of a kind popped is the best of its kind.
                kind = frozenset((p.stage, p.lead, self.plan.cday[p.start]) for p in placements)
                if kind not in seen:
                    seen.add(kind)
                    found.append(Found(placements, key))
                continue
            if not self.first_of_state(node):
                continue
            spent += self.expand(node)
        return SearchResult(tuple(found), self.finishing, spent, self.deepest)

    def _relevant(self, done: int) -> frozenset[int]:
        """People who could still lead one of the stages not yet placed."""
        found = self.relevant.get(done)
        if found is None:
            found = self.relevant[done] = frozenset(
                lead.index
                for stage in range(self.stages)
                if not done >> stage & 1
                for lead in self.plan.leads[stage]
            )
        return found

    def first_of_state(self, node: _Node) -> bool:
        """Expand at most ``wanted`` kinds of prefix that leave the same situation.

        Two prefixes that end at the same slot, on the same day, with the same stages
        done, and that used the same people *among those who could still take an open
        stage*, have the same completions; the bound orders them by their own (load,
        days), so the first ``wanted`` popped are the only ones any of the best loops
        can start with. This collapses the many interchangeable equally loaded people
        of the early stages.
        """
        usage = list(_walk(node.path))
        relevant = self._relevant(node.done)
        if self.distinct:
            people: object = frozenset(lead for _, lead, _ in usage if lead in relevant)
        else:
            people = tuple(sorted(
                (lead, self.plan.people[lead].zone.day_of[start])
                for _, lead, start in usage
                if lead in relevant
            ))
        state = (node.t, node.done, people, node.last_day, node.first_day)
        kind = frozenset((stage, lead, self.plan.cday[start]) for stage, lead, start in usage)
        kinds = self.expanded.setdefault(state, set())
        if kind in kinds or len(kinds) >= self.wanted:
            return False
        kinds.add(kind)
        return True

    def expand(self, node: _Node) -> int:
        """Push the children of ``node``; returns how many stages it tried."""
        plan = self.plan
        if self.order_fixed:
            choices = [node.depth]
        else:
            choices = [s for s in range(self.stages) if not node.done >> s & 1]
        usage = list(_walk(node.path))
        for stage in choices:
            remaining = [s for s in range(self.stages) if not node.done >> s & 1 and s != stage]
            cap = len(remaining) + self.wanted
            for child_cost, start, lead in self.candidates(stage, node, usage, cap):
                day = plan.cday[start]
                end = start + plan.durations[stage]
                first_day = day if node.first_day < 0 else node.first_day
                child = _Node(
                    t=end + plan.brk,
                    done=node.done | (1 << stage),
                    cost=node.cost + child_cost,
                    days=node.days + (day != node.last_day),
                    last_day=day,
                    first_day=first_day,
                    depth=node.depth + 1,
                    path=(stage, lead, start, node.path),
                )
                if not remaining:
                    key: Key | None = (day, child.cost, child.days, end)
                else:
                    key = self.bound(child.t, remaining, child.cost, child.days, day, first_day)
                if key is not None:
                    self.push(key, child)
        return len(choices)

    def _repeat_mask(
        self, lead: Lead, stage: int, usage: list[tuple[int, int, int]]
    ) -> tuple[int, dict[int, int]]:
        """For a repeat: the start mask minus days/weeks this loop fills, and week counts."""
        mask = lead.startable[stage]
        days: Counter[int] = Counter()
        weeks: Counter[int] = Counter()
        for _, other, start in usage:
            if other == lead.index:
                days[lead.zone.day_of[start]] += 1
                weeks[lead.zone.week_of[start]] += 1
        for ordinal, count in days.items():
            if lead.day_load[ordinal] + count >= lead.person.max_per_day:
                mask &= ~span_mask(*lead.zone.day_ranges[ordinal])
        for week, count in weeks.items():
            if lead.week_load[week] + count >= lead.person.max_per_week:
                mask &= ~span_mask(*lead.zone.week_ranges[week])
        return mask, dict(weeks)

    def candidates(
        self, stage: int, node: _Node, usage: list[tuple[int, int, int]], cap: int
    ) -> list[tuple[int, int, int]]:
        """Undominated ``(cost, start, lead)`` children placing ``stage`` after ``node``."""
        plan = self.plan
        cday = plan.cday
        t, last_day, first_day = node.t, node.last_day, node.first_day
        used = {lead for _, lead, _ in usage}
        locked = first_day if self.same_day and first_day >= 0 else -1
        today = last_day if last_day >= 0 and cday[t] == last_day else -1
        by_day: dict[int, list[tuple[int, int, int]]] = {}
        later: list[tuple[Lead, int, int, dict[int, int]]] = []
        no_repeats: dict[int, int] = {}
        for lead in plan.leads[stage]:
            if lead.index in used:
                if self.distinct:
                    continue
                mask, weeks = self._repeat_mask(lead, stage, usage)
            else:
                mask, weeks = lead.startable[stage], no_repeats
            rest = mask >> t
            if not rest:
                continue
            start = t + lowest_bit(rest)
            day = cday[start]
            if locked >= 0 and day != locked:
                continue
            week = lead.zone.week_of[start]
            cost = lead.week_cost[week] + 2 * weeks.get(week, 0)
            by_day.setdefault(day, []).append((cost, start, lead.index))
            if locked < 0:
                later.append((lead, mask, start, weeks))
        # Someone on a day the loop already uses beats anyone on a later day who is not
        # cheaper; with ``cap`` such people, costlier later-day children are pointless.
        ceiling = INF
        if today >= 0 and len(by_day.get(today, ())) >= cap:
            ceiling = sorted(c for c, _, _ in by_day[today])[cap - 1]
        size = plan.size
        for lead, mask, start, weeks in later:
            if lead.min_cost >= ceiling:
                continue
            week_of, segment_end, week_cost = lead.zone.week_of, lead.zone.segment_end, lead.week_cost
            first = cday[start]
            best_first = week_cost[week_of[start]] + 2 * weeks.get(week_of[start], 0)
            position = segment_end[start]
            while position < size:
                rest = mask >> position
                if not rest:
                    break
                nxt = position + lowest_bit(rest)
                week = week_of[nxt]
                cost = week_cost[week] + 2 * weeks.get(week, 0)
                day = cday[nxt]
                if day == first:
                    if cost < best_first:  # same day, later, only worth it if cheaper
                        best_first = cost
                        by_day[day].append((cost, nxt, lead.index))
                elif cost < ceiling:
                    by_day.setdefault(day, []).append((cost, nxt, lead.index))
                position = segment_end[nxt]
        children: list[tuple[int, int, int]] = []
        for day in sorted(by_day):
            items = by_day[day]
            items.sort()
            kept: list[tuple[int, int, int]] = []
            for cost, start, lead_index in items:
                if day != today and cost >= ceiling:
                    continue
                rivals = {k for _, s, k in kept if s <= start and k != lead_index}
                if len(rivals) >= cap:
                    continue
                if self.distinct and any(k == lead_index and s <= start for _, s, k in kept):
                    continue
                kept.append((cost, start, lead_index))
            children.extend(kept)
        return children


def search(plan: Plan, *, wanted: int, distinct: bool, budget: int) -> SearchResult:
    """The ``wanted`` best loops (fewer if fewer exist), best first; see ``_Search.run``."""
    if plan.size == 0 or any(not leads for leads in plan.leads):
        return SearchResult((), False, 0)
    return _Search(plan, wanted=wanted, distinct=distinct).run(budget)
