"""One command table for every platform: names, aliases, usage and help text.

Slack registers ``/panel`` and ``/debrief`` as slash commands; Teams reads the same
words from a message. Both parse through :func:`parse_command`, so a typo gets the same
usage line and suggestions everywhere.
"""

from __future__ import annotations

import difflib
import shlex
from dataclasses import dataclass
from enum import StrEnum


class CommandName(StrEnum):
    PANEL = "panel"
    DEBRIEF = "debrief"
    SCORECARD = "scorecard"
    HELP = "help"


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: CommandName
    usage: str
    summary: str
    aliases: tuple[str, ...] = ()
    slash: bool = True


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        CommandName.PANEL,
        usage="panel [requisition | interviewer | help]",
        # Teams caps a command description at 128 characters (usage included).
        summary="Create an interview loop (recruiters), a requisition, or your interviewer profile.",
        aliases=("loop",),
    ),
    CommandSpec(
        CommandName.DEBRIEF,
        usage="debrief <candidate name>",
        summary="Post the debrief of a candidate's loop to the hiring channel "
        "(recruiters and hiring managers).",
        aliases=("report",),
    ),
    CommandSpec(
        CommandName.SCORECARD,
        usage="scorecard",
        summary="List your interviews waiting for a scorecard, with buttons to open them.",
        aliases=("scorecards", "feedback"),
        slash=False,
    ),
    CommandSpec(
        CommandName.HELP,
        usage="help",
        summary="Show what panelbot can do.",
        aliases=("?",),
        slash=False,
    ),
)


@dataclass(frozen=True, slots=True)
class CommandInvoked:
    """A neutral command event: who asked, what, and the rest of the line."""

    name: CommandName
    argument: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnknownCommand:
    word: str
    suggestions: tuple[str, ...]

    def message(self) -> str:
        hint = f" Did you mean `{self.suggestions[0]}`?" if self.suggestions else ""
        return f"Unknown command `{self.word}`.{hint} Try `help`."


def _lookup() -> dict[str, CommandSpec]:
    table: dict[str, CommandSpec] = {}
    for spec in COMMANDS:
        table[spec.name.value] = spec
        for alias in spec.aliases:
            table[alias] = spec
    return table


_TABLE = _lookup()


def spec_for(name: CommandName) -> CommandSpec:
    return next(spec for spec in COMMANDS if spec.name == name)


def slash_commands() -> list[str]:
    """The Slack slash commands, e.g. ``/panel``; the manifest must list exactly these."""
    return [f"/{spec.name.value}" for spec in COMMANDS if spec.slash]


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def parse_command(text: str) -> CommandInvoked | UnknownCommand:
    """Parse ``debrief Priya Raman`` (a leading ``/`` is ignored)."""
    stripped = text.strip().lstrip("/")
    word, _, rest = stripped.partition(" ")
    spec = _TABLE.get(word.lower())
    if spec is None:
        close = difflib.get_close_matches(word.lower(), list(_TABLE), n=2, cutoff=0.6)
        return UnknownCommand(word=word or "(empty)", suggestions=tuple(close))
    argument = rest.strip()
    return CommandInvoked(name=spec.name, argument=argument, words=tuple(_split(argument)))


def help_text() -> str:
    """Plain help listing every command with its usage."""
    lines = ["panelbot runs structured interview loops. Commands:"]
    lines.extend(f"• `{spec.usage}`: {spec.summary}" for spec in COMMANDS)
    return "\n".join(lines)
