"""The recording-notice family (``recording_notice``): an interactive call in which the agent
never says the call is recorded (NIFA 16(一)2)."""

from __future__ import annotations

from pipeline.categories import category_table
from pipeline.detect.base import Detector, Result, lowered_if_guessed, span_result
from pipeline.detect.dialogue_file import DialogueRules
from pipeline.detect.institutions import InstitutionFinder, call_names, reached_a_stranger
from pipeline.detect.protocol_file import ProtocolCues
from pipeline.detect.resources import Resources
from pipeline.detect.settings import LexiconSettings
from pipeline.detect.sound import CLAUSE_BREAKS
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, sentence


class RecordingNoticeRecognizer(Detector):
    """An interactive call (agent and customer both spoke) with no recording notice from the
    agent. A notice in the same clause as a denial (我们没有录音) is not a notice. A stranger
    who said it was a wrong number (打错了) before the agent said anything of the debt is owed no
    notice, as no disclosure (the ruling on wrong numbers); an agent who launched into the debt
    first still owed both."""

    family = "recording_notice"
    name = "rule:recording_notice"
    categories = ("recording_notice",)

    def __init__(
        self,
        cues: ProtocolCues,
        rules: DialogueRules,
        finder: InstitutionFinder,
        severity: str,
        score: float = 0.8,
        guessed_role_factor: float = LexiconSettings.guessed_role_factor,
    ):
        self.cues = cues
        self.rules = rules
        self.finder = finder
        self.severity = severity
        self.score = score
        self.guessed_role_factor = guessed_role_factor

    @classmethod
    def build(cls, categories: list[str], resources: Resources) -> list[Detector]:
        settings = resources.settings
        return [
            cls(
                resources.protocol,
                resources.dialogue,
                resources.finder,
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
        # (the call's names, which reading it needs, are looked for only where someone said 打错了)
        said_wrong_number = any(self.rules.wrong_number.span(u.heard) for u in customer)
        end = view.utterances[-1].segment.end
        if said_wrong_number and reached_a_stranger(
            view, end, self.finder, self.rules, call_names(view, self.finder, self.rules)
        ):
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
