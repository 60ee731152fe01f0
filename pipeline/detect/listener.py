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
from pipeline.detect.heard_words import WrittenCue
from pipeline.detect.sound import CLAUSE_BREAKS, sounds_alike_over_the_phone
from pipeline.detect.view import Utterance
from pipeline.patterns import compiled
from pipeline.text import is_word

# "it's me", said to whatever was asked: to 你是不是X的老丈人 it confirms the father-in-law
PLAIN_I = {"是我", "我是", "系我", "我系", "係我", "我係"}
ASKS = re.compile(r"[吗么嘛？?]|是不是")  # a turn that asks something
HIM_OR_HER = re.compile(r"[他她佢]")  # a reply that speaks of someone (我是伊阿叔，他电话坏了？)
QUESTION_AFTER = re.compile(r"[^，。！,!]{0,12}[吗么？?]")  # 您老公在我们这也有借款吗？ asks the debtor
# what may come before a short answer (喂，嗯，是我)
BEFORE_ANSWER = re.compile(r"^(?:[，。！、,.!\s]|喂|嗯|啊|哦|呃|哎)*")
# a name said back before the answer (王建军，对 / 王先生？是的): the yes follows it
# the last four of an ID number, given to the agent who asked for it (孔凡美，后四位2046)
ID_DIGITS = re.compile(r"(?<![0-9])[0-9]{3}[0-9Xx](?![0-9])|[零〇一二三四五六七八九幺]{4}")
# it is me after all, at a clause's end (……好吧，是我 / 系我。), not 不是我 or 他是我…
OWNS_UP = re.compile(r"(?<![不他她])(?:是|系|係)我(?=$|[，。！？…,.!?\s])|就是我")
ECHO = re.compile(r"^(?:喂|嗯|啊|哦)?[，,\s]*(?P<name>(?![不没谁哪你您我他她])[^，。？！,.?!\s]{2,4})[，,？?\s]+")


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
    # the listener answered to the debtor's name without confirming or denying it (你哪位, 啥事)
    answered: bool = False
    # the agent asked for the debtor by name and went on without waiting for the answer (喂，张伟
    # 吧？你那笔三千逾期了): from this offset into the turn on (0: the whole turn, the name was asked
    # in an earlier turn the listener had not answered yet) the details were said in the same
    # breath as the name; None when they were not
    breath_from: int | None = None
    # told to a listener who denied being the debtor and then admitted it in the same voice (不是，
    # 打错了 … 好吧，是我): the debtor heard it, unconfirmed
    denied: bool = False


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
        guarantor, who is owed the details. A listener who answered to the debtor's name without
        denying it (你哪位？, 啥事？) and never turned out to be anyone else took the call as the
        one called: what they were told was told to the debtor."""
        hearing = self.hearings.get(index)
        if not hearing or hearing.confirmed or index >= self.allowed_from.get("guarantor", index + 1):
            return False
        return hearing.told_first or hearing.denied or hearing.third_party is None and not hearing.answered

    def in_breath(self, index: int) -> int | None:
        """From which offset into the agent turn ``index`` the details were said in the same breath
        as the debtor's name asked (请问是张伟吗，你的借款逾期了 / 喂，张伟吧？ … 你那笔三千), to a
        listener who then never turned out to be anyone else: the one asked for took the call and
        heard them (most tune writers leave these unlabelled: see ``unverified_identity``). None
        when the turn has no such part, or the listener turned out to be a third party."""
        hearing = self.hearings.get(index)
        if not hearing or hearing.told_first or hearing.denied or hearing.third_party is not None:
            return None
        return hearing.breath_from


class ListenerReader:
    """The ``Listening`` of a call's utterances (roles guessed, dialect read as Mandarin)."""

    def __init__(self, rules: DialogueRules):
        self.rules = rules
        self.who_is_this = WrittenCue(rules.who_is_this)

    def read(self, utterances: list[Utterance]) -> Listening:
        call = _CallReading(self.rules, self.who_is_this)
        for u in utterances:
            call.turn(u)
        return Listening(call.hearings, call.allowed)


