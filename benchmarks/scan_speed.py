"""Scan speed on the bundled fixture audio: real-time factor with 1 and 2 worker processes,
batched (the default, batch_size 8) and sequential decoding.

    .venv/bin/python benchmarks/scan_speed.py [--repeat 3] [--beam-size 5]

Prints audio seconds, wall seconds and speed (audio seconds per wall second) per setting.
Each setting scans into a fresh temporary database, so nothing is skipped.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from pipeline.config import load_config
from pipeline.run import ScanSettings, local_executor, scan
from pipeline.store import open_db
from pipeline.transcribe import TranscribeSettings

AUDIO = Path(__file__).resolve().parent.parent / "fixtures" / "audio"


def run(workers: int, beam_size: int, batch_size: int) -> tuple[float, float]:
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
    return progress.audio_seconds, progress.elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--beam-size", type=int, default=5)
    args = parser.parse_args()
    print(f"{'workers':>7} {'batch':>5} {'audio s':>8} {'wall s':>7} {'x real time':>11}")
    for workers, batch in ((2, 8), (1, 8), (1, 0)):  # the default first: 2 workers, batched
        for _ in range(args.repeat):
            audio, wall = run(workers, args.beam_size, batch)
            print(f"{workers:>7} {batch:>5} {audio:>8.1f} {wall:>7.1f} {audio / wall:>11.1f}")


if __name__ == "__main__":
    main()
