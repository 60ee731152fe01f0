"""Masking of phone, ID-card and bank-card numbers (also read out as Chinese digits) in text
shown outside the console, e.g. evidence quoted in the self-check report.

Each recognizer is one regular expression whose ``pii`` group is the number; every masked
character becomes ``*`` and separators stay, so the text keeps its length. The patterns are the
console's (``pipeline/review/masking.py`` on branch ``console``); when that module reaches main
this one should give way to it, so there is one masking function.
"""

from __future__ import annotations

import re

MASK_CHAR = "*"
_SEPARATORS = " -，,、"
_SPOKEN_DIGIT = "[零〇一二三四五六七八九幺两]"

RECOGNIZERS = {
    "id_card": re.compile(r"(?<![0-9])(?P<pii>[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])"),
    "bank_card": re.compile(r"(?<![0-9])(?P<pii>(?:[0-9][ -]?){15,18}[0-9])(?![0-9])"),
    "mobile": re.compile(r"(?<![0-9])(?P<pii>1[3-9][0-9](?:[ -]?[0-9]){8})(?![0-9])"),
    "landline": re.compile(r"(?<![0-9])(?P<pii>0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])"),
    # Seven or more digits read out one by one; amounts carry 十/百/千/万 and never match.
    "spoken_number": re.compile(rf"(?P<pii>{_SPOKEN_DIGIT}(?:[ ，,、]?{_SPOKEN_DIGIT}){{6,}})"),
}


def mask_text(text: str | None) -> str | None:
    """``text`` with every recognized number replaced by ``*`` character for character."""
    if not text:
        return text
    chars = list(text)
    for pattern in RECOGNIZERS.values():
        for match in pattern.finditer(text):
            for i in range(match.start("pii"), match.end("pii")):
                if chars[i] not in _SEPARATORS:
                    chars[i] = MASK_CHAR
    return "".join(chars)
