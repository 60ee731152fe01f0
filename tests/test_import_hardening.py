"""Hostile import files (issue 12 items 6-8): every line is read on its own, a bad one is
reported by file, line and reason and stored as failed, and the rest of the import goes on."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.run import FileStage, FileTask, ScanSettings, read_manifest, scan
from pipeline.store import open_db


def good(call_id, started_at="2026-03-02T10:15:00+08:00"):
    segments = [{"start": 0.0, "end": 2.0, "speaker": "agent", "text": "你再不还钱，我们就派人上门"}]
    return json.dumps({"call_id": call_id, "started_at": started_at, "segments": segments}, ensure_ascii=False)


# (line bytes, words the reported reason must hold)
BAD_LINES = [
    (b'{"call_id": "latin1", "segments": [], "agency": "\xd6\xd0\xb9\xfa"}', "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"call_id": "nan", "segments": [{"start": NaN, "end": 1, "speaker": "agent", "text": "x"}]}', "NaN"),
    (b'{"call_id": "inf", "segments": [{"start": 0, "end": Infinity, "speaker": "agent", "text": "x"}]}', "Infinity"),
    (
        b'{"call_id": "surrogate", "segments": [{"start": 0, "end": 1, "speaker": "agent", "text": "\\ud800"}]}',
        "surrogate",
    ),
    (b"{not json", "not valid JSON"),
    (b"{also not json", "not valid JSON"),
    (good("feb30", "2026-02-30T10:00:00+08:00").encode(), "not a real date"),
    (good("year1", "0001-01-01T10:00:00+08:00").encode(), "impossible year"),
    (good("year9999", "9999-12-31T23:00:00+08:00").encode(), "impossible year"),
    (good("yesterday", "yesterday").encode(), "ISO 8601"),
    (good("month13", "2026-13-01T10:00:00+08:00").encode(), "not a real date"),
]


def write_import(path, first="ok-1", last="ok-2"):
    lines = [good(first).encode(), *(line for line, _ in BAD_LINES), good(last).encode()]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_every_bad_line_is_reported_stored_failed_and_the_import_goes_on(tmp_path):
    source = write_import(tmp_path / "vendor.jsonl")
    db = open_db(tmp_path / "qa.db")
    progress = scan(db, ScanSettings(transcribe=None), transcripts=source)
    assert (progress.ok, progress.failed, progress.skipped) == (2, len(BAD_LINES), 0)
    errors = {row["source_path"].split("#")[1]: row["error"] for row in db["calls"].rows_where("status = 'failed'")}
    for lineno, (_, reason) in enumerate(BAD_LINES, 2):
        location = f"vendor.jsonl:{lineno}"
        assert reason in errors[location] and errors[location].startswith(location)
    assert db.execute("SELECT finished_at IS NOT NULL FROM runs").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM findings WHERE call_id LIKE 'ok-%'").fetchone()[0] >= 2

    again = scan(db, ScanSettings(transcribe=None), transcripts=source)
    assert (again.ok, again.failed, again.skipped) == (0, 0, 2 + len(BAD_LINES))


def test_a_broken_line_in_a_later_file_is_reported_again(tmp_path):
    db = open_db(tmp_path / "qa.db")
    scan(db, ScanSettings(transcribe=None), transcripts=write_import(tmp_path / "monday.jsonl"))
    later = tmp_path / "tuesday.jsonl"
    later.write_bytes(b"{not json\n" + good("ok-3").encode() + b"\n")
    progress = scan(db, ScanSettings(transcribe=None), transcripts=later)
    assert (progress.ok, progress.failed) == (1, 1)
    assert progress.failures[0][1].startswith("tuesday.jsonl:1: not valid JSON")


def test_detect_reports_bad_lines_and_prints_only_strict_json(tmp_path):
    source = write_import(tmp_path / "vendor.jsonl")
    result = CliRunner().invoke(cli, ["detect", str(source)])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    reported = [line for line in result.stderr.splitlines() if line.startswith("vendor.jsonl:")]
    assert len(reported) == len(BAD_LINES)
    findings = [json.loads(line, parse_constant=lambda name: 1 / 0) for line in result.stdout.splitlines()]
    assert {f["call_id"] for f in findings} == {"ok-1", "ok-2"}


def test_a_manifest_row_with_an_impossible_date_fails_alone(tmp_path):
    """The per-file stage refuses the row's metadata before decoding anything (no model needed)."""
    (tmp_path / "a.wav").write_bytes(b"not audio")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,call_id,started_at\na.wav,bad-date,2026-02-30 10:00\n", encoding="utf-8")
    [source] = read_manifest(manifest, None)
    record = FileStage(ScanSettings(transcribe=None))(FileTask(source, "0" * 64))
    assert (record.status, record.call.call_id, record.call.started_at) == ("failed", "bad-date", None)
    assert "'started_at' is not a real date" in record.error and str(source.path) in record.error


def test_seeded_random_damage_loses_no_line(tmp_path):
    """benchmarks/hostile_import.py run small: 120 lines, half of them broken on purpose."""
    from benchmarks.hostile_import import run_import

    result = run_import(tmp_path, lines=120, seed=12)
    assert result.lost == 0, result.summary()
    assert result.ok >= 60 and result.failed > 0 and result.failed_with_line == result.failed, result.summary()
    assert result.run_finished
