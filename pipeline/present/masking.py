"""Masking of personal data in everything a reviewer sees: phone, ID-card and bank-card
numbers, and names from ``lexicons/pii.yaml``; in transcripts, evidence, explanations and
comments, and in call ids, agent ids and agency names (a call id is often a file name that
holds the caller's number). The console, the exports and the self-check report all use
``default_masker``.

Small recognizers, each finding spans of one kind, behind one ``Masker``. Numbers are found
in a folded copy of the text, of the same length, where full-width digits and digits spoken
as Chinese numerals read as ASCII digits: ``+86 138.1234.5678``, ``１３８１２３４５６７８``
and ``一三八1234五六七八`` are all one phone number. Masking keeps the text's length (every
masked character becomes ``*``), so positions found in the raw text (a finding's evidence)
still point at the same words in the masked text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.errors import CallqaError
from pipeline.text import LEXICON_DIR

PII_FILE = "pii.yaml"
PII_LEXICON = LEXICON_DIR / PII_FILE
MASK_CHAR = "*"
_SPOKEN_DIGIT = "[零〇一二三四五六七八九幺两]"
# One character for one: the folded text keeps every position of the original.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        "＋": "+",
        "．": ".",
        "－": "-",
        "零": "0",
        "〇": "0",
        "一": "1",
        "幺": "1",
        "二": "2",
        "两": "2",
        "三": "3",
        "四": "4",
        "五": "5",
        "六": "6",
        "七": "7",
        "八": "8",
        "九": "9",
    }
)
_SEP = "[ .-]?"  # between the digits of a number read or written in groups
# Every character a number's span can hold: digits as written, folded or spoken, the X of an ID
# card, and the separators between groups.
_NUMBER_CHARACTERS = frozenset("0123456789Xx+.- ，,、") | {chr(code) for code in _FOLD}


def fold_digits(text: str) -> str:
    """``text`` with full-width and Chinese-numeral digits as ASCII digits, same length."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


class PatternRecognizer:
    """Spans of one kind: the ``pii`` group of each match of a regular expression, searched
    in the folded text (``folded``) or in the text as it is."""

    def __init__(self, kind: str, pattern: str, folded: bool = True):
        self.kind = kind
        self.pattern = re.compile(pattern)
        self.folded = folded

    def find(self, text: str) -> Iterator[Span]:
        for match in self.pattern.finditer(fold_digits(text) if self.folded else text):
            yield Span(match.start("pii"), match.end("pii"), self.kind)

    def may_hide(self, term: str) -> bool:
        """Every pattern finds numbers: a term without a character of one is never in a span."""
        return not _NUMBER_CHARACTERS.isdisjoint(term)


PATTERN_RECOGNIZERS = [
    PatternRecognizer("id_card", r"(?<![0-9])(?P<pii>[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])"),
    PatternRecognizer("bank_card", rf"(?<![0-9])(?P<pii>(?:[0-9]{_SEP}){{15,18}}[0-9])(?![0-9])"),
    # A mobile number, with or without +86 / 0086, in groups or not.
    PatternRecognizer("phone", rf"(?<![0-9])(?P<pii>(?:(?:\+|00)?86{_SEP})?1[3-9][0-9](?:{_SEP}[0-9]){{8}})(?![0-9])"),
    # The first seven or more digits of a mobile number: a quote cut off mid-number.
    PatternRecognizer("phone", r"(?<![0-9])(?P<pii>1[3-9][0-9]{5,})"),
    PatternRecognizer("phone", rf"(?<![0-9])(?P<pii>0[0-9]{{2,3}}{_SEP}[0-9]{{7,8}})(?![0-9])"),
    # A quote cut off (…) inside a number: six or more digits, or a mobile number's start.
    PatternRecognizer("cut_off_number", r"(?<![0-9])(?P<pii>[0-9]{6,}|1[3-9][0-9]*)(?=…|\.\.\.)"),
    # Seven or more digits read out one by one: phone, card or ID numbers spoken aloud.
    # Amounts never qualify, they carry 十/百/千/万 between their digits.
    PatternRecognizer("spoken_number", rf"(?P<pii>{_SPOKEN_DIGIT}(?:[ ，,、]?{_SPOKEN_DIGIT}){{6,}})", folded=False),
]


