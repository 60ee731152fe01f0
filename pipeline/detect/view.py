"""A call prepared once for every detector: each utterance's speaker role and its repaired text,
and who was listening to each agent turn.

Detectors read a ``CallView`` instead of the raw call, so that the homophone repair
(``homophones.py``), the role guess for mono recordings (``roles.py``) and the listener reading
(``listener.py``) run once per call, not once per detector. ``prepare.py`` builds it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.calls import Call, Segment
from pipeline.detect.sound import cue_sound_text

if TYPE_CHECKING:  # listener.py builds on this module
    from pipeline.detect.listener import Listening


@dataclass
class Repair:
    """A span that speech recognition wrote as a homophone of a lexicon word (发院 → 法院)."""

    start: int
    end: int
    heard: str
    word: str
    pinyin: str
    # taken because of what is said around it (逾期 before how long it is overdue), not by sound alone
    in_context: bool = False


@dataclass
class Utterance:
    index: int
    segment: Segment
    role: str  # agent or customer (guessed when the segment's speaker is unknown)
    role_reason: str | None  # why the role was guessed; None when the transcript named it
    text: str  # the segment's text with whitespace as clause breaks and homophones repaired
    sound: str  # ``text`` spelt by sound (sound.sound_text), for matching through misheard words
    repairs: list[Repair] = field(default_factory=list)
    # ``text`` with dialect words read as Mandarin (佢 as 他, 系我 as 是我), the same length, and
    # that spelt by sound: what the listener cues are matched on (``text`` and ``sound`` when none)
    mandarin: str = ""
    heard: str = ""
    # the utterance model's probabilities for the line, after the model and the length it read
    # (recognizers.classifier.line_probabilities): read once, asked for by several detectors
    reading: tuple[Any, int | None, dict[str, float]] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        self.mandarin = self.mandarin or self.text
        self.heard = self.heard or self.sound

    @functools.cached_property
    def cue_sound(self) -> str:
        """``text`` spelt by sound as cancelling cues are compared, numerals kept as written
        (sound.cue_sound_text); spelt once, for every hit and rule of the line."""
        return cue_sound_text(self.text)

    @property
    def unrepaired(self) -> str:
        """``text`` as speech recognition wrote it, before the homophone repairs (the same length)."""
        chars = list(self.text)
        for r in self.repairs:
            chars[r.start : r.end] = r.heard
        return "".join(chars)

    def repairs_in(self, start: int, end: int) -> list[Repair]:
        return [r for r in self.repairs if r.start < end and r.end > start]


@dataclass
class CallView:
    call: Call
    utterances: list[Utterance]
    listening: Listening
