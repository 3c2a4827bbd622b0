"""Errors a person at the terminal can fix, shown as one line with a non-zero exit."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from bot.settings import SettingsError
from rubrics.loader import KitLoadError

P = ParamSpec("P")
R = TypeVar("R")

_stderr = Console(stderr=True)


class CliError(Exception):
    """A problem the person at the terminal can fix; the message says how."""


def friendly(command: Callable[P, R]) -> Callable[P, R]:
    """Turn known errors of ``command`` into ``error: …`` on stderr and exit code 1."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (CliError, SettingsError, KitLoadError) as exc:
            _stderr.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True, markup=True)
            raise typer.Exit(code=1) from None

    return run
