"""Whatever the content, rendered cards are valid Adaptive Cards, fit Teams and lose no text."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from bot.teams.render import (
    CARD_BUDGET_BYTES,
    MAX_CARD_BYTES,
    action_element,
    card_size_bytes,
    dialog_values,
    form_card,
    message_cards,
)
from flows.messages import (
    Action,
    ActionId,
    ButtonStyle,
    Choice,
    ChoiceInput,
    DateTimeInput,
    Fact,
    Form,
    FormKind,
    Message,
    MessageKind,
    MultiChoiceInput,
    Section,
    TextInput,
    Tone,
    UserInput,
)
from tests.teams.cardtools import (
    actions,
    inputs,
    load_validator,
    squeeze,
    texts,
    without_teams_extensions,
)

# Letters, spaces, newlines, markdown and JSON-escaped characters, and one outside the BMP
# (12 bytes once escaped, which is what makes size limits interesting).
ALPHABET = 'abcdefghij KLMNOP 0123 \n&<>*_~`"\\•é😀'
LINE_ALPHABET = ALPHABET.replace("\n", "")


def big(alphabet: str, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Long text from a short random piece repeated: Hypothesis gives up on drawing
    thousands of characters one by one (data_too_large), so big examples were rare."""
    piece = st.text(alphabet=alphabet, min_size=1, max_size=60)
    return st.builds(
        lambda head, times: (head * times)[:max_size],
        piece,
        st.integers(min_value=max(1, min_size), max_value=max_size),
    ).filter(lambda text: len(text) >= min_size)


words = st.text(alphabet=LINE_ALPHABET, max_size=120)
long_line = st.one_of(words, big(LINE_ALPHABET, 2500, 7000))
prose = st.one_of(st.text(alphabet=ALPHABET, max_size=400), big(ALPHABET, 3000, 9000))
sections = st.builds(
    Section,
    text=prose,
    heading=st.one_of(st.none(), words, big(LINE_ALPHABET, 3000, 3500)),
    facts=st.lists(
        st.builds(Fact, label=words, value=st.one_of(words, long_line)), max_size=14
    ).map(tuple),
    bullets=st.lists(long_line, max_size=25).map(tuple),
)
# State is a few ids (flows.state); labels are short, as buttons are.
state = st.text(alphabet='{}":,kvpanel0123456789', max_size=120)
buttons = st.builds(
    Action,
    action_id=st.sampled_from(list(ActionId)),
    label=st.text(alphabet=LINE_ALPHABET, max_size=30),
    value=state,
    style=st.sampled_from(list(ButtonStyle)),
)
# Sections heavy enough that a handful overflow a card, so splitting is always exercised.
heavy_sections = st.builds(
    Section,
    text=big(ALPHABET, 3000, 9000),
    heading=words,
    facts=st.lists(st.builds(Fact, label=words, value=long_line), min_size=1, max_size=3).map(
        tuple
    ),
    bullets=st.lists(long_line, min_size=1, max_size=4).map(tuple),
)
messages = st.builds(
    Message,
    kind=st.sampled_from(list(MessageKind)),
    title=st.text(alphabet=ALPHABET, max_size=400),
    summary=st.text(alphabet=ALPHABET, max_size=300),
    sections=st.one_of(
        st.lists(sections, max_size=40), st.lists(heavy_sections, min_size=2, max_size=6)
    ).map(tuple),
    actions=st.lists(buttons, max_size=30).map(tuple),
    footer=st.one_of(st.none(), prose),
    tone=st.sampled_from(list(Tone)),
)

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(messages)
def test_message_cards_are_valid_fit_and_keep_all_text(message: Message) -> None:
    schema = load_validator()
    cards = message_cards(message)
    note(f"{len(cards)} cards of {[card_size_bytes(c) for c in cards]} bytes")
    assert cards
    for card in cards:
        assert schema.problems(card) == []
        assert card_size_bytes(card) <= CARD_BUDGET_BYTES < MAX_CARD_BYTES
    shown = squeeze("".join(t for card in cards for t in texts(card)))
    for section in message.sections:
        assert squeeze(section.text) in shown
        assert squeeze(section.heading or "") in shown
        for bullet in section.bullets:
            assert squeeze(bullet) in shown
        for fact in section.facts:
            assert squeeze(fact.label) in shown
            assert squeeze(fact.value) in shown
    assert squeeze(message.footer or "") in shown
    assert squeeze(message.title) in shown
    assert all(actions(card) == [] for card in cards[:-1])
    rendered = actions(cards[-1])
    assert rendered == [action_element(a) for a in message.actions]
    assert [(b["data"]["action_id"], b["data"]["state"]) for b in rendered] == [
        (a.action_id.value, a.value) for a in message.actions
    ]


