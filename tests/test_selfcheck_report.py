from html.parser import HTMLParser

import pytest

from fixtures.selfcheck_db import add_call, add_review
from pipeline.config import load_config
from pipeline.selfcheck import charts, report
from pipeline.selfcheck.report import ReportError, build_report, render_report, write_report
from pipeline.selfcheck.sampling import SamplingPlan, draw_sample, record_sample
from pipeline.store import open_db

X, Y = "某某信用管理", "安信资产管理"
LEAK = "他欠我们八千块已经逾期三个月了，你让他打13812345678"
VIOLATING = {"x1", "x3", "x4", "y3"}


class Page(HTMLParser):
    """Text of every div with an id (the report's headline figures), and the tables of each
    section as lists of cell texts."""

    def __init__(self, html):
        super().__init__()
        self.by_id, self.tables = {}, {}
        self._open_ids, self._section, self._row, self._cell = [], None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self._section = attrs["id"]
            self.tables[self._section] = []
        elif tag == "table":
            self.tables[self._section].append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""
        if tag == "div":
            self._open_ids.append(attrs.get("id"))
            if "id" in attrs:
                self.by_id[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._section][-1].append(self._row)
            self._row = None
        elif tag == "div":
            self._open_ids.pop()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        for element_id in filter(None, self._open_ids):
            self.by_id[element_id] += data

    def table(self, section, index=0):
        return self.tables[section][index]


def build_db(path):
    db = open_db(path)
    [f1] = add_call(db, "x1", "2026-01-05T10:00:00+08:00", X, "A01", [("threat", LEAK, 0.95)])
    [f2] = add_call(db, "x2", "2026-01-06T10:00:00+08:00", X, "A01", [("exaggeration", "不还钱就要坐牢", 0.7)])
    add_call(
        db,
        "x3",
        "2026-02-05T10:00:00+08:00",
        X,
        "A02",
        [("third_party_leak", "张先生欠我们八千块，回电打一三八一二三四五六七八", 0.8)],
    )
    add_call(db, "x4", "2026-02-06T10:00:00+08:00", X, "A02")
    add_call(db, "x5", "2026-03-05T10:00:00+08:00", X, "A01")
    add_call(db, "y1", "2026-01-07T10:00:00+08:00", Y, "B01")
    add_call(db, "y2", "2026-02-07T10:00:00+08:00", Y, "B01")
    [f3] = add_call(db, "y3", "2026-03-07T10:00:00+08:00", Y, "B01", [("threat", "我们去你单位找你", 0.6)])
    add_call(db, "old", "2025-12-30T10:00:00+08:00", X, "A01", [("threat", "去年的", 0.9)])
    add_call(db, "broken", "2026-02-08T10:00:00+08:00", X, "A01", status="failed")
    add_review(db, "x1", "confirmed", "threat", finding_id=f1)
    add_review(db, "x2", "confirmed", "exaggeration", finding_id=f2, created_at="2026-12-01T10:00:00+08:00")
    add_review(db, "x2", "dismissed", "exaggeration", finding_id=f2, created_at="2026-12-02T10:00:00+08:00")
    add_review(db, "x4", "missed", "threat")
    add_review(db, "y3", "uncertain", "threat", finding_id=f3)
    return db


@pytest.fixture
def report_db(tmp_path):
    return build_db(tmp_path / "qa.db")


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    """The year's report on the fixture's calls as they are, for the tests that only read it
    (drawing the charts takes most of a second)."""
    db = build_db(tmp_path_factory.mktemp("report") / "qa.db")
    return render_report(build_report(db, 2026, load_config()))


@pytest.fixture
def no_charts(monkeypatch):
    """For the tests that read the report's text and tables: the two charts take most of a
    second to draw, and they are checked on their own (test_charts_*, test_write_report_*)."""
    monkeypatch.setattr(report, "monthly_chart", lambda months: "<svg></svg>")
    monkeypatch.setattr(report, "category_chart", lambda categories, confidence: "<svg></svg>")


def rendered(db, **kwargs):
    return Page(render_report(build_report(db, 2026, load_config(), **kwargs)))


def test_overview_and_counting_rule(report_html):
    page = Page(report_html)
    assert page.by_id["calls-inspected"].strip() == "8"
    assert page.by_id["violating-calls"].strip() == "4"
    assert page.by_id["violation-rate"].strip() == "50.0%"
    assert "all-agencies-rate" not in page.by_id  # only an agency's report compares
    assert "最新复核结论不是“误报”" in report_html


def test_calls_without_a_start_time_are_reported_as_left_out(report_html, report_db, no_charts):
    assert "缺少开始时间" not in report_html
    add_call(report_db, "undated", None, X, "A01")
    html = render_report(build_report(report_db, 2026, load_config()))
    assert "另有 1 通通话缺少开始时间" in html
    assert Page(html).by_id["calls-inspected"].strip() == "8"


