"""Chinese words of the self-check. Category and verdict labels are the console's
(``pipeline/review/labels.py``), so a reviewer reads the same words in both places."""

from __future__ import annotations

from ..review.labels import CATEGORY_LABELS, VERDICT_LABELS, category_label

__all__ = ["CATEGORY_LABELS", "VERDICT_LABELS", "STRATUM_LABELS", "category_label", "category_order"]

STRATUM_LABELS = {"agency": "机构", "agent": "坐席", "month": "月份", "flagged": "机器发现"}


def category_order(categories) -> list[str]:
    """Categories in the spec's order, unknown ones after them alphabetically."""
    known = [c for c in CATEGORY_LABELS if c in categories]
    return known + sorted(set(categories) - set(CATEGORY_LABELS))
