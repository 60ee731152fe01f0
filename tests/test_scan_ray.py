"""The scan on Ray (a local Ray started here, loopback only): the same stored results as the
local engine, and a worker that dies takes only its own file down."""

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.calls import Call, CallRecord, Segment
from pipeline.cli import cli
from pipeline.run import FileStage, ScanSettings, Source
from pipeline.run.run import Progress, pending_files

pytestmark = pytest.mark.slow  # starting Ray takes seconds

AUDIO = Path(__file__).resolve().parent.parent / "fixtures" / "audio"


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")  # here, not at collection: importing Ray costs a second the fast tier skips
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    yield
    ray.shutdown()


class DyingStage(FileStage):
    """A file named crash* kills its worker every time; flaky* kills it the first time only
    (it leaves a mark beside the file), as a node lost mid-file would."""

    def setup(self):
        pass

    def __call__(self, task):
        path = task.source.path
        mark = path.with_suffix(".died")
        if path.name.startswith("crash") or (path.name.startswith("flaky") and not mark.exists()):
            mark.touch()
            os._exit(1)
        call = Call(call_id=task.source.call_id, segments=[Segment(0.0, 1.0, "agent", task.data.decode())])
        return CallRecord(call=call, source_path=str(path), sha256=task.sha256)


def test_a_worker_killed_twice_fails_its_file_once_retried_succeeds(tmp_path, local_ray):
    from pipeline.run.ray_executor import RayExecutor

    names = [f"ok{i}.wav" for i in range(4)] + ["crash.wav", "flaky.wav"] + [f"ok{i}.wav" for i in range(4, 8)]
    sources = []
    for name in names:
        (tmp_path / name).write_bytes(name.encode())
        sources.append(Source(path=tmp_path / name, call_id=name.removesuffix(".wav")))
    tasks = list(pending_files(sources, {}, False, False, Progress()))
    with RayExecutor(workers=2) as executor:
        done = {
            record.call.call_id: record
            for _task, record in executor.map(DyingStage(ScanSettings(transcribe=None)), tasks)
        }
    assert sorted(done) == sorted(name.removesuffix(".wav") for name in names)
    assert (
        done["crash"].status == "failed"
        and done["crash"].error
        == f"{tmp_path / 'crash.wav'}: the worker process died on this file (a crash in native code or out of memory)"
    )
    assert done["flaky"].status == "ok", "a worker that died once gets its file again"
    assert all(
        r.status == "ok" and r.call.segments[0].text == f"{r.call.call_id}.wav"
        for r in done.values()
        if r.call.call_id != "crash"
    ), "the bytes travelled to the worker"
    assert sum(executor.nodes.values()) == len(names) - 1


class ReadingStage(FileStage):
    """Reads the file where the worker runs: the text says whether its bytes came with the task."""

    def setup(self):
        pass

    def __call__(self, task):
        text = task.source.path.read_text() if task.data is None else "shipped"
        call = Call(call_id=task.source.call_id, segments=[Segment(0.0, 1.0, "agent", text)])
        return CallRecord(call=call, source_path=str(task.source.path), sha256=task.sha256)


def test_shared_fs_workers_read_the_path_and_the_files_in_flight_stay_bounded(tmp_path, local_ray):
    from pipeline.run.ray_executor import RayExecutor

    sources = []
    for i in range(12):
        (tmp_path / f"f{i}.wav").write_text(f"on disk {i}")
        sources.append(Source(path=tmp_path / f"f{i}.wav", call_id=f"f{i}"))
    tasks = list(pending_files(sources, {}, False, False, Progress()))
    taken = 0

    def lazily():
        nonlocal taken
        for task in tasks:
            taken += 1
            yield task

    ahead = []
    with RayExecutor(workers=2, shared_fs=True) as executor:
        done = []
        for _task, record in executor.map(ReadingStage(ScanSettings(transcribe=None)), lazily()):
            done.append(record)
            ahead.append(taken - len(done))
    assert sorted(r.call.segments[0].text for r in done) == sorted(f"on disk {i}" for i in range(12))
    assert max(ahead) <= 2, "no more files in flight than workers"
    assert sum(executor.nodes.values()) == 12


TIMING = {"calls": {"processed_at", "run_id"}, "findings": {"id", "created_at"}, "segments": {"id"}}


def table(db_path: Path, name: str) -> list[tuple]:
    with sqlite3.connect(db_path) as db:
        columns = [c[1] for c in db.execute(f"PRAGMA table_info({name})") if c[1] not in TIMING[name]]
        return sorted(db.execute(f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM {name}").fetchall(), key=repr)


def test_ray_stores_what_the_local_engine_stores(tmp_path, local_ray):
    archive = tmp_path / "archive"
    shutil.copytree(AUDIO, archive)
    runner = CliRunner()
    base = ["scan", str(archive), "--manifest", str(archive / "manifest.csv")]
    local = runner.invoke(cli, [*base, "--db", str(tmp_path / "local.db"), "--workers", "2"])
    assert local.exit_code == 0, local.output
    on_ray = runner.invoke(cli, [*base, "--db", str(tmp_path / "ray.db"), "--engine", "ray", "--workers", "2"])
    assert on_ray.exit_code == 0, on_ray.output
    for name in TIMING:
        assert table(tmp_path / "ray.db", name) == table(tmp_path / "local.db", name), name
    failed = [row for row in table(tmp_path / "ray.db", "calls") if "failed" in row]
    assert len(failed) == 4 and table(tmp_path / "ray.db", "findings"), "broken files and findings both compared"
