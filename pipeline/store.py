"""The SQLite database: schema, the one place scan results are written, and search.

One file in WAL mode, opened with sqlite-utils, readable by Datasette. Each call is written
in a single transaction, so a run killed at any moment leaves every call either stored
whole or not at all, and a rerun picks up where it stopped.

Several processes write at once (a scan importing while reviewers post verdicts in the
console). Every write goes through ``writing(db)``, which takes SQLite's write lock up front
(``BEGIN IMMEDIATE``) and so waits its turn for up to ``BUSY_TIMEOUT_MS``. A deferred
``BEGIN`` that reads and then writes fails at once with "database is locked" when another
connection committed in between: SQLite cannot wait there, ``busy_timeout`` does not apply.
Connections run in autocommit mode, so a statement outside ``writing`` is its own
transaction and never leaves one open.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from pipeline.calls import Call, CallRecord, Finding, Segment
from pipeline.errors import CallqaError
from pipeline.text import index_tokens, words

SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY,            -- call_id: from the manifest, the transcript, or the file name
    source_path TEXT,
    sha256 TEXT NOT NULL UNIQUE,    -- of the audio file (or of the transcript JSON): identifies the call
    duration REAL,                  -- seconds
    channels INTEGER,
    started_at TEXT,                -- ISO 8601 with offset
    agent_id TEXT,
    agency TEXT,
    debtor_id TEXT,
    status TEXT NOT NULL,           -- ok | failed
    error TEXT,                     -- why a failed call failed
    model TEXT,                     -- speech model used, or 'transcript' for imported text
    processed_at TEXT,
    run_id INTEGER,
    extra TEXT                      -- JSON: manifest columns and transcript fields not listed above
);
CREATE INDEX IF NOT EXISTS calls_started_at ON calls(started_at);
CREATE INDEX IF NOT EXISTS calls_agency ON calls(agency, agent_id);
CREATE INDEX IF NOT EXISTS calls_debtor ON calls(debtor_id, started_at);

CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES calls(id),
    idx INTEGER NOT NULL,           -- 0-based position in the call
    start REAL NOT NULL,
    "end" REAL NOT NULL,
    speaker TEXT NOT NULL,          -- agent | customer | unknown
    text TEXT NOT NULL,
    confidence REAL,                -- the recogniser's confidence in the text, 0-1 (NULL: not given)
    text_tokens TEXT,               -- jieba-segmented text, indexed by segments_fts
    raw_text TEXT,                  -- the recogniser's text when homophones were repaired in text
    rms_dbfs REAL,                  -- loudness on the speaker's channel (NULL: not measured, e.g. a transcript)
    UNIQUE (call_id, idx)
);

CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES calls(id),
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    score REAL NOT NULL,
    start REAL,
    "end" REAL,
    speaker TEXT,
    segment_index INTEGER,          -- NULL for call-level findings
    evidence TEXT,
    clauses TEXT,                   -- JSON list
    detector TEXT NOT NULL,
    explanation TEXT,
    created_at TEXT NOT NULL,
    span_start INTEGER,             -- the matched phrase: [span_start, span_end) characters of the
    span_end INTEGER                -- segment's text; NULL: the whole segment (or no segment)
);
CREATE INDEX IF NOT EXISTS findings_call ON findings(call_id);
CREATE INDEX IF NOT EXISTS findings_category ON findings(category, severity, score);

-- Each call's score from the scorecard that applies to it (pipeline/scoring.py); recomputed
-- from findings and verdicts by `callqa score`, and for the calls a scan or redetect touched.
CREATE TABLE IF NOT EXISTS call_scores (
    call_id TEXT PRIMARY KEY REFERENCES calls(id),
    template TEXT NOT NULL,         -- the scorecard's id
    score REAL NOT NULL,            -- base minus deductions; 0 when a critical item failed the call
    grade TEXT NOT NULL,
    failed_critical INTEGER NOT NULL, -- 1: a critical item (一票否决) failed the call
    breakdown TEXT NOT NULL,        -- JSON list: item, label, occurrences, deducted, critical
    scored_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS call_scores_score ON call_scores(score);

-- How each call sounded (pipeline/acoustics.py): one row for the whole call (speaker 'call')
-- and one per speaker. NULL: does not apply to the row, or not measurable (see measurable).
CREATE TABLE IF NOT EXISTS call_metrics (
    call_id TEXT NOT NULL REFERENCES calls(id),
    speaker TEXT NOT NULL,          -- call | agent | customer | unknown
    duration REAL,                  -- call: seconds of audio (or up to the last speech)
    talk_seconds REAL,              -- seconds someone (call) or this speaker spoke
    talk_ratio REAL,                -- speaker: talk_seconds / duration
    dead_air_seconds REAL,          -- call: total of the gaps where nobody speaks
    dead_air_longest REAL,          -- call: the longest such gap
    longest_silence_after_other REAL, -- speaker: longest wait before answering the other party (stereo)
    overtalk_count INTEGER,         -- starts while the other party speaks (stereo; NULL on mono)
    overtalk_seconds REAL,
    speech_rate_cpm REAL,           -- speaker: characters per minute of talk
    loudness_dbfs REAL,             -- speaker: median segment RMS (NULL: audio not measured)
    loudness_peak_db REAL,          -- speaker: loudest segment over that median
    hung_up_by TEXT,                -- call: agent | customer, from the manifest
    measurable TEXT,                -- call: what could not be measured, in words
    PRIMARY KEY (call_id, speaker)
);

CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    arguments TEXT,                 -- JSON
    counts TEXT,                    -- JSON: ok, failed, skipped, audio_seconds
    versions TEXT                   -- JSON: callqa and library versions, model
);

-- Reviewer verdicts. Never overwrite a finding: the newest review of a finding is its
-- verdict, older ones are history. A reviewer's added miss has finding_id NULL.
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER REFERENCES findings(id),
    call_id TEXT NOT NULL REFERENCES calls(id),
    verdict TEXT NOT NULL,          -- confirmed | dismissed | uncertain | missed | checked (whole call)
    category TEXT NOT NULL,         -- copied from the finding, or chosen for a miss
    start REAL,
    "end" REAL,
    evidence TEXT,                  -- copied from the finding so history survives redetect
    comment TEXT,
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_finding ON reviews(finding_id, created_at);
CREATE INDEX IF NOT EXISTS reviews_call ON reviews(call_id);

-- "The newest review wins", the one definition every reader uses: the newest review of each
-- finding (ties on created_at go to the later row), and every review not on a finding (a
-- reviewer's miss, a whole-call check). A change here needs DROP VIEW in MIGRATIONS.
CREATE VIEW IF NOT EXISTS latest_reviews AS
SELECT * FROM reviews r
WHERE r.finding_id IS NULL
   OR r.id = (SELECT n.id FROM reviews n WHERE n.finding_id = r.finding_id ORDER BY n.created_at DESC, n.id DESC LIMIT 1);

CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,             -- reviewer | admin | appellant
    created_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    agency TEXT                     -- an appellant's agency: the calls it may appeal
);

CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    username TEXT,
    action TEXT NOT NULL,           -- login, login_failed, view_call, verdict, unmask, export, ...
    object_type TEXT,
    object_id TEXT,
    result TEXT NOT NULL,           -- ok | denied | failed
    detail TEXT
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- INSERT OR REPLACE deletes the row it replaces without firing the delete trigger.
CREATE TRIGGER IF NOT EXISTS audit_log_no_replace BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Console sessions, server side: the cookie holds a random token, this table its hash.
-- A session ends at expires_at (fixed at login), at logout, or when the password is reset.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,    -- sha256 of the cookie's token
    username TEXT NOT NULL REFERENCES users(username),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    address TEXT
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(username);

-- Every login attempt, written before the password is checked (outcome NULL while it is), so
-- parallel guesses count against the limits at once.
CREATE TABLE IF NOT EXISTS login_attempts (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    address TEXT,
    outcome TEXT                    -- NULL (being checked) | ok | failed
);
CREATE INDEX IF NOT EXISTS login_attempts_user ON login_attempts(username, at);
CREATE INDEX IF NOT EXISTS login_attempts_address ON login_attempts(address, at);

CREATE TABLE IF NOT EXISTS samples (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by TEXT,
    seed INTEGER NOT NULL,
    size INTEGER NOT NULL,
    parameters TEXT NOT NULL,       -- JSON: year, strata, allocation, margin, confidence, ...
    population TEXT NOT NULL        -- JSON: population size and sample size per stratum
);
CREATE TABLE IF NOT EXISTS sample_calls (
    sample_id INTEGER NOT NULL REFERENCES samples(id),
    call_id TEXT NOT NULL REFERENCES calls(id),
    stratum TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (sample_id, call_id)
);

-- Who works on a call: assigned by an admin (until reassigned) or claimed by a reviewer from
-- the queue (a lock that ends at expires_at). One row per call.
CREATE TABLE IF NOT EXISTS assignments (
    call_id TEXT PRIMARY KEY REFERENCES calls(id),
    assignee TEXT NOT NULL REFERENCES users(username),
    assigned_by TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    expires_at TEXT                 -- NULL: assigned by an admin; else a claim's end
);
CREATE INDEX IF NOT EXISTS assignments_assignee ON assignments(assignee);

-- An appeal (申诉) of a confirmed finding by an agent's or agency's account, decided by a
-- reviewer other than the one who confirmed it; an overturn adds a 'dismissed' review.
CREATE TABLE IF NOT EXISTS appeals (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    call_id TEXT NOT NULL REFERENCES calls(id),
    review_id INTEGER NOT NULL REFERENCES reviews(id),  -- the confirmed verdict appealed
    appellant TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decision TEXT,                  -- NULL (pending) | upheld | overturned
    decided_by TEXT,
    decision_comment TEXT,
    decided_at TEXT
);
CREATE INDEX IF NOT EXISTS appeals_finding ON appeals(finding_id);

-- The review queue's default view kept ready: per call, its open findings (no verdict, or
-- 存疑) counted, severity-weighted and ranked, so the queue need not group 100,000 findings
-- on every page. Kept by the triggers below whoever writes; the weights and ranks are
-- present.labels.SEVERITY_RANK's (rank r weighs 2^(r-1)); tests/test_review_queries.py checks.
CREATE TABLE IF NOT EXISTS call_queue (
    call_id TEXT PRIMARY KEY,
    findings INTEGER NOT NULL,      -- open findings
    weight INTEGER NOT NULL,        -- their severity weights summed
    rank INTEGER,                   -- the worst one's severity rank
    score REAL,                     -- the highest score
    categories TEXT                 -- comma-separated
);
CREATE INDEX IF NOT EXISTS call_queue_rank ON call_queue(weight DESC, rank DESC, score DESC);
-- The same per call and category: the queue filtered by one category, read off its index.
CREATE TABLE IF NOT EXISTS call_queue_categories (
    call_id TEXT NOT NULL,
    category TEXT NOT NULL,
    findings INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    rank INTEGER,
    score REAL,
    PRIMARY KEY (call_id, category)
);
CREATE INDEX IF NOT EXISTS call_queue_categories_rank  -- call_id: counting a category reads only this
    ON call_queue_categories(category, weight DESC, rank DESC, score DESC, call_id);
-- And per call over every finding, whatever its verdict: the queue of every status.
CREATE TABLE IF NOT EXISTS call_findings (
    call_id TEXT PRIMARY KEY,
    findings INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    rank INTEGER,
    score REAL,
    categories TEXT
);
CREATE INDEX IF NOT EXISTS call_findings_rank ON call_findings(weight DESC, rank DESC, score DESC);
-- The queue's other views group findings per call: this index holds all they read of them.
CREATE INDEX IF NOT EXISTS findings_queue ON findings(call_id, category, severity, score);
"""


