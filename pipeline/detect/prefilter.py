"""A cheap test in front of a long regular expression: where can a match begin at all?

A search tries every alternative of a pattern at every position of the text. The lexicons'
patterns are long alternations (each category's rules in one, ``LexiconRecognizer.any_rule``)
and most of an utterance's characters cannot begin any of them. ``with_start_filter`` puts a
lookahead for the characters a match can begin with in front of the pattern, so those
positions cost one set test. Matches and spans stay exactly the same: no match can begin
anywhere else.

The characters are read from the parse tree of Python's own regular expression compiler.
Where they cannot be listed (a match may be empty or begin with ``.`` or a negated class, or
case is ignored), the pattern is left as it is.
"""

from __future__ import annotations

import functools
import re

from pipeline.patterns import REPEATS, sre_constants, sre_parse

ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)  # ^ $ \b (?=...) (?<!...)

Starts = tuple[set[str], bool]  # the characters a match can begin with, and whether it can be empty


@functools.lru_cache(maxsize=1024)
def with_start_filter(pattern: str) -> str:
    """``pattern``, searching only where a match can begin (the same matches, found faster).
    Cached: parsing a lexicon's alternation is most of the cost of building a registry again
    for other settings over the same lexicons."""
    tree = sre_parse.parse(pattern)
    if tree.state.flags & re.IGNORECASE or _compiler_skips_ahead(tree):
        return pattern
    starts = _sequence_starts(tree)
    if starts is None or starts[1]:
        return pattern
    characters = "".join(re.escape(ch) for ch in sorted(starts[0]))
    return f"(?=[{characters}])(?:{pattern})"


def _compiler_skips_ahead(items) -> bool:
    """Whether the compiler already tries only likely positions (and a lookahead would stop
    it): the pattern starts with ^, a fixed character, a class, or alternatives that each
    start with a fixed character."""
    while items and items[0][0] is sre_constants.SUBPATTERN:
        items = items[0][1][3]
    if not items:
        return False  # an empty pattern or group: _sequence_starts finds it may match ""
    op, av = items[0]
    if op is sre_constants.BRANCH:
        return all(alternative and alternative[0][0] is sre_constants.LITERAL for alternative in av[1])
    return op in (sre_constants.AT, sre_constants.LITERAL, sre_constants.IN)


def _sequence_starts(items) -> Starts | None:
    characters: set[str] = set()
    for op, av in items:
        item = _item_starts(op, av)
        if item is None:
            return None
        characters |= item[0]
        if not item[1]:
            return characters, False
    return characters, True


def _item_starts(op, av) -> Starts | None:
    """None for what cannot be listed: any character, a negated class, a back-reference..."""
    if op is sre_constants.LITERAL:
        return {chr(av)}, False
    if op is sre_constants.IN and all(kind in (sre_constants.LITERAL, sre_constants.RANGE) for kind, _ in av):
        return {
            chr(c)
            for kind, value in av
            for c in ([value] if kind is sre_constants.LITERAL else range(value[0], value[1] + 1))
        }, False
    if op in ZERO_WIDTH:
        return set(), True  # the match begins with what follows
    if op is sre_constants.SUBPATTERN and not av[1] & re.IGNORECASE:  # (group, add_flags, del_flags, items)
        return _sequence_starts(av[3])
    if op is sre_constants.BRANCH:
        alternatives = [_sequence_starts(items) for items in av[1]]
        if None in alternatives:
            return None
        return set().union(*(chars for chars, _ in alternatives)), any(empty for _, empty in alternatives)
    if op in REPEATS:  # (min, max, items)
        inner = _sequence_starts(av[2])
        return None if inner is None else (inner[0], inner[1] or av[0] == 0)
    return None
