"""The Slack app manifest, checked against Slack's official schema and against the code.

``manifests/slack.yaml`` is what an operator pastes into api.slack.com ("From an app
manifest"), so it must:

* be a valid manifest for Slack's official JSON Schema (slackapi/manifest-schema, kept in
  ``../shared/schemas``), as shipped and as ``panelbot manifest slack --url`` prints it;
* promise exactly what the Bolt app handles: the slash commands of the command table and
  the shortcuts and events the app has listeners for. Each one is sent through the real
  ``AsyncApp`` as a signed request (request verification stays on); Bolt answers 404 when
  no listener matches, so a manifest entry without a listener cannot pass;
* point every request URL at the one ``/slack/events`` endpoint of the given HTTPS host;
* ask for the smallest set of bot scopes: the scopes of the Web API methods ``bot/``
  calls, found by reading its source, and nothing else.
"""

from __future__ import annotations

import ast
import asyncio
import copy
import json
import logging
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from typer.testing import CliRunner

import bot
from bot.cli import _register
from bot.cli import app as cli_app
from bot.context import open_engine
from bot.manifest import (
    load_slack_manifest,
    manifest_shortcut_callback_ids,
    manifest_slash_commands,
)
from bot.services import Services
from bot.settings import load_settings
from bot.slack.app import ACTION_IDS, SHORTCUT_CALLBACKS, VIEW_CALLBACKS, build_slack
from bot.slack.fake_api import FakeSlack
from bot.slack.simulate import sign
from flows.commands import slash_commands
from rubrics.loader import KitRegistry

Manifest = dict[str, Any]

# CI checks out the shared repository beside this one: <parent>/main and <parent>/shared.
SCHEMA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "schemas"
ALL_VERSIONS_SCHEMA = "slack-manifest.schema.json"
BOT_PACKAGE = Path(bot.__file__).resolve().parent

HOST = "https://bot.example.org"
EVENTS_URL = f"{HOST}/slack/events"
PLACEHOLDER_HOST = "panelbot.example.com"

SECRET = "s"
TEAM = "T0MANIFEST"
USER = "U0MANIFEST"

# --- the scopes, documented -------------------------------------------------------------

#: Every Web API method panelbot may call (slack_sdk spelling) and the bot scope it needs.
#: ``None``: the method needs no scope. A method called in ``bot/`` but missing here fails
#: the scope test, so a new call cannot slip in without deciding its scope.
WEB_API_SCOPES: dict[str, str | None] = {
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write",
    "conversations_open": "im:write",  # a 1:1 DM; a group DM would need mpim:write
    "users_info": "users:read",  # name and tz; no email, so no users:read.email
    # files.getUploadURLExternal + files.completeUploadExternal under the hood.
    "files_upload_v2": "files:write",
    "views_open": None,
    "views_push": None,
    "views_update": None,
    "views_publish": None,
    "auth_test": None,
}

#: Bolt listener kinds and the scope they need; ``event`` is looked up in EVENT_SCOPES.
LISTENER_SCOPES: dict[str, str | None] = {
    "command": "commands",  # slash commands
    "shortcut": "commands",  # global and message shortcuts
    "action": None,
    "view": None,
    "view_submission": None,
    "view_closed": None,
    "options": None,
}

#: Events the app may subscribe to and the scope each needs.
EVENT_SCOPES: dict[str, str | None] = {
    "app_home_opened": None,
}

MINIMAL_BOT_SCOPES = {"commands", "chat:write", "im:write", "users:read", "files:write"}


# --- the official schema ----------------------------------------------------------------


def _read_schema(name: str) -> dict[str, Any]:
    path = SCHEMA_DIR / name
    if not path.is_file():
        pytest.fail(
            f"Slack's manifest schema {path} is missing. The tests need the shared "
            f"repository checked out beside this one (expected {SCHEMA_DIR}); "
            "these tests are never skipped.",
            pytrace=False,
        )
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _validator(schema: dict[str, Any], registry: Registry | None = None) -> Validator:
    """The validator class the schema's ``$schema`` names (not a silent fallback)."""
    cls = validator_for(schema)
    assert cls.META_SCHEMA["$schema"].rstrip("#") == schema["$schema"].rstrip("#"), (
        f"no validator for {schema['$schema']}"
    )
    cls.check_schema(schema)
    if registry is None:
        return cls(schema)
    return cls(schema, registry=registry)


