"""A fake Bot Connector service (what a Teams ``serviceUrl`` points at), on a loopback port.

It records every activity panelbot posts, replies to or updates, answers with the ids
Teams would, and can be told to fail the way Teams fails: 403
``BotNotInConversationRoster`` for a person who has not installed the app, 429 with
``Retry-After``, 5xx, 404. It runs in its own thread and event loop, so both
``asyncio.run`` tests and the threaded ``LocalServer`` can call it.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from bot.local import free_port


@dataclass
class Posted:
    """One call panelbot made: ``kind`` is post, reply or update."""

    kind: str
    conversation: str
    activity: dict[str, Any]
    id: str
    reply_to: str | None = None

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in self.activity.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                content: dict[str, Any] = attachment["content"]
                return content
        return None

    @property
    def text(self) -> str:
        return str(self.activity.get("text") or "")


@dataclass
class Fault:
    status: int
    code: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class FakeConnector:
    """``with FakeConnector() as fake: fake.url``; ``fake.fail(conversation, Fault(...))``."""

    def __init__(self) -> None:
        self.port = free_port()
        self.calls: list[Posted] = []
        self.faults: dict[str, list[Fault]] = {}
        self.always: dict[str, Fault] = {}
        # AAD object id -> Teams member (what "get conversation member" answers).
        self.members: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    # --- what tests read ------------------------------------------------------------

    def to(self, conversation: str) -> list[Posted]:
        """Calls into ``conversation`` (a thread's replies count as its channel's)."""
        with self._lock:
            return [c for c in self.calls if c.conversation.split(";")[0] == conversation]

    def cards(self, conversation: str) -> list[dict[str, Any]]:
        return [c.card for c in self.to(conversation) if c.card is not None and c.kind != "update"]

    def updates(self) -> list[Posted]:
        with self._lock:
            return [c for c in self.calls if c.kind == "update"]

    # --- fault injection --------------------------------------------------------------

    def fail(self, conversation: str, *faults: Fault) -> None:
        """The next calls into ``conversation`` fail with ``faults``, in order."""
        with self._lock:
            self.faults.setdefault(conversation, []).extend(faults)

    def fail_always(self, conversation: str, fault: Fault) -> None:
        with self._lock:
            self.always[conversation] = fault

    def heal(self, conversation: str) -> None:
        with self._lock:
            self.always.pop(conversation, None)
            self.faults.pop(conversation, None)

    def _fault(self, conversation: str) -> Fault | None:
        root = conversation.split(";")[0]
        with self._lock:
            queued = self.faults.get(root)
            if queued:
                return queued.pop(0)
            return self.always.get(root)

    # --- the service ------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        conversation = unquote(request.match_info["conversation"])
        activity_id = request.match_info.get("activity")
        fault = self._fault(conversation)
        if fault is not None:
            body = {"error": {"code": fault.code or "Failure", "message": f"HTTP {fault.status}"}}
            return web.json_response(body, status=fault.status, headers=fault.headers)
        payload = await request.json()
        if request.method == "PUT":
            kind, new_id = "update", unquote(activity_id or "")
        else:
            kind = "reply" if activity_id else "post"
            new_id = f"msg-{next(self._ids)}"
        with self._lock:
            self.calls.append(Posted(kind, conversation, payload, new_id,
                                     unquote(activity_id) if activity_id and kind == "reply" else None))
        return web.json_response({"id": new_id}, status=200 if kind == "update" else 201)

    async def _member(self, request: web.Request) -> web.StreamResponse:
        member = self.members.get(unquote(request.match_info["member"]))
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation",
                                                "message": "not a member"}}, status=404)
        return web.json_response(member)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._handle)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._handle)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._handle)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self._runner = web.AppRunner(app)
        loop.run_until_complete(self._runner.setup())
        loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(self._runner.cleanup())
        loop.close()

    def start(self) -> FakeConnector:
        self._thread = threading.Thread(target=self._run, name="fake-connector", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> FakeConnector:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
