"""Find a candidate by the name someone typed, forgiving case, accents and typos.

``/debrief priya`` should find "Priya Raman"; "Alex" with two Alexes in flight must
ask which one; "Pryia Ramen" should still be recognised or at least suggested.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

CLOSE_MATCH = 0.82
SUGGESTION = 0.5


def normalise(name: str) -> str:
    """Lower-case, accents removed, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


@dataclass(frozen=True, slots=True)
class NameMatch(Generic[T]):
    """Result of a lookup: one item, several to choose from, or suggestions."""

    found: T | None
    ambiguous: tuple[T, ...] = ()
    suggestions: tuple[T, ...] = ()


def _similarity(query: str, name: str) -> float:
    whole = difflib.SequenceMatcher(None, query, name).ratio()
    parts = [difflib.SequenceMatcher(None, query, part).ratio() for part in name.split()]
    return max([whole, *parts])


def match_name(query: str, items: Sequence[T], *, key: Callable[[T], str]) -> NameMatch[T]:
    """Match ``query`` against ``items`` by name.

    Order of preference: exact full name; names whose words start with every typed word
    (``pri ram``); then close fuzzy matches. One hit is ``found``; several are
    ``ambiguous``; none gives the best fuzzy ``suggestions``.
    """
    wanted = normalise(query)
    if not wanted:
        return NameMatch(found=None)
    names = [(item, normalise(key(item))) for item in items]
    exact = [item for item, name in names if name == wanted]
    if exact:
        return _result(exact)
    words = wanted.split()
    prefix = [
        item for item, name in names
        if all(any(part.startswith(word) for part in name.split()) for word in words)
    ]
    if prefix:
        return _result(prefix)
    scored = sorted(
        ((round(_similarity(wanted, name), 6), index) for index, (_, name) in enumerate(names)),
        key=lambda pair: (-pair[0], pair[1]),
    )
    close = [items[i] for score, i in scored if score >= CLOSE_MATCH]
    if close:
        return _result(close)
    suggestions = tuple(items[i] for score, i in scored[:3] if score >= SUGGESTION)
    return NameMatch(found=None, suggestions=suggestions)


def _result(hits: list[T]) -> NameMatch[T]:
    if len(hits) == 1:
        return NameMatch(found=hits[0])
    return NameMatch(found=None, ambiguous=tuple(hits))
