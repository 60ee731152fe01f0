"""Words of the rules' patterns heard as homophones: put back for reading a pattern again where
the written text fails it (a listener's cue, an introduction of the caller's organisation)."""

from __future__ import annotations

import re

from pipeline.detect.homophones import cuts_at_a_changed_edge
from pipeline.detect.sound import sound_spellings
from pipeline.patterns import spelt_words

# characters too common to show that a heard word was meant (欠了 is no 前了 for its 了)
NO_KEPT_SIGN = set("的了着们吧吗呢啊")


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
