"""Example data the Teams tests share: a long message with buttons, and forms."""

from __future__ import annotations

from flows.decision import Outcome, build_reason_form
from flows.loops import new_panel_form
from flows.messages import (
    Action,
    ActionId,
    ButtonStyle,
    Fact,
    Form,
    Message,
    MessageKind,
    Section,
    Tone,
)
from rubrics.schema import Kit
from storage.models import Requisition


def reason_form() -> Form:
    return build_reason_form(panel_id=7, outcome=Outcome.REJECT, candidate_name="Priya Raman")


def debrief_like(sections: int = 60) -> Message:
    """A long synthetic message: too big for one card, with decision buttons."""
    return Message(
        kind=MessageKind.DEBRIEF,
        title="Debrief: Priya Raman",
        summary="Debrief for Priya Raman",
        sections=tuple(
            Section(
                heading=f"Stage {i}",
                text=f"Paragraph {i}. " + "Evidence from the interview, in detail. " * 12,
                facts=(Fact("Score", f"{i}/100"), Fact("Interviewer", f"Person {i}")),
                bullets=tuple(f"Point {i}.{j}: " + "observed behaviour " * 5 for j in range(4)),
            )
            for i in range(sections)
        ),
        actions=(
            Action(
                ActionId.APPROVE, "Approve", '{"k":"decision","panel":7,"v":1}', ButtonStyle.PRIMARY
            ),
            Action(
                ActionId.REJECT, "Reject", '{"k":"decision","panel":8,"v":1}', ButtonStyle.DANGER
            ),
            Action(ActionId.VIEW_SCORECARDS, "View scorecards", '{"k":"panel","panel":7,"v":1}'),
        ),
        footer="Computed from 4 of 5 scorecards.",
        tone=Tone.WARNING,
    )


def new_panel_example(kit: Kit) -> Form:
    """The loop form, with people and date-time inputs, for an unsaved requisition."""
    requisition = Requisition(
        id=3, workspace_id="T1", title="Senior Backend Engineer", kit_id=kit.id, channel_id="C1"
    )
    return new_panel_form(kit=kit, requisition=requisition)