# One call's findings summed up per {group}: the ready queue's rows. Open findings (no verdict,
# or 存疑) for call_queue*, every finding for call_findings.
_SUMMED_FINDINGS = """
    SELECT f.call_id, {columns}COUNT(*),
           SUM(CASE f.severity WHEN 'critical' THEN 8 WHEN 'high' THEN 4 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END),
           MAX(CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END),
           MAX(f.score){aggregates}
    FROM findings f{reviewed}
    WHERE {where}
    GROUP BY {group}"""
_OPEN = dict(
    reviewed=" LEFT JOIN latest_reviews lr ON lr.finding_id = f.id",
    where="{where}(lr.verdict IS NULL OR lr.verdict = 'uncertain')",
)
_CALL_ROWS = _SUMMED_FINDINGS.format(
    columns="", aggregates=", group_concat(DISTINCT f.category)", group="f.call_id", **_OPEN
)
_CATEGORY_ROWS = _SUMMED_FINDINGS.format(columns="f.category, ", aggregates="", group="f.call_id, f.category", **_OPEN)
_ALL_ROWS = _SUMMED_FINDINGS.format(
    columns="", aggregates=", group_concat(DISTINCT f.category)", group="f.call_id", reviewed="", where="{where}1"
)

# Rebuild one call's ready rows: every call_queue trigger runs this for the call its changed row
# belongs to (OLD or NEW, both when a finding moved); call_findings only when a finding changed.
_QUEUE_ROW_REFRESH = f"""\
    DELETE FROM call_queue WHERE call_id = {{row}}.call_id;
    INSERT INTO call_queue{_CALL_ROWS.format(where="f.call_id = {row}.call_id AND ")};
    DELETE FROM call_queue_categories WHERE call_id = {{row}}.call_id;
    INSERT INTO call_queue_categories{_CATEGORY_ROWS.format(where="f.call_id = {row}.call_id AND ")};
"""
_FINDINGS_ROW_REFRESH = f"""\
    DELETE FROM call_findings WHERE call_id = {{row}}.call_id;
    INSERT INTO call_findings{_ALL_ROWS.format(where="f.call_id = {row}.call_id AND ")};
"""


