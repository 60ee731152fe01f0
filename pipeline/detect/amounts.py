"""Sums of money as said in a call (三千二, 一万五, 两万六, 1200, 七八千), read as numbers, for
rules that compare two sums: a balance said to have grown from one to the other.

``amount("一万五") == 15000``; ``sums(text)`` lists every sum of at least a hundred in ``text``
with where it ends. What is not a sum (一天, 百分之一 as a rate is read as its number and is
too small to count) gives None or stays below the floor.
"""

from __future__ import annotations

import re

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# A sum as written: Arabic digits (with a unit after them, 1.5万) or Chinese numerals with units;
# two digits side by side are a range said loosely (七八千: read as its upper end).
SUM = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:万|千)?|[零〇一二两俩三四五六七八九十百千万]+")
FLOOR = 100  # below this a number is a count or a rate, not a sum of money


def amount(text: str) -> float | None:
    """The value of one sum as said (一万五 15000, 三千二 3200, 一万零六百 10600, 七八千 8000)."""
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(万|千)?", text)
    if m:
        return float(m.group(1)) * (_UNITS[m.group(2)] if m.group(2) else 1)
    total = section = 0
    digit: int | None = None
    last_unit = 0
    for ch in text:
        if ch in _DIGITS:
            digit = max(digit or 0, _DIGITS[ch]) if digit is not None and _DIGITS[ch] else _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0) or 1) * 10000
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit:
        # the digit after a unit is a tenth of it: 一万五 is 15000, 三千二 3200; after 零 it is
        # itself (一千零五)
        section += digit * last_unit // 10 if last_unit >= 100 and text[-2:-1] != "零" else digit
    value = total + section
    return float(value) if value else None


def sums(text: str) -> list[tuple[int, float]]:
    """(end offset, value) of each sum of at least ``FLOOR`` in ``text``, in order."""
    found = []
    for m in SUM.finditer(text):
        value = amount(m.group())
        if value is not None and value >= FLOOR:
            found.append((m.end(), value))
    return found


def grown(text: str, start: int, end: int, ratio: float) -> bool:
    """Whether the last sum inside ``text[start:end]`` is at least ``ratio`` times every sum said
    before ``start`` in ``text``: the balance it is said to have grown from is the largest of
    them (a day's penalty or a fee said on the way, 每天两百, is no balance)."""
    inside = sums(text[start:end])
    before = sums(text[:start])
    if not inside or not before:
        return False
    return inside[-1][1] >= ratio * max(value for _, value in before)
