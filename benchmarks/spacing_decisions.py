"""How ``pipeline.text.normalize_spacing`` reads the spaces of the tune writers' noised segments.

    PYTHONPATH=. .venv/bin/python -m benchmarks.spacing_decisions [--show N]

Rebuilds the tune writers' calls as ``fixtures/labelled/writers/make_calls.py`` builds them (same
seeds, so the Whisper-spaced segments are those of the stored calls) and keeps each spaced
segment with the text it was made from, punctuation and all:

* ``word``: Whisper's spacing, a space between jieba's words (``make_calls.spaced``);
* ``char``: Whisper's spacing, a space between characters;
* ``phrase``: a vendor's spacing, a space where the writer put a punctuation mark (the
  ``spaces`` habit of the held-out noise, regenerated here from the same text kept punctuated).

For every space between two Chinese characters the written text says whether it was a clause
break (a mark there) or inside a clause; the figures count where normalisation put a comma.
A comma inside a clause is the harmful error (不，建议 loses a negation); a clause break closed up
costs a boundary. ``differs`` counts segments whose normalised text is not the written text
without its punctuation (phrase spacing is meant to differ: its breaks become commas).
"""

from __future__ import annotations

import argparse
import collections
import re

from benchmarks.writers_corpus import WRITERS, make_calls_module
from pipeline.text import normalize_spacing

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def spaced_segments() -> list[tuple[str, str, str]]:
    """(kind, written text, spaced text) for every spaced segment of the tune writers' calls."""
    make_calls = make_calls_module()
    heldout, spaced, asr_noise = make_calls.heldout, make_calls.spaced, make_calls.heldout.asr_noise
    found: list[tuple[str, str, str]] = []

    def recorded_spacing(text, rng):
        out = spaced(text, rng)
        kind = "word" if any(len(piece) > 1 and _HAN.match(piece) for piece in out.split()) else "char"
        found.append((kind, text, out))
        return out

    def recorded_noise(text, punctuation, rng):
        if punctuation != "spaces":
            return asr_noise(text, punctuation, rng)
        kept = asr_noise(text, "kept", rng)
        out = re.sub(r"\s+", " ", make_calls.PUNCTUATION.sub(" ", kept)).strip() or "嗯"
        found.append(("phrase", kept, out))
        return out

    make_calls.spaced, heldout.asr_noise = recorded_spacing, recorded_noise
    for writer, split in make_calls.SPLIT.items():
        if split == "tune":
            dialogues = (WRITERS / writer / "dialogues.txt").read_text(encoding="utf-8")
            make_calls.build_writer(writer, make_calls.parse(dialogues, writer))
    return [(kind, written, out) for kind, written, out in found if " " in out]


def gaps(written: str, spaced: str, punctuation: re.Pattern) -> list[tuple[bool, bool]]:
    """(clause break in the written text, comma in the normalised text) per space between Han."""
    normalised = normalize_spacing(spaced)
    result = []
    w = n = 0  # where the spaced text's current character is in the written and normalised texts
    for i, ch in enumerate(spaced):
        if ch != " ":
            w = written.index(ch, w) + 1
            n = normalised.index(ch, n) + 1
            continue
        if 0 < i < len(spaced) - 1 and _HAN.match(spaced[i - 1]) and _HAN.match(spaced[i + 1]):
            following = written.index(spaced[i + 1], w)
            comma = normalised[n] == "，"
            result.append((bool(punctuation.search(written[w:following])), comma))
            n += comma
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print up to N segments with a comma inside a clause")
    args = parser.parse_args()
    punctuation = make_calls_module().PUNCTUATION
    tallies: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    shown: list[str] = []
    for kind, written, spaced in spaced_segments():
        tally = tallies[kind]
        tally["segments"] += 1
        tally["differs"] += normalize_spacing(spaced) != normalize_spacing(punctuation.sub("", written))
        pairs = gaps(written, spaced, punctuation)
        inside = sum(comma and not brk for brk, comma in pairs)
        tally["segments with a comma inside a clause"] += inside > 0
        tally["gaps inside a clause"] += sum(not brk for brk, _ in pairs)
        tally["... given a comma"] += inside
        tally["clause breaks"] += sum(brk for brk, _ in pairs)
        tally["... closed up"] += sum(brk and not comma for brk, comma in pairs)
        if inside and len(shown) < args.show:
            shown.append(f"  {kind}: {spaced} → {normalize_spacing(spaced)}")
    for kind, tally in sorted(tallies.items()):
        print(f"{kind}: " + ", ".join(f"{key} {value}" for key, value in tally.items()))
    print("\n".join(shown))


if __name__ == "__main__":
    main()