def _queue_trigger(name: str, event: str, *rows: str, when: str = "", findings: bool = False) -> tuple[str, str]:
    refresh = _QUEUE_ROW_REFRESH + (_FINDINGS_ROW_REFRESH if findings else "")
    body = "".join(refresh.format(row=row) for row in rows)
    return name, f"CREATE TRIGGER IF NOT EXISTS {name} {event}{when} BEGIN\n{body}END;\n"


_QUEUE_TRIGGERS = dict(
    [
        _queue_trigger("call_queue_finding_added", "AFTER INSERT ON findings", "NEW", findings=True),
        _queue_trigger("call_queue_finding_removed", "AFTER DELETE ON findings", "OLD", findings=True),
        _queue_trigger("call_queue_finding_changed", "AFTER UPDATE ON findings", "OLD", "NEW", findings=True),
        _queue_trigger(
            "call_queue_reviewed", "AFTER INSERT ON reviews", "NEW", when=" WHEN NEW.finding_id IS NOT NULL"
        ),
        _queue_trigger(
            "call_queue_review_removed", "AFTER DELETE ON reviews", "OLD", when=" WHEN OLD.finding_id IS NOT NULL"
        ),
    ]
)
SCHEMA += "".join(_QUEUE_TRIGGERS.values())


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


