"""The batch over vendor transcripts: storing, skipping, failures, kill safety, search."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.calls import Call, CallRecord, Segment
from pipeline.run import ScanSettings, find_audio, read_manifest, scan
from pipeline.store import load_call, open_db, save_call, search_segments


def write_jsonl(path, calls):
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in calls) + "\n", encoding="utf-8")


def make_call(i, text="您好，我是某某金融的，您的账单已经逾期了"):
    return {
        "call_id": f"c{i:05d}",
        "started_at": "2026-03-02T10:15:00+08:00",
        "agent_id": "A017",
        "agency": "某某信用管理有限公司",
        "segments": [
            {"start": 0.0, "end": 2.4, "speaker": "agent", "text": text},
            {"start": 2.6, "end": 3.1, "speaker": "customer", "text": "我是。"},
        ],
        "vendor_field": {"kept": True},
    }


def test_transcripts_are_stored_once_and_rerun_skips(tmp_path):
    src = tmp_path / "vendor.jsonl"
    write_jsonl(src, [make_call(1), make_call(2, "法院已经立案了")])
    db = open_db(tmp_path / "qa.db")
    first = scan(db, ScanSettings(transcribe=None), transcripts=src)
    assert (first.ok, first.failed, first.skipped) == (2, 0, 0)
    again = scan(db, ScanSettings(transcribe=None), transcripts=src)
    assert (again.ok, again.skipped) == (0, 2)
    assert db["calls"].count == 2 and db["segments"].count == 4
    call = load_call(db, "c00001")
    assert call.agency == "某某信用管理有限公司"
    assert call.extra == {"vendor_field": {"kept": True}}
    runs = list(db["runs"].rows)
    assert len(runs) == 2 and json.loads(runs[0]["counts"])["ok"] == 2


def test_malformed_call_is_stored_failed_and_batch_goes_on(tmp_path):
    src = tmp_path / "vendor.jsonl"
    bad = make_call(2)
    bad["segments"][1]["speaker"] = "robot"
    src.write_text(
        json.dumps(make_call(1), ensure_ascii=False) + "\n" + json.dumps(bad, ensure_ascii=False) + "\n{not json\n",
        encoding="utf-8",
    )
    db = open_db(tmp_path / "qa.db")
    progress = scan(db, ScanSettings(transcribe=None), transcripts=src)
    assert (progress.ok, progress.failed) == (1, 2)
    failed = {r["id"]: r["error"] for r in db["calls"].rows_where("status = 'failed'")}
    assert "segments[1].speaker" in failed["c00002"] and "c00002" in failed["c00002"]
    assert any("not valid JSON" in e and "vendor.jsonl:3" in e for e in failed.values())


def test_search_finds_chinese_words_with_timestamps(tmp_path):
    db = open_db(tmp_path / "qa.db")
    call = Call("c1", [Segment(0, 1.5, "agent", "你好，我们是法院委托的"), Segment(1.5, 3, "customer", "什么法院？")])
    save_call(db, CallRecord(call, "x.wav", "h1"))
    hits = search_segments(db, "法院")
    assert [(h.call_id, h.idx, h.speaker) for h in hits] == [("c1", 0, "agent"), ("c1", 1, "customer")]
    assert search_segments(db, "委托") and not search_segments(db, "律师")
    # FTS syntax and SQL-like text in a query are plain text, never an error
    assert search_segments(db, '" OR 1=1 --') == []
    assert search_segments(db, "NEAR(") == []


def test_same_call_id_from_another_file_gets_suffixed(tmp_path):
    db = open_db(tmp_path / "qa.db")
    save_call(db, CallRecord(Call("rec", []), "a/rec.wav", "aaaa1111"))
    stored_as = save_call(db, CallRecord(Call("rec", []), "b/rec.wav", "bbbb2222"))
    assert stored_as == "rec-bbbb2222" and db["calls"].count == 2


def test_manifest_and_folder_sources(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.wav", "a/b/two.MP3", "a/notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert [s.call_id for s in find_audio(tmp_path)] == ["two", "one"]  # by path: a/b/two.MP3 before a/one.wav
    manifest = tmp_path / "calls.csv"
    manifest.write_text(
        "path,call_id,agency,agent_id,campaign\na/one.wav,X-1,某某小贷,A9,spring\na/b/two.MP3,,,,\n", encoding="utf-8"
    )
    sources = read_manifest(manifest, None)
    assert sources[0].call_id == "X-1" and sources[0].meta == {"agency": "某某小贷", "agent_id": "A9"}
    assert sources[0].extra == {"campaign": "spring"}
    assert sources[1].call_id == "two" and sources[1].path == (tmp_path / "a/b/two.MP3").resolve()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie (an exited process its new parent has not reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_kill_minus_9_mid_run_leaves_every_call_stored_exactly_once_and_no_worker_running(tmp_path):
    src = tmp_path / "big.jsonl"
    n = 3000
    write_jsonl(src, [make_call(i, f"第{i}通电话，您的账单已经逾期了") for i in range(n)])
    db_path = tmp_path / "qa.db"
    cmd = [sys.executable, "-m", "pipeline", "scan", "--transcripts", str(src), "--db", str(db_path), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=os.getcwd())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if db_path.exists():
            try:
                if open_db(db_path)["calls"].count > 50:
                    break
            except Exception:
                pass
    workers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(workers) >= 2, "the import runs detection on worker processes"
    give_up = time.monotonic() + 10
    while any(map(running, workers)) and time.monotonic() < give_up:
        time.sleep(0.1)
    assert not any(map(running, workers)), "workers exit when the scan that started them dies"

    stored_before = open_db(db_path)["calls"].count
    assert 0 < stored_before < n, "the kill should land mid-run"
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = open_db(db_path)
    assert db["calls"].count == n
    assert db.execute("SELECT count(DISTINCT call_id) FROM segments").fetchone()[0] == n
    assert db["segments"].count == 2 * n
    runs = list(db["runs"].rows)
    assert [json.loads(r["counts"]).get("finished_by") for r in runs] == [runs[1]["id"], None]
    assert all(r["finished_at"] for r in runs), "the rerun finished the killed run"


def test_a_run_that_ended_early_is_finished_by_the_next(tmp_path, monkeypatch):
    """A scan killed before its cross-call rules ran leaves its run open; the next scan runs the
    rules over the killed run's days too, though it stores nothing new itself."""
    from pipeline.run import run as run_module

    night = make_call(1)
    night["started_at"] = "2026-03-02T23:10:00+08:00"  # quiet hours
    src = tmp_path / "vendor.jsonl"
    write_jsonl(src, [night])
    db = open_db(tmp_path / "qa.db")

    def killed(*args):
        raise KeyboardInterrupt  # as a kill between the last call and the cross-call rules

    with monkeypatch.context() as patch:
        patch.setattr(run_module, "_cross_call_rules", killed)
        with pytest.raises(KeyboardInterrupt):
            scan(db, ScanSettings(transcribe=None), transcripts=src)
    assert (
        db["calls"].count == 1
        and db.execute("SELECT count(*) FROM findings WHERE category = 'quiet_hours'").fetchone()[0] == 0
    )
    [first] = db["runs"].rows
    assert first["finished_at"] is None

    again = scan(db, ScanSettings(transcribe=None), transcripts=src)
    assert again.skipped == 1 and again.finished_runs == [first["id"]] and again.cross_call == 1
    assert [r[0] for r in db.execute("SELECT call_id FROM findings WHERE category = 'quiet_hours'")] == ["c00001"]
    first, second = db["runs"].rows
    assert first["finished_at"] and json.loads(first["counts"]) == {"ended_early": True, "finished_by": second["id"]}
