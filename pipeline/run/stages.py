"""The per-item work an executor maps over a run's inputs, and nothing else.

A stage is a pure function from an input to a ``CallRecord`` (or a batch of them) with the
state it needs loaded once per worker: ``setup`` builds it (the Whisper model, the detection
registry), ``__call__`` handles one item and never raises for bad input (the record says
``failed`` and why), ``failed`` builds the record an executor stores when the worker
itself died on the item, and ``packed`` makes an item self-contained for a worker on another
machine (a recording's bytes read in). Stages are pickled to workers before ``setup``; the loaded state
never travels.

- ``FileStage``: one recording, decode → transcribe → detect.
- ``DetectStage``: a batch of calls already transcribed (vendor transcripts, ``redetect``,
  ``callqa detect``), detect only; batches let the classifier score many calls at once.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from pipeline.calls import CallFormatError, CallRecord, check_metadata
from pipeline.config import ScanOptions
from pipeline.detect import DetectionError, detect_call, detect_calls
from pipeline.detect.registry import default_registry
from pipeline.run.inputs import Source


@dataclass
class ScanSettings:
    transcribe: Any  # TranscribeSettings; kept loose so this module imports without the model
    channel_mode: str = ScanOptions.channels
    config: dict[str, Any] = field(default_factory=dict)
    detect: bool = True


def audio_settings(
    config: dict[str, Any], channels: str | None = None, threads: int | None = None, **transcription: Any
) -> ScanSettings:
    """Settings for a run over recordings: ``channels`` as ``--channels``, ``threads`` CPU
    threads for each worker's model, ``transcription`` overrides of the settings file (None:
    keep it). Checks (and on first use assembles) the model here, once, before any worker starts."""
    from pipeline.model import resolve_model
    from pipeline.transcribe import TranscribeSettings

    transcribe = TranscribeSettings.from_config(config, cpu_threads=threads, **transcription)
    resolve_model(transcribe.model)
    channel_mode = channels or ScanOptions.from_config(config).channels
    return ScanSettings(transcribe=transcribe, channel_mode=channel_mode, config=config)


@dataclass
class FileTask:
    """One recording to run through ``FileStage``. ``data`` holds the file's bytes when the
    worker may not see the driver's filesystem; otherwise the worker reads ``source.path``."""

    source: Source
    sha256: str
    data: bytes | None = None
    read_error: str | None = None  # the driver could not read the file: nothing to decode


