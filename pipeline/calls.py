"""The data every stage passes on: calls, their segments, and findings.

Calls travel as JSON in the shape of ``shared/spec/transcript-format.md``; this module
reads that shape, validates it, and writes it back. A call that breaks the shape raises
``CallFormatError`` naming the call and the field, so a batch can report it and go on.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator
from .errors import CallqaError
from .text import normalize_spacing

SPEAKERS = ("agent", "customer", "unknown")


@dataclass
class Segment:
    start: float
    end: float
    speaker: str
    text: str
    avg_logprob: float | None = None
    no_speech_prob: float | None = None


@dataclass
class Call:
    call_id: str
    segments: list[Segment]
    started_at: str | None = None
    agent_id: str | None = None
    agency: str | None = None
    debtor_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"call_id": self.call_id}
        for key in ("started_at", "agent_id", "agency", "debtor_id"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        out["segments"] = [
            {"start": s.start, "end": s.end, "speaker": s.speaker, "text": s.text}
            for s in self.segments
        ]
        out.update({k: v for k, v in self.extra.items() if k not in out})
        return out


@dataclass
class Finding:
    """One violation occurrence: what, where, how sure, and why."""

    call_id: str
    category: str
    severity: str
    score: float
    start: float
    end: float
    speaker: str | None
    segment_index: int | None
    evidence: str
    clauses: list[str]
    detector: str
    explanation: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class CallFormatError(CallqaError, ValueError):
    """A call that breaks the interchange format; names the call and the field."""

    def __init__(self, call_id: str | None, field_name: str, reason: str):
        self.call_id = call_id
        self.field_name = field_name
        self.reason = reason
        where = f"call {call_id!r}" if call_id else "call without call_id"
        super().__init__(f"{where}: field {field_name!r} {reason}")


def _number(value: Any, call_id: str, field_name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CallFormatError(call_id, field_name, f"must be a number, got {value!r}")
    return float(value)


def call_from_json(data: Any) -> Call:
    """Validate one call object and build a ``Call``."""
    if not isinstance(data, dict):
        raise CallFormatError(None, "(root)", "must be a JSON object")
    call_id = data.get("call_id")
    if not isinstance(call_id, str) or not call_id.strip():
        raise CallFormatError(None, "call_id", "is required and must be a non-empty string")
    for key in ("started_at", "agent_id", "agency", "debtor_id"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise CallFormatError(call_id, key, "must be a string")
    raw_segments = data.get("segments")
    if not isinstance(raw_segments, list):
        raise CallFormatError(call_id, "segments", "is required and must be a list")
    segments = []
    for i, raw in enumerate(raw_segments):
        where = f"segments[{i}]"
        if not isinstance(raw, dict):
            raise CallFormatError(call_id, where, "must be an object")
        for key in ("start", "end", "speaker", "text"):
            if key not in raw:
                raise CallFormatError(call_id, f"{where}.{key}", "is required")
        start = _number(raw["start"], call_id, f"{where}.start")
        end = _number(raw["end"], call_id, f"{where}.end")
        if end < start:
            raise CallFormatError(call_id, f"{where}.end", f"({end}) is before start ({start})")
        if raw["speaker"] not in SPEAKERS:
            raise CallFormatError(
                call_id, f"{where}.speaker", f"must be one of {', '.join(SPEAKERS)}, got {raw['speaker']!r}"
            )
        if not isinstance(raw["text"], str):
            raise CallFormatError(call_id, f"{where}.text", "must be a string")
        segments.append(Segment(start=start, end=end, speaker=raw["speaker"], text=normalize_spacing(raw["text"])))
    known = {"call_id", "segments", "started_at", "agent_id", "agency", "debtor_id"}
    return Call(
        call_id=call_id,
        segments=segments,
        started_at=data.get("started_at"),
        agent_id=data.get("agent_id"),
        agency=data.get("agency"),
        debtor_id=data.get("debtor_id"),
        extra={k: v for k, v in data.items() if k not in known},
    )


@dataclass
class ReadResult:
    """Either a call or the error that stopped it (with where in the file it was)."""

    location: str
    call: Call | None = None
    error: str | None = None
    raw: Any = None


def read_calls(path: str | Path) -> Iterator[ReadResult]:
    """Read a ``.json`` (one call, or a list of calls) or ``.jsonl`` file.

    Yields one result per call; a broken call yields an error and reading goes on.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() != ".jsonl":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data":  # several objects, one per line: read as JSONL
                yield ReadResult(path.name, error=f"{path.name}: not valid JSON ({exc.msg}, line {exc.lineno})")
                return
        else:
            items = data if isinstance(data, list) else [data]
            for i, item in enumerate(items):
                location = f"{path.name}[{i}]" if isinstance(data, list) else path.name
                yield _validated(location, item)
            return
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        location = f"{path.name}:{lineno}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadResult(location, error=f"{location}: not valid JSON ({exc.msg})")
            continue
        yield _validated(location, data)


def _validated(location: str, data: Any) -> ReadResult:
    try:
        return ReadResult(location, call=call_from_json(data), raw=data)
    except CallFormatError as exc:
        return ReadResult(location, error=f"{location}: {exc}", raw=data)


@dataclass
class CallRecord:
    """What the per-file stage returns and the store writes: one call, whole.

    ``status`` is ``ok`` or ``failed``; a failed record carries ``error`` and no segments.
    """

    call: Call
    source_path: str
    sha256: str
    status: str = "ok"
    error: str | None = None
    duration: float | None = None
    channels: int | None = None
    model: str | None = None
    findings: list[Finding] = field(default_factory=list)
