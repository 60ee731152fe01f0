"""Transcription throughput: callqa against what a user would write with faster-whisper alone.

    .venv/bin/python -m benchmarks.throughput [FOLDER] [--rounds 2] [--calls N] [--threads 2]

FOLDER holds stereo calls and their known text (``reference.jsonl``, as written by
``benchmarks/spoken_set.py``; default: the Kokoro-spoken set in the cache, spoken first if
missing). Three systems transcribe every call with the same model (the bundled Whisper base,
int8) and ``--threads`` CPU threads in all, in fresh processes:

* ``callqa``: ``pipeline.transcribe.load_transcriber`` with the settings of callqa.yaml, run as
  ``callqa scan`` runs it: ``--workers`` processes (default ``scan.workers``: both cores) of
  ``threads // workers`` threads each, the calls dealt out in turn;
* ``plain``: ``WhisperModel.transcribe`` per channel, beam 5, ``vad_filter=True``;
* ``batched``: faster-whisper's ``BatchedInferencePipeline`` per channel, batch 8 (its VAD).

The plain loop and the batched pipeline run in one process, as a user writes them.

``--long 10,120`` measures memory in call length instead: callqa alone (one process of
``threads // workers`` threads, as a scan worker reads a file) on mono MP3 calls of those many
minutes (one spoken line a minute, silence between), printing peak resident memory
and speed for each; a call's length should not change the peak. With ``--talk`` the calls are
talk throughout (the set's lines half a second apart): every batch of windows full, the most
memory a call of any length takes.

``--systems`` picks and orders them; ``callqa:KEY=VALUE;KEY=VALUE`` is callqa with transcription
settings changed (e.g. ``callqa:domain_prompt=false``), to compare settings the same way, and
``SYSTEM@N`` runs a system in N processes of ``threads // N`` threads (``plain@2``: two plain
loops side by side, each on half the calls; ``callqa@1``: callqa in one process).

The systems run one after another, alternated over ``--rounds`` (the machine is shared), and
each prints: audio seconds per wall second (decoding included, model loading not), CPU seconds,
peak resident memory (model loading included: the process's own, exact, plus the ffmpeg it runs,
sampled), CER per channel, domain-word recall, and how many segments span a turn of the other
party. Ratios against ``plain`` are
taken within each round. The plain loop decodes a window again, sampling at higher temperatures,
when its beam loops or reads too unsure; a call where it does costs it 3-5 times as much, so a
line per round says on how many calls it fell back, what they cost, and each system's CPU on the
other calls (README, "Speed, accuracy and memory": the fallbacks are what set the spoken sets apart).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

SYSTEMS = ("callqa", "plain", "batched")


# --- one system, in its own process ------------------------------------------------------------


def _load(system: str, threads: int, batch_size: int):
    """A function from an audio path to segment dicts, with the model loaded, and a dict in which
    the plain loop counts its ``fallbacks``: windows decoded again at a higher temperature."""
    if system.startswith("callqa"):
        import yaml

        from pipeline.audio import decode_blocks
        from pipeline.config import load_config
        from pipeline.transcribe import TranscribeSettings, load_transcriber

        # "callqa:domain_prompt=false;beam_size=3": callqa with these settings changed.
        changes = [pair.split("=", 1) for pair in system.partition(":")[2].split(";") if pair]
        overrides = {key: yaml.safe_load(value) for key, value in changes}
        settings = TranscribeSettings.from_config(load_config(), cpu_threads=threads, **overrides)
        transcriber = load_transcriber(settings)

        def run(path):
            # As the scan reads a file: block by block, each block's samples let go before the next.
            segments = []
            for audio, heard in transcriber.transcribe_blocks(decode_blocks(path)):
                del audio
                segments += [s.__dict__ for s in heard]
            return segments

        return run, {}

    from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio

    from pipeline.model import resolve_model

    model = WhisperModel(str(resolve_model(None)), compute_type="int8", cpu_threads=threads, local_files_only=True)
    batched = BatchedInferencePipeline(model)
    counts = {"fallbacks": 0}
    decode = model.generate_with_fallback

    def counted(*args):
        # A window whose greedy beam loops or reads too unsure is sampled again at temperatures
        # 0.2 ... 1.0, five hypotheses each: what makes some calls cost the plain loop 3-5 times more.
        result = decode(*args)
        counts["fallbacks"] += result[2] > 0
        return result

    model.generate_with_fallback = counted

    def run(path):
        segments = []
        for speaker, samples in zip(("agent", "customer"), decode_audio(path, split_stereo=True)):
            if system == "plain":
                pieces, _ = model.transcribe(samples, language="zh", beam_size=5, vad_filter=True)
            else:
                pieces, _ = batched.transcribe(samples, language="zh", beam_size=5, batch_size=batch_size)
            segments += [{"speaker": speaker, "start": p.start, "end": p.end, "text": p.text} for p in pieces]
        return segments

    return run, counts


def run_one(system: str, paths: list[str], threads: int, batch_size: int) -> None:
    run, counts = _load(system, threads, batch_size)
    wall = time.perf_counter()
    heard, calls = [], []
    for path in paths:
        cpu, fallbacks = _cpu(), counts.get("fallbacks", 0)
        heard.append(run(path))
        calls.append({"cpu": _cpu() - cpu, "fallbacks": counts.get("fallbacks", 0) - fallbacks})
    wall = time.perf_counter() - wall
    cpu_s = sum(call["cpu"] for call in calls)
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps({"wall": wall, "cpu": cpu_s, "max_rss": max_rss, "calls": calls, "heard": heard}, ensure_ascii=False)
    )


def _cpu() -> float:
    """CPU seconds this process has spent, all its threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the comparison --------------------------------------------------------------------------


