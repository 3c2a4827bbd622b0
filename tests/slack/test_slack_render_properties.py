"""Whatever the content, rendered payloads fit Slack's limits and lose no text."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack.blockkit import escape
from bot.slack.limits import check_message, check_view
from bot.slack.render import form_view, message_payloads
from flows.messages import (
    Action,
    ActionId,
    ButtonStyle,
    Choice,
    ChoiceInput,
    Fact,
    Form,
    FormKind,
    Message,
    MessageKind,
    MultiChoiceInput,
    Section,
    TextInput,
    Tone,
)

# Letters, spaces, newlines, mrkdwn and escape characters, and a character outside the BMP.
ALPHABET = "abcdefghij KLMNOP 0123 \n&<>*_~`•é😀"
LINE_ALPHABET = ALPHABET.replace("\n", "")

words = st.text(alphabet=LINE_ALPHABET, max_size=120)
long_line = st.one_of(words, st.text(alphabet=LINE_ALPHABET, min_size=2500, max_size=7000))
prose = st.one_of(
    st.text(alphabet=ALPHABET, max_size=400),
    st.text(alphabet=ALPHABET, min_size=3000, max_size=9000),
)

sections = st.builds(
    Section,
    text=prose,
    heading=st.one_of(
        st.none(), words, st.text(alphabet=LINE_ALPHABET, min_size=3000, max_size=3500)
    ),
    facts=st.lists(
        st.builds(Fact, label=words, value=st.one_of(words, long_line)), max_size=14
    ).map(tuple),
    bullets=st.lists(long_line, max_size=25).map(tuple),
)
actions = st.builds(
    Action,
    action_id=st.sampled_from(list(ActionId)),
    label=st.text(alphabet=LINE_ALPHABET, max_size=120),
    value=st.text(alphabet=LINE_ALPHABET, max_size=2000),
    style=st.sampled_from(list(ButtonStyle)),
)
messages = st.builds(
    Message,
    kind=st.sampled_from(list(MessageKind)),
    title=st.text(alphabet=ALPHABET, max_size=400),
    summary=st.text(alphabet=ALPHABET, max_size=300),
    sections=st.lists(sections, max_size=40).map(tuple),
    actions=st.lists(actions, max_size=30).map(tuple),
    footer=st.one_of(st.none(), prose),
    tone=st.sampled_from(list(Tone)),
)


def texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return own + [t for k, v in node.items() if k != "text" or not own for t in texts(v)]
    if isinstance(node, list):
        return [t for item in node for t in texts(item)]
    return []


def squeeze(text: str) -> str:
    """Content without whitespace: lines may be re-joined, whitespace-only pieces dropped."""
    return "".join(text.split())


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(messages)
def test_message_payloads_fit_and_keep_all_text(message: Message) -> None:
    payloads = message_payloads(message)
    assert payloads
    for payload in payloads:
        assert check_message(payload) == [], payload
    shown = squeeze("".join(t for p in payloads for t in texts(p["blocks"])))
    for section in message.sections:
        assert squeeze(escape(section.text)) in shown
        assert squeeze(escape(section.heading or "")) in shown
        for bullet in section.bullets:
            assert squeeze(escape(bullet)) in shown
        for fact in section.facts:
            assert squeeze(escape(fact.label)) in shown
            assert squeeze(escape(fact.value)) in shown
    assert squeeze(escape(message.footer or "")) in shown
    title = squeeze(message.title)
    assert title in shown or squeeze(escape(message.title)) in shown
    buttons = [
        element
        for p in payloads
        for b in p["blocks"]
        if b["type"] == "actions"
        for element in b["elements"]
    ]
    assert [b.get("value", "") for b in buttons] == [a.value for a in message.actions]
    assert all(b["type"] != "actions" for p in payloads[:-1] for b in p["blocks"])


choices = st.lists(
    st.builds(
        Choice,
        value=st.text(alphabet="abcdef0123", min_size=1, max_size=150),
        label=st.text(alphabet=LINE_ALPHABET, max_size=150),
        description=st.text(alphabet=ALPHABET, max_size=400),
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda c: c.value,
).map(tuple)


@st.composite
def forms(draw: st.DrawFn) -> Form:
    inputs: list[ChoiceInput | MultiChoiceInput | TextInput] = []
    for index in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["one", "many", "text"]))
        label = draw(st.text(alphabet=ALPHABET, max_size=2500))
        hint = draw(st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=2500)))
        input_id = f"in{index}"
        if kind == "text":
            inputs.append(
                TextInput(
                    input_id=input_id,
                    label=label,
                    hint=hint,
                    max_length=draw(st.integers(1, 5000)),
                    placeholder=draw(st.one_of(st.none(), words)),
                )
            )
            continue
        options = draw(choices)
        if kind == "one":
            initial = draw(st.one_of(st.none(), st.sampled_from([c.value for c in options])))
            inputs.append(
                ChoiceInput(
                    input_id=input_id,
                    label=label,
                    choices=options,
                    initial=initial,
                    hint=hint,
                    required=draw(st.booleans()),
                )
            )
        else:
            initial_many = tuple(draw(st.sets(st.sampled_from([c.value for c in options]))))
            inputs.append(
                MultiChoiceInput(
                    input_id=input_id, label=label, choices=options, initial=initial_many, hint=hint
                )
            )
    return Form(
        kind=draw(st.sampled_from(list(FormKind))),
        title=draw(st.text(alphabet=ALPHABET, max_size=60)),
        submit_label=draw(words),
        close_label=draw(words),
        state='{"v":1}',
        intro=tuple(draw(st.lists(sections, max_size=2))),
        inputs=tuple(inputs),
        secondary_submit_label=draw(st.one_of(st.none(), words)),
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(forms())
def test_form_views_fit_and_keep_every_anchor(form: Form) -> None:
    view = form_view(form, callback_id="cb")
    assert check_view(view) == []
    shown = squeeze("".join(texts(view["blocks"])))
    for item in form.inputs:
        if isinstance(item, ChoiceInput | MultiChoiceInput):
            for choice in item.choices:
                for text in (choice.description, choice.label):
                    # in full: as option text (plain) or in the anchors above (mrkdwn)
                    assert squeeze(text) in shown or squeeze(escape(text)) in shown
