"""End to end: labelled calls spoken, scanned from audio, scored beside the same calls as text.

    nice -n 10 .venv/bin/python -m benchmarks.end_to_end [--set report|tune|heldout_v1] [--workers N]
        [--quota N] [--clean N] [--writers w6,w7,...] [--show-lost] [--save-scan DB | --from-scan DB]
    .venv/bin/python -m benchmarks.end_to_end --folder DIR [--folder DIR2 ...] [--from-scan DB --from-scan DB2 ...]

The set (``benchmarks/spoken_set.py``) is by default ``report``: a fixed, stratified selection of
calls by the report writers, who were never tuned on, spoken with Kokoro into
``~/.cache/callqa/e2e-report`` (only what is not spoken yet is spoken). ``heldout_v1`` is the
throughput benchmark's set (tuned on: its text F1 says nothing); ``--folder`` scans a set spoken
before. The set is scanned with ``callqa scan`` as a user would (a manifest with each call's
metadata, a fresh database) with the settings in force: the defaults, or the file named by
``CALLQA_CONFIG``, which the detectors on the reference text read too (``CALLQA_CONFIG=off.yaml``
with ``transcription: {names_prompt: false}`` measures the scan without the names prompt). Then
the benchmark prints figures only:

* recognition: CER per channel (and over both parties' words in time order, the figure for mono
  calls, whose segments have no speaker) and domain-word recall of the stored segments against the
  spoken text, how many segments span a turn of the other party, how many short lines
  (short answers: 是我，什么事？) were heard exactly, and how many lines no segment covers at all
  (lost whole); the scan's wall and CPU seconds. On a mono scan (``scan: {channels: mono}``)
  only the speaker-free figures: per-speaker CER, short lines and turns spanned are n/a there;
* detection: call-level precision, recall and F1 per category from the audio, beside the same
  detectors on the reference text of the same calls; the difference in macro F1 over the core
  five is what recognition costs. Beside each category's loss, on how many calls it rests (calls
  whose flag for it differs between text and audio), and below the macro loss its spread: a
  bootstrap over the calls (2000 resamples, fixed seed; ``recognition_scores.bootstrap_loss``),
  the 95% interval and the share of resamples under the 0.05 target. Then, per category, how many of the text's findings on a line
  the audio made too (``findings_kept``): a line lost where another line of the call still flags
  the category costs no F1 but shows here.

It prints no call's words, ids or findings: the report writers' calls are read by nobody who
shapes the engine, and nobody tunes detection on these figures. ``--show-lost`` (tune and
heldout_v1 only; refused on the report set) lists the text's line findings the audio lost, with
the line as said and as heard, to diagnose recognition's losses where one may read.

``--save-scan DB`` keeps the scan's database; ``--from-scan DB`` reads the transcripts of such a
scan of the same set and runs detection on them afresh with the settings in force, instead of
scanning again: for comparing detection settings or code on one recognition (a scan of a few
hundred seconds, detection a few). Detection then sees the transcripts as stored, homophones
repaired at the scan: a change to the repair itself needs a scan.

Several ``--folder`` pool sets spoken apart (each round's fresh writers) into one set: one score,
one bootstrap over all their calls; with ``--from-scan``, one kept scan per folder, in order.
"""

from __future__ import annotations

import argparse
import collections
import csv
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.recognition_scores import Tally, bootstrap_loss, findings_kept
from benchmarks.spoken_set import (
    FIGURES_ONLY,
    SETS,
    add_draw_options,
    build,
    default_folder,
    ensure,
    read_reference,
    selection_for,
    set_calls,
)
from pipeline.calls import Call, call_from_json
from pipeline.categories import category_table
from pipeline.config import ScanOptions, load_config
from pipeline.detect.crosscall import CROSS_CALL_FAMILIES
from pipeline.detect.registry import CORE_CATEGORIES
from pipeline.learn.evaluate import LabelledCall, evaluate
from pipeline.run import detect_stream
from pipeline.store import load_call, load_findings, open_db

MANIFEST_FIELDS = ("path", "call_id", "started_at", "agent_id", "agency", "debtor_id")