BUSY_TIMEOUT_MS = 30_000


class StoreError(CallqaError):
    """The database cannot be used: missing folder, read-only, corrupted, disk full."""


def connect(path: str | Path) -> sqlite_utils.Database:
    """A connection to an existing callqa database: autocommit, waiting on a busy database.

    Usable from any thread (the console's dependency and endpoint may run on different ones).
    """
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return sqlite_utils.Database(conn)


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) a callqa database in WAL mode with the full schema.

    A new database file is created readable by its owner only (it holds personal data and
    password hashes); SQLite gives its -wal and -shm files the same permissions. A database
    that cannot be opened raises ``StoreError`` naming the file and the reason.
    """
    path = Path(path)
    with reporting(path, "cannot open the database"):
        if not path.exists():
            if not path.parent.is_dir():
                raise StoreError(f"{path}: cannot create the database: folder {path.parent} does not exist")
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        db = connect(path)
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.enable_wal()
            with writing(db):
                migrate(db)
                if "segments_fts" not in db.table_names():
                    db["segments"].enable_fts(["text_tokens"], create_triggers=True, tokenize="unicode61")
        except BaseException:
            db.close()
            raise
    return db


def require_writable(db: sqlite_utils.Database) -> None:
    """Raise ``StoreError`` unless this connection can write (the console must)."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    with reporting(Path(path), "the database is not writable"):
        if db.execute("PRAGMA query_only").fetchone()[0] or not os.access(path, os.W_OK):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        with writing(db):
            db.execute("INSERT INTO runs (command, started_at) VALUES ('write-check', ?)", [now_iso()])
            db.execute("DELETE FROM runs WHERE id = last_insert_rowid()")


