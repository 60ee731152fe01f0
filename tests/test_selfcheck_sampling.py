import csv
import json
import math

import numpy as np
import pytest
from openpyxl import load_workbook

from fixtures.selfcheck_db import add_call, build_year
from pipeline.selfcheck.sampling import (
    SAMPLE_HEADERS,
    SamplingError,
    SamplingPlan,
    allocate,
    draw_sample,
    latest_sample_id,
    load_population,
    load_sample,
    record_sample,
    rederive,
    write_sample,
)
from pipeline.selfcheck.stats import sample_size_for_margin
from pipeline.store import open_db


@pytest.fixture(scope="module")
def year_db(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("sampling") / "qa.db")
    build_year(db, calls_per_agent_month=2)  # 12 agents x 12 months x 2 = 288 calls in 2026
    return db


def plan(**changes):
    return SamplingPlan(**{"year": 2026, "seed": 20261122, "size": 60, "by": ("agency", "month"), **changes})


def test_population_is_the_years_ok_calls_sorted_by_id(year_db):
    population = load_population(year_db, 2026)
    ids = [c.call_id for c in population]
    assert len(ids) == 288
    assert ids == sorted(ids)
    assert not any(i.startswith("2025") for i in ids)  # last year's call
    assert "202606-A01-901" not in ids  # the failed call


def test_same_seed_same_sample(year_db):
    assert draw_sample(year_db, plan()).calls == draw_sample(year_db, plan()).calls


def test_different_seed_different_sample(year_db):
    assert draw_sample(year_db, plan()).call_ids != draw_sample(year_db, plan(seed=1)).call_ids


def test_sample_does_not_depend_on_insertion_order(tmp_path):
    calls = [(f"c{i:03d}", f"2026-{i % 12 + 1:02d}-10T10:00:00+08:00", f"机构{i % 3}", f"G{i % 5}") for i in range(90)]
    forward, backward = open_db(tmp_path / "f.db"), open_db(tmp_path / "b.db")
    for call in calls:
        add_call(forward, *call)
    for call in reversed(calls):
        add_call(backward, *call)
    p = SamplingPlan(year=2026, seed=3, size=20, by=("agency", "agent"))
    assert draw_sample(forward, p).calls == draw_sample(backward, p).calls


def test_sizes_add_up_and_follow_proportional_allocation(year_db):
    sample = draw_sample(year_db, plan(size=50, by=("agency",)))
    assert sum(s.sample for s in sample.strata) == len(sample.calls) == 50
    total = sum(s.population for s in sample.strata)
    for s in sample.strata:
        quota = 50 * s.population / total
        assert math.floor(quota) <= s.sample <= math.ceil(quota)
    # every call is drawn from its own stratum, once
    assert len(set(sample.call_ids)) == 50
    by_label = {s.label: s.sample for s in sample.strata}
    for label, n in by_label.items():
        assert sum(1 for _, stratum in sample.calls if stratum == label) == n


def test_equal_allocation_gives_each_stratum_the_same_size(year_db):
    sample = draw_sample(year_db, plan(size=31, by=("agency",), allocation="equal"))
    assert sorted(s.sample for s in sample.strata) == [10, 10, 11]


def test_allocate_largest_remainder():
    assert allocate({("a",): 50, ("b",): 30, ("c",): 20}, 10, {("a",): 50, ("b",): 30, ("c",): 20}) == {
        ("a",): 5,
        ("b",): 3,
        ("c",): 2,
    }
    # quotas 3.5, 2.1, 1.4: floors 3+2+1 = 6, the one left goes to the largest remainder (a)
    assert allocate({("a",): 35, ("b",): 21, ("c",): 14}, 7, {("a",): 35, ("b",): 21, ("c",): 14}) == {
        ("a",): 4,
        ("b",): 2,
        ("c",): 1,
    }
    # ties go to the first stratum in order
    assert allocate({("a",): 1, ("b",): 1, ("c",): 1}, 2, {("a",): 1, ("b",): 1, ("c",): 1}) == {
        ("a",): 1,
        ("b",): 1,
        ("c",): 0,
    }


def test_allocate_takes_a_small_stratum_whole_and_shares_the_rest():
    assert allocate({("a",): 2, ("b",): 100}, 50, {("a",): 1, ("b",): 1}) == {("a",): 2, ("b",): 48}


def test_oversampling_flagged_calls_adds_the_stratum_and_weights_it(year_db):
    p = plan(size=40, by=("agency",), oversample_flagged=3.0)
    assert p.by == ("agency", "flagged")
    sample = draw_sample(year_db, p)
    flagged = sum(s.sample for s in sample.strata if s.key[1] == "有机器发现")
    flagged_population = sum(s.population for s in sample.strata if s.key[1] == "有机器发现")
    total = sum(s.population for s in sample.strata)
    expected = 40 * 3 * flagged_population / (3 * flagged_population + total - flagged_population)
    assert abs(flagged - expected) <= len(sample.strata) / 2
    assert flagged / 40 > flagged_population / total


def test_size_from_margin_of_error(year_db):
    sample = draw_sample(year_db, plan(size=None, margin=0.05, by=("agency",)))
    assert sample.size == sample_size_for_margin(0.05, 0.95, 0.5, 288) == len(sample.calls)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"by": ("region",)}, "unknown stratum region"),
        ({"size": None}, "sample size or a margin"),
        ({"allocation": "neyman"}, "allocation"),
        ({"oversample_flagged": 0}, "oversample"),
    ],
)
def test_bad_plans_are_refused(changes, message):
    with pytest.raises(SamplingError, match=message):
        plan(**changes)