def scan(calls: list[dict], db_path: Path, workers: int | None) -> tuple[float, float]:
    """``callqa scan`` over the calls' audio with a manifest; the wall seconds it took and the CPU
    seconds it spent (its workers' and ffmpeg's included)."""
    manifest = db_path.parent / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, MANIFEST_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(calls)
    command = [sys.executable, "-m", "pipeline", "scan", "--manifest", str(manifest), "--db", str(db_path)]
    if workers:
        command += ["--workers", str(workers)]
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, _children_cpu() - cpu


def _children_cpu() -> float:
    """CPU seconds spent by this process's finished children and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def labelled(call: Call, raw: dict) -> LabelledCall:
    # Segment labels point into the reference's segments, not the recogniser's: call level only.
    return LabelledCall(call, [(label["category"], None) for label in raw.get("labels") or []])


def print_scores(text, audio, positives: collections.Counter, differ: collections.Counter) -> None:
    """Per category: calls labelled with it, text and audio P/R/F1, the F1 lost, and how many calls
    that loss rests on (calls whose flag for the category differs between text and audio)."""
    print(
        f"{'category':<20}{'calls':>6}{'text P':>8}{'R':>6}{'F1':>6}   {'audio P':>8}{'R':>6}{'F1':>6}{'lost':>7}"
        f"{'on calls':>10}"
    )
    for category in sorted(set(text.per_category) | set(audio.per_category)):
        t, a = text.per_category.get(category), audio.per_category.get(category)
        cells = [
            f"{c.precision:>{w}.2f}{c.recall:>6.2f}{c.f1:>6.2f}" if c else f"{'-':>{w + 12}}"
            for c, w in ((t, 8), (a, 8))
        ]
        lost = f"{t.f1 - a.f1:>7.2f}" if t and a else f"{'-':>7}"
        print(f"{category:<20}{positives[category]:>6}{cells[0]}   {cells[1]}{lost}{differ[category]:>10}")
    text_f1, audio_f1 = text.macro_f1(CORE_CATEGORIES), audio.macro_f1(CORE_CATEGORIES)
    print(
        f"macro F1 over the core five: text {text_f1:.3f}, audio {audio_f1:.3f}, "
        f"lost to recognition {text_f1 - audio_f1:.3f}"
    )
    print(
        f"misses: text {len(text.misses)}, audio {len(audio.misses)}; "
        f"false alarms: text {len(text.false_alarms)}, audio {len(audio.false_alarms)}"
    )


def flags(found: list, categories) -> list[set[str]]:
    """Each call's flagged categories among ``categories`` (a call whose detection failed: none)."""
    wanted = set(categories)
    return [
        set() if isinstance(findings, Exception) else {f.category for f in findings if f.category in wanted}
        for findings in found
    ]


def print_spread(labels: list[set[str]], text: list[set[str]], audio: list[set[str]]) -> None:
    """The macro loss's spread over the calls drawn: a bootstrap over calls (fixed seed)."""
    spread = bootstrap_loss(labels, text, audio, CORE_CATEGORIES)
    print(
        f"lost to recognition, {spread.rounds} resamples of the {len(labels)} calls (seed {spread.seed}): "
        f"median {spread.median:.3f}, 95% interval {spread.low:.3f} to {spread.high:.3f}; "
        f"under {spread.target} in {spread.under:.0%} of resamples; "
        f"end to end (audio) 95% interval {spread.audio_low:.3f} to {spread.audio_high:.3f}"
    )


def recognition_line(tally: Tally, mono: bool) -> str:
    """Recognition's figures. A mono scan's segments have no speaker (``unknown``): per-speaker
    CER, short lines and segments spanning the other party's turn count agent and customer
    segments only, so there they are n/a and only the speaker-free figures are printed."""
    common = (
        f"domain words heard {tally.recall():.2f}: {tally.recall_by_word()}; "
        f"lines with no segment over them {tally.unheard}/{tally.lines}"
    )
    if mono:
        return (
            f"mono recordings (segments have no speaker): CER, speakers ignored, {tally.merged_cer():.3f}; {common}; "
            f"per-speaker CER, short lines and segments spanning a turn n/a"
        )
    return (
        f"CER {tally.cer():.3f} (agent {tally.cer('agent'):.3f}, customer {tally.cer('customer'):.3f}; "
        f"speakers ignored, as mono calls are scored: {tally.merged_cer():.3f}); {common}; "
        f"segments spanning the other party's turn {tally.spanning}/{tally.segments}; {tally.short()}"
    )


