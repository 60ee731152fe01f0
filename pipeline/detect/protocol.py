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

from ..calls import Finding
from ..categories import category_table
from .dialogue import DialogueRules, InstitutionFinder, _alternation, _blank, agency_names
from ..yamldoc import YamlDoc
from .lexicon import CLAUSE_BREAKS, SoundRegex, checked_regex
from .settings import category_settings
from .view import CallView, Utterance, ViewDetector, agent_utterance_finding

PROTOCOL_FILE = "protocol.yaml"


@dataclass
class ProtocolCues:
    identity_questions: SoundRegex
    plain_yes: re.Pattern
    confirms: SoundRegex
    notices: SoundRegex
    denials: SoundRegex


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

    def patterns(section: dict, section_name: str, key: str) -> SoundRegex:
        keys = (section_name, key)
        return _alternation(doc, doc.strings(section.get(key), keys, required=True), keys)

    plain_yes = identity.get("plain_yes")
    if not isinstance(plain_yes, str):
        doc.problem(("unverified_identity", "plain_yes"), "is required (one regular expression)")
    cues = ProtocolCues(
        identity_questions=patterns(identity, "unverified_identity", "identity_questions"),
        plain_yes=checked_regex(doc, str(plain_yes), ("unverified_identity", "plain_yes")) or re.compile(r"(?!x)x"),
        confirms=patterns(identity, "unverified_identity", "confirms"),
        notices=patterns(recording, "recording_notice", "notices"),
        denials=patterns(recording, "recording_notice", "denials"),
    )
    doc.raise_problems()
    return cues


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
                if self._confirms(u, asked) or self.rules.not_debtor.span(u.sound):
                    return []
                asked = False
                continue
            text = _blank(u.text, self.finder.spans(u, extra))
            told = [(r.label, m.group(0)) for r in self.rules.reveals for m in [r.regex.search(text)] if m]
            if told:
                return [self._finding(view, u, told)]
            asked = bool(self.cues.identity_questions.span(u.sound))
        return []

    def _confirms(self, u: Utterance, asked: bool) -> bool:
        if self.rules.is_debtor.span(u.sound) or self.cues.confirms.span(u.sound):
            return True
        return asked and bool(self.cues.plain_yes.match(u.text))

    def _finding(self, view: CallView, u: Utterance, told: list[tuple[str, str]]) -> Finding:
        what = "、".join(f"{label}（“{said}”）" for label, said in told)
        explanation = f"对方尚未确认是债务人本人，坐席在{u.segment.start:.1f}秒就告知了{what}"
        score = self.score
        if u.role_reason:
            explanation += f"；说话人由话术推断（{u.role_reason}）"
            score *= 0.9
        return agent_utterance_finding(view, u, "unverified_identity", self.severity, score, category_table()["unverified_identity"].clauses, self.name, explanation)


class RecordingNoticeDetector(ViewDetector):
    """An interactive call (agent and customer both spoke) with no recording notice from the
    agent. A notice in the same clause as a denial (我们没有录音) is not a notice. A wrong
    number (打错了) is owed no notice, as it is owed no disclosure."""

    name = "rule:recording_notice"

    def __init__(self, cues: ProtocolCues, rules: DialogueRules, severity: str = "low", score: float = 0.8):
        self.cues = cues
        self.rules = rules
        self.severity = severity
        self.score = score

    def gives_notice(self, u: Utterance) -> bool:
        for match in self.cues.notices.sound_regex.finditer(u.sound):
            left, right = _clause(u.text, match.start(), match.end())
            if not self.cues.denials.span(u.sound[left:right]):
                return True
        return False

    def analyze_view(self, view: CallView) -> list[Finding]:
        agent = [u for u in view.utterances if u.role == "agent"]
        customer = [u for u in view.utterances if u.role == "customer"]
        if not agent or not customer or any(self.gives_notice(u) for u in agent):
            return []
        if any(self.rules.wrong_number.span(u.sound) for u in customer):
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
                clauses=category_table()["recording_notice"].clauses,
                detector=self.name,
                explanation=explanation,
            )
        ]



def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end]: punctuation ends a clause."""
    left = max(text.rfind(ch, 0, start) for ch in CLAUSE_BREAKS) + 1
    rights = [i for i in (text.find(ch, end) for ch in CLAUSE_BREAKS) if i >= 0]
    return left, min(rights, default=len(text))


def protocol_detectors(lexicon_dir: Path, detection: dict, rules: DialogueRules, finder: InstitutionFinder) -> list[ViewDetector]:
    """The protocol detectors the ``detection:`` settings switch on."""
    cues = load_protocol_cues(lexicon_dir)
    detectors: list[ViewDetector] = []
    if (settings := category_settings(detection, "unverified_identity")) is not None:
        detectors.append(UnverifiedIdentityDetector(cues, rules, finder, severity=settings.get("severity") or category_table()["unverified_identity"].severity))
    if (settings := category_settings(detection, "recording_notice")) is not None:
        detectors.append(RecordingNoticeDetector(cues, rules, severity=settings.get("severity") or category_table()["recording_notice"].severity))
    return detectors
