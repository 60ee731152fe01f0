"""What reviewers read, in Chinese: category, severity, verdict, speaker and stratum labels, and
times; shared by the console, the exports and the self-check report, so a reviewer reads the same
words everywhere.

Category labels come from the category table (``pipeline.categories``); an id not listed there
is shown as the id itself, so a new detector never breaks a page.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path

from pipeline.categories import category_table

# Category labels and the rule documents come from the one category table (lexicons/categories.yaml).
CATEGORY_LABELS = {category.id: category.label for category in category_table()}
CLAUSE_DOCUMENTS = category_table().documents  # the documents cited in a finding's clauses, by short name

SEVERITY_LABELS = {"critical": "严重", "high": "高", "medium": "中", "low": "低"}
# Higher ranks first in the queue; an unknown severity sorts last.
SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}

VERDICT_LABELS = {
    None: "待复核",
    "confirmed": "属实",
    "dismissed": "误报",
    "uncertain": "存疑",
    "missed": "漏检",
    "checked": "整通已复核",
}
REVIEW_VERDICTS = ("confirmed", "dismissed", "uncertain")

STATUS_LABELS = {
    "open": "待复核（含存疑）",
    "confirmed": "属实",
    "dismissed": "误报",
    "uncertain": "存疑",
    "all": "全部",
}

SPEAKER_LABELS = {"agent": "坐席", "customer": "客户", "unknown": "未知"}

ROLE_LABELS = {"reviewer": "质检员", "admin": "管理员", "appellant": "申诉账号（坐席/机构）"}


STRATUM_LABELS = {"agency": "机构", "agent": "坐席", "month": "月份", "flagged": "机器发现"}


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category) or added_category_labels().get(category, category)


def category_labels() -> dict[str, str]:
    """Every category a reviewer may choose (a queue filter, a missed finding): the table's, then
    the ones the analyst rule files add."""
    return {**CATEGORY_LABELS, **added_category_labels()}


def added_category_labels() -> dict[str, str]:
    """Labels of the categories the analyst rule files of the settings in force add
    (``detection.rules``; ``config.settings_file``). Settings that do not load leave the ids as
    they are; the commands that use them say why."""
    from pipeline.config import settings_file

    return _added_category_labels(settings_file())


@functools.lru_cache(maxsize=4)
def _added_category_labels(settings: Path | None) -> dict[str, str]:
    from pipeline.config import load_config
    from pipeline.detect.settings import DetectionSettings
    from pipeline.errors import CallqaError

    try:
        return {c.id: c.label for c in DetectionSettings.from_config(load_config(settings)).added_categories.values()}
    except CallqaError:
        return {}


def category_order(categories) -> list[str]:
    """Categories in the table's order, unknown ones after them alphabetically."""
    known = [c for c in CATEGORY_LABELS if c in categories]
    return known + sorted(set(categories) - set(CATEGORY_LABELS))


def clause_document(clause: str) -> str:
    """The full name of the document a clause such as ``NIFA 8(三)`` belongs to."""
    return CLAUSE_DOCUMENTS.get(clause.split(" ", 1)[0], "")


AUDIT_ACTION_LABELS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "view_call": "查看通话",
    "search": "搜索转写",
    "play_audio": "播放录音",
    "verdict": "复核结论",
    "missed": "补充漏检",
    "checked": "整通复核",
    "unmask": "显示个人信息",
    "export": "导出",
    "admin_page": "访问管理页",
    "claim": "领取通话",
    "assign": "分配通话",
    "release": "释放通话",
    "appeal": "提交申诉",
    "appeal_decision": "申诉复议",
    "user": "管理账号",
}
AUDIT_RESULT_LABELS = {"ok": "成功", "denied": "拒绝", "failed": "失败"}


def as_recorded(iso: str | None) -> str:
    """A call's start as the telephone system recorded it: ``2026-03-02 10:15``."""
    return (iso or "")[:16].replace("T", " ")


def local_time(iso: str | None) -> str:
    """A time the console wrote (stored in UTC) in this machine's time zone."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return as_recorded(iso)
