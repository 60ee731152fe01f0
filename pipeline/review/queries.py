"""Every read and write the console makes: the review queue, one call with its findings and
verdicts, verdicts themselves, and the rows of an export.

A finding's status is its newest review (the store's ``latest_reviews`` view): none (open),
or confirmed / dismissed / uncertain. Open means "still needs a reviewer": no review yet, or
the newest one is ``uncertain``. User text only ever reaches SQL as a bound parameter.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from pipeline.calls import Finding
from pipeline.errors import CallqaError
from pipeline.metrics import metrics_of
from pipeline.present.labels import REVIEW_VERDICTS, SEVERITY_RANK, STATUS_LABELS, category_labels
from pipeline.present.masking import default_masker
from pipeline.scoring import call_score
from pipeline.store import fts_query, now_iso, stored_findings, writing
from pipeline.text import words

# The calls held by someone now: assigned by an admin, or claimed with a lock not yet expired.
HELD_SQL = "SELECT call_id, assignee FROM assignments WHERE expires_at IS NULL OR expires_at > ?"

PAGE_SIZE = 50

SEVERITY_RANK_SQL = (
    "CASE f.severity " + " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in SEVERITY_RANK.items()) + " ELSE 0 END"
)
STATUS_CONDITION = {
    "open": "(m.verdict IS NULL OR m.verdict = 'uncertain')",
    "confirmed": "m.verdict = 'confirmed'",
    "dismissed": "m.verdict = 'dismissed'",
    "uncertain": "m.verdict = 'uncertain'",
    "all": "1",
}


class ReviewError(CallqaError, ValueError):
    pass


def phrase_span(text: str | None, start: int | None, end: int | None) -> tuple[int, int] | None:
    """A finding's matched phrase as offsets into ``text``; None when it has none (the whole
    text is the evidence: an older finding, a classifier's) or they do not fit the text."""
    if text is None or start is None or end is None or not 0 <= start < end <= len(text):
        return None
    return start, end


class VerdictConflict(ReviewError):
    """Someone decided the finding after the reviewer's page was loaded: their verdict was
    built on a review (``base``) that is no longer the newest, so it is not saved."""

    def __init__(self, finding_id: int, current: Review):
        self.current = current
        super().__init__(
            f"finding {finding_id} was decided meanwhile: {current.verdict} by {current.reviewer} "
            f"at {current.created_at} (review {current.id})"
        )


@dataclass
class QueueFilters:
    """The queue's filters, as they travel in a URL's query string."""

    category: str = ""
    status: str = "open"
    agency: str = ""
    agent: str = ""
    date_from: str = ""
    date_to: str = ""
    sample_id: str = ""
    q: str = ""
    scope: str = ""  # "": calls nobody else holds; "mine": held by the user; "all"
    sort: str = ""  # a SORTS key; "" ranks worst first
    dir: str = ""  # "asc" | "desc" (the column's natural direction when empty)
    max_score: str = ""  # calls whose scorecard score is at most this (pipeline/scoring.py)
    page: int = 1

    @classmethod
    def from_params(cls, params: Any) -> QueueFilters:
        values = {f.name: str(params.get(f.name, "") or "").strip() for f in fields(cls)}
        filters = cls(**{k: v for k, v in values.items() if k != "page"})
        if filters.status not in STATUS_CONDITION:
            filters.status = "open"
        if filters.scope not in SCOPES:
            filters.scope = ""
        if filters.sort not in SORTS:
            filters.sort = ""
        if filters.dir not in ("asc", "desc"):
            filters.dir = ""
        filters.date_from = _valid_date(filters.date_from)
        filters.date_to = _valid_date(filters.date_to)
        if not _small_number(filters.sample_id):
            filters.sample_id = ""
        if not _small_number(filters.max_score):
            filters.max_score = ""
        filters.page = int(values["page"]) if _small_number(values["page"]) and int(values["page"]) > 0 else 1
        for name in ("category", "agency", "agent", "q"):
            setattr(filters, name, getattr(filters, name)[:MAX_FILTER_LENGTH])
        return filters

    def to_params(self, **changes: Any) -> dict[str, str]:
        """Non-empty filters as query parameters (``changes`` override, e.g. page=2)."""
        values = {**asdict(self), **changes}
        return {k: str(v) for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}


