"""Labelled sets of whole calls, spoken once with Kokoro and cached outside git.

    .venv/bin/python -m benchmarks.spoken_set [--set report|tune|dev|heldout_v1] [--calls ho-001,...] [--folder DIR]
        [--quota N] [--clean N] [--writers w6,w7,...]

Four sets:

* ``report`` (the end-to-end benchmark's): a fixed selection of calls by all twelve report writers
  (``fixtures/labelled/writers/report``, never tuned on), chosen by ``select_calls`` from their
  labels and lengths only, never from their words or from how the engine scores them: 65 calls,
  16 or more per core category, 12 clean (``Selection``; the 36-call draw before the seventeenth
  round is ``--quota 8 --clean 6``). ``--quota``, ``--clean`` and ``--writers`` change the draw; the 14-call draw of 2026-12-02 to 12-04 is ``--quota 3 --clean 3
  --writers w6,w7,w11,w12,w13,w14`` (``OLD_REPORT_SELECTION``). Spoken into
  ``$CALLQA_CACHE/e2e-report`` (every draw into the same folder: the audio is named by what is
  said, and ``reference.jsonl`` holds the draw built last).
* ``tune``: the same draw from eight tune writers (``fixtures/labelled/writers/tune``), whose calls
  and errors may be read: where recognition's losses are diagnosed and levers chosen; 3 per core
  category and 3 clean (13 calls) unless ``--quota``/``--clean`` say otherwise. Spoken into
  ``$CALLQA_CACHE/e2e-tune``.
* ``dev``: every call of the dev writers named with ``--writers`` (``fixtures/labelled/writers/dev``,
  writers nobody reads) unless ``--quota``/``--clean`` draw fewer: a recognition figure on writers
  no tuner has seen, read as figures only, like the report set. Spoken into ``$CALLQA_CACHE/e2e-dev``.
* ``heldout_v1`` (the throughput benchmark's): twelve stereo calls of the retired held-out set
  ``fixtures/labelled/heldout_v1``, spoken into ``$CALLQA_CACHE/e2e``.

Each call is spoken line by line (``fixtures/speak.py``: agent and customer voices on the left
and right channels) and written as an 8 kHz stereo WAV, as call-centre recorders store them,
named by the call and a digest of its lines and voices (a changed call is spoken anew, an
unchanged one never). ``reference.jsonl`` beside the audio holds each call as spoken: the
labelled text, the spoken start and end of every line, and the call's labels.
``$CALLQA_CACHE`` defaults to ``~/.cache/callqa``.

Needs the ``synth`` extra (``pip install -e '.[synth]'``); speaking costs about twice real
time per core, and lines already spoken are reused from the cache.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from dataclasses import dataclass, replace
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELDOUT_V1 = ROOT / "fixtures" / "labelled" / "heldout_v1" / "calls.jsonl"
REPORT_WRITERS = ROOT / "fixtures" / "labelled" / "writers" / "report"
TUNE_WRITERS = ROOT / "fixtures" / "labelled" / "writers" / "tune"
DEV_WRITERS = ROOT / "fixtures" / "labelled" / "writers" / "dev"
# Two calls per core category plus clean ones, about ten minutes of speech; stereo calls only
# (the set has mono variants whose speakers are unknown).
HELDOUT_V1_CALLS = (
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


# Every report writer (fixtures/labelled/writers/report/), in the order the draw reads them.
REPORT_WRITER_IDS = ("w6", "w7", "w11", "w12", "w13", "w14", "w17", "w18", "w21", "w22", "w25", "w26")


@dataclass(frozen=True)
class Selection:
    """How ``select_calls`` draws the report set. Fixed: a figure is comparable across runs only
    on the same calls, and nobody chooses these numbers by the figure they give."""

    # 65 calls from all twelve report writers, about 44 minutes of speech (every core category on
    # 16-31 of them, 12 clean), since the seventeenth round: the 36 calls before (quota 8, 6 clean,
    # ``--quota 8 --clean 6``) could not tell the loss to recognition from 0.05 (95% interval
    # 0.034-0.118). About 40 s of synthesis per call on a shared 2-core machine, so a first run
    # speaks for about 45 minutes; reruns speak nothing.
    per_category: int = 16  # calls labelled with each core category, at least (a call counts for all its labels)
    clean: int = 12  # calls with no label at all
    max_chars: int = 200  # characters of text per call (under 50 s of speech): synthesis stays affordable
    seed: int = 20261202
    # The writers drawn from. A writer added to the split later would reshuffle the draw, and every
    # figure before it would stop being comparable: name the writers, never "all of the folder".
    writers: tuple[str, ...] = REPORT_WRITER_IDS


# The draw of 2026-12-02 to 2026-12-04 (issue 13's figures up to the fourteenth round: 14 calls of
# the six report writers of the time). Reached from the command line with
# ``--quota 3 --clean 3 --writers w6,w7,w11,w12,w13,w14``.
OLD_REPORT_SELECTION = Selection(per_category=3, clean=3, writers=("w6", "w7", "w11", "w12", "w13", "w14"))

# The tune set: the same draw from the tune writers, whose calls may be read, to find what
# recognition loses before the report set is measured. Its quota stays at the old size (13 calls)
# unless ``--quota`` / ``--clean`` enlarge it.
TUNE_SELECTION = Selection(per_category=3, clean=3, writers=("w1", "w2", "w3", "w5", "w9", "w10", "w15", "w16"))
# The dev set: every eligible call of the writers named (no default: dev grows round by round).
DEV_SELECTION = Selection(per_category=99, clean=99, writers=())


def call_chars(call: dict) -> int:
    return sum(len(s["text"]) for s in call["segments"])


def select_calls(calls: list[dict], categories, selection: Selection = Selection()) -> list[dict]:
    """A stratified draw from ``calls`` by their labels and lengths alone.

    Eligible: calls without variants (the writer's text as written, in stereo: recognition noise
    is what the speech is meant to add, and mono calls have no speakers) and at most
    ``max_chars`` long. Each writer's eligible calls are shuffled with the seed and the writers
    take turns; a call is taken while one of its core categories has fewer than ``per_category``
    calls, a call without labels while there are fewer than ``clean`` of them. Calls labelled
    only outside the core are not taken.
    """
    core = set(categories)
    rng = random.Random(selection.seed)
    by_writer: dict[str, list[dict]] = {}
    for call in calls:
        if not call.get("variants") and call_chars(call) <= selection.max_chars:
            by_writer.setdefault(call.get("writer", ""), []).append(call)
    for writer in sorted(by_writer):
        rng.shuffle(by_writer[writer])
    # Writers take turns, so that no one writer's habits fill the set.
    pool = [call for turn in zip_longest(*(by_writer[w] for w in sorted(by_writer))) for call in turn if call]
    taken = dict.fromkeys(core, 0)
    clean, chosen = 0, []
    for call in pool:
        labels = {label["category"] for label in call.get("labels") or []}
        if not labels:
            if clean < selection.clean:
                chosen.append(call)
                clean += 1
        elif any(taken[c] < selection.per_category for c in labels & core):
            chosen.append(call)
            for category in labels & core:
                taken[category] += 1
    return sorted(chosen, key=lambda c: c["call_id"])


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def writer_calls(folder: Path, selection: Selection) -> list[dict]:
    from pipeline.detect.registry import CORE_CATEGORIES

    calls = [call for writer in selection.writers for call in read_jsonl(folder / f"{writer}.jsonl")]
    return select_calls(calls, CORE_CATEGORIES, selection)


def report_calls(selection: Selection = Selection()) -> list[dict]:
    return writer_calls(REPORT_WRITERS, selection)


def tune_calls(selection: Selection = TUNE_SELECTION) -> list[dict]:
    return writer_calls(TUNE_WRITERS, selection)


def dev_calls(selection: Selection = DEV_SELECTION) -> list[dict]:
    if not selection.writers:
        raise SystemExit("--set dev needs --writers (the dev writers to speak, comma-separated)")
    return writer_calls(DEV_WRITERS, selection)


def selection_for(
    name: str, quota: int | None = None, clean: int | None = None, writers: str | None = None
) -> Selection:
    """The draw of set ``name`` (report, tune or dev), its quota, clean calls or writers (``w6,w7``)
    replaced where given: the command-line options of this script and the end-to-end benchmark."""
    base = {"tune": TUNE_SELECTION, "dev": DEV_SELECTION}.get(name, Selection())
    changes = {}
    if quota is not None:
        changes["per_category"] = quota
    if clean is not None:
        changes["clean"] = clean
    if writers:
        changes["writers"] = tuple(w.strip() for w in writers.split(",") if w.strip())
    return replace(base, **changes)


def add_draw_options(parser) -> None:
    parser.add_argument(
        "--quota",
        type=int,
        help=f"report/tune draw: calls per core category, at least (default: report {Selection().per_category}, "
        f"tune {TUNE_SELECTION.per_category})",
    )
    parser.add_argument(
        "--clean",
        type=int,
        help=f"report/tune draw: calls without labels (default: report {Selection().clean}, tune {TUNE_SELECTION.clean})",
    )
    parser.add_argument(
        "--writers",
        help="report/tune draw: the writers drawn from, comma-separated (default: every report writer, or the "
        "tune set's eight; "
        "the old 14-call draw: --quota 3 --clean 3 --writers w6,w7,w11,w12,w13,w14)",
    )


def set_calls(name: str, selection: Selection | None = None) -> list[dict]:
    """The calls of set ``name``: its own draw, or ``selection`` for report, tune and dev."""
    if selection is not None and name in ("report", "tune", "dev"):
        return SETS[name][1](selection)
    return SETS[name][1]()


def heldout_v1_calls(call_ids=HELDOUT_V1_CALLS) -> list[dict]:
    wanted = set(call_ids)
    return [c for c in read_jsonl(HELDOUT_V1) if c["call_id"] in wanted]


SETS = {
    "report": ("e2e-report", report_calls),
    "tune": ("e2e-tune", tune_calls),
    "dev": ("e2e-dev", dev_calls),
    "heldout_v1": ("e2e", heldout_v1_calls),
}
# The sets of writers nobody reads: figures only, never a call's words
FIGURES_ONLY = ("report", "dev")


def default_folder(name: str = "heldout_v1") -> Path:
    from pipeline.model import cache_root

    return cache_root() / SETS[name][0]


def read_reference(folder: Path) -> list[dict]:
    """The calls of a spoken set, as written by ``build``; each has ``path`` to its audio."""
    calls = read_jsonl(folder / "reference.jsonl")
    for call in calls:
        call["path"] = str(folder / call["file"])
    return calls


def audio_name(call: dict) -> str:
    """The call's file name: its id and a digest of what is spoken, by which voices."""
    from fixtures.speak import VOICES
    from pipeline.detect.sound import as_said

    lines = [(s["speaker"], VOICES[s["speaker"]], as_said(s["text"])) for s in call["segments"]]
    digest = hashlib.sha256(json.dumps(lines, ensure_ascii=False).encode()).hexdigest()[:12]
    return f"{call['call_id']}-{digest}.wav"


