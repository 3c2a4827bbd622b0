"""CPU cost of each step behind a Slack ack, one at a time, no concurrency.

``.venv/bin/python benchmarks/ack_cost_breakdown.py [--runs N] [--profile STEP]``

``bench_ack.py`` measures latency under 50 concurrent requests; at that load the latency
is set by how much CPU each request costs the single panelbot process (including the
work listeners do after acking). This script measures that CPU step by step, calling the
same functions the listeners call (``bot/slack/scorecards.py``), on a SQLite file
database seeded like ``bench_ack.py``'s, single-threaded so nothing waits on a lock.
Times are CPU time of the calling thread (``time.thread_time``), so FakeSlack's own
work in its threads is not counted. ``--profile STEP`` prints cProfile for one step.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench_ack import KIT_ID, SECRET, START, TEAM, body_builder, fill, seed
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.context import open_engine
from bot.delivery import reserve
from bot.local import ManualClock
from bot.services import Services
from bot.settings import load_settings
from bot.slack.fake_api import FakeSlack
from bot.slack.render import form_view, message_payloads, view_values
from bot.slack.sender import make_client
from bot.slack.simulate import SlackSimulator, sign
from flows.feedback import Submitted, open_scorecard, submit
from flows.scorecard import build_scorecard_form
from rubrics.loader import KitRegistry
from storage.enums import Platform


def step(name: str, fn: Callable[[Any], Any], items: Sequence[Any], profile: str | None,
         key: str) -> list[Any]:
    profiler = cProfile.Profile() if profile == key else None
    began = time.thread_time()
    if profiler:
        profiler.enable()
    out = [fn(item) for item in items]
    if profiler:
        profiler.disable()
    spent = (time.thread_time() - began) / len(items) * 1e3
    print(f"| {name} | `{key}` | {spent:.2f} |")
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
        print(text.getvalue())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--profile", help="cProfile one step (its key in the table)")
    args = parser.parse_args()
    n, prof = args.runs, args.profile

    with tempfile.TemporaryDirectory(prefix="panelbot-cost-") as tmp, FakeSlack() as fake:
        url = f"sqlite:///{Path(tmp) / 'cost.db'}"
        targets, _ = seed(url, n)
        settings = load_settings(database_url=url, slack_bot_token="xoxb-x",
                                 slack_signing_secret=SECRET, kits_dir=None)
        services = Services(settings=settings, engine=open_engine(settings),
                            kits=KitRegistry.load(None), clock=ManualClock(START))
        kits = services.kits
        kit = kits.get(KIT_ID)
        print(f"CPU per call, mean of {n} (ms)\n\n| step | key | CPU ms |\n|---|---|---:|")

        def render(t: Any) -> dict[str, Any]:
            form = build_scorecard_form(kit=kit, stage_key=t.stage_key,
                                        interview_id=t.interview_id, candidate_name="Candidate")
            return {**form_view(form, callback_id="scorecard"), "id": "V1", "hash": "h"}

        views = step("Open scorecard: render the modal (form_view, on the event loop)", render,
                     targets, prof, "render")
        step("Open scorecard: DB transaction (open_scorecard)",
             lambda t: services.run(lambda s: open_scorecard(s, TEAM, t.interview_id,
                                                             t.interviewer, kits)),
             targets, prof, "open")

        sim = body_builder(fake.root)
        sim.submit(targets[0].interviewer, views[0], fill(views[0], complete=True))
        body, content_type = sim.last
        verifier = SignatureVerifier(SECRET)

        def bolt(_: Any) -> None:
            stamp = int(time.time())
            signature = sign(SECRET, stamp, body)
            AsyncBoltRequest(body=body, headers={"content-type": content_type,
                                                 "x-slack-request-timestamp": str(stamp),
                                                 "x-slack-signature": signature})
            verifier.is_valid(body, str(stamp), signature)

        step(f"Bolt: parse + verify a {len(body) // 1000} kB view_submission (bare app too)",
             bolt, range(n), prof, "bolt")

        def raw(view: dict[str, Any], complete: bool) -> Any:
            return view_values(SlackSimulator.state_values(view, fill(view, complete=complete)))

        bad = [raw(v, False) for v in views]
        good = [raw(v, True) for v in views]
        step("Submit with inline errors: DB transaction (submit -> FormErrors)",
             lambda i: services.run(lambda s: submit(s, TEAM, targets[i].interview_id,
                                                     targets[i].interviewer, bad[i], kits, START)),
             range(n), prof, "errors")

        def first(i: int) -> Any:
            def work(store: Any) -> Any:
                result = submit(store, TEAM, targets[i].interview_id, targets[i].interviewer,
                                good[i], kits, START)
                assert isinstance(result, Submitted) and result.created_now
                return result, reserve(store, TEAM, Platform.SLACK, result.outbound, START)
            return services.run(work)

        done = step("Valid first submit: DB transaction (submit + reserve)", first, range(n),
                    prof, "valid")
        step("Repeat submit: DB transaction (idempotent)",
             lambda i: services.run(lambda s: submit(s, TEAM, targets[i].interview_id,
                                                     targets[i].interviewer, good[i], kits,
                                                     START)),
             range(n), prof, "repeat")
        step("After ack: render the confirmation DM", lambda r: message_payloads(
            r[1][0].outbound.message), done, prof, "confirm")
        step("After ack: ledger mark_sent transaction",
             lambda r: services.run(lambda s: s.mark_sent(TEAM, r[1][0].delivery_id, "D:1.1")),
             done, prof, "mark_sent")

        async def web_api(shared: bool) -> list[float]:
            import aiohttp

            client = make_client("xoxb-x", fake.url)
            if shared:
                client.session = aiohttp.ClientSession()
            costs = []
            for _ in range(n):
                began = time.thread_time()
                await client.chat_postMessage(channel="DU0X", text="hi")
                costs.append(time.thread_time() - began)
            if client.session:
                await client.session.close()
            return costs

        for shared, key in ((False, "api_new"), (True, "api_shared")):
            costs = asyncio.run(web_api(shared))
            how = "one shared ClientSession" if shared else "a new ClientSession per call (today)"
            print(f"| After ack: one Web API call (chat.postMessage), {how} | `{key}` | "
                  f"{sum(costs) / len(costs) * 1e3:.2f} |")
        services.engine.dispose()


if __name__ == "__main__":
    main()