MAX_FILTER_LENGTH = 200
SCOPES = {"": "未被他人领取", "mine": "我的队列", "all": "全部（含他人领取）"}
# Sortable columns: the SQL expression and its natural direction. The default ranks calls by
# severity-weighted findings (a high counts as two mediums, a critical as two highs), then by
# their worst finding; a scorecard score will rank them once calls have one.
SEVERITY_WEIGHT = {name: 2 ** (rank - 1) for name, rank in SEVERITY_RANK.items()}
SORTS = {
    "": ("weight", "desc"),
    "started_at": ("c.started_at", "desc"),
    "duration": ("c.duration", "desc"),
    "agency": ("c.agency", "asc"),
    "agent": ("c.agent_id", "asc"),
    "findings": ("findings", "desc"),
    "score": ("score", "desc"),
    "call_score": ("call_score", "asc"),  # the scorecard's score: the worst calls score lowest
    "holder": ("holder", "asc"),
}


def _small_number(text: str) -> bool:
    """Plain ASCII digits that fit SQLite's integers (``str.isdigit`` also takes ² and ٣)."""
    return re.fullmatch(r"[0-9]{1,9}", text) is not None


def _valid_date(text: str) -> str:
    """An ISO date a day can be added to (so not 9999-12-31), else empty."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return ""
    return day.isoformat() if day < date.max else ""


@dataclass
class QueueRow:
    call_id: str
    started_at: str | None
    agency: str | None
    agent_id: str | None
    findings: int
    severity_rank: int | None
    score: float | None
    weight: int | None
    duration: float | None
    holder: str | None
    categories: list[str]
    call_score: float | None = None  # the scorecard's score and grade (call_scores), when scored
    grade: str | None = None
    snippet: str | None = None  # the evidence of the call's worst matching finding
    snippet_span: tuple[int, int] | None = None  # its matched phrase within the snippet


@dataclass
class QueuePage:
    filters: QueueFilters
    rows: list[QueueRow]
    total: int
    category_counts: dict[str, int]
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass
class _Sql:
    text: str
    params: list[Any] = field(default_factory=list)


QUEUE_SELECT = (
    "c.id, c.started_at, c.agency, c.agent_id, COUNT(m.id) AS findings, MAX(m.rank) AS rank, "
    "MAX(m.score) AS score, SUM(m.weight) AS weight, c.duration, h.assignee AS holder, "
    "group_concat(DISTINCT m.category) AS categories, cs.score AS call_score, cs.grade AS grade"
)
# The same columns from store's call_queue (or call_queue_categories, whose one category is
# {categories}): one ready row per call for the open queue.
READY_SELECT = (
    "c.id, c.started_at, c.agency, c.agent_id, m.findings AS findings, m.rank AS rank, m.score AS score, "
    "m.weight AS weight, c.duration, h.assignee AS holder, {categories} AS categories, "
    "cs.score AS call_score, cs.grade AS grade"
)
_LATEST_VERDICT = "LEFT JOIN latest_reviews lr ON lr.finding_id = f.id "
SEVERITY_WEIGHT_SQL = (
    "CASE f.severity " + " ".join(f"WHEN '{n}' THEN {w}" for n, w in SEVERITY_WEIGHT.items()) + " ELSE 0 END"
)


def queue_order(filters: QueueFilters) -> str:
    """ORDER BY for the filters' sort; ties always fall back to the worst-first ranking."""
    column, natural = SORTS[filters.sort]
    direction = (filters.dir or natural).upper()
    ranking = "weight DESC, rank DESC, score DESC, c.started_at DESC, c.id"
    if not filters.sort and direction == "DESC":
        return f"ORDER BY {ranking}"  # the ready queue's index order
    # SQLite sorts NULL lowest: ascending, empty cells would come first
    nulls = f"{column} IS NULL, " if direction == "ASC" else ""
    return f"ORDER BY {nulls}{column} {direction}, {ranking}"


