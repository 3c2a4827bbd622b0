"""The one exception type the CLI turns into a single error line."""

from __future__ import annotations


class CliError(Exception):
    """A problem the person at the terminal can fix; the message says how."""
