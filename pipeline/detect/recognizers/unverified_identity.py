"""The unverified-identity family (``unverified_identity``): debt details told before the person
confirmed being the debtor (GB 5.2.2.2, HN 10, NIFA 16(一)1)."""

from __future__ import annotations

from pipeline.categories import category_table
from pipeline.detect.base import Detector, Result, lowered_if_guessed, utterance_result
from pipeline.detect.dialogue_file import DialogueRules
from pipeline.detect.institutions import (
    InstitutionFinder,
    blank,
    call_names,
    declined_blanked,
    details_blanked,
    details_told,
)
from pipeline.detect.protocol_file import ProtocolCues
from pipeline.detect.resources import Resources
from pipeline.detect.settings import LexiconSettings
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, sentence


class UnverifiedIdentityRecognizer(Detector):
    """The first agent turn that tells debt details while the person on the line has not
    confirmed being the debtor, and is not yet known to be anyone else, is the finding. Who is
    listening is read once per call in the prepared view (``listener.py``): a confirmation (是我,
    我就是, a plain 嗯/对 right after 请问是张先生吗, or the agent saying the check is done:
    核实是您本人); a yes to a question for the household or the workplace (是冯勇家吗, 是鸿发厂吗)
    confirms nobody. Details told once the listener is known to be someone else are
    ``third_party_leak``'s business (which files them as this too).

    The reading of a reply that neither confirms nor denies: a listener asked 请问是张先生吗 who
    answers 你哪位？, 啥事？ or 律师？, and never turns out to be anyone else, answered to the name
    and took the call as the one called: details told next are not counted as told unverified
    (19 of the 21 tune writers with such calls mostly left them unlabelled, 52 calls to 7;
    categories.md does not say what counts as confirming). Details told before any reply, or
    after one that says nothing to the name (喂？, 听不清, a bare 你说), still are, except those
    said in the same breath as the name asked (喂，张伟吧？你那笔三千逾期了, or the name asked in a
    turn the listener had not answered yet) to a listener who never turns out to be anyone else:
    the tune writers leave those mostly unlabelled (round 12: 38 calls to 14), while details said
    before the name is asked stay labelled (11 to 3) (``Listening.in_breath``). A listener whose
    first reply to them asks who is calling or whom they want (你哪位？, 你找谁？) did not take the
    call as the one named: those details stay told unverified (round 15: 13 calls by 12 tune and
    fresh writers labelled, 4 by 3 writers not).
    Institution names and the organisation's business
    (受某某委托处理逾期账户) and its app's name (广信分期App) are blanked first: they tell nothing about this person's debt;
    a detail denied in its clause (短信里没有提到欠款) is not told."""

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
                settings.severity("unverified_identity"),
                guessed_role_factor=settings.lexicon.guessed_role_factor,
            )
        ]

    def analyze(self, view: CallView) -> list[Result]:
        names: list[str] | None = None  # the call's institution names, found when first needed
        for u in view.utterances:
            if not view.listening.unverified(u.index):
                continue
            if not any(r.regex.search(u.text) for r in self.rules.reveals):
                continue
            if names is None:
                names = call_names(view, self.finder, self.rules)
            text = declined_blanked(details_blanked(u, self.finder, self.rules, names), self.rules)
            text = blank(text, [m.span() for m in self.cues.not_details.finditer(text)])
            breath = view.listening.in_breath(u.index)
            if breath is not None:
                text = blank(text, [(breath, len(text))])  # said in the same breath as the name asked
            told = [(r.label, m.group(0)) for r, m in details_told(text, self.rules)]
            if told:
                return [self._finding(view, u, told)]
        return []

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