def test_a_sample_larger_than_the_population_is_refused(year_db):
    with pytest.raises(SamplingError, match="larger than the population"):
        draw_sample(year_db, plan(size=289))


def test_a_year_without_calls_is_refused(year_db):
    with pytest.raises(SamplingError, match="no ok calls started in 2030"):
        draw_sample(year_db, plan(year=2030))


def test_sample_is_recorded_and_rederives(tmp_path):
    db = open_db(tmp_path / "qa.db")
    build_year(db, calls_per_agent_month=1)
    sample = draw_sample(db, plan(size=30, by=("agency", "flagged"), oversample_flagged=2.0))
    sample_id = record_sample(db, sample, created_by="合规负责人")
    assert latest_sample_id(db, 2026) == sample_id

    row = db.execute(
        "SELECT seed, size, parameters, population, created_by FROM samples WHERE id = ?", [sample_id]
    ).fetchone()
    assert row[0] == 20261122 and row[1] == 30 and row[4] == "合规负责人"
    parameters, population = json.loads(row[2]), json.loads(row[3])
    assert parameters["by"] == ["agency", "flagged"] and parameters["oversample_flagged"] == 2.0
    assert parameters["numpy_version"] == np.__version__
    assert population["total"] == 144
    assert sum(s["population"] for s in population["strata"]) == 144
    assert sum(s["sample"] for s in population["strata"]) == 30
    stored = db.execute(
        "SELECT call_id, stratum, position FROM sample_calls WHERE sample_id = ? ORDER BY position", [sample_id]
    ).fetchall()
    assert [(c, s) for c, s, _ in stored] == sample.calls
    assert [p for _, _, p in stored] == list(range(1, 31))

    check = rederive(db, sample_id)
    assert check.same_population and check.same_calls

    add_call(db, "202607-Z99-000", "2026-07-01T10:00:00+08:00", "新机构", "Z99")
    check = rederive(db, sample_id)
    assert not check.same_population


def test_write_sample_as_csv_and_xlsx(year_db, tmp_path):
    sample = draw_sample(year_db, plan(size=12))
    write_sample(tmp_path / "s.csv", year_db, sample)
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == SAMPLE_HEADERS
    assert [r[1] for r in rows[1:]] == sample.call_ids
    flagged = [r for r in rows[1:] if r[7]]
    assert all(sample.members[r[1]].flagged for r in flagged)

    write_sample(tmp_path / "s.xlsx", year_db, sample)
    workbook = load_workbook(tmp_path / "s.xlsx")
    sheet = workbook["抽样清单"]
    values = list(sheet.values)
    assert list(values[0]) == SAMPLE_HEADERS
    assert [v[1] for v in values[1:]] == sample.call_ids
    parameters = dict(workbook["抽样参数"].values)
    assert parameters["随机种子"] == "20261122" and parameters["样本量"] == "12"


def test_write_sample_refuses_other_formats(year_db, tmp_path):
    with pytest.raises(SamplingError, match="xlsx or .csv"):
        write_sample(tmp_path / "s.json", year_db, draw_sample(year_db, plan(size=5)))


def test_exported_text_never_runs_as_a_formula(tmp_path):
    db = open_db(tmp_path / "qa.db")
    add_call(db, "c1", "2026-01-01T10:00:00+08:00", '=HYPERLINK("http://x","y")', "+A1")
    sample = draw_sample(db, SamplingPlan(year=2026, seed=1, size=1))
    write_sample(tmp_path / "s.xlsx", db, sample)
    cells = list(load_workbook(tmp_path / "s.xlsx")["抽样清单"].rows)[1]
    assert cells[3].value == '=HYPERLINK("http://x","y")' and cells[4].value == "+A1"  # shown as typed
    assert cells[3].data_type == cells[4].data_type == "s"  # as text, not as a formula
    write_sample(tmp_path / "s.csv", db, sample)
    assert "'=HYPERLINK" in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")


def test_a_sample_is_recorded_whole_or_not_at_all(tmp_path):
    import sqlite3

    db = open_db(tmp_path / "qa.db")
    add_call(db, "c1", "2026-01-01T10:00:00+08:00", "某某信用管理", "A01")
    sample = draw_sample(db, SamplingPlan(year=2026, seed=1, size=1))
    sample.calls = sample.calls * 2  # the same call twice breaks sample_calls' primary key
    with pytest.raises(sqlite3.IntegrityError):
        record_sample(db, sample, created_by="x")
    assert db["samples"].count == 0 and db["sample_calls"].count == 0


def test_a_sample_whose_file_cannot_be_written_is_not_recorded(tmp_path):
    from pipeline.spreadsheet import OutputError

    db = open_db(tmp_path / "qa.db")
    add_call(db, "c1", "2026-01-01T10:00:00+08:00", "某某信用管理", "A01")
    sample = draw_sample(db, SamplingPlan(year=2026, seed=1, size=1))
    with pytest.raises(OutputError, match="missing does not exist"):
        record_sample(db, sample, created_by="x", out=tmp_path / "missing" / "s.xlsx")
    assert db["samples"].count == 0 and db["sample_calls"].count == 0
    record_sample(db, sample, created_by="x", out=tmp_path / "s.xlsx")
    assert db["samples"].count == 1 and (tmp_path / "s.xlsx").exists()


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), 0.0])
def test_a_weight_that_is_not_a_positive_number_is_refused(weight):
    with pytest.raises(SamplingError, match="oversample-flagged must be a positive number"):
        SamplingPlan(year=2026, seed=1, size=1, oversample_flagged=weight)


def test_a_huge_sample_id_is_no_sample(tmp_path):
    with pytest.raises(SamplingError, match="no sample with id"):
        load_sample(open_db(tmp_path / "qa.db"), 10**30)
