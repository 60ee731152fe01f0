import csv
from datetime import datetime

import pytest
from openpyxl import load_workbook

from pipeline.present.labels import local_time
from pipeline.review.export import HEADERS, ExportError, write
from pipeline.review.queries import ExportRow

ROW = ExportRow(
    call_id="c1",
    agency="甲机构",
    agent_id="A1",
    started_at="2026-03-02T10:15:00+08:00",
    category="threat",
    clauses=["GB 5.2.1.2", "HN 7(二)"],
    evidence="张先生，电话13812345678",
    start=9.5,
    score=0.9412,
    verdict="confirmed",
    reviewer="wang",
    comment="明确威胁",
    reviewed_at="2026-03-03T01:00:00+00:00",
    finding_id=7,
    severity="high",
    end=13.5,
    speaker="agent",
    explanation="坐席称卡号622202123…",
    span_start=4,
    span_end=17,
)


def test_csv_has_chinese_headers_bom_and_masked_evidence(tmp_path):
    out = write([ROW], tmp_path / "f.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == HEADERS
    assert rows[1] == [
        "c1",
        "甲机构",
        "A1",
        "2026-03-02 10:15",
        "威胁恐吓 / 侮辱谩骂",
        "高",
        "GB 5.2.1.2；HN 7(二)",
        "*先生，电话***********",
        "电话***********",  # the matched phrase, cut after masking
        "坐席称卡号*********…",
        "坐席",
        "9.5",
        "13.5",
        "0.941",
        "属实",
        "wang",
        "明确威胁",
        local_time(ROW.reviewed_at),
        "7",
        "",
    ]


def test_xlsx_matches_csv(tmp_path):
    sheet = load_workbook(write([ROW], tmp_path / "f.xlsx")).active
    assert [c.value for c in sheet[1]] == HEADERS
    values = [c.value for c in sheet[2]]
    assert values[7] == "*先生，电话***********" and values[8] == "电话***********"
    assert values[11] == 9.5 and values[14] == "属实"


def test_xlsx_has_typed_dates_an_autofilter_and_a_link_per_call(tmp_path):
    sheet = load_workbook(write([ROW], tmp_path / "f.xlsx", base_url="http://qa.local:8000/")).active
    assert sheet.auto_filter.ref == "A1:T2"
    started = sheet["D2"]
    assert started.value == datetime(2026, 3, 2, 10, 15) and started.number_format == "yyyy-mm-dd hh:mm"
    assert sheet["A2"].value == "c1" and sheet["A2"].hyperlink.target == "http://qa.local:8000/findings/7"
    assert sheet["T2"].value == "http://qa.local:8000/findings/7"


def test_unreviewed_finding_reads_as_pending(tmp_path):
    row = ExportRow(**{**ROW.__dict__, "verdict": None, "reviewer": None, "comment": None, "reviewed_at": None})
    rows = list(csv.reader(write([row], tmp_path / "f.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][14:18] == ["待复核", "", "", ""]


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ExportError, match="must end in .xlsx or .csv"):
        write([ROW], tmp_path / "f.ods")