@contextlib.contextmanager
def reporting(path: Path, doing: str) -> Iterator[None]:
    """Turn SQLite's and the file system's errors into a ``StoreError`` with a plain reason."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: {doing}: {_reason(exc) or exc}") from exc
    except OSError as exc:
        raise StoreError(f"{path}: {doing}: {exc.strerror or exc}") from exc


def _reason(exc: sqlite3.DatabaseError) -> str | None:
    """What a user can do about a database error, or None for errors that are bugs."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return "the file or its folder is read-only (check permissions)"
    if "not a database" in text or "malformed" in text:
        return "the file is not a callqa database or is corrupted (restore it from a backup)"
    if "full" in text:
        return "the disk is full (free some space and run the command again)"
    if "disk I/O error" in text:
        return "the disk reported an I/O error"
    if "unable to open" in text:
        return "cannot open the file (does its folder exist and is it writable?)"
    if "locked" in text or "busy" in text:
        return f"another program kept the database locked for over {BUSY_TIMEOUT_MS // 1000} s"
    return None


# Changes to tables of databases made by earlier versions, in order; a database's
# ``user_version`` counts those applied. Append only. A change goes both into SCHEMA (new
# databases start from it, with every migration counted as applied) and here (as ALTER
# TABLE ... for old databases); a wholly new table needs only SCHEMA.
MIGRATIONS: list[str] = [
    # asr: the recogniser's text where segments.text had homophones repaired
    "ALTER TABLE segments ADD COLUMN raw_text TEXT",
    # call_queue (console, issue 16) for databases that had findings before it existed
    """INSERT OR REPLACE INTO call_queue
    SELECT f.call_id, COUNT(*),
           SUM(CASE f.severity WHEN 'critical' THEN 8 WHEN 'high' THEN 4 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END),
           MAX(CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END),
           MAX(f.score), group_concat(DISTINCT f.category)
    FROM findings f LEFT JOIN latest_reviews lr ON lr.finding_id = f.id
    WHERE lr.verdict IS NULL OR lr.verdict = 'uncertain'
    GROUP BY f.call_id""",
    "ALTER TABLE users ADD COLUMN agency TEXT",
    "ALTER TABLE segments ADD COLUMN rms_dbfs REAL",  # issue 15: each segment's loudness
    # issue 16: the matched phrase within the segment (older findings keep NULL: the whole line)
    "ALTER TABLE findings ADD COLUMN span_start INTEGER",
    "ALTER TABLE findings ADD COLUMN span_end INTEGER",
    # issue 16: call_queue_categories and call_findings, filled, and the triggers that now keep them too
    f"INSERT OR REPLACE INTO call_queue_categories{_CATEGORY_ROWS.format(where='')}",
    f"INSERT OR REPLACE INTO call_findings{_ALL_ROWS.format(where='')}",
    *(f"DROP TRIGGER IF EXISTS {name}" for name in _QUEUE_TRIGGERS),
    *_QUEUE_TRIGGERS.values(),
    # issue 13: one recogniser-neutral confidence instead of Whisper's avg_logprob and
    # no_speech_prob (older databases keep those two columns, no longer written)
    "ALTER TABLE segments ADD COLUMN confidence REAL",
]


