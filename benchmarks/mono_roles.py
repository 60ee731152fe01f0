"""How well the role guess (``pipeline/detect/roles.py``) reads who speaks on mono calls.

The writers' mono calls hide the speaker; the written speaker is known from the dialogue the
call was built from. This script rebuilds the tune writers' calls exactly as
``fixtures/labelled/writers/make_calls.py`` does (same seeds, checked against the stored files)
while keeping each segment's written speakers, then compares the guess with them:

- the share of segments guessed wrong on the real mono calls, and on every tune call with its
  speakers hidden (ten times the lines, the same writers), by kind of line;
- with ``--write DIR``: the mono calls and their stereo originals as two folders
  (``DIR/mono``, ``DIR/stereo``), to compare detection with ``callqa evaluate`` on each, and every
  call of the split with its speakers hidden (``DIR/hidden``: detection with guessed roles on all
  of them, ten times the calls the mono folder holds);
- with ``--count-words FILE``: the role words (``pipeline/detect/roles.py``, ``RoleWords``)
  counted over the split's stored calls whose speakers are written, written to FILE (the shipped
  ``models/role_words.json`` is counted over tune); ``--leave-writer-out`` reads each writer's
  calls with the words counted without that writer (the figure for writers the counts never saw);
- the mono segments ``pipeline.transcribe.split_mixed_turns`` cuts (a segment that holds both
  parties' sentences cut where the guessed speaker changes): of the merged ones, and of the others
  (cut by mistake); with ``--write``, the mono calls so cut as ``DIR/mono_cut`` (labels kept on
  the first piece of their segment: call-level figures compare, segment hits do not);
- with ``--folder DIR``: the calls of any folder whose segments name their speakers (written as
  ``agent`` or ``customer``), read with the speakers hidden (writers not in the split).

A segment the recogniser merged across both speakers counts as neither right nor wrong.
Usage: python benchmarks/mono_roles.py [--split tune] [--write DIR] [--folder DIR] [--show-wrong N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.writers_corpus import make_calls_module  # noqa: E402
from pipeline.calls import Segment, call_from_json  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.detect.registry import default_preparer  # noqa: E402
from pipeline.detect.roles import RoleGuesser, RoleWords  # noqa: E402
from pipeline.detect.sound import sound_text  # noqa: E402
from pipeline.transcribe import split_mixed_turns  # noqa: E402

QUESTION = re.compile(r"[？?吗呢]$|^(?:请问|什么|谁|哪)")


def rebuilt_calls(split: str) -> list[tuple[dict, list[set[str]]]]:
    """Each call of the split's writers with the written speakers of each of its segments."""
    make = make_calls_module()
    heldout = make.heldout
    timed, reseg = heldout.timed_segments, heldout.resegment

    def timed_with_truth(lines, rng):
        segments = timed(lines, rng)
        for segment in segments:
            segment["truth"] = frozenset([segment["speaker"]])
        return segments

    def reseg_with_truth(segments, labelled, mono, rng):
        by_line = {n: s["speaker"] for s in segments for n in s["lines"]}
        out = reseg(segments, labelled, mono, rng)
        for segment in out:
            segment["truth"] = frozenset(by_line[n] for n in segment["lines"])
        return out

    heldout.timed_segments, heldout.resegment = timed_with_truth, reseg_with_truth
    out = []
    for writer, split_of in sorted(make.SPLIT.items()):
        if split_of != split:
            continue
        source, stored = make.source_and_output(writer)
        calls = make.build_writer(writer, make.parse(source.read_text(encoding="utf-8"), str(source)))
        stored_calls = [json.loads(line) for line in stored.read_text(encoding="utf-8").splitlines()]
        for call, kept in zip(calls, stored_calls, strict=True):
            truth = [s.pop("truth") for s in call["segments"]]
            if call != kept:
                sys.exit(f"{call['call_id']}: rebuilt call differs from the stored one; rerun make_calls.py")
            out.append((call, truth))
    return out


