"""The batch: find the inputs, skip what is stored, run the per-file stage, store the results.

The per-file stage (``process_file``: decode → transcribe → detect) is a pure function from
a source and settings to a ``CallRecord``; it never raises for bad input, it returns a
failed record with the reason. Only the main process writes to the database, one
transaction per call, so a run can be killed at any moment and simply run again.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import os
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .calls import Call, CallRecord, read_calls
from .detect import detect_call
from .errors import CallqaError

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


@dataclass
class ScanSettings:
    transcribe: Any  # TranscribeSettings; kept loose so this module imports without the model
    channel_mode: str = "agent-customer"
    config: dict[str, Any] = field(default_factory=dict)
    detect: bool = True


# --- inputs -------------------------------------------------------------------------


def find_audio(root: Path) -> list[Source]:
    """Every audio file below ``root``, in a stable order; call id from the file name."""
    if not root.exists():
        raise ScanError(f"{root}: no such file or folder")
    paths = [root] if root.is_file() else sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in AUDIO_EXTENSIONS
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


# --- the per-file stage -------------------------------------------------------------

_transcriber = None  # one model per worker process, loaded on first use


def _get_transcriber(settings: ScanSettings):
    global _transcriber
    if _transcriber is None:
        from .transcribe import load_transcriber

        _transcriber = load_transcriber(settings.transcribe)
    return _transcriber


def process_file(source: Source, sha256: str, settings: ScanSettings) -> CallRecord:
    """Decode, transcribe and inspect one recording. Bad input gives a failed record."""
    from .audio import AudioError, decode
    from .transcribe import repair_homophones

    call = Call(call_id=source.call_id, segments=[], extra=dict(source.extra), **source.meta)
    record = CallRecord(call=call, source_path=str(source.path), sha256=sha256)
    try:
        audio = decode(source.path, settings.channel_mode)
    except AudioError as exc:
        record.status, record.error = "failed", str(exc)
        return record
    transcriber = _get_transcriber(settings)
    record.duration, record.channels, record.model = audio.duration, audio.n_channels, transcriber.model_name
    # The manifest's institution names prime the recogniser (see TranscribeSettings.domain_prompt).
    call.segments = repair_homophones(
        transcriber.transcribe(audio, names=[source.meta.get("agency"), source.extra.get("lender")]),
        settings.config,
    )
    if settings.detect:
        record.findings = detect_call(call, settings.config)
    return record


def process_transcript(call: Call, sha256: str, location: str, settings: ScanSettings) -> CallRecord:
    record = CallRecord(call=call, source_path=location, sha256=sha256, model="transcript")
    if call.segments:
        record.duration = max(s.end for s in call.segments)
    if settings.detect:
        record.findings = detect_call(call, settings.config)
    return record


# --- the batch ----------------------------------------------------------------------


@dataclass
class Progress:
    """What the batch reports after every call; the CLI turns it into a progress bar."""

    done: int = 0
    total: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    audio_seconds: float = 0.0
    started: float = field(default_factory=time.monotonic)
    failures: list[tuple[str, str]] = field(default_factory=list)
    findings: dict[str, int] = field(default_factory=dict)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def speed(self) -> float:
        """Audio seconds processed per wall-clock second (a multiple of real time)."""
        return self.audio_seconds / self.elapsed if self.elapsed > 0 else 0.0

    def add(self, record: CallRecord) -> None:
        self.done += 1
        if record.status == "ok":
            self.ok += 1
        else:
            self.failed += 1
            self.failures.append((record.source_path, record.error or ""))
        self.audio_seconds += record.duration or 0.0
        for finding in record.findings:
            self.findings[finding.category] = self.findings.get(finding.category, 0) + 1

    def counts(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "failed": self.failed,
            "skipped": self.skipped,
            "audio_seconds": round(self.audio_seconds, 1),
            "wall_seconds": round(self.elapsed, 1),
            "findings": self.findings,
        }


def pending_sources(
    sources: Iterable[Source], stored: dict[str, str], force: bool, retry_failed: bool, progress: Progress
) -> Iterator[tuple[Source, str]]:
    """Sources with their hashes, less those already stored (and duplicates within the run)."""
    seen: set[str] = set()
    for source in sources:
        try:
            sha = file_sha256(source.path)
        except OSError as exc:
            # Unreadable files get a stable pseudo-hash so the failure is stored once.
            sha = "unreadable:" + hashlib.sha256(str(source.path).encode()).hexdigest()
            source.extra["read_error"] = str(exc)
        status = stored.get(sha)
        redo = force or (retry_failed and status == "failed")
        if sha in seen or (status is not None and not redo):
            progress.skipped += 1
            continue
        seen.add(sha)
        yield source, sha


def run_audio_batch(
    sources: list[Source],
    settings: ScanSettings,
    save: Callable[[CallRecord], None],
    stored: dict[str, str],
    force: bool = False,
    retry_failed: bool = False,
    workers: int = 1,
    on_progress: Callable[[Progress], None] = lambda p: None,
) -> Progress:
    """Run the per-file stage over ``sources`` on ``workers`` processes; ``save`` each result.

    At most two files per worker are in flight, so memory stays flat on archives of any size
    and a kill loses only the calls not yet saved.
    """
    progress = Progress()
    todo = list(pending_sources(sources, stored, force, retry_failed, progress))
    progress.total = len(todo)
    on_progress(progress)
    finish = functools.partial(_finish, save, progress, on_progress)
    if workers <= 1:
        for source, sha in todo:
            finish(_safe_process(source, sha, settings))
        return progress
    remaining = deque(todo)
    while remaining:
        # A worker that dies (a crash in native decoding code, the kernel's OOM killer) breaks
        # the whole pool and every file in flight with it: rerun those one by one in a pool of
        # their own, so only the file that kills its worker again is stored as failed.
        for source, sha in _run_pool(remaining, settings, workers, finish):
            finish(_run_alone(source, sha, settings))
    return progress


def _run_pool(
    remaining: deque, settings: ScanSettings, workers: int, finish: Callable[[CallRecord], None]
) -> list[tuple[Source, str]]:
    """Run the files of ``remaining`` (taken off it as submitted) on one pool until none is left
    or a worker dies; then return the files that were in flight, unsaved."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        in_flight: dict[Future, tuple[Source, str]] = {}
        while remaining or in_flight:
            while remaining and len(in_flight) < 2 * workers:
                source, sha = remaining.popleft()
                try:
                    in_flight[pool.submit(_safe_process, source, sha, settings)] = (source, sha)
                except BrokenProcessPool:
                    return [(source, sha), *in_flight.values()]
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                source, sha = in_flight.pop(future)
                try:
                    record = future.result()
                except BrokenProcessPool:
                    return [(source, sha), *in_flight.values()]
                except Exception as exc:  # e.g. a result that cannot be sent back
                    record = _failed(source, sha, f"{source.path}: worker failed ({type(exc).__name__}: {exc})")
                finish(record)
    return []


