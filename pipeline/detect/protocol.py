"""Per-call protocol rules: what the agent must do in a certain order or at all.

* ``UnverifiedIdentityDetector`` (``unverified_identity``): debt details told before the person
  confirmed being the debtor (GB 5.2.2.2, HN 10, NIFA 16(一)1).
* ``RecordingNoticeDetector`` (``recording_notice``): an interactive call in which the agent
  never says the call is recorded (NIFA 16(一)2).

Cues live in ``lexicons/protocol.yaml``; what counts as debt details and as "I am not the
debtor" is shared with the third-party rule in ``lexicons/dialogue.yaml``. Both detectors read
the ``CallView`` the registry prepares (roles of ``unknown`` speakers guessed, homophones
repaired).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..calls import Call, Finding
from .dialogue import DialogueRules, InstitutionFinder, _blank, agency_names
from .lexicon import YamlDoc, _clause_bounds
from .registry import Detector
from .settings import category_settings
from .view import CallView, Utterance

PROTOCOL_FILE = "protocol.yaml"
UNVERIFIED_CLAUSES = ["GB 5.2.2.2", "HN 10", "NIFA 16(一)1"]
RECORDING_CLAUSES = ["NIFA 16(一)2"]


@dataclass
class ProtocolCues:
    identity_questions: re.Pattern
    plain_yes: re.Pattern
    confirms: re.Pattern
    notices: re.Pattern
    denials: re.Pattern


def load_protocol_cues(lexicon_dir: Path) -> ProtocolCues:
    """Read and check ``protocol.yaml``; every mistake is reported with its file and line."""
    doc = YamlDoc(Path(lexicon_dir) / PROTOCOL_FILE)
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        doc.problem((), "must be a mapping with unverified_identity and recording_notice")
    doc.unknown_keys(data, ("unverified_identity", "recording_notice"), ())
    identity = data.get("unverified_identity") or {}
    recording = data.get("recording_notice") or {}
    doc.unknown_keys(identity, ("identity_questions", "plain_yes", "confirms"), ("unverified_identity",))
    doc.unknown_keys(recording, ("notices", "denials"), ("recording_notice",))

    def patterns(section: dict, section_name: str, key: str) -> re.Pattern:
        keys = (section_name, key)
        good = [p for i, p in enumerate(doc.strings(section.get(key), keys, required=True)) if doc.regex(p, keys + (i,))]
        return re.compile("|".join(f"(?:{p})" for p in good) or r"(?!x)x")

    plain_yes = identity.get("plain_yes")
    if not isinstance(plain_yes, str):
        doc.problem(("unverified_identity", "plain_yes"), "is required (one regular expression)")
    cues = ProtocolCues(
        identity_questions=patterns(identity, "unverified_identity", "identity_questions"),
        plain_yes=doc.regex(str(plain_yes), ("unverified_identity", "plain_yes")) or re.compile(r"(?!x)x"),
        confirms=patterns(identity, "unverified_identity", "confirms"),
        notices=patterns(recording, "recording_notice", "notices"),
        denials=patterns(recording, "recording_notice", "denials"),
    )
    doc.raise_problems()
    return cues


def plain_view(call: Call) -> CallView:
    """A view with the transcript's own speakers and text, for use outside the registry."""
    return CallView(
        call=call,
        utterances=[
            Utterance(index=i, segment=s, role=s.speaker, role_reason=None, text=s.text)
            for i, s in enumerate(call.segments)
        ],
    )


class ViewDetector(Detector):
    """A detector over the prepared ``CallView``; ``analyze`` serves callers with a plain call."""

    def analyze(self, call: Call) -> list[Finding]:
        return self.analyze_view(plain_view(call))

    def analyze_view(self, view: CallView) -> list[Finding]:
        raise NotImplementedError


