"""A fake Slack Web API on 127.0.0.1, for tests and for ``panelbot demo``.

It speaks the wire protocol the real clients use (``POST /api/<method>`` with a form or
JSON body and a Bearer token; JSON answers carrying ``ok``), so ``slack_sdk.WebClient``
and Bolt run against it unchanged::

    with FakeSlack() as slack:
        slack.add_user("U1", "Dana Okafor", "America/New_York")
        client = WebClient(token="xoxb-test", base_url=slack.url)
        client.chat_postMessage(channel="C1", text="hi")
        assert slack.messages("C1")[0]["text"] == "hi"

Every request is recorded (:meth:`FakeSlack.calls`); messages, views and files keep their
current state; faults (429 with Retry-After, 5xx, ``ok: false`` errors, slow answers) are
injected per method with :meth:`FakeSlack.fail_next`. An optional per-method rate limit
(``FakeSlack(rate_limits={"chat.postMessage": 50})``: at most 50 calls in any rolling
second) answers the excess the way Slack does: HTTP 429, ``Retry-After: 1`` and
``{"ok": false, "error": "ratelimited"}``. Standard library only; thread-safe.
"""

from __future__ import annotations

import copy
import email.parser
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from bot.slack.fake_workspace import FakeUser, FakeWorkspace, SlackError
from bot.slack.limits import check_message, check_view

__all__ = ["Call", "FakeSlack", "SlackError"]

Handler = Callable[[dict[str, Any]], dict[str, Any]]
UPLOAD = "upload"
RESPONSE_URL = "response_url"
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})
VIEW_METHODS = frozenset({"views.open", "views.push", "views.update", "views.publish"})


