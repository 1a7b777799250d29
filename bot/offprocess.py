"""Work that would weigh on the bot's memory for good (WeasyPrint and Pango for PDFs) runs in one
child process, started on first use. The bot process never imports WeasyPrint.

``run`` blocks its caller until the child is done; callers already run it in a thread
(``asyncio.to_thread``), so the event loop goes on. A child that died is replaced on the next call.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_pool: list[ProcessPoolExecutor] = []


def _executor() -> ProcessPoolExecutor:
    with _lock:
        if not _pool:
            # spawn, not fork: a fork would copy the bot's loop, threads and connections.
            context = multiprocessing.get_context("spawn")
            _pool.append(ProcessPoolExecutor(max_workers=1, mp_context=context))
        return _pool[0]


def run(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``fn(*args, **kwargs)`` in the child process (``fn`` and its arguments must pickle)."""
    executor = _executor()
    try:
        return executor.submit(fn, *args, **kwargs).result()
    except BrokenProcessPool:
        with _lock:
            if _pool and _pool[0] is executor:
                _pool.clear()
        raise


def shutdown() -> None:
    """Stop the child process (if one was started)."""
    with _lock:
        executor = _pool.pop() if _pool else None
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)
