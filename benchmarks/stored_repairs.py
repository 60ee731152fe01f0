"""What the stored-text homophone repair (``pipeline.transcribe.repair_homophones``) costs and buys.

    PYTHONPATH=. .venv/bin/python -m benchmarks.stored_repairs [--db SCAN.db]

Prints figures only:

* the tune writers' lines as written (calls with no noise or mono variant: nothing misheard) that
  the repair rewrites, and the commonest rewrites (heard → stored): every one a wrong repair;
* with ``--db``, a callqa database from scanning the spoken tune set
  (``benchmarks/spoken_set.py --set tune``, scanned as ``benchmarks/end_to_end.py`` scans it),
  CER of its calls against the spoken text before the repairs (the recogniser's text, kept as
  ``raw_text``) and after today's repairs of that text. Whisper is never run here: without a
  scan the CER is not measured.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
from pathlib import Path

from benchmarks.recognition_scores import Tally
from benchmarks.spoken_set import TUNE_WRITERS, default_folder, read_reference
from pipeline.calls import Call
from pipeline.config import load_config
from pipeline.learn.evaluate import read_labelled
from pipeline.store import load_call, open_db
from pipeline.transcribe import repair_homophones, sure_repairs


def written_lines(config: dict) -> None:
    """Correctly written tune lines the stored-text repair rewrites, and the commonest rewrites."""
    calls = [item.call for item in read_labelled(TUNE_WRITERS, []) if not item.call.extra.get("variants")]
    lines = rewritten = 0
    rewrites: collections.Counter = collections.Counter()
    for call in calls:
        for segment, text, sure in sure_repairs(call.segments, config, call):
            lines += 1
            rewritten += bool(sure) or text != segment.text
            rewrites.update(f"{r.heard} → {r.word}" for r in sure)
            if text != segment.text:
                rewrites[f"{segment.text[0]} → {text[0]} (a turn's opening 喂)"] += 1
    print(f"tune lines as written ({len(calls)} calls) that stored-text repair rewrites: {rewritten} of {lines}")
    for rewrite, n in rewrites.most_common(15):
        print(f"  {rewrite}  ×{n}")


def spoken_cer(config: dict, db_path: Path) -> None:
    """CER of the scanned spoken tune calls before and after today's repairs of the heard text."""
    reference = {raw["call_id"]: raw for raw in read_reference(default_folder("tune"))}
    db = open_db(db_path)
    before, after = Tally(), Tally()
    for call_id, raw in reference.items():
        try:
            stored = load_call(db, call_id)
        except KeyError:
            print(f"{db_path} holds no call {call_id}: scan the whole spoken tune set")
            return
        heard = [dataclasses.replace(s, text=s.raw_text or s.text, raw_text=None) for s in stored.segments]
        meta = Call(call_id, [], agency=raw.get("agency"), extra={"lender": raw["lender"]} if raw.get("lender") else {})
        before.add(raw["segments"], [s.__dict__ for s in heard])
        after.add(raw["segments"], [s.__dict__ for s in repair_homophones(heard, config, meta)])
    print(f"spoken tune calls ({len(reference)}): CER before repairs {before.cer():.3f}, after {after.cer():.3f}")
    for who in ("agent", "customer"):
        print(f"  {who}: {before.cer(who):.3f} → {after.cer(who):.3f}")
    print(f"  domain words heard: {before.recall():.2f} → {after.recall():.2f} ({after.recall_by_word()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a callqa database from scanning the spoken tune set")
    args = parser.parse_args()
    config = load_config()
    written_lines(config)
    folder = default_folder("tune")
    if not (folder / "reference.jsonl").is_file():
        print(f"no spoken tune set in {folder}: CER not measured")
    elif args.db is None:
        print(
            f"spoken tune set in {folder}, but no scan of it given (--db): CER not measured (Whisper is not run here)"
        )
    else:
        spoken_cer(config, args.db)


if __name__ == "__main__":
    main()
