"""YAML files that analysts edit (the lexicons, the category table), read so that every mistake
is reported with its file and line: ``YamlDoc`` remembers where each value was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import CallqaError
from pipeline.patterns import compiled, nested_repeat

# libyaml's parser when PyYAML was built with it (ten times faster; the same nodes and marks).
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LexiconError(CallqaError, ValueError):
    """One or more mistakes in lexicon files, each as ``file:line: reason``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class YamlDoc:
    """A parsed YAML file that remembers where each value was written, for error messages."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []
        try:
            loader = SafeLoader(path.read_text(encoding="utf-8"))
            try:
                self.root = loader.get_single_node()
                self.data = loader.construct_document(self.root) if self.root is not None else None
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            raise LexiconError([f"{path}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})"]) from exc
        except OSError as exc:
            raise LexiconError([f"{path}: cannot read ({exc.strerror})"]) from exc
        self._report_duplicate_keys(self.root)

    def _report_duplicate_keys(self, node: yaml.Node | None) -> None:
        """YAML keeps the last of two equal keys silently: a rule's second ``patterns:`` would
        drop its first list. Report them instead."""
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if key.value in seen:
                    self.problems.append(
                        f"{self.path}:{key.start_mark.line + 1}: {key.value!r} is given twice in one mapping"
                    )
                seen.add(key.value)
                self._report_duplicate_keys(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self._report_duplicate_keys(item)

    def line(self, *keys: str | int) -> int:
        """The line of the value at ``keys`` (or of its closest written parent)."""
        node = self.root
        for key in keys:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = next((v for k, v in node.value if k.value == key), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                child = node.value[key]
            if child is None:
                break
            node = child
        return node.start_mark.line + 1 if node is not None else 1

    def problem(self, keys: tuple, reason: str) -> None:
        where = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys).lstrip(".")
        self.problems.append(f"{self.path}:{self.line(*keys)}: {where + ': ' if where else ''}{reason}")

    def strings(self, value: Any, keys: tuple, required: bool = False) -> list[str]:
        """A list of non-empty strings at ``keys`` (problems recorded, bad items dropped)."""
        if value is None:
            if required:
                self.problem(keys, "is required (a list of strings)")
            return []
        if not isinstance(value, list):
            self.problem(keys, "must be a list of strings")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, (str, int)) and str(item).strip():
                out.append(str(item).strip())
            else:
                self.problem(keys + (i,), f"must be a non-empty string, got {item!r}")
        return out

    def regex(self, pattern: str, keys: tuple) -> re.Pattern | None:
        """The compiled pattern, or None with the problem recorded: it must compile, and it must
        not nest repeats that can share characters (``patterns.nested_repeat``)."""
        try:
            regex = compiled(pattern)
        except re.error as exc:
            self.problem(keys, f"invalid regular expression {pattern!r} ({exc.msg})")
            return None
        nested = nested_repeat(pattern)
        if nested:
            self.problem(keys, f"{pattern!r} {nested}: a long input would make matching take minutes")
            return None
        return regex

    def unknown_keys(self, mapping: dict, allowed: Iterable[str], keys: tuple) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(keys + (key,), f"unknown key {key!r} (allowed: {', '.join(allowed)})")

    def raise_problems(self) -> None:
        if self.problems:
            raise LexiconError(self.problems)
