"""The run: the same whatever executes the per-file stage.

A run reads its inputs, gives each its identity (sha256), skips what is already stored,
records itself in ``runs``, hands the rest to an executor, writes each result as it comes
back in one transaction of its own (only this process writes), and runs the cross-call rules
once the per-call results are in. A run that ended early (killed, crashed) is finished by
the next one: its cross-call rules run then.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import store
from pipeline.calls import Call, CallRecord, read_calls
from pipeline.run.executors import Executor, InProcess, local_executor
from pipeline.run.inputs import (
    ScanError,
    Source,
    file_sha256,
    find_audio,
    read_manifest,
    transcript_records,
    unreadable_sha256,
)
from pipeline.run.stages import DetectStage, FileStage, FileTask, ScanSettings

BATCH_SIZE = 64  # calls per detection task: big enough for the classifier's batching, small enough to share out


@dataclass
class Progress:
    """What a run reports after every call; the CLI turns it into a progress bar."""

    done: int = 0
    total: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    audio_seconds: float = 0.0
    started: float = field(default_factory=time.monotonic)
    failures: list[tuple[str, str]] = field(default_factory=list)
    findings: dict[str, int] = field(default_factory=dict)
    cross_call: int = 0  # findings of the cross-call rules, after the calls
    scored: int = 0  # calls scored by their scorecard at the end (pipeline/scoring.py)
    finished_runs: list[int] = field(default_factory=list)  # earlier runs that ended early, finished by this one
    nodes: dict[str, int] = field(default_factory=dict)  # calls per cluster node (Ray)
    remeasured: Any = None  # redetect with remeasure_audio: the recordings measured again (metrics.Remeasured)

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
            "cross_call_findings": self.cross_call,
            **({"nodes": self.nodes} if self.nodes else {}),
            **({"remeasured": self.remeasured.measured} if self.remeasured is not None else {}),
        }


class Run:
    """One row of ``runs`` from start to finish, and the progress of its calls."""

    def __init__(
        self, db, command: str, arguments: dict[str, Any] | None, model: str, on_progress: Callable[[Progress], None]
    ):
        self.db, self.on_progress = db, on_progress
        self.progress = Progress()
        self.id = store.start_run(db, command, arguments or {}, library_versions(model))

    def done(self, record: CallRecord) -> None:
        self.progress.add(record)
        self.on_progress(self.progress)

    def finish(self, config: dict[str, Any] | None, days: list[str] | None) -> Progress:
        """Run the cross-call rules over ``days`` (None: every day) and over the days of any
        earlier run that ended early, then close those runs and this one. ``config`` None: the
        run did no detection, and earlier runs are left for one that does. (A run still going in
        another process looks the same; closing it early is harmless, its own end rewrites it.)"""
        if config is not None:
            earlier = store.unfinished_runs(self.db, before=self.id)
            scope = _days_of(self.db, days, earlier)
            self.progress.cross_call = _cross_call_rules(self.db, config, scope)
            touched = _touched(scope, self.id)
            _measure(self.db, touched)
            self.progress.scored = _score(self.db, config, touched)
            for run_id, _command in earlier:
                store.finish_run(self.db, run_id, {"ended_early": True, "finished_by": self.id})
                self.progress.finished_runs.append(run_id)
        store.finish_run(self.db, self.id, self.progress.counts())
        return self.progress


def _cross_call_rules(db, config: dict[str, Any], days: list[str] | None) -> int:
    """Quiet hours, call frequency, contact after refusal: they need the day's other calls stored.
    The rules read the database and return their findings; the store writes them."""
    from pipeline.detect.crosscall import cross_call_findings, read_only

    found = cross_call_findings(read_only(db.conn), config, days)
    store.replace_category_findings(db, found.replaced, found.findings)
    return len(found.findings)


def _touched(days: list[str] | None, run_id: int) -> tuple[str, list]:
    """The calls a run's results may have changed, as a condition on ``calls c``: those it
    stored, and those of the days its cross-call rules went over (None: every call)."""
    if days is None:
        return "1", []
    return f"c.run_id = ? OR substr(c.started_at, 1, 10) IN ({', '.join('?' for _ in days)})", [run_id, *days]


def _measure(db, touched: tuple[str, list]) -> None:
    """How the calls sounded (call_metrics), from their stored segments and loudness."""
    from pipeline.metrics import refresh_metrics

    refresh_metrics(db, *touched)


def _score(db, config: dict[str, Any], touched: tuple[str, list]) -> int:
    """Scores of the calls from their findings (call_scores)."""
    from pipeline.scoring import score_calls

    return score_calls(db, config, *touched).calls


def _days_of(db, days: list[str] | None, earlier: list[tuple[int, str]]) -> list[str] | None:
    from pipeline.detect.crosscall import days_of_run, read_only

    if days is None or any(command == "redetect" for _id, command in earlier):
        return None  # a redetect covers every day
    return sorted({*days, *(day for run_id, _ in earlier for day in days_of_run(read_only(db.conn), run_id))})


# --- scan ---------------------------------------------------------------------------


def scan(
    db,
    settings: ScanSettings,
    root: Path | None = None,
    manifest: Path | None = None,
    transcripts: Path | None = None,
    force: bool = False,
    retry_failed: bool = False,
    executor: Executor | None = None,
    arguments: dict[str, Any] | None = None,
    on_progress: Callable[[Progress], None] = lambda p: None,
) -> Progress:
    """One recorded run over an archive folder, a manifest, or a transcript file."""
    from pipeline.detect.crosscall import days_of_run, read_only

    if root is None and manifest is None and transcripts is None:
        raise ScanError("nothing to scan: give a folder, --manifest or --transcripts")
    executor = executor or InProcess()
    stored = store.stored_status_by_hash(db)
    if transcripts is not None:
        records = transcript_records(transcripts)
        run = Run(db, "scan", arguments, "transcript", on_progress)
        new = _unstored(records, stored, force, run.progress)
        results = _detected(executor, settings.config, new) if settings.detect else new
    else:
        sources = read_manifest(manifest, root) if manifest is not None else find_audio(root)
        run = Run(db, "scan", arguments, _model_name(settings), on_progress)
        tasks = list(pending_files(sources, stored, force, retry_failed, run.progress))
        run.progress.total = len(tasks)
        on_progress(run.progress)
        results = (record for _task, record in executor.map(FileStage(settings), tasks))
    for record in results:
        store.save_call(db, record, run.id)
        run.done(record)
    run.progress.nodes = dict(executor.nodes)
    return run.finish(settings.config if settings.detect else None, days_of_run(read_only(db.conn), run.id))


def pending_files(
    sources: Iterable[Source], stored: dict[str, str], force: bool, retry_failed: bool, progress: Progress
) -> Iterator[FileTask]:
    """A task for each source not yet stored (nor a byte-identical copy of one earlier in the run)."""
    seen: set[str] = set()
    for source in sources:
        read_error = None
        try:
            sha = file_sha256(source.path)
        except OSError as exc:
            sha, read_error = unreadable_sha256(source.path), str(exc)
        status = stored.get(sha)
        redo = force or (retry_failed and status == "failed")
        if sha in seen or (status is not None and not redo):
            progress.skipped += 1
            continue
        seen.add(sha)
        yield FileTask(source, sha, read_error=read_error)


def _unstored(records: Iterable[CallRecord], stored: dict[str, str], force: bool, progress: Progress):
    seen: set[str] = set()
    for record in records:
        if record.sha256 in seen or (record.sha256 in stored and not force):
            progress.skipped += 1
            continue
        seen.add(record.sha256)
        yield record


def _detected(
    executor: Executor, config, records: Iterable[CallRecord], ordered: bool = False, batch_size: int = BATCH_SIZE
) -> Iterator[CallRecord]:
    """``records`` with their findings, detected in batches by ``executor``. An input that fits
    in one batch stays in this process: starting workers would cost more than they save."""
    DetectStage(config).setup()  # lexicons checked before the first call; forked workers inherit them
    chunks = batches(records, batch_size)
    opening = list(itertools.islice(chunks, 2))
    if len(opening) < 2:
        executor = InProcess()
    for _batch, done in executor.map(DetectStage(config), itertools.chain(opening, chunks), ordered=ordered):
        yield from done


def batches(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    items = iter(items)
    return iter(lambda: list(itertools.islice(items, size)), [])


# --- redetect and detection over calls ----------------------------------------------


def redetect(
    db,
    config: dict[str, Any],
    executor: Executor | None = None,
    arguments: dict[str, Any] | None = None,
    on_progress: Callable[[Progress], None] = lambda p: None,
    remeasure_audio: bool = False,
) -> Progress:
    """Detection again on every stored call (after editing lexicons or thresholds), as a run;
    with ``remeasure_audio`` the stored recordings are first measured again
    (``metrics.remeasure``, its result in ``progress.remeasured``).

    A call whose detection fails keeps its stored findings and is reported.
    """
    run = Run(db, "redetect", arguments, "stored transcripts", on_progress)
    if remeasure_audio:
        from pipeline.metrics import remeasure

        run.progress.remeasured = remeasure(db, config)
    call_ids = store.ok_call_ids(db)
    run.progress.total = len(call_ids)
    records = (CallRecord(store.load_call(db, call_id), "", "") for call_id in call_ids)
    for record in _detected(executor or InProcess(), config, records):
        if record.status == "ok":
            store.replace_findings(db, record.call.call_id, record.findings)
        run.done(record)
    return run.finish(config, None)


def detect_stream(
    calls: Iterable[Call], config: dict[str, Any] | None = None, workers: int = 2, batch_size: int = BATCH_SIZE
) -> Iterator[CallRecord]:
    """Each call of ``calls`` as a record with its findings, in order (``evaluate``); a call
    whose detection failed says why in ``error``."""
    return _detected_here((CallRecord(call, "", "") for call in calls), config, workers, batch_size)


def detect_file(path: str | Path, config: dict[str, Any] | None = None, workers: int = 2) -> Iterator[CallRecord]:
    """Each call of the file ``path`` (.json or .jsonl) as a record with its findings, in order
    (``callqa detect``); a call that breaks the format, or whose detection failed, says why in
    ``error`` and the others go on. A file that cannot be read is a ``ScanError`` at once."""
    try:
        results = list(read_calls(path))
    except OSError as exc:
        raise ScanError(f"{path}: cannot read ({exc})") from exc
    records = (
        CallRecord(result.call, "", "")
        if result.call
        else CallRecord(Call(result.location, []), "", "", status="failed", error=result.error)
        for result in results
    )
    return _detected_here(records, config, workers)


def _detected_here(
    records: Iterable[CallRecord], config: dict[str, Any] | None, workers: int, batch_size: int = BATCH_SIZE
) -> Iterator[CallRecord]:
    with local_executor(workers) as executor:
        yield from _detected(executor, config, records, ordered=True, batch_size=batch_size)


def transcribe_files(paths: Iterable[Path], settings: ScanSettings) -> Iterator[CallRecord]:
    """Each recording decoded and transcribed in this process, nothing detected or stored
    (``callqa transcribe``); a file that cannot be read gives a failed record."""
    tasks = (FileTask(Source(Path(path), Path(path).stem), "") for path in paths)
    for _task, record in InProcess().map(FileStage(dataclasses.replace(settings, detect=False)), tasks):
        yield record


def _model_name(settings: ScanSettings) -> str:
    from pipeline.transcribe import DEFAULT_MODEL_NAME

    return getattr(settings.transcribe, "model", None) or DEFAULT_MODEL_NAME


def library_versions(model: str) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versions = {"model": model}
    for package in ("callqa", "faster-whisper", "ctranslate2", "jieba", "scikit-learn", "sqlite-utils"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "not installed"
    return versions