@dataclass(frozen=True, slots=True)
class Call:
    """One request the fake received, and how it answered."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float
    status: int
    ok: bool
    error: str | None = None


@dataclass(frozen=True, slots=True)
class _Fault:
    status: int
    error: str | None
    retry_after: int | None
    delay: float


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: dict[str, Any] | str
    headers: tuple[tuple[str, str], ...] = ()


class FakeSlack:
    """The fake server: a context manager, or :meth:`start` and :meth:`stop`."""

    def __init__(
        self,
        *,
        team_id: str = "T0PANEL",
        bot_user_id: str = "UPANELBOT",
        bot_id: str = "BPANELBOT",
        token: str | None = None,
        validate: bool = True,
        rate_limits: Mapping[str, int] | None = None,
    ) -> None:
        """``token``: when set, every other token is refused with ``invalid_auth``.

        ``validate``: messages and views are checked against Slack's limits
        (:mod:`bot.slack.limits`) and refused the way Slack refuses them
        (``invalid_blocks`` / ``invalid_arguments``, details in
        ``response_metadata.messages``).

        ``rate_limits``: method name -> most calls answered per rolling second (Slack's
        limits are per method and per workspace; ``chat.postMessage`` adds about one
        message per second per channel, not modelled here). A call over the limit is
        answered HTTP 429 with ``Retry-After: 1`` and ``ratelimited``, is recorded like
        any other call (see :meth:`ratelimited`) and does not count towards the limit.
        Methods not named are unlimited; the default is no limit at all.
        """
        self.workspace = FakeWorkspace(team_id=team_id, bot_user_id=bot_user_id, bot_id=bot_id)
        self.token = token
        self.validate = validate
        self._lock = threading.RLock()
        self._calls: list[Call] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._responses: dict[str, list[dict[str, Any]]] = {}
        self._handlers: dict[str, Handler] = {}
        self._rate_limits: dict[str, int] = {}
        self._windows: dict[str, deque[float]] = {}
        for method, limit in (rate_limits or {}).items():
            self.set_rate_limit(method, limit)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> FakeSlack:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _RequestHandler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-slack",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def url(self) -> str:
        """The Web API base URL, ``http://127.0.0.1:PORT/api/``."""
        return self.root + "api/"

    # --- set-up -------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        tz: str = "UTC",
        *,
        display_name: str | None = None,
        is_bot: bool = False,
    ) -> None:
        """A user ``users.info`` knows (``tz`` is an IANA zone name)."""
        ZoneInfo(tz)  # a bad zone fails here, not in the middle of a request
        with self._lock:
            self.workspace.users[user_id] = FakeUser(
                user_id, name, tz, display_name or name, is_bot
            )

    def register(self, method: str, handler: Handler) -> None:
        """Answer ``method`` with ``handler(args)``; raise SlackError for ``ok: false``."""
        with self._lock:
            self._handlers[method] = handler

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail, one fault per call.

        ``status=429`` answers ``ratelimited`` with a ``Retry-After`` header
        (``retry_after`` seconds, default 1); another 4xx/5xx ``status`` answers that
        status; ``error`` alone answers HTTP 200 with ``ok: false``; ``delay`` waits that
        long before answering (for client timeouts). ``method`` is a Web API method name,
        ``"upload"`` (the files_upload_v2 upload URL) or ``"response_url"``.
        """
        if status is None and error is None and delay <= 0:
            raise ValueError("fail_next needs a status, an error or a delay")
        if status is not None and status < 400:
            raise ValueError(f"HTTP {status} is not a failure status")
        if status == 429 and retry_after is None:
            retry_after = 1
        fault = _Fault(status or 200, error, retry_after, delay)
        with self._lock:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def set_rate_limit(self, method: str, per_second: int | None) -> None:
        """Answer at most ``per_second`` calls of ``method`` per rolling second (None: no limit)."""
        if per_second is not None and per_second < 1:
            raise ValueError(f"a rate limit must allow at least 1 call per second, got {per_second}")
        with self._lock:
            if per_second is None:
                self._rate_limits.pop(method, None)
            else:
                self._rate_limits[method] = per_second
            self._windows.pop(method, None)

    def response_url(self, name: str) -> str:
        """A response_url on the fake; bodies posted to it are in :meth:`responses`."""
        with self._lock:
            self._responses.setdefault(name, [])
        return f"{self.root}response/{name}"

    # --- queries ------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Every request so far (failed ones too), oldest first."""
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def ratelimited(self, method: str | None = None) -> int:
        """How many calls (of ``method``) were answered 429 so far."""
        with self._lock:
            return sum(
                1 for c in self._calls if c.status == 429 and method in (None, c.method)
            )

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """A channel's current messages (after updates and deletes), oldest first."""
        with self._lock:
            ws = self.workspace
            return copy.deepcopy(ws.messages.get(ws.channel_id(channel), []))

    def ephemerals(self, channel: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            found = [m for m in self.workspace.ephemerals if channel in (None, m["channel"])]
            return copy.deepcopy(found)

    def views(self) -> dict[str, dict[str, Any]]:
        """Opened, pushed and updated views by view id (Home tabs too)."""
        with self._lock:
            return copy.deepcopy(self.workspace.views)

    def view_for_trigger(self, trigger_id: str) -> dict[str, Any] | None:
        """The current state of the view opened with ``trigger_id``, if any."""
        with self._lock:
            view_id = self.workspace.opened_by_trigger.get(trigger_id)
            view = self.workspace.views.get(view_id or "")
            return copy.deepcopy(view) if view else None

    def home(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            return copy.deepcopy(self.workspace.home.get(user_id))

    def files(self) -> list[dict[str, Any]]:
        """Uploaded files with their bytes (``content``), title and channels."""
        with self._lock:
            return copy.deepcopy(list(self.workspace.files.values()))

    def responses(self, name: str) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._responses.get(name, []))

    # --- answering (server threads) -----------------------------------------------------

    def answer(self, path: str, args: dict[str, Any], token: str | None, raw: bytes) -> _Answer:
        """Route one request, apply any fault, record it and build the answer."""
        kind, _, name = path.strip("/").partition("/")
        method = {"api": name, "upload": UPLOAD, "response": RESPONSE_URL}.get(kind, path)
        with self._lock:
            queue = self._faults.get(method)
            fault = queue.popleft() if queue else None
            failing = fault is not None and (fault.status != 200 or bool(fault.error))
            limited = not failing and self._over_limit(method)
        if fault is not None and fault.delay > 0:
            time.sleep(fault.delay)
        if fault is not None and failing:
            answer = self._fault_answer(fault)
        elif limited:
            answer = self._fault_answer(_Fault(429, None, 1, 0.0))
        elif kind == "api" and name:
            answer = self._api(name, args, token)
        elif kind == "upload":
            with self._lock:
                stored = self.workspace.receive_upload(name, raw)
            answer = _Answer(200, f"OK - {len(raw)}") if stored else _Answer(404, "Not Found")
        elif kind == "response" and name:
            with self._lock:
                self._responses.setdefault(name, []).append(args)
            answer = _Answer(200, "ok")
        else:
            answer = _Answer(404, {"ok": False, "error": "unknown_method"})
        body = answer.body
        ok = answer.status == 200 and (not isinstance(body, dict) or bool(body.get("ok", True)))
        error = body.get("error") if isinstance(body, dict) else None
        recorded = {"bytes": len(raw)} if kind == "upload" else args
        with self._lock:
            self._calls.append(Call(method, recorded, token, time.time(), answer.status, ok, error))
        return answer

    def _over_limit(self, method: str) -> bool:
        """Whether this call exceeds ``method``'s rate limit; if not, it counts towards it.

        A sliding window log of the last second's answered calls (caller holds the lock).
        """
        limit = self._rate_limits.get(method)
        if limit is None:
            return False
        now = time.monotonic()
        window = self._windows.setdefault(method, deque())
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) >= limit:
            return True
        window.append(now)
        return False

    @staticmethod
    def _fault_answer(fault: _Fault) -> _Answer:
        if fault.status == 429:
            headers = (("Retry-After", str(fault.retry_after or 1)),)
            return _Answer(429, {"ok": False, "error": fault.error or "ratelimited"}, headers)
        if fault.status >= 400:
            return _Answer(fault.status, {"ok": False, "error": fault.error or "internal_error"})
        return _Answer(200, {"ok": False, "error": fault.error})

    def _api(self, method: str, args: dict[str, Any], token: str | None) -> _Answer:
        if not token:
            return _Answer(200, {"ok": False, "error": "not_authed"})
        if self.token is not None and token != self.token:
            return _Answer(200, {"ok": False, "error": "invalid_auth"})
        problems = self._problems(method, args) if self.validate else []
        if problems:
            error = "invalid_arguments" if method in VIEW_METHODS else "invalid_blocks"
            return _Answer(
                200, {"ok": False, "error": error, "response_metadata": {"messages": problems}}
            )
        try:
            with self._lock:
                handler = self._handlers.get(method)
                if handler is not None:
                    result = handler(args)
                else:
                    result = self.workspace.call(method, args, root=self.root)
                result = copy.deepcopy(result)
        except SlackError as exc:
            return _Answer(200, {"ok": False, "error": exc.error})
        return _Answer(200, {"ok": True, **result})

    @staticmethod
    def _problems(method: str, args: dict[str, Any]) -> list[str]:
        """What Slack would refuse in a message or view argument."""
        try:
            if method in MESSAGE_METHODS:
                blocks = args.get("blocks")
                payload = {
                    "text": args.get("text"),
                    "blocks": json.loads(blocks) if isinstance(blocks, str) else blocks,
                }
                return check_message({k: v for k, v in payload.items() if v is not None})
            if method in VIEW_METHODS and args.get("view") is not None:
                view = args["view"]
                view = json.loads(view) if isinstance(view, str) else view
                return check_view(view) if isinstance(view, dict) else ["view: not an object"]
        except json.JSONDecodeError:
            return ["blocks/view: not valid JSON"]
        return []