def _major_version_refs(all_versions: dict[str, Any]) -> dict[int, str]:
    """``{major_version: $ref}`` from the all-versions schema's ``oneOf`` branches."""
    refs: dict[int, str] = {}
    for branch in all_versions["oneOf"]:
        guard, target = branch["allOf"]
        metadata = guard.get("properties", {}).get("_metadata", {})
        const = metadata.get("properties", {}).get("major_version", {}).get("const")
        if const is not None:
            refs[int(const)] = target["$ref"]
    return refs


def _local_name(ref: str) -> str:
    # .../schemas/manifest.schema.1.0.0.json is stored as slack-manifest.schema.1.0.0.json
    return "slack-" + ref.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ManifestSchemas:
    all_versions: Validator
    by_major_version: dict[int, Validator]

    def for_manifest(self, manifest: Manifest) -> Validator:
        major = manifest["_metadata"]["major_version"]
        assert major in self.by_major_version, f"no official schema for major_version {major}"
        return self.by_major_version[major]

    def problems(self, manifest: Manifest) -> list[ValidationError]:
        return sorted(self.for_manifest(manifest).iter_errors(manifest), key=str)

    def assert_valid(self, manifest: Manifest) -> None:
        problems = self.problems(manifest)
        assert not problems, "\n".join(
            f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in problems
        )
        # The all-versions schema must agree (exactly one of its oneOf branches matches).
        self.all_versions.validate(manifest)


@pytest.fixture(scope="module")
def schemas() -> ManifestSchemas:
    all_versions = _read_schema(ALL_VERSIONS_SCHEMA)
    refs = _major_version_refs(all_versions)
    assert set(refs) == {1, 2}, f"unexpected schema layout: {refs}"
    versions = {major: _read_schema(_local_name(ref)) for major, ref in refs.items()}
    # The all-versions schema $refs the per-version files by their GitHub URL; serve
    # those from the local copies so nothing is fetched.
    registry: Registry = Registry().with_resources(
        (refs[major], Resource.from_contents(schema)) for major, schema in versions.items()
    )
    return ManifestSchemas(
        all_versions=_validator(all_versions, registry),
        by_major_version={major: _validator(schema) for major, schema in versions.items()},
    )


# --- the manifest, shipped and printed --------------------------------------------------


runner = CliRunner()


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_manifest_cli(url: str) -> CliResult:
    _register()
    result = runner.invoke(cli_app, ["manifest", "slack", "--url", url], env={"COLUMNS": "80"})
    return CliResult(result.exit_code, result.stdout, result.stderr)


def printed_manifest(url: str) -> Manifest:
    result = run_manifest_cli(url)
    assert result.exit_code == 0, result.stderr
    manifest: Manifest = yaml.safe_load(result.stdout)
    return manifest


@pytest.fixture(scope="module")
def shipped() -> Manifest:
    return load_slack_manifest()


@pytest.fixture(scope="module")
def filled() -> Manifest:
    return printed_manifest(HOST)


def test_shipped_manifest_is_valid(schemas: ManifestSchemas, shipped: Manifest) -> None:
    assert shipped["_metadata"]["major_version"] == 1
    schemas.assert_valid(shipped)


def test_printed_manifest_is_valid(schemas: ManifestSchemas, filled: Manifest) -> None:
    schemas.assert_valid(filled)


def _drop_command_description(m: Manifest) -> None:
    del m["features"]["slash_commands"][0]["description"]


def _command_without_slash(m: Manifest) -> None:
    m["features"]["slash_commands"][0]["command"] = "panel"


def _unknown_shortcut_type(m: Manifest) -> None:
    m["features"]["shortcuts"][0]["type"] = "workflow"


def _misspelt_scopes_key(m: Manifest) -> None:
    m["oauth_config"]["scopes"] = {"bots": m["oauth_config"]["scopes"]["bot"]}


def _overlong_scope(m: Manifest) -> None:
    m["oauth_config"]["scopes"]["bot"].insert(0, "chat:write." + "x" * 50)