def _statements(script: str) -> Iterator[str]:
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""


ADD_COLUMN = re.compile(r"ALTER TABLE (?P<table>\w+) ADD COLUMN (?P<column>\w+)")


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the schema up to date (inside ``writing``, so two first opens cannot race)."""
    new = "calls" not in db.table_names()
    applied = len(MIGRATIONS) if new else db.execute("PRAGMA user_version").fetchone()[0]
    for statement in _statements(SCHEMA):  # executescript would commit the open transaction
        db.conn.execute(statement)
    for statement in MIGRATIONS[applied:]:
        added = ADD_COLUMN.match(statement)
        if added and added["column"] in db[added["table"]].columns_dict:
            continue  # the column came with SCHEMA (or an earlier run of this migration)
        db.conn.execute(statement)
    db.conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")


@contextlib.contextmanager
def writing(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction that holds SQLite's write lock from its first statement.

    ``BEGIN IMMEDIATE`` waits (up to the busy timeout) for other writers instead of failing
    when one commits between this transaction's reads and its writes. Nested inside another
    transaction it becomes a savepoint of that one.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        reason = _reason(exc)
        if reason is None:  # a constraint or an SQL mistake: a bug, not the user's to fix
            raise
        raise StoreError(f"{_file_of(db)}: cannot write to the database: {reason}") from exc


def _file_of(db: sqlite_utils.Database) -> str:
    try:
        return db.execute("PRAGMA database_list").fetchone()[2] or "the database"
    except sqlite3.Error:
        return "the database"


# --- writes -------------------------------------------------------------------------


def stored_status_by_hash(db: sqlite_utils.Database) -> dict[str, str]:
    return {sha: status for sha, status in db.execute("SELECT sha256, status FROM calls")}


def unique_call_id(db: sqlite_utils.Database, call_id: str, sha256: str) -> str:
    """``call_id`` unless another file already holds it; then suffix the file's hash."""
    row = db.execute("SELECT sha256 FROM calls WHERE id = ?", [call_id]).fetchone()
    if row is None or row[0] == sha256:
        return call_id
    return f"{call_id}-{sha256[:8]}"


def save_call(db: sqlite_utils.Database, record: CallRecord, run_id: int | None = None) -> str:
    """Write one call with its segments and findings in one transaction.

    A call already stored under the same file hash is replaced whole (``--force``).
    Returns the call id it was stored under.
    """
    call = record.call
    with writing(db):
        old = db.execute("SELECT id FROM calls WHERE sha256 = ?", [record.sha256]).fetchone()
        if old:
            _delete_call_rows(db, old[0])
        call_id = unique_call_id(db, call.call_id, record.sha256)
        db["calls"].insert(
            {
                "id": call_id,
                "source_path": record.source_path,
                "sha256": record.sha256,
                "duration": record.duration,
                "channels": record.channels,
                "started_at": call.started_at,
                "agent_id": call.agent_id,
                "agency": call.agency,
                "debtor_id": call.debtor_id,
                "status": record.status,
                "error": record.error,
                "model": record.model,
                "processed_at": now_iso(),
                "run_id": run_id,
                "extra": json.dumps(call.extra, ensure_ascii=False) if call.extra else None,
            }
        )
        db["segments"].insert_all(
            (
                {
                    "call_id": call_id,
                    "idx": i,
                    "start": s.start,
                    "end": s.end,
                    "speaker": s.speaker,
                    "text": s.text,
                    "confidence": s.confidence,
                    "text_tokens": index_tokens(s.text),
                    "raw_text": s.raw_text,
                    "rms_dbfs": s.rms_dbfs,
                }
                for i, s in enumerate(call.segments)
            )
        )
        _insert_findings(db, call_id, record.findings)
    return call_id


