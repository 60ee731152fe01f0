"""The one detector contract (Presidio's ``EntityRecognizer``) and the result every detector returns.

A ``Detector`` declares the categories it feeds and returns ``Result``s for a ``CallView``, the
call prepared once for all of them (``view.py``). The registry (``registry.py``) builds the
detectors of each family the category table names, merges their results and turns them into the
stored ``Finding``s. The cross-call rules (``crosscall.py``) follow the same idea over the stored
call history: they declare their category and return results, and only the store writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from pipeline.calls import Finding
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, render


@dataclass
class Result:
    """A finding inside the engine: what, where, how sure, and why, with every detector that
    agreed as a list and their explanations kept structured. ``to_finding`` gives the stored shape."""

    call_id: str
    category: str
    severity: str
    score: float
    start: float
    end: float
    speaker: str | None
    segment_index: int | None
    evidence: str
    clauses: list[str]
    detectors: list[str]
    explanations: list[Explanation] = field(default_factory=list)
    span: tuple[int, int] | None = None  # the matched phrase's offsets in the segment's text; None: all of it
    # the line's harm shows only in what was said after it (details told before the listener turned
    # out to be a third party): the model, reading the line alone, cannot overrule it
    hindsight: bool = False

    @property
    def explanation(self) -> str:
        return render(self.explanations)

    def to_finding(self) -> Finding:
        """The stored and JSON shape (shared/spec/transcript-format.md): detectors joined by "+",
        the explanation rendered to its Chinese sentence. The one place a ``Finding`` is built."""
        return Finding(
            call_id=self.call_id,
            category=self.category,
            severity=self.severity,
            score=self.score,
            start=self.start,
            end=self.end,
            speaker=self.speaker,
            segment_index=self.segment_index,
            evidence=self.evidence,
            clauses=list(self.clauses),
            detector="+".join(self.detectors),
            explanation=self.explanation,
            span_start=self.span[0] if self.span else None,
            span_end=self.span[1] if self.span else None,
        )


def lowered_if_guessed(
    part: str, score: float, guessed: bool, factor: float
) -> tuple[float, tuple[tuple[str, float], ...]]:
    """A rule's score and its parts, the score lowered by ``factor`` when the speaker's role was
    guessed (a mono recording): what every dialogue and protocol rule reports."""
    if not guessed:
        return score, ((part, score),)
    return score * factor, ((part, score), ("guessed_role", factor))


def utterance_result(
    view: CallView,
    u: Utterance,
    category: str,
    severity: str,
    score: float,
    clauses: list[str],
    explanation: Explanation,
    speaker: str | None = None,
    span: tuple[int, int] | None = None,
) -> Result:
    """A result on one utterance: its time span and index, its text as the evidence, spoken by
    ``speaker`` (default: the utterance's role); ``span``: where in the text the detector matched."""
    return Result(
        call_id=view.call.call_id,
        category=category,
        severity=severity,
        score=score,
        start=u.segment.start,
        end=u.segment.end,
        speaker=speaker or u.role,
        segment_index=u.index,
        evidence=u.segment.text,
        clauses=clauses,
        detectors=[explanation.detector],
        explanations=[explanation],
        span=span,
    )


def span_result(
    view: CallView,
    first: Utterance,
    last: Utterance,
    category: str,
    severity: str,
    score: float,
    clauses: list[str],
    evidence: str,
    explanation: Explanation,
) -> Result:
    """A result on the agent's part of the call from ``first`` to ``last`` (no one segment)."""
    return Result(
        call_id=view.call.call_id,
        category=category,
        severity=severity,
        score=score,
        start=first.segment.start,
        end=last.segment.end,
        speaker="agent",
        segment_index=None,
        evidence=evidence,
        clauses=clauses,
        detectors=[explanation.detector],
        explanations=[explanation],
    )


class Detector:
    """Reads a prepared call and returns results for the categories it declares.

    ``family`` is the name the category table uses (``lexicons/categories.yaml``: families);
    ``build`` makes the family's detectors for the categories that run (see ``registry.py``).
    """

    family: ClassVar[str]
    name: str
    categories: tuple[str, ...]

    def analyze(self, view: CallView) -> list[Result]:
        raise NotImplementedError

    def analyze_many(self, views: list[CallView]) -> list[list[Result]]:
        """Results per view; a detector that is faster on a batch (the classifier) overrides it."""
        return [self.analyze(view) for view in views]
