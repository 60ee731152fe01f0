"""The batch: a run over an archive (``run.py``) and the executors that do its per-item work
(``executors.py``, ``ray_executor.py``) with the stages they map (``stages.py``) over the
inputs (``inputs.py``)."""

from pipeline.run.executors import (
    Executor,
    InProcess,
    ProcessPool,
    default_workers,
    local_executor,
    local_workers,
    make_executor,
)
from pipeline.run.inputs import ScanError, Source, find_audio, read_manifest
from pipeline.run.run import Progress, detect_file, detect_stream, redetect, scan, transcribe_files
from pipeline.run.stages import DetectStage, FileStage, FileTask, ScanSettings, audio_settings, worker_threads

__all__ = [
    "DetectStage",
    "Executor",
    "FileStage",
    "FileTask",
    "InProcess",
    "ProcessPool",
    "Progress",
    "ScanError",
    "ScanSettings",
    "Source",
    "audio_settings",
    "default_workers",
    "local_workers",
    "detect_file",
    "detect_stream",
    "find_audio",
    "local_executor",
    "make_executor",
    "read_manifest",
    "redetect",
    "scan",
    "transcribe_files",
    "worker_threads",
]
