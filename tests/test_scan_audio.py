"""The batch over real recordings: bundled model, two workers, broken files, reruns."""

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.store import open_db

AUDIO = Path(__file__).resolve().parent.parent / "fixtures" / "audio"


@pytest.mark.slow
def test_scan_folder_with_manifest_then_rerun(tmp_path):
    archive = tmp_path / "archive" / "2026-03"
    archive.mkdir(parents=True)
    for name in ("violation_stereo_16k.wav", "violation_mono_8k_amrnb.amr", "broken_empty.wav", "broken_text.wav"):
        shutil.copy(AUDIO / name, archive / name)
    (archive / "copy-of-stereo.wav").write_bytes((AUDIO / "violation_stereo_16k.wav").read_bytes())
    manifest = tmp_path / "calls.csv"
    manifest.write_text(
        "path,call_id,agency,agent_id,queue\n"
        "2026-03/violation_stereo_16k.wav,S-1,某某小贷,A1,M1\n"
        "2026-03/violation_mono_8k_amrnb.amr,S-2,某某小贷,A2,\n"
        "2026-03/broken_empty.wav,S-3,,,\n"
        "2026-03/broken_text.wav,S-4,,,\n"
        "2026-03/copy-of-stereo.wav,S-5,,,\n",
        encoding="utf-8",
    )
    db_path = tmp_path / "qa.db"
    runner = CliRunner()
    args = ["scan", str(tmp_path / "archive"), "--manifest", str(manifest), "--db", str(db_path), "--workers", "2"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output

    db = open_db(db_path)
    calls = {r["id"]: r for r in db["calls"].rows}
    assert set(calls) == {"S-1", "S-2", "S-3", "S-4"}, "the byte-identical copy is the same call"
    assert calls["S-1"]["status"] == "ok" and calls["S-1"]["channels"] == 2
    assert calls["S-1"]["agency"] == "某某小贷" and json.loads(calls["S-1"]["extra"]) == {"queue": "M1"}
    assert calls["S-1"]["model"] == "whisper-base (bundled)"
    expected = json.loads((AUDIO / "fixtures.json").read_text(encoding="utf-8"))["files"]["violation_stereo_16k.wav"]
    assert abs(calls["S-1"]["duration"] - expected["duration"]) < 0.1
    assert calls["S-3"]["status"] == "failed" and "broken_empty.wav" in calls["S-3"]["error"]
    assert calls["S-4"]["status"] == "failed" and "not an audio file" in calls["S-4"]["error"]
    speakers = {r["speaker"] for r in db["segments"].rows_where("call_id = 'S-1'")}
    assert speakers == {"agent", "customer"}
    assert {r["speaker"] for r in db["segments"].rows_where("call_id = 'S-2'")} == {"unknown"}
    assert db.execute("SELECT count(*) FROM segments WHERE text GLOB '*法院*'").fetchone()[0] >= 1

    rerun = runner.invoke(cli, args)
    assert rerun.exit_code == 0
    runs = list(db["runs"].rows)
    assert json.loads(runs[-1]["counts"])["skipped"] == 5 and json.loads(runs[-1]["counts"])["ok"] == 0


def test_missing_folder_is_a_run_error(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "nope"), "--db", str(tmp_path / "qa.db")])
    assert result.exit_code != 0 and "no such file or folder" in result.output


def test_engine_ray_without_ray_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the [ray] extra were not installed
    transcripts = tmp_path / "calls.jsonl"
    transcripts.write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["scan", "--transcripts", str(transcripts), "--db", str(tmp_path / "qa.db"), "--engine", "ray"]
    )
    assert result.exit_code == 1 and "pip install 'callqa[ray]'" in result.output
    assert "Traceback" not in result.output


def test_ray_options_need_the_ray_engine(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--db", str(tmp_path / "qa.db"), "--shared-fs"])
    assert result.exit_code == 2 and "go with --engine ray" in result.output
