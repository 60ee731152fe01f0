"""``callqa demo``: the bundled fixture recordings and transcripts scanned into one database,
and what a first look at it shows (a search, the findings)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import store
from pipeline.config import load_config
from pipeline.errors import CallqaError
from pipeline.run import Progress, ScanSettings, audio_settings, local_executor, local_workers, scan, worker_threads

DEMO_QUERY = "法院"


@dataclass
class DemoRun:
    label: str  # what was scanned
    progress: Progress
    audio: bool  # recordings transcribed (else transcripts imported)


@dataclass
class Demo:
    db_path: Path
    scans: list[DemoRun] = field(default_factory=list)
    hits: list[store.SearchHit] = field(default_factory=list)  # where DEMO_QUERY was said
    findings: list[tuple[str, str, float, str]] = field(default_factory=list)  # store.findings_overview


def run_demo(
    fixtures: Path,
    out: Path,
    workers: int | None = None,
    config: dict[str, Any] | None = None,
    on_progress: Callable[[Progress, str], None] = lambda progress, label: None,
) -> Demo:
    """Scan ``fixtures``' recordings (by their manifest) and then its transcript files into
    ``out/qa.db`` with ``workers`` processes (default: ``scan.workers``, else both cores).
    ``on_progress`` hears each run's progress with what it scans."""
    audio = fixtures / "audio"
    if not (audio / "manifest.csv").is_file():
        raise CallqaError(f"{fixtures}: no fixture recordings here; run the demo from a checkout (./run demo)")
    config = config if config is not None else load_config()
    workers = local_workers(config, workers)
    out.mkdir(parents=True, exist_ok=True)
    demo = Demo(out / "qa.db")
    db = store.open_db(demo.db_path)
    settings = audio_settings(config, None, worker_threads(workers))
    runs = [(str(audio), settings, {"root": audio, "manifest": audio / "manifest.csv"})]
    for transcripts in sorted((fixtures / "transcripts").glob("*.jsonl")):
        runs.append((str(transcripts), ScanSettings(transcribe=None, config=config), {"transcripts": transcripts}))
    for label, settings, sources in runs:
        with local_executor(workers) as executor:
            progress = scan(
                db,
                settings,
                executor=executor,
                arguments={k: str(v) for k, v in sources.items()},
                on_progress=lambda p, label=label: on_progress(p, label),
                **sources,
            )
        demo.scans.append(DemoRun(label, progress, audio=settings.transcribe is not None))
    demo.hits = store.search_segments(db, DEMO_QUERY, 10)
    demo.findings = store.findings_overview(db)
    return demo