def _request_url_without_scheme(m: Manifest) -> None:
    m["settings"]["event_subscriptions"]["request_url"] = "bot.example.org/slack/events"


def _interactivity_without_switch(m: Manifest) -> None:
    del m["settings"]["interactivity"]["is_enabled"]


# The official schema does not list scope *names* (any string of up to 50 characters
# passes), so an unknown or unneeded scope is caught by test_bot_scopes_are_what_the_code_needs.
@pytest.mark.parametrize(
    ("breakage", "keyword", "where"),
    [
        pytest.param(_drop_command_description, "required", "features/slash_commands/0",
                     id="slash-command-without-description"),
        pytest.param(_command_without_slash, "pattern", "features/slash_commands/0/command",
                     id="slash-command-without-slash"),
        pytest.param(_unknown_shortcut_type, "enum", "features/shortcuts/0/type",
                     id="unknown-shortcut-type"),
        pytest.param(_misspelt_scopes_key, "additionalProperties", "oauth_config/scopes",
                     id="misspelt-scopes-key"),
        pytest.param(_overlong_scope, "maxLength", "oauth_config/scopes/bot/0",
                     id="overlong-scope"),
        pytest.param(_request_url_without_scheme, "pattern",
                     "settings/event_subscriptions/request_url", id="url-without-scheme"),
        pytest.param(_interactivity_without_switch, "required", "settings/interactivity",
                     id="interactivity-without-is_enabled"),
    ],
)
def test_schema_rejects_broken_manifests(
    schemas: ManifestSchemas, filled: Manifest, breakage: Callable[[Manifest], None],
    keyword: str, where: str,
) -> None:
    broken = copy.deepcopy(filled)
    breakage(broken)
    found = [("/".join(map(str, e.absolute_path)), e.validator) for e in schemas.problems(broken)]
    assert (where, keyword) in found, found
    assert not schemas.all_versions.is_valid(broken)


# --- request URLs -----------------------------------------------------------------------


def _urls(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every ``(path, value)`` whose key ends in ``url``, anywhere in the manifest."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}/{key}" if path else str(key)
            if str(key).endswith("url") and isinstance(value, str):
                yield where, value
            yield from _urls(value, where)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _urls(item, f"{path}/{index}")


def test_every_request_url_is_the_events_endpoint(filled: Manifest) -> None:
    urls = dict(_urls(filled))
    commands = filled["features"]["slash_commands"]
    expected_places = {
        *(f"features/slash_commands/{i}/url" for i in range(len(commands))),
        "settings/event_subscriptions/request_url",
        "settings/interactivity/request_url",
    }
    assert expected_places <= set(urls), f"request URLs missing at {expected_places - set(urls)}"
    assert urls == dict.fromkeys(urls, EVENTS_URL)


def test_printed_manifest_keeps_no_placeholder_host() -> None:
    result = run_manifest_cli(HOST)
    assert result.exit_code == 0, result.stderr
    assert PLACEHOLDER_HOST not in result.stdout


@pytest.mark.parametrize(
    ("given", "events_url"),
    [
        (f"{HOST}/slack/events", EVENTS_URL),
        (f"{HOST}/slack/events/", EVENTS_URL),
        (f"{HOST}/", EVENTS_URL),
        (f"{HOST}/panelbot", f"{HOST}/panelbot/slack/events"),
    ],
)
def test_given_url_is_not_doubled(given: str, events_url: str) -> None:
    urls = dict(_urls(printed_manifest(given)))
    assert set(urls.values()) == {events_url}


@pytest.mark.parametrize(
    "given", ["http://bot.example.org", "not-a-url", "https://", "ftp://bot.example.org"]
)
def test_non_https_url_is_refused_in_one_line(given: str) -> None:
    result = run_manifest_cli(given)
    assert result.exit_code == 1
    assert result.stdout == ""  # no half-filled manifest to paste by mistake
    message = result.stderr.strip()
    assert "\n" not in message, message
    assert message.startswith("error:"), message
    assert "HTTPS" in message and given in message, message
    assert "Traceback" not in message


# --- commands, shortcuts and events against the Bolt app --------------------------------


@dataclass
class Bolt:
    app: AsyncApp
    fake: FakeSlack
    names: Iterator[int]

    def response_url(self) -> tuple[str, str]:
        name = f"manifest-{next(self.names)}"
        return name, self.fake.response_url(name)


@pytest.fixture(scope="module")
def bolt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bolt]:
    """The real Bolt app, its Web API on a local fake Slack (Bolt calls auth.test first)."""
    tmp = tmp_path_factory.mktemp("manifest")
    with FakeSlack(team_id=TEAM) as fake:
        fake.add_user(USER, "Mani Fest")
        settings = load_settings(
            slack_bot_token="xoxb-x",
            slack_signing_secret=SECRET,
            database_url=f"sqlite:///{tmp}/m.db",
            slack_api_url=fake.url,
        )
        engine = open_engine(settings)
        try:
            services = Services(settings=settings, engine=engine, kits=KitRegistry.load(None))
            app, _runtime = build_slack(services)
            yield Bolt(app=app, fake=fake, names=iter(range(1, 10_000)))
        finally:
            engine.dispose()