def kind_of_line(segments: list[dict], texts: list[str], truths: list[set[str]], i: int) -> list[str]:
    text = re.sub(r"[\s，。？！、,.?!~～]", "", texts[i])
    kinds = ["all"]
    kinds.append("short (<=4 chars)" if len(text) <= 4 else "long (>=30 chars)" if len(text) >= 30 else "middle")
    if QUESTION.search(texts[i].strip("，。！ ")):
        kinds.append("question")
    if i == 0:
        kinds.append("first line")
        return kinds
    kinds.append("same speaker as before" if truths[i - 1] == truths[i] else "starts a turn")
    pause = segments[i]["start"] - segments[i - 1]["end"]
    if pause < 0:
        kinds.append("overlaps the line before")
    elif pause >= 1:
        kinds.append("after a pause of 1 s or more")
    return kinds


def written_turns(split: str, preparer) -> dict[str, list[tuple[str, str]]]:
    """Per writer of the split, (role, text as detection reads it) of every segment whose speaker
    the stored calls write (their stereo calls)."""
    make = make_calls_module()
    out: dict[str, list[tuple[str, str]]] = {}
    for writer, split_of in sorted(make.SPLIT.items()):
        if split_of != split:
            continue
        _, stored = make.source_and_output(writer)
        turns = out.setdefault(writer, [])
        for line in stored.read_text(encoding="utf-8").splitlines():
            call = call_from_json(json.loads(line))
            for segment, (text, _) in zip(call.segments, preparer.repaired(call)):
                if segment.speaker in ("agent", "customer"):
                    turns.append((segment.speaker, text))
    return out


def writer_of(call: dict) -> str:
    return call["call_id"].split("-")[0]


def measure(calls, preparer, show_wrong: int, guessers: dict[str, RoleGuesser] | None = None) -> Counter:
    counts: Counter = Counter()
    shown = 0
    for call, truth in calls:
        texts = [preparer.repairer.repair(s["text"])[0] for s in call["segments"]]
        roles = guessers[writer_of(call)] if guessers else preparer.roles
        guessed = roles.guess(texts, [sound_text(t) for t in texts], ["unknown"] * len(texts))
        for i, ((role, reason), written) in enumerate(zip(guessed, truth)):
            if len(written) > 1:
                counts["merged", "skipped"] += 1
                continue
            right = role in written
            for kind in kind_of_line(call["segments"], texts, truth, i):
                counts[kind, "right" if right else "wrong"] += 1
                counts[f"{next(iter(written))} lines", "right" if right else "wrong"] += kind == "all"
            if not right and shown < show_wrong:
                shown += 1
                print(f"  {call['call_id']}#{i} written {next(iter(written))}, guessed {role} ({reason}): {texts[i]}")
    return counts


def table(title: str, counts: Counter) -> str:
    kinds = sorted({k for k, _ in counts if k != "merged"}, key=lambda k: (k != "all", k))
    rows = [f"{title}: {counts['merged', 'skipped']} merged segments skipped", "  kind | lines | wrong | share wrong"]
    for kind in kinds:
        lines = counts[kind, "right"] + counts[kind, "wrong"]
        rows.append(f"  {kind} | {lines} | {counts[kind, 'wrong']} | {counts[kind, 'wrong'] / max(lines, 1):.3f}")
    return "\n".join(rows)


def folder_calls(folder: Path) -> list[tuple[dict, list[set[str]]]]:
    """The calls of a folder of ``.jsonl`` files, each with its segments' written speakers; a call
    with a segment of no written role (a mono call) is left out."""
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            call = json.loads(line)
            speakers = [s.get("speaker") for s in call.get("segments", [])]
            if speakers and all(speaker in ("agent", "customer") for speaker in speakers):
                out.append((call, [frozenset([speaker]) for speaker in speakers]))
    return out


def cut_mono(call: dict, config: dict) -> tuple[dict, list[int]]:
    """The mono call with its segments cut by ``split_mixed_turns``, and for each new segment the
    index of the segment it was cut from."""
    segments = [Segment(s["start"], s["end"], s["speaker"], s["text"]) for s in call["segments"]]
    pieces = split_mixed_turns(segments, config)
    owner, n = [], 0
    for piece in pieces:
        while not (
            segments[n].start <= piece.start and piece.end <= segments[n].end and piece.text in segments[n].text
        ):
            n += 1
        owner.append(n)
    first = {o: i for i, o in reversed(list(enumerate(owner)))}
    labels = [
        {**label, "segment_index": first[label["segment_index"]]} if label.get("segment_index") is not None else label
        for label in call.get("labels", [])
    ]
    cut = [{"start": p.start, "end": p.end, "speaker": p.speaker, "text": p.text} for p in pieces]
    return {**call, "segments": cut, "labels": labels}, owner


