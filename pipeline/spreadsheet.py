"""Tables for Excel: one writer for every export (.xlsx with openpyxl, or .csv in UTF-8 with BOM
so Excel reads the Chinese), with formula injection neutralised, and ``write_file``, which every
file callqa writes for a user goes through (a clear error, never a half-written file)."""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any, NamedTuple

from pipeline.errors import CallqaError

FORMATS = (".xlsx", ".csv")
# A cell starting with one of these may run as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class OutputError(CallqaError):
    """A file for the user cannot be written (missing folder, no permission, disk full)."""


def write_file(path: str | Path, write: Callable[[IO], None], mode: str = "wb", **open_args: Any) -> Path:
    """Write ``path`` through a temporary file beside it, replaced at the end: a failure leaves
    no partial file and raises ``OutputError`` naming the file and the reason."""
    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError(f"{path}: cannot write: folder {path.parent} does not exist")
    try:
        fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, mode, **open_args) as out:
            write(out)
        os.chmod(partial, 0o644 & ~_umask())
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Link(NamedTuple):
    """A cell that links to ``url``: a hyperlink in XLSX, plain text in CSV."""

    text: str
    url: str


def spreadsheet_safe(value: Any) -> Any:
    """Text that Excel would run as a formula (call ids, agency names and transcript text come
    from outside) gets a leading apostrophe in CSV, as OWASP advises for CSV injection."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
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
    path = Path(path)
    if path.suffix.lower() == ".csv":

        def write_csv(out: IO) -> None:
            writer = csv.writer(out)
            writer.writerow(headers)
            writer.writerows([spreadsheet_safe(_csv_value(value)) for value in row] for row in rows)

        write_file(path, write_csv, "w", encoding="utf-8-sig", newline="")
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
    for row in rows:
        _append_text_safe(sheet, row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for title, extra_rows in (extra_sheets or {}).items():
        extra = workbook.create_sheet(title)
        for row in extra_rows:
            _append_text_safe(extra, row)
    write_file(path, workbook.save)


def _csv_value(value: Any) -> Any:
    if isinstance(value, Link):
        return value.text
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return value


def _append_text_safe(sheet, row: Sequence[Any]) -> None:
    """Append ``row``; text that looks like a formula is stored as text (shown as typed, no
    apostrophe), with Excel's quote prefix so editing the cell keeps it text. Dates are typed
    (Excel sorts and filters them as dates); a ``Link`` becomes a hyperlink."""
    sheet.append([value.text if isinstance(value, Link) else value for value in row])
    for value, cell in zip(row, sheet[sheet.max_row]):
        if isinstance(value, Link):
            cell.hyperlink = value.url
            cell.style = "Hyperlink"
        elif isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
