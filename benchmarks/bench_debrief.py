"""How long one debrief takes for a full loop: ``.venv/bin/python benchmarks/bench_debrief.py``.

The debrief is computed on the bot's request path (a ``/panel debrief`` command, the
channel post when the last card comes in), so it must stay well inside Slack's three
seconds even on a busy worker. The loop here is larger than a usual one: a kit of 12
competencies over 5 stages, and 8 submitted scorecards that each rate all 12 with a
note, a vote and a few red flags. Target: median <= 5 ms.
"""

from __future__ import annotations

import statistics
import time

from flows.debrief import (
    Debrief,
    ExpectedInterview,
    RatingEntry,
    ScorecardEntry,
    compute_debrief,
)
from rubrics.schema import Kit

LEVELS = ("strong_no", "no", "yes", "strong_yes")
COMPETENCIES = [f"competency-{n:02d}" for n in range(12)]
STAGES = ["screen", "coding", "design", "behavioural", "bar-raiser"]
RUNS = 5000
WARM_UP = 200


def build_kit() -> Kit:
    def levels(labels: tuple[str, ...]) -> list[dict[str, object]]:
        return [
            {"key": key, "label": label, "value": value}
            for value, (key, label) in enumerate(zip(LEVELS, labels, strict=True), start=1)
        ]

    return Kit.model_validate(
        {
            "id": "bench-kit",
            "role": "Benchmark engineer",
            "scale": levels(("Strong no", "No", "Yes", "Strong yes")),
            "recommendation_scale": levels(("Strong no hire", "No hire", "Hire", "Strong hire")),
            "competencies": [
                {"id": cid, "name": f"Competency {n}", "weight": 0.5 + (n % 4) * 0.5}
                for n, cid in enumerate(COMPETENCIES)
            ],
            "stages": [
                {
                    "key": key,
                    "title": key.title(),
                    "duration_minutes": 45,
                    "competencies": COMPETENCIES,
                    "questions": [
                        {
                            "id": f"{key}-q{n}",
                            "prompt": "Tell me about a time you did this.",
                            "competency": cid,
                            "anchors": {level: f"What {level} sounds like." for level in LEVELS},
                            "red_flags": ["Blames others", "Dismissive of questions"],
                        }
                        for n, cid in enumerate(COMPETENCIES)
                    ],
                }
                for key in STAGES
            ],
            "stage_weights": {"coding": 1.5, "design": 2.0, "bar-raiser": 0.7},
        }
    )


def build_loop() -> tuple[list[ExpectedInterview], list[ScorecardEntry]]:
    expected: list[ExpectedInterview] = []
    cards: list[ScorecardEntry] = []
    for n in range(8):
        interview_id = 1000 + n
        stage = STAGES[n % len(STAGES)]
        name = f"Interviewer {n}"
        expected.append(ExpectedInterview(interview_id, f"U{n:04d}", name, stage))
        ratings = tuple(
            RatingEntry(
                competency_id=cid,
                level=LEVELS[(n + c) % 4],
                note=f"Candidate gave a concrete example ({c}) with trade-offs and numbers.",
            )
            for c, cid in enumerate(COMPETENCIES)
        )
        flags: tuple[str, ...] = ("Blames others",) if n in (2, 5) else ()
        if n == 5:
            flags += ("Dismissive of questions",)
        cards.append(
            ScorecardEntry(
                interview_id=interview_id,
                interviewer_id=f"U{n:04d}",
                interviewer_name=name,
                stage_key=stage,
                ratings=ratings,
                recommendation=LEVELS[(n + 1) % 4],
                red_flags=flags,
                submitted=True,
            )
        )
    return expected, cards


def main() -> None:
    kit = build_kit()
    expected, cards = build_loop()

    def once() -> Debrief:
        return compute_debrief(kit=kit, expected=expected, scorecards=cards)

    for _ in range(WARM_UP):
        once()
    timings: list[float] = []
    for _ in range(RUNS):
        start = time.perf_counter()
        once()
        timings.append(time.perf_counter() - start)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(0.95 * len(timings)) - 1]
    result = once()
    print(
        f"compute_debrief: 12 competencies x 5 stages, 8 scorecards x 12 ratings, {RUNS} runs\n"
        f"  median {median * 1e3:.3f} ms   p95 {p95 * 1e3:.3f} ms   "
        f"{1 / median:,.0f} ops/s   (target: median <= 5 ms)\n"
        f"  score {result.display_score}, {result.recommendation}, "
        f"confidence {result.confidence.percent}%, alpha {result.alpha}"
    )


if __name__ == "__main__":
    main()
