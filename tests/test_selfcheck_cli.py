import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from fixtures.selfcheck_db import add_call, build_year
from pipeline.cli import cli
from pipeline.store import open_db


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "qa.db"
    build_year(open_db(path), calls_per_agent_month=1)  # 144 calls in 2026
    return str(path)


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result


def test_sample_records_writes_and_verifies(db_path, tmp_path):
    out = tmp_path / "sample.xlsx"
    result = run(
        "sample",
        "--db",
        db_path,
        "--year",
        2026,
        "--size",
        40,
        "--by",
        "agency,month",
        "--seed",
        20261122,
        "--out",
        out,
        "--created-by",
        "合规负责人",
    )
    assert result.exit_code == 0, result.output
    assert "40 通" in result.output and "种子 20261122" in result.output
    rows = list(load_workbook(out)["抽样清单"].values)
    assert rows[0][:3] == ("序号", "通话编号", "分层") and len(rows) == 41
    sample_id = open_db(db_path).execute("SELECT max(id) FROM samples").fetchone()[0]
    verified = run("sample", "--db", db_path, "--verify", sample_id)
    assert verified.exit_code == 0 and "可复现" in verified.output


def test_sample_size_from_margin(db_path):
    result = run(
        "sample", "--db", db_path, "--year", 2026, "--margin", 0.05, "--confidence", 0.95, "--by", "agency", "--seed", 1
    )
    assert result.exit_code == 0, result.output
    # Cochran with finite population correction: 384.15 / (1 + 383.15 / 144) = 105.0 -> 105
    assert "105 通（总体 144 通" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", 2026, "--size", 10, "--by", "region"], "unknown stratum region"),
        (["--year", 2026, "--size", 1000], "larger than the population"),
        (["--size", 10], "--year"),
        (["--year", 2026, "--size", 10, "--margin", 0.05], "not both"),
        (["--verify", 999], "no sample with id 999"),
        (["--year", 2026, "--size", 10, "--out", "sample.json"], "sample.json: write the sample as .xlsx or .csv"),
    ],
)
def test_sample_errors_are_clear(db_path, args, message):
    samples_before = open_db(db_path)["samples"].count
    result = run("sample", "--db", db_path, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert open_db(db_path)["samples"].count == samples_before  # nothing recorded


def test_report_writes_html(db_path, tmp_path):
    out = tmp_path / "selfcheck.html"
    result = run("report", "--db", db_path, "--year", 2026, "--out", out)
    assert result.exit_code == 0, result.output
    assert "144 calls" in result.output
    assert "2026 年度催收通话质检自查报告" in out.read_text(encoding="utf-8")
    agency = run("report", "--db", db_path, "--year", 2026, "--agency", "某某信用管理", "--out", tmp_path / "a.html")
    assert agency.exit_code == 0 and "48 calls" in agency.output
    missing = run("report", "--db", db_path, "--year", 2026, "--agency", "不存在", "--out", tmp_path / "b.html")
    assert missing.exit_code != 0 and "no ok calls of agency '不存在'" in missing.output


def test_monitor_prints_tables_and_json(db_path, tmp_path):
    result = run("monitor", "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "精确率" in result.output and "召回率" in result.output
    data = json.loads(run("monitor", "--db", db_path, "--json").output)
    assert {"precision", "recall", "warnings", "settings"} <= set(data)
    settings = tmp_path / "strict.yaml"
    settings.write_text("monitoring:\n  min_precision: 0.99\n  min_reviews: 1\n", encoding="utf-8")
    strict = json.loads(run("monitor", "--db", db_path, "--json", "--config", settings).output)
    assert strict["settings"] == {"min_precision": 0.99, "min_reviews": 1}
    assert strict["warnings"]


def test_commands_refuse_a_missing_database(tmp_path):
    result = run("monitor", "--db", tmp_path / "nope.db")
    assert result.exit_code != 0 and "does not exist" in result.output


def test_verify_reports_a_changed_population(tmp_path):
    path = tmp_path / "qa.db"
    db = open_db(path)
    build_year(db, calls_per_agent_month=1)
    assert run("sample", "--db", path, "--year", 2026, "--size", 10, "--seed", 3).exit_code == 0
    add_call(db, "202605-Z01-000", "2026-05-01T10:00:00+08:00", "新机构", "Z01")
    result = run("sample", "--db", path, "--verify", 1)
    assert result.exit_code == 1
    assert "样本 1 不能复现：总体已变化" in result.output


def test_monitor_without_verdicts_says_what_is_missing(tmp_path):
    path = tmp_path / "qa.db"
    add_call(open_db(path), "c1", "2026-01-01T10:00:00+08:00", "某某信用管理", "A01")
    result = run("monitor", "--db", path)
    assert result.exit_code == 0
    assert "尚无复核结论" in result.output and "尚无已复核的抽样通话" in result.output
