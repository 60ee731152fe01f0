"""Per-category switches: which categories run, and with which thresholds.

``callqa.yaml`` names the documents an institution is bound by (``detection.bound_by``), the
categories each document covers (``detection.profiles``) and each category's own settings
(``detection.categories.<id>``, with ``enabled``). A category runs when a binding document
lists it and it is not switched off.
"""

from __future__ import annotations

from typing import Any

from ..config import ConfigError


def category_settings(detection: dict[str, Any] | None, category: str) -> dict[str, Any] | None:
    """The settings of ``category`` from the ``detection:`` section, or ``None`` when it is
    switched off for this institution."""
    detection = detection or {}
    settings = (detection.get("categories") or {}).get(category) or {}
    if not settings.get("enabled", True):
        return None
    profiles = detection.get("profiles") or {}
    bound_by = detection.get("bound_by")
    if bound_by is None or not profiles:
        return settings
    unknown = [doc for doc in bound_by if doc not in profiles]
    if unknown:
        raise ConfigError(
            f"detection.bound_by names {', '.join(unknown)}, which detection.profiles does not list "
            f"(known: {', '.join(profiles)})"
        )
    if any(category in (profiles[doc] or []) for doc in bound_by):
        return settings
    return None