def _children_rss(*roots: int) -> int:
    """Resident bytes of the programs ``roots`` run (ffmpeg), all their descendants that have
    started a program of their own, from one reading of /proc. A child between fork and exec shares its parent's memory and
    /proc shows it at its parent's size: counted, it doubled callqa's peak for an instant each
    time it started ffmpeg, and which of these instants a sampler caught made the peak vary from
    run to run of the same calls (0.79-1.32 GB)."""
    parents, rss, exe = {}, {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            exe[int(entry)] = os.readlink(f"/proc/{entry}/exe")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = set(), list(roots)
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss[pid] for pid in tree if pid in exe and exe[pid] != exe.get(parents[pid]))


def measure(system: str, paths: list[str], threads: int, batch_size: int, workers: int = 1) -> dict:
    """Run ``system`` over ``paths`` in ``workers`` processes of ``threads // workers`` CPU
    threads each, the calls dealt out in turn (``callqa scan`` hands each file to whichever
    worker is free, which waits less at the end), their results put back in call order. Wall
    time is the slowest process's (model loading not counted), CPU seconds the sum, peak memory
    the sum of the processes' peaks (an upper bound of what they held at once) plus the programs
    they run."""
    command = [sys.executable, "-m", "benchmarks.throughput", "--system", system]
    command += ["--threads", str(max(1, threads // workers)), "--batch-size", str(batch_size)]
    workers = max(1, min(workers, len(paths)))
    root = Path(__file__).resolve().parent.parent
    processes = [
        subprocess.Popen([*command, *paths[i::workers]], stdout=subprocess.PIPE, text=True, cwd=root)
        for i in range(workers)
    ]
    children = [0]

    def sample():
        while any(process.poll() is None for process in processes):
            children[0] = max(children[0], _children_rss(*(process.pid for process in processes)))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    outs = [process.communicate()[0] for process in processes]
    sampler.join()
    if any(process.returncode != 0 for process in processes):
        raise SystemExit(f"{system} failed (exit {', '.join(str(p.returncode) for p in processes)})")
    result = gathered([json.loads(out.strip().splitlines()[-1]) for out in outs])
    result["peak_rss"] += children[0]
    return result


def gathered(parts: list[dict]) -> dict:
    """One result from the processes' own (``run_one``'s), the calls dealt to process ``i`` of
    ``n`` being calls ``i, i + n, ...``: each call's figures back in its place."""
    n, count = len(parts), sum(len(part["calls"]) for part in parts)
    calls, heard = [None] * count, [None] * count
    for i, part in enumerate(parts):
        calls[i::n], heard[i::n] = part["calls"], part["heard"]
    return {
        "wall": max(part["wall"] for part in parts),
        "cpu": sum(part["cpu"] for part in parts),
        # The processes' own peaks are exact (the kernel's high-water mark); their programs' are
        # sampled and added by ``measure``.
        "peak_rss": sum(part["max_rss"] for part in parts),
        "calls": calls,
        "heard": heard,
    }


def long_call(folder: Path, calls: list[dict], minutes: int, talk: bool = False) -> Path:
    """A mono MP3 of ``minutes``: the lines of the first call one a minute, in turn, silence
    between; with ``talk``, the lines of all ``calls`` in turn, half a second apart, throughout."""
    import numpy as np

    from pipeline.audio import SAMPLE_RATE, decode, ffmpeg_binary

    path = folder / f"{'talk' if talk else 'long'}_{minutes}min.mp3"
    if path.is_file():
        return path
    lines = []
    for call in calls if talk else calls[:1]:
        samples = decode(call["path"], channel_mode="mono").channels[0][1]
        lines += [samples[int(seg["start"] * SAMPLE_RATE) : int(seg["end"] * SAMPLE_RATE)] for seg in call["segments"]]
    encoder = subprocess.Popen(
        [
            ffmpeg_binary(),
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "f32le",
            "-ar",
            str(SAMPLE_RATE),
            "-ac",
            "1",
            "-i",
            "pipe:",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "32k",
            str(path),
        ],
        stdin=subprocess.PIPE,
    )
    if talk:
        pause, left, n = np.zeros(SAMPLE_RATE // 2, np.float32), minutes * 60 * SAMPLE_RATE, 0
        while left > 0:
            block = np.concatenate([lines[n % len(lines)], pause])[:left]
            encoder.stdin.write(block.tobytes())
            left, n = left - len(block), n + 1
    for minute in range(0 if talk else minutes):
        block = np.zeros(60 * SAMPLE_RATE, np.float32)
        line = lines[minute % len(lines)][: 50 * SAMPLE_RATE]
        block[5 * SAMPLE_RATE : 5 * SAMPLE_RATE + len(line)] = line
        encoder.stdin.write(block.tobytes())
    encoder.stdin.close()
    encoder.wait()
    return path


def fallback_account(results: dict) -> str:
    """How much of the plain loop's CPU went to calls where it fell back to sampling, and each
    system's CPU on the other calls: the ratio without the fallbacks' cost."""
    plain = results["plain"]["calls"]
    fell = [i for i, call in enumerate(plain) if call["fallbacks"]]
    line = (
        f"      plain loop fell back on {len(fell)} of {len(plain)} calls "
        f"({sum(plain[i]['fallbacks'] for i in fell)} windows sampled again), {sum(plain[i]['cpu'] for i in fell):.0f} of its "
        f"{results['plain']['cpu']:.0f} CPU s; CPU s on the other calls (the plain loop's over each):"
    )
    others = {name: sum(c["cpu"] for i, c in enumerate(r["calls"]) if i not in fell) for name, r in results.items()}
    return line + "".join(f" {name} {cpu:.0f} ({others['plain'] / cpu:.2f}x)" for name, cpu in others.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--calls", type=int, default=0, help="only the first N calls (0: all)")
    parser.add_argument(
        "--threads", type=int, default=2, help="CPU threads for each system, all its processes together"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="callqa's processes (default: as `callqa scan` runs, scan.workers)"
    )
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--long", help="minutes, comma-separated: memory on long mono calls")
    parser.add_argument("--talk", action="store_true", help="long calls talk throughout (every batch full)")
    parser.add_argument("--system", help=argparse.SUPPRESS)  # internal: run one system on FILES
    args = parser.parse_args()
    if args.system:
        run_one(args.system, [str(p) for p in args.folder], args.threads, args.batch_size)
        return

    from benchmarks.recognition_scores import Tally
    from benchmarks.spoken_set import ensure, read_reference
    from pipeline.config import load_config
    from pipeline.run import local_workers

    workers = local_workers(load_config(), args.workers)
    folder = ensure(args.folder[0] if args.folder else None)
    calls = read_reference(folder)
    if args.long:
        for minutes in map(int, args.long.split(",")):
            path = long_call(folder, calls, minutes, args.talk)
            result = measure("callqa", [str(path)], args.threads, args.batch_size, workers)
            print(
                f"{minutes:>4} min mono MP3{' of talk' if args.talk else ''}: peak RSS {result['peak_rss'] / 2**30:.2f} G, "
                f"{result['cpu']:.0f} CPU s, {minutes * 60 / result['wall']:.1f} audio s/wall s, {len(result['heard'][0])} segments",
                flush=True,
            )
        return
    if args.calls:
        calls = calls[: args.calls]
    audio_s = sum(c["duration"] for c in calls)
    systems = args.systems.split(",")
    print(
        f"{len(calls)} stereo calls, {audio_s:.0f} s of audio, {args.threads} threads a system "
        f"(callqa: {workers} processes of {max(1, args.threads // workers)}, as `callqa scan` runs), "
        f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f})"
    )
    width = max(8, *map(len, systems))
    print(
        f"{'round':>5} {'system':>{width}} {'audio s/wall s':>14} {'CPU s':>6} {'peak RSS':>9} "
        f"{'CER':>5} {'agent':>5} {'cust.':>5} {'recall':>6} {'spanning':>9}  vs plain"
    )
    for round_ in range(1, args.rounds + 1):
        order = systems[round_ - 1 :] + systems[: round_ - 1]  # alternate who goes first
        results = {}
        for system in order:
            name, _, count = system.partition("@")
            processes = int(count) if count else workers if name.startswith("callqa") else 1
            result = measure(name, [c["path"] for c in calls], args.threads, args.batch_size, processes)
            tally = Tally()
            for call, heard in zip(calls, result["heard"]):
                tally.add(call["segments"], heard)
            result.update(speed=audio_s / result["wall"], tally=tally)
            results[system] = result
        for system in systems:
            r, t = results[system], results[system]["tally"]
            ratio = f"{r['speed'] / results['plain']['speed']:.2f}x" if "plain" in results else ""
            print(
                f"{round_:>5} {system:>{width}} {r['speed']:>14.2f} {r['cpu']:>6.0f} "
                f"{r['peak_rss'] / 2**30:>7.2f} G {t.cer():>5.3f} {t.cer('agent'):>5.3f} "
                f"{t.cer('customer'):>5.3f} {t.recall():>6.2f} {t.spanning:>4}/{t.segments:<4}  {ratio}"
            )
        if "plain" in results:
            print(fallback_account(results), flush=True)
        print(
            f"      domain words heard ({', '.join(systems)}): "
            + " | ".join(results[s]["tally"].recall_by_word() for s in systems),
            flush=True,
        )


if __name__ == "__main__":
    main()
