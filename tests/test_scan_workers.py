"""The process pool of an audio scan: a worker that dies takes only its own file down."""

import os

from pipeline.calls import Call, CallRecord, Segment
from pipeline.run import FileStage, ProcessPool, ScanSettings, Source
from pipeline.run.run import Progress, pending_files


class FakeFileStage(FileStage):
    """Stands in for decoding and transcription; a file named crash* kills its worker process,
    as a crash in native decoding code would."""

    def setup(self):
        pass

    def __call__(self, task):
        if task.source.path.name.startswith("crash"):
            os._exit(1)
        call = Call(call_id=task.source.call_id, segments=[Segment(0.0, 1.0, "agent", f"这是{task.source.call_id}")])
        return CallRecord(call=call, source_path=str(task.source.path), sha256=task.sha256)


def sources(tmp_path, names):
    result = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(name.encode())  # distinct contents, distinct hashes
        result.append(Source(path=path, call_id=path.stem))
    return result


def test_a_worker_that_dies_fails_its_own_file_and_the_batch_goes_on(tmp_path):
    names = [f"ok{i}.wav" for i in range(3)] + ["crash.wav"] + [f"ok{i}.wav" for i in range(3, 9)]
    tasks = list(pending_files(sources(tmp_path, names), {}, False, False, Progress()))
    saved = [record for _task, record in ProcessPool(2).map(FakeFileStage(ScanSettings(transcribe=None)), tasks)]
    by_id = {record.call.call_id: record for record in saved}
    assert sorted(by_id) == sorted(name.removesuffix(".wav") for name in names)  # each saved exactly once
    assert len(saved) == len(names)
    assert by_id["crash"].status == "failed" and "worker process died" in by_id["crash"].error
    assert "crash.wav" in by_id["crash"].error
    assert all(r.status == "ok" for r in saved if r.call.call_id != "crash")


def test_the_pool_keeps_input_order_when_asked(tmp_path):
    names = [f"ok{i}.wav" for i in range(7)] + ["crash.wav"] + [f"ok{i}.wav" for i in range(7, 12)]
    tasks = list(pending_files(sources(tmp_path, names), {}, False, False, Progress()))
    pairs = list(ProcessPool(2).map(FakeFileStage(ScanSettings(transcribe=None)), tasks, ordered=True))
    assert [record.call.call_id for _task, record in pairs] == [name.removesuffix(".wav") for name in names]
    assert [task for task, _record in pairs] == tasks


def test_an_unreadable_file_gets_a_failed_record_with_the_reason(tmp_path):
    tasks = list(pending_files([Source(path=tmp_path / "gone.wav", call_id="gone")], {}, False, False, Progress()))
    record = FileStage(ScanSettings(transcribe=None))(tasks[0])  # no model needed: nothing to decode
    assert record.status == "failed" and f"{tmp_path / 'gone.wav'}: cannot read file" in record.error
    assert tasks[0].sha256.startswith("unreadable:")


def test_a_local_scan_takes_its_worker_count_from_the_settings_unless_told(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pipeline import cli as cli_module

    chosen = []

    def record_executor(engine, workers, **_options):
        chosen.append(workers)
        return cli_module.local_executor(1)

    monkeypatch.setattr(cli_module, "make_executor", record_executor)
    (tmp_path / "calls.jsonl").write_text('{"call_id": "c1", "segments": []}\n', encoding="utf-8")
    (tmp_path / "one.yaml").write_text("scan:\n  workers: 1\n", encoding="utf-8")
    base = ["scan", "--transcripts", str(tmp_path / "calls.jsonl"), "--db", str(tmp_path / "qa.db")]
    runner = CliRunner()
    assert runner.invoke(cli_module.cli, [*base, "--config", str(tmp_path / "one.yaml")]).exit_code == 0
    assert (
        runner.invoke(cli_module.cli, [*base, "--config", str(tmp_path / "one.yaml"), "--workers", "3"]).exit_code == 0
    )
    assert runner.invoke(cli_module.cli, base).exit_code == 0
    assert chosen == [1, 3, cli_module.default_workers()]
