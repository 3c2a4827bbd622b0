"""People and date-time inputs: Teams' People Picker, and wall-clock times in the viewer's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.slack.forms import view_values
from bot.teams.pickers import PEOPLE_DATASET
from bot.teams.render import dialog_values, form_card, task_continue
from flows.messages import DateTimeInput, Form, FormKind, TextInput, UserInput
from rubrics.schema import Kit
from tests.teams.cardtools import CardValidator, inputs, without_teams_extensions
from tests.teams.examples import new_panel_example


def _form(*items: Any, draft: str | None = None) -> Form:
    return Form(
        kind=FormKind.NEW_PANEL,
        title="New loop",
        submit_label="Create",
        close_label="Cancel",
        state="{}",
        inputs=items,
        secondary_submit_label=draft,
    )


def test_new_panel_form_is_a_valid_card_apart_from_the_people_picker(
    kit: Kit, card_schema: CardValidator
) -> None:
    card = form_card(new_panel_example(kit), tz="Europe/Berlin")
    pickers = [e for e in inputs(card) if "choices.data" in e]
    assert pickers and all(
        e["choices.data"] == {"type": "Data.Query", "dataset": PEOPLE_DATASET} for e in pickers
    )
    # The People Picker key is Teams' documented extension, outside the 1.5 schema ...
    assert card_schema.problems(card) != []
    # ... and the only thing that is.
    assert card_schema.problems(without_teams_extensions(card)) == []


def test_people_picker_shape() -> None:
    (picker,) = inputs(form_card(_form(UserInput("who", "Interviewer", initial="aad-1"))))
    assert picker == {
        "type": "Input.ChoiceSet",
        "id": "who",
        "label": "Interviewer",
        "placeholder": "Choose a person",
        "choices": [],
        "choices.data": {"type": "Data.Query", "dataset": "graph.microsoft.com/users"},
        "value": "aad-1",
        "isRequired": True,
        "errorMessage": "Choose a person.",
    }
    raw = dialog_values({"who": "aad-2"}, form=_form(UserInput("who", "Interviewer")))
    assert raw == {"who": "aad-2"}
    assert dialog_values({"who": ""}, form=_form(UserInput("who", "I"))) == {"who": None}


def test_date_time_is_shown_in_the_viewers_zone() -> None:
    start = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    form = _form(DateTimeInput("start", "Start", initial=start, hint="Your time zone."))
    date, time, hint = form_card(form, tz="Europe/Berlin")["body"]
    assert (date["type"], date["id"], date["label"], date["value"]) == (
        "Input.Date",
        "start__date",
        "Start",
        "2026-11-24",
    )
    assert (time["type"], time["id"], time["value"]) == ("Input.Time", "start__time", "14:00")
    assert time["label"] == "Time (Europe/Berlin)"
    assert hint["text"] == "Your time zone."
    new_york = form_card(form, tz="America/New_York")["body"]
    assert (new_york[0]["value"], new_york[1]["value"]) == ("2026-11-24", "08:00")


def test_date_time_reads_back_as_the_same_unix_seconds_slack_sends() -> None:
    form = _form(DateTimeInput("start", "Start"))
    instant = datetime(2026, 11, 24, 13, 30, tzinfo=UTC)
    slack = view_values(
        {
            "start": {
                "start": {"type": "datetimepicker", "selected_date_time": int(instant.timestamp())}
            }
        }
    )
    teams = dialog_values(
        {"start__date": "2026-11-24", "start__time": "08:30"}, form=form, tz="America/New_York"
    )
    assert teams == slack == {"start": str(int(instant.timestamp()))}
    seconds = dialog_values(
        {"start__date": "2026-11-24", "start__time": "08:30:00"}, form=form, tz="America/New_York"
    )
    assert seconds == teams


def test_date_time_round_trips_through_the_card() -> None:
    start = datetime(2026, 7, 1, 6, 45, tzinfo=UTC)
    form = _form(DateTimeInput("start", "Start", initial=start))
    for tz in ("UTC", "Asia/Kolkata", "Australia/Lord_Howe", "America/Los_Angeles"):
        data = {e["id"]: e["value"] for e in inputs(form_card(form, tz=tz))}
        assert dialog_values(data, form=form, tz=tz) == {"start": str(int(start.timestamp()))}


def test_repeated_wall_clock_time_resolves_to_the_first() -> None:
    """25 Oct 2026, 02:30 happens twice in Berlin; a plain time input cannot say which."""
    form = _form(DateTimeInput("start", "Start"))
    raw = dialog_values(
        {"start__date": "2026-10-25", "start__time": "02:30"}, form=form, tz="Europe/Berlin"
    )
    first = datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # fold=0: CEST
    assert raw == {"start": str(int(first.timestamp()))}
    assert first.astimezone(UTC).hour == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, None),
        ({"start__date": "2026-11-24"}, None),
        ({"start__time": "10:00"}, None),
        ({"start__date": "", "start__time": ""}, None),
        ({"start__date": "tomorrow", "start__time": "10:00"}, "tomorrow 10:00"),
        ({"start__date": "2026-11-24", "start__time": "ten"}, "2026-11-24 ten"),
    ],
)
def test_incomplete_or_unreadable_date_times(data: dict[str, str], expected: str | None) -> None:
    form = _form(DateTimeInput("start", "Start"))
    assert dialog_values(data, form=form) == {"start": expected}


def test_unknown_or_missing_zone_falls_back_to_utc() -> None:
    start = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    form = _form(DateTimeInput("start", "Start", initial=start))
    for tz in (None, "", "Mars/Olympus_Mons", "../etc"):
        date, time = form_card(form, tz=tz)["body"]
        assert (date["value"], time["value"]) == ("2026-11-24", "13:00")
        assert time["label"] == "Time (UTC)"


def test_required_pickers_are_left_to_the_server_on_forms_with_a_draft() -> None:
    items = (UserInput("who", "Who"), DateTimeInput("when", "When"))
    strict = inputs(form_card(_form(*items)))
    assert [e.get("isRequired") for e in strict] == [True, True, True]
    relaxed = inputs(form_card(_form(*items, draft="Save draft")))
    assert all("isRequired" not in e for e in relaxed)


def test_date_time_error_follows_the_time_input() -> None:
    form = Form(
        kind=FormKind.NEW_PANEL,
        title="t",
        submit_label="s",
        close_label="c",
        state="{}",
        inputs=(DateTimeInput("when", "When"),),
        errors={"when": "This time is in the past; pick a later one."},
    )
    body = form_card(form)["body"]
    assert [e.get("id") for e in body[1:3]] == ["when__date", "when__time"]
    assert body[3]["text"] == "This time is in the past; pick a later one."


def test_generated_ids_may_not_collide() -> None:
    with pytest.raises(ValueError, match="repeats"):
        form_card(_form(DateTimeInput("when", "When"), TextInput("when__date", "x")))


def test_task_continue_passes_the_zone_on(kit: Kit) -> None:
    form = new_panel_example(kit)
    card = task_continue(form, tz="Asia/Kolkata")["task"]["value"]["card"]["content"]
    assert card == form_card(form, tz="Asia/Kolkata")
