"""The process pool of an audio scan: a worker that dies takes only its own file down."""

import os

from pipeline import scan
from pipeline.calls import Call, CallRecord, Segment
from pipeline.scan import ScanSettings, Source, run_audio_batch


def fake_process_file(source: Source, sha256: str, settings: ScanSettings) -> CallRecord:
    """Stands in for decoding and transcription; a file named crash* kills its worker process,
    as a crash in native decoding code would."""
    if source.path.name.startswith("crash"):
        os._exit(1)
    call = Call(call_id=source.call_id, segments=[Segment(0.0, 1.0, "agent", f"这是{source.call_id}")])
    return CallRecord(call=call, source_path=str(source.path), sha256=sha256)


def sources(tmp_path, names):
    result = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(name.encode())  # distinct contents, distinct hashes
        result.append(Source(path=path, call_id=path.stem))
    return result


def test_a_worker_that_dies_fails_its_own_file_and_the_batch_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(scan, "process_file", fake_process_file)  # workers are forked: they see it
    names = [f"ok{i}.wav" for i in range(3)] + ["crash.wav"] + [f"ok{i}.wav" for i in range(3, 9)]
    saved: list[CallRecord] = []
    progress = run_audio_batch(sources(tmp_path, names), ScanSettings(transcribe=None), saved.append, {}, workers=2)
    by_id = {record.call.call_id: record for record in saved}
    assert sorted(by_id) == sorted(name.removesuffix(".wav") for name in names)  # each saved exactly once
    assert len(saved) == len(names)
    assert by_id["crash"].status == "failed" and "worker process died" in by_id["crash"].error
    assert "crash.wav" in by_id["crash"].error
    assert all(r.status == "ok" for r in saved if r.call.call_id != "crash")
    assert (progress.ok, progress.failed) == (9, 1)
