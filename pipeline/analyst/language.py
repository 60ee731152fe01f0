"""Reading analyst rule files: YAML in, checked rules out, every mistake as ``file:line: reason``.

A rule file has ``rules:`` (a list) and may add ``categories:`` of its own, each with a Chinese
label, a severity and the clauses it breaks per rule document (README, "Analyst rules", shows
every operator with an example). A rule names its category, either one of
``lexicons/categories.yaml`` or one the file adds, and a ``match:`` condition built from the
operators of ``conditions.py``, and optionally a ``when:`` condition the call must meet for the
rule to apply at all (its hits are not findings: "only calls where the customer spoke").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.analyst.conditions import (
    MEASURES,
    ROLE_LABELS,
    AllOf,
    AnyOf,
    Condition,
    Keyword,
    Measure,
    Not,
    Regex,
    Scope,
    Sequence,
    WithoutBefore,
)
from pipeline.categories import SEVERITIES, Category, CategoryTable, category_table
from pipeline.resources import data_path
from pipeline.yamldoc import LexiconError, YamlDoc

RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_KEYS = ("id", "category", "description", "severity", "score", "when", "match")
_CATEGORY_KEYS = ("label", "severity", "clauses")
_SCOPE_KEYS = ("role", "first_turns", "last_turns", "first_seconds", "last_seconds")
# The operator of a condition, and the keys each operator allows beside it.
_OPERATORS = {
    "keyword": _SCOPE_KEYS,
    "regex": ("unless", *_SCOPE_KEYS),
    "measure": ("above", "count_above", *_SCOPE_KEYS),
    "sequence": (),
    "without_before": (),
    "all": (),
    "any": (),
    "not": (),
}
_KEYWORD_MODES = ("any", "all", "at_least", "none")


@dataclass(frozen=True)
class AnalystRule:
    id: str
    category: str
    description: str  # the analyst's own words, or the condition described
    severity: str | None  # overrides the category's
    score: float
    match: Condition
    when: Condition | None  # a precondition on the call: the rule applies only where it holds
    path: Path
    line: int

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


@dataclass(frozen=True)
class RulePack:
    """The rules of one or more files, and the categories they add to the table's."""

    rules: tuple[AnalystRule, ...]
    categories: dict[str, Category]

    def category(self, category_id: str, table: CategoryTable | None = None) -> Category:
        table = table or category_table()
        return self.categories[category_id] if category_id in self.categories else table[category_id]


def rule_paths(entries: Iterable[str]) -> list[Path]:
    """The files and folders of ``detection.rules``: a relative path that does not exist from
    here is taken from the shipped data (where ``lexicons/rules/`` is)."""
    paths = []
    for entry in entries:
        path = Path(entry)
        paths.append(path if path.is_absolute() or path.exists() else data_path(str(entry)))
    return paths


def rule_files(paths: list[str | Path]) -> list[Path]:
    """The YAML files named, a folder standing for the ``*.yaml`` files in it."""
    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return files


def read_rule_pack(paths: list[str | Path], table: CategoryTable | None = None) -> RulePack:
    """Read and check every file; all problems of all files are reported at once."""
    table = table or category_table()
    problems: list[str] = []
    rules: list[AnalystRule] = []
    categories: dict[str, Category] = {}
    seen_rules: dict[str, str] = {}
    for path in rule_files(paths):
        try:
            reader = _FileReader(YamlDoc(path), table, categories)
        except LexiconError as exc:
            problems.extend(exc.problems)
            continue
        for rule in reader.rules:
            if rule.id in seen_rules:
                reader.doc.problems.append(
                    f"{rule.path}:{rule.line}: rule id {rule.id!r} is already used at {seen_rules[rule.id]}"
                )
            seen_rules[rule.id] = rule.where
        problems.extend(reader.doc.problems)
        rules.extend(reader.rules)
        categories.update(reader.categories)
    if problems:
        raise LexiconError(problems)
    return RulePack(tuple(rules), categories)


