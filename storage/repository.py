"""The storage API the rest of panelbot uses: one ``Store`` over one session.

    with session_scope(engine) as session:
        store = Store(session)
        card, created_now = store.submit_scorecard(ws, interview_id, user_id, form)

Every method takes the workspace id first and never returns another workspace's
rows. Methods never commit; the caller's ``session_scope`` does. Repository modules
under :mod:`storage.repos` hold the implementation, one area each.
"""

from __future__ import annotations

from storage.repos._base import Clock, require_id
from storage.repos.decisions import DecisionsRepo
from storage.repos.deliveries import DeliveriesRepo
from storage.repos.profiles import ProfilesRepo
from storage.repos.scorecards import ScorecardBundle
from storage.repos.timers import TimerSpec, TimersRepo

__all__ = ["Clock", "ScorecardBundle", "Store", "TimerSpec", "require_id"]


class Store(DecisionsRepo, DeliveriesRepo, TimersRepo, ProfilesRepo):
    """Requisitions, panels, scorecards, decisions, audit events, the delivery ledger,
    durable timers, the people directory cache, Teams conversation references and
    interviewer profiles.

    Construct one per session: ``Store(session)``; pass ``clock=`` to control time
    in tests and replays.
    """