def _signed(body: str, content_type: str, *, secret: str = SECRET) -> AsyncBoltRequest:
    stamp = int(time.time())
    return AsyncBoltRequest(
        body=body,
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": sign(secret, stamp, body),
        },
    )


def dispatch(app: AsyncApp, request: AsyncBoltRequest) -> BoltResponse:
    """Send one request through Bolt and let the listener finish its after-ack work."""

    async def run() -> BoltResponse:
        response = await app.async_dispatch(request)
        pending = asyncio.all_tasks() - {asyncio.current_task()}
        if pending:
            _, still_running = await asyncio.wait(pending, timeout=10)
            assert not still_running, f"listener still running: {still_running}"
        return response

    return asyncio.run(run())


def command_request(command: str, response_url: str, text: str = "") -> AsyncBoltRequest:
    body = urllib.parse.urlencode({
        "token": "legacy-unused", "team_id": TEAM, "team_domain": "manifest",
        "channel_id": "C0MANIFEST", "channel_name": "general", "user_id": USER,
        "user_name": "mani", "command": command, "text": text, "api_app_id": "APANELBOT",
        "is_enterprise_install": "false", "response_url": response_url,
        "trigger_id": "1.manifest.trigger",
    })
    return _signed(body, "application/x-www-form-urlencoded")


def _interaction(payload: dict[str, Any]) -> AsyncBoltRequest:
    body = urllib.parse.urlencode({"payload": json.dumps(payload)})
    return _signed(body, "application/x-www-form-urlencoded")


def _user() -> dict[str, Any]:
    return {"id": USER, "username": "mani", "name": "mani", "team_id": TEAM}


#: The payload ``type`` Slack sends for each manifest shortcut ``type``.
SHORTCUT_PAYLOAD_TYPES = {"global": "shortcut", "message": "message_action"}


def shortcut_request(callback_id: str, kind: str = "shortcut") -> AsyncBoltRequest:
    return _interaction({
        "type": kind, "callback_id": callback_id, "trigger_id": "2.manifest.trigger",
        "user": _user(), "team": {"id": TEAM, "domain": "manifest"},
        "api_app_id": "APANELBOT", "token": "legacy-unused", "action_ts": f"{time.time():.6f}",
        "is_enterprise_install": False,
    })


def event_request(event_type: str) -> AsyncBoltRequest:
    body = json.dumps({
        "token": "legacy-unused", "team_id": TEAM, "api_app_id": "APANELBOT",
        "type": "event_callback", "event_id": f"Ev{time.time_ns()}",
        "event_time": int(time.time()),
        "event": {"type": event_type, "user": USER, "channel": f"D{USER}", "tab": "home",
                  "event_ts": f"{time.time():.6f}"},
    })
    return _signed(body, "application/json")


def _errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


def _web_api_methods(fake: FakeSlack) -> list[str]:
    return [call.method for call in fake.calls() if call.method != "auth.test"]


def test_manifest_commands_are_the_command_table(shipped: Manifest) -> None:
    assert sorted(manifest_slash_commands(shipped)) == sorted(slash_commands())


def test_manifest_shortcuts_are_the_apps(shipped: Manifest) -> None:
    ids = manifest_shortcut_callback_ids(shipped)
    assert len(ids) == len(set(ids))
    assert set(ids) == set(SHORTCUT_CALLBACKS)