def _matched_calls_sql(
    db: sqlite_utils.Database,
    filters: QueueFilters,
    *,
    by_category: bool,
    masked: bool,
    user: str | None = None,
    select: str = QUEUE_SELECT,
    group_by: str = "c.id",
    every_call: bool = False,
    ready: bool = False,
) -> _Sql:
    """Calls passing the filters joined with their matching findings (``m``), grouped by
    ``group_by``: by default one row per call with the aggregate of its findings. With
    ``masked`` a transcript search matches the text as masked for a reviewer.

    Normally every call listed needs a matching finding. A sample or a transcript search with
    status "all" and no category lists every call it matches, findings or not, so reviewers
    can read a self-check sample whole and add what the machine missed.

    ``user`` (the reviewer asking) applies the scope: by default calls another reviewer holds
    (``team``) are left out; "mine" lists only the user's. Without a user every call counts.

    ``ready`` (only for ``_ready``'s filters): store's per-call rows stand for the grouped
    findings, one row per call with no GROUP BY: ``call_queue`` for the open ones
    (``call_queue_categories`` for one category), ``call_findings`` for every status.
    """
    finding_where, finding_params = ["1"], []
    if by_category and filters.category:
        finding_where.append("f.category = ?")
        finding_params.append(filters.category)
    # every status but "all" needs each finding's verdict
    verdict, reviewed = ("NULL", "") if filters.status == "all" else ("lr.verdict", _LATEST_VERDICT)
    matched = (
        f"SELECT f.id, f.call_id, f.category, f.score, {SEVERITY_RANK_SQL} AS rank, "
        f"{SEVERITY_WEIGHT_SQL} AS weight, {verdict} AS verdict "
        f"FROM findings f {reviewed}WHERE {' AND '.join(finding_where)}"
    )
    every_call = every_call or (
        bool(filters.sample_id or filters.q) and filters.status == "all" and not (by_category and filters.category)
    )
    # Unless a call-level filter narrows the calls (then SQLite starts from its index), the
    # ready rows come first (CROSS JOIN keeps SQLite to that order), so a page in the default
    # ranking is read off call_queue's index instead of sorting every call.
    narrowed = any(
        (
            filters.agency,
            filters.agent,
            filters.date_from,
            filters.date_to,
            filters.sample_id,
            filters.q,
            filters.max_score,
        )
    )
    one_category = ready and by_category and bool(filters.category)
    if ready:
        table = "call_findings" if filters.status == "all" else "call_queue"
        table = "call_queue_categories" if one_category else table
        select = select.format(categories="m.category" if one_category else "m.categories")
    if ready and not narrowed:
        sql = _Sql(f"SELECT {select} FROM {table} m CROSS JOIN calls c ON c.id = m.call_id ")
    elif ready:
        sql = _Sql(f"SELECT {select} FROM calls c JOIN {table} m ON m.call_id = c.id ")
    else:
        sql = _Sql(f"SELECT {select} FROM calls c ")
    if filters.sample_id:
        sql.text += "JOIN sample_calls sc ON sc.call_id = c.id AND sc.sample_id = ? "
        sql.params.append(int(filters.sample_id))
    if not ready:
        sql.text += f"{'LEFT ' if every_call else ''}JOIN ({matched}) m "
        sql.text += f"ON m.call_id = c.id AND {STATUS_CONDITION[filters.status]} "
        sql.params += finding_params
    sql.text += f"LEFT JOIN ({HELD_SQL}) h ON h.call_id = c.id "
    sql.params.append(now_iso())
    sql.text += "LEFT JOIN call_scores cs ON cs.call_id = c.id "

    call_where = ["c.status = 'ok'"]
    if one_category:
        call_where.append("m.category = ?")
        sql.params.append(filters.category)
    if user is not None and filters.scope == "":
        call_where.append("(h.assignee IS NULL OR h.assignee = ?)")
        sql.params.append(user)
    elif user is not None and filters.scope == "mine":
        call_where.append("h.assignee = ?")
        sql.params.append(user)
    if filters.agency:
        call_where.append("c.agency = ?")
        sql.params.append(filters.agency)
    if filters.agent:
        call_where.append("c.agent_id = ?")
        sql.params.append(filters.agent)
    if filters.date_from:
        call_where.append("c.started_at >= ?")
        sql.params.append(filters.date_from)
    if filters.date_to:  # the whole of the last day
        call_where.append("c.started_at < ?")
        sql.params.append((date.fromisoformat(filters.date_to) + timedelta(days=1)).isoformat())
    if filters.max_score:
        call_where.append("cs.score <= ?")
        sql.params.append(int(filters.max_score))
    if filters.q:
        condition, params = _transcript_search(db, filters.q, masked)
        call_where.append(condition)
        sql.params += params
    sql.text += f"WHERE {' AND '.join(call_where)} "
    if not ready:
        sql.text += f"GROUP BY {group_by} "
    return sql


