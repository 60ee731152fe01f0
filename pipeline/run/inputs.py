"""What a run reads: recordings below a folder or listed in a manifest, or vendor transcripts.

Every input gets its identity here: the sha256 of the file's bytes (of the call's canonical
JSON for a transcript, or of its position and bytes for a line that is not JSON), which is
how a rerun knows what is already stored.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.calls import Call, CallRecord, read_calls
from pipeline.errors import CallqaError

AUDIO_EXTENSIONS = {".wav", ".mp3", ".amr", ".m4a", ".aac", ".ogg", ".opus", ".flac", ".wma"}
MANIFEST_FIELDS = ("call_id", "started_at", "agent_id", "agency", "debtor_id")


class ScanError(CallqaError):
    """The run itself cannot proceed (missing folder, unreadable manifest, no model)."""


@dataclass
class Source:
    """One recording to inspect, with whatever the manifest says about it."""

    path: Path
    call_id: str
    meta: dict[str, Any] = field(default_factory=dict)  # started_at, agent_id, agency, debtor_id
    extra: dict[str, Any] = field(default_factory=dict)  # unknown manifest columns

    def empty_call(self) -> Call:
        """The call this recording becomes, before any speech is read from it."""
        return Call(call_id=self.call_id, segments=[], extra=dict(self.extra), **self.meta)


def find_audio(root: Path) -> list[Source]:
    """Every audio file below ``root``, in a stable order; call id from the file name."""
    if not root.exists():
        raise ScanError(f"{root}: no such file or folder")
    paths = (
        [root]
        if root.is_file()
        else sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in AUDIO_EXTENSIONS)
    )
    return [Source(path=p.resolve(), call_id=p.stem) for p in paths]


def read_manifest(manifest: Path, root: Path | None) -> list[Source]:
    """Sources from a CSV with a ``path`` column (relative to ``root`` or the CSV's folder)."""
    base = root if root is not None and root.is_dir() else manifest.parent
    try:
        with manifest.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "path" not in reader.fieldnames:
                raise ScanError(f"{manifest}: manifest needs a 'path' column (has {reader.fieldnames})")
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ScanError(f"{manifest}: cannot read manifest ({exc})") from exc
    sources = []
    for row in rows:
        path = Path(row["path"])
        path = (path if path.is_absolute() else base / path).resolve()
        meta = {k: row[k].strip() for k in MANIFEST_FIELDS[1:] if (row.get(k) or "").strip()}
        extra = {k: v for k, v in row.items() if k not in MANIFEST_FIELDS and k != "path" and v not in (None, "")}
        call_id = (row.get("call_id") or "").strip() or path.stem
        sources.append(Source(path=path, call_id=call_id, meta=meta, extra=extra))
    return sources


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unreadable_sha256(path: Path) -> str:
    """A stable stand-in identity for a file that cannot be read, so its failure is stored once."""
    return "unreadable:" + hashlib.sha256(str(path).encode()).hexdigest()


def transcript_records(path: Path) -> Iterator[CallRecord]:
    """Records from a vendor transcript file, not yet inspected; a malformed call becomes a
    failed record that names the file and line. A missing file is an error at once."""
    if not path.is_file():
        raise ScanError(f"{path}: no such transcript file")
    return _records(path)


def _records(path: Path) -> Iterator[CallRecord]:
    for result in read_calls(path):
        sha = result.sha256  # a line that did not parse: from its position and bytes
        location = f"{path}#{result.location}"
        if result.call is None:
            raw_id = result.raw.get("call_id") if isinstance(result.raw, dict) else None
            call_id = raw_id if isinstance(raw_id, str) and raw_id.strip() else result.location
            yield CallRecord(Call(call_id=call_id, segments=[]), location, sha, status="failed", error=result.error)
            continue
        record = CallRecord(call=result.call, source_path=location, sha256=sha, model="transcript")
        if result.call.segments:
            record.duration = max(s.end for s in result.call.segments)
        yield record
