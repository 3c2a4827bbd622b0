"""People using panelbot through Slack's real protocol, for the demo and the tests.

Each request is shaped and signed the way Slack sends it: slash commands as
form-encoded bodies, interactions as ``payload=<json>``, events as JSON, all with
``X-Slack-Signature`` (v0 HMAC-SHA256) and ``X-Slack-Request-Timestamp``. Modals are
read back from the fake Web API, and a simulated person can only pick the options a
view actually offers, as in Slack's client.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.slack.fake_api import FakeSlack

Value = str | list[str] | datetime | None


class SimulationError(AssertionError):
    """The simulated person could not do what they tried (no such option, no view)."""


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status: int
    body: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body.strip().startswith("{") else {}


def sign(secret: str, timestamp: int, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackSimulator:
    """Sends signed requests to ``events_url`` on behalf of workspace members."""

    def __init__(
        self, *, events_url: str, signing_secret: str, fake: FakeSlack, team_id: str = "T0PANEL"
    ) -> None:
        self.events_url = events_url
        self.secret = signing_secret
        self.fake = fake
        self.team_id = team_id
        self._ids = itertools.count(1)

    # --- transport ----------------------------------------------------------------------

    def post(
        self, body: str, content_type: str, *, timestamp: int | None = None,
        signature: str | None = None, signed: bool = True,
    ) -> HttpAnswer:
        stamp = int(time.time()) if timestamp is None else timestamp
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(stamp)}
        if signed:
            headers["X-Slack-Signature"] = signature or sign(self.secret, stamp, body)
        request = urllib.request.Request(
            self.events_url, data=body.encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return HttpAnswer(response.status, response.read().decode())
        except urllib.error.HTTPError as exc:
            return HttpAnswer(exc.code, exc.read().decode())

    def _interaction(self, payload: dict[str, Any]) -> HttpAnswer:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded")

    def _user(self, user_id: str) -> dict[str, Any]:
        return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(),
                "team_id": self.team_id}

    def new_trigger(self, user_id: str) -> str:
        return f"{next(self._ids)}.{user_id}.trigger"

    # --- what people do -----------------------------------------------------------------

    def command(self, user_id: str, command: str, text: str = "",
                channel_id: str = "C0GENERAL") -> tuple[HttpAnswer, str, str]:
        """Type a slash command; returns (answer, trigger_id, response_url name)."""
        trigger = self.new_trigger(user_id)
        name = f"cmd-{next(self._ids)}"
        body = urllib.parse.urlencode({
            "token": "legacy-unused", "team_id": self.team_id, "team_domain": "panel",
            "channel_id": channel_id, "channel_name": "general", "user_id": user_id,
            "user_name": user_id.lower(), "command": command, "text": text,
            "api_app_id": "APANELBOT", "is_enterprise_install": "false",
            "response_url": self.fake.response_url(name), "trigger_id": trigger,
        })
        return self.post(body, "application/x-www-form-urlencoded"), trigger, name

    def click(self, user_id: str, action_id: str, value: str, *, channel_id: str | None = None,
              message_ts: str | None = None, view: dict[str, Any] | None = None,
              block_id: str = "actions") -> tuple[HttpAnswer, str]:
        """Press a button; returns (answer, trigger_id)."""
        trigger = self.new_trigger(user_id)
        payload: dict[str, Any] = {
            "type": "block_actions", "user": self._user(user_id), "api_app_id": "APANELBOT",
            "token": "legacy-unused", "trigger_id": trigger, "team": {"id": self.team_id,
            "domain": "panel"}, "is_enterprise_install": False,
            "response_url": self.fake.response_url(f"act-{next(self._ids)}"),
            "actions": [{"type": "button", "action_id": action_id, "block_id": block_id,
                         "value": value, "action_ts": f"{time.time():.6f}",
                         "text": {"type": "plain_text", "text": action_id}}],
        }
        if channel_id:
            payload["channel"] = {"id": channel_id, "name": channel_id}
            payload["container"] = {"type": "message", "message_ts": message_ts or "",
                                    "channel_id": channel_id, "is_ephemeral": False}
            payload["message"] = {"ts": message_ts or "", "type": "message"}
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view["id"]}
        return self._interaction(payload), trigger

    def submit(self, user_id: str, view: dict[str, Any], values: dict[str, Value]) -> HttpAnswer:
        """Fill the modal's inputs with ``values`` (by block id) and press its submit button."""
        submitted = {**view, "state": {"values": self.state_values(view, values)}}
        payload = {
            "type": "view_submission", "team": {"id": self.team_id, "domain": "panel"},
            "user": self._user(user_id), "api_app_id": "APANELBOT", "token": "legacy-unused",
            "trigger_id": self.new_trigger(user_id), "view": submitted,
            "response_urls": [], "is_enterprise_install": False,
        }
        return self._interaction(payload)

    def press_in_view(self, user_id: str, view: dict[str, Any], action_id: str,
                      values: dict[str, Value]) -> HttpAnswer:
        """Press a button inside a modal (e.g. Save draft) with the inputs filled so far."""
        button = _find_button(view, action_id)
        filled = {**view, "state": {"values": self.state_values(view, values)}}
        answer, _ = self.click(user_id, action_id, str(button.get("value", "")), view=filled,
                               block_id=str(button.get("_block_id", "actions")))
        return answer

    def open_home(self, user_id: str) -> HttpAnswer:
        body = json.dumps({
            "token": "legacy-unused", "team_id": self.team_id, "api_app_id": "APANELBOT",
            "type": "event_callback", "event_id": f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": user_id, "channel": f"D{user_id}",
                      "tab": "home", "event_ts": f"{time.time():.6f}"},
        })
        return self.post(body, "application/json")

    # --- reading what Slack would show ---------------------------------------------------

    def wait_view(self, trigger_id: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            view = self.fake.view_for_trigger(trigger_id)
            if view is not None and view.get("callback_id") != "panelbot_loading":
                return view
            time.sleep(0.02)
        raise SimulationError(f"no modal opened for trigger {trigger_id}")

    def current_view(self, view_id: str) -> dict[str, Any]:
        return self.fake.views()[view_id]

    @staticmethod
    def state_values(view: dict[str, Any], values: dict[str, Value]) -> dict[str, Any]:
        """``view.state.values`` as Slack builds it from what the person entered."""
        state: dict[str, Any] = {}
        blocks = {b.get("block_id"): b for b in view.get("blocks", []) if b.get("type") == "input"}
        unknown = set(values) - set(blocks)
        if unknown:
            raise SimulationError(f"the modal has no inputs {sorted(unknown)}")
        for block_id, block in blocks.items():
            element = block["element"]
            state[block_id] = {element["action_id"]: _element_state(element, values.get(block_id))}
        return state


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    for option in element.get("options", []):
        if option["value"] == value:
            return dict(option)
    offered = [o["value"] for o in element.get("options", [])]
    raise SimulationError(f"{element['action_id']} offers {offered}, not {value!r}")


def _element_state(element: dict[str, Any], value: Value) -> dict[str, Any]:
    kind = element["type"]
    if kind in ("radio_buttons", "static_select"):
        chosen = _option(element, str(value)) if value else None
        return {"type": kind, "selected_option": chosen}
    if kind in ("checkboxes", "multi_static_select"):
        picked = value if isinstance(value, list) else ([str(value)] if value else [])
        return {"type": kind, "selected_options": [_option(element, v) for v in picked]}
    if kind == "plain_text_input":
        text = None if value is None else str(value)
        if text is not None and len(text) > int(element.get("max_length", 3000)):
            raise SimulationError(f"Slack's client stops typing at {element.get('max_length')}")
        return {"type": kind, "value": text}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "multi_users_select":
        picked = value if isinstance(value, list) else ([str(value)] if value else [])
        return {"type": kind, "selected_users": picked}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": value}
    if kind == "datetimepicker":
        stamp = int(value.timestamp()) if isinstance(value, datetime) else value
        return {"type": kind, "selected_date_time": stamp}
    raise SimulationError(f"the simulator cannot fill a {kind}")


def _find_button(view: dict[str, Any], action_id: str) -> dict[str, Any]:
    for block in view.get("blocks", []):
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return {**element, "_block_id": block.get("block_id", "actions")}
    raise SimulationError(f"the modal has no button {action_id}")


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button of a posted message, in order."""
    return [
        element
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]