def test_category_rates_with_wilson_intervals(report_html):
    rows = {r[0]: r for r in page_rows(Page(report_html), "categories")}
    assert rows["威胁恐吓 / 侮辱谩骂"][1:4] == ["3", "8", "37.5%"]
    assert rows["威胁恐吓 / 侮辱谩骂"][4] == "13.7% – 69.4%"  # Wilson 3/8
    assert rows["向第三人泄露债务信息"][1:4] == ["1", "8", "12.5%"]
    assert rows["夸大或虚构后果"][1:4] == ["0", "8", "0.0%"]  # its only finding was dismissed


def page_rows(page, section, index=0):
    return page.table(section, index)[1:]


def test_agencies_agents_and_months(report_html):
    page = Page(report_html)
    agencies = {r[0]: r for r in page_rows(page, "agencies")}
    assert agencies[X][1:4] == ["5", "3", "60.0%"]
    assert agencies[Y][1:4] == ["3", "1", "33.3%"]
    agents = {(r[0], r[1]): r for r in page_rows(page, "agents")}
    assert agents[X, "A02"][2:5] == ["2", "2", "100.0%"]
    assert agents[X, "A01"][2:9] == ["3", "1", "33.3%", agents[X, "A01"][5], "2", "1", "1"]
    months = {r[0]: r[1:4] for r in page_rows(page, "monthly")}
    assert months == {"2026-01": ["3", "1", "33.3%"], "2026-02": ["3", "2", "66.7%"], "2026-03": ["2", "1", "50.0%"]}


def test_confirmed_and_dismissed_findings(report_html):
    rows = {r[0]: r[1:] for r in page_rows(Page(report_html), "verdicts")}
    # findings, 属实, 误报, 存疑, 待复核, 漏检
    assert rows["威胁恐吓 / 侮辱谩骂"] == ["2", "1", "0", "1", "0", "1"]
    assert rows["夸大或虚构后果"] == ["1", "0", "1", "0", "0", "0"]
    assert rows["向第三人泄露债务信息"] == ["1", "0", "0", "0", "1", "0"]


def test_evidence_is_masked_and_dismissed_findings_are_not_examples(report_html):
    html = report_html
    assert "13812345678" not in html
    examples = page_rows(Page(html), "examples")
    evidence = {r[1]: r[6] for r in examples}
    assert evidence["x1"] == "他欠我们八千块已经逾期三个月了，你让他打***********"
    assert evidence["x3"] == "*先生欠我们八千块，回电打***********"  # the console's masker: names too
    assert "x2" not in evidence
    assert examples[0][1] == "x1" and examples[0][5] == "属实"  # confirmed before uncertain
    assert "old" not in evidence


def test_call_ids_agents_and_agencies_holding_numbers_are_masked(report_db, no_charts):
    add_call(
        report_db,
        "13987654321",
        "2026-03-09T10:00:00+08:00",
        "张先生催收",
        "13700001111",
        [("threat", "我们去你单位找你", 0.9)],
    )
    html = render_report(build_report(report_db, 2026, load_config()))
    assert "13987654321" not in html and "13700001111" not in html and "张先生催收" not in html
    examples = page_rows(Page(html), "examples")
    assert ["***********", "*先生催收 / ***********"] in [r[1:3] for r in examples]


def test_latest_sample_estimate(report_db, no_charts):
    sample = draw_sample(report_db, SamplingPlan(year=2026, seed=4, size=4, by=("agency",)))
    record_sample(report_db, sample, created_by="审计")
    drawn = {label: [c for c, s in sample.calls if s == label] for label in (X, Y)}
    expected = 5 / 8 * sum(c in VIOLATING for c in drawn[X]) / 2 + 3 / 8 * sum(c in VIOLATING for c in drawn[Y]) / 2
    page = rendered(report_db)
    assert page.by_id["sample-estimate"].strip() == f"{expected * 100:.1f}%"
    strata = {r[0]: r[1:4] for r in page.table("sample", 2)[1:]}
    assert strata[X][:2] == ["5", "2"] and strata[Y][:2] == ["3", "2"]
    parameters = dict((r[0], r[1]) for r in page.table("sample", 1))
    assert parameters["随机种子"] == "4" and parameters["创建人"] == "审计"


def test_without_a_sample_the_section_says_so(report_html):
    assert Page(report_html).tables["sample"] == []
    assert "尚无抽样记录" in report_html


def test_agency_report(report_db, no_charts):
    record_sample(report_db, draw_sample(report_db, SamplingPlan(year=2026, seed=4, size=4, by=("agency",))), "审计")
    page = rendered(report_db, agency=Y)
    assert page.by_id["calls-inspected"].strip() == "3"
    assert page.by_id["violating-calls"].strip() == "1"
    assert [r[0] for r in page_rows(page, "agencies")] == [Y]
    assert page.by_id["all-agencies-rate"].strip() == "50.0%"  # 4 of all 8 calls, for comparison
    strata = [r[0] for r in page.table("sample", 2)[1:]]
    assert strata == [Y]


