"""``panelbot status``: what is waiting to be delivered, what failed, what is due."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table

from bot.cli_errors import friendly
from bot.context import open_engine, store_scope
from bot.settings import get_settings
from storage.repository import require_id

console = Console()


@friendly
def status_command() -> None:
    """Show pending and failed deliveries and due timers."""
    settings = get_settings()
    engine = open_engine(settings)
    now = datetime.now(UTC)
    with store_scope(engine) as store:
        pending = store.delivery_backlog(None)
        failed = store.failed_deliveries(None)
        due = store.pending_timers(None, due_before=now)
        upcoming = store.pending_timers(None)
    console.print(
        f"[bold]Pending deliveries:[/] {len(pending)}    [bold]Failed deliveries:[/] {len(failed)}"
        f"    [bold]Due timers:[/] {len(due)}    [bold]Scheduled timers:[/] {len(upcoming)}"
    )
    if failed:
        table = Table("#", "workspace", "kind", "recipient", "attempts", "error", title="Failed deliveries")
        for row in failed:
            table.add_row(str(require_id(row)), row.workspace_id, row.kind, row.recipient,
                          str(row.attempts), row.last_error or "")
        console.print(table)
    if due:
        table = Table("#", "kind", "interview", "due", "attempts", "last error", title="Due timers")
        for timer in due:
            table.add_row(str(require_id(timer)), timer.kind.value, str(timer.interview_id),
                          timer.due_at.isoformat(), str(timer.attempts), timer.last_error or "")
        console.print(table)
    if pending:
        table = Table("#", "kind", "recipient", "attempts", "next attempt", "last error", title="Pending")
        for row in pending:
            table.add_row(str(require_id(row)), row.kind, row.recipient, str(row.attempts),
                          row.next_attempt_at.isoformat() if row.next_attempt_at else "now",
                          row.last_error or "")
        console.print(table)
