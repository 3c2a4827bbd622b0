"""The fake Slack answers slack_sdk's WebClient the way Slack does, faults included."""

from __future__ import annotations

import json
import threading
import time

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from bot.slack.fake_api import FakeSlack, SlackError
from bot.slack.render import form_view, message_payloads
from flows.briefing import example_briefing
from flows.scorecard import example_scorecard_form
from rubrics.schema import Kit

TOKEN = "xoxb-test"


def client(slack: FakeSlack, **kwargs: object) -> WebClient:
    return WebClient(token=TOKEN, base_url=slack.url, **kwargs)  # type: ignore[arg-type]


def test_url_and_auth_test(slack: FakeSlack) -> None:
    assert slack.url.startswith("http://127.0.0.1:") and slack.url.endswith("/api/")
    answer = client(slack).auth_test()
    assert answer["team_id"] == "T0PANEL"
    assert answer["user_id"] == "UPANELBOT" and answer["bot_id"] == "BPANELBOT"
    (call,) = slack.calls("auth.test")
    assert call.token == TOKEN and call.ok and call.status == 200


def test_post_message_is_recorded_with_its_blocks(slack: FakeSlack, kit: Kit) -> None:
    web = client(slack)
    payloads = message_payloads(example_briefing(kit))
    answers = [web.chat_postMessage(channel="C1", **payload) for payload in payloads]
    assert [a["channel"] for a in answers] == ["C1"] * len(payloads)
    stored = slack.messages("C1")
    assert [m["blocks"] for m in stored] == [p["blocks"] for p in payloads]
    assert [m["ts"] for m in stored] == [a["ts"] for a in answers]
    (call,) = slack.calls("chat.postMessage")
    assert call.args["channel"] == "C1" and call.args["text"] == payloads[0]["text"]


def test_form_encoded_arguments_are_parsed(slack: FakeSlack) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]
    client(slack).api_call(
        "chat.postMessage", data={"channel": "C1", "text": "hi", "blocks": json.dumps(blocks)}
    )
    assert slack.messages("C1")[0]["blocks"] == blocks


def test_ts_increase_and_update_changes_the_message(slack: FakeSlack) -> None:
    web = client(slack)
    first = web.chat_postMessage(channel="C1", text="one")["ts"]
    second = web.chat_postMessage(channel="C1", text="two")["ts"]
    assert float(second) > float(first)
    web.chat_update(
        channel="C1",
        ts=first,
        text="one, decided",
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "done"}}],
    )
    messages = slack.messages("C1")
    assert [m["text"] for m in messages] == ["one, decided", "two"]
    assert messages[0]["ts"] == first and messages[0]["blocks"][0]["text"]["text"] == "done"
    link = web.chat_getPermalink(channel="C1", message_ts=first)["permalink"]
    assert link.endswith("/archives/C1/p" + first.replace(".", ""))
    with pytest.raises(SlackApiError) as raised:
        web.chat_update(channel="C1", ts="1.000001", text="x")
    assert raised.value.response["error"] == "message_not_found"


def test_dm_channels_and_ephemerals(slack: FakeSlack) -> None:
    web = client(slack)
    channel = web.conversations_open(users="U1")["channel"]["id"]
    assert channel == "DU1"
    web.chat_postMessage(channel="U1", text="to the user")
    assert slack.messages(channel)[0]["text"] == "to the user"
    web.chat_postEphemeral(channel="C1", user="U2", text="only you")
    assert slack.ephemerals("C1")[0]["ephemeral_user"] == "U2"


def test_users_info(slack: FakeSlack) -> None:
    slack.add_user("U1", "Dana Okafor", "Asia/Kolkata", display_name="dana")
    user = client(slack).users_info(user="U1")["user"]
    assert user["tz"] == "Asia/Kolkata" and user["tz_offset"] == 19_800
    assert user["real_name"] == "Dana Okafor" and user["profile"]["display_name"] == "dana"
    with pytest.raises(SlackApiError) as raised:
        client(slack).users_info(user="U404")
    assert raised.value.response["error"] == "user_not_found"


def test_429_is_retried_after_retry_after(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    web = client(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])
    started = time.monotonic()
    web.chat_postMessage(channel="C1", text="hello")
    assert time.monotonic() - started >= 1.0
    assert [m["text"] for m in slack.messages("C1")] == ["hello"]
    assert [(c.status, c.error) for c in slack.calls("chat.postMessage")] == [
        (429, "ratelimited"),
        (200, None),
    ]


