"""Detection over many calls (``callqa detect`` on a file, ``redetect``, ``evaluate``) on both cores.

Calls go in batches of ``BATCH_SIZE`` to a pool of worker processes; each batch is one
``detect_calls`` (the classifier scores a whole batch in one model call). Every worker reuses
the registry (lexicons read, classifier loaded) built once: inherited from this process where
processes fork, built by the worker's initializer where they do not. Findings come back in the
order the calls went in, and at most two batches per worker are in flight, so a database of
any size streams through in flat memory.

An input that fits in one batch stays in this process: starting workers would cost more than
they save. ``scan`` does not come here: its own workers already run detection per file, and
pools are not nested.
"""

from __future__ import annotations

import itertools
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Iterable, Iterator

from ..calls import Call, Finding
from .registry import default_registry, detect_calls

BATCH_SIZE = 64  # calls per task: big enough for the classifier's batching, small enough to share out
WORKERS = 2


def batches(calls: Iterable[Call], size: int = BATCH_SIZE) -> Iterator[list[Call]]:
    calls = iter(calls)
    return iter(lambda: list(itertools.islice(calls, size)), [])


def detect_stream(
    calls: Iterable[Call], config: dict[str, Any] | None = None, workers: int = WORKERS, batch_size: int = BATCH_SIZE
) -> Iterator[list[Finding]]:
    """The findings of each call of ``calls``, in order, like ``detect_calls`` on all of them."""
    chunks = batches(calls, batch_size)
    opening = list(itertools.islice(chunks, 2))
    if workers <= 1 or len(opening) < 2:
        for chunk in itertools.chain(opening, chunks):
            yield from detect_calls(chunk, config)
        return
    default_registry(config)  # built here, so that forked workers inherit it
    with ProcessPoolExecutor(max_workers=workers, initializer=default_registry, initargs=(config,)) as pool:
        in_flight: deque[Future] = deque()
        for chunk in itertools.chain(opening, chunks):
            in_flight.append(pool.submit(detect_calls, chunk, config))
            if len(in_flight) >= 2 * workers:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()
