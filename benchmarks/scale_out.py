"""Scale-out figures: the local process pool against Ray on this machine, the single SQLite
writer's rate, and what N nodes would do.

    .venv/bin/python benchmarks/scale_out.py [--files 8] [--repeat 2] [--workers 2] [--cores-per-node 16]

1. An archive of ``--files`` distinct stereo recordings (the bundled 18-second stereo fixture,
   each copy with one sample changed by one step so every file has its own hash) is scanned
   with ``--engine local`` and ``--engine ray`` into fresh databases, alternated ``--repeat``
   times, same workers and threads. Ray is started once before the timing (its start-up is
   printed apart: a cluster is started once, not per scan).
2. The driver's write rate: ``store.save_call`` of typical calls (40 segments, 3 findings)
   into a fresh database, one transaction each, as the run writes them.
3. A projection: nodes × the measured per-worker rate against the writer's rate.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scipy.io import wavfile

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.calls import Call, CallRecord, Finding, Segment  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.run import audio_settings, local_executor, make_executor, scan, worker_threads  # noqa: E402
from pipeline.store import open_db, save_call  # noqa: E402

STEREO = Path(__file__).resolve().parent.parent / "fixtures" / "audio" / "violation_stereo_16k.wav"


def make_archive(folder: Path, files: int) -> None:
    rate, samples = wavfile.read(STEREO)
    for i in range(files):
        copy = samples.copy()
        copy[1000 + i, 0] += 1  # one step of one sample: a distinct file, the same speech
        wavfile.write(folder / f"call-{i:04d}.wav", rate, copy)


def timed_scan(archive: Path, engine: str, workers: int) -> tuple[float, float, int]:
    """(wall seconds, audio seconds, calls) of one scan into a fresh database."""
    config = load_config()
    threads = 1 if engine == "ray" else worker_threads(workers)
    settings = audio_settings(config, None, threads)
    executor = make_executor(engine, workers) if engine == "ray" else local_executor(workers)
    with tempfile.TemporaryDirectory() as tmp, executor:
        start = time.perf_counter()
        progress = scan(open_db(Path(tmp) / "bench.db"), settings, root=archive, executor=executor)
        wall = time.perf_counter() - start
    assert progress.failed == 0, progress.failures
    return wall, progress.audio_seconds, progress.ok


def writer_rate(calls: int = 2000) -> float:
    """Calls per second that one SQLite writer stores, one transaction per call."""
    segments = [
        Segment(i * 2.0, i * 2.0 + 1.8, "agent" if i % 2 else "customer", "您好，您的账单已经逾期了，请尽快处理")
        for i in range(40)
    ]
    findings = [Finding("c", "threat", "high", 0.9, 2.0, 3.8, "agent", 1, "逾期", ["C1"], "lexicon:threat", "说明")] * 3
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "w.db")
        start = time.perf_counter()
        for i in range(calls):
            save_call(
                db,
                CallRecord(
                    Call(f"c{i}", segments), f"/archive/c{i}.wav", f"{i:064x}", duration=80.0, findings=findings
                ),
            )
        return calls / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cores-per-node", type=int, default=16, help="for the projection")
    args = parser.parse_args()

    import ray

    start = time.perf_counter()
    ray.init(address="local", num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
    print(f"Ray start-up on this machine: {time.perf_counter() - start:.1f} s (once per cluster, not timed below)")
    walls: dict[str, list[float]] = {"local": [], "ray": []}
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp)
        make_archive(archive, args.files)
        print(f"{args.files} stereo files, {args.workers} workers, 1 model thread each\n")
        print(f"{'engine':<7}{'wall s':>8}{'audio s':>9}{'x real time':>13}{'calls/s':>9}")
        for _ in range(args.repeat):
            for engine in ("local", "ray"):
                wall, audio, calls = timed_scan(archive, engine, args.workers)
                walls[engine].append(wall)
                print(f"{engine:<7}{wall:>8.1f}{audio:>9.1f}{audio / wall:>13.1f}{calls / wall:>9.2f}")
    ray.shutdown()
    local, on_ray = statistics.median(walls["local"]), statistics.median(walls["ray"])
    print(f"\nmedian wall: local {local:.1f} s, ray {on_ray:.1f} s; ray / local = {on_ray / local:.3f}")

    per_worker = args.files / on_ray / args.workers  # calls/s one Ray worker (one core) sustains
    writes = writer_rate()
    print(f"\nper worker (one core): {per_worker:.3f} calls/s of {STEREO.name} (18 s stereo)")
    print(f"one SQLite writer: {writes:.0f} calls/s (40 segments, 3 findings, one transaction each)")
    print(
        f"\nprojection, {args.cores_per_node} cores per node, calls of 18 s; "
        "a 3-minute call takes about 10x longer per worker, so divide worker rates by 10 for those:"
    )
    print(f"{'nodes':>6}{'workers':>9}{'calls/s':>10}{'writer busy':>13}")
    for nodes in (1, 2, 4, 8, 16, 32, 64, 128, 256):
        workers = nodes * args.cores_per_node
        rate = workers * per_worker
        print(f"{nodes:>6}{workers:>9}{min(rate, writes):>10.1f}{min(rate / writes, 1):>12.0%}")
    limit = writes / per_worker
    print(
        f"\nthe writer becomes the limit at about {limit:.0f} workers of 18-second calls "
        f"({limit * 10:.0f} workers of 3-minute calls)"
    )


if __name__ == "__main__":
    main()
