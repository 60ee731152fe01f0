import csv

from openpyxl import load_workbook

from pipeline.spreadsheet import write_table

ROWS = [["=HYPERLINK(\"http://x\")", "某某小贷", 3], ["c-2", "@SUM(1)", None]]


def test_csv_is_utf8_with_bom_and_formulas_are_neutralised(tmp_path):
    path = tmp_path / "t.csv"
    write_table(path, ["通话", "机构", "分"], ROWS, "表")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["通话", "机构", "分"]
    assert rows[1][0].startswith("'=") and rows[2][1] == "'@SUM(1)" and rows[1][1] == "某某小贷"


def test_xlsx_has_bold_header_extra_sheet_and_no_formulas(tmp_path):
    path = tmp_path / "t.xlsx"
    write_table(path, ["通话", "机构", "分"], ROWS, "质检结果", widths=(20, 10), extra_sheets={"参数": [["种子", "-7"]]})
    book = load_workbook(path)
    sheet = book["质检结果"]
    assert sheet["A1"].value == "通话" and sheet["A1"].font.bold
    assert sheet["A2"].value.startswith("'=") and sheet["C2"].value == 3
    assert sheet.column_dimensions["A"].width == 20
    assert [c.value for c in book["参数"][1]] == ["种子", "'-7"]