def _ready(filters: QueueFilters, by_category: bool = True) -> bool:
    """Whether store's ready rows stand for the filters' findings: the open queue (of every
    category, or of one), and every status of every category (``by_category``: the category
    filter applies) unless a sample or a search lists calls without findings too."""
    if filters.status == "open":
        return True
    every_category = not (by_category and filters.category)
    return filters.status == "all" and every_category and not (filters.sample_id or filters.q)


def _transcript_search(db: sqlite_utils.Database, query: str, masked: bool) -> tuple[str, list[Any]]:
    """Calls with a segment containing the query: the jieba-segmented FTS index when it finds
    the words, else a plain substring match (as ``store.search_segments`` does).

    ``masked``: the segment must hold the query (each of its words, for the index) in its
    masked text too, so a reviewer cannot recover masked digits by extending a query (nor
    find masked text by searching for the mask character). Only words masking could hide
    (digits, names: ``Masker.may_hide``) are looked for in the masked text; masking every
    segment a common word is found in would cost seconds on a large database.
    """
    masker = default_masker()
    if masked:
        db.conn.create_function("callqa_mask", 1, masker.mask, deterministic=True)
    match = fts_query(query)
    if match:
        fts_ids = "SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?"
        if db.execute(f"{fts_ids} LIMIT 1", [match]).fetchone():
            hidden = [term for term in words(query) if masked and masker.may_hide(term)]
            extra = "".join(" AND instr(callqa_mask(s.text), ?) > 0" for _ in hidden)
            return f"c.id IN (SELECT s.call_id FROM segments s WHERE s.id IN ({fts_ids}){extra})", [match, *hidden]
    if masked and masker.may_hide(query):
        both = "instr(s.text, ?) > 0 AND instr(callqa_mask(s.text), ?) > 0"
        return f"c.id IN (SELECT s.call_id FROM segments s WHERE {both})", [query, query]
    return "c.id IN (SELECT s.call_id FROM segments s WHERE instr(s.text, ?) > 0)", [query]


def queue_page(
    db: sqlite_utils.Database,
    filters: QueueFilters,
    page_size: int = PAGE_SIZE,
    masked: bool = True,
    user: str | None = None,
) -> QueuePage:
    """One page of the queue; ``masked`` (the default) searches transcripts as a reviewer sees
    them; ``user`` applies the filters' scope (see ``_matched_calls_sql``)."""
    # The window count gives the total in the same pass as the page.
    ready = _ready(filters)
    sql = _matched_calls_sql(
        db,
        filters,
        by_category=True,
        masked=masked,
        user=user,
        ready=ready,
        select=READY_SELECT if ready else f"COUNT(*) OVER () AS total, {QUEUE_SELECT}",
    )
    offset = (filters.page - 1) * page_size
    rows = db.execute(
        f"{sql.text} {queue_order(filters)} LIMIT ? OFFSET ?", [*sql.params, page_size, offset]
    ).fetchall()
    if ready:  # a count apart: the window count would make SQLite build every row to sort
        total = db.execute(f"SELECT COUNT(*) FROM ({sql.text})", sql.params).fetchone()[0]
        rows = [(total, *r) for r in rows]
    elif rows:  # the window count gives the total in the same pass as the page
        total = rows[0][0]
    else:  # a page past the end
        total = db.execute(f"SELECT COUNT(*) FROM ({sql.text})", sql.params).fetchone()[0]
    queue_rows = [_queue_row(r[1:]) for r in rows]
    _add_snippets(db, queue_rows, filters)
    return QueuePage(
        filters=filters,
        rows=queue_rows,
        total=total,
        category_counts=category_counts(db, filters, masked, user),
        page_size=page_size,
    )


