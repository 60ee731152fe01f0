"""The one table of violation categories, read from ``lexicons/categories.yaml``.

For each category: its id, the Chinese label reviewers read, its severity, whether it is one of
the core five, the clauses it breaks per rule document (the documents listed are the ones that
bind it), and the detector families that feed it. Detectors, the console, the report, the exports
and ``docs/rules.md`` all read this table; nothing else spells a label or a clause list.

The file is checked when it is read: a mistake is reported with the file, the line and the
reason (``LexiconError``), like the lexicons beside it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pipeline.text import LEXICON_DIR
from pipeline.yamldoc import YamlDoc

CATEGORY_FILE = LEXICON_DIR / "categories.yaml"
SEVERITIES = ("high", "medium", "low")
_KEYS = ("label", "severity", "core", "clauses", "families")


@dataclass(frozen=True)
class Category:
    id: str
    label: str  # 中文, what reviewers read
    severity: str
    core: bool  # one of the five every build must detect
    clauses_by_document: dict[str, tuple[str, ...]]  # {"HN": ("7(二)", "7(四)")}, in the table's order
    families: tuple[str, ...]  # the detector families that feed it

    @property
    def documents(self) -> tuple[str, ...]:
        """The documents that bind this category."""
        return tuple(self.clauses_by_document)

    @property
    def clauses(self) -> list[str]:
        """Every clause the category breaks, as findings cite them: ``["HN 7(二)", ...]``."""
        return [f"{document} {clause}" for document, clauses in self.clauses_by_document.items() for clause in clauses]


@dataclass(frozen=True)
class CategoryTable:
    path: Path
    documents: dict[str, str]  # short name -> the document's full name
    categories: dict[str, Category]  # in the table's order

    def __getitem__(self, category_id: str) -> Category:
        return self.categories[category_id]

    def __contains__(self, category_id: object) -> bool:
        return category_id in self.categories

    def __iter__(self):
        return iter(self.categories.values())

    @property
    def core(self) -> tuple[str, ...]:
        return tuple(c.id for c in self if c.core)

    def fed_by(self, family: str) -> list[Category]:
        return [c for c in self if family in c.families]

    def check_clauses(self, category_id: str, clauses: list[str]) -> list[str]:
        """The clauses of ``clauses`` that ``category_id`` does not break per the table."""
        known = set(self[category_id].clauses)
        return [clause for clause in clauses if clause not in known]


def read_categories(path: Path = CATEGORY_FILE) -> CategoryTable:
    """Read and check the table; every mistake is reported at once with its line."""
    doc = YamlDoc(Path(path))
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        doc.problem((), "must be a mapping with documents and categories")
    doc.unknown_keys(data, ("documents", "categories"), ())
    documents = data.get("documents")
    if not isinstance(documents, dict) or not documents:
        doc.problem(("documents",), "is required (short name: full name of each rule document)")
        documents = {}
    documents = {str(name): str(title) for name, title in documents.items()}
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, dict) or not raw_categories:
        doc.problem(("categories",), "is required (a mapping of category id to its facts)")
        raw_categories = {}
    categories = {}
    for category_id, raw in raw_categories.items():
        category = _category(doc, str(category_id), raw, documents)
        if category is not None:
            categories[category.id] = category
    doc.raise_problems()
    return CategoryTable(path=Path(path), documents=documents, categories=categories)


def _category(doc: YamlDoc, category_id: str, raw: object, documents: dict[str, str]) -> Category | None:
    keys = ("categories", category_id)
    if not isinstance(raw, dict):
        doc.problem(keys, "must be a mapping with label, severity, clauses and families")
        return None
    doc.unknown_keys(raw, _KEYS, keys)
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        doc.problem(keys + ("label",), "is required (the Chinese label reviewers read)")
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        doc.problem(keys + ("severity",), f"must be one of {', '.join(SEVERITIES)}, got {severity!r}")
    core = raw.get("core", False)
    if not isinstance(core, bool):
        doc.problem(keys + ("core",), f"must be true or false, got {core!r}")
    clauses: dict[str, tuple[str, ...]] = {}
    raw_clauses = raw.get("clauses")
    if not isinstance(raw_clauses, dict) or not raw_clauses:
        doc.problem(keys + ("clauses",), "is required (per document short name, a list of its clauses)")
        raw_clauses = {}
    for document, items in raw_clauses.items():
        if document not in documents:
            doc.problem(keys + ("clauses", document), f"names document {document!r}, which documents does not list")
            continue
        clauses[str(document)] = tuple(doc.strings(items, keys + ("clauses", document), required=True))
    families = doc.strings(raw.get("families"), keys + ("families",), required=True)
    if "families" in raw and not families:
        doc.problem(keys + ("families",), "no detector feeds this category: list at least one family")
    return Category(
        id=category_id,
        label=str(label or category_id).strip(),
        severity=str(severity),
        core=core is True,
        clauses_by_document=clauses,
        families=tuple(families),
    )


@functools.lru_cache(maxsize=1)
def category_table() -> CategoryTable:
    """The table shipped in ``lexicons/categories.yaml``, read once."""
    return read_categories(CATEGORY_FILE)