class FileStage:
    """Decode, transcribe and inspect one recording."""

    def __init__(self, settings: ScanSettings):
        self.settings = settings
        self._transcriber = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_transcriber": None}  # a loaded model never travels

    def setup(self) -> None:
        threads = getattr(self.settings.transcribe, "cpu_threads", 0)
        if threads:
            # numpy's BLAS computes the audio features; with another thread count the sums come
            # out in another order and Whisper can hear a turn differently (measured on the stereo
            # fixture). Ray starts its workers with as many threads as CPUs reserved, a process
            # pool with the machine's count: the stage sets the model's own number, whatever runs it.
            threadpool_limits(threads)
        self.transcriber()
        if self.settings.detect:
            default_registry(self.settings.config)

    def transcriber(self):
        if self._transcriber is None:
            from pipeline.transcribe import load_transcriber

            self._transcriber = load_transcriber(self.settings.transcribe)
        return self._transcriber

    def __call__(self, task: FileTask) -> CallRecord:
        if task.read_error:
            return self.failed(task, f"cannot read file ({task.read_error})")
        try:
            check_metadata(task.source.call_id, task.source.meta)
        except CallFormatError as exc:  # a manifest row with, say, started_at 2026-02-30
            task.source.meta = {}
            return self.failed(task, str(exc))
        try:
            if task.data is None:
                return self._process(task, task.source.path)
            return self._process_bytes(task)
        except Exception as exc:  # a bad file must never stop the batch
            return self.failed(task, f"{type(exc).__name__}: {exc}")

    def packed(self, task: FileTask) -> FileTask:
        """The task with the file's bytes in it, for a worker that may not see this filesystem."""
        if task.read_error or task.data is not None:
            return task
        try:
            return dataclasses.replace(task, data=task.source.path.read_bytes())
        except OSError as exc:
            return dataclasses.replace(task, read_error=str(exc))

    def failed(self, task: FileTask, reason: str) -> CallRecord:
        source = task.source
        return CallRecord(
            source.empty_call(), str(source.path), task.sha256, status="failed", error=f"{source.path}: {reason}"
        )

    def _process(self, task: FileTask, path: Path) -> CallRecord:
        from pipeline.acoustics import segment_loudness
        from pipeline.audio import SAMPLE_RATE, AudioError, decode_blocks
        from pipeline.transcribe import repair_homophones, split_mixed_turns

        call = task.source.empty_call()
        record = CallRecord(call=call, source_path=str(task.source.path), sha256=task.sha256)
        try:
            blocks = decode_blocks(path, self.settings.channel_mode)
            transcriber = self.transcriber()
            record.model = transcriber.model_name
            # Block by block: memory follows the block, not the call's length. The manifest's
            # institution names may prime the recogniser (TranscribeSettings.names_prompt);
            # stored text holds the homophones the detectors' engine is sure of repaired.
            for audio, heard in transcriber.transcribe_blocks(blocks, call.names):
                # A mono segment holding both parties' sentences is cut where the speaker changes.
                heard = split_mixed_turns(heard, self.settings.config, call)
                heard = repair_homophones(heard, self.settings.config, call)
                local = [dataclasses.replace(s, start=s.start - audio.offset, end=s.end - audio.offset) for s in heard]
                for segment, loudness in zip(heard, segment_loudness(audio.channels, local, SAMPLE_RATE)):
                    segment.rms_dbfs = loudness
                call.segments.extend(heard)
                record.duration, record.channels = audio.offset + audio.duration, audio.n_channels
                del audio, local  # this block's samples go before the next block is read
        except AudioError as exc:
            # Reasons name the file as the user knows it, wherever the worker put its bytes.
            call.segments = []
            record.status, record.error = "failed", str(exc).replace(str(path), str(task.source.path))
            return record
        if self.settings.detect:
            try:
                record.findings = detect_call(call, self.settings.config)
            except DetectionError as exc:  # past the time limit: stored as failed with the reason
                record.status, record.error = "failed", str(exc)
        return record

    def _process_bytes(self, task: FileTask) -> CallRecord:
        with tempfile.TemporaryDirectory(prefix="callqa-") as folder:
            path = Path(folder) / task.source.path.name
            path.write_bytes(task.data)
            return self._process(task, path)


class DetectStage:
    """Detection on a batch of records whose calls are already transcribed; failed records
    pass through untouched. A call whose detection raises is marked failed with the reason."""

    def __init__(self, config: dict[str, Any] | None):
        self.config = config

    def setup(self) -> None:
        default_registry(self.config)

    def __call__(self, records: list[CallRecord]) -> list[CallRecord]:
        todo = [r for r in records if r.status == "ok"]
        try:
            for record, findings in zip(todo, detect_calls([r.call for r in todo], self.config)):
                if isinstance(findings, DetectionError):  # past the time limit: the others keep theirs
                    self._fail(record, str(findings))
                else:
                    record.findings = findings
        except Exception:  # find the call that broke the batch; the others keep their findings
            for record in todo:
                try:
                    record.findings = detect_call(record.call, self.config)
                except Exception as exc:
                    self._fail(record, f"detection failed ({type(exc).__name__}: {exc})")
        return records

    def packed(self, records: list[CallRecord]) -> list[CallRecord]:
        return records  # calls travel whole

    def failed(self, records: list[CallRecord], reason: str) -> list[CallRecord]:
        for record in records:
            if record.status == "ok":
                self._fail(record, reason)
        return records

    @staticmethod
    def _fail(record: CallRecord, reason: str) -> None:
        record.status, record.error, record.findings = (
            "failed",
            f"{record.source_path or record.call.call_id}: {reason}",
            [],
        )


def worker_threads(workers: int) -> int:
    """CPU threads for each of ``workers`` models on this machine, so they do not oversubscribe it."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))