def test_429_without_a_retry_handler_raises_with_retry_after(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client(slack, retry_handlers=[]).chat_postMessage(channel="C1", text="x")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert slack.messages("C1") == []


def test_server_errors_are_retried(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", status=500)
    slack.fail_next("chat.postMessage", status=503)
    quick = BackoffRetryIntervalCalculator(backoff_factor=0.05)
    web = client(
        slack,
        retry_handlers=[ServerErrorRetryHandler(max_retry_count=2, interval_calculator=quick)],
    )
    web.chat_postMessage(channel="C1", text="hello")
    assert len(slack.messages("C1")) == 1
    assert [c.status for c in slack.calls("chat.postMessage")] == [500, 503, 200]


def test_error_answers_raise_slack_api_error(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", error="channel_not_found", times=2)
    web = client(slack)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            web.chat_postMessage(channel="C1", text="x")
        assert raised.value.response["error"] == "channel_not_found"
    web.chat_postMessage(channel="C1", text="third time")
    assert [m["text"] for m in slack.messages("C1")] == ["third time"]


def test_slow_answer_times_the_client_out_but_slack_still_posts(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", delay=1.0)
    with pytest.raises(TimeoutError):
        client(slack, timeout=0.3, retry_handlers=[]).chat_postMessage(channel="C1", text="x")
    deadline = time.monotonic() + 5
    while not slack.messages("C1") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(slack.messages("C1")) == 1


def test_auth_and_unknown_methods(slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=slack.url).chat_postMessage(channel="C1", text="x")
    assert raised.value.response["error"] == "not_authed"
    with pytest.raises(SlackApiError) as raised:
        client(slack).api_call("admin.everything.delete")
    assert raised.value.response["error"] == "unknown_method"
    with FakeSlack(token="xoxb-right") as strict:
        with pytest.raises(SlackApiError) as raised:
            WebClient(token="xoxb-wrong", base_url=strict.url).auth_test()
        assert raised.value.response["error"] == "invalid_auth"


def test_payloads_over_slack_limits_are_refused(slack: FakeSlack) -> None:
    web = client(slack)
    with pytest.raises(SlackApiError) as raised:
        web.chat_postMessage(
            channel="C1",
            text="x",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "y" * 3001}}],
        )
    assert raised.value.response["error"] == "invalid_blocks"
    assert "limit is 3000" in raised.value.response["response_metadata"]["messages"][0]
    with pytest.raises(SlackApiError) as raised:
        web.views_open(
            trigger_id="t",
            view={"type": "modal", "title": {"type": "plain_text", "text": "x" * 30}, "blocks": []},
        )
    assert raised.value.response["error"] == "invalid_arguments"
    assert slack.messages("C1") == [] and slack.views() == {}


def test_views(slack: FakeSlack, kit: Kit) -> None:
    web = client(slack)
    view = form_view(example_scorecard_form(kit), callback_id="scorecard")
    opened = web.views_open(trigger_id="123.456", view=view)["view"]
    assert opened["id"].startswith("V") and opened["private_metadata"] == view["private_metadata"]
    assert opened["blocks"] == view["blocks"] and opened["state"] == {"values": {}}
    updated = web.views_update(view_id=opened["id"], view={**view, "callback_id": "again"})["view"]
    assert updated["id"] == opened["id"] and slack.views()[opened["id"]]["callback_id"] == "again"
    pushed = web.views_push(trigger_id="t2", view=view)["view"]
    assert pushed["id"] != opened["id"]
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    published = web.views_publish(user_id="U1", view=home)["view"]
    assert slack.home("U1") is not None and slack.home("U1")["id"] == published["id"]  # type: ignore[index]
    with pytest.raises(SlackApiError) as raised:
        web.views_update(view_id="V404", view=view)
    assert raised.value.response["error"] == "not_found"


def test_files_upload_v2_end_to_end(slack: FakeSlack) -> None:
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    answer = client(slack).files_upload_v2(
        channel="C1",
        content=content,
        filename="invite.ics",
        title="Interview invite",
        initial_comment="Your slot",
    )
    (stored,) = slack.files()
    assert answer["file"]["id"] == stored["id"]
    assert stored["content"] == content and stored["title"] == "Interview invite"
    assert stored["channels"] == ["C1"] and stored["completed"] is True
    (share,) = slack.messages("C1")
    assert share["text"] == "Your slot" and share["files"][0]["name"] == "invite.ics"
    assert [c.method for c in slack.calls()] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]


