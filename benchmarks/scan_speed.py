"""Scan speed on the bundled fixture audio: real-time factor with 1 and 2 worker processes,
batched (the default, batch_size 8) and sequential decoding.

    .venv/bin/python benchmarks/scan_speed.py [--repeat 3] [--beam-size 5]

Prints audio seconds, wall seconds and speed (audio seconds per wall second) per setting.
Each setting scans into a fresh temporary database, so nothing is skipped.

Then the share of the acoustic measures in a scan (issue 15: under 3 %): after a default scan,
the two things the measures add to it are timed again on its own results, in the same run:
each segment's loudness on the decoded channels (``acoustics.segment_loudness``, in the per-file
stage) and the ``call_metrics`` rows (``metrics.refresh_metrics``, when the run finishes).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from pipeline.acoustics import segment_loudness
from pipeline.audio import SAMPLE_RATE, decode
from pipeline.config import load_config
from pipeline.metrics import refresh_metrics
from pipeline.run import ScanSettings, local_executor, scan
from pipeline.store import load_call, open_db
from pipeline.transcribe import TranscribeSettings

AUDIO = Path(__file__).resolve().parent.parent / "fixtures" / "audio"


def run(workers: int, beam_size: int, batch_size: int, measure_metrics: bool = False) -> tuple[float, float]:
    config = load_config()
    threads = max(1, (os.cpu_count() or 1) // workers)
    settings = ScanSettings(
        transcribe=TranscribeSettings.from_config(
            config, model=None, cpu_threads=threads, beam_size=beam_size, batch_size=batch_size
        ),
        config=config,
    )
    with tempfile.TemporaryDirectory() as tmp:
        with local_executor(workers) as executor:
            progress = scan(open_db(Path(tmp) / "bench.db"), settings, root=AUDIO, executor=executor)
        if measure_metrics:
            print_metrics_share(open_db(Path(tmp) / "bench.db"), progress.elapsed, workers)
    return progress.audio_seconds, progress.elapsed


def print_metrics_share(db, scan_wall: float, workers: int) -> None:
    """The acoustic measures' time on this scan's calls, as a share of the scan's wall time
    (the per-file part runs on ``workers`` processes in the scan, so it counts 1/workers)."""
    calls = db.execute("SELECT id, source_path FROM calls WHERE status = 'ok'").fetchall()
    per_file = 0.0
    for call_id, path in calls:
        channels, segments = decode(path).channels, load_call(db, call_id).segments
        started = time.perf_counter()
        segment_loudness(channels, segments, SAMPLE_RATE)
        per_file += time.perf_counter() - started
    t1 = time.perf_counter()
    refresh_metrics(db)
    table = time.perf_counter() - t1
    share = (per_file / workers + table) / scan_wall
    print(
        f"acoustic measures: loudness {per_file * 1000:.1f} ms over {len(calls)} recordings, call_metrics "
        f"{table * 1000:.1f} ms; {share:.2%} of the scan's {scan_wall:.1f} s (target: under 3 %)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--beam-size", type=int, default=5)
    args = parser.parse_args()
    print(f"{'workers':>7} {'batch':>5} {'audio s':>8} {'wall s':>7} {'x real time':>11}")
    for workers, batch in ((2, 8), (1, 8), (1, 0)):  # the default first: 2 workers, batched
        for repeat in range(args.repeat):
            audio, wall = run(workers, args.beam_size, batch, measure_metrics=(workers, batch, repeat) == (2, 8, 0))
            print(f"{workers:>7} {batch:>5} {audio:>8.1f} {wall:>7.1f} {audio / wall:>11.1f}")


if __name__ == "__main__":
    main()
