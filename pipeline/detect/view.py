"""A call prepared once for every detector: each utterance's speaker role and its repaired text.

Detectors of this package read a ``CallView`` instead of the raw call, so that the homophone
repair (``lexicon.HomophoneRepairer``) and the role guess for mono recordings
(``dialogue.RoleGuesser``) run once per call, not once per detector.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..calls import Call, Finding, Segment


@dataclass
class Repair:
    """A span that speech recognition wrote as a homophone of a lexicon word (发院 → 法院)."""

    start: int
    end: int
    heard: str
    word: str
    pinyin: str


@dataclass
class Utterance:
    index: int
    segment: Segment
    role: str  # agent or customer (guessed when the segment's speaker is unknown)
    role_reason: str | None  # why the role was guessed; None when the transcript named it
    text: str  # the segment's text with whitespace as clause breaks and homophones repaired
    sound: str  # ``text`` spelt by sound (lexicon.sound_text), for matching through misheard words
    repairs: list[Repair] = field(default_factory=list)

    def repairs_in(self, start: int, end: int) -> list[Repair]:
        return [r for r in self.repairs if r.start < end and r.end > start]


@dataclass
class CallView:
    call: Call
    utterances: list[Utterance]


class ViewDetector:
    """A detector of this package: reads the ``CallView`` the registry prepares once per call."""

    name: str = "detector"

    def analyze_view(self, view: CallView) -> list[Finding]:
        raise NotImplementedError


def agent_utterance_finding(
    view: CallView, u: Utterance, category: str, severity: str, score: float, clauses: list[str], detector: str,
    explanation: str,
) -> Finding:
    """A finding on one agent utterance: its time span and index, its text as the evidence."""
    return Finding(
        call_id=view.call.call_id,
        category=category,
        severity=severity,
        score=round(score, 3),
        start=u.segment.start,
        end=u.segment.end,
        speaker="agent",
        segment_index=u.index,
        evidence=u.segment.text,
        clauses=clauses,
        detector=detector,
        explanation=explanation,
    )