def test_response_urls_record_what_is_posted(slack: FakeSlack) -> None:
    url = slack.response_url("cmd-1")
    answer = WebhookClient(url).send(text="Only you can see this", response_type="ephemeral")
    assert answer.status_code == 200
    assert slack.responses("cmd-1") == [
        {"text": "Only you can see this", "response_type": "ephemeral"}
    ]
    slack.fail_next("response_url", status=500)
    assert WebhookClient(url).send(text="again").status_code == 500


def test_registered_methods_and_errors(slack: FakeSlack) -> None:
    def members(args: dict[str, object]) -> dict[str, object]:
        if args.get("channel") != "C1":
            raise SlackError("channel_not_found")
        return {"members": ["U1", "U2"]}

    slack.register("conversations.members", members)
    web = client(slack)
    assert web.conversations_members(channel="C1")["members"] == ["U1", "U2"]
    with pytest.raises(SlackApiError):
        web.conversations_members(channel="C2")


def test_concurrent_posts_are_all_kept(slack: FakeSlack) -> None:
    def post(worker: int) -> None:
        web = client(slack)
        for i in range(20):
            web.chat_postMessage(channel="C1", text=f"{worker}-{i}")

    threads = [threading.Thread(target=post, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = slack.messages("C1")
    assert len(messages) == 160 == len({m["ts"] for m in messages})
    assert len(slack.calls("chat.postMessage")) == 160


def test_bolt_app_starts_against_the_fake(slack: FakeSlack) -> None:
    app = App(token=TOKEN, signing_secret="secret", client=client(slack))
    app.client.chat_postMessage(channel="C1", text="from bolt")
    assert slack.calls("auth.test")  # Bolt verified its token against the fake
    assert slack.messages("C1")[0]["text"] == "from bolt"


def test_rate_limit_answers_429_over_the_per_second_limit() -> None:
    with FakeSlack(rate_limits={"chat.postMessage": 3}) as slack:
        web = client(slack, retry_handlers=[])
        for i in range(3):
            web.chat_postMessage(channel="C1", text=f"m{i}")
        with pytest.raises(SlackApiError) as raised:
            web.chat_postMessage(channel="C1", text="too many")
        assert raised.value.response.status_code == 429
        assert raised.value.response.headers["Retry-After"] == "1"
        assert raised.value.response["error"] == "ratelimited"
        web.auth_test()  # other methods are not limited
        web.conversations_open(users="U1")
        assert [m["text"] for m in slack.messages("C1")] == ["m0", "m1", "m2"]
        assert [c.status for c in slack.calls("chat.postMessage")] == [200, 200, 200, 429]
        assert slack.ratelimited() == slack.ratelimited("chat.postMessage") == 1
        time.sleep(1.05)  # the rolling second has passed
        web.chat_postMessage(channel="C1", text="later")
        assert slack.messages("C1")[-1]["text"] == "later"


def test_rate_limited_calls_are_retried_by_the_client_and_none_lost() -> None:
    with FakeSlack(rate_limits={"chat.postMessage": 5}) as slack:
        web = client(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)])
        started = time.monotonic()
        for i in range(8):
            web.chat_postMessage(channel="C1", text=f"m{i}")
        assert time.monotonic() - started >= 1.0  # the 6th waited out Retry-After
        assert [m["text"] for m in slack.messages("C1")] == [f"m{i}" for i in range(8)]
        assert slack.ratelimited("chat.postMessage") >= 1
        ok = [c for c in slack.calls("chat.postMessage") if c.ok]
        assert len(ok) == 8


def test_no_rate_limit_by_default_and_limits_can_be_changed(slack: FakeSlack) -> None:
    web = client(slack, retry_handlers=[])
    for i in range(50):
        web.chat_postMessage(channel="C1", text=f"m{i}")
    assert slack.ratelimited() == 0
    slack.set_rate_limit("chat.postMessage", 1)
    web.chat_postMessage(channel="C1", text="one")
    with pytest.raises(SlackApiError):
        web.chat_postMessage(channel="C1", text="two")
    slack.set_rate_limit("chat.postMessage", None)
    web.chat_postMessage(channel="C1", text="three")
    assert slack.ratelimited() == 1
    with pytest.raises(ValueError):
        slack.set_rate_limit("chat.postMessage", 0)
