"""The third-party family (``third_party_leak``): after the listener turns out not to be the
debtor, the agent tells them about the debt or asks them to pay."""

from __future__ import annotations

import re

from pipeline.detect.base import Detector, Result, lowered_if_guessed, utterance_result
from pipeline.detect.dialogue_file import DialogueRules
from pipeline.detect.institutions import InstitutionFinder, blank, call_names, details_blanked
from pipeline.detect.resources import Resources
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, joined, sentence

QUESTION_AFTER = re.compile(r"[^，。！,!]{0,12}[吗么？?]")
ASKS_THE_DEBTOR = re.compile(r"本人(?:吗|么|嘛|是吧|对吧|[？?])")


class ThirdPartyRecognizer(Detector):
    """``third_party_leak``: debt details told to someone who is not the debtor.

    The listener is known to be a third party once the customer says so (我是他老婆, 他在开会,
    这号码是我新办的) or the agent shows it knows (您是他什么人, 你作为他的同事, 您朋友把您留成了
    紧急联系人) or speaks of someone else's debt (他在某某的借款逾期了); details in that agent
    turn after the cue, and in later ones, are leaks. A listener who confirmed their name is
    the debtor, unless the agent then asks for someone else (我们找一下林涛). Details the agent gave just
    before the customer said so (请问是张伟吗？你的借款逾期了 / 我是他老婆) reached the third
    party too. Naming the agent's own institution is required, so institution names are blanked
    out before looking for debt words (某某小额贷款公司 does not reveal a 贷款). Once the third
    party offers to pay, the repayment details they need are allowed.

    Where ``unverified_identity`` runs too, each leak is also that: the details reached someone
    never confirmed as the debtor (GB 5.2.2.2).
    """

    family = "third_party"
    name = "rule:third_party_leak"
    categories = ("third_party_leak",)

    def __init__(
        self,
        rules: DialogueRules,
        finder: InstitutionFinder,
        severities: dict[str, str],
        guessed_role_factor: float = 0.9,
        unverified_clauses: list[str] = (),
    ):
        self.rules = rules
        self.finder = finder
        self.severities = severities  # of the categories this instance reports: the leak, and unverified_identity
        self.categories = tuple(severities)
        self.guessed_role_factor = guessed_role_factor
        self.unverified_clauses = list(unverified_clauses)

    @classmethod
    def build(cls, categories: list[str], resources: Resources) -> list[Detector]:
        settings = resources.settings
        return [
            cls(
                resources.dialogue,
                resources.finder,
                {c: settings.severity(c) for c in categories},
                settings.lexicon.guessed_role_factor,
                resources.table["unverified_identity"].clauses,
            )
        ]

    def analyze(self, view: CallView) -> list[Result]:
        findings = []
        third_party: tuple[Utterance, str] | None = None  # who showed the listener is not the debtor, and how
        unanswered: list[Utterance] = []  # agent turns since the customer last spoke
        confirmed = False  # the customer answered the agent's identity question: the debtor
        names: list[str] | None = None  # the call's institution names, found when first needed
        agent_said = ""  # what the agent said so far: the names it asked for

        def look(u: Utterance, why: tuple[Utterance, str], after: int = 0, told_first: bool = False) -> None:
            nonlocal names
            if not any(r.regex.search(blank(u.text, [(0, after)])) for r in self.rules.reveals):
                return  # most turns reveal nothing: skip looking for institution names
            if names is None:
                names = call_names(view, self.finder, self.rules)
            text = details_blanked(u, self.finder, self.rules, names, after)
            reveals = [
                (r.score, sentence("detail", label=r.label, said=m.group(0)))
                for r in self.rules.reveals
                for m in [r.regex.search(text)]
                if m
            ]
            if reveals:
                findings.extend(self._findings(view, u, why, reveals, told_first))

        for u in view.utterances:
            if u.role == "customer":
                if third_party is None and not confirmed and self._confirms(unanswered, u):
                    confirmed = True
                elif third_party is None and not confirmed:
                    span = self.rules.not_debtor.span(u.sound)
                    # a guarantor (我是他担保人) or the debtor after all is owed the details
                    if span and not self.rules.is_debtor.span(u.sound):
                        said = u.text[span[0] : span[1]]
                        third_party = (u, sentence("third_party.customer_said", at=u.segment.start, said=said))
                        for earlier in unanswered:
                            look(earlier, third_party, told_first=True)
                elif self.rules.is_debtor.span(u.sound) or self._debtor_takes_over(unanswered, u, agent_said):
                    third_party = None
                if third_party and self.rules.offers_to_pay.span(u.sound):
                    break  # the third party offered to pay: the details they need are allowed
                unanswered = []
                continue
            unanswered.append(u)
            agent_said += u.text
            after = 0
            if confirmed and self.rules.asks_for_someone.span(u.sound):
                confirmed = False  # the listener confirmed being someone the agent is not after
            if self.rules.agent_names_guarantor.span(u.sound):
                third_party = None  # a guarantor is owed the details (NIFA 8, HN 4)
                continue
            if third_party is None and (span := self.rules.agent_addresses_third_party.span(u.sound)):
                said = u.text[span[0] : span[1]]
                third_party = (u, sentence("third_party.agent_addressed", at=u.segment.start, said=said))
                after = span[1]
            elif (
                third_party is None
                and (match := self.rules.tells_someone_elses_debt.search(u.text))
                and not QUESTION_AFTER.match(u.text, match.end())  # 您老公在我们这也有借款吗？ asks the debtor
            ):
                said = match.group(0).lstrip("，。？！,.?! ")
                third_party = (u, sentence("third_party.someone_elses_debt", at=u.segment.start, said=said))
                after = match.start()
            if third_party is not None:
                look(u, third_party, after)
        return findings

    def _debtor_takes_over(self, asked: list[Utterance], answer: Utterance, agent_said: str) -> bool:
        """The debtor has taken the phone: the listener gives a name the agent asked for (喂，我是
        唐俊), or says yes when the agent asks for the debtor himself (请问是吴俊熙本人吗 / 是啊)."""
        named = self.rules.names_self.search(answer.text)
        if named and named.group("name") in agent_said:
            return True
        return any(ASKS_THE_DEBTOR.search(u.text) for u in asked) and self._confirms(asked, answer)

    def _confirms(self, asked: list[Utterance], answer: Utterance) -> bool:
        """Whether ``answer`` says yes to an identity question among the agent turns ``asked``."""
        return bool(
            asked
            and self.rules.confirms_identity.span(answer.sound)
            and any(self.rules.identity_question.span(u.sound) for u in asked)
        )

    def _findings(
        self,
        view: CallView,
        u: Utterance,
        why: tuple[Utterance, str],
        reveals: list[tuple[float, str]],
        told_first: bool,
    ) -> list[Result]:
        told, cue = why
        score = max(score for score, _ in reveals)
        guessed = bool(u.role_reason or told.role_reason)
        details = [what for _, what in reveals]
        if told_first:
            text = sentence("third_party.told_then_heard", details=details, cue=cue)
        else:
            text = sentence("third_party.heard_then_told", details=details, cue=cue)
        score, parts = lowered_if_guessed("reveal", score, guessed, self.guessed_role_factor)
        results = []
        if "third_party_leak" in self.severities:
            explanation = Explanation(detector=self.name, text=text, role_guessed=guessed, score_parts=parts)
            results.append(
                utterance_result(
                    view,
                    u,
                    "third_party_leak",
                    self.severities["third_party_leak"],
                    round(score, 3),
                    self.rules.third_party_clauses,
                    explanation,
                    speaker="agent",
                )
            )
        if "unverified_identity" in self.severities:
            explanation = Explanation(
                detector=self.name,
                text=joined(text, sentence("third_party.unconfirmed")),
                role_guessed=guessed,
                score_parts=parts,
            )
            results.append(
                utterance_result(
                    view,
                    u,
                    "unverified_identity",
                    self.severities["unverified_identity"],
                    round(score, 3),
                    self.unverified_clauses,
                    explanation,
                    speaker="agent",
                )
            )
        return results