def test_agency_report_needs_a_sample_stratified_by_agency(report_db, no_charts):
    record_sample(report_db, draw_sample(report_db, SamplingPlan(year=2026, seed=4, size=4, by=("month",))), "审计")
    html = render_report(build_report(report_db, 2026, load_config(), agency=Y))
    assert "未按机构分层" in html


def test_detector_section_shows_precision_recall_and_warning(report_db, no_charts):
    config = {**load_config(), "monitoring": {"min_precision": 0.9, "min_reviews": 1}}
    html = render_report(build_report(report_db, 2026, config))
    page = Page(html)
    precision = {r[0]: r[1:] for r in page_rows(page, "detector")}
    assert precision["威胁恐吓 / 侮辱谩骂"][:4] == ["1", "0", "1", "100.0%"]
    assert precision["夸大或虚构后果"][:4] == ["0", "1", "0", "0.0%"]
    assert "预警：夸大或虚构后果" in html


def test_a_year_without_calls_is_an_error(report_db):
    with pytest.raises(ReportError, match="no ok calls started in 2031"):
        build_report(report_db, 2031, load_config())


def test_charts_fall_back_to_english_without_a_cjk_font(report_db, monkeypatch):
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    html = render_report(build_report(report_db, 2026, load_config()))
    assert "<!-- month -->" in html and "<!-- threat -->" in html
    assert "<!-- 月份 -->" not in html


@pytest.mark.skipif(charts.cjk_font() is None, reason="no CJK font installed (apt-get install fonts-wqy-microhei)")
def test_charts_use_chinese_with_a_cjk_font(report_html):
    html = report_html
    assert "<!-- 月份 -->" in html and "<!-- 威胁恐吓 / 侮辱谩骂 -->" in html


def test_write_report_writes_one_self_contained_file(report_db, tmp_path):
    out = tmp_path / "r.html"
    write_report(report_db, out, 2026, load_config())
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    assert "<script" not in html and "src=" not in html and "<link" not in html


def test_a_sampled_call_checked_whole_counts_as_reviewed(report_db):
    from pipeline.review.queries import record_checked
    from pipeline.selfcheck.verdicts import reviewed_sample_call_ids

    sample = draw_sample(report_db, SamplingPlan(year=2026, seed=4, size=4, by=("agency",)))
    sample_id = record_sample(report_db, sample, created_by="审计")
    reviewed_before = reviewed_sample_call_ids(report_db, sample_id)
    unreviewed = sorted(c for c, _ in sample.calls if c not in reviewed_before)
    assert unreviewed, "the fixture sample must hold a call nobody reviewed"
    record_checked(report_db, unreviewed[0], "wang")
    assert reviewed_sample_call_ids(report_db, sample_id) == reviewed_before | {unreviewed[0]}


def test_appeals_upheld_and_overturned_are_counted_by_category(report_db, no_charts):
    from pipeline.review import appeals

    threat_x1, threat_y3, leak_x3 = (
        report_db.execute("SELECT id FROM findings WHERE call_id = ?", [call_id]).fetchone()[0]
        for call_id in ("x1", "y3", "x3")
    )
    add_review(report_db, "y3", "confirmed", "threat", finding_id=threat_y3, created_at="2026-12-03T10:00:00+08:00")
    add_review(report_db, "x3", "confirmed", "third_party_leak", finding_id=leak_x3)
    overturned = appeals.file_appeal(report_db, threat_x1, "申诉甲", X, "客户先辱骂，坐席只是提醒")
    upheld = appeals.file_appeal(report_db, threat_y3, "申诉乙", Y, "没有威胁")
    appeals.file_appeal(report_db, leak_x3, "申诉甲", X, "对方自称是本人")
    appeals.decide(report_db, overturned, "overturned", "质检员乙")
    appeals.decide(report_db, upheld, "upheld", "质检员乙")

    page = rendered(report_db)
    # 申诉, 维持原结论, 撤销（改判误报）, 待复议
    rows = {r[0]: r[1:] for r in page_rows(page, "verdicts", 1)}
    assert rows == {
        "威胁恐吓 / 侮辱谩骂": ["2", "1", "1", "0"],
        "向第三人泄露债务信息": ["1", "0", "0", "1"],
        "合计": ["3", "1", "1", "1"],
    }
    verdicts = {r[0]: r[1:] for r in page_rows(page, "verdicts")}
    assert verdicts["威胁恐吓 / 侮辱谩骂"][1:3] == ["1", "1"]  # x1's overturn counts as 误报, y3 confirmed
    of_y = {r[0]: r[1:] for r in page_rows(rendered(report_db, agency=Y), "verdicts", 1)}
    assert of_y == {"威胁恐吓 / 侮辱谩骂": ["1", "1", "0", "0"], "合计": ["1", "1", "0", "0"]}
    assert appeals.counts(report_db) == {"filed": 3, "pending": 1, "upheld": 1, "overturned": 1}


def test_a_year_without_appeals_says_so(report_html):
    assert "本年度没有申诉" in report_html
