"""The unverified-identity family (``unverified_identity``): debt details told before the person
confirmed being the debtor (GB 5.2.2.2, HN 10, NIFA 16(一)1)."""

from __future__ import annotations

from pipeline.categories import category_table
from pipeline.detect.base import Detector, Result, lowered_if_guessed, utterance_result
from pipeline.detect.dialogue_file import DialogueRules
from pipeline.detect.institutions import InstitutionFinder, blank, call_names, details_blanked
from pipeline.detect.protocol_file import ProtocolCues
from pipeline.detect.resources import Resources
from pipeline.detect.sound import CLAUSE_BREAKS
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, sentence

PLAIN_I = {"是我", "我是", "系我", "我系", "係我", "我係"}  # "it's me", said to whatever was asked


class UnverifiedIdentityRecognizer(Detector):
    """Walks the call in order: the first agent turn that tells debt details while the person's
    identity is still unconfirmed is the finding. A confirmation (是我, 我就是, a plain 嗯/对
    right after 请问是张先生吗 (谁啊？ alone is no answer to it), or the agent saying the
    check is done: 核实是您本人) ends the search; so does the customer saying they are someone
    else (that is ``third_party_leak``'s business). A yes to a question for the household or the
    workplace (是冯勇家吗, 是鸿发厂吗) confirms nobody. On a mono recording a turn guessed to be
    the agent's that opens with a confirmation (系我，什么事…) is the customer's answer run
    together with the agent's words. Institution names and the organisation's business
    (受某某委托处理逾期账户) and its app's name (广信分期App) are blanked first: they tell nothing about this person's debt."""

    family = "unverified_identity"
    name = "rule:unverified_identity"
    categories = ("unverified_identity",)

    def __init__(
        self,
        cues: ProtocolCues,
        rules: DialogueRules,
        finder: InstitutionFinder,
        severity: str,
        score: float = 0.8,
        guessed_role_factor: float = 0.9,
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
                settings.severity("unverified_identity"),
                guessed_role_factor=settings.lexicon.guessed_role_factor,
            )
        ]

    def analyze(self, view: CallView) -> list[Result]:
        asked: bool | None = False  # the previous agent turn asked whether this is the debtor (None: someone else)
        names: list[str] | None = None  # the call's institution names, found when first needed
        for u in view.utterances:
            if u.role == "customer":
                if self._confirms(u, asked) or self.rules.not_debtor.span(u.sound):
                    return []
                asked = False
                continue
            if self.cues.agent_verified.span(u.sound) or (u.role_reason and self._opens_with_confirmation(u, asked)):
                return []
            if not any(r.regex.search(u.text) for r in self.rules.reveals):
                asked = self._asks_for_the_debtor(u)
                continue
            if names is None:
                names = call_names(view, self.finder, self.rules)
            text = details_blanked(u, self.finder, self.rules, names)
            text = blank(text, [m.span() for m in self.cues.not_details.finditer(text)])
            told = [(r.label, m.group(0)) for r in self.rules.reveals for m in [r.regex.search(text)] if m]
            if told:
                return [self._finding(view, u, told)]
            asked = self._asks_for_the_debtor(u)
        return []

    def _asks_for_the_debtor(self, u: Utterance) -> bool | None:
        """True when the turn asks whether this is the debtor, None when it asks for someone else
        (是X家吗, 你是不是X的老丈人: a yes to it is a third party's), else False."""
        if self.cues.questions_for_others.search(u.text):
            return None
        return bool(self.cues.identity_questions.span(u.sound))

    def _confirms(self, u: Utterance, asked: bool | None) -> bool:
        if self.rules.is_debtor.span(u.sound):
            return True
        span = self.cues.confirms.span(u.sound)
        if span and (asked is not None or u.text[span[0] : span[1]] not in PLAIN_I):
            return True  # (是我 to 你是不是X的老丈人 confirms the father-in-law; 我就是冯勇 the debtor)
        return asked and bool(self.cues.plain_yes.match(u.text))

    def _opens_with_confirmation(self, u: Utterance, asked: bool | None) -> bool:
        """A confirmation in the turn's first clause (系我，什么事… / 是，啥事儿… right after the question)."""
        if asked and self.cues.plain_yes.match(u.text):
            return True
        span = self.cues.confirms.span(u.sound)
        return bool(span) and not any(ch in u.text[: span[0]] for ch in CLAUSE_BREAKS)

    def _finding(self, view: CallView, u: Utterance, told: list[tuple[str, str]]) -> Result:
        details = [sentence("detail", label=label, said=said) for label, said in told]
        text = sentence("unverified_identity", at=u.segment.start, details=details)
        score, parts = lowered_if_guessed("rule", self.score, bool(u.role_reason), self.guessed_role_factor)
        explanation = Explanation(
            detector=self.name,
            text=text,
            role_guessed=bool(u.role_reason),
            role_reason=u.role_reason,
            score_parts=parts,
        )
        return utterance_result(
            view,
            u,
            "unverified_identity",
            self.severity,
            round(score, 3),
            category_table()["unverified_identity"].clauses,
            explanation,
            speaker="agent",
        )
