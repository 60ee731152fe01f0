"""A labelled set of whole calls, spoken once with Kokoro and cached outside git.

    .venv/bin/python -m benchmarks.spoken_set [--calls ho-001,ho-018,...] [--folder DIR]

Each call of ``fixtures/labelled/heldout_v1/calls.jsonl`` (a retired held-out set) is spoken
line by line (``fixtures/speak.py``: agent and customer voices on the left and right channels)
and written as an 8 kHz stereo WAV, as call-centre recorders store them, into
``$CALLQA_CACHE/e2e`` (default ``~/.cache/callqa/e2e``). ``reference.jsonl`` beside the audio
holds each call as spoken: the labelled text, the spoken start and end of every line, and the
call's labels. The throughput and end-to-end benchmarks read that folder.

Needs the ``synth`` extra (``pip install -e '.[synth]'``); speaking costs about twice real
time per core, and lines already spoken are reused from the cache.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "fixtures" / "labelled" / "heldout_v1" / "calls.jsonl"
# Two calls per core category plus clean ones, about ten minutes of speech; stereo calls only
# (the set has mono variants whose speakers are unknown).
DEFAULT_CALLS = (
    "ho-001",
    "ho-013",  # threat
    "ho-018",
    "ho-026",  # impersonation (and missing disclosure)
    "ho-033",
    "ho-041",  # exaggeration
    "ho-060",
    "ho-070",  # third-party leak
    "ho-049",  # missing disclosure
    "ho-075",
    "ho-087",
    "ho-092",  # clean
)


def default_folder() -> Path:
    from pipeline.model import cache_root

    return cache_root() / "e2e"


def read_reference(folder: Path) -> list[dict]:
    """The calls of a spoken set, as written by ``build``; each has ``path`` to its audio."""
    with open(folder / "reference.jsonl", encoding="utf-8") as handle:
        calls = [json.loads(line) for line in handle if line.strip()]
    for call in calls:
        call["path"] = str(folder / call["file"])
    return calls


def build(folder: Path, call_ids=DEFAULT_CALLS, labelled: Path = LABELLED) -> list[dict]:
    """Speak the calls not yet in ``folder``; return every call of the set."""
    from fixtures.speak import speak_call, write_audio

    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(call_ids)
    with open(labelled, encoding="utf-8") as handle:
        sources = [c for c in map(json.loads, handle) if c["call_id"] in wanted]
    calls = []
    for source in sources:
        spoken = speak_call([(s["speaker"], s["text"]) for s in source["segments"]])
        name = f"{source['call_id']}.wav"
        if not (folder / name).is_file():
            write_audio(spoken, folder / name, ["-ar", "8000", "-c:a", "pcm_s16le"], channels=2)
        call = {k: v for k, v in source.items() if k != "segments"}
        call.update(file=name, duration=spoken.duration, segments=spoken.lines)
        calls.append(call)
        print(f"{name}: {spoken.duration:.1f} s", flush=True)
    with open(folder / "reference.jsonl", "w", encoding="utf-8") as out:
        for call in calls:
            out.write(json.dumps(call, ensure_ascii=False) + "\n")
    return calls


def ensure(folder: Path | None = None) -> Path:
    """``folder`` (default the cache's e2e set), spoken first if it has no reference yet."""
    folder = folder or default_folder()
    if not (folder / "reference.jsonl").is_file():
        build(folder)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", default=",".join(DEFAULT_CALLS))
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    build(args.folder or default_folder(), args.calls.split(","))


if __name__ == "__main__":
    main()
