"""What reviewers read, in Chinese: category, severity, verdict and speaker labels, and times.

Category labels are the 中文 column of ``shared/spec/categories.md``; an id not listed there
is shown as the id itself, so a new detector never breaks a page.
"""

from __future__ import annotations

from datetime import datetime

CATEGORY_LABELS = {
    "threat": "威胁恐吓 / 侮辱谩骂",
    "impersonation": "冒用公检法、律师名义",
    "exaggeration": "夸大或虚构后果",
    "missing_disclosure": "未表明机构身份",
    "third_party_leak": "向第三人泄露债务信息",
    "unverified_identity": "未核实身份即告知欠款",
    "quiet_hours": "非规定时段催收",
    "call_frequency": "超频催收",
    "private_channel": "私人渠道收款",
    "illegal_funding": "诱导借贷还款",
    "extra_fees": "收取额外费用",
    "recording_notice": "未告知录音",
    "contact_after_refusal": "拒绝后仍联系",
}

# The three rule documents cited in a finding's clauses, by their short names.
CLAUSE_DOCUMENTS = {
    "NIFA": "中国互联网金融协会《互联网金融贷后催收业务指引》",
    "GB": "《互联网金融 个人网络消费信贷 贷后催收风控指引》（2022 征求意见稿）",
    "HN": "《湖南省小额贷款行业企业个人消费类贷款催收行为自律公约》",
}

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

ROLE_LABELS = {"reviewer": "质检员", "admin": "管理员"}


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def clause_document(clause: str) -> str:
    """The full name of the document a clause such as ``NIFA 8(三)`` belongs to."""
    return CLAUSE_DOCUMENTS.get(clause.split(" ", 1)[0], "")


AUDIT_ACTION_LABELS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "view_call": "查看通话",
    "verdict": "复核结论",
    "missed": "补充漏检",
    "checked": "整通复核",
    "unmask": "显示个人信息",
    "export": "导出",
    "admin_page": "访问管理页",
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
