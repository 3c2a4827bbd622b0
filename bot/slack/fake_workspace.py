"""The in-memory Slack workspace behind :class:`bot.slack.fake_api.FakeSlack`.

Implements the Web API methods panelbot uses, answering the way Slack does (the fields
callers read, and the same ``error`` codes). Not thread-safe on its own: FakeSlack calls
it under a lock.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo


class SlackError(Exception):
    """Raised by a method to answer ``{"ok": false, "error": ...}``."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass(slots=True)
class FakeUser:
    id: str
    name: str
    tz: str
    display_name: str
    is_bot: bool = False

    def as_slack(self, team_id: str) -> dict[str, Any]:
        now = datetime.now(ZoneInfo(self.tz))
        offset = now.utcoffset()
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.display_name.lower().replace(" ", "."),
            "real_name": self.name,
            "tz": self.tz,
            "tz_label": now.tzname() or self.tz,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "deleted": False,
            "is_bot": self.is_bot,
            "profile": {"real_name": self.name, "display_name": self.display_name},
        }


def _require(args: dict[str, Any], name: str, error: str = "invalid_arguments") -> str:
    value = args.get(name)
    if value is None or value == "":
        raise SlackError(error)
    return str(value)


def _json_arg(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise SlackError("invalid_arguments") from exc
    return value


@dataclass
class FakeWorkspace:
    """Users, channels' messages, views and files of one fake team."""

    team_id: str = "T0PANEL"
    bot_user_id: str = "UPANELBOT"
    bot_id: str = "BPANELBOT"
    domain: str = "panelbot-demo"
    users: dict[str, FakeUser] = field(default_factory=dict)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    home: dict[str, dict[str, Any]] = field(default_factory=dict)
    opened_by_trigger: dict[str, str] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _clock: int = field(default_factory=lambda: int(time.time()) * 1_000_000)

    # --- helpers ------------------------------------------------------------------------

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def next_ts(self) -> str:
        """Message timestamps as Slack writes them, strictly increasing."""
        self._clock = max(self._clock + 1, int(time.time() * 1_000_000))
        return f"{self._clock // 1_000_000}.{self._clock % 1_000_000:06d}"

    @staticmethod
    def channel_id(channel: str) -> str:
        """Posting to a user id lands in the app's DM with them, as on Slack."""
        return "D" + channel if channel[:1] in ("U", "W") else channel

    def find_message(self, channel: str, ts: str) -> dict[str, Any]:
        for message in self.messages.get(self.channel_id(channel), []):
            if message["ts"] == ts:
                return message
        raise SlackError("message_not_found")

    def call(self, method: str, args: dict[str, Any], *, root: str) -> dict[str, Any]:
        """Answer one Web API method; raises SlackError for ``ok: false``."""
        implementation = METHODS.get(method)
        if implementation is None:
            raise SlackError("unknown_method")
        return implementation(self, args, root)

    # --- auth, users, conversations -----------------------------------------------------

    def auth_test(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        return {
            "url": f"https://{self.domain}.slack.com/",
            "team": "panelbot demo",
            "user": "panelbot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def users_info(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        user = self.users.get(_require(args, "user", "user_not_found"))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user.as_slack(self.team_id)}

    def conversations_open(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        if args.get("channel"):
            return {"channel": {"id": str(args["channel"])}}
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) == 1:
            return {"channel": {"id": "D" + users[0]}, "already_open": False}
        return {"channel": {"id": "G" + "".join(sorted(users))}}

    # --- messages -----------------------------------------------------------------------

    def _message(self, args: dict[str, Any], ts: str) -> dict[str, Any]:
        if not any(args.get(k) for k in ("text", "blocks", "attachments")):
            raise SlackError("no_text")
        message: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "ts": ts,
            "text": str(args.get("text") or ""),
            "team": self.team_id,
        }
        for key in ("blocks", "attachments", "metadata"):
            if args.get(key) is not None:
                message[key] = _json_arg(args[key])
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        return message

    def chat_post_message(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        channel = self.channel_id(_require(args, "channel", "channel_not_found"))
        message = self._message(args, self.next_ts())
        self.messages.setdefault(channel, []).append(message)
        return {"channel": channel, "ts": message["ts"], "message": message}

    def chat_post_ephemeral(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        channel = _require(args, "channel", "channel_not_found")
        user = _require(args, "user", "user_not_in_channel")
        message = self._message(args, self.next_ts())
        self.ephemerals.append({**message, "channel": channel, "ephemeral_user": user})
        return {"message_ts": message["ts"]}

    def chat_update(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        channel = _require(args, "channel", "channel_not_found")
        current = self.find_message(channel, _require(args, "ts", "message_not_found"))
        updated = self._message(args, current["ts"])
        current.clear()
        current.update(updated, edited={"user": self.bot_user_id, "ts": self.next_ts()})
        return {
            "channel": self.channel_id(channel),
            "ts": current["ts"],
            "text": current["text"],
            "message": current,
        }

    def chat_delete(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        channel = _require(args, "channel", "channel_not_found")
        message = self.find_message(channel, _require(args, "ts", "message_not_found"))
        self.messages[self.channel_id(channel)].remove(message)
        return {"channel": self.channel_id(channel), "ts": message["ts"]}

    def chat_get_permalink(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        channel = _require(args, "channel", "channel_not_found")
        message = self.find_message(channel, _require(args, "message_ts", "message_not_found"))
        stamp = message["ts"].replace(".", "")
        url = f"https://{self.domain}.slack.com/archives/{self.channel_id(channel)}/p{stamp}"
        return {"channel": self.channel_id(channel), "permalink": url}

    # --- views --------------------------------------------------------------------------

    def _view(
        self, args: dict[str, Any], view_id: str, root_id: str | None = None
    ) -> dict[str, Any]:
        view = _json_arg(args.get("view"))
        if not isinstance(view, dict) or not view.get("type"):
            raise SlackError("invalid_arguments")
        stored = {
            **view,
            "id": view_id,
            "team_id": self.team_id,
            "app_id": "APANELBOT",
            "bot_id": self.bot_id,
            "root_view_id": root_id or view_id,
            "hash": self.next_id("h."),
            "state": {"values": {}},
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
        }
        self.views[view_id] = stored
        return {"view": stored}

    def views_open(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        trigger = _require(args, "trigger_id", "invalid_trigger_id")
        answer = self._view(args, self.next_id("V"))
        self.opened_by_trigger[str(trigger)] = answer["view"]["id"]
        return answer

    def views_push(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        _require(args, "trigger_id", "invalid_trigger_id")
        return self._view(args, self.next_id("V"))

    def views_update(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        if args.get("view_id"):
            view_id = str(args["view_id"])
        else:
            external = _require(args, "external_id", "not_found")
            matches = [v for v, view in self.views.items() if view.get("external_id") == external]
            view_id = matches[0] if matches else ""
        if view_id not in self.views:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        return self._view(args, view_id, self.views[view_id]["root_view_id"])

    def views_publish(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        user = _require(args, "user_id", "invalid_arguments")
        answer = self._view(args, self.home.get(user, {}).get("id") or self.next_id("V"))
        self.home[user] = answer["view"]
        return answer

    # --- files (files_upload_v2: get URL, POST the bytes, complete) ---------------------

    def files_get_upload_url_external(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        filename = _require(args, "filename")
        length = int(_require(args, "length"))
        file_id = self.next_id("F")
        self.files[file_id] = {
            "id": file_id,
            "name": filename,
            "title": filename,
            "length": length,
            "content": None,
            "channels": [],
            "initial_comment": None,
            "completed": False,
        }
        return {"upload_url": f"{root}upload/{file_id}", "file_id": file_id}

    def files_complete_upload_external(self, args: dict[str, Any], root: str) -> dict[str, Any]:
        items = _json_arg(_require(args, "files"))
        if not isinstance(items, list) or not items:
            raise SlackError("invalid_arguments")
        channels = [
            c for c in str(args.get("channels") or args.get("channel_id") or "").split(",") if c
        ]
        done = []
        for item in items:
            entry = self.files.get(str(item.get("id")))
            if entry is None or entry["content"] is None:
                raise SlackError("file_not_found")
            entry.update(
                title=item.get("title") or entry["name"],
                completed=True,
                channels=channels,
                initial_comment=args.get("initial_comment"),
            )
            done.append(
                {
                    "id": entry["id"],
                    "name": entry["name"],
                    "title": entry["title"],
                    "size": len(entry["content"]),
                    "channels": channels,
                }
            )
        for channel in channels:
            share = {
                "type": "message",
                "subtype": "file_share",
                "user": self.bot_user_id,
                "bot_id": self.bot_id,
                "ts": self.next_ts(),
                "text": str(args.get("initial_comment") or ""),
                "files": done,
            }
            if args.get("thread_ts"):
                share["thread_ts"] = str(args["thread_ts"])
            self.messages.setdefault(self.channel_id(channel), []).append(share)
        return {"files": done}

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        entry = self.files.get(file_id)
        if entry is None:
            return False
        entry["content"] = data
        return True


Method = Callable[[FakeWorkspace, dict[str, Any], str], dict[str, Any]]

METHODS: dict[str, Method] = {
    "auth.test": FakeWorkspace.auth_test,
    "users.info": FakeWorkspace.users_info,
    "conversations.open": FakeWorkspace.conversations_open,
    "chat.postMessage": FakeWorkspace.chat_post_message,
    "chat.postEphemeral": FakeWorkspace.chat_post_ephemeral,
    "chat.update": FakeWorkspace.chat_update,
    "chat.delete": FakeWorkspace.chat_delete,
    "chat.getPermalink": FakeWorkspace.chat_get_permalink,
    "views.open": FakeWorkspace.views_open,
    "views.push": FakeWorkspace.views_push,
    "views.update": FakeWorkspace.views_update,
    "views.publish": FakeWorkspace.views_publish,
    "files.getUploadURLExternal": FakeWorkspace.files_get_upload_url_external,
    "files.completeUploadExternal": FakeWorkspace.files_complete_upload_external,
}
