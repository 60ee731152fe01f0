"""Print how fast the bundled Whisper model transcribes a recording, sequential vs batched.

    python -m benchmarks.transcription_speed [FILE] [--loops N] [--threads N] [--batch-size N]

--loops N plays the recording N times over (a longer call with the same turns), since speed
on a few turns says little about a five-minute call.

Speed is audio seconds per second ("x real time"), counting the call's duration once (a
stereo call's two channels are both transcribed in that time), by the wall clock and by the
process's CPU time divided by --threads (what the wall clock would read on an idle machine
with that many cores; on a shared machine the wall clock mostly measures the neighbours).
Model loading and decoding are not timed; the best of --repeat runs is printed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from pipeline.audio import decode
from pipeline.transcribe import TranscribeSettings, load_transcriber

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "fixtures/audio/violation_stereo_16k.wav"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--loops", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    audio = decode(args.file)
    audio.channels = [(role, np.tile(samples, args.loops)) for role, samples in audio.channels]
    audio.duration *= args.loops
    print(
        f"{args.file}: {audio.duration:.1f} s, {len(audio.channels)} channel(s), "
        f"beam {args.beam_size}, {args.threads} threads"
    )
    for label, batch_size in (("sequential", 0), (f"batched ({args.batch_size})", args.batch_size)):
        transcriber = load_transcriber(
            TranscribeSettings(beam_size=args.beam_size, cpu_threads=args.threads, batch_size=batch_size)
        )
        walls, cpus = [], []
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            segments = transcriber.transcribe(audio)
            walls.append(time.perf_counter() - wall)
            cpus.append((time.process_time() - cpu) / args.threads)
        print(
            f"  {label:14} wall {min(walls):6.2f} s = {audio.duration / min(walls):5.1f}x real time;"
            f"  CPU/threads {min(cpus):6.2f} s = {audio.duration / min(cpus):5.1f}x  "
            f"({len(segments)} segments)"
        )


if __name__ == "__main__":
    main()