def test_every_manifest_command_is_handled(
    bolt: Bolt, shipped: Manifest, caplog: pytest.LogCaptureFixture
) -> None:
    for command in manifest_slash_commands(shipped):
        name, response_url = bolt.response_url()
        response = dispatch(bolt.app, command_request(command, response_url))
        assert response.status == 200, f"{command}: {response.status} {response.body}"
        assert bolt.fake.responses(name), f"{command} was acked but never answered"
    assert not _errors_logged(caplog)


def test_every_manifest_shortcut_is_handled(
    bolt: Bolt, shipped: Manifest, caplog: pytest.LogCaptureFixture
) -> None:
    for shortcut in shipped["features"]["shortcuts"]:
        callback_id = shortcut["callback_id"]
        kind = SHORTCUT_PAYLOAD_TYPES[shortcut["type"]]
        before = len(_web_api_methods(bolt.fake))
        response = dispatch(bolt.app, shortcut_request(callback_id, kind))
        assert response.status == 200, f"{callback_id}: {response.status} {response.body}"
        assert len(_web_api_methods(bolt.fake)) > before, f"{callback_id} did nothing"
    assert not _errors_logged(caplog)


def test_every_subscribed_event_is_handled(
    bolt: Bolt, shipped: Manifest, caplog: pytest.LogCaptureFixture
) -> None:
    for event_type in shipped["settings"]["event_subscriptions"]["bot_events"]:
        before = len(_web_api_methods(bolt.fake))
        response = dispatch(bolt.app, event_request(event_type))
        assert response.status == 200, f"{event_type}: {response.status} {response.body}"
        assert len(_web_api_methods(bolt.fake)) > before, f"{event_type} did nothing"
    assert bolt.fake.home(USER) is not None
    assert not _errors_logged(caplog)


def test_requests_without_a_listener_get_404(bolt: Bolt) -> None:
    """The control for the tests above: Bolt really says 404 when nothing matches."""
    _, response_url = bolt.response_url()
    assert dispatch(bolt.app, command_request("/nonexistent", response_url)).status == 404
    assert dispatch(bolt.app, shortcut_request("no_such_shortcut")).status == 404
    assert dispatch(bolt.app, event_request("reaction_added")).status == 404


def test_request_verification_is_on(bolt: Bolt) -> None:
    stamp = int(time.time())
    _, response_url = bolt.response_url()
    good = command_request("/panel", response_url)
    forged = AsyncBoltRequest(
        body=good.raw_body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": sign("not-the-secret", stamp, good.raw_body),
        },
    )
    assert dispatch(bolt.app, forged).status == 401


async def _matched(app: AsyncApp, request: AsyncBoltRequest) -> bool:
    probe = BoltResponse(status=200)
    return any([await lst.async_matches(req=request, resp=probe) for lst in app._async_listeners])


def test_declared_views_and_actions_have_listeners(bolt: Bolt) -> None:
    """VIEW_CALLBACKS and ACTION_IDS (not in the manifest) match a listener; none is run."""

    def view(callback_id: str) -> AsyncBoltRequest:
        return _interaction({
            "type": "view_submission", "team": {"id": TEAM}, "user": _user(),
            "api_app_id": "APANELBOT", "view": {"id": "V1", "type": "modal",
            "callback_id": callback_id, "state": {"values": {}}},
        })

    def action(action_id: str) -> AsyncBoltRequest:
        return _interaction({
            "type": "block_actions", "team": {"id": TEAM}, "user": _user(),
            "api_app_id": "APANELBOT", "actions": [{"type": "button", "action_id": action_id,
            "block_id": "b", "value": "1", "action_ts": "1.0"}],
        })

    async def unmatched() -> list[str]:
        missing = [f"view {c}" for c in VIEW_CALLBACKS if not await _matched(bolt.app, view(c))]
        missing += [f"action {a}" for a in ACTION_IDS if not await _matched(bolt.app, action(a))]
        return missing

    assert asyncio.run(unmatched()) == []
    assert not asyncio.run(_matched(bolt.app, action("no_such_action")))
    assert not asyncio.run(_matched(bolt.app, view("no_such_view")))


