"""The recording-notice family (``recording_notice``): an interactive call in which the agent
never says the call is recorded (NIFA 16(一)2)."""

from __future__ import annotations

from pipeline.categories import category_table
from pipeline.detect.base import Detector, Result, lowered_if_guessed, span_result
from pipeline.detect.protocol_file import ProtocolCues
from pipeline.detect.resources import Resources
from pipeline.detect.settings import LexiconSettings
from pipeline.detect.sound import CLAUSE_BREAKS
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, sentence


class RecordingNoticeRecognizer(Detector):
    """An interactive call (agent and customer both spoke) with no recording notice from the
    agent. A notice in the same clause as a denial (我们没有录音) is not a notice. A stranger
    who says it is a wrong number is owed the notice all the same: the wrong-number ruling spares
    them the disclosure, and the writers label the notice's absence on such calls (31 calls to 4,
    22 writers to 2)."""

    family = "recording_notice"
    name = "rule:recording_notice"
    categories = ("recording_notice",)

    def __init__(
        self,
        cues: ProtocolCues,
        severity: str,
        score: float = 0.8,
        guessed_role_factor: float = LexiconSettings.guessed_role_factor,
    ):
        self.cues = cues
        self.severity = severity
        self.score = score
        self.guessed_role_factor = guessed_role_factor

    @classmethod
    def build(cls, categories: list[str], resources: Resources) -> list[Detector]:
        settings = resources.settings
        return [
            cls(
                resources.protocol,
                settings.severity("recording_notice"),
                guessed_role_factor=settings.lexicon.guessed_role_factor,
            )
        ]

    def gives_notice(self, u: Utterance) -> bool:
        for match in self.cues.notices.sound_regex.finditer(u.sound):
            left, right = _clause(u.text, match.start(), match.end())
            if not self.cues.denials.span(u.sound[left:right]):
                return True
        return False

    def analyze(self, view: CallView) -> list[Result]:
        agent = [u for u in view.utterances if u.role == "agent"]
        customer = [u for u in view.utterances if u.role == "customer"]
        if not agent or not customer or any(self.gives_notice(u) for u in agent):
            return []
        text = sentence("recording_notice.missing", agent=len(agent), customer=len(customer))
        guessed = any(u.role_reason for u in agent)
        score, parts = lowered_if_guessed("rule", self.score, guessed, self.guessed_role_factor)
        explanation = Explanation(detector=self.name, text=text, role_guessed=guessed, score_parts=parts)
        return [
            span_result(
                view,
                view.utterances[0],
                view.utterances[-1],
                "recording_notice",
                self.severity,
                round(score, 3),
                category_table()["recording_notice"].clauses,
                agent[0].segment.text,
                explanation,
            )
        ]


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end]: punctuation ends a clause."""
    left = max(text.rfind(ch, 0, start) for ch in CLAUSE_BREAKS) + 1
    rights = [i for i in (text.find(ch, end) for ch in CLAUSE_BREAKS) if i >= 0]
    return left, min(rights, default=len(text))
