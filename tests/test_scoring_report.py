"""The yearly report's score distributions per agency and agent, worked out by hand from the
self-check report's planted year (the standard scorecard: threat, third-party leak critical)."""

from test_selfcheck_report import X, Y, page_rows, rendered, report_db  # noqa: F401 (a fixture)

from pipeline.config import load_config
from pipeline.scoring import score_calls


def test_score_distribution_per_agency_and_agent(report_db):  # noqa: F811
    score_calls(report_db, load_config())
    page = rendered(report_db)
    agencies = {r[0]: r[1:] for r in page_rows(page, "scores", 0)}
    # X: x1 threat, x3 leak, x4 a reviewer's missed threat fail outright; x2's only finding was
    # dismissed, x5 has none. Y: y3's threat is only "uncertain", so it counts.
    assert agencies[X] == ["5", "40.0", "0", "0", "3", "不合格 3，优秀 2"]
    assert agencies[Y] == ["3", "66.7", "100", "0", "1", "优秀 2，不合格 1"]
    agents = {(r[0], r[1]): r[2:] for r in page_rows(page, "scores", 1)}
    assert agents[X, "A01"] == ["3", "66.7", "100", "0", "1", "优秀 2，不合格 1"]
    assert agents[X, "A02"] == ["2", "0.0", "0", "0", "2", "不合格 2"]


def test_without_scores_the_section_says_how_to_get_them(report_db):  # noqa: F811
    assert page_rows(rendered(report_db), "scores", 0) == [["尚无评分（callqa score）。"]]
