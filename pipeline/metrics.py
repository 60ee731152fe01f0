"""The ``call_metrics`` table: how each stored call sounded (``acoustics.call_metrics``), written
for the calls a scan or redetect touched, and measured again from the stored audio by
``callqa redetect --metrics`` without transcribing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline import store
from pipeline.acoustics import call_metrics, segment_loudness
from pipeline.config import ScanOptions

COLUMNS = (
    "call_id",
    "speaker",
    "duration",
    "talk_seconds",
    "talk_ratio",
    "dead_air_seconds",
    "dead_air_longest",
    "longest_silence_after_other",
    "overtalk_count",
    "overtalk_seconds",
    "speech_rate_cpm",
    "loudness_dbfs",
    "loudness_peak_db",
    "hung_up_by",
    "measurable",
)


def refresh_metrics(db, where: str = "1", params: list | tuple = ()) -> int:
    """Recompute ``call_metrics`` for the stored calls (status ok) ``where`` selects (a condition
    on ``calls c``); returns how many calls."""
    rows_of_calls = db.execute(
        f"SELECT c.id, c.duration FROM calls c WHERE c.status = 'ok' AND ({where})", list(params)
    ).fetchall()
    rows = []
    for call_id, duration in rows_of_calls:
        for row in call_metrics(store.load_call(db, call_id), duration):
            rows.append(tuple(row.get(column) if column != "call_id" else call_id for column in COLUMNS))
    marks = ", ".join("?" for _ in COLUMNS)
    with store.writing(db):
        db.conn.executemany("DELETE FROM call_metrics WHERE call_id = ?", [(call_id,) for call_id, _ in rows_of_calls])
        db.conn.executemany(f"INSERT INTO call_metrics ({', '.join(COLUMNS)}) VALUES ({marks})", rows)
    return len(rows_of_calls)


@dataclass
class Remeasured:
    measured: int = 0
    skipped: int = 0  # imported transcripts: no audio to measure
    failures: list[str] = field(default_factory=list)  # recordings that could not be read again


def remeasure(db, config: dict[str, Any], on_call: Callable[[str], None] = lambda call_id: None) -> Remeasured:
    """Each stored recording decoded again and its segments' loudness measured at their stored
    times (no transcription); then ``call_metrics`` of every call. A recording that is gone or
    unreadable keeps what was stored and is reported."""
    from pipeline.audio import SAMPLE_RATE, AudioError, decode

    result = Remeasured()
    channel_mode = ScanOptions.from_config(config).channels
    calls = db.execute("SELECT id, source_path, model FROM calls WHERE status = 'ok' ORDER BY id").fetchall()
    for call_id, source_path, model in calls:
        on_call(call_id)
        if model == "transcript" or not source_path:
            result.skipped += 1
            continue
        try:
            audio = decode(source_path, channel_mode)
        except AudioError as exc:
            result.failures.append(f"{call_id}: {exc}")
            continue
        loudness = segment_loudness(audio.channels, store.load_call(db, call_id).segments, SAMPLE_RATE)
        with store.writing(db):
            db.conn.executemany(
                "UPDATE segments SET rms_dbfs = ? WHERE call_id = ? AND idx = ?",
                [(value, call_id, idx) for idx, value in enumerate(loudness)],
            )
        result.measured += 1
    refresh_metrics(db)
    return result


def metrics_of(db, call_id: str) -> dict[str, dict[str, Any]]:
    """The stored figures of one call by speaker (``call`` for the whole call), for the console."""
    cursor = db.execute(f"SELECT {', '.join(COLUMNS)} FROM call_metrics WHERE call_id = ?", [call_id])
    return {row[1]: dict(zip(COLUMNS, row)) for row in cursor.fetchall()}