def replace_findings(db: sqlite_utils.Database, call_id: str, findings: Iterable[Finding]) -> None:
    """Swap a call's machine findings for new ones (redetect). Reviews keep their copies."""
    with writing(db):
        db.execute("DELETE FROM findings WHERE call_id = ?", [call_id])
        _insert_findings(db, call_id, findings)


def replace_category_findings(
    db: sqlite_utils.Database, replaced: dict[str, Iterable[str] | None], findings: Iterable[Finding]
) -> None:
    """Swap some categories' findings on some calls for new ones, in one transaction.

    ``replaced`` maps each category a cross-call rule recomputed to the ids of the calls it
    recomputed (``None``: every call). Findings of other categories are left alone; each
    new finding is stored under its own ``call_id``.
    """
    with writing(db):
        for category, call_ids in replaced.items():
            if call_ids is None:
                db.execute("DELETE FROM findings WHERE category = ?", [category])
            else:
                db.execute(
                    "DELETE FROM findings WHERE category = ? AND call_id IN (SELECT value FROM json_each(?))",
                    [category, json.dumps(list(call_ids), ensure_ascii=False)],
                )
        created = now_iso()
        db["findings"].insert_all(_finding_row(f, f.call_id, created) for f in findings)


def _insert_findings(db: sqlite_utils.Database, call_id: str, findings: Iterable[Finding]) -> None:
    created = now_iso()
    db["findings"].insert_all(_finding_row(f, call_id, created) for f in findings)


def _finding_row(finding: Finding, call_id: str, created: str) -> dict[str, Any]:
    return {
        **finding.to_json(),
        "call_id": call_id,
        "clauses": json.dumps(finding.clauses, ensure_ascii=False),
        "created_at": created,
    }


def _delete_call_rows(db: sqlite_utils.Database, call_id: str) -> None:
    db.execute("DELETE FROM segments WHERE call_id = ?", [call_id])
    db.execute("DELETE FROM findings WHERE call_id = ?", [call_id])
    db.execute("DELETE FROM call_scores WHERE call_id = ?", [call_id])
    db.execute("DELETE FROM call_metrics WHERE call_id = ?", [call_id])
    db.execute("DELETE FROM calls WHERE id = ?", [call_id])


def start_run(db: sqlite_utils.Database, command: str, arguments: dict[str, Any], versions: dict[str, Any]) -> int:
    with writing(db):
        table = db["runs"].insert(
            {
                "command": command,
                "started_at": now_iso(),
                "arguments": json.dumps(arguments, ensure_ascii=False, default=str),
                "versions": json.dumps(versions, ensure_ascii=False),
            }
        )
    return table.last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, counts: dict[str, Any]) -> None:
    with writing(db):
        db["runs"].update(run_id, {"finished_at": now_iso(), "counts": json.dumps(counts)})


# --- reads --------------------------------------------------------------------------


