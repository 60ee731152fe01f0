"""The data every stage passes on: calls, their segments, and findings.

Calls travel as JSON in the shape of ``shared/spec/transcript-format.md``; this module
reads that shape, validates it, and writes it back. A call that breaks the shape raises
``CallFormatError`` naming the call and the field, so a batch can report it and go on.

Every line of a JSONL file is read on its own: bytes that are not UTF-8, nesting too deep to
parse, NaN or Infinity, a lone surrogate, an impossible date each make that line an error
(file, line number, reason) and reading goes on. An unreadable line's identity comes from its
position and bytes, so two broken lines are two failures, not one.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.errors import CallqaError
from pipeline.text import normalize_spacing

SPEAKERS = ("agent", "customer", "unknown")
METADATA_FIELDS = ("started_at", "agent_id", "agency", "debtor_id")
# ISO 8601 date and time, offset optional: 2026-03-02T10:15:00+08:00, 2026-03-02 10:15.
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
# Years a call can have been recorded in; outside them a date is a typo (0001, 9999).
YEARS = range(1900, 3000)


@dataclass
class Segment:
    start: float
    end: float
    speaker: str
    text: str
    confidence: float | None = None  # the recogniser's, 0-1 (Whisper: mean token probability); None: not given
    raw_text: str | None = None  # the recogniser's text where ``text`` had homophones repaired
    rms_dbfs: float | None = None  # loudness on the speaker's channel (acoustics.segment_loudness); None: not measured


@dataclass
class Call:
    call_id: str
    segments: list[Segment]
    started_at: str | None = None
    agent_id: str | None = None
    agency: str | None = None
    debtor_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """The institutions the call is about: its ``agency`` and the manifest's ``lender`` column.
        The recogniser may read them first; homophone repair never cuts into them."""
        return [name for name in (self.agency, self.extra.get("lender")) if isinstance(name, str) and name]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"call_id": self.call_id}
        for key in ("started_at", "agent_id", "agency", "debtor_id"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        out["segments"] = [
            {"start": s.start, "end": s.end, "speaker": s.speaker, "text": s.text} for s in self.segments
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
    # Where in the segment's text the matched phrase is: [span_start, span_end) character offsets
    # (None: the whole segment, or a finding of the whole call).
    span_start: int | None = None
    span_end: int | None = None

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
    if not math.isfinite(value):
        raise CallFormatError(call_id, field_name, f"must be a finite number, got {value!r}")
    return float(value)


def check_metadata(call_id: str | None, meta: dict[str, Any]) -> None:
    """Raise ``CallFormatError`` for a metadata value a call cannot have: a field that is not
    text, or a ``started_at`` that is not an ISO 8601 date and time of a real day."""
    for key in METADATA_FIELDS:
        if meta.get(key) is not None and not isinstance(meta[key], str):
            raise CallFormatError(call_id, key, "must be a string")
    started_at = meta.get("started_at")
    if started_at is None:
        return
    if not _DATE_TIME.fullmatch(started_at):
        raise CallFormatError(
            call_id,
            "started_at",
            f"must be an ISO 8601 date and time like 2026-03-02T10:15:00+08:00, got {started_at!r}",
        )
    try:
        moment = datetime.fromisoformat(started_at)
    except ValueError as exc:
        raise CallFormatError(call_id, "started_at", f"is not a real date and time ({started_at!r}: {exc})") from None
    if moment.year not in YEARS:
        raise CallFormatError(call_id, "started_at", f"has an impossible year ({started_at!r})")


def call_from_json(data: Any) -> Call:
    """Validate one call object and build a ``Call``."""
    if not isinstance(data, dict):
        raise CallFormatError(None, "(root)", "must be a JSON object")
    call_id = data.get("call_id")
    if not isinstance(call_id, str) or not call_id.strip():
        raise CallFormatError(None, "call_id", "is required and must be a non-empty string")
    check_metadata(call_id, data)
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
    known = {"call_id", "segments", *METADATA_FIELDS}
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
    """Either a call or the error that stopped it (with where in the file it was).

    ``raw`` is the parsed JSON, or None when the text could not be parsed; then ``text`` holds
    the line's bytes, which with the location identify it (``sha256``).
    """

    location: str
    call: Call | None = None
    error: str | None = None
    raw: Any = None
    text: bytes | None = None

    @property
    def sha256(self) -> str:
        """What identifies this input in the store: its parsed content, or for text that did
        not parse, its location and bytes."""
        if self.text is not None:
            return hashlib.sha256(b"unparsed\n" + self.location.encode() + b"\n" + self.text).hexdigest()
        canonical = json.dumps(self.raw, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_calls(path: str | Path) -> Iterator[ReadResult]:
    """Read a ``.json`` (one call, or a list of calls) or ``.jsonl`` file.

    Yields one result per call; a broken call or line yields an error and reading goes on.
    Raises ``OSError`` only when the file itself cannot be read.
    """
    path = Path(path)
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    if path.suffix.lower() != ".jsonl":
        parsed, error = _parse(data)
        if error is None:
            items = parsed if isinstance(parsed, list) else [parsed]
            for i, item in enumerate(items):
                yield _validated(f"{path.name}[{i}]" if isinstance(parsed, list) else path.name, item)
            return
        if "Extra data" not in error:  # several objects, one per line: read as JSONL
            yield ReadResult(path.name, error=f"{path.name}: {error}", text=data)
            return
    for lineno, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        location = f"{path.name}:{lineno}"
        parsed, error = _parse(line)
        if error is not None:
            yield ReadResult(location, error=f"{location}: {error}", text=line)
        else:
            yield _validated(location, parsed)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse(data: bytes) -> tuple[Any, str | None]:
    """JSON from bytes, or None and why not (in words a user can act on)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (byte {exc.start})"
    try:
        parsed = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
    except ValueError as exc:
        return None, f"not valid JSON ({exc})"
    except RecursionError:
        return None, "not readable JSON (nested too deeply)"
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return None, "holds an invalid character (a lone UTF-16 surrogate such as \\ud800)"
    return parsed, None


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