def _parse_multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser().parsebytes(head + raw)
    args: dict[str, Any] = {}
    payload = message.get_payload() if message.is_multipart() else []
    for part in payload if isinstance(payload, list) else []:
        if isinstance(part, str):
            continue
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(content, bytes):
            is_file = part.get_filename() is not None
            args[name] = content if is_file else content.decode("utf-8", "replace")
    return args


def _parse_args(content_type: str, raw: bytes, query: str) -> dict[str, Any]:
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" and raw:
        body = json.loads(raw.decode("utf-8"))
        if isinstance(body, dict):
            args.update(body)
    elif kind == "application/x-www-form-urlencoded":
        args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    elif kind == "multipart/form-data":
        args.update(_parse_multipart(content_type, raw))
    return args


class _RequestHandler(BaseHTTPRequestHandler):
    server_version = "FakeSlack/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    def _handle(self) -> None:
        fake: FakeSlack = self.server.fake  # type: ignore[attr-defined]
        split = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        is_upload = split.path.strip("/").startswith("upload/")
        try:
            args = (
                {}
                if is_upload
                else _parse_args(self.headers.get("Content-Type", ""), raw, split.query)
            )
        except (ValueError, UnicodeDecodeError):
            self._send(_Answer(400, {"ok": False, "error": "invalid_form_data"}))
            return
        auth = self.headers.get("Authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        token = token or (str(args.pop("token")) if args.get("token") else None)
        self._send(fake.answer(split.path, args, token, raw))

    def _send(self, answer: _Answer) -> None:
        if isinstance(answer.body, str):
            data, kind = answer.body.encode(), "text/plain; charset=utf-8"
        else:
            data, kind = json.dumps(answer.body).encode(), "application/json; charset=utf-8"
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in answer.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); Slack would have done the work anyway

    do_POST = _handle
    do_GET = _handle