# --- scopes and events ------------------------------------------------------------------


@dataclass
class CodeUse:
    """What ``bot/`` uses of Slack, read from its source (not from docstrings)."""

    web_api: dict[str, set[str]]  # slack_sdk method -> files calling it
    listeners: dict[tuple[str, str], set[str]]  # (kind, first argument) -> files


def _is_client(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "client") or (
        isinstance(node, ast.Attribute) and node.attr == "client"
    )


def _first_text(call: ast.Call) -> str:
    if call.args and isinstance(call.args[0], ast.Constant):
        return str(call.args[0].value)
    return ast.unparse(call.args[0]) if call.args else ""


def scan_bot() -> CodeUse:
    use = CodeUse(web_api={}, listeners={})
    for path in sorted(BOT_PACKAGE.rglob("*.py")):
        where = str(path.relative_to(BOT_PACKAGE.parent))
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=where)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            owner, method = node.func.value, node.func.attr
            if _is_client(owner):
                if method == "api_call":  # client.api_call("chat.postMessage", ...)
                    method = _first_text(node).replace(".", "_")
                use.web_api.setdefault(method, set()).add(where)
            elif isinstance(owner, ast.Name) and owner.id == "app" and method in {
                *LISTENER_SCOPES, "event", "message",
            }:
                use.listeners.setdefault((method, _first_text(node)), set()).add(where)
    return use


def required_scopes(use: CodeUse) -> dict[str, set[str]]:
    """Scope -> why (the calls and listeners that need it)."""
    unmapped = sorted(set(use.web_api) - set(WEB_API_SCOPES))
    assert not unmapped, (
        f"bot/ calls Web API methods with no scope decided: {unmapped} "
        f"(in {sorted(f for m in unmapped for f in use.web_api[m])}); add them to WEB_API_SCOPES"
    )
    needed: dict[str, set[str]] = {}
    for method, files in use.web_api.items():
        scope = WEB_API_SCOPES[method]
        if scope is not None:
            needed.setdefault(scope, set()).add(f"client.{method} in {sorted(files)}")
    for (kind, argument), files in use.listeners.items():
        if kind == "event":
            assert argument in EVENT_SCOPES, f"app.event({argument!r}): add it to EVENT_SCOPES"
            scope = EVENT_SCOPES[argument]
        else:
            assert kind in LISTENER_SCOPES, f"app.{kind}(...): add it to LISTENER_SCOPES"
            scope = LISTENER_SCOPES[kind]
        if scope is not None:
            needed.setdefault(scope, set()).add(f"app.{kind}({argument}) in {sorted(files)}")
    return needed


def test_the_scan_sees_the_code() -> None:
    use = scan_bot()
    assert {"chat_postMessage", "conversations_open", "views_open"} <= set(use.web_api)
    assert ("command", "/panel") in use.listeners


def test_bot_scopes_are_what_the_code_needs(shipped: Manifest, filled: Manifest) -> None:
    scopes = shipped["oauth_config"]["scopes"]
    assert set(scopes) == {"bot"}, "panelbot asks for no user scopes"
    bot_scopes = scopes["bot"]
    assert len(bot_scopes) == len(set(bot_scopes)), "a scope is listed twice"

    needed = required_scopes(scan_bot())
    unused = sorted(set(bot_scopes) - set(needed))
    missing = {scope: sorted(why) for scope, why in needed.items() if scope not in bot_scopes}
    assert not unused, f"the manifest asks for scopes no code needs: {unused}"
    assert not missing, f"the code needs scopes the manifest lacks: {missing}"

    assert set(bot_scopes) == MINIMAL_BOT_SCOPES
    assert filled["oauth_config"] == shipped["oauth_config"]


def test_app_home_events_are_subscribed_and_handled(shipped: Manifest) -> None:
    features, settings = shipped["features"], shipped["settings"]
    assert features["app_home"]["home_tab_enabled"] is True
    bot_events = settings["event_subscriptions"]["bot_events"]
    assert "app_home_opened" in bot_events
    registered = {arg for kind, arg in scan_bot().listeners if kind == "event"}
    assert set(bot_events) == registered, "subscribed events and app.event listeners differ"
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False  # request URLs are used, not a socket
