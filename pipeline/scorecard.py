"""Scorecards (质检评分模板): YAML templates that turn a call's findings into a score and a grade.

A template lists items, each tied to categories and/or analyst rules, deducting ``points`` per
occurrence or once per call, up to a ``cap``; a ``critical`` item (一票否决) fails the call
outright: score 0, the lowest grade. Several templates may apply to different calls: each says
which by manifest columns (``applies_to: {agency: [...]}``); the one without ``applies_to`` is
the default. Templates are checked with ``file:line: reason`` errors like the lexicons.

Scoring is pure arithmetic on findings (``Template.score``); reading the store and writing the
scores is ``pipeline.scoring``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.categories import category_table
from pipeline.yamldoc import LexiconError, YamlDoc

ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TEMPLATE_KEYS = ("id", "name", "base", "grades", "applies_to", "items")
_ITEM_KEYS = ("id", "label", "categories", "rules", "points", "per", "cap", "critical")
RULE_DETECTOR = "analyst_rules:"  # how an analyst rule's findings name their detector


@dataclass(frozen=True)
class Occurrence:
    """What a scorecard counts: one finding (or a reviewer's added miss) of a call."""

    category: str
    detectors: tuple[str, ...]  # every detector that contributed (a merged finding names several)


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    categories: frozenset[str]
    rules: frozenset[str]
    points: float
    per: str  # occurrence or call
    cap: float | None
    critical: bool

    def matches(self, occurrence: Occurrence) -> bool:
        return occurrence.category in self.categories or any(
            d.startswith(RULE_DETECTOR) and d[len(RULE_DETECTOR) :] in self.rules for d in occurrence.detectors
        )


@dataclass(frozen=True)
class ItemResult:
    item: str
    label: str
    occurrences: int
    deducted: float
    critical: bool  # this critical item failed the call

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "label": self.label,
            "occurrences": self.occurrences,
            "deducted": self.deducted,
            "critical": self.critical,
        }


@dataclass(frozen=True)
class CallScore:
    template: str
    score: float
    grade: str
    failed_critical: bool
    items: tuple[ItemResult, ...]  # only the items the call hit


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    base: float
    grades: tuple[tuple[str, float], ...]  # (grade, lowest score), highest first; the last is 0
    applies_to: dict[str, frozenset[str]]  # manifest column -> values; empty: the default
    items: tuple[Item, ...]
    path: Path

    def applies(self, columns: dict[str, Any]) -> bool:
        return bool(self.applies_to) and all(str(columns.get(k)) in values for k, values in self.applies_to.items())

    def grade(self, score: float) -> str:
        return next(grade for grade, lowest in self.grades if score >= lowest)

    def score(self, occurrences: Iterable[Occurrence]) -> CallScore:
        occurrences = list(occurrences)
        results, total, critical = [], 0.0, False
        for item in self.items:
            count = sum(1 for o in occurrences if item.matches(o))
            if not count:
                continue
            deducted = item.points * (count if item.per == "occurrence" else 1)
            if item.cap is not None:
                deducted = min(deducted, item.cap)
            critical |= item.critical
            total += deducted
            results.append(ItemResult(item.id, item.label, count, round(deducted, 2), item.critical))
        score = 0.0 if critical else round(max(0.0, self.base - total), 2)
        grade = self.grades[-1][0] if critical else self.grade(score)
        return CallScore(self.id, score, grade, critical, tuple(results))


@dataclass(frozen=True)
class Scorecards:
    templates: tuple[Template, ...]  # the specific ones in file order, then the default

    def for_call(self, columns: dict[str, Any]) -> Template:
        """The first template whose ``applies_to`` the call's columns meet, else the default."""
        return next((t for t in self.templates if t.applies(columns)), self.templates[-1])


def template_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return files


def read_scorecards(
    paths: Iterable[str | Path], categories: Iterable[str] | None = None, rules: Iterable[str] = ()
) -> Scorecards:
    """Read and check every template; exactly one must be the default (no ``applies_to``).
    Items may name the ``categories`` (default: the category table's) and the analyst ``rules``
    that detection runs (with the categories their files add)."""
    categories = set(category_table().categories if categories is None else categories)
    rules = set(rules)
    problems: list[str] = []
    templates: list[Template] = []
    for path in template_files(paths):
        try:
            doc = YamlDoc(path)
        except LexiconError as exc:
            problems.extend(exc.problems)
            continue
        template = _template(doc, categories, rules)
        problems.extend(doc.problems)
        if template is not None:
            templates.append(template)
    ids = [t.id for t in templates]
    problems.extend(
        f"{t.path}:1: template id {t.id!r} is used by another template too" for t in templates if ids.count(t.id) > 1
    )
    defaults = [t for t in templates if not t.applies_to]
    if not problems and len(defaults) != 1:
        names = ", ".join(str(t.path) for t in defaults) or "none"
        problems.append(f"scorecards: exactly one template must have no applies_to (the default); found {names}")
    if problems:
        raise LexiconError(problems)
    return Scorecards(tuple([t for t in templates if t.applies_to] + defaults))


