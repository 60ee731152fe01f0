"""Reading the regular expressions analysts write, from the parse tree of Python's own compiler.

``nested_repeat`` finds the shape that makes matching take exponential time: a repeated group
whose body repeats characters that nothing else in the body tells apart, as in ``(\\d+\\D?)+`` or
``(?:[0-9][0-9,.]*)+``, where a long run of digits can be split into iterations in
exponentially many ways. Loading a lexicon refuses such a pattern.

A repeat inside a repeated group is safe when the group also requires a character the inner
repeat can never match: in ``(?:(?:嗯|哦)[，。\\s]*)+`` every iteration starts with a word, so a
text splits into iterations one way only.
"""

from __future__ import annotations

import functools
import re

try:
    from re import _constants as sre_constants  # Python 3.11+
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants
    import sre_parse

REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
HAN_CHARACTER = re.compile(r"[\u4e00-\u9fff]")
ANY = None  # a character set that cannot be listed (., \W, a back-reference ...)
# (characters, categories such as CATEGORY_DIGIT, negated: every character but the characters) or ANY
CharSet = tuple[frozenset, frozenset, bool] | None


@functools.lru_cache(maxsize=8192)
def compiled(pattern: str) -> re.Pattern:
    """``re.compile`` with a cache that holds every lexicon's patterns (``re``'s own holds 512,
    fewer than the lexicons write): a process that reads the lexicons again, for other settings
    or a changed file, compiles only the patterns it has not seen."""
    return re.compile(pattern)


@functools.lru_cache(maxsize=8192)  # as ``compiled``: each pattern parsed once per process
def nested_repeat(pattern: str) -> str | None:
    """Why ``pattern`` can backtrack exponentially, or None. ``pattern`` must compile."""
    return _walk(sre_parse.parse(pattern))


def spelt_words(pattern: str) -> set[str]:
    """The words of two Chinese characters or more that ``pattern`` spells out (你老公欠了: 老公,
    欠了), outside its look-arounds and character classes: what a match stands on."""
    found: set[str] = set()

    def walk(items) -> None:
        run = ""
        for op, av in items:
            if op is sre_constants.LITERAL and HAN_CHARACTER.match(chr(av)):
                run += chr(av)
                continue
            if len(run) >= 2:
                found.add(run)
            run = ""
            if op is sre_constants.BRANCH:
                for alternative in av[1]:
                    walk(alternative)
            elif op is sre_constants.SUBPATTERN:
                walk(av[3])
            elif op in REPEATS:
                walk(av[2])
        if len(run) >= 2:
            found.add(run)

    walk(sre_parse.parse(pattern))
    return found


def _walk(items) -> str | None:
    for op, av in items:
        if op in REPEATS:
            low, high, body = av
            if high > 1 and _ambiguous(body):
                return "repeats a group whose own repeat can match the same characters (nested quantifiers)"
            found = _walk(body)
        elif op is sre_constants.SUBPATTERN:
            found = _walk(av[3])
        elif op is sre_constants.BRANCH:
            found = next((problem for alternative in av[1] if (problem := _walk(alternative))), None)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            found = _walk(av[1])
        else:
            found = None
        if found:
            return found
    return None


def _ambiguous(body) -> bool:
    """Whether a repeat inside ``body`` (a repeated group) can match what separates iterations."""
    inner = [_charset(av[2]) for op, av in _descendants(body) if op in REPEATS and av[1] > 1]
    if not inner:
        return False
    separators = [_charset([(op, av)]) for op, av in body if _required(op, av) and not _has_repeat([(op, av)])]
    return any(all(_overlap(repeat, separator) for separator in separators) for repeat in inner)


def _descendants(items):
    for op, av in items:
        yield op, av
        if op in REPEATS:
            yield from _descendants(av[2])
        elif op is sre_constants.SUBPATTERN:
            yield from _descendants(av[3])
        elif op is sre_constants.BRANCH:
            for alternative in av[1]:
                yield from _descendants(alternative)


def _has_repeat(items) -> bool:
    return any(op in REPEATS and av[1] > 1 for op, av in _descendants(items))


def _required(op, av) -> bool:
    """Whether the item always consumes at least one character."""
    if op in (sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.IN, sre_constants.ANY):
        return True
    if op is sre_constants.SUBPATTERN:
        return any(_required(*item) for item in av[3])
    if op is sre_constants.BRANCH:
        return all(any(_required(*item) for item in alternative) for alternative in av[1])
    if op in REPEATS:
        return av[0] >= 1 and any(_required(*item) for item in av[2])
    return False


def _charset(items) -> CharSet:
    """Every character ``items`` can match, or ANY when they cannot be listed."""
    chars: set[str] = set()
    categories: set = set()
    excluded: set[str] | None = None  # the characters of a negated class ([^，。])
    for op, av in _descendants(items):
        if op is sre_constants.LITERAL:
            chars.add(chr(av))
        elif op is sre_constants.NOT_LITERAL or (op is sre_constants.IN and av and av[0][0] is sre_constants.NEGATE):
            negated = [(sre_constants.LITERAL, av)] if op is sre_constants.NOT_LITERAL else av[1:]
            if excluded is not None or not all(kind is sre_constants.LITERAL for kind, _ in negated):
                return ANY
            excluded = {chr(value) for _, value in negated}
        elif op is sre_constants.IN:
            for kind, value in av:
                if kind is sre_constants.LITERAL:
                    chars.add(chr(value))
                elif kind is sre_constants.RANGE:
                    chars.update(chr(c) for c in range(value[0], value[1] + 1))
                elif kind is sre_constants.CATEGORY and value in _CATEGORIES:
                    categories.add(value)
                else:  # a negated category
                    return ANY
        elif op in (sre_constants.ANY, sre_constants.GROUPREF):
            return ANY
    if excluded is not None:
        return (frozenset(excluded), frozenset(), True) if not categories and not chars - excluded else ANY
    return frozenset(chars), frozenset(categories), False


_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: str.isdigit,
    sre_constants.CATEGORY_SPACE: str.isspace,
    sre_constants.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
}


def _overlap(a: CharSet, b: CharSet) -> bool:
    if a is ANY or b is ANY:
        return True
    if a[2] or b[2]:  # a negated class meets every other set but one inside what it excludes
        return _overlap_negated(*((a, b) if a[2] else (b, a)))
    (a_chars, a_categories, _), (b_chars, b_categories, _) = a, b
    if a_chars & b_chars or a_categories & b_categories:
        return True
    if {sre_constants.CATEGORY_WORD, sre_constants.CATEGORY_DIGIT} <= a_categories | b_categories:
        return True
    return any(_CATEGORIES[c](ch) for c in a_categories for ch in b_chars) or any(
        _CATEGORIES[c](ch) for c in b_categories for ch in a_chars
    )


def _overlap_negated(negated: CharSet, other: CharSet) -> bool:
    return other[2] or bool(other[1]) or not other[0] <= negated[0]
