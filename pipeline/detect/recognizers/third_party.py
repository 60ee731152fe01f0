"""The third-party family (``third_party_leak``): after the listener turns out not to be the
debtor, the agent tells them about the debt or asks them to pay."""

from __future__ import annotations

import re

from pipeline.detect.base import Detector, Result, lowered_if_guessed, utterance_result
from pipeline.detect.dialogue_file import DialogueRules, read_as_mandarin
from pipeline.detect.institutions import InstitutionFinder, blank, call_names, details_blanked
from pipeline.detect.resources import Resources
from pipeline.detect.sound import CLAUSE_BREAKS, sound_text
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, joined, sentence

QUESTION_AFTER = re.compile(r"[^，。！,!]{0,12}[吗么？?]")
# the agent asks for the debtor himself, or checks his identity details (身份证后四位是…吗)
ASKS_THE_DEBTOR = re.compile(
    r"本人(?:吗|么|嘛|是吧|对吧|[？?])|(?:身份证|后四位|尾号|出生)[^，。！]{0,12}(?:吗|么|[？?])"
)


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
        offer_needs_consent: bool = True,
    ):
        self.rules = rules
        self.finder = finder
        self.severities = severities  # of the categories this instance reports: the leak, and unverified_identity
        self.categories = tuple(severities)
        self.guessed_role_factor = guessed_role_factor
        self.unverified_clauses = list(unverified_clauses)
        # GB (5.2.1.1) wants the debtor's consent before a third party who offers to pay is told
        # the repayment details (the ruling in categories.md); NIFA and HN allow them on the offer.
        self.offer_needs_consent = offer_needs_consent

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
                offer_needs_consent=bool(settings.cited(["GB 5.2.1.1"])),
            )
        ]

    def analyze(self, view: CallView) -> list[Result]:
        findings = []
        third_party: tuple[Utterance, str] | None = None  # who showed the listener is not the debtor, and how
        debtor = False  # the listener is known to be the debtor
        pending: list[Utterance] = []  # agent turns told to this listener before anyone knew who they are
        asked: list[Utterance] = []  # agent turns since the customer last spoke
        names: list[str] | None = None  # the call's institution names, found when first needed
        agent_said = ""  # what the agent said so far: the names it asked for
        handed_over = False  # the third party called the debtor to the phone: the next voice is his

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
                if m and not self._unsaid(text, m.start(), m.end())
            ]
            if reveals:
                findings.extend(self._findings(view, u, why, reveals, told_first))

        def found_out(why: tuple[Utterance, str]) -> None:
            """The listener is a third party: what they were told before anyone knew reached them too."""
            nonlocal third_party, pending
            third_party = why
            for earlier in pending:
                look(earlier, why, told_first=True)
            pending = []

        for u in view.utterances:
            # spelt by sound again only where a dialect word was read as Mandarin
            read = read_as_mandarin(self.rules, u.text)
            heard = u.sound if read == u.text else sound_text(read)
            if self.rules.guarantor.span(heard):
                break  # a guarantor (您是孙伟那笔借款的担保人, 我是他担保人) is owed the details (NIFA 8, HN 4)
            # a mono turn guessed to be the agent's that gives the name the agent asked for (喂，我是
            # 巴图孟和) is the debtor picking up
            if u.role == "customer" or u.role_reason and self._names_the_sought(u, agent_said):
                if third_party is None and not debtor:
                    span = self.rules.not_debtor.span(heard)
                    if (
                        self._confirms(asked, heard)
                        or self.rules.is_debtor.span(heard)
                        or self._debtor_takes_over(asked, u, heard, agent_said)
                    ):
                        debtor, pending = True, []
                    elif span:
                        said = u.text[span[0] : span[1]]
                        found_out((u, sentence("third_party.customer_said", at=u.segment.start, said=said)))
                elif third_party is not None and (
                    self.rules.is_debtor.span(heard)
                    or self._debtor_takes_over(asked, u, heard, agent_said)
                    or handed_over
                    and not self.rules.not_debtor.span(heard)
                ):
                    third_party, debtor = None, True
                handed_over = bool(third_party and self.rules.hands_over.span(heard))
                if debtor and self.rules.debtor_consents.span(heard):
                    break  # the debtor lets someone else hear it (你跟她讲): what follows has consent
                # the debtor sent them to pay (他让我帮他还), or they offer and only NIFA and HN
                # bind: the details they need are allowed
                if third_party and (
                    self.rules.debtor_asked.span(heard)
                    or not self.offer_needs_consent
                    and self.rules.offers_to_pay.span(heard)
                ):
                    break
                asked = []
                continue
            asked.append(u)
            agent_said += u.text
            after = 0
            if debtor and self.rules.asks_for_someone.span(heard):
                debtor = False  # the listener confirmed being someone the agent is not after
            if third_party is None and (span := self.rules.agent_addresses_third_party.span(heard)):
                said = u.text[span[0] : span[1]]
                found_out((u, sentence("third_party.agent_addressed", at=u.segment.start, said=said)))
                after = span[1]
            elif (
                third_party is None
                and (match := self.rules.tells_someone_elses_debt.search(u.text))
                and not QUESTION_AFTER.match(u.text, match.end())  # 您老公在我们这也有借款吗？ asks the debtor
            ):
                said = match.group(0).lstrip("，。？！,.?! ")
                found_out((u, sentence("third_party.someone_elses_debt", at=u.segment.start, said=said)))
                after = match.start()
            if third_party is not None:
                look(u, third_party, after)
            elif not debtor:
                pending.append(u)
        return findings

    def _unsaid(self, text: str, start: int, end: int) -> bool:
        """The detail is denied in its clause (没有说借款的事情, 家里人不需要替他还)."""
        clause = max((text.rfind(ch, 0, start) for ch in CLAUSE_BREAKS), default=-1) + 1
        return bool(self.rules.unsaid.search(text[clause:end]))

    def _debtor_takes_over(self, asked: list[Utterance], answer: Utterance, heard: str, agent_said: str) -> bool:
        """The debtor has taken the phone: the listener gives a name the agent asked for (喂，我是
        唐俊), or says yes when the agent asks for the debtor himself (请问是吴俊熙本人吗 / 是啊)."""
        if self._names_the_sought(answer, agent_said):
            return True
        return any(ASKS_THE_DEBTOR.search(u.text) for u in asked) and self._confirms(asked, heard)

    def _names_the_sought(self, u: Utterance, agent_said: str) -> bool:
        """The speaker gives a name the agent asked for (喂，我是唐俊)."""
        named = self.rules.names_self.search(read_as_mandarin(self.rules, u.text))
        return bool(named and named.group("name") in agent_said)

    def _confirms(self, asked: list[Utterance], heard: str) -> bool:
        """Whether the answer (``heard``) says yes to an identity question among the agent turns ``asked``."""
        return bool(
            asked
            and self.rules.confirms_identity.span(heard)
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
