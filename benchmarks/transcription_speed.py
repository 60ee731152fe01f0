"""Print how fast the bundled Whisper model transcribes a recording, sequential vs batched.

    python benchmarks/transcription_speed.py [FILE] [--threads N] [--batch-size N] [--repeat N]

Speed is audio seconds per wall-clock second ("x real time"), counting the call's duration
once (a stereo call's two channels are both transcribed in that time). Model loading and
decoding are not timed; the best of --repeat runs is printed, since other work on the
machine only ever slows a run down.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.audio import decode
from pipeline.transcribe import Transcriber, TranscribeSettings

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "fixtures/audio/violation_stereo_16k.wav"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    audio = decode(args.file)
    print(f"{args.file}: {audio.duration:.1f} s, {len(audio.channels)} channel(s), "
          f"beam {args.beam_size}, {args.threads} threads")
    for label, batch_size in (("sequential", 0), (f"batched ({args.batch_size})", args.batch_size)):
        transcriber = Transcriber(TranscribeSettings(
            beam_size=args.beam_size, cpu_threads=args.threads, batch_size=batch_size))
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            segments = transcriber.transcribe(audio)
            times.append(time.perf_counter() - started)
        best = min(times)
        print(f"  {label:14} {best:6.2f} s  {audio.duration / best:5.1f}x real time  "
              f"({len(segments)} segments)")


if __name__ == "__main__":
    main()
