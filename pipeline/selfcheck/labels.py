"""Chinese labels reviewers read (categories from shared/spec/categories.md, 中文 column)."""

from __future__ import annotations

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

# The console's words (pipeline/review/labels.py), so a verdict reads the same everywhere.
VERDICT_LABELS = {
    "confirmed": "属实",
    "dismissed": "误报",
    "uncertain": "存疑",
    "missed": "漏检",
    None: "待复核",
}

STRATUM_LABELS = {"agency": "机构", "agent": "坐席", "month": "月份", "flagged": "机器发现"}


def category_label(category: str) -> str:
    """The Chinese label, or the id itself for a category the spec does not list."""
    return CATEGORY_LABELS.get(category, category)


def category_order(categories) -> list[str]:
    """Categories in the spec's order, unknown ones after them alphabetically."""
    known = [c for c in CATEGORY_LABELS if c in categories]
    return known + sorted(set(categories) - set(CATEGORY_LABELS))
