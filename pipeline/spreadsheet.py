"""Tables for Excel: one writer for every export (.xlsx with openpyxl, or .csv in UTF-8 with BOM
so Excel reads the Chinese), with formula injection neutralised."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Sequence

FORMATS = (".xlsx", ".csv")


def spreadsheet_safe(value: Any) -> Any:
    """Text that Excel would run as a formula (=, +, -, @ first: call ids, agency names and
    transcript text come from outside) gets a leading apostrophe, as OWASP advises for CSV injection."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def write_table(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    sheet_title: str,
    widths: Sequence[int] = (),
    extra_sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
) -> None:
    """Write ``rows`` under ``headers``; the suffix of ``path`` (.xlsx or .csv) picks the format.

    ``extra_sheets`` (xlsx only) adds further sheets by title, e.g. a sample's parameters.
    """
    safe_rows = [[spreadsheet_safe(value) for value in row] for row in rows]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            writer.writerows(safe_rows)
        return
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in safe_rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for title, extra_rows in (extra_sheets or {}).items():
        extra = workbook.create_sheet(title)
        for row in extra_rows:
            extra.append([spreadsheet_safe(value) for value in row])
    workbook.save(path)
