"""``panelbot requisition``: open requisitions and see who may act on them."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from bot.cli_errors import CliError, friendly
from bot.cli_rubrics import get_kit
from bot.context import open_engine, store_scope
from bot.settings import get_settings
from storage.enums import MemberRole
from storage.inputs import RequisitionCreate
from storage.repository import require_id

requisition_app = typer.Typer(no_args_is_help=True)
console = Console()


def _validation_message(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False):
        field = ".".join(str(p) for p in item["loc"]) or "input"
        option = {"hiring_managers": "--hiring-manager", "recruiters": "--recruiter",
                  "channel_id": "--channel", "kit_id": "--kit", "title": "--title"}.get(field, field)
        parts.append(f"{option}: {item['msg']}")
    return "; ".join(parts)


@requisition_app.command("create")
@friendly
def create(
    title: Annotated[str, typer.Option("--title", help="Role title, e.g. 'Senior Backend Engineer'.")],
    kit: Annotated[str, typer.Option("--kit", help="Rubric kit id (see `panelbot rubrics list`).")],
    channel: Annotated[str, typer.Option("--channel", help="Hiring channel id, e.g. C0123ABCD.")],
    hiring_manager: Annotated[
        list[str], typer.Option("--hiring-manager", help="User id of a hiring manager; repeatable.")
    ],
    recruiter: Annotated[list[str], typer.Option("--recruiter", help="User id of a recruiter; repeatable.")],
    level: Annotated[str | None, typer.Option("--level", help="Level, e.g. Senior.")] = None,
) -> None:
    """Create a requisition: its kit, hiring channel, hiring managers and recruiters."""
    settings = get_settings()
    get_kit(kit)  # a clear error for an unknown kit before anything is written
    try:
        data = RequisitionCreate(
            title=title, level=level, kit_id=kit, channel_id=channel,
            hiring_managers=hiring_manager, recruiters=recruiter,
        )
    except ValidationError as exc:
        raise CliError(_validation_message(exc)) from None
    engine = open_engine(settings)
    with store_scope(engine) as store:
        requisition = store.create_requisition(settings.workspace_id, data, actor_id="cli")
        number = require_id(requisition)
    console.print(f"created requisition #{number}: {title} ({kit}) in {channel}", highlight=False)


@requisition_app.command("list")
@friendly
def list_requisitions() -> None:
    """List requisitions with their kit, channel and people."""
    settings = get_settings()
    engine = open_engine(settings)
    table = Table("#", "title", "level", "kit", "channel", "hiring managers", "recruiters")
    with store_scope(engine) as store:
        rows = store.list_requisitions(settings.workspace_id)
        for row in rows:
            number = require_id(row)
            table.add_row(
                str(number), row.title, row.level or "", row.kit_id, row.channel_id,
                ", ".join(store.members(settings.workspace_id, number, MemberRole.HIRING_MANAGER)),
                ", ".join(store.members(settings.workspace_id, number, MemberRole.RECRUITER)),
            )
    if not rows:
        console.print("no requisitions yet; create one with `panelbot requisition create --help`")
        return
    console.print(table)
