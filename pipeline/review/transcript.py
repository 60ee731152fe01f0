"""A call's transcript as the call page shows it: masked text cut into pieces, with each
finding's matched phrase marked in the segment it came from (the whole evidence when the
finding stores no phrase), and the excerpt of a finding's evidence around that phrase.

Masking keeps the text's length, so evidence is located in the raw text and the same
positions are marked in the masked text. Text is always masked whole before it is cut, so a
number cut in two by an excerpt is still masked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.present.masking import Masker
from pipeline.review.queries import CallView, FindingView


@dataclass
class Piece:
    text: str
    finding_ids: list[int] = field(default_factory=list)  # findings whose evidence covers this piece


@dataclass
class Line:
    index: int
    start: float
    end: float
    speaker: str
    pieces: list[Piece]
    finding_ids: list[int]  # every finding on this segment, evidence found in the text or not
    role: str = ""  # the speaker shown: the transcript's, or on a mono recording the guessed role
    guessed: str | None = None  # why the role was guessed (detection's reason); None: not guessed

    def __post_init__(self) -> None:
        self.role = self.role or self.speaker


def evidence_span(text: str, evidence: str | None) -> tuple[int, int] | None:
    """Where ``evidence`` sits in ``text``; the whole segment when it is not a substring."""
    if not evidence:
        return None
    at = text.find(evidence.strip())
    return (at, at + len(evidence.strip())) if at >= 0 else None


def _in_segment(text: str, finding: FindingView) -> tuple[int, int] | None:
    """The finding's matched phrase in its segment's ``text``: its stored span within its
    evidence, moved to where the evidence sits in the segment (they are the same text for a
    finding on one line)."""
    at = evidence_span(text, finding.evidence)
    if at is None or finding.span is None:
        return at
    offset = at[0] - (len(finding.evidence) - len(finding.evidence.lstrip()))
    start, end = offset + finding.span[0], offset + finding.span[1]
    return (start, end) if 0 <= start < end <= len(text) else at


@dataclass
class Excerpt:
    """A finding's evidence as shown: the matched phrase with a little context either side."""

    before: str
    phrase: str
    after: str


def excerpt(
    text: str | None, span: tuple[int, int] | None, mask: Callable[[str], str], context: int = 20
) -> Excerpt | None:
    """``text`` masked, then cut to ``context`` characters either side of ``span`` (with "…"
    where it was cut); no span: the whole masked text as the phrase."""
    if not text:
        return None
    shown = mask(text)
    if span is None:
        return Excerpt("", shown, "")
    start, end = span
    left, right = max(0, start - context), min(len(shown), end + context)
    return Excerpt(
        ("…" if left else "") + shown[left:start],
        shown[start:end],
        shown[end:right] + ("…" if right < len(shown) else ""),
    )


def guessed_roles(call: CallView) -> list[tuple[str, str | None]] | None:
    """Each segment's (role, reason) as detection guessed them, by the same preparer, on a
    recording whose speakers are unknown (mono); None when none is, or when the settings'
    lexicons do not load (then the page shows 未知, as the transcript has it)."""
    if not any(segment["speaker"] == "unknown" for segment in call.segments):
        return None
    from pipeline.calls import Call, Segment  # here: the detection package is heavy to import
    from pipeline.detect.registry import default_preparer
    from pipeline.errors import CallqaError

    segments = [Segment(s["start"], s["end"], s["speaker"], s["text"]) for s in call.segments]
    try:
        view = default_preparer().view(Call(call_id=call.id, segments=segments))
    except CallqaError:
        return None
    return [(u.role, u.role_reason) for u in view.utterances]


def transcript_lines(
    call: CallView, masker: Masker | None, roles: list[tuple[str, str | None]] | None = None
) -> list[Line]:
    """The segments in order; ``masker`` None shows the text unmasked (an admin's choice);
    ``roles`` (``guessed_roles``): the role shown for each unknown speaker."""
    lines = []
    for i, segment in enumerate(call.segments):
        text = segment["text"]
        shown = masker.mask(text) if masker else text
        on_segment = [f for f in call.findings if _on_segment(f, segment)]
        spans = {}
        for finding in on_segment:
            if finding.segment_index == segment["index"]:
                spans[finding.id] = _in_segment(text, finding) or (0, len(text))
        lines.append(
            Line(
                index=segment["index"],
                start=segment["start"],
                end=segment["end"],
                speaker=segment["speaker"],
                pieces=_cut(shown, spans),
                finding_ids=[f.id for f in on_segment],
                **_role(segment["speaker"], roles[i] if roles else None),
            )
        )
    return lines


def _role(speaker: str, guess: tuple[str, str | None] | None) -> dict:
    if speaker != "unknown" or guess is None:
        return {}
    role, reason = guess
    return {"role": role, "guessed": reason or "推断"}


def _on_segment(finding: FindingView, segment: dict) -> bool:
    if finding.segment_index is not None:
        return finding.segment_index == segment["index"]
    # A call-level finding covers the segments inside its time window.
    return (
        finding.start is not None
        and finding.end is not None
        and (segment["start"] < finding.end and segment["end"] > finding.start)
    )


def _cut(text: str, spans: dict[int, tuple[int, int]]) -> list[Piece]:
    cuts = sorted({0, len(text), *(p for span in spans.values() for p in span)})
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [fid for fid, (s, e) in spans.items() if s <= a and b <= e]
        pieces.append(Piece(text[a:b], covering))
    return pieces or [Piece(text)]
