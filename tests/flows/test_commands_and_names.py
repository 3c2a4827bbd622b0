"""The shared command table and forgiving candidate lookup."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flows.candidates import match_name, normalise
from flows.commands import (
    CommandInvoked,
    CommandName,
    UnknownCommand,
    parse_command,
    slash_commands,
)

NAMES = ["Priya Raman", "Alex Thompson", "Alex Kim", "José Álvarez", "Sam Lee"]


def find(query: str) -> tuple[str | None, list[str], list[str]]:
    result = match_name(query, NAMES, key=lambda name: name)
    return result.found, list(result.ambiguous), list(result.suggestions)


def test_exact_and_case_insensitive() -> None:
    assert find("priya raman")[0] == "Priya Raman"
    assert find("  PRIYA   RAMAN ")[0] == "Priya Raman"


def test_accents_do_not_matter() -> None:
    assert find("jose alvarez")[0] == "José Álvarez"


def test_prefixes_of_words_match() -> None:
    assert find("pri ram")[0] == "Priya Raman"
    assert find("thompson")[0] == "Alex Thompson"


def test_ambiguous_name_lists_choices() -> None:
    found, ambiguous, _ = find("alex")
    assert found is None
    assert ambiguous == ["Alex Thompson", "Alex Kim"]


def test_typo_is_still_found() -> None:
    assert find("Pryia Raman")[0] == "Priya Raman"


def test_unknown_name_gets_suggestions() -> None:
    found, ambiguous, suggestions = find("Sem Leo")
    assert found is None and ambiguous == []
    assert suggestions and suggestions[0] == "Sam Lee"


def test_nothing_close_gives_nothing() -> None:
    assert find("zzzzzz") == (None, [], [])


@given(st.sampled_from(NAMES))
def test_every_full_name_finds_itself(name: str) -> None:
    assert find(name.upper())[0] == name


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


def test_commands_parse_with_aliases() -> None:
    parsed = parse_command("/debrief Priya Raman")
    assert isinstance(parsed, CommandInvoked)
    assert parsed.name is CommandName.DEBRIEF and parsed.argument == "Priya Raman"
    alias = parse_command("report Sam")
    assert isinstance(alias, CommandInvoked) and alias.name is CommandName.DEBRIEF


def test_unknown_command_suggests() -> None:
    parsed = parse_command("debreif Sam")
    assert isinstance(parsed, UnknownCommand)
    assert parsed.suggestions[0] == "debrief"
    assert "Did you mean `debrief`?" in parsed.message()


def test_slash_commands() -> None:
    assert slash_commands() == ["/panel", "/debrief"]
