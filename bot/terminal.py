"""Render a debrief for the terminal with rich: the same content as the channel post."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from flows.debrief import Debrief, RatingDetail

_REC_STYLES = {"strong_yes": "bold green", "yes": "green", "no": "yellow", "strong_no": "bold red"}


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _evidence(detail: RatingDetail) -> str:
    note = f": {detail.note}" if detail.note else ""
    return f"{detail.interviewer_name} ({detail.stage_title}, {detail.level_label}){note}"


def _quotes(details: tuple[RatingDetail, ...]) -> str:
    return "".join(f"\n      - {_evidence(detail)}" for detail in details)


def print_debrief(console: Console, debrief: Debrief, *, candidate: str, role: str) -> None:
    """Print the whole debrief in reading order."""
    d = debrief
    style = _REC_STYLES.get(d.recommendation or "", "bold")
    headline = Text.assemble(
        ("Score ", "dim"),
        (f"{_score(d.display_score)}/100", "bold"),
        (f"  {d.band.label if d.band else ''}", "bold"),
        ("   Recommendation ", "dim"),
        (d.recommendation_label or "none yet", style),
        ("   Confidence ", "dim"),
        (f"{d.confidence.percent}%", "bold"),
    )
    c = d.confidence
    basis = Text(
        f"coverage {c.coverage:.0%} ({d.submitted_count}/{d.expected_count} scorecards) · "
        f"agreement {c.agreement:.0%}{'' if c.agreement_measured else ' (not measurable)'} · "
        f"evidence {c.evidence:.0%} · "
        f"inter-rater alpha {'n/a' if d.alpha is None else f'{d.alpha:.2f}'}",
        style="dim",
    )
    reasons = Text("\n".join(f"• {r.text}" for r in d.recommendation_reasons))
    console.print(
        Panel(
            Group(headline, basis, Text(""), Text(d.summary), reasons),
            title=f"Debrief: {candidate}, {role}",
            title_align="left",
        )
    )

    competencies = Table(title="By competency", title_justify="left", expand=True)
    for column in ("competency", "weight", "score", "level", "ratings"):
        competencies.add_column(column, justify="right" if column in {"weight", "score", "ratings"} else "left")
    for item in d.competencies:
        competencies.add_row(
            item.name,
            f"{item.weight:g}",
            _score(item.display_score),
            item.mean_level_label or "not rated",
            str(item.rating_count),
        )
    console.print(competencies)

    stages = Table(title="By stage", title_justify="left", expand=True)
    for column in ("stage", "interviewer", "score", "recommendation"):
        stages.add_column(column)
    for stage in d.stages:
        submitted = stage.status == "submitted"
        stages.add_row(
            stage.stage_title,
            stage.interviewer_name,
            _score(stage.display_score) if submitted else "[red]missing[/]",
            stage.recommendation_label or "—",
        )
    console.print(stages)

    def bullets(title: str, lines: list[str], colour: str) -> None:
        if lines:
            console.print(f"[bold {colour}]{title}[/]")
            for line in lines:
                console.print(f"  • {line}", highlight=False)

    bullets(
        "Disagreements to discuss",
        [
            f"{item.name} (spread {item.spread} levels)" + _quotes(item.ratings)
            for item in d.disagreements
        ],
        "yellow",
    )
    bullets(
        "Red flags",
        [f"{flag.text} (raised by {', '.join(flag.interviewer_names)})" for flag in d.red_flags],
        "red",
    )
    bullets(
        "Strengths",
        [f"{h.name} ({h.display_score:.1f})" + _quotes(h.evidence) for h in d.strengths],
        "green",
    )
    bullets(
        "Concerns",
        [f"{h.name} ({h.display_score:.1f})" + _quotes(h.evidence) for h in d.concerns],
        "yellow",
    )
    bullets(
        "Missing scorecards",
        [f"{m.stage_title}: {m.interviewer_name}" for m in d.missing],
        "red",
    )
