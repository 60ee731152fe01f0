"""Per-category switches: which categories run, and with which thresholds.

``callqa.yaml`` names the documents an institution is bound by (``detection.bound_by``) and each
category's own settings (``detection.categories.<id>``, with ``enabled``); the category table
(``lexicons/categories.yaml``) says which documents bind each category. A category runs when one
of the institution's documents binds it and it is not switched off.
"""

from __future__ import annotations

from typing import Any

from ..categories import category_table
from ..config import ConfigError


def category_settings(detection: dict[str, Any] | None, category: str) -> dict[str, Any] | None:
    """The settings of ``category`` from the ``detection:`` section, or ``None`` when it is
    switched off for this institution."""
    detection = detection or {}
    settings = (detection.get("categories") or {}).get(category) or {}
    if not settings.get("enabled", True):
        return None
    bound_by = detection.get("bound_by")
    if bound_by is None:
        return settings
    table = category_table()
    unknown = [doc for doc in bound_by if doc not in table.documents]
    if unknown:
        raise ConfigError(
            f"detection.bound_by names {', '.join(unknown)}, which {table.path.name} does not list "
            f"(known: {', '.join(table.documents)})"
        )
    if any(doc in table[category].documents for doc in bound_by):
        return settings
    return None
