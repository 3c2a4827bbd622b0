"""Database work off the event loop, with the requests people wait for served first.

Listeners answer Slack within 3 seconds and open modals while a ``trigger_id`` is still
valid; timers and delivery bookkeeping can wait a few milliseconds. One queue with two
priorities feeds a few worker threads, so background work never sits in front of a
request. On SQLite there is one worker: SQLite has a single writer anyway, and a queue
in Python is fairer and faster than threads sleeping in SQLite's busy handler.
"""

from __future__ import annotations

import asyncio
import itertools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")

URGENT = 0
BACKGROUND = 1


class DbExecutor:
    """Runs blocking callables on worker threads, urgent ones first, FIFO within a priority."""

    def __init__(self, workers: int, *, name: str = "panelbot-db") -> None:
        self._queue: queue.PriorityQueue[tuple[int, int, Callable[[], Any], Future[Any]]] = (
            queue.PriorityQueue()
        )
        self._order = itertools.count()
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{index}", daemon=True)
            for index in range(max(1, workers))
        ]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        while True:
            _, _, call, future = self._queue.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(call())
            except BaseException as exc:
                future.set_exception(exc)

    def submit(self, call: Callable[[], T], *, urgent: bool = True) -> Future[T]:
        future: Future[T] = Future()
        self._queue.put((URGENT if urgent else BACKGROUND, next(self._order), call, future))
        return future

    async def run(self, call: Callable[[], T], *, urgent: bool = True) -> T:
        return await asyncio.wrap_future(self.submit(call, urgent=urgent))
