"""Who is on the line: one reading per call of whether the listener confirmed being the debtor,
or is known to be someone else, at every agent turn.

Two rules ask it: ``unverified_identity`` (debt details told before the person confirmed being
the debtor, GB 5.2.2.2) and ``third_party_leak`` (details told to someone who is not the debtor).
The listener is one person until the phone changes hands: a confirmation (是我, a plain 嗯 right
after 请问是张伟吗, the agent saying the check is done) makes them the debtor; the customer saying
who they are (我是他老婆, 他在开会) or the agent showing it knows (您是他什么人, 他在某某的借款逾期了)
makes them a third party, and what the agent told them before anyone knew reached them too. A
third party who hands the phone over (我去叫他), or a voice giving the name the agent asked for
(喂，我是唐俊), brings the debtor to the line. Built once in the prepared view (``prepare.py``),
like the speakers' roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.detect.dialogue_file import DialogueRules
from pipeline.detect.sound import CLAUSE_BREAKS
from pipeline.detect.view import Utterance

# "it's me", said to whatever was asked: to 你是不是X的老丈人 it confirms the father-in-law
PLAIN_I = {"是我", "我是", "系我", "我系", "係我", "我係"}
QUESTION_AFTER = re.compile(r"[^，。！,!]{0,12}[吗么？?]")  # 您老公在我们这也有借款吗？ asks the debtor


@dataclass
class ThirdParty:
    """What showed that the listener is not the debtor."""

    kind: str  # customer_said, agent_addressed or someone_elses_debt
    utterance: Utterance
    said: str


@dataclass
class Hearing:
    """Who heard one agent turn, as far as the call shows."""

    confirmed: bool  # the listener had confirmed being the debtor
    third_party: ThirdParty | None = None  # the listener is known (or turned out) not to be the debtor
    after: int = 0  # the third party was shown this far into the turn: what comes before is no leak
    told_first: bool = False  # said before the listener turned out to be a third party


@dataclass
class Listening:
    hearings: dict[int, Hearing]  # by utterance index, the agent turns only
    # From which utterance index on the details may be told to the listener, and why: guarantor
    # (a guarantor or co-borrower is owed them, from the turn that says so), consent (the debtor
    # lets someone else hear), sent (the debtor sent the third party to pay), offer (the third
    # party offers to pay), each from the turn after the listener said it.
    allowed_from: dict[str, int] = field(default_factory=dict)

    def unverified(self, index: int) -> bool:
        """The agent turn ``index`` was told to someone not confirmed as the debtor and not yet
        known to be anyone else (a third party shown only later heard it unverified too), nor a
        guarantor, who is owed the details."""
        hearing = self.hearings.get(index)
        if not hearing or hearing.confirmed or index >= self.allowed_from.get("guarantor", index + 1):
            return False
        return hearing.third_party is None or hearing.told_first


class ListenerReader:
    """The ``Listening`` of a call's utterances (roles guessed, dialect read as Mandarin)."""

    def __init__(self, rules: DialogueRules):
        self.rules = rules

    def read(self, utterances: list[Utterance]) -> Listening:
        rules = self.rules
        hearings: dict[int, Hearing] = {}
        allowed: dict[str, int] = {}
        third: ThirdParty | None = None
        confirmed = False
        pending: list[Utterance] = []  # agent turns told to this listener before anyone knew who they are
        asked: list[Utterance] = []  # agent turns since the listener last spoke
        agent_said = ""  # what the agent said so far: the names it asked for
        handed_over = False  # the third party called the debtor to the phone: the next voice is his

        def found_out(why: ThirdParty) -> None:
            nonlocal third, pending
            third = why
            for earlier in pending:
                hearings[earlier.index] = Hearing(confirmed=False, third_party=why, told_first=True)
            pending = []

        for u in utterances:
            if "guarantor" not in allowed and rules.guarantor.span(u.heard):
                allowed["guarantor"] = u.index  # 您是孙伟那笔借款的担保人 / 我是他担保人 (NIFA 8, HN 4)
            # a mono turn guessed to be the agent's that gives the name the agent asked for (喂，我是
            # 巴图孟和) is the debtor picking up
            if u.role == "customer" or u.role_reason and self._names_the_sought(u, agent_said):
                if third is None and not confirmed:
                    span = rules.not_debtor.span(u.heard) or self._asked(asked) and rules.denies.span(u.heard)
                    if self._confirms(u, asked, plain=not span) or self._takes_over(u, asked, agent_said):
                        confirmed, pending = True, []
                    elif span:
                        found_out(ThirdParty("customer_said", u, u.text[span[0] : span[1]]))
                elif third is not None and (
                    self._takes_over(u, asked, agent_said) or handed_over and not rules.not_debtor.span(u.heard)
                ):
                    third, confirmed = None, True
                handed_over = bool(third and rules.hands_over.span(u.heard))
                if confirmed and rules.debtor_consents.span(u.heard):
                    allowed.setdefault("consent", u.index + 1)  # 你跟她讲: what follows has consent
                if third and rules.debtor_asked.span(u.heard):
                    allowed.setdefault("sent", u.index + 1)  # 他让我帮他还
                if third and rules.offers_to_pay.span(u.heard):
                    allowed.setdefault("offer", u.index + 1)  # 我来还
                asked = []
                continue
            if third is None and not confirmed and self._agent_confirms(u, asked):
                confirmed, pending = True, []
            asked.append(u)
            agent_said += u.text
            after = 0
            if confirmed and rules.asks_for_someone.span(u.heard):
                confirmed = False  # the listener confirmed being someone the agent is not after
            if third is None and (
                span := rules.agent_addresses_third_party.span(u.heard)
                or not confirmed
                and rules.addresses_as_relative.span(u.heard)
            ):
                found_out(ThirdParty("agent_addressed", u, u.text[span[0] : span[1]]))
                after = span[1]
            elif (
                third is None
                and (match := rules.tells_someone_elses_debt.search(u.text))
                and not QUESTION_AFTER.match(u.text, match.end())
            ):
                found_out(ThirdParty("someone_elses_debt", u, match.group(0).lstrip("，。？！,.?! ")))
                after = match.start()
            hearings[u.index] = Hearing(confirmed=confirmed, third_party=third, after=after if third else 0)
            if third is None and not confirmed:
                pending.append(u)
        return Listening(hearings, allowed)

    def _asked(self, asked: list[Utterance]) -> bool | None:
        """What the agent's last question since the listener spoke asked: True whether this is the
        debtor, None for someone else (是X家吗, 你是不是X的老丈人: a yes to it is a third party's),
        False when it asked neither."""
        for u in reversed(asked):
            if self.rules.questions_for_others.search(u.mandarin):
                return None
            if self.rules.identity_questions.span(u.heard):
                return True
        return False

    def _confirms(self, u: Utterance, asked: list[Utterance], plain: bool = True) -> bool:
        """The listener confirms being the debtor: in words (是我, 我就是, 我的借款), as the debtor
        speaking (担保人, 我真的没钱了), or with a plain yes right after an identity question
        (unless ``plain`` is False: the yes came with saying who they are, 是的，我是他老婆)."""
        if self.rules.is_debtor.span(u.heard):
            return True
        question = self._asked(asked)
        span = self.rules.confirms.span(u.heard)
        if span and (question is not None or u.mandarin[span[0] : span[1]] not in PLAIN_I):
            return True
        return plain and bool(question) and bool(self.rules.plain_yes.match(u.mandarin))

    def _takes_over(self, u: Utterance, asked: list[Utterance], agent_said: str) -> bool:
        """The debtor has taken the phone from a third party: the listener speaks as the debtor, gives
        a name the agent asked for (喂，我是唐俊), or says yes when the agent asks for the debtor
        himself (请问是吴俊熙本人吗 / 是啊)."""
        if self.rules.is_debtor.span(u.heard) or self._names_the_sought(u, agent_said):
            return True
        return any(self.rules.asks_the_debtor.search(a.mandarin) for a in asked) and self._confirms(u, asked)

    def _agent_confirms(self, u: Utterance, asked: list[Utterance]) -> bool:
        """The agent says the check is done (核实是您本人), or, on a mono recording, a turn guessed
        to be the agent's opens with the customer's confirmation run into it (系我，什么事…)."""
        if self.rules.agent_verified.span(u.heard):
            return True
        if not u.role_reason:
            return False
        if self._asked(asked) and self.rules.plain_yes.match(u.mandarin):
            return True
        span = self.rules.confirms.span(u.heard)
        return bool(span) and not any(ch in u.mandarin[: span[0]] for ch in CLAUSE_BREAKS)

    def _names_the_sought(self, u: Utterance, agent_said: str) -> bool:
        """The speaker gives a name the agent asked for (喂，我是唐俊)."""
        named = self.rules.names_self.search(u.mandarin)
        return bool(named and named.group("name") in agent_said)