def _template(doc: YamlDoc, categories: set[str], rules: set[str]) -> Template | None:
    data = doc.data
    if not isinstance(data, dict):
        doc.problem((), "must be a mapping with id, name, grades and items")
        return None
    doc.unknown_keys(data, _TEMPLATE_KEYS, ())
    template_id = data.get("id")
    if not isinstance(template_id, str) or not ITEM_ID.match(template_id):
        doc.problem(("id",), f"is required: lower-case letters, digits and _, got {template_id!r}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        doc.problem(("name",), "is required (what reviewers read, e.g. 标准质检评分模板)")
    base = data.get("base", 100)
    if isinstance(base, bool) or not isinstance(base, (int, float)) or base <= 0:
        doc.problem(("base",), f"must be a positive number, got {base!r}")
        base = 100
    grades = _grades(doc, data.get("grades"))
    applies_to = _applies_to(doc, data.get("applies_to"))
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        doc.problem(("items",), "is required (a list of items)")
        raw_items = []
    items = [item for i, raw in enumerate(raw_items) if (item := _item(doc, raw, ("items", i), categories, rules))]
    seen = [item.id for item in items]
    for i, item in enumerate(items):
        if seen.count(item.id) > 1 and seen.index(item.id) != i:
            doc.problem(("items", i, "id"), f"item id {item.id!r} is used twice")
    if doc.problems or grades is None:
        return None
    return Template(template_id, name.strip(), float(base), grades, applies_to, tuple(items), doc.path)


def _grades(doc: YamlDoc, raw: Any) -> tuple[tuple[str, float], ...] | None:
    if not isinstance(raw, dict) or not raw:
        doc.problem(("grades",), "is required: grade: lowest score, e.g. {优秀: 90, 合格: 60, 不合格: 0}")
        return None
    grades = []
    for grade, lowest in raw.items():
        if isinstance(lowest, bool) or not isinstance(lowest, (int, float)) or lowest < 0:
            doc.problem(("grades", grade), f"must be a score of 0 or more, got {lowest!r}")
            return None
        grades.append((str(grade), float(lowest)))
    grades.sort(key=lambda g: -g[1])
    if grades[-1][1] != 0:
        doc.problem(("grades",), "the lowest grade must start at 0, so every score has a grade")
        return None
    return tuple(grades)


def _applies_to(doc: YamlDoc, raw: Any) -> dict[str, frozenset[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw:
        doc.problem(("applies_to",), "must map manifest columns to lists of values, e.g. {agency: [某某催收]}")
        return {}
    return {
        str(column): frozenset(doc.strings(values, ("applies_to", column), required=True))
        for column, values in raw.items()
    }


def _item(doc: YamlDoc, raw: Any, keys: tuple, known_categories: set[str], known_rules: set[str]) -> Item | None:
    if not isinstance(raw, dict):
        doc.problem(keys, "must be a mapping with id, label, categories or rules, and points or critical")
        return None
    doc.unknown_keys(raw, _ITEM_KEYS, keys)
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not ITEM_ID.match(item_id):
        doc.problem(keys + ("id",), f"is required: lower-case letters, digits and _, got {item_id!r}")
        return None
    categories = doc.strings(raw.get("categories"), keys + ("categories",))
    item_rules = doc.strings(raw.get("rules"), keys + ("rules",))
    for i, category in enumerate(categories):
        if category not in known_categories:
            doc.problem(
                keys + ("categories", i),
                f"unknown category {category!r} (categories.yaml, or a rule file in detection.rules)",
            )
    for i, rule in enumerate(item_rules):
        if rule not in known_rules:
            doc.problem(keys + ("rules", i), f"no analyst rule in detection.rules has id {rule!r}")
    if not categories and not item_rules:
        doc.problem(keys, "ties to nothing: give categories, rules or both")
    critical = raw.get("critical", False)
    if not isinstance(critical, bool):
        doc.problem(keys + ("critical",), f"must be true or false, got {critical!r}")
    points = raw.get("points", 0 if critical else None)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
        doc.problem(keys + ("points",), f"is required (points deducted, 0 or more), got {points!r}")
        points = 0
    per = raw.get("per", "occurrence")
    if per not in ("occurrence", "call"):
        doc.problem(keys + ("per",), f"must be occurrence or call, got {per!r}")
    cap = raw.get("cap")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, (int, float)) or cap < 0):
        doc.problem(keys + ("cap",), f"must be a number of 0 or more, got {cap!r}")
        cap = None
    label = raw.get("label") or item_id
    return Item(
        item_id,
        str(label),
        frozenset(categories),
        frozenset(item_rules),
        float(points),
        str(per),
        None if cap is None else float(cap),
        critical is True,
    )