def load_call(db: sqlite_utils.Database, call_id: str) -> Call:
    row = db.execute(
        "SELECT id, started_at, agent_id, agency, debtor_id, extra FROM calls WHERE id = ?", [call_id]
    ).fetchone()
    if row is None:
        raise KeyError(call_id)
    segments = [
        Segment(start=r[0], end=r[1], speaker=r[2], text=r[3], confidence=r[4], rms_dbfs=r[5], raw_text=r[6])
        for r in db.execute(
            'SELECT start, "end", speaker, text, confidence, rms_dbfs, raw_text FROM segments WHERE call_id = ? ORDER BY idx',
            [call_id],
        )
    ]
    return Call(
        call_id=row[0],
        segments=segments,
        started_at=row[1],
        agent_id=row[2],
        agency=row[3],
        debtor_id=row[4],
        extra=json.loads(row[5]) if row[5] else {},
    )


def stored_findings(db: sqlite_utils.Database, call_id: str | None = None) -> list[tuple[int, Finding]]:
    """(row id, finding) of the stored machine findings, of one call or (``call_id`` None) of
    every call, by call, time and id: what ``save_call`` and ``replace_findings`` wrote, read back."""
    names = [f.name for f in fields(Finding)]
    columns = ", ".join(f'"{name}"' for name in names)
    where, params = ("WHERE call_id = ?", [call_id]) if call_id is not None else ("", [])
    rows = db.execute(f"SELECT id, {columns} FROM findings {where} ORDER BY call_id, start, id", params)
    found = []
    for finding_id, *values in rows:
        finding = Finding(**dict(zip(names, values)))
        finding.clauses = json.loads(finding.clauses or "[]")
        finding.evidence, finding.explanation = finding.evidence or "", finding.explanation or ""
        found.append((finding_id, finding))
    return found


def load_findings(db: sqlite_utils.Database, call_id: str | None = None) -> list[Finding]:
    """The stored machine findings (``stored_findings`` without their row ids)."""
    return [finding for _, finding in stored_findings(db, call_id)]


def latest_reviews(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Rows of the ``latest_reviews`` view, oldest first: each finding's verdict and every
    review not on a finding."""
    return list(db.query("SELECT * FROM latest_reviews ORDER BY id"))


def ok_call_ids(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT id FROM calls WHERE status = 'ok' ORDER BY id")]


def findings_overview(db: sqlite_utils.Database) -> list[tuple[str, str, float, str]]:
    """(call id, category, score, evidence) of every machine finding, by call and time."""
    return db.execute("SELECT call_id, category, score, evidence FROM findings ORDER BY call_id, start").fetchall()


def unfinished_runs(db: sqlite_utils.Database, before: int) -> list[tuple[int, str]]:
    """(id, command) of the runs started before run ``before`` that never finished (killed, crashed)."""
    return [
        tuple(r)
        for r in db.execute("SELECT id, command FROM runs WHERE finished_at IS NULL AND id < ? ORDER BY id", [before])
    ]


@dataclass
class SearchHit:
    call_id: str
    idx: int
    start: float
    end: float
    speaker: str
    text: str


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression: every word of the query, each quoted (no operators)."""
    terms = words(query)
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def search_segments(db: sqlite_utils.Database, query: str, limit: int = 100) -> list[SearchHit]:
    """Segments whose text contains the query's words, via the jieba-segmented FTS index.

    Falls back to a substring scan when the index finds nothing, since a query can cut
    into words differently from the sentence it came from.
    """
    sql_select = 'SELECT s.call_id, s.idx, s.start, s."end", s.speaker, s.text FROM segments s '
    match = fts_query(query)
    rows = []
    if match:
        rows = db.execute(
            sql_select + "JOIN segments_fts f ON f.rowid = s.id WHERE segments_fts MATCH ? "
            "ORDER BY s.call_id, s.idx LIMIT ?",
            [match, limit],
        ).fetchall()
    if not rows and query.strip():
        rows = db.execute(
            sql_select + "WHERE instr(s.text, ?) > 0 ORDER BY s.call_id, s.idx LIMIT ?",
            [query.strip(), limit],
        ).fetchall()
    return [SearchHit(*r) for r in rows]