def spoken_folders(args) -> list[Path]:
    if args.folder:
        return args.folder
    if args.set == "heldout_v1":
        return [ensure()]
    folder = default_folder(args.set)
    build(folder, set_calls(args.set, selection_for(args.set, args.quota, args.clean, args.writers)))
    return [folder]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set", choices=sorted(SETS), default="report", help="which labelled set to speak (default: report)"
    )
    parser.add_argument(
        "--folder",
        type=Path,
        action="append",
        help="a set spoken before (benchmarks/spoken_set.py); again to pool several sets into one",
    )
    parser.add_argument("--workers", type=int, help="scan workers (default: the settings')")
    parser.add_argument(
        "--show-lost",
        action="store_true",
        help="tune and heldout_v1 only: list each line finding of the text the audio lost (the line as "
        "said, as heard, the detector); never on the report set",
    )
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument("--save-scan", type=Path, metavar="DB", help="keep the scan's database at DB")
    kept.add_argument(
        "--from-scan",
        type=Path,
        action="append",
        metavar="DB",
        help="no scan: detection afresh, with the settings in force, on the transcripts of a scan kept "
        "with --save-scan (same set; one per --folder, in order)",
    )
    add_draw_options(parser)
    args = parser.parse_args()
    if args.from_scan and len(args.from_scan) != len(args.folder or [None]):
        parser.error("--from-scan: one kept scan per --folder, in the same order")
    if args.show_lost and (
        args.set in FIGURES_ONLY
        if not args.folder
        else {f.resolve() for f in args.folder} & {default_folder(name).resolve() for name in FIGURES_ONLY}
    ):
        parser.error("--show-lost reads calls' words: not on the report or dev set, which nobody tunes on")
    started = time.perf_counter()

    groups = [read_reference(folder) for folder in spoken_folders(args)]
    raw_calls = [raw for group in groups for raw in group]
    audio_s = sum(c["duration"] for c in raw_calls)
    positives = collections.Counter(
        c for raw in raw_calls for c in {label["category"] for label in raw.get("labels") or []}
    )
    writers = collections.Counter(raw.get("writer", "-") for raw in raw_calls)
    print(
        f"{len(raw_calls)} calls ({sum(1 for raw in raw_calls if not raw.get('labels'))} without labels; "
        f"writers {' '.join(f'{w} {n}' for w, n in sorted(writers.items()))})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        if args.from_scan:
            heard, found = [], {}
            for k, (kept_scan, group) in enumerate(zip(args.from_scan, groups)):
                db_path = Path(tmp) / f"e2e{k}.db"
                shutil.copyfile(kept_scan, db_path)  # reading never writes to the kept scan
                db = open_db(db_path)
                heard += [load_call(db, c["call_id"]) for c in group]
                found.update(_findings_by_call(db))
        else:
            db_path = Path(tmp) / "e2e.db"
            wall, cpu = scan(raw_calls, db_path, args.workers)
            if args.save_scan:
                shutil.copyfile(db_path, args.save_scan)
            db = open_db(db_path)
            heard = [load_call(db, c["call_id"]) for c in raw_calls]
            found = _findings_by_call(db)
    if args.from_scan:
        found = detected_again(heard, found, load_config())
        print(f"{audio_s:.0f} s of audio: transcripts of {', '.join(map(str, args.from_scan))}, detection run afresh")
    else:
        print(
            f"{audio_s:.0f} s of audio scanned in {wall:.0f} s "
            f"({audio_s / wall:.2f} audio s per wall s, model loading included), {cpu:.0f} CPU s"
        )

    tally = Tally()
    for raw, call in zip(raw_calls, heard):
        tally.add(raw["segments"], [s.__dict__ for s in call.segments])
    print(recognition_line(tally, ScanOptions.from_config(load_config()).channels == "mono"))

    reference = [
        call_from_json({k: v for k, v in raw.items() if k not in ("labels", "file", "path")}) for raw in raw_calls
    ]
    text_found = [r.findings for r in detect_stream(reference, load_config())]
    heard_found = [found.get(c.call_id, []) for c in heard]
    text = evaluate([labelled(c, r) for c, r in zip(reference, raw_calls)], lambda calls: text_found, CORE_CATEGORIES)
    audio = evaluate([labelled(c, r) for c, r in zip(heard, raw_calls)], lambda calls: heard_found, CORE_CATEGORIES)
    labels = [{label["category"] for label in raw.get("labels") or []} for raw in raw_calls]
    text_flags, audio_flags = flags(text_found, text.per_category), flags(heard_found, audio.per_category)
    differ = collections.Counter(c for t, a in zip(text_flags, audio_flags) for c in t ^ a)
    print_scores(text, audio, positives, differ)
    print_spread(labels, text_flags, audio_flags)
    kept = findings_kept(text_found, heard_found)
    print(
        f"findings on lines of the text made from audio too: {sum(k for k, _ in kept.values())}/"
        f"{sum(n for _, n in kept.values())} ({', '.join(f'{c} {k}/{n}' for c, (k, n) in kept.items())})"
    )
    if args.show_lost:
        print_lost(reference, heard, text_found, heard_found)
        print_differing(reference, heard, text_found, heard_found, text_flags, audio_flags)
    print(f"wall time {time.perf_counter() - started:.0f} s (speaking what was not cached, scan, scoring)")


def print_lost(reference: list[Call], heard: list[Call], text_found: list, heard_found: list) -> None:
    """Each finding of the text on a line that the audio did not make (``findings_kept``'s
    misses): the call, category and detector, whether the audio flagged the category elsewhere in
    the call, the line as said and what was heard over its time. For the sets one may read."""
    for said, got, text_findings, heard_findings in zip(reference, heard, text_found, heard_found):
        for f in text_findings:
            if f.segment_index is None or any(
                h.category == f.category and h.segment_index is not None and h.start < f.end and h.end > f.start
                for h in heard_findings
            ):
                continue
            elsewhere = any(h.category == f.category for h in heard_findings)
            print(
                f"LOST {said.call_id} {f.category} ({f.detector}; call {'still flagged' if elsewhere else 'missed'}): "
                f"said [{said.segments[f.segment_index].speaker}] {said.segments[f.segment_index].text} | heard "
                + heard_over(got, f)
            )


def heard_over(heard: Call, finding) -> str:
    """What was heard over the time of ``finding`` (one of the text's), segment by segment, with
    the recogniser's own text where a repair changed it."""
    over = [s for s in heard.segments if s.start < finding.end and s.end > finding.start]
    return " / ".join(f"[{s.speaker}] {s.text}" + (f" (raw {s.raw_text})" if s.raw_text else "") for s in over)


def print_differing(
    reference: list[Call], heard: list[Call], text_found: list, heard_found: list, text_flags: list, audio_flags: list
) -> None:
    """Each category flagged on a call from one side only (a finding of the whole call, such
    as missing_disclosure, included): the side's evidence, and for a category only the text
    flagged, what was heard over the text's evidence. For the sets one may read."""
    for said, got, t_found, a_found, t_flags, a_flags in zip(
        reference, heard, text_found, heard_found, text_flags, audio_flags
    ):
        for category in sorted(t_flags ^ a_flags):
            side, found = ("text", t_found) if category in t_flags else ("audio", a_found)
            for f in (f for f in found if f.category == category):
                line = f"DIFFERS {said.call_id} {category} (flagged from {side} only; {f.detector}): {f.evidence}"
                if side == "text":
                    line += " | heard " + heard_over(got, f)
                print(line)


def detected_again(heard: list[Call], stored: dict[str, list], config: dict) -> dict[str, list]:
    """Each call's findings from detection run afresh with ``config`` on its stored transcript,
    with the cross-call rules' findings (quiet hours, call frequency: the call history's) as the
    scan stored them."""
    history = {c.id for c in category_table() if set(c.families) & set(CROSS_CALL_FAMILIES)}
    redone = {record.call.call_id: record.findings for record in detect_stream(heard, config)}
    return {
        call.call_id: redone[call.call_id] + [f for f in stored.get(call.call_id, []) if f.category in history]
        for call in heard
    }


def _findings_by_call(db) -> dict:
    found: dict[str, list] = {}
    for finding in load_findings(db):
        found.setdefault(finding.call_id, []).append(finding)
    return found


if __name__ == "__main__":
    main()
