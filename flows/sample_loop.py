"""A realistic example loop: the people, times and scorecards behind demos and previews.

``panelbot demo``, the example messages and the renderer tests all draw on this one
story, so what a newcomer sees in the terminal is what the tests check. Ratings and
notes are keyed by stage and competency of the built-in ``backend-engineer`` kit; any
other kit gets middle ratings with neutral notes, so examples render for every kit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rubrics.schema import Kit

CANDIDATE = "Priya Raman"
ROLE_TITLE = "Senior Backend Engineer"
LOOP_START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SamplePerson:
    user_id: str
    name: str
    tz: str


RECRUITER = SamplePerson("U0RECRUIT", "Rosa Mendes", "Europe/Lisbon")
HIRING_MANAGER = SamplePerson("U0HIRINGM", "Dana Okafor", "America/New_York")
INTERVIEWERS = (
    SamplePerson("U0MAYA", "Maya Chen", "Europe/London"),
    SamplePerson("U0TOM", "Tom Becker", "Europe/Berlin"),
    SamplePerson("U0AISHA", "Aisha Bello", "Africa/Lagos"),
    SamplePerson("U0LUIS", "Luis Ortega", "America/Sao_Paulo"),
    SamplePerson("U0DANA", "Dana Okafor", "America/New_York"),
)

# (level, note) per stage and competency; notes are what an interviewer would write.
_CARDS: dict[str, dict[str, tuple[str, str]]] = {
    "screening": {
        "communication": ("yes", "Walked through her last two roles in order, with clear scope and "
                          "her own part in each; answered follow-ups directly."),
        "motivation": ("strong_yes", "Wants to own a platform service end to end; asked sharp "
                       "questions about our on-call rotation and error budgets."),
        "ownership": ("yes", "Carried the pager for the payments API and described a 3am "
                      "rollback she led, including the write-up afterwards."),
    },
    "coding": {
        "coding": ("yes", "Token bucket limiter working in 35 minutes with tests for burst and "
                   "refill; missed the clock-skew edge case until prompted."),
        "api_design": ("yes", "Sensible resource names and status codes; added idempotency keys "
                       "for POST without being asked."),
        "data_modeling": ("no", "Added an index on every filtered column without checking the "
                          "plan; needed a hint to look at EXPLAIN output."),
        "problem_solving": ("yes", "Broke the race condition down clearly and compared a row lock "
                            "with an optimistic version check before choosing."),
    },
    "system-design": {
        "system_design": ("strong_yes", "Clarified read/write ratio and expiry first, then a Base62 "
                          "key service with a cache in front; sized it on the board."),
        "async_systems": ("yes", "Job queue with retries, backoff and a dead-letter queue; "
                          "idempotent consumers keyed by job id."),
        "reliability": ("strong_yes", "Planned for cache failure with a fallback path and jittered "
                        "TTLs against stampedes; named the metrics she would alert on."),
        "data_modeling": ("yes", "Chose the mapping table's keys from the lookup path and kept "
                          "click analytics out of the redirect path."),
    },
    "behavioral": {
        "communication": ("yes", "Told the story of misreading a product request and how she now "
                          "restates requirements back before starting."),
        "collaboration": ("yes", "Took blunt review feedback on a migration and changed the "
                          "rollout plan; credited the reviewer."),
        "ownership": ("no", "The failed caching project story stayed vague about her own "
                      "decisions and what she would do differently."),
        "reliability": ("no", "Incident answer focused on the fix, not on detection, the "
                        "timeline or the follow-up actions."),
    },
    "hiring-manager": {
        "async_systems": ("strong_yes", "Moved invoice generation to an event-driven pipeline with "
                          "ordering per account and poison-message handling."),
        "system_design": ("yes", "Drew clean service boundaries and explained why each service "
                          "owns its data."),
        "data_modeling": ("yes", "Walked through a zero-downtime column migration with backfill "
                          "and dual writes."),
        "motivation": ("yes", "Wants to grow into a tech lead role within two years; realistic "
                       "about the path."),
    },
}

_RECOMMENDATIONS = {
    "screening": "yes",
    "coding": "yes",
    "system-design": "strong_yes",
    "behavioral": "no",
    "hiring-manager": "yes",
}

_RED_FLAGS = {"behavioral": ("Hid or played down the failure from their team",)}


@dataclass(frozen=True, slots=True)
class SampleCard:
    stage_key: str
    interviewer: SamplePerson
    starts_at: datetime
    ends_at: datetime
    ratings: dict[str, tuple[str, str]]
    recommendation: str
    red_flags: tuple[str, ...]


def sample_cards(kit: Kit) -> list[SampleCard]:
    """One card per stage of ``kit``: interviews on consecutive slots from LOOP_START."""
    cards: list[SampleCard] = []
    start = LOOP_START
    middle = kit.scale[len(kit.scale) // 2].key
    for index, stage in enumerate(kit.stages):
        person = INTERVIEWERS[index % len(INTERVIEWERS)]
        story = _CARDS.get(stage.key, {}) if kit.id == "backend-engineer" else {}
        ratings = {
            competency: story.get(
                competency, (middle, "Met the bar on the questions asked; no standout moments.")
            )
            for competency in stage.competencies
        }
        flags = tuple(f for f in _RED_FLAGS.get(stage.key, ()) if f in stage.red_flags())
        rec_keys = {level.key for level in kit.recommendation_scale}
        recommendation = _RECOMMENDATIONS.get(stage.key, "")
        cards.append(
            SampleCard(
                stage_key=stage.key,
                interviewer=person,
                starts_at=start,
                ends_at=start + timedelta(minutes=stage.duration_minutes),
                ratings=ratings,
                recommendation=recommendation if recommendation in rec_keys else middle,
                red_flags=flags,
            )
        )
        start += timedelta(minutes=stage.duration_minutes + 15)
    return cards
