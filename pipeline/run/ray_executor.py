"""The stage on a Ray cluster: one actor per worker, each setting the stage up once (the
Whisper model and the detection registry are built inside the actor, never pickled).

Only the pure per-item stage runs on Ray; the run (identity, skipping, the single SQLite
writer, the cross-call rules) stays in the driver. Each actor has one item at a time, so
the files in flight are bounded by the number of actors (backpressure) and results stream
back as they finish. Unless the workers share the driver's filesystem (``shared_fs``), each
file's bytes travel through Ray's object store with the task.

Faults: an actor that dies (kill -9, out of memory, a lost node) is restarted and its item
tried once more; an item whose worker dies a second time is given up as ``stage.failed``.
With one item per actor, the item that was running is the one that killed it.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from pipeline.run.executors import _END, WORKER_DIED, Executor
from pipeline.run.inputs import ScanError

INSTALL_HINT = "the Ray engine needs Ray installed: pip install 'callqa[ray]' (in a checkout: pip install -e '.[ray]')"


def _ray():
    try:
        import ray
    except ImportError:
        raise ScanError(INSTALL_HINT) from None
    return ray


class StageWorker:
    """A Ray actor holding one set-up stage."""

    def __init__(self, stage):
        import ray

        stage.setup()
        self.stage = stage
        self.node = ray.get_runtime_context().get_node_id()

    def run(self, item):
        return self.stage(item), self.node


class RayExecutor(Executor):
    """``workers`` actors (default: as many as the cluster's CPUs, or GPUs with ``device='cuda'``,
    allow), each reserving ``cpus_per_worker`` CPUs (and one GPU for cuda).

    ``address``: the cluster to join (``auto``: the one this machine's ``ray start`` joined,
    ``ray://head:10001``); None starts a new Ray on this machine unless this process already has
    one running (``init``: more ``ray.init`` options for it).
    """

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        shared_fs: bool = False,
        device: str = "cpu",
        cpus_per_worker: int = 1,
        init: dict[str, Any] | None = None,
    ):
        super().__init__()
        ray = _ray()
        self._started = not ray.is_initialized()
        if self._started:
            try:
                # "local" starts a new Ray here even where a `ray start` left its address behind.
                ray.init(address=address or "local", log_to_driver=False, **(init or {}))
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ScanError(f"cannot reach the Ray cluster at {address or 'this machine'}: {exc}") from None
        gpus = 1 if device == "cuda" else 0
        self.resources = {"num_cpus": cpus_per_worker, "num_gpus": gpus}
        self.workers = workers or self._slots(ray.cluster_resources(), cpus_per_worker, gpus)
        self.shared_fs = shared_fs

    @staticmethod
    def _slots(cluster: dict[str, float], cpus: int, gpus: int) -> int:
        if gpus:
            return max(1, int(cluster.get("GPU", 0)))
        return max(1, int(cluster.get("CPU", 1) // cpus))

    def map(self, stage, items, ordered=False):
        ray = _ray()
        worker_class = ray.remote(max_restarts=-1, max_task_retries=1, **self.resources)(StageWorker)
        actors = [worker_class.remote(stage) for _ in range(self.workers)]
        idle = deque(actors)
        in_flight: dict[Any, tuple[Any, Any]] = {}  # result ref -> (item, actor), in submission order
        items = iter(items)
        try:
            while True:
                while idle and (item := next(items, _END)) is not _END:
                    actor = idle.popleft()
                    shipped = item if self.shared_fs else stage.packed(item)
                    in_flight[actor.run.remote(shipped)] = (item, actor)
                if not in_flight:
                    return
                if ordered:
                    ready = [next(iter(in_flight))]
                else:
                    ready, _ = ray.wait(list(in_flight), num_returns=1)
                for ref in ready:
                    item, actor = in_flight.pop(ref)
                    idle.append(actor)
                    yield item, self._result(ray, stage, item, ref)
        finally:
            for actor in actors:
                ray.kill(actor)

    def _result(self, ray, stage, item, ref):
        try:
            result, node = ray.get(ref)
        except ray.exceptions.RayTaskError as exc:  # the stage raised where it never should
            return stage.failed(item, f"worker failed ({exc.cause!r})")
        except ray.exceptions.RayError:  # the actor died on this item twice, or its node was lost
            return stage.failed(item, WORKER_DIED)
        self.nodes[node] += 1
        return result

    def close(self) -> None:
        if self._started:
            _ray().shutdown()
