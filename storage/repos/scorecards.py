"""Scorecards: drafts, idempotent submission, and reading them back for a debrief.

Rules enforced here, whoever calls:

* only the interviewer assigned to the interview writes its scorecard;
* one scorecard per interview (also a UNIQUE constraint in the database);
* a submitted scorecard is final: drafts cannot overwrite it, and submitting it again
  (Slack retry, double click) returns the stored one and changes nothing.

Concurrency: the scorecard row is read ``FOR UPDATE`` (PostgreSQL) or under SQLite's
write lock (``BEGIN IMMEDIATE``), and a first insert runs in a SAVEPOINT, so two
replicas racing on the same submission end with one row and one ``created_now=True``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from storage.enums import InterviewStatus, PanelStatus, ScorecardStatus
from storage.errors import AlreadySubmitted, IncompleteScorecard, InvalidState, NotAllowed
from storage.inputs import ScorecardInput
from storage.models import Interview, Panel, Rating, Scorecard
from storage.repos._base import require_id
from storage.repos.panels import PanelsRepo

__all__ = ["ScorecardBundle", "ScorecardsRepo"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScorecardBundle:
    """A scorecard with its interview (stage, interviewer) and its ratings."""

    interview: Interview
    scorecard: Scorecard
    ratings: tuple[Rating, ...]


class ScorecardsRepo(PanelsRepo):
    """Scorecards and ratings of a workspace."""

    def scorecard_for_interview(self, ws: str, interview_id: int) -> ScorecardBundle | None:
        """The interview's scorecard (draft or submitted) with ratings, if one exists.

        Callers showing it to someone other than its author must apply the
        independence rule (see :meth:`has_submitted`).
        """
        interview = self.get_interview(ws, interview_id)
        scorecard = self._scorecard_row(ws, interview_id)
        if scorecard is None:
            return None
        return ScorecardBundle(interview, scorecard, tuple(self._ratings(ws, [scorecard])))

    def save_draft(
        self, ws: str, interview_id: int, interviewer_id: str, data: ScorecardInput
    ) -> Scorecard:
        """Create or overwrite the interviewer's draft.

        Raises :class:`NotAllowed` for anyone but the assigned interviewer and
        :class:`AlreadySubmitted` once the scorecard is submitted.
        """
        interview = self._writable_interview(ws, interview_id, interviewer_id)
        scorecard, _ = self._lock_or_create(ws, interview)
        if scorecard.status == ScorecardStatus.SUBMITTED:
            raise AlreadySubmitted(interview_id)
        self._write(ws, scorecard, data, self._now())
        logger.info(
            "storage.scorecard.draft_saved",
            extra={"workspace_id": ws, "interview_id": interview_id},
        )
        return scorecard

    def submit_scorecard(
        self,
        ws: str,
        interview_id: int,
        interviewer_id: str,
        data: ScorecardInput,
        now: datetime | None = None,
    ) -> tuple[Scorecard, bool]:
        """Submit the scorecard; returns ``(scorecard, created_now)``.

        Idempotent: if it is already submitted, returns ``(stored, False)`` and ignores
        ``data``. On the first submission the interview becomes ``completed``, and the
        panel too once every interview that was not cancelled has a submitted scorecard.
        """
        interview = self._writable_interview(ws, interview_id, interviewer_id, allow_done=True)
        existing = self._scorecard_row(ws, interview_id, lock=True)
        if existing is not None and existing.status == ScorecardStatus.SUBMITTED:
            return self._repeated(ws, existing)
        # Refuse before writing anything, so a refused form leaves no stray draft.
        if interview.status == InterviewStatus.CANCELLED:
            raise InvalidState("This interview was cancelled, so it needs no scorecard.")
        if data.recommendation is None:
            raise IncompleteScorecard("Choose an overall recommendation before you submit.")
        scorecard = existing
        if scorecard is None:
            scorecard, _ = self._lock_or_create(ws, interview)
            if scorecard.status == ScorecardStatus.SUBMITTED:  # lost a race to a replica
                return self._repeated(ws, scorecard)
        at = self._now(now)
        self._write(ws, scorecard, data, at)
        scorecard.status = ScorecardStatus.SUBMITTED
        scorecard.submitted_at = at
        interview.status = InterviewStatus.COMPLETED
        self.session.add_all([scorecard, interview])
        self.session.flush()
        self._complete_panel_if_done(ws, interview.panel_id)
        self.append_audit(
            ws,
            actor_id=interviewer_id,
            action="scorecard.submitted",
            subject_type="scorecard",
            subject_id=require_id(scorecard),
            details={"interview_id": interview_id, "panel_id": interview.panel_id},
            at=at,
        )
        logger.info(
            "storage.scorecard.submitted",
            extra={
                "workspace_id": ws,
                "interview_id": interview_id,
                "panel_id": interview.panel_id,
            },
        )
        return scorecard, True

    def scorecards_for_panel(
        self, ws: str, panel_id: int, submitted_only: bool = True
    ) -> list[ScorecardBundle]:
        """The panel's scorecards with interviews and ratings, in interview time order."""
        stmt = (
            select(Interview, Scorecard)
            .join(Scorecard, col(Scorecard.interview_id) == col(Interview.id))
            .where(
                Interview.workspace_id == ws,
                Scorecard.workspace_id == ws,
                Interview.panel_id == panel_id,
            )
            .order_by(col(Interview.starts_at), col(Interview.id))
        )
        if submitted_only:
            stmt = stmt.where(Scorecard.status == ScorecardStatus.SUBMITTED)
        pairs = list(self.session.exec(stmt).all())
        by_card: dict[int, list[Rating]] = {require_id(card): [] for _, card in pairs}
        for rating in self._ratings(ws, [card for _, card in pairs]):
            by_card[rating.scorecard_id].append(rating)
        return [
            ScorecardBundle(interview, card, tuple(by_card[require_id(card)]))
            for interview, card in pairs
        ]

    def has_submitted(self, ws: str, panel_id: int, user_id: str) -> bool:
        """Whether ``user_id`` submitted a scorecard in this panel.

        The independence rule: an interviewer sees colleagues' scorecards only after
        this is true for them.
        """
        stmt = (
            select(Scorecard.id)
            .join(Interview, col(Scorecard.interview_id) == col(Interview.id))
            .where(
                Scorecard.workspace_id == ws,
                Interview.workspace_id == ws,
                Interview.panel_id == panel_id,
                Scorecard.interviewer_id == user_id,
                Scorecard.status == ScorecardStatus.SUBMITTED,
            )
            .limit(1)
        )
        return self.session.exec(stmt).first() is not None

    def interviews_awaiting_feedback(
        self, ws: str, now: datetime, *, user_id: str | None = None
    ) -> list[Interview]:
        """Interviews that have ended, were not cancelled, and have no submitted scorecard."""
        submitted = select(Scorecard.interview_id).where(
            Scorecard.workspace_id == ws, Scorecard.status == ScorecardStatus.SUBMITTED
        )
        stmt = select(Interview).where(
            Interview.workspace_id == ws,
            col(Interview.ends_at) <= now,
            Interview.status != InterviewStatus.CANCELLED,
            col(Interview.id).not_in(submitted),
        )
        if user_id is not None:
            stmt = stmt.where(Interview.interviewer_id == user_id)
        stmt = stmt.order_by(col(Interview.ends_at), col(Interview.id))
        return list(self.session.exec(stmt).all())

    # --- internals -------------------------------------------------------------------

    def _repeated(self, ws: str, scorecard: Scorecard) -> tuple[Scorecard, bool]:
        logger.info(
            "storage.scorecard.submit_repeated",
            extra={"workspace_id": ws, "interview_id": scorecard.interview_id},
        )
        return scorecard, False

    def _writable_interview(
        self, ws: str, interview_id: int, interviewer_id: str, *, allow_done: bool = False
    ) -> Interview:
        interview = self.get_interview(ws, interview_id)
        if interview.interviewer_id != interviewer_id:
            raise NotAllowed(
                "Only the interviewer assigned to this interview can fill in its scorecard."
            )
        if interview.status == InterviewStatus.CANCELLED and not allow_done:
            raise InvalidState("This interview was cancelled, so it needs no scorecard.")
        return interview

    def _scorecard_row(self, ws: str, interview_id: int, *, lock: bool = False) -> Scorecard | None:
        stmt = select(Scorecard).where(
            Scorecard.workspace_id == ws, Scorecard.interview_id == interview_id
        )
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.exec(stmt).first()

    def _lock_or_create(self, ws: str, interview: Interview) -> tuple[Scorecard, bool]:
        """The interview's scorecard, locked; created as an empty draft if missing."""
        interview_id = require_id(interview)
        existing = self._scorecard_row(ws, interview_id, lock=True)
        if existing is not None:
            return existing, False
        now = self._now()
        card = Scorecard(
            workspace_id=ws,
            interview_id=interview_id,
            interviewer_id=interview.interviewer_id,
            status=ScorecardStatus.DRAFT,
            red_flags=[],
            created_at=now,
            updated_at=now,
        )
        try:
            with self.session.begin_nested():
                self.session.add(card)
        except IntegrityError:
            # Someone else created it between our read and our insert: use theirs.
            existing = self._scorecard_row(ws, interview_id, lock=True)
            if existing is None:
                raise
            return existing, False
        return card, True

    def _write(self, ws: str, card: Scorecard, data: ScorecardInput, at: datetime) -> None:
        """Copy the form onto the card; ratings are updated in place by competency."""
        card.recommendation = data.recommendation
        card.red_flags = list(data.red_flags)
        card.updated_at = at
        card_id = require_id(card)
        current = {r.competency_id: r for r in self._ratings(ws, [card])}
        wanted = {r.competency_id: r for r in data.ratings}
        for competency_id, rating in current.items():
            if competency_id not in wanted:
                self.session.delete(rating)
        for competency_id, given in wanted.items():
            row = current.get(competency_id)
            if row is None:
                row = Rating(
                    workspace_id=ws,
                    scorecard_id=card_id,
                    competency_id=competency_id,
                    level=given.level,
                    note=given.note,
                )
            else:
                row.level = given.level
                row.note = given.note
            self.session.add(row)
        self.session.add(card)
        self.session.flush()

    def _ratings(self, ws: str, cards: list[Scorecard]) -> list[Rating]:
        ids = [require_id(card) for card in cards]
        if not ids:
            return []
        stmt = (
            select(Rating)
            .where(Rating.workspace_id == ws, col(Rating.scorecard_id).in_(ids))
            .order_by(col(Rating.id))
        )
        return list(self.session.exec(stmt).all())

    def _complete_panel_if_done(self, ws: str, panel_id: int) -> None:
        """Mark the panel completed once every live interview has a submitted scorecard.

        The panel row is locked first, so when the last two interviewers submit at the
        same moment the second one waits, then sees the first one's scorecard.
        """
        panel = self.session.exec(
            select(Panel)
            .where(Panel.workspace_id == ws, Panel.id == panel_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        if panel.status != PanelStatus.SCHEDULED:
            return
        live = set(
            self.session.exec(
                select(Interview.id).where(
                    Interview.workspace_id == ws,
                    Interview.panel_id == panel_id,
                    Interview.status != InterviewStatus.CANCELLED,
                )
            ).all()
        )
        submitted = set(
            self.session.exec(
                select(Scorecard.interview_id)
                .join(Interview, col(Scorecard.interview_id) == col(Interview.id))
                .where(
                    Scorecard.workspace_id == ws,
                    Interview.panel_id == panel_id,
                    Scorecard.status == ScorecardStatus.SUBMITTED,
                )
            ).all()
        )
        if live and live <= submitted:
            panel.status = PanelStatus.COMPLETED
            self.session.add(panel)
            self.session.flush()
