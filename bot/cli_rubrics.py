"""``panelbot rubrics``: list, show and validate kits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli_errors import CliError, friendly
from bot.settings import get_settings
from rubrics.loader import KIT_SUFFIXES, KitLoadError, KitRegistry, UnknownKitError, load_kit_file
from rubrics.schema import Kit

rubrics_app = typer.Typer(no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


def load_registry() -> KitRegistry:
    try:
        return KitRegistry.load(get_settings().kits_dir)
    except KitLoadError as exc:
        raise CliError(str(exc)) from None


def get_kit(kit_id: str) -> Kit:
    try:
        return load_registry().get(kit_id)
    except UnknownKitError as exc:
        raise CliError(f"{exc}; see `panelbot rubrics list`") from None


def _kit_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in KIT_SUFFIXES))
        else:
            files.append(path)
    return files


@rubrics_app.command("validate")
@friendly
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Kit files or directories of kits.")],
) -> None:
    """Check kit files; print each problem as FILE: PATH: PROBLEM."""
    files = _kit_files(paths)
    if not files:
        raise CliError("no kit files found (kits end in .yaml or .yml)")
    failed = 0
    for path in files:
        try:
            kit = load_kit_file(path)
        except KitLoadError as exc:
            failed += 1
            for problem in exc.problems:
                err_console.print(f"[red]✗[/] {exc.source}: {problem}", highlight=False)
            continue
        questions = sum(len(stage.questions) for stage in kit.stages)
        console.print(
            f"[green]✓[/] {path}: kit '{kit.id}' is valid "
            f"({len(kit.stages)} stages, {questions} questions)",
            highlight=False,
        )
    if failed:
        raise typer.Exit(code=1)


@rubrics_app.command("list")
@friendly
def list_kits() -> None:
    """List the built-in and user kits."""
    table = Table("id", "role", "stages", "questions", "source")
    for source in load_registry().sources():
        kit = source.kit
        table.add_row(
            kit.id,
            kit.role,
            str(len(kit.stages)),
            str(sum(len(s.questions) for s in kit.stages)),
            source.origin,
        )
    console.print(table)


@rubrics_app.command("show")
@friendly
def show(
    kit_id: Annotated[str, typer.Argument(help="Kit id, e.g. backend-engineer.")],
    stage: Annotated[str | None, typer.Option("--stage", help="Show one stage in full.")] = None,
) -> None:
    """Show a kit's stages, or one stage's questions with every anchor."""
    kit = get_kit(kit_id)
    if stage is None:
        console.print(f"[bold]{kit.role}[/] ({kit.id})  {kit.description}", highlight=False)
        console.print("Scale: " + " < ".join(level.label for level in kit.scale))
        table = Table("stage", "title", "minutes", "weight", "competencies", "questions")
        for item in kit.stages:
            table.add_row(
                item.key,
                item.title,
                str(item.duration_minutes),
                f"{kit.stage_weight(item.key):g}",
                ", ".join(item.competencies),
                str(len(item.questions)),
            )
        console.print(table)
        weights = Table("competency", "name", "weight")
        for competency in kit.competencies:
            weights.add_row(competency.id, competency.name, f"{competency.weight:g}")
        console.print(weights)
        return
    keys = [s.key for s in kit.stages]
    if stage not in keys:
        raise CliError(f"kit '{kit.id}' has no stage '{stage}' (stages: {', '.join(keys)})")
    chosen = kit.stage(stage)
    console.print(
        f"[bold]{chosen.title}[/] · {chosen.duration_minutes} min · {chosen.purpose}",
        highlight=False,
    )
    for index, question in enumerate(chosen.questions, start=1):
        console.rule(f"Q{index} · {kit.competency(question.competency).name}")
        console.print(question.prompt, highlight=False)
        for level in kit.scale:
            console.print(f"  [bold]{level.label}[/]: {question.anchors[level.key]}", highlight=False)
        for title, items in (
            ("Listen for", question.positive_indicators),
            ("Watch for", question.negative_indicators),
            ("Red flags", question.red_flags),
            ("Follow-ups", question.follow_ups),
        ):
            if items:
                console.print(f"  {title}: " + "; ".join(items), highlight=False)
