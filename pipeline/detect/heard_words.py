"""Words of the rules' patterns heard as homophones: put back for reading a pattern again where
the written text fails it (a listener's cue, an introduction of the caller's organisation)."""

from __future__ import annotations

import re

from pipeline.detect.homophones import cuts_at_a_changed_edge
from pipeline.detect.sound import sound_spellings

try:  # the parser behind re: the words a pattern spells out
    from re import _parser as regex_parser
except ImportError:  # Python before 3.11
    import sre_parse as regex_parser  # type: ignore[no-redef]

HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
# characters too common to show that a heard word was meant (欠了 is no 前了 for its 了)
NO_KEPT_SIGN = set("的了着们吧吗呢啊")


def spelt_words(pattern: str) -> set[str]:
    """The words of two characters or more that ``pattern`` spells out (你老公欠了: 老公, 欠了),
    outside its look-arounds: what a cue's match stands on."""
    found: set[str] = set()

    def walk(items) -> None:
        run = ""
        for op, value in items:
            if op is regex_parser.LITERAL and HAN_CHAR.match(chr(value)):
                run += chr(value)
                continue
            if len(run) >= 2:
                found.add(run)
            run = ""
            if op is regex_parser.BRANCH:
                for branch in value[1]:
                    walk(branch)
            elif op is regex_parser.SUBPATTERN:
                walk(value[-1])
            elif op in (regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT):
                walk(value[2])
        if len(run) >= 2:
            found.add(run)

    walk(regex_parser.parse(pattern))
    return found


class HeardWords:
    """The words some patterns spell out, put back where a text has them heard as homophones
    (你老想欠了 as 你老乡欠了): a word spelt alike that keeps one of its characters (not a
    particle) and, where it changes the character at an edge, cuts no dictionary word there
    (您妹妹还完了 holds no 没还), as a homophone repair is guarded. For reading those patterns
    again where the written text fails them; the text itself is not changed."""

    def __init__(self, patterns: list[str]):
        words = sorted({w for pattern in patterns for w in spelt_words(pattern)}, key=lambda w: (-len(w), w))
        # longer words first; each by the spelling of its first two syllables, to look up where a
        # text's spelling starts one (most lines hold none: one look-up per character)
        self.by_start: dict[str, list[tuple[int, str, str]]] = {}
        rank = 0
        for word in words:
            for spelt in sorted(sound_spellings(word)):
                self.by_start.setdefault(spelt[:2], []).append((rank, word, spelt))
                rank += 1

    def heard_as_said(self, text: str, sound: str) -> str:
        """``text`` (``sound`` its spelling by sound) with the words put back, the same length."""
        found = sorted(
            (rank, at, word)
            for at in range(len(sound) - 1)
            for rank, word, spelt in self.by_start.get(sound[at : at + 2], ())
            if sound.startswith(spelt, at)
        )
        if not found:
            return text
        chars = list(text)
        for _, at, word in found:
            heard = text[at : at + len(word)]
            if (
                heard != word
                and any(a == b and a not in NO_KEPT_SIGN for a, b in zip(heard, word))
                and not cuts_at_a_changed_edge(text, at, at + len(word), word)
            ):
                chars[at : at + len(word)] = word
        return "".join(chars)


class WrittenCue:
    """A cue read on the written text (a surname by sound would be most syllables), and read again,
    where that fails, with its own words put back where heard as homophones (``HeardWords``)."""

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.words = HeardWords([regex.pattern])

    def search(self, text: str, sound: str) -> re.Match | None:
        return self.regex.search(text) or self.regex.search(self.words.heard_as_said(text, sound))
