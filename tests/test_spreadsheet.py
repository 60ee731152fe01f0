import csv

import pytest
from openpyxl import load_workbook

from pipeline.spreadsheet import OutputError, write_table

ROWS = [['=HYPERLINK("http://x")', "某某小贷", 3], ["c-2", "@SUM(1)", None], ["\t=1+1", "\r=2", "-3+3"]]


def test_csv_is_utf8_with_bom_and_formulas_are_neutralised(tmp_path):
    path = tmp_path / "t.csv"
    write_table(path, ["通话", "机构", "分"], ROWS, "表")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["通话", "机构", "分"]
    assert rows[1][0].startswith("'=") and rows[2][1] == "'@SUM(1)" and rows[1][1] == "某某小贷"
    assert rows[3] == ["'\t=1+1", "'\r=2", "'-3+3"]  # tab and carriage return too (OWASP)


def test_xlsx_has_bold_header_extra_sheet_and_no_formulas(tmp_path):
    path = tmp_path / "t.xlsx"
    write_table(
        path, ["通话", "机构", "分"], ROWS, "质检结果", widths=(20, 10), extra_sheets={"参数": [["种子", "-7"]]}
    )
    book = load_workbook(path)
    sheet = book["质检结果"]
    assert sheet["A1"].value == "通话" and sheet["A1"].font.bold
    # Formula-like text is kept as text, shown as typed: no formula, no visible apostrophe.
    cells = [sheet["A2"], sheet["B3"], sheet["A4"], sheet["B4"], sheet["C4"]]
    values = [c.value.replace("\n", "\r") for c in cells]  # XML reads a stored CR back as LF
    assert values == ['=HYPERLINK("http://x")', "@SUM(1)", "\t=1+1", "\r=2", "-3+3"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert sheet["C2"].value == 3 and sheet["C2"].data_type == "n"
    assert sheet.column_dimensions["A"].width == 20
    assert [c.value for c in book["参数"][1]] == ["种子", "-7"] and book["参数"]["B1"].data_type == "s"


@pytest.mark.parametrize("name", ["t.csv", "t.xlsx"])
def test_a_missing_folder_is_a_clear_error_and_leaves_nothing(tmp_path, name):
    with pytest.raises(OutputError, match="does not exist"):
        write_table(tmp_path / "missing" / name, ["a"], [["1"]], "表")
    assert not (tmp_path / "missing").exists()


class FullDisk:
    """A value whose writing fails as a full disk does, halfway through the file."""

    def __str__(self):
        raise OSError(28, "No space left on device")


def test_a_failed_write_leaves_no_partial_file(tmp_path):
    with pytest.raises(OutputError, match="t.csv: cannot write: No space left on device"):
        write_table(tmp_path / "t.csv", ["a"], [["1"], [FullDisk()]], "表")
    assert list(tmp_path.iterdir()) == []