class _FileReader:
    """Checks one file; problems collect in ``doc.problems``."""

    def __init__(self, doc: YamlDoc, table: CategoryTable, earlier: dict[str, Category]):
        self.doc = doc
        self.table = table
        data = doc.data
        if not isinstance(data, dict):
            doc.problem((), "must be a mapping with rules (and optionally categories)")
            data = {}
        doc.unknown_keys(data, ("categories", "rules"), ())
        self.categories = self._categories(data.get("categories"), earlier)
        self.known = set(table.categories) | set(earlier) | set(self.categories)
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            doc.problem(("rules",), "is required (a list of rules)")
            raw_rules = []
        self.rules = [rule for i, raw in enumerate(raw_rules) if (rule := self._rule(raw, ("rules", i))) is not None]

    # --- categories -----------------------------------------------------------------------

    def _categories(self, raw: Any, earlier: dict[str, Category]) -> dict[str, Category]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.doc.problem(("categories",), "must be a mapping of category id to label, severity and clauses")
            return {}
        out = {}
        for category_id, facts in raw.items():
            keys = ("categories", category_id)
            category_id = str(category_id)
            if category_id in self.table or category_id in earlier:
                where = self.table.path.name if category_id in self.table else "another rule file"
                self.doc.problem(
                    keys,
                    f"category {category_id!r} is already defined in {where}; name it in a rule without defining it again",
                )
                continue
            if not RULE_ID.match(category_id):
                self.doc.problem(keys, "a category id is lower-case letters, digits and _")
                continue
            if not isinstance(facts, dict):
                self.doc.problem(keys, "must be a mapping with label, severity and clauses")
                continue
            self.doc.unknown_keys(facts, _CATEGORY_KEYS, keys)
            label = facts.get("label")
            if not isinstance(label, str) or not label.strip():
                self.doc.problem(keys + ("label",), "is required (the Chinese label reviewers read)")
            severity = facts.get("severity")
            if severity not in SEVERITIES:
                self.doc.problem(keys + ("severity",), f"must be one of {', '.join(SEVERITIES)}, got {severity!r}")
            clauses = {}
            raw_clauses = facts.get("clauses") or {}
            if not isinstance(raw_clauses, dict):
                self.doc.problem(keys + ("clauses",), "must map document short names to lists of clauses")
                raw_clauses = {}
            for document, items in raw_clauses.items():
                if document not in self.table.documents:
                    self.doc.problem(
                        keys + ("clauses", document),
                        f"names document {document!r}; known: {', '.join(self.table.documents)}",
                    )
                    continue
                clauses[str(document)] = tuple(self.doc.strings(items, keys + ("clauses", document), required=True))
            out[category_id] = Category(
                id=category_id,
                label=str(label or category_id).strip(),
                severity=str(severity),
                core=False,
                clauses_by_document=clauses,
                families=("analyst_rules",),
            )
        return out

    # --- rules ----------------------------------------------------------------------------

    def _rule(self, raw: Any, keys: tuple) -> AnalystRule | None:
        doc = self.doc
        if not isinstance(raw, dict):
            doc.problem(keys, "must be a mapping with id, category and match")
            return None
        doc.unknown_keys(raw, _RULE_KEYS, keys)
        rule_id = raw.get("id")
        if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
            doc.problem(keys + ("id",), f"is required: lower-case letters, digits and _, got {rule_id!r}")
        category = raw.get("category")
        if category not in self.known:
            doc.problem(
                keys + ("category",),
                f"unknown category {category!r}: use one of {self.table.path.name} or add it under categories:",
            )
        severity = raw.get("severity")
        if severity is not None and severity not in SEVERITIES:
            doc.problem(keys + ("severity",), f"must be one of {', '.join(SEVERITIES)}, got {severity!r}")
        score = raw.get("score", 0.9)
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 < score <= 1:
            doc.problem(keys + ("score",), f"must be a number above 0 and at most 1, got {score!r}")
            score = 0.9
        description = raw.get("description")
        if description is not None and not isinstance(description, str):
            doc.problem(keys + ("description",), "must be a string")
            description = None
        if "match" not in raw:
            doc.problem(keys, "match: is required (the condition that flags a call)")
            return None
        match = self._condition(raw["match"], keys + ("match",))
        when = self._condition(raw["when"], keys + ("when",)) if "when" in raw else None
        if (
            match is None
            or ("when" in raw and when is None)
            or not isinstance(rule_id, str)
            or category not in self.known
        ):
            return None
        return AnalystRule(
            id=rule_id,
            category=str(category),
            description=(description or match.describe()).strip(),
            severity=severity,
            score=float(score),
            match=match,
            when=when,
            path=doc.path,
            line=doc.line(*keys),
        )

    def _condition(self, raw: Any, keys: tuple) -> Condition | None:
        doc = self.doc
        if not isinstance(raw, dict):
            doc.problem(keys, f"a condition is a mapping with one of {', '.join(_OPERATORS)}")
            return None
        operators = [key for key in raw if key in _OPERATORS]
        if len(operators) != 1:
            found = f"found {', '.join(operators)}" if operators else "found none"
            doc.problem(
                keys,
                f"a condition needs exactly one operator of {', '.join(_OPERATORS)} ({found}); combine several with all: or any:",
            )
            return None
        operator = operators[0]
        doc.unknown_keys(raw, (operator, *_OPERATORS[operator]), keys)
        value = raw[operator]
        here = keys + (operator,)
        if operator in ("keyword", "regex", "measure"):
            scope = self._scope(raw, keys)
            if scope is None:
                return None
            return getattr(self, f"_{operator}")(value, raw, here, scope)
        if operator in ("all", "any"):
            if not isinstance(value, list) or len(value) < 2:
                doc.problem(here, "must be a list of at least two conditions")
                return None
            parts = [self._condition(item, here + (i,)) for i, item in enumerate(value)]
            if any(p is None for p in parts):
                return None
            return (AllOf if operator == "all" else AnyOf)(tuple(parts))
        if operator == "not":
            part = self._condition(value, here)
            return Not(part) if part is not None else None
        if operator == "sequence":
            return self._pair(value, here, ("first", "then"), "within_turns", Sequence)
        return self._pair(value, here, ("match", "without"), None, WithoutBefore)

    def _scope(self, raw: dict, keys: tuple) -> Scope | None:
        role = raw.get("role", "any")
        if role not in ROLE_LABELS:
            self.doc.problem(keys + ("role",), f"must be one of {', '.join(ROLE_LABELS)}, got {role!r}")
            return None
        positions = [key for key in _SCOPE_KEYS[1:] if key in raw]
        if len(positions) > 1:
            self.doc.problem(keys + (positions[1],), f"give one position only, not {' and '.join(positions)}")
            return None
        values: dict[str, Any] = {}
        for key in positions:
            number = raw[key]
            whole = key.endswith("turns")
            if isinstance(number, bool) or not isinstance(number, int if whole else (int, float)) or number <= 0:
                self.doc.problem(
                    keys + (key,), f"must be a positive {'whole number' if whole else 'number'}, got {number!r}"
                )
                return None
            values[key] = number
        return Scope(role=role, **values)

    def _keyword(self, value: Any, raw: dict, keys: tuple, scope: Scope) -> Condition | None:
        if not isinstance(value, dict):
            self.doc.problem(
                keys, "must be a mapping: any:, all: or none: a list of words, or at_least: N with of: a list"
            )
            return None
        modes = [key for key in value if key in _KEYWORD_MODES]
        self.doc.unknown_keys(value, (*_KEYWORD_MODES, "of"), keys)
        if len(modes) != 1:
            self.doc.problem(keys, f"give exactly one of {', '.join(_KEYWORD_MODES)}")
            return None
        mode = modes[0]
        if mode == "at_least":
            n = value["at_least"]
            words = self.doc.strings(value.get("of"), keys + ("of",), required=True)
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                self.doc.problem(keys + ("at_least",), f"must be a whole number of at least 1, got {n!r}")
                return None
            if words and n > len(words):
                self.doc.problem(keys + ("at_least",), f"asks for {n} words but of: lists {len(words)}")
                return None
            return Keyword("at_least", tuple(words), scope, at_least=n) if words else None
        if "of" in value:
            self.doc.problem(keys + ("of",), "goes with at_least: only")
        words = self.doc.strings(value[mode], keys + (mode,), required=True)
        return Keyword(mode, tuple(words), scope) if words else None

    def _regex(self, value: Any, raw: dict, keys: tuple, scope: Scope) -> Condition | None:
        if not isinstance(value, str) or not value:
            self.doc.problem(keys, "must be one regular expression")
            return None
        pattern = self.doc.regex(value, keys)
        unless = None
        if "unless" in raw:
            if not isinstance(raw["unless"], str) or not raw["unless"]:
                self.doc.problem(keys[:-1] + ("unless",), "must be one regular expression")
                return None
            unless = self.doc.regex(raw["unless"], keys[:-1] + ("unless",))
            if unless is None:
                return None
        return Regex(pattern, unless, scope) if pattern is not None else None

    def _measure(self, value: Any, raw: dict, keys: tuple, scope: Scope) -> Condition | None:
        if value not in MEASURES:
            self.doc.problem(keys, f"unknown measure {value!r} (known: {', '.join(MEASURES)})")
            return None
        above = raw.get("above")
        if above is not None and (isinstance(above, bool) or not isinstance(above, (int, float))):
            self.doc.problem(keys[:-1] + ("above",), f"must be a number, got {above!r}")
            return None
        count_above = raw.get("count_above", 0)
        if isinstance(count_above, bool) or not isinstance(count_above, int) or count_above < 0:
            self.doc.problem(keys[:-1] + ("count_above",), f"must be a whole number of 0 or more, got {count_above!r}")
            return None
        if above is None and not count_above:
            self.doc.problem(
                keys, "give above: (the size an event must exceed), count_above: (how many events), or both"
            )
            return None
        return Measure(value, None if above is None else float(above), count_above, scope)

    def _pair(self, value: Any, keys: tuple, names: tuple[str, str], number: str | None, build) -> Condition | None:
        allowed = (*names, number) if number else names
        if not isinstance(value, dict):
            self.doc.problem(keys, f"must be a mapping with {', '.join(allowed)}")
            return None
        self.doc.unknown_keys(value, allowed, keys)
        missing = [name for name in allowed if name not in value]
        if missing:
            self.doc.problem(keys, f"needs {', '.join(missing)}")
            return None
        parts = [self._condition(value[name], keys + (name,)) for name in names]
        if any(p is None for p in parts):
            return None
        if number is None:
            return build(*parts)
        turns = value[number]
        if isinstance(turns, bool) or not isinstance(turns, int) or turns < 1:
            self.doc.problem(keys + (number,), f"must be a whole number of at least 1, got {turns!r}")
            return None
        return build(*parts, turns)
