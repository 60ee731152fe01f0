"""``callqa demo``: the fixture recordings and transcripts scanned into one database, then a look."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.store import open_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_demo_outside_a_checkout_says_so(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "out"), "--fixtures", str(tmp_path)])
    assert result.exit_code == 1
    assert "no fixture recordings here" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_demo_scans_recordings_and_transcripts_into_one_database(tmp_path):
    fixtures = tmp_path / "fixtures"
    (fixtures / "audio").mkdir(parents=True)
    shutil.copy(FIXTURES / "audio" / "violation_stereo_16k.wav", fixtures / "audio")
    (fixtures / "audio" / "manifest.csv").write_text(
        "path,call_id\nviolation_stereo_16k.wav,rec-demo\n", encoding="utf-8"
    )
    shutil.copytree(FIXTURES / "transcripts", fixtures / "transcripts")
    out = tmp_path / "out"

    result = CliRunner().invoke(cli, ["demo", "--out", str(out), "--fixtures", str(fixtures), "--workers", "1"])
    assert result.exit_code == 0, result.output

    db = open_db(out / "qa.db")
    assert [r["command"] for r in db["runs"].rows] == ["scan", "scan"]  # the recordings, then the transcript file
    recorded = db.execute("SELECT model FROM calls WHERE id = 'rec-demo'").fetchone()
    assert recorded == ("whisper-base (bundled)",)
    assert db.execute("SELECT count(*) FROM calls WHERE model = 'transcript'").fetchone()[0] > 0
    assert "rec-demo\t" in result.output.split("搜索“法院”")[1]  # the recording says 法院
    findings = result.output.split("\nFindings:\n")[1]
    assert "rec-demo\t" in findings