def _queue_row(row: tuple) -> QueueRow:
    return QueueRow(
        *row[:10], categories=sorted((row[10] or "").split(",")) if row[10] else [], call_score=row[11], grade=row[12]
    )


def _add_snippets(db: sqlite_utils.Database, rows: list[QueueRow], filters: QueueFilters) -> None:
    """Each row's evidence snippet: its worst finding (of the filtered category), one query."""
    if not rows:
        return
    category = "AND f.category = ?" if filters.category else ""
    marks = ",".join("?" for _ in rows)
    best = db.execute(
        f"SELECT call_id, evidence, span_start, span_end FROM (SELECT f.call_id, f.evidence, f.span_start, "
        f"f.span_end, ROW_NUMBER() OVER (PARTITION BY f.call_id ORDER BY {SEVERITY_RANK_SQL} DESC, f.score DESC, "
        f"f.start) AS n FROM findings f WHERE f.call_id IN ({marks}) {category}) WHERE n = 1",
        [*(r.call_id for r in rows), *([filters.category] if filters.category else [])],
    )
    snippets = {call_id: (evidence, phrase_span(evidence, a, b)) for call_id, evidence, a, b in best}
    for row in rows:
        row.snippet, row.snippet_span = snippets.get(row.call_id, (None, None))


def category_counts(
    db: sqlite_utils.Database, filters: QueueFilters, masked: bool = True, user: str | None = None
) -> dict[str, int]:
    """Matching calls per category under every filter but the category itself (calls, as the
    queue's total counts calls)."""
    if _ready(filters, by_category=False):  # the ready rows' category sets, each counted once
        sql = _matched_calls_sql(
            db,
            filters,
            by_category=False,
            masked=masked,
            user=user,
            ready=True,
            select="m.categories, COUNT(*)",
            group_by="",
        )
        counts: dict[str, int] = {}
        for categories, n in db.execute(f"{sql.text} GROUP BY m.categories", sql.params):
            for category in categories.split(","):
                counts[category] = counts.get(category, 0) + n
        return counts
    sql = _matched_calls_sql(
        db,
        filters,
        by_category=False,
        masked=masked,
        user=user,
        select="m.category, COUNT(DISTINCT c.id)",
        group_by="m.category",
    )
    return {cat: n for cat, n in db.execute(sql.text, sql.params) if cat is not None}


def neighbours(
    db: sqlite_utils.Database,
    filters: QueueFilters,
    call_id: str,
    position: int,
    masked: bool = True,
    user: str | None = None,
    came_from: str | None = None,
) -> tuple[tuple[str, int] | None, tuple[str, int] | None]:
    """The (call id, position) before and after ``call_id`` in the queue, which was at
    ``position`` (0-based) when the reviewer opened it. A call whose findings were all just
    reviewed has left an open queue; then the call now at its position is the next one.

    ``came_from``: the call the reviewer left with "next". When it is not the call before this
    one, its verdicts took it out of the queue; "previous" still goes back to it, at this
    call's position, which it held (from there its "next" is this call again)."""
    ready = _ready(filters)
    sql = _matched_calls_sql(
        db,
        filters,
        by_category=True,
        masked=masked,
        user=user,
        ready=ready,
        select=READY_SELECT if ready else QUEUE_SELECT,
    )
    start = max(position - 1, 0)
    window = [
        r[0]
        for r in db.execute(
            f"{sql.text} {queue_order(filters)} LIMIT 3 OFFSET ?",
            [*sql.params, start],
        )
    ]
    if call_id in window:
        here = start + window.index(call_id)
        before, after = here - 1, here + 1
    else:
        before, after = position - 1, position
    by_position = {start + i: cid for i, cid in enumerate(window)}
    previous = (by_position[before], before) if before in by_position and before >= 0 else None
    following = (by_position[after], after) if after in by_position else None
    if came_from and came_from != call_id and (previous is None or previous[0] != came_from):
        previous = (came_from, before + 1)
    return previous, following