choices = st.lists(
    st.builds(
        Choice,
        value=st.text(alphabet="abcdef0123", min_size=1, max_size=40),
        label=st.text(alphabet=LINE_ALPHABET, max_size=150),
        description=st.text(alphabet=ALPHABET, max_size=400),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda c: c.value,
).map(tuple)


ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
# Whole minutes: a time input has no seconds.
instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)
)
FormItem = ChoiceInput | MultiChoiceInput | TextInput | UserInput | DateTimeInput


@st.composite
def forms(draw: st.DrawFn) -> Form:
    items: list[FormItem] = []
    for index in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["one", "many", "text", "user", "datetime"]))
        label = draw(st.text(alphabet=ALPHABET, max_size=200))
        hint = draw(st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=300)))
        input_id = f"in{index}"
        if kind == "user":
            initial_user = draw(st.one_of(st.none(), st.uuids().map(str)))
            required = draw(st.booleans())
            items.append(UserInput(input_id, label, initial_user, required, hint))
            continue
        if kind == "datetime":
            initial_at = draw(st.one_of(st.none(), instants))
            items.append(DateTimeInput(input_id, label, initial_at, draw(st.booleans()), hint))
            continue
        if kind == "text":
            items.append(
                TextInput(
                    input_id=input_id,
                    label=label,
                    hint=hint,
                    initial=draw(words),
                    max_length=draw(st.integers(1, 5000)),
                    placeholder=draw(st.one_of(st.none(), words)),
                    required=draw(st.booleans()),
                )
            )
            continue
        options = draw(choices)
        values = [c.value for c in options]
        if kind == "one":
            items.append(
                ChoiceInput(
                    input_id=input_id,
                    label=label,
                    choices=options,
                    initial=draw(st.one_of(st.none(), st.sampled_from(values))),
                    hint=hint,
                    required=draw(st.booleans()),
                )
            )
        else:
            initial = tuple(draw(st.lists(st.sampled_from(values), unique=True)))
            items.append(
                MultiChoiceInput(
                    input_id=input_id, label=label, choices=options, initial=initial, hint=hint
                )
            )
    ids = [item.input_id for item in items] + ["elsewhere"]
    errors = draw(st.dictionaries(st.sampled_from(ids), words, max_size=4))
    return Form(
        kind=draw(st.sampled_from(list(FormKind))),
        title=draw(st.text(alphabet=ALPHABET, max_size=60)),
        submit_label=draw(words),
        close_label=draw(words),
        state='{"v":1}',
        intro=tuple(draw(st.lists(sections.filter(lambda s: len(s.text) < 3000), max_size=2))),
        inputs=tuple(items),
        secondary_submit_label=draw(st.one_of(st.none(), words)),
        errors=errors,
    )


@SETTINGS
@given(forms(), st.sampled_from(ZONES))
def test_form_cards_are_valid_keep_every_anchor_and_round_trip(form: Form, tz: str) -> None:
    try:
        card = form_card(form, tz=tz)
    except ValueError as exc:
        assert "bytes" in str(exc)  # only ever refused for size
        return
    # Valid apart from the People Picker's data source, Teams' documented extension.
    assert load_validator().problems(without_teams_extensions(card)) == []
    people = {item.input_id for item in form.inputs if isinstance(item, UserInput)}
    assert {e["id"] for e in inputs(card) if "choices.data" in e} == people
    assert card_size_bytes(card) <= MAX_CARD_BYTES
    shown = squeeze("".join(texts(card)))
    for item in form.inputs:
        assert squeeze(item.label) in shown
        assert squeeze(item.hint or "") in shown
        if isinstance(item, ChoiceInput | MultiChoiceInput):
            for choice in item.choices:
                assert squeeze(choice.label) in shown
                assert squeeze(choice.description) in shown
    for message in form.errors.values():
        assert squeeze(message) in shown
    # Submitted untouched, the dialog gives back the initial values.
    data = {e["id"]: e.get("value", "") for e in inputs(card)} | card["actions"][0]["data"]
    raw = dialog_values(data, form=form, tz=tz)
    for item in form.inputs:
        if isinstance(item, MultiChoiceInput):
            assert raw[item.input_id] == list(item.initial)
        elif isinstance(item, DateTimeInput):
            if item.initial is None:
                assert raw[item.input_id] is None
                continue
            wall = item.initial.astimezone(ZoneInfo(tz))
            first = wall.replace(fold=0)  # a repeated wall-clock time reads as the first
            assert raw[item.input_id] == str(int(first.timestamp()))
            if wall.replace(fold=1).utcoffset() == first.utcoffset():
                assert raw[item.input_id] == str(int(item.initial.timestamp()))
        else:
            assert raw[item.input_id] == (item.initial or None)