class NameRecognizer:
    """Names from the lexicon: listed full names, and a surname directly before a title."""

    kind = "name"

    def __init__(self, surnames: list[str], titles: list[str], names: list[str]):
        alternatives = []
        if names:
            alternatives.append("(?P<name>" + "|".join(map(re.escape, _longest_first(names))) + ")")
        if surnames and titles:
            alternatives.append(
                "(?P<surname>" + "|".join(map(re.escape, _longest_first(surnames))) + ")"
                "(?=" + "|".join(map(re.escape, _longest_first(titles))) + ")"
            )
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None
        self.masked = [*names, *surnames]  # its spans: a listed name, or a surname (not its title)

    def find(self, text: str) -> Iterator[Span]:
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            yield Span(match.start(), match.end(), self.kind)

    def may_hide(self, term: str) -> bool:
        """Whether an occurrence of ``term`` can share a character with a name's in one text."""
        return any(_can_overlap(term, name) for name in self.masked)


def _can_overlap(a: str, b: str) -> bool:
    """Whether occurrences of ``a`` and ``b`` in one text can share a character: at some offset
    of ``a`` against ``b`` their overlapping characters agree."""
    for shift in range(1 - len(a), len(b)):
        low, high = max(0, shift), min(len(b), shift + len(a))
        if b[low:high] == a[low - shift : high - shift]:
            return True
    return False


def _longest_first(items: list[str]) -> list[str]:
    return sorted({str(i) for i in items if str(i).strip()}, key=len, reverse=True)


class LexiconError(CallqaError, ValueError):
    pass


class Masker:
    def __init__(self, recognizers: list):
        self.recognizers = recognizers

    def may_hide(self, term: str) -> bool:
        """Whether masking can hide an occurrence of ``term`` (or make one, of ``*``). When it
        cannot (no occurrence of it can overlap a span any recognizer finds), the masked text
        holds ``term`` exactly where the raw text does, so a search need not mask anything to
        respect the mask."""
        return MASK_CHAR in term or any(r.may_hide(term) for r in self.recognizers)

    @classmethod
    def from_lexicon(cls, path: Path = PII_LEXICON) -> Masker:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise LexiconError(f"{path}: cannot read the personal-data lexicon ({exc})") from exc
        if not isinstance(data, dict):
            raise LexiconError(f"{path}: must be a mapping with surnames, titles and names")
        lists = {}
        for key in ("surnames", "titles", "names"):
            value = data.get(key) or []
            if not isinstance(value, list):
                raise LexiconError(f"{path}: {key} must be a list")
            lists[key] = [str(v) for v in value]
        return cls([*PATTERN_RECOGNIZERS, NameRecognizer(**lists)])

    def spans(self, text: str) -> list[Span]:
        return sorted((s for r in self.recognizers for s in r.find(text)), key=lambda s: s.start)

    def mask(self, text: str | None) -> str | None:
        if not text:
            return text
        chars = list(text)
        for span in self.spans(text):
            for i in range(span.start, span.end):
                if not chars[i].isspace() and chars[i] not in "-，,、.+":
                    chars[i] = MASK_CHAR
        return "".join(chars)


def default_masker() -> Masker:
    """The masker over ``pii.yaml`` in the lexicon folder of the settings in force
    (``detection.lexicon_dir``; ``config.settings_file``). Settings that do not load leave the
    bundled folder; the commands that use them say why."""
    from pipeline.config import settings_file

    return _masker(settings_file())


@functools.lru_cache(maxsize=4)
def _masker(settings: Path | None) -> Masker:
    from pipeline.config import load_config
    from pipeline.detect.settings import DetectionSettings

    try:
        folder = DetectionSettings.from_config(load_config(settings)).lexicon_path
    except CallqaError:
        folder = LEXICON_DIR
    return Masker.from_lexicon(folder / PII_FILE)
