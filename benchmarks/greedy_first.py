"""Greedy decoding first, beam search again only where the greedy reading is unsure: what it
would save and what it would cost in CER (README, "Speed, accuracy and memory", the levers).

    .venv/bin/python -m benchmarks.greedy_first [FOLDER ...] [--thresholds -0.6,-0.45,-0.35]

FOLDERs hold spoken calls and their text (``benchmarks/spoken_set.py``; default the three sets
in the cache: heldout_v1, report, tune). callqa's transcriber reads every call as the scan does,
with faster-whisper's batched ``forward`` wrapped: every batch is read both greedily and with the
settings' beam, one after the other in this process (their CPU seconds side by side), and the
readings kept. Then the calls are read again for each threshold, every window taking its greedy
reading unless that is unsure: a mean token log-probability under the threshold, a repetition
loop, Whisper's silence rule, or nothing read; then the beam's. Readings already made are
reused, so only windows the choice changes (the second reading of regions left unheard) are
decoded anew. Prints CER per set and pooled, and how many windows took the beam's reading.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import time
from pathlib import Path

from benchmarks.recognition_scores import Tally
from benchmarks.spoken_set import default_folder, read_reference
from pipeline.audio import decode_blocks
from pipeline.config import load_config
from pipeline.transcribe import TranscribeSettings, load_transcriber


def unsure(reading: list[dict], threshold: float, settings: TranscribeSettings) -> bool:
    """Whether a window's greedy reading (faster-whisper's batched segments) takes the beam's."""
    return (
        not reading
        or reading[0]["avg_logprob"] < threshold
        or reading[0]["no_speech_prob"] > settings.no_speech_prob_max
        or any(piece["compression_ratio"] > settings.compression_ratio_max for piece in reading)
    )


class Readings:
    """faster-whisper's batched ``forward`` for callqa's transcriber, each window read greedily
    and with the beam once (CPU seconds of each counted), the reading given chosen by ``choose``
    (None: the beam's, as callqa reads)."""

    def __init__(self, batched, beam_size: int):
        self.forward, self.beam_size = batched.forward, beam_size
        self.batched = batched
        self.kept: dict[tuple[str, int], list[dict]] = {}
        self.cpu = {1: 0.0, beam_size: 0.0}
        self.choose = None
        self.windows = self.beam_windows = 0

    def __call__(self, features, tokenizer, metadata, options):
        keys = [hashlib.sha1(f.tobytes()).hexdigest() for f in features]
        for beam in (1, self.beam_size):
            new = [i for i, key in enumerate(keys) if (key, beam) not in self.kept]
            if new:
                started = time.process_time()
                self.batched.last_speech_timestamp = 0.0
                read = self.forward(
                    features[new], tokenizer, [metadata[i] for i in new], dataclasses.replace(options, beam_size=beam)
                )
                self.cpu[beam] += time.process_time() - started
                self.kept.update({(keys[i], beam): reading for i, reading in zip(new, read)})
        beams = [self.choose is None or self.choose(self.kept[key, 1]) for key in keys]
        self.windows += len(keys)
        self.beam_windows += sum(beams)
        return [self.kept[key, self.beam_size if beam else 1] for key, beam in zip(keys, beams)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="*", type=Path)
    parser.add_argument("--thresholds", default="-0.6,-0.45,-0.35")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    folders = args.folder or [default_folder(name) for name in ("heldout_v1", "report", "tune")]
    settings = TranscribeSettings.from_config(load_config(), cpu_threads=args.threads)
    transcriber = load_transcriber(settings)
    readings = Readings(transcriber._batched, settings.beam_size)
    transcriber._batched.forward = readings

    def cer(label: str) -> None:
        readings.windows = readings.beam_windows = 0
        errors, lengths = {}, {}
        for folder in folders:
            tally = Tally()
            for call in read_reference(folder):
                heard = [
                    s.__dict__ for _, said in transcriber.transcribe_blocks(decode_blocks(call["path"])) for s in said
                ]
                tally.add(call["segments"], heard)
            errors[folder.name], lengths[folder.name] = sum(tally.errors.values()), sum(tally.length.values())
        sets = " ".join(f"{name} {errors[name] / lengths[name]:.3f}" for name in errors)
        pooled = sum(errors.values()) / sum(lengths.values())
        print(
            f"{label:>28}: beam read {readings.beam_windows:>3} of {readings.windows} windows; CER {sets}, all {pooled:.3f}"
        )

    cer(f"beam {settings.beam_size}")
    print(f"CPU s of the batched decoding: greedy {readings.cpu[1]:.1f}, beam {readings.cpu[settings.beam_size]:.1f}")
    for threshold in [-99.0, *map(float, args.thresholds.split(","))]:
        readings.choose = lambda reading, threshold=threshold: unsure(reading, threshold, settings)
        cer("greedy" if threshold == -99.0 else f"greedy, beam under {threshold}")


if __name__ == "__main__":
    main()
