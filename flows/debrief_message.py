"""The debrief as a message for the hiring channel, built from a computed ``Debrief``.

Order follows how a hiring manager reads: the verdict and why, how sure we are, where
the panel disagreed, red flags, then the evidence. Until someone decides, the message
carries Approve / Reject / More interviews; afterwards the decision replaces them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.debrief import Debrief, RatingDetail
from flows.decision import DecisionData, decision_section
from flows.messages import (
    Action,
    ActionId,
    ButtonStyle,
    Fact,
    Message,
    MessageKind,
    Section,
    Tone,
)
from flows.state import encode_state

QUOTE_LIMIT = 280

_RECOMMENDATION_TONES = {"strong_yes": Tone.GOOD, "yes": Tone.GOOD, "no": Tone.WARNING}


@dataclass(frozen=True, slots=True, kw_only=True)
class DebriefData:
    debrief: Debrief
    candidate_name: str
    role_title: str
    panel_id: int
    decision: DecisionData | None = None


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _quote(detail: RatingDetail) -> str:
    note = " ".join(detail.note.split())
    if len(note) > QUOTE_LIMIT:
        note = note[: QUOTE_LIMIT - 1].rstrip() + "…"
    said = f": “{note}”" if note else ""
    return f"{detail.interviewer_name} ({detail.stage_title}, {detail.level_label}){said}"


def decision_actions(panel_id: int) -> tuple[Action, ...]:
    state = encode_state("debrief", panel=panel_id)
    return (
        Action(ActionId.APPROVE, "Approve", state, ButtonStyle.PRIMARY),
        Action(ActionId.REJECT, "Reject", state, ButtonStyle.DANGER),
        Action(ActionId.MORE_INTERVIEWS, "More interviews", state),
    )


def _verdict(d: Debrief) -> Section:
    score = "no ratings yet" if d.score is None else f"{_score(d.score)}/100"
    band = f" · {d.band.label}" if d.band else ""
    alpha = "n/a (needs two raters on one competency)" if d.alpha is None else f"{d.alpha:.2f}"
    c = d.confidence
    return Section(
        heading="Recommendation",
        text=d.summary,
        facts=(
            Fact("Score", f"{score}{band}"),
            Fact("Recommendation", d.recommendation_label or "none yet"),
            Fact("Confidence", f"{c.percent}%"),
            Fact("Scorecards", f"{d.submitted_count} of {d.expected_count} submitted"),
            Fact(
                "Confidence from",
                f"coverage {c.coverage:.0%}, agreement {c.agreement:.0%}"
                f"{'' if c.agreement_measured else ' (not measurable)'}, evidence {c.evidence:.0%}",
            ),
            Fact("Inter-rater alpha", alpha),
        ),
        bullets=tuple(reason.text for reason in d.recommendation_reasons),
    )


def _breakdown(d: Debrief) -> tuple[Section, ...]:
    competencies = tuple(
        f"{c.name} (weight {c.weight:g}): {_score(c.display_score)}"
        + (f" · {c.mean_level_label}" if c.mean_level_label else "")
        + f" · {c.rating_count} rating{'s' if c.rating_count != 1 else ''}"
        for c in d.competencies
        if c.rating_count
    )
    stages = tuple(
        f"{s.stage_title} · {s.interviewer_name}: "
        + (
            f"{_score(s.display_score)} · {s.recommendation_label or 'no recommendation'}"
            if s.status == "submitted"
            else "scorecard missing"
        )
        for s in d.stages
    )
    return (
        Section(heading="By competency", bullets=competencies or ("No ratings yet.",)),
        Section(heading="By stage", bullets=stages),
    )


def _discussion(d: Debrief) -> tuple[Section, ...]:
    sections: list[Section] = []
    if d.disagreements:
        sections.append(
            Section(
                heading="Disagreements to discuss",
                bullets=tuple(
                    f"{item.name} (spread {item.spread} levels): "
                    + "; ".join(_quote(r) for r in item.ratings)
                    for item in d.disagreements
                ),
            )
        )
    if d.red_flags:
        sections.append(
            Section(
                heading="Red flags",
                bullets=tuple(
                    f"{flag.text} (raised by {', '.join(flag.interviewer_names)})"
                    for flag in d.red_flags
                ),
            )
        )
    for heading, items in (("Strengths", d.strengths), ("Concerns", d.concerns)):
        if items:
            sections.append(
                Section(
                    heading=heading,
                    bullets=tuple(
                        f"{h.name} ({h.display_score:.1f})"
                        + ("; ".join([""] + [_quote(e) for e in h.evidence]) if h.evidence else "")
                        for h in items
                    ),
                )
            )
    if d.missing:
        sections.append(
            Section(
                heading="Missing scorecards",
                bullets=tuple(f"{m.stage_title}: {m.interviewer_name}" for m in d.missing),
            )
        )
    return tuple(sections)


def build_debrief_message(data: DebriefData) -> Message:
    """The channel post; buttons until decided, the decision afterwards."""
    d = data.debrief
    title = f"Debrief: {data.candidate_name}, {data.role_title}"
    sections = (_verdict(d), *_discussion(d), *_breakdown(d))
    if data.decision is not None:
        return Message(
            kind=MessageKind.DEBRIEF,
            title=title,
            summary=f"Debrief for {data.candidate_name}: decided.",
            sections=(decision_section(data.decision), *sections),
            tone=Tone.NEUTRAL,
            footer="Decision recorded in the audit log.",
        )
    recommendation = d.recommendation_label or "no recommendation yet"
    return Message(
        kind=MessageKind.DEBRIEF,
        title=title,
        summary=f"Debrief for {data.candidate_name}: {recommendation}, "
        f"score {_score(d.score)}, confidence {d.confidence.percent}%.",
        sections=sections,
        actions=decision_actions(data.panel_id),
        tone=_RECOMMENDATION_TONES.get(d.recommendation or "", Tone.DANGER),
        footer="Only a hiring manager of this requisition can decide.",
    )
