"""Whom to tell when Teams cannot reach someone: the recruiters of the requisition concerned.

A briefing to an interviewer who never installed panelbot would otherwise wait in the
ledger unnoticed. The delivery ledger calls :meth:`RecruiterNotices.__call__` each time
such a send fails; the notices' idempotency keys (per unreachable recipient,
requisition and recruiter) make each recruiter hear it once.

The requisition is found from the ledger key where the flows put it there
(``<ws>:interview:<id>:…``, ``<ws>:panel:<id>:…``), else from the recipient: the
requisitions whose hiring channel it is, or the person's latest interview and roles.
When the key names an interview, the notice names it too ("Priya Raman · Coding
interview"): the recruiter may know the interviewer by that, not by a Teams id.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from flows.feedback import KitSource, load_context
from flows.messages import Fact, Message, MessageKind, Section, Tone
from flows.outbound import Outbound, Recipient, RecipientKind
from storage.enums import MemberRole, Platform
from storage.errors import NotFound
from storage.models import Requisition
from storage.repository import Store, require_id

logger = logging.getLogger(__name__)

NOTICE_MARK = ":teams-unreachable:"
INSTALL_STEPS = "In Teams: Apps → search “panelbot” → Add."


@dataclass(frozen=True, slots=True)
class Concerned:
    """The requisitions a failed message belongs to, and its interview when it names one."""

    requisitions: list[Requisition]
    interview: str | None = None


class RecruiterNotices:
    """The delivery ledger's ``on_unreachable`` hook for Teams."""

    def __init__(self, kits: KitSource) -> None:
        self.kits = kits

    def __call__(self, store: Store, ws: str, outbound: Outbound, error: str) -> list[Outbound]:
        """Notices for the recruiters who can fix ``outbound``'s unreachable recipient."""
        if NOTICE_MARK in outbound.key:
            return []  # a notice that cannot be delivered itself: nobody left to tell
        concerned = self._by_key(store, ws, outbound.key)
        if not concerned.requisitions:
            concerned = Concerned(_by_recipient(store, ws, outbound.recipient))
        notices: list[Outbound] = []
        for requisition in concerned.requisitions:
            number = require_id(requisition)
            message = _notice(store, ws, outbound, requisition, concerned.interview)
            for recruiter in store.members(ws, number, MemberRole.RECRUITER):
                if recruiter == outbound.recipient.id:
                    continue
                key = f"{ws}{NOTICE_MARK}{outbound.recipient.encode()}:requisition:{number}:{recruiter}"
                notices.append(Outbound(key=key, recipient=Recipient.user(recruiter),
                                        message=message))
        if not notices:
            logger.warning("teams.unreachable_nobody_to_tell",
                           extra={"key": outbound.key,
                                  "recipient_kind": outbound.recipient.kind.value})
        return notices

    def _by_key(self, store: Store, ws: str, key: str) -> Concerned:
        match = re.match(rf"^{re.escape(ws)}:(interview|panel):(\d+):", key)
        if match is None:
            return Concerned([])
        kind, number = match.group(1), int(match.group(2))
        try:
            if kind == "panel":
                panel = store.get_panel(ws, number)
                return Concerned([store.get_requisition(ws, panel.requisition_id)])
            context = load_context(store, ws, number, self.kits)
            panel = store.get_panel(ws, context.interview.panel_id)
            requisition = store.get_requisition(ws, panel.requisition_id)
        except NotFound:
            return Concerned([])
        stage = context.kit.stage(context.interview.stage_key).title
        return Concerned([requisition], f"{context.candidate_name} · {stage}")


def _by_recipient(store: Store, ws: str, recipient: Recipient) -> list[Requisition]:
    if recipient.kind is RecipientKind.CHANNEL:
        return [r for r in store.list_requisitions(ws) if r.channel_id == recipient.id]
    found = store.requisitions_for_user(ws, recipient.id)
    interviews = store.interviews_for_user(ws, recipient.id)
    if interviews:
        panel = store.get_panel(ws, interviews[-1].panel_id)
        found.insert(0, store.get_requisition(ws, panel.requisition_id))
    unique = {require_id(r): r for r in found}
    return list(unique.values())


def _notice(
    store: Store, ws: str, outbound: Outbound, requisition: Requisition, interview: str | None
) -> Message:
    recipient = outbound.recipient
    waiting = outbound.message.kind.value.replace("_", " ")
    facts = [Fact("Requisition", requisition.title)]
    if interview:
        facts.append(Fact("Interview", interview))
    facts.append(Fact("Waiting", f"a {waiting}"))
    if recipient.kind is RecipientKind.CHANNEL:
        return Message(
            kind=MessageKind.NOTICE,
            title="panelbot cannot post in the hiring channel",
            summary=f"panelbot is not in the team of the hiring channel of {requisition.title}; "
            f"a {waiting} is waiting.",
            sections=(Section(
                text="Add panelbot to the team that owns the hiring channel (In Teams: Apps → "
                "search “panelbot” → Add to a team). Waiting posts go out on their own once it "
                "is there; panelbot keeps trying for a day.",
                facts=tuple(facts),
            ),),
            tone=Tone.WARNING,
        )
    known = store.get_person(ws, Platform.TEAMS, recipient.id)
    name = known.display_name if known else None
    who = name or ("The interviewer of " + interview if interview else "A person on this loop")
    them = name or "them"
    return Message(
        kind=MessageKind.NOTICE,
        title=f"{who} has not installed panelbot in Teams",
        summary=f"{who} has not installed panelbot in Teams; ask them to install it. "
        f"A {waiting} for them is waiting.",
        sections=(Section(
            text=f"panelbot cannot message {them} until they install it. Ask them to install "
            f"it: {INSTALL_STEPS} What is waiting for them goes out on its own once they do; "
            "panelbot keeps trying for a day.",
            facts=tuple(facts),
        ),),
        tone=Tone.WARNING,
    )
