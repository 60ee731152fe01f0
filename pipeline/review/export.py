"""Findings with their newest verdict as a spreadsheet: XLSX (openpyxl) or CSV.

Headers are Chinese and the CSV is written as UTF-8 with a byte-order mark, so Excel opens
it with the Chinese intact. Personal data (in call ids, agencies, agents, evidence and comments)
is masked unless the caller passes another masker.
"""

from __future__ import annotations

from pathlib import Path

from ..spreadsheet import FORMATS, write_table
from ..present.labels import VERDICT_LABELS, as_recorded, category_label, local_time
from ..present.masking import Masker, default_masker
from .queries import ExportRow
from ..errors import CallqaError

HEADERS = [
    "通话",
    "机构",
    "坐席",
    "日期",
    "类别",
    "条款",
    "证据",
    "开始秒",
    "分数",
    "结论",
    "质检员",
    "备注",
    "复核时间",
]


class ExportError(CallqaError, ValueError):
    pass


def table(rows: list[ExportRow], masker: Masker | None = None) -> list[list]:
    masker = masker or default_masker()
    return [
        [
            masker.mask(r.call_id),
            masker.mask(r.agency) or "",
            masker.mask(r.agent_id) or "",
            as_recorded(r.started_at),
            category_label(r.category),
            "；".join(r.clauses),
            masker.mask(r.evidence) or "",
            None if r.start is None else round(r.start, 1),
            None if r.score is None else round(r.score, 3),
            VERDICT_LABELS.get(r.verdict, r.verdict),
            r.reviewer or "",
            masker.mask(r.comment) or "",
            local_time(r.reviewed_at),
        ]
        for r in rows
    ]


def check_format(out: str | Path) -> Path:
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise ExportError(f"{out}: the export file must end in .xlsx or .csv")
    return out


def write(rows: list[ExportRow], out: str | Path, masker: Masker | None = None) -> Path:
    """Write ``rows`` to ``out``; the suffix (.xlsx or .csv) picks the format."""
    out = check_format(out)
    write_table(out, HEADERS, table(rows, masker), "质检结果",
                widths=(22, 20, 8, 17, 22, 28, 50, 8, 7, 8, 10, 30, 17))
    return out