class UnverifiedIdentityDetector(ViewDetector):
    """Walks the call in order: the first agent turn that tells debt details while the person's
    identity is still unconfirmed is the finding. A confirmation (是我, 我就是, a plain 嗯/对
    right after 请问是张先生吗) ends the search; so does the customer saying they are someone
    else (that is ``third_party_leak``'s business). Institution names are blanked first:
    naming the agent's own 某某小额贷款公司 tells nothing about a debt."""

    name = "rule:unverified_identity"

    def __init__(self, cues: ProtocolCues, rules: DialogueRules, finder: InstitutionFinder, severity: str = "medium", score: float = 0.8):
        self.cues = cues
        self.rules = rules
        self.finder = finder
        self.severity = severity
        self.score = score

    def analyze_view(self, view: CallView) -> list[Finding]:
        asked = False  # the previous agent turn asked whether this is the debtor
        extra = agency_names(view.call, self.rules)
        for u in view.utterances:
            if u.role == "customer":
                if self._confirms(u.text, asked) or self.rules.not_debtor.search(u.text):
                    return []
                asked = False
                continue
            if u.role != "agent":
                continue
            text = _blank(u.text, self.finder.spans(u.text, extra))
            told = [(r.label, m.group(0)) for r in self.rules.reveals for m in [r.regex.search(text)] if m]
            if told:
                return [self._finding(view, u, told)]
            asked = bool(self.cues.identity_questions.search(u.text))
        return []

    def _confirms(self, text: str, asked: bool) -> bool:
        if self.rules.is_debtor.search(text) or self.cues.confirms.search(text):
            return True
        return asked and bool(self.cues.plain_yes.match(text))

    def _finding(self, view: CallView, u: Utterance, told: list[tuple[str, str]]) -> Finding:
        what = "、".join(f"{label}（“{said}”）" for label, said in told)
        explanation = f"对方尚未确认是债务人本人，坐席在{u.segment.start:.1f}秒就告知了{what}"
        score = self.score
        if u.role_reason:
            explanation += f"；说话人由话术推断（{u.role_reason}）"
            score *= 0.9
        return Finding(
            call_id=view.call.call_id,
            category="unverified_identity",
            severity=self.severity,
            score=round(score, 3),
            start=u.segment.start,
            end=u.segment.end,
            speaker="agent",
            segment_index=u.index,
            evidence=u.segment.text,
            clauses=UNVERIFIED_CLAUSES,
            detector=self.name,
            explanation=explanation,
        )


class RecordingNoticeDetector(ViewDetector):
    """An interactive call (agent and customer both spoke) with no recording notice from the
    agent. A notice in the same clause as a denial (我们没有录音) is not a notice."""

    name = "rule:recording_notice"

    def __init__(self, cues: ProtocolCues, severity: str = "low", score: float = 0.8):
        self.cues = cues
        self.severity = severity
        self.score = score

    def gives_notice(self, text: str) -> bool:
        for match in self.cues.notices.finditer(text):
            left, right = _clause_bounds(text, match.start(), match.end())
            if not self.cues.denials.search(text[left:right]):
                return True
        return False

    def analyze_view(self, view: CallView) -> list[Finding]:
        agent = [u for u in view.utterances if u.role == "agent"]
        customer = [u for u in view.utterances if u.role == "customer"]
        if not agent or not customer or any(self.gives_notice(u.text) for u in agent):
            return []
        first, last = view.utterances[0].segment, view.utterances[-1].segment
        explanation = (
            f"双方都有发言的通话（坐席{len(agent)}句、客户{len(customer)}句），"
            "坐席始终未告知通话录音（如“本次通话将被录音”）"
        )
        score = self.score
        if any(u.role_reason for u in agent):
            explanation += "；说话人由话术推断"
            score *= 0.9
        return [
            Finding(
                call_id=view.call.call_id,
                category="recording_notice",
                severity=self.severity,
                score=round(score, 3),
                start=first.start,
                end=last.end,
                speaker="agent",
                segment_index=None,
                evidence=agent[0].segment.text,
                clauses=RECORDING_CLAUSES,
                detector=self.name,
                explanation=explanation,
            )
        ]



def protocol_detectors(lexicon_dir: Path, detection: dict, rules: DialogueRules, finder: InstitutionFinder) -> list[ViewDetector]:
    """The protocol detectors the ``detection:`` settings switch on."""
    cues = load_protocol_cues(lexicon_dir)
    detectors: list[ViewDetector] = []
    if (settings := category_settings(detection, "unverified_identity")) is not None:
        detectors.append(UnverifiedIdentityDetector(cues, rules, finder, severity=settings.get("severity", "medium")))
    if (settings := category_settings(detection, "recording_notice")) is not None:
        detectors.append(RecordingNoticeDetector(cues, severity=settings.get("severity", "low")))
    return detectors