def cuts_made(calls, config) -> str:
    counts: Counter = Counter()
    for call, truth in calls:
        _, owner = cut_mono(call, config)
        pieces = Counter(owner)
        for n, written in enumerate(truth):
            kind = "merged (both speakers)" if len(written) > 1 else "one speaker"
            counts[kind, "segments"] += 1
            counts[kind, "cut"] += pieces[n] > 1
    return "\n".join(
        f"  {kind} | {counts[kind, 'segments']} | cut {counts[kind, 'cut']}"
        for kind in ("merged (both speakers)", "one speaker")
    )


def write(calls, folder: Path, config: dict | None = None) -> None:
    if config is not None:
        (folder / "mono_cut").mkdir(parents=True, exist_ok=True)
        with (folder / "mono_cut" / "calls.jsonl").open("w", encoding="utf-8") as out:
            for call, _ in calls:
                if "mono" in call["variants"]:
                    out.write(json.dumps(cut_mono(call, config)[0], ensure_ascii=False) + "\n")
    for name in ("mono", "stereo", "hidden"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    with (
        (folder / "mono" / "calls.jsonl").open("w", encoding="utf-8") as mono,
        (folder / "stereo" / "calls.jsonl").open("w", encoding="utf-8") as stereo,
        (folder / "hidden" / "calls.jsonl").open("w", encoding="utf-8") as hidden,
    ):
        for call, truth in calls:
            segments = [{**s, "speaker": "unknown"} for s in call["segments"]]
            hidden.write(json.dumps({**call, "segments": segments}, ensure_ascii=False) + "\n")
            if "mono" not in call["variants"]:
                continue
            mono.write(json.dumps(call, ensure_ascii=False) + "\n")
            segments = [
                {**s, "speaker": "agent" if "agent" in t else "customer"} for s, t in zip(call["segments"], truth)
            ]
            stereo.write(json.dumps({**call, "segments": segments}, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="tune")
    parser.add_argument("--write", type=Path, help="folder for the mono calls and their stereo originals")
    parser.add_argument("--count-words", type=Path, help="write the role words counted over the split to this file")
    parser.add_argument(
        "--leave-writer-out", action="store_true", help="each writer read with words counted without it"
    )
    parser.add_argument("--no-words", action="store_true", help="the guess from cues and turn order alone")
    parser.add_argument("--folder", type=Path, help="read this folder's calls with their speakers hidden instead")
    parser.add_argument("--show-wrong", type=int, default=0, help="print this many wrong guesses (mono calls)")
    args = parser.parse_args()
    if args.folder:
        calls = folder_calls(args.folder)
        preparer = default_preparer()
        if args.no_words:
            preparer.roles = RoleGuesser(preparer.rules, use_words=False)
        print(table(f"{len(calls)} calls of {args.folder}, speakers hidden", measure(calls, preparer, args.show_wrong)))
        return
    calls = rebuilt_calls(args.split)
    preparer = default_preparer()
    if args.no_words:
        preparer.roles = RoleGuesser(preparer.rules, use_words=False)
    if args.count_words:
        turns = written_turns(args.split, preparer)
        words = RoleWords.counted(turn for writer in sorted(turns) for turn in turns[writer])
        words.write(args.count_words, f"benchmarks/mono_roles.py --split {args.split} --count-words")
        print(f"wrote {args.count_words}: {len(words.log_odds)} n-grams from {sum(map(len, turns.values()))} turns")
        return
    guessers = None
    if args.leave_writer_out:
        turns = written_turns(args.split, preparer)
        guessers = {
            writer: RoleGuesser(
                preparer.rules, RoleWords.counted(t for other in sorted(turns) if other != writer for t in turns[other])
            )
            for writer in turns
        }
    mono = [(c, t) for c, t in calls if "mono" in c["variants"]]
    print(table(f"{len(mono)} mono calls", measure(mono, preparer, args.show_wrong, guessers)))
    print(table(f"{len(calls)} calls, speakers hidden", measure(calls, preparer, 0, guessers)))
    config = load_config()
    print(
        f"mono segments cut by split_mixed_turns ({len(mono)} mono calls)\n  kind | segments | cut\n"
        + cuts_made(mono, config)
    )
    if args.write:
        write(calls, args.write, config)


if __name__ == "__main__":
    main()