def name_asked_at(rules: DialogueRules, text: str) -> int | None:
    """Where the agent's ``text`` asks for someone by name or calls them by it (请问是张伟吗, 喂，
    张伟吧, 喂，张伟，): the identity questions as written (by sound 你好 would be a surname, 倪,
    and 巴 a 吧), and a name, not the caller's organisation said alone (喂，你好，某某金融，)."""
    for match in compiled(rules.identity_questions.pattern).finditer(text):
        said = match.group(0)
        if not rules.suffixes.search(said) and not any(end in said for end in rules.brand_endings):
            return match.start()
    return None


class _CallReading:
    """One call read turn by turn: who the listener is so far, and the agent turns that wait to
    learn who heard them."""

    def __init__(self, rules: DialogueRules, who_is_this: WrittenCue):
        self.rules = rules
        self.who_is_this = who_is_this  # rules.who_is_this, read again with its words put back where heard
        self.hearings: dict[int, Hearing] = {}
        self.allowed: dict[str, int] = {}
        self.third: ThirdParty | None = None
        self.confirmed = False
        self.answered = False  # the listener answered to the name asked without confirming or denying it
        self.pending: list[Utterance] = []  # agent turns told to this listener before anyone knew who they are
        self.since_confirmed: list[Utterance] = []  # agent turns told after the listener's confirmation
        self.asked: list[Utterance] = []  # agent turns since the listener last spoke
        self.agent_said = ""  # what the agent said so far: the names it asked for
        self.handed_over = False  # the third party called the debtor to the phone: the next voice is his
        self.last: Utterance | None = None  # the turn before this one
        self.replied_to_name = False  # the listener spoke after the agent asked for the debtor by name
        self.voice_changed = False  # the phone may have changed hands since the listener turned out to be a third party
        self.taken_from_debtor = False  # ... or since the debtor confirmed (你给俺电话！)

    def turn(self, u: Utterance) -> None:
        if (
            "guarantor" not in self.allowed
            and self.rules.guarantor.span(u.heard)
            and not self.rules.guarantor_by_relation.search(u.mandarin)
        ):
            # 您是孙伟那笔借款的担保人 / 我是他担保人 (NIFA 8, HN 4); not 紧急联系人要负连带责任
            self.allowed["guarantor"] = u.index
        # a mono turn guessed to be the agent's that gives the name the agent asked for (喂，我是
        # 巴图孟和) is the debtor picking up
        if u.role == "customer" or u.role_reason and self._names_the_sought(u):
            self._customer_turn(u)
        else:
            self._agent_turn(u)

    def _customer_turn(self, u: Utterance) -> None:
        rules = self.rules
        third_before, handed_over = self.third, self.handed_over
        changes_hands = self._changes_hands(u)
        if self.who_is_this.search(u.mandarin, u.heard):
            # details said in the same breath as the name, answered 你哪位？: told to someone who
            # did not take the call as the one named
            for a in self.asked:
                self.hearings[a.index].breath_from = None
        self.replied_to_name = self.replied_to_name or bool(self._asked())
        if self.third is None and not self.confirmed:
            span = rules.not_debtor.span(u.heard) or self._asked() is not False and rules.denies.span(u.heard)
            if self._confirms(u, plain=not span, until=span[0] if span else None) or self._takes_over(u):
                self._confirm()
            elif span:
                self._found_out(ThirdParty("customer_said", u, u.text[span[0] : span[1]]))
            elif self._asked() and not rules.no_answer.match(u.mandarin) and not HIM_OR_HER.search(u.mandarin):
                self.answered = True  # 你哪位？/ 啥事？ to 请问是张伟吗: the one called took the call
        elif self.third is None and (span := rules.says_who_they_are.span(u.heard)):
            # the confirmation was someone else's: what was told since it reached a third party;
            # or the debtor handed the phone over (喂，你好，我是她女儿): what he heard stays his
            self.confirmed, self.pending = False, [] if self._new_voice(u) else self.since_confirmed
            self._found_out(ThirdParty("customer_said", u, u.text[span[0] : span[1]]))
        elif self.third is None and changes_hands:
            # someone else may have the debtor's phone now (给我，你跟谁说呢): what was told before stays his
            self.since_confirmed, self.taken_from_debtor = [], True
        elif self._owns_up(u, moved=handed_over or changes_hands):
            self._take_back()
            self._confirm()
        elif self.third is not None and (
            self._takes_over(u)
            or (self.handed_over and not rules.not_debtor.span(u.heard))
            or self._admits(u)
            or (changes_hands and self._confirms(u, plain=False))
        ):
            self.third = None
            self._confirm()
        if self.third is not None and self.third is third_before:
            self.voice_changed = self.voice_changed or handed_over or changes_hands
        self.handed_over = bool(self.third and rules.hands_over.span(u.heard))
        # 你跟她讲: what follows has consent; also said by a second voice while a third party holds
        # the phone (女儿接的 … 嗯，让我闺女跟你们说)
        background = self.third is not None and third_before is not None and changes_hands
        if (self.confirmed or background) and rules.debtor_consents.span(u.heard):
            self.allowed.setdefault("consent", u.index + 1)
        if self.third and rules.debtor_asked.span(u.heard):
            self.allowed.setdefault("sent", u.index + 1)  # 他让我帮他还
        if self.third and rules.offers_to_pay.span(u.heard):
            self.allowed.setdefault("offer", u.index + 1)  # 我来还
        self.asked = []
        self.last = u

    def _agent_turn(self, u: Utterance) -> None:
        if self.third is None and not self.confirmed and self._agent_confirms(u):
            self._confirm()
        elif self.third is not None and (
            self.rules.agent_verified.span(u.heard) or self._yes_run_in(u) and self._asked_for_the_debtor()
        ):
            # the one who took the phone was checked (身份证后四位 … 核实无误), or said yes to 本人吗
            self.third = None
            self._confirm()
        if (self.third is not None or self.confirmed) and self.rules.consent_noted.search(u.mandarin):
            self.allowed.setdefault("consent", u.index)  # 好的，汪师傅同意了。那我跟您说…
        breath_from = self._breath_from(u)
        self.asked.append(u)
        self.agent_said += u.text
        self.last = u
        if self.confirmed and self.rules.asks_for_someone.span(u.heard):
            self.confirmed = False  # the listener confirmed being someone the agent is not after
        after = self._shown_by_agent(u) if self.third is None else 0
        self.hearings[u.index] = Hearing(
            self.confirmed,
            self.third,
            after=after if self.third else 0,
            answered=self.answered,
            breath_from=breath_from,
        )
        if self.third is None and not self.confirmed:
            self.pending.append(u)
        elif self.third is None:
            self.since_confirmed.append(u)

    def _shown_by_agent(self, u: Utterance) -> int:
        """The agent's turn shows the listener is a third party (您是他什么人, 你们村的吴长林, 他在某某的借款逾期了):
        how far into the turn (what comes before is no leak); 0 when it does not."""
        rules = self.rules
        written = rules.asks_for_household.search(u.mandarin) or rules.names_someone_of_theirs.search(u.mandarin)
        spans = [
            rules.agent_addresses_third_party.span(u.heard),
            written and written.span(),
            (not self.confirmed or self.taken_from_debtor) and rules.addresses_as_relative.span(u.heard),
        ]
        addressed = min((span for span in spans if span), default=None)
        match = rules.tells_someone_elses_debt.search(u.text)
        if match and QUESTION_AFTER.match(u.text, match.end()):
            match = None
        # the first cue in the turn shows it (你老公欠了一万六 … 你告诉他: the debt is already his)
        if match and (addressed is None or match.start() < addressed[0]):
            self._found_out(
                ThirdParty("someone_elses_debt", u, u.text[match.start() : match.end()].lstrip("，。？！,.?! "))
            )
            return match.start()
        if addressed:
            self._found_out(ThirdParty("agent_addressed", u, u.text[addressed[0] : addressed[1]]))
            return addressed[1]
        return 0

    def _breath_from(self, u: Utterance) -> int | None:
        """Where in the agent turn ``u`` the talk goes on from the debtor's name asked with no answer
        yet: 0 when an earlier agent turn since the listener last spoke asked it, the question's
        start when ``u`` asks it, None when neither, or when the name asked was someone else's
        (是冯勇家吗), or the listener had already answered a name asked and is asked again."""
        if self.confirmed or self.third is not None or self.replied_to_name:
            return None
        for turn in [*reversed(self.asked), u]:
            if self.rules.questions_for_others.search(turn.mandarin):
                return None
            at = name_asked_at(self.rules, turn.mandarin)
            if at is not None:
                return 0 if turn is not u else at
        return None

    def _confirm(self) -> None:
        self.confirmed, self.pending, self.since_confirmed = True, [], []
        self.taken_from_debtor = False

    def _found_out(self, why: ThirdParty) -> None:
        """The listener is a third party: the agent turns told before anyone knew reached them too."""
        self.third = why
        for earlier in self.pending:
            self.hearings[earlier.index] = Hearing(confirmed=False, third_party=why, told_first=True)
        self.pending = []

    def _owns_up(self, u: Utterance, moved: bool) -> bool:
        """The listener who said they were not the debtor says it is them after all, in so many words
        (……好吧，是我), and the phone has not changed hands since they denied it (``moved``: it was
        handed over or may have changed hands on this turn)."""
        if self.third is None or self.voice_changed or moved:
            return False
        return bool(OWNS_UP.search(u.mandarin)) and self._admits(u)

    def _take_back(self) -> None:
        """The listener who said they were not the debtor admits being him in the same voice: no
        third party heard what the agent told since the denial, or before it; the debtor did,
        unconfirmed."""
        for index, hearing in self.hearings.items():
            if hearing.third_party is self.third:
                self.hearings[index] = Hearing(confirmed=False, denied=True)
        self.third = None

    def _asked(self) -> bool | None:
        """What the agent's last question since the listener spoke asked: True whether this is the
        debtor, None for someone else (是X家吗, 你是不是X的老丈人: a yes to it is a third party's),
        False when it asked neither."""
        for u in reversed(self.asked):
            if self.rules.questions_for_others.search(u.mandarin):
                return None
            if self.rules.identity_questions.span(u.heard):
                return True
        return False

    def _confirms(self, u: Utterance, plain: bool = True, until: int | None = None) -> bool:
        """The listener confirms being the debtor: in words (是我, 我就是, 我的借款), as the debtor
        speaking (担保人, 我真的没钱了), by the ID number the agent asked for, or with a plain yes
        right after an identity question (unless ``plain`` is False: the yes came with saying who
        they are, 是的，我是他老婆). Words from ``until`` on, where the turn says the listener is
        someone else, confirm nothing (我不是邵师傅，我是乘客)."""
        if self.rules.is_debtor.span(u.heard):
            return True
        if ID_DIGITS.search(u.mandarin) and self._asked_for_the_debtor():
            return True
        question = self._asked()
        span = self.rules.confirms.span(u.heard)
        if span and until is not None and span[0] >= until:
            span = None
        if span and (question is not None or u.mandarin[span[0] : span[1]] not in PLAIN_I):
            return True
        return plain and bool(question) and any(self.rules.plain_yes.match(text) for text in self._answers(u))

    def _answers(self, u: Utterance) -> list[str]:
        """The customer's words, what follows a name the agent said, said back (王建军，对), and
        each with a short answer that recognition misheard put back (指握什么事 as 是我什么事)."""
        echo = ECHO.match(u.mandarin)
        answers = [u.mandarin] + ([u.mandarin[echo.end() :]] if echo and echo.group("name") in self.agent_said else [])
        return answers + [text for text in map(self._misheard_answer, answers) if text]

    def _misheard_answer(self, text: str) -> str | None:
        """``text`` opening with a short answer (是我, 是的, 对) where recognition wrote nonsense
        of the same sound: no word of the dictionary (指握), or one character that is a clause of
        its own (四，什么事); None when it opens otherwise. A real other answer is spelt in words
        (不是我, 是谁, 值得吗) and stays what it says."""
        start = BEFORE_ANSWER.match(text).end()
        for word in self.rules.misheard_yes:
            end = start + len(word)
            heard = text[start:end]
            if heard == word or not sounds_alike_over_the_phone(heard, word):
                continue
            if is_word(heard) if len(word) > 1 else end < len(text) and text[end] not in CLAUSE_BREAKS:
                continue
            return text[:start] + word + text[end:]
        return None

    def _asked_for_the_debtor(self) -> bool:
        """The agent asked since the listener spoke for the debtor himself (本人吗, 身份证后四位是…吗)."""
        return any(self.rules.asks_the_debtor.search(a.mandarin) for a in self.asked)

    def _takes_over(self, u: Utterance) -> bool:
        """The debtor has taken the phone from a third party: the listener speaks as the debtor, gives
        a name the agent asked for (喂，我是唐俊), or says yes when the agent asks for the debtor
        himself (请问是吴俊熙本人吗 / 是啊)."""
        if self.rules.is_debtor.span(u.heard) or self._names_the_sought(u):
            return True
        return self._asked_for_the_debtor() and self._confirms(u)

    def _new_voice(self, u: Utterance) -> bool:
        """The one who says who they are is not the one who was told: the phone changed hands, or
        they ask who is calling, which the debtor who was told the details knew (我是她爸爸，你们是
        干啥的？)."""
        return self._changes_hands(u) or bool(self.rules.asks_who_calls.span(u.heard))

    def _changes_hands(self, u: Utterance) -> bool:
        """The phone may have changed hands: a second customer turn in a row (老婆，你讲讲 / 喂，我是他老婆),
        or a turn that opens with 喂 in mid-call (秀娥，你说句话 / 喂，是我)."""
        return self.last is not None and (self.last.role == u.role or u.mandarin.lstrip("，。…,. ").startswith("喂"))

    def _admits(self, u: Utterance) -> bool:
        """A listener who said they were not the debtor admits being him after all (不是，打错 …
        行吧，是我): a confirmation in words, not a plain yes, to an agent who asked about nobody
        else (no 他/她 in its questions since, nor in the answer: 你是他老婆？/ 对，是我 is the wife;
        麻烦您转告她回个电话 / 好嘛，我就是 is the debtor)."""
        if self.third is None or self.third.kind != "customer_said" or self.rules.not_debtor.span(u.heard):
            return False
        asked_about = [a.mandarin for a in self.asked if ASKS.search(a.mandarin)]
        if any(ch in text for text in asked_about for ch in "他她") or any(ch in u.mandarin for ch in "他她"):
            return False
        return self._confirms(u, plain=False)

    def _agent_confirms(self, u: Utterance) -> bool:
        """The agent says the check is done (核实是您本人), or, on a mono recording, a turn guessed
        to be the agent's holds the customer's confirmation run into it (系我，什么事…)."""
        if self.rules.agent_verified.span(u.heard) or self._yes_run_in(u):
            return True
        span = u.role_reason and self.rules.confirms.span(u.heard)
        return bool(span) and not any(ch in u.mandarin[: span[0]] for ch in CLAUSE_BREAKS)

    def _yes_run_in(self, u: Utterance) -> bool:
        """On a mono recording, a turn guessed to be the agent's opens with the customer's yes to
        the identity question run into it (是我，孟先生你好…), or holds its own identity question
        and the yes (喂，刘永军？是，你谁？)."""
        if not u.role_reason:
            return False
        if self._asked() and self.rules.plain_yes.match(u.mandarin):
            return True
        asked = u.mandarin.find("？") + 1
        return (
            0 < asked < len(u.mandarin)
            and bool(self.rules.identity_questions.span(u.heard[:asked]))
            and bool(self.rules.plain_yes.match(u.mandarin[asked:]))
        )

    def _names_the_sought(self, u: Utterance) -> bool:
        """The speaker gives a name the agent asked for (喂，我是唐俊), also as recognition wrote
        it before a homophone repair ran into the name (我是任佳豪 repaired to 我私人佳豪)."""
        for text in (u.mandarin, u.unrepaired) if u.repairs else (u.mandarin,):
            named = self.rules.names_self.search(text)
            if named and named.group("name") in self.agent_said:
                return True
        return False