def _run_alone(source: Source, sha: str, settings: ScanSettings) -> CallRecord:
    """One file in a worker of its own: if the worker dies, this file killed it."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(_safe_process, source, sha, settings).result()
        except BrokenProcessPool:
            return _failed(
                source, sha, f"{source.path}: the worker process died on this file (a crash in native code or out of memory)"
            )
        except Exception as exc:
            return _failed(source, sha, f"{source.path}: worker failed ({type(exc).__name__}: {exc})")


def _failed(source: Source, sha: str, error: str) -> CallRecord:
    call = Call(call_id=source.call_id, segments=[], extra=dict(source.extra), **source.meta)
    return CallRecord(call, str(source.path), sha, status="failed", error=error)


def _safe_process(source: Source, sha: str, settings: ScanSettings) -> CallRecord:
    """``process_file``, turning any unexpected error into a failed record for that file."""
    read_error = source.extra.pop("read_error", None)
    if read_error:
        return _failed(source, sha, f"{source.path}: cannot read file ({read_error})")
    try:
        return process_file(source, sha, settings)
    except Exception as exc:  # a bad file must never stop the batch
        return _failed(source, sha, f"{source.path}: {type(exc).__name__}: {exc}")


def _finish(save, progress: Progress, on_progress, record: CallRecord) -> None:
    save(record)
    progress.add(record)
    on_progress(progress)


def transcript_records(path: Path, settings: ScanSettings) -> Iterator[CallRecord]:
    """Records from a vendor transcript file; a malformed call becomes a failed record."""
    for result in read_calls(path):
        canonical = json.dumps(result.raw, sort_keys=True, ensure_ascii=False)
        sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        location = f"{path}#{result.location}"
        if result.call is None:
            raw_id = result.raw.get("call_id") if isinstance(result.raw, dict) else None
            call_id = raw_id if isinstance(raw_id, str) and raw_id.strip() else result.location
            yield CallRecord(Call(call_id=call_id, segments=[]), location, sha, status="failed", error=result.error)
        else:
            yield process_transcript(result.call, sha, location, settings)


def run_transcript_batch(
    path: Path,
    settings: ScanSettings,
    save: Callable[[CallRecord], None],
    stored: dict[str, str],
    force: bool = False,
    on_progress: Callable[[Progress], None] = lambda p: None,
) -> Progress:
    if not path.is_file():
        raise ScanError(f"{path}: no such transcript file")
    progress = Progress()
    for record in transcript_records(path, settings):
        if stored.get(record.sha256) is not None and not force:
            progress.skipped += 1
            continue
        stored[record.sha256] = record.status
        _finish(save, progress, on_progress, record)
    return progress


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def library_versions(model: str | None) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versions = {"model": model or "transcript"}
    for package in ("callqa", "faster-whisper", "ctranslate2", "jieba", "scikit-learn", "sqlite-utils"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def scan(
    db,
    settings: ScanSettings,
    root: Path | None = None,
    manifest: Path | None = None,
    transcripts: Path | None = None,
    force: bool = False,
    retry_failed: bool = False,
    workers: int = 1,
    arguments: dict[str, Any] | None = None,
    on_progress: Callable[[Progress], None] = lambda p: None,
) -> Progress:
    """One recorded run over an archive folder, a manifest, or a transcript file."""
    from . import store

    if root is None and manifest is None and transcripts is None:
        raise ScanError("nothing to scan: give a folder, --manifest or --transcripts")
    model = getattr(settings.transcribe, "model", None)
    run_id = store.start_run(db, "scan", arguments or {}, library_versions(model))
    stored = store.stored_status_by_hash(db)

    def save(record: CallRecord) -> None:
        store.save_call(db, record, run_id)

    if transcripts is not None:
        progress = run_transcript_batch(transcripts, settings, save, stored, force, on_progress)
    else:
        sources = read_manifest(manifest, root) if manifest is not None else find_audio(root)
        progress = run_audio_batch(sources, settings, save, stored, force, retry_failed, workers, on_progress)
    if settings.detect:
        # Cross-call rules (quiet hours, frequency, refusal) need the day's other calls stored.
        from .detect.metadata import days_of_run, run_metadata_rules

        run_metadata_rules(db, settings.config, days_of_run(db, run_id))
    store.finish_run(db, run_id, progress.counts())
    return progress
