"""``panelbot demo``: a whole loop on a throwaway SQLite database, no credentials.

It goes through the same storage, validation and debrief code as production, so what
it prints is what a hiring channel would see.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli_errors import CliError, friendly
from bot.cli_rubrics import load_registry
from bot.terminal import print_debrief
from flows.panel_debrief import panel_debrief, values_to_input
from flows.sample_loop import CANDIDATE, HIRING_MANAGER, RECRUITER, ROLE_TITLE, sample_cards
from flows.scorecard import ScorecardValues, submit_errors
from rubrics.loader import UnknownKitError
from storage import migrate
from storage.db import make_engine, session_scope
from storage.enums import Platform
from storage.inputs import InterviewPlan, PanelCreate, RequisitionCreate
from storage.repository import Store, require_id

console = Console()
DEMO_WORKSPACE = "T0DEMO"


@friendly
def demo_command(
    kit_id: Annotated[str, typer.Option("--kit", help="Kit to run the loop with.")] = "backend-engineer",
    keep: Annotated[
        Path | None,
        typer.Option("--keep", help="Keep the demo database in this directory.", file_okay=False),
    ] = None,
) -> None:
    """Run a whole interview loop locally and print the debrief."""
    try:
        kit = load_registry().get(kit_id)
    except UnknownKitError as exc:
        raise CliError(f"{exc}; see `panelbot rubrics list`") from None
    with tempfile.TemporaryDirectory(prefix="panelbot-demo-") as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{folder / 'panelbot-demo.db'}"
        console.print(f"[dim]Database: {url}[/]", highlight=False)
        migrate.upgrade(url)
        engine = make_engine(url)
        cards = sample_cards(kit)
        names = {card.interviewer.user_id: card.interviewer.name for card in cards}
        names |= {RECRUITER.user_id: RECRUITER.name, HIRING_MANAGER.user_id: HIRING_MANAGER.name}

        with session_scope(engine) as session:
            store = Store(session)
            for person in (RECRUITER, HIRING_MANAGER, *(c.interviewer for c in cards)):
                store.upsert_person(
                    DEMO_WORKSPACE, Platform.SLACK, person.user_id,
                    display_name=person.name, tz=person.tz,
                )
            requisition = store.create_requisition(
                DEMO_WORKSPACE,
                RequisitionCreate(
                    title=ROLE_TITLE, level="Senior", kit_id=kit.id, channel_id="C0HIRING",
                    hiring_managers=[HIRING_MANAGER.user_id], recruiters=[RECRUITER.user_id],
                ),
                actor_id=RECRUITER.user_id,
            )
            panel = store.create_panel(
                DEMO_WORKSPACE,
                PanelCreate(
                    requisition_id=require_id(requisition),
                    candidate_name=CANDIDATE,
                    created_by=RECRUITER.user_id,
                    interviews=[
                        InterviewPlan(
                            stage_key=card.stage_key, interviewer_id=card.interviewer.user_id,
                            starts_at=card.starts_at, ends_at=card.ends_at,
                            interviewer_tz=card.interviewer.tz,
                        )
                        for card in cards
                    ],
                ),
            )
            panel_id = require_id(panel)
        console.print(
            f"Requisition [bold]{ROLE_TITLE}[/] · candidate [bold]{CANDIDATE}[/] · "
            f"{len(cards)} interviews ({', '.join(s.title for s in kit.stages)})",
            highlight=False,
        )

        with session_scope(engine) as session:
            store = Store(session)
            interviews = store.panel_interviews(DEMO_WORKSPACE, panel_id)
            for interview, card in zip(interviews, cards, strict=True):
                values = ScorecardValues(
                    ratings={c: level for c, (level, _) in card.ratings.items()},
                    notes={c: note for c, (_, note) in card.ratings.items()},
                    recommendation=card.recommendation,
                    red_flags=card.red_flags,
                )
                errors = submit_errors(kit, card.stage_key, values)
                if errors:
                    raise CliError(f"demo scorecard for {card.stage_key} is invalid: {errors}")
                store.submit_scorecard(
                    DEMO_WORKSPACE, require_id(interview), card.interviewer.user_id,
                    values_to_input(values),
                )
                console.print(
                    f"  ✓ {card.interviewer.name} submitted the {kit.stage(card.stage_key).title} "
                    "scorecard",
                    highlight=False,
                )
            debrief = panel_debrief(store, DEMO_WORKSPACE, panel_id, kit, lambda uid: names.get(uid, uid))
        console.print()
        print_debrief(console, debrief, candidate=CANDIDATE, role=ROLE_TITLE)
        engine.dispose()
        if keep:
            console.print(f"[dim]Kept the database at {url}[/]", highlight=False)
