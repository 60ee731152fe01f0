"""Findings with their newest verdict as a spreadsheet: XLSX (openpyxl) or CSV.

Headers are Chinese and the CSV is written as UTF-8 with a byte-order mark, so Excel opens
it with the Chinese intact. Personal data (in call ids, agencies, agents, evidence and comments)
is masked unless the caller passes another masker.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pipeline.errors import CallqaError
from pipeline.present.labels import (
    SEVERITY_LABELS,
    SPEAKER_LABELS,
    VERDICT_LABELS,
    as_recorded,
    category_label,
    local_time,
)
from pipeline.present.masking import Masker, default_masker
from pipeline.review.queries import ExportRow
from pipeline.spreadsheet import FORMATS, Link, write_table

HEADERS = [
    "通话",
    "机构",
    "坐席",
    "通话时间",
    "类别",
    "严重程度",
    "条款",
    "证据",
    "命中短语",
    "说明",
    "说话人",
    "开始秒",
    "结束秒",
    "分数",
    "结论",
    "质检员",
    "备注",
    "复核时间",
    "发现编号",
    "链接",
]
WIDTHS = (22, 20, 8, 17, 22, 8, 28, 50, 20, 40, 6, 8, 8, 7, 8, 10, 30, 17, 10, 40)


class ExportError(CallqaError, ValueError):
    pass


def table(rows: list[ExportRow], masker: Masker | None = None, base_url: str | None = None) -> list[list]:
    """The rows as cells. With ``base_url`` (the console's address) each machine finding's call
    cell links to the call page (through the finding's id, so no call id is in the link), and
    the last column holds the address for CSV readers."""
    masker = masker or default_masker()
    return [
        [
            _call_cell(masker.mask(r.call_id), _link(r.finding_id, base_url)),
            masker.mask(r.agency) or "",
            masker.mask(r.agent_id) or "",
            _as_recorded(r.started_at),
            category_label(r.category),
            SEVERITY_LABELS.get(r.severity, r.severity or ""),
            "；".join(r.clauses),
            masker.mask(r.evidence) or "",
            _phrase(masker.mask(r.evidence), r.span),
            masker.mask(r.explanation) or "",
            SPEAKER_LABELS.get(r.speaker, r.speaker or ""),
            None if r.start is None else round(r.start, 1),
            None if r.end is None else round(r.end, 1),
            None if r.score is None else round(r.score, 3),
            VERDICT_LABELS.get(r.verdict, r.verdict),
            r.reviewer or "",
            masker.mask(r.comment) or "",
            _local(r.reviewed_at),
            r.finding_id,
            _link(r.finding_id, base_url) or "",
        ]
        for r in rows
    ]


def _phrase(masked_evidence: str | None, span: tuple[int, int] | None) -> str:
    """The matched phrase, cut from the evidence after masking (so no digit escapes the mask)."""
    return masked_evidence[span[0] : span[1]] if masked_evidence and span else ""


def _link(finding_id: int | None, base_url: str | None) -> str | None:
    return f"{base_url.rstrip('/')}/findings/{finding_id}" if base_url and finding_id is not None else None


def _call_cell(text: str, url: str | None):
    return Link(text, url) if url else text


def _as_recorded(iso: str | None) -> datetime | str:
    """A call's start as its telephone system recorded it, as a date Excel can sort."""
    try:
        return datetime.fromisoformat(iso).replace(tzinfo=None) if iso else ""
    except ValueError:
        return as_recorded(iso)


def _local(iso: str | None) -> datetime | str:
    """A time the console stored (UTC) in this machine's time zone."""
    try:
        return datetime.fromisoformat(iso).astimezone().replace(tzinfo=None) if iso else ""
    except ValueError:
        return local_time(iso)


def check_format(out: str | Path) -> Path:
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise ExportError(f"{out}: the export file must end in .xlsx or .csv")
    return out


def write(rows: list[ExportRow], out: str | Path, masker: Masker | None = None, base_url: str | None = None) -> Path:
    """Write ``rows`` to ``out``; the suffix (.xlsx or .csv) picks the format."""
    out = check_format(out)
    write_table(out, HEADERS, table(rows, masker, base_url), "质检结果", widths=WIDTHS)
    return out