def agencies(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT agency FROM calls WHERE agency IS NOT NULL ORDER BY agency")]


def samples(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return [
        {"id": r[0], "created_at": r[1], "size": r[2]}
        for r in db.execute("SELECT id, created_at, size FROM samples ORDER BY id DESC")
    ]


# --- one call --------------------------------------------------------------------------


@dataclass
class Review:
    id: int
    finding_id: int | None
    verdict: str
    category: str
    start: float | None
    end: float | None
    evidence: str | None
    comment: str | None
    reviewer: str
    created_at: str


@dataclass
class FindingView(Finding):
    """A stored finding as the console shows it: its row id and its reviews."""

    id: int = 0
    history: list[Review] = field(default_factory=list)  # newest first

    @property
    def span(self) -> tuple[int, int] | None:
        """Where the matched phrase is in the evidence (the segment's text); None: all of it."""
        return phrase_span(self.evidence, self.span_start, self.span_end)

    @property
    def verdict(self) -> str | None:
        return self.history[0].verdict if self.history else None

    @property
    def base(self) -> int:
        """The newest review's id (0 when none): the version a verdict from this page builds on."""
        return self.history[0].id if self.history else 0


@dataclass
class CallView:
    id: str
    source_path: str | None
    duration: float | None
    channels: int | None
    started_at: str | None
    agent_id: str | None
    agency: str | None
    debtor_id: str | None
    segments: list[dict[str, Any]]
    findings: list[FindingView]
    missed: list[Review]
    checks: list[Review]  # "listened to the whole call", newest first
    score: dict[str, Any] | None = None  # the scorecard's score, grade and breakdown (scoring.call_score)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)  # how it sounded, by speaker (metrics.metrics_of)


_REVIEW_COLUMNS = 'id, finding_id, verdict, category, start, "end", evidence, comment, reviewer, created_at'


def call_view(db: sqlite_utils.Database, call_id: str) -> CallView:
    row = db.execute(
        "SELECT id, source_path, duration, channels, started_at, agent_id, agency, debtor_id FROM calls WHERE id = ?",
        [call_id],
    ).fetchone()
    if row is None:
        raise KeyError(call_id)
    segments = [
        {"index": r[0], "start": r[1], "end": r[2], "speaker": r[3], "text": r[4]}
        for r in db.execute(
            'SELECT idx, start, "end", speaker, text FROM segments WHERE call_id = ? ORDER BY idx', [call_id]
        )
    ]
    findings = [FindingView(**vars(finding), id=finding_id) for finding_id, finding in stored_findings(db, call_id)]
    reviews = [
        Review(*r)
        for r in db.execute(
            f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE call_id = ? ORDER BY created_at DESC, id DESC",
            [call_id],
        )
    ]
    by_id = {f.id: f for f in findings}
    for review in reviews:
        if review.finding_id in by_id:
            by_id[review.finding_id].history.append(review)
    missed = [r for r in reviews if r.verdict == "missed"]
    checks = [r for r in reviews if r.verdict == "checked"]
    return CallView(
        *row,
        segments=segments,
        findings=findings,
        missed=missed,
        checks=checks,
        score=call_score(db, call_id),
        metrics=metrics_of(db, call_id),
    )


@dataclass
class LineGroup:
    line: int | None  # the segment's index; None for a finding of the whole call
    findings: list[FindingView]


def findings_by_line(call: CallView) -> list[LineGroup]:
    """The call's findings grouped by the line they are on, in time order (a finding of the
    whole call, without a line, stands alone): a reviewer decides a line's findings at once."""
    groups: list[LineGroup] = []
    by_line: dict[int, LineGroup] = {}
    for finding in call.findings:
        if finding.segment_index is None:
            groups.append(LineGroup(None, [finding]))
        elif finding.segment_index in by_line:
            by_line[finding.segment_index].findings.append(finding)
        else:
            by_line[finding.segment_index] = LineGroup(finding.segment_index, [finding])
            groups.append(by_line[finding.segment_index])
    return groups


def record_verdict(
    db: sqlite_utils.Database,
    finding_id: int,
    verdict: str,
    reviewer: str,
    comment: str = "",
    base: int | None = None,
) -> int:
    """Add a review of a machine finding; the newest review is the finding's verdict.

    ``base``: the id of the review the reviewer saw as the newest (0: none). When another
    review has been added since, ``VerdictConflict`` is raised and nothing is written, so a
    stale page never silently replaces a colleague's verdict. None skips the check (the CLI).
    """
    if verdict not in REVIEW_VERDICTS:
        raise ReviewError(f"verdict must be one of {', '.join(REVIEW_VERDICTS)}, got {verdict!r}")
    with writing(db):  # the check and the insert under one write lock
        row = db.execute(
            'SELECT call_id, category, start, "end", evidence FROM findings WHERE id = ?', [finding_id]
        ).fetchone()
        if row is None:
            raise ReviewError(f"no finding {finding_id}")
        current = latest_review(db, finding_id)
        if base is not None and (current.id if current else 0) != base:
            raise VerdictConflict(finding_id, current)
        call_id, category, start, end, evidence = row
        return _insert_review(db, finding_id, call_id, verdict, category, start, end, evidence, comment, reviewer)


def latest_review(db: sqlite_utils.Database, finding_id: int) -> Review | None:
    row = db.execute(
        f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE finding_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        [finding_id],
    ).fetchone()
    return Review(*row) if row else None


def record_missed(
    db: sqlite_utils.Database,
    call_id: str,
    category: str,
    start: float,
    end: float,
    reviewer: str,
    comment: str = "",
) -> int:
    """A violation the machine missed, added by a reviewer (finding_id NULL, verdict missed)."""
    if db.execute("SELECT 1 FROM calls WHERE id = ?", [call_id]).fetchone() is None:
        raise ReviewError(f"no call {call_id!r}")
    if not category:
        raise ReviewError("a missed finding needs a category")
    if category not in category_labels():
        raise ReviewError(f"unknown category {category!r}")
    if not (math.isfinite(start) and math.isfinite(end)) or start < 0 or end < start:
        raise ReviewError(f"time span {start}–{end} s is not valid")
    evidence = " ".join(
        r[0]
        for r in db.execute(
            'SELECT text FROM segments WHERE call_id = ? AND "end" > ? AND start < ? ORDER BY idx',
            [call_id, start, end],
        )
    )
    return _insert_review(db, None, call_id, "missed", category, start, end, evidence, comment, reviewer)


def record_checked(db: sqlite_utils.Database, call_id: str, reviewer: str, comment: str = "") -> int:
    """The reviewer listened to the whole call and recorded every violation in it (verdicts on
    its findings, misses added). On a sampled call without findings this is the only trace
    that it was reviewed and found clean, which sample progress and recall estimates need."""
    if db.execute("SELECT 1 FROM calls WHERE id = ?", [call_id]).fetchone() is None:
        raise ReviewError(f"no call {call_id!r}")
    return _insert_review(db, None, call_id, "checked", "", None, None, "", comment, reviewer)


def _insert_review(db, finding_id, call_id, verdict, category, start, end, evidence, comment, reviewer) -> int:
    with writing(db):
        table = db["reviews"].insert(
            {
                "finding_id": finding_id,
                "call_id": call_id,
                "verdict": verdict,
                "category": category,
                "start": start,
                "end": end,
                "evidence": evidence,
                "comment": comment.strip() or None,
                "reviewer": reviewer,
                "created_at": now_iso(),
            }
        )
    return table.last_pk


# --- export ------------------------------------------------------------------------------


@dataclass
class ExportRow:
    call_id: str
    agency: str | None
    agent_id: str | None
    started_at: str | None
    category: str
    clauses: list[str]
    evidence: str | None
    start: float | None
    score: float | None
    verdict: str | None
    reviewer: str | None
    comment: str | None
    reviewed_at: str | None
    finding_id: int | None = None
    severity: str | None = None
    end: float | None = None
    speaker: str | None = None
    explanation: str | None = None
    span_start: int | None = None
    span_end: int | None = None

    @property
    def span(self) -> tuple[int, int] | None:
        return phrase_span(self.evidence, self.span_start, self.span_end)


_EXPORT_COLUMNS = (
    "c.id, c.agency, c.agent_id, c.started_at, {cat}, {clauses}, {evidence}, {start}, {score}, "
    "r.verdict, r.reviewer, r.comment, r.created_at, {fid}, {severity}, {end}, {speaker}, {explanation}, "
    "{span_start}, {span_end}"
)


def export_rows(
    db: sqlite_utils.Database,
    status: str = "all",
    category: str = "",
    filters: QueueFilters | None = None,
    masked: bool = True,
    user: str | None = None,
) -> list[ExportRow]:
    """Every machine finding with its newest review, then every reviewer-added miss, of the
    calls the queue lists under ``filters`` (all of them by default; ``status`` and
    ``category`` stand for filters of their own when none are given)."""
    if filters is None:
        if status not in STATUS_CONDITION:
            raise ReviewError(f"status must be one of {', '.join(STATUS_LABELS)}, got {status!r}")
        filters = QueueFilters(status=status, category=category, scope="all")
    listed = _matched_calls_sql(db, filters, by_category=True, masked=masked, user=user, select="m.id", group_by="m.id")
    finding_columns = _EXPORT_COLUMNS.format(
        cat="f.category",
        clauses="f.clauses",
        evidence="f.evidence",
        start="f.start",
        score="f.score",
        fid="f.id",
        severity="f.severity",
        end='f."end"',
        speaker="f.speaker",
        explanation="f.explanation",
        span_start="f.span_start",
        span_end="f.span_end",
    )
    findings_sql = (
        f"SELECT {finding_columns} FROM findings f JOIN calls c ON c.id = f.call_id "
        "LEFT JOIN latest_reviews r ON r.finding_id = f.id "
        f"WHERE f.id IN ({listed.text}) ORDER BY c.started_at, c.id, f.start, f.id"
    )
    rows = [_export_row(r) for r in db.execute(findings_sql, listed.params)]
    if filters.status == "all":
        calls = _matched_calls_sql(
            db, filters, by_category=False, masked=masked, user=user, select="c.id", every_call=True
        )
        missed_columns = _EXPORT_COLUMNS.format(
            cat="r.category",
            clauses="NULL",
            evidence="r.evidence",
            start="r.start",
            score="NULL",
            fid="NULL",
            severity="NULL",
            end='r."end"',
            speaker="NULL",
            explanation="NULL",
            span_start="NULL",
            span_end="NULL",
        )
        category_sql = "AND r.category = ?" if filters.category else ""
        missed_sql = (
            f"SELECT {missed_columns} FROM reviews r JOIN calls c ON c.id = r.call_id "
            f"WHERE r.verdict = 'missed' {category_sql} AND c.id IN ({calls.text}) "
            "ORDER BY c.started_at, c.id, r.start"
        )
        params = [*([filters.category] if filters.category else []), *calls.params]
        rows += [_export_row(r) for r in db.execute(missed_sql, params)]
    return rows


def _export_row(row: tuple) -> ExportRow:
    values = list(row)
    values[5] = json.loads(values[5]) if values[5] else []
    return ExportRow(*values)
