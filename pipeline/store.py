"""The SQLite database: schema, the one place scan results are written, and search.

One file in WAL mode, opened with sqlite-utils, readable by Datasette. Each call is written
in a single transaction, so a run killed at any moment leaves every call either stored
whole or not at all, and a rerun picks up where it stopped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import sqlite_utils

from .calls import Call, CallRecord, Finding, Segment
from .text import index_tokens, words

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
    avg_logprob REAL,
    no_speech_prob REAL,
    text_tokens TEXT,               -- jieba-segmented text, indexed by segments_fts
    raw_text TEXT,                  -- the recogniser's text when homophones were repaired in text
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
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_call ON findings(call_id);
CREATE INDEX IF NOT EXISTS findings_category ON findings(category, severity, score);

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

CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,             -- reviewer | admin
    created_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
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
"""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) a callqa database in WAL mode with the full schema."""
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA busy_timeout = 30000")
    db.enable_wal()
    db.conn.executescript(SCHEMA)
    # Migration (asr): segments.raw_text, for databases made before it existed.
    if "raw_text" not in db["segments"].columns_dict:
        db["segments"].add_column("raw_text", str)
    if "segments_fts" not in db.table_names():
        db["segments"].enable_fts(["text_tokens"], create_triggers=True, tokenize="unicode61")
    return db


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
    with db.atomic():
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
                    "avg_logprob": s.avg_logprob,
                    "no_speech_prob": s.no_speech_prob,
                    "text_tokens": index_tokens(s.text),
                    "raw_text": s.raw_text,
                }
                for i, s in enumerate(call.segments)
            )
        )
        _insert_findings(db, call_id, record.findings)
    return call_id


def replace_findings(db: sqlite_utils.Database, call_id: str, findings: Iterable[Finding]) -> None:
    """Swap a call's machine findings for new ones (redetect). Reviews keep their copies."""
    with db.atomic():
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
    with db.conn:
        for category, call_ids in replaced.items():
            if call_ids is None:
                db.execute("DELETE FROM findings WHERE category = ?", [category])
            else:
                db.execute(
                    "DELETE FROM findings WHERE category = ? "
                    "AND call_id IN (SELECT value FROM json_each(?))",
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
    db.execute("DELETE FROM calls WHERE id = ?", [call_id])


def start_run(db: sqlite_utils.Database, command: str, arguments: dict[str, Any], versions: dict[str, Any]) -> int:
    with db.atomic():
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
    with db.atomic():
        db["runs"].update(run_id, {"finished_at": now_iso(), "counts": json.dumps(counts)})


# --- reads --------------------------------------------------------------------------


def load_call(db: sqlite_utils.Database, call_id: str) -> Call:
    row = db.execute(
        "SELECT id, started_at, agent_id, agency, debtor_id, extra FROM calls WHERE id = ?", [call_id]
    ).fetchone()
    if row is None:
        raise KeyError(call_id)
    segments = [
        Segment(start=r[0], end=r[1], speaker=r[2], text=r[3], avg_logprob=r[4], no_speech_prob=r[5])
        for r in db.execute(
            'SELECT start, "end", speaker, text, avg_logprob, no_speech_prob FROM segments '
            "WHERE call_id = ? ORDER BY idx",
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


def ok_call_ids(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT id FROM calls WHERE status = 'ok' ORDER BY id")]


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
