"""Executors: who runs a stage over a run's inputs. The run never cares which.

One small interface: ``map(stage, items)`` yields ``(item, result)`` pairs as results come in
(in input order with ``ordered=True``), keeping only a bounded number of items in flight so
an archive of any size streams through in flat memory. A result is whatever the stage
returns; when a worker dies on an item, the executor asks ``stage.failed(item, reason)``.

- ``InProcess``: the stage in this process, one item after another.
- ``ProcessPool``: worker processes on this machine, each with the stage set up once.
- ``RayExecutor`` (``ray_executor.py``): actors on a Ray cluster.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any

_END = object()
WORKER_DIED = "the worker process died on this file (a crash in native code or out of memory)"


class Executor:
    """Runs a stage over items; subclasses say where."""

    workers = 1
    nodes: Counter  # items done per machine, where the executor spans several (Ray)

    def __init__(self) -> None:
        self.nodes = Counter()

    def map(self, stage, items: Iterable[Any], ordered: bool = False) -> Iterator[tuple[Any, Any]]:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the executor holds between maps (a cluster connection)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class InProcess(Executor):
    """The stage in this process: no start-up cost, no isolation from a crashing file."""

    def map(self, stage, items, ordered=False):
        stage.setup()
        for item in items:
            yield item, stage(item)


class ProcessPool(Executor):
    """Worker processes on this machine, ``2 * workers`` items in flight.

    A worker that dies (a crash in native decoding code, the kernel's OOM killer) breaks the
    whole pool and every item in flight with it: those are run again one by one in a pool of
    their own, so only the item that kills its worker a second time is given up, as
    ``stage.failed``. Workers exit when this process dies, even by kill -9.
    """

    def __init__(self, workers: int):
        super().__init__()
        self.workers = workers

    def map(self, stage, items, ordered=False):
        items = iter(items)
        while True:
            unfinished = yield from self._one_pool(stage, items, ordered)
            if not unfinished:
                return
            for item in unfinished:
                yield item, self._alone(stage, item)

    def _one_pool(self, stage, items: Iterator, ordered: bool):
        """Pairs from one pool until ``items`` runs out (returns []) or a worker dies (returns
        the items that were in flight, unfinished, in input order)."""
        with _pool(stage, self.workers) as pool:
            in_flight: dict[Future, Any] = {}  # in submission order
            while True:
                while len(in_flight) < 2 * self.workers and (item := next(items, _END)) is not _END:
                    try:
                        in_flight[pool.submit(_run_item, item)] = item
                    except BrokenProcessPool:
                        return [*in_flight.values(), item]
                if not in_flight:
                    return []
                if ordered:
                    done = [next(iter(in_flight))]
                    concurrent.futures.wait(done)
                else:
                    finished, _ = concurrent.futures.wait(in_flight, return_when=FIRST_COMPLETED)
                    done = [f for f in in_flight if f in finished]
                for future in done:
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        return list(in_flight.values())
                    except Exception as exc:  # e.g. a result that cannot be sent back
                        result = stage.failed(in_flight[future], f"worker failed ({type(exc).__name__}: {exc})")
                    yield in_flight.pop(future), result

    @staticmethod
    def _alone(stage, item):
        """One item in a worker of its own: if the worker dies, this item killed it."""
        with _pool(stage, 1) as pool:
            try:
                return pool.submit(_run_item, item).result()
            except BrokenProcessPool:
                return stage.failed(item, WORKER_DIED)
            except Exception as exc:
                return stage.failed(item, f"worker failed ({type(exc).__name__}: {exc})")


def _pool(stage, workers: int) -> concurrent.futures.ProcessPoolExecutor:
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, initializer=_start_worker, initargs=(stage, os.getpid())
    )


_stage = None  # the stage of this worker process, set up once by _start_worker


def _start_worker(stage, parent: int) -> None:
    global _stage
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    stage.setup()
    _stage = stage


def _run_item(item):
    return _stage(item)


def _exit_with_parent(parent: int) -> None:
    """A worker outliving its run (kill -9 of the scan) would go on using CPU for nothing."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def make_executor(engine: str = "local", workers: int | None = None, **ray_options: Any) -> Executor:
    """``local``: processes on this machine (default: both cores); ``ray``: actors on a Ray
    cluster (``ray_options``: see ``RayExecutor``)."""
    if engine == "ray":
        from pipeline.run.ray_executor import RayExecutor

        return RayExecutor(workers=workers, **ray_options)
    return local_executor(workers or default_workers())


def local_executor(workers: int) -> Executor:
    """The executor for ``workers`` processes on this machine (``1``: this process)."""
    return ProcessPool(workers) if workers > 1 else InProcess()


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def local_workers(config: dict[str, Any], workers: int | None = None) -> int:
    """Processes for a local run: ``workers`` when given, else ``scan.workers`` in ``config``,
    else both cores."""
    from pipeline.config import ScanOptions

    return workers or ScanOptions.from_config(config).workers or default_workers()
