"""People and date-time inputs of Teams dialogs, which Adaptive Cards shape differently.

* A person is picked with Teams' People Picker: an ``Input.ChoiceSet`` extended with
  ``"choices.data": {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}``. It
  is Teams' documented extension and the one key of our cards outside the Adaptive Cards
  1.5 schema (whose ChoiceSet allows no extra keys). It submits the person's Azure AD
  object id, which is the Teams user id the handler resolves, as Slack's picker submits
  a Slack user id.
* Adaptive Cards have no date-time input, only ``Input.Date`` and ``Input.Time``, and
  they send what the person typed: a wall-clock date and time with no zone. So the
  dialog is rendered in, and read back in, the viewer's time zone (Teams puts it in
  ``activity.local_timezone``), and the two values are combined into the same raw value
  Slack's datetimepicker gives: Unix seconds as a string, which ``flows`` turns into a
  UTC instant. Wall-clock times that do not exist or repeat on a DST change resolve as
  ``zoneinfo`` does with ``fold=0`` (the offset before the change).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.teams.cards import Element
from flows.messages import ChannelInput, DateTimeInput, UserInput

PEOPLE_DATASET = "graph.microsoft.com/users"
DATE_SUFFIX = "__date"
TIME_SUFFIX = "__time"
DATE_FORMAT = "%Y-%m-%d"
TIME_FORMATS = ("%H:%M", "%H:%M:%S")
REQUIRED_PERSON = "Choose a person."
REQUIRED_DATE_TIME = "Pick a date and a time."


def zone(name: str | None) -> tzinfo:
    """The named IANA zone, or UTC when Teams sent none or one we do not know."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def zone_name(tz: tzinfo) -> str:
    return getattr(tz, "key", None) or "UTC"


def date_id(input_id: str) -> str:
    return f"{input_id}{DATE_SUFFIX}"


def time_id(input_id: str) -> str:
    return f"{input_id}{TIME_SUFFIX}"


def element_ids(item: UserInput | DateTimeInput) -> list[str]:
    """The card input ids one neutral input becomes."""
    if isinstance(item, UserInput):
        return [item.input_id]
    return [date_id(item.input_id), time_id(item.input_id)]


def user_element(item: UserInput, *, client_required: bool) -> Element:
    element: Element = {
        "type": "Input.ChoiceSet",
        "id": item.input_id,
        "label": item.label,
        "placeholder": "Choose a person",
        "choices": [],
        "choices.data": {"type": "Data.Query", "dataset": PEOPLE_DATASET},
    }
    if item.multiple:
        element["isMultiSelect"] = True
    if item.initial:
        element["value"] = item.initial
    if item.required and client_required:
        element["isRequired"] = True
        element["errorMessage"] = REQUIRED_PERSON
    return element


def channel_element(item: ChannelInput, *, client_required: bool) -> Element:
    """Adaptive Cards have no channel picker; Teams users paste the channel's id or link."""
    element: Element = {
        "type": "Input.Text",
        "id": item.input_id,
        "label": item.label,
        "placeholder": "Channel id, e.g. 19:abc...@thread.tacv2",
        "maxLength": 300,
    }
    if item.initial:
        element["value"] = item.initial
    if item.required and client_required:
        element["isRequired"] = True
        element["errorMessage"] = "Enter the channel."
    return element


def date_time_elements(item: DateTimeInput, *, tz: tzinfo, client_required: bool) -> list[Element]:
    """A date input labelled with the input's label, then a time input naming the zone."""
    date: Element = {"type": "Input.Date", "id": date_id(item.input_id), "label": item.label}
    time: Element = {
        "type": "Input.Time",
        "id": time_id(item.input_id),
        "label": f"Time ({zone_name(tz)})",
        "spacing": "Small",
    }
    if item.initial is not None:
        local = item.initial.astimezone(tz)
        date["value"] = local.strftime(DATE_FORMAT)
        time["value"] = local.strftime(TIME_FORMATS[0])
    if item.required and client_required:
        for element in (date, time):
            element["isRequired"] = True
            element["errorMessage"] = REQUIRED_DATE_TIME
    return [date, time]


def _clock(text: str) -> datetime | None:
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def date_time_value(data: Mapping[str, Any], item: DateTimeInput, *, tz: tzinfo) -> str | None:
    """Unix seconds (as a string) of the submitted date and time in ``tz``.

    None unless both halves were filled in; text that is not a date and a time comes
    back as it was sent, so the flow's own check reports it instead of it vanishing.
    """
    day = str(data.get(date_id(item.input_id)) or "").strip()
    clock = str(data.get(time_id(item.input_id)) or "").strip()
    if not day or not clock:
        return None
    parsed_clock = _clock(clock)
    try:
        parsed_day = datetime.strptime(day, DATE_FORMAT)
    except ValueError:
        return f"{day} {clock}"
    if parsed_clock is None:
        return f"{day} {clock}"
    local = datetime.combine(parsed_day.date(), parsed_clock.time(), tzinfo=tz)
    return str(int(local.timestamp()))