def build(folder: Path, sources: list[dict]) -> list[dict]:
    """Speak the calls of ``sources`` whose audio ``folder`` lacks; write the set's reference."""
    from fixtures.speak import speak_call, write_audio

    folder.mkdir(parents=True, exist_ok=True)
    calls = []
    for source in sources:
        spoken = speak_call([(s["speaker"], s["text"]) for s in source["segments"]])
        name = audio_name(source)
        if not (folder / name).is_file():
            write_audio(spoken, folder / name, ["-ar", "8000", "-c:a", "pcm_s16le"], channels=2)
        call = {k: v for k, v in source.items() if k != "segments"}
        call.update(file=name, duration=spoken.duration, segments=spoken.lines)
        calls.append(call)
        print(f"spoken {len(calls)}/{len(sources)}: {spoken.duration:.1f} s", flush=True)
    with open(folder / "reference.jsonl", "w", encoding="utf-8") as out:
        for call in calls:
            out.write(json.dumps(call, ensure_ascii=False) + "\n")
    return calls


def ensure(folder: Path | None = None) -> Path:
    """``folder`` (default the cache's heldout_v1 set), spoken first if it has no reference yet."""
    folder = folder or default_folder()
    if not (folder / "reference.jsonl").is_file():
        build(folder, heldout_v1_calls())
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="heldout_v1")
    parser.add_argument("--calls", help="heldout_v1 call ids, comma-separated (default: the benchmark's twelve)")
    parser.add_argument("--folder", type=Path, default=None)
    add_draw_options(parser)
    args = parser.parse_args()
    if args.set == "heldout_v1" and args.calls:
        sources = heldout_v1_calls(args.calls.split(","))
    else:
        sources = set_calls(args.set, selection_for(args.set, args.quota, args.clean, args.writers))
    build(args.folder or default_folder(args.set), sources)


if __name__ == "__main__":
    main()
