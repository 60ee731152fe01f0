"""The disclosure family (``missing_disclosure``): the agent's opening names no institution."""

from __future__ import annotations

import re

from pipeline.categories import category_table
from pipeline.detect.base import Detector, Result, lowered_if_guessed, span_result
from pipeline.detect.dialogue_file import DialogueRules
from pipeline.detect.institutions import (
    NAME_ENDS,
    PLACE,
    InstitutionFinder,
    agency_names,
    call_names,
    heard_like,
    reached_a_stranger,
    tells_debt,
    trade_name,
)
from pipeline.detect.opening import OpeningModel, opening_model, opening_text
from pipeline.detect.resources import Resources
from pipeline.detect.settings import DisclosureSettings, LexiconSettings
from pipeline.detect.sound import sound_text
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, joined, sentence
from pipeline.text import is_word

INTRODUCTION = re.compile(r"我(?:是|叫|姓)[^，。？！,.?!]{1,12}")  # quoted in the explanation
# after a name: the company called, not the caller's (是华腾科技吗); a 是 between starts another
# question (速享花贷后，是易军吗 names the caller's), and 什么, 怎么 ask nothing of it (你在优品借欠的
# 一万一什么时候还)
ASKED_ABOUT = re.compile(r"[^，。？！,.?!\s是]{0,6}(?:[吗嘛]|(?<![什怎那这多])么)")
# after a name: where the agent tells the listener to borrow (京东金条、美团都能借), another lender
BORROW_THERE = re.compile(r"[^，。？！,.?!\s]{0,6}?(?:都能借|都可以借|能借|可以借|去借|借点|借一点|借出来|套出来|套现)")
CUSTOMER_NAMES = re.compile(r"(?:你|您)(?:们)?(?:是)?(?P<name>[^，。？！,.?!\s的你您]{2,8})的")  # 你是锦官城的小李吧
# between a name and an authority's word: the two are apart (嘉禾银行和公安, 嘉禾信息受某某中院委托)
APART = re.compile(f"{NAME_ENDS.pattern}|受|帮|替|代表|配合")
# between two names: a list of them (借呗、微粒贷都开通了吧, 借呗花呗开一个), the lenders the listener
# is offered, not the caller's own
LISTED = re.compile(r"[“”\"「」]*(?:、|和|或者|或是|或|还是)?[“”\"「」]*")
# a people's court or procuratorate with its kind misheard (人民铅超院 for 人民检察院): 人民, one or
# two characters, 院, by sound; not a hospital (人民医院) nor a sum (人民币五元)
PEOPLES_BODY = re.compile(f"{sound_text('人民')}(?![{sound_text('医币')}])[^，。？！,.?!\\s]{{1,2}}{sound_text('院')}")
AFFIRMS = re.compile(r"^(?:喂|嗯|啊|哎|诶)?[，,\s]*(?:对+|是的|是啊|是|没错|对的|嗯)(?:[，。！,.!、\s對对]|是我|$)")


class DisclosureRecognizer(Detector):
    """``missing_disclosure``: no institution named in the agent's opening window.

    The window is the agent's first ``agent_turns`` substantive turns (greetings and
    喂喂听得到吗 do not count) and every agent turn that starts within ``seconds`` of the
    call's start, whichever reaches further: a name given a little late is still a disclosure.
    A name is whatever introduces an organisation (``InstitutionFinder``) or the call's ``agency``
    field; a name the agent gives anywhere in the call, said in the window in other words, names
    it too (你悦分期那笔 when the agent says later 帮悦分期催收的), unless the listener then has
    to insist on who is calling.
    An agent who introduces themselves as an authority (a court, the police, a mediation
    committee) before naming an institution of their own fakes it, whatever lender they name
    beside the pose. A call that reached
    a wrong number before the window closed owes the stranger no name, and a relative or colleague
    the window ends on is named the institution in time by the agent's next turn, unasked.
    """

    family = "disclosure"
    name = "rule:missing_disclosure"
    categories = ("missing_disclosure",)

    def __init__(
        self,
        rules: DialogueRules,
        finder: InstitutionFinder,
        severity: str,
        agent_turns: int = DisclosureSettings.agent_turns,
        seconds: float = DisclosureSettings.seconds,
        score: float = 0.8,
        guessed_role_factor: float = LexiconSettings.guessed_role_factor,
        opening: OpeningModel | None = None,
        unflag_below: float | None = None,
        flag_above: float | None = None,
    ):
        self.rules = rules
        self.finder = finder
        self.severity = severity
        self.agent_turns = agent_turns
        self.seconds = seconds
        self.score = score
        self.guessed_role_factor = guessed_role_factor
        self.opening = opening
        self.unflag_below = unflag_below if opening is not None else None
        self.flag_above = flag_above if opening is not None else None
        # kinds, suffixes and staff words of two characters or more by sound: one syllable by
        # sound is any syllable
        kinds = {*finder.kind_words, *rules.staff}
        self.kinds_heard = sorted(((k, sound_text(k)) for k in kinds if len(k) > 1), key=lambda k: -len(k[0]))
        heard = "|".join(re.escape(h) for _, h in self.kinds_heard)
        self.kind_heard_next = re.compile(f".?(?:{heard})") if heard else None

    @classmethod
    def build(cls, categories: list[str], resources: Resources) -> list[Detector]:
        settings = resources.settings
        return [
            cls(
                resources.dialogue,
                resources.finder,
                severity=settings.severity("missing_disclosure"),
                agent_turns=settings.disclosure.agent_turns,
                seconds=settings.disclosure.seconds,
                guessed_role_factor=settings.lexicon.guessed_role_factor,
                opening=opening_model(settings),
                unflag_below=settings.classifier.opening_unflag_below,
                flag_above=settings.classifier.opening_flag_above,
            )
        ]

    def window(self, view: CallView, extra: list[str] = ()) -> list[Utterance]:
        agent = [u for u in view.utterances if u.role == "agent"]
        if not agent:
            return []
        call_start = view.utterances[0].segment.start
        window, substantive, told = [], 0, False
        for u in agent:
            if told and substantive >= self.agent_turns and u.segment.start - call_start > self.seconds:
                break
            window.append(u)
            if not self.rules.filler.match(u.text):
                substantive += 1
            told = told or tells_debt(u, self.finder, self.rules, extra)
        return window if substantive else []

    def _named_by_customer(self, agent: Utterance, before: Utterance | None, extra: list[str]) -> bool:
        """The customer named the agent's institution (你是锦官城的小李嘛) and the agent said yes."""
        if before is None or before.role != "customer" or not AFFIRMS.match(agent.text):
            return False
        named = [m.group("name") for m in CUSTOMER_NAMES.finditer(before.text)]
        return bool(self.finder.spans(before, extra)) or any(self.finder.introduced_name(n) for n in named)

    def _own_names(self, u: Utterance, extra: list[str], trade: str | None = None) -> list[tuple[int, int]]:
        """Names the agent gives as its own: not the company it asks for (是华腾科技吗) nor one it
        tells the listener to borrow from (美团都能借). The
        agency's trade name (有米 of 深圳有米信息技术有限公司) counts as written, or as heard
        before a homophone repair took it for a word (你的花橙借条 repaired to 你的话橙借条): two
        characters by sound would be too many words."""
        spans = [span for span in self.finder.spans(u, extra) if not self._kind_heard(u, span)]
        if trade:
            spans += [m.span() for text in (u.text, u.unrepaired) for m in re.finditer(re.escape(trade), text)]
            spans += self._trade_heard(u, trade)
        return [
            span
            for span in spans
            if not any(r.match(u.text, span[1]) for r in (ASKED_ABOUT, BORROW_THERE))
            and not _listed(u.text, span, spans)
        ]

    def _echoed(
        self, u: Utterance, span: tuple[int, int], before: Utterance | None, own: list[str], trade: str | None
    ) -> bool:
        """The candidate repeats words of the listener's line just before (我这号码是新办的 … 新办的，
        那你认识他不: the question mark lost to recognition) that named no institution there (你是X的
        guesses the caller's, and X的 said back confirms it): the agent echoes the listener, it
        names nobody. The call's own names and the brands are never an echo."""
        if before is None or before.role != "customer":
            return False
        name = u.text[span[0] : span[1]]
        if name not in before.text or any(name in n or n in name for n in (*own, *([trade] if trade else []))):
            return False
        if any(known in u.sound[span[0] : span[1]] for known in self.finder.names):  # a brand, a configured name
            return False
        at = before.text.find(name)
        return not any(
            a < at + len(name) and b > at for m in CUSTOMER_NAMES.finditer(before.text) for a, b in [m.span("name")]
        )

    def _kind_heard(self, u: Utterance, span: tuple[int, int]) -> bool:
        """The candidate is a bare kind as heard (待后中心 for 贷后中心): what its place and the
        kinds written leave is a kind by sound that keeps one of its own characters and is written
        as no word of its own (as a homophone repair is guarded)."""
        text, sound = u.text[span[0] : span[1]], u.sound[span[0] : span[1]]
        place = PLACE.match(text)
        at = len(place.group(0)) if place else 0
        left, by_sound = [], False
        while at < len(text):
            kind = next(
                (
                    (k, written == k)
                    for k, heard in self.kinds_heard
                    for written in [text[at : at + len(k)]]
                    if sound.startswith(heard, at)
                    and (written == k or (set(written) & set(k) and not is_word(written)))
                ),
                None,
            )
            if kind is None:
                left.append(text[at])
                at += 1
                continue
            by_sound = by_sound or not kind[1]
            at += len(kind[0])
        return by_sound and not self.finder.kinds.sub("", "".join(left))

    def _trade_heard(self, u: Utterance, trade: str) -> list[tuple[int, int]]:
        """The agency's trade name by sound, or heard alike (伦通 for 润通, 行员 for 鑫源:
        ``heard_like``), where a kind, suffix or staff word follows it, by sound too, at most one
        character on (东欧信用 for 东瓯信用, 龙新华克服 for 陇信花客服, 行员小贷): two characters by
        sound alone would be too many words."""
        if self.kind_heard_next is None:
            return []
        heard = sound_text(trade)
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(heard), u.sound)]
        spans += heard_like(u.text, trade)
        return [span for span in spans if self.kind_heard_next.match(u.sound, span[1])]

    def _agency_in_guessed_line(
        self, view: CallView, after: int, before: int, own: list[str], trade: str | None
    ) -> bool:
        """In a mono call, the first line the role guess gave the customer, between two agent
        turns of the window, names the call's own agency (喂，是石磊吗？ / 燕赵消费金融贷后，通话录音):
        the line and the guess disagree, and the line is the agent's. A customer who asks (是燕赵的
        吗) names nobody, nor one who has spoken before (你找谁？ … 我借的是燕赵的)."""
        for u in view.utterances[after + 1 : before]:
            if u.role != "customer" or not u.role_reason:
                continue
            if any(earlier.role == "customer" for earlier in view.utterances[: u.index]):
                return False
            spans = [m.span() for name in own for m in re.finditer(re.escape(name), u.text)]
            spans += [m.span() for m in re.finditer(re.escape(trade), u.text)] if trade else []
            if any(not ASKED_ABOUT.match(u.text, end) for _, end in spans):
                return True
        return False

    def _named_next_to_third_party(
        self, view: CallView, window: list[Utterance], own: list[str], trade: str | None
    ) -> bool:
        """The window ends on a listener known not to be the debtor (a relative, a colleague) and
        the agent's next turn names the institution unasked (那你让他回我电话，我是X的): the writers
        nobody read leave such calls unlabelled (dev false alarms 60 -> 54, no true call lost);
        the tune writers split (9 calls by 7 writers unlabelled, 3 by 3 labelled)."""
        last = window[-1]
        hearing = view.listening.hearings.get(last.index)
        if hearing is None or hearing.third_party is None:
            return False
        following = next((u for u in view.utterances[last.index + 1 :] if u.role == "agent"), None)
        return (
            following is not None
            and not self._asked_who_calls(view, following)
            and bool(self._own_names(following, own, trade))
        )

    def _asked_who_calls(self, view: CallView, agent: Utterance) -> bool:
        """The listener asked who is calling (你哪位, 你是哪里的) since the agent's previous turn.
        An agent who answers that with no name once the debt is told evades it (你先说什么时候
        还); a name given only when asked again comes late: the listener had to insist."""
        for u in reversed(view.utterances[: agent.index]):
            if u.role != "customer":
                return False
            if self.rules.asks_who_calls.span(u.sound):
                return True
        return False

    def _pose(self, u: Utterance) -> re.Match | None:
        """The agent introducing themselves as an authority, matched by sound (法苑 for 法院). A
        one-syllable authority word (局) counts only as written: by sound it is any syllable, the
        start of a lender's name as well (我是居美装修贷的法律顾问)."""
        for match in self.rules.poses_as_authority.finditer(u.sound):
            start, end = match.span("authority")
            if end - start > 1 or self.rules.poses_as_authority_written.fullmatch(u.text, match.start(), match.end()):
                return match
        return None

    def _introduced_as_kind(self, u: Utterance, by_sound: bool = False) -> bool:
        """The agent introduced the caller by a bare kind of institution (我们是消费金融公司的,
        我这边是平台的): an introduction whose name is made only of kinds; ``by_sound``, also of
        kinds heard as homophones (我是带后部的: ``_kind_heard``)."""
        return any(
            not self.finder.kinds.sub("", match.group("name")) or (by_sound and self._kind_heard(u, match.span("name")))
            for regex in self.finder.introductions
            for match in regex.finditer(u.text)
        )

    def analyze(self, view: CallView) -> list[Result]:
        return self.analyze_many([view])[0]

    def analyze_many(self, views: list[CallView]) -> list[list[Result]]:
        """Results per call: the rule's, overruled where the opening model is sure (one model
        call for the batch)."""
        read = [self._read_by_rule(view) for view in views]
        found: list[list[Result]] = [[result] if result else [] for _, result, _ in read]
        if self.opening is None:
            return found
        # a firm finding stands whatever the model says: only the others' openings are read
        judged = [k for k, (window, _, firm) in enumerate(read) if window and not firm]
        unnamed = self.opening.unnamed([opening_text(views[k], read[k][0]) for k in judged])
        for k, probability in zip(judged, unnamed):
            window, result, _ = read[k]
            if result and self.unflag_below is not None and probability < self.unflag_below:
                found[k] = []
            elif not result and self.flag_above is not None and probability > self.flag_above:
                first, last = window[0].segment, window[-1].segment
                text = sentence(
                    "disclosure.read_by_model",
                    count=len(window),
                    start=first.start,
                    end=last.end,
                    probability=probability,
                )
                found[k] = [self._result(views[k], window, text, score=round(probability, 3))]
        return found

    def _read_by_rule(self, view: CallView) -> tuple[list[Utterance], Result | None, bool]:
        """The opening window (empty where the call owes no name: no agent turn, a wrong number),
        the rule's finding on it, if any, and whether the finding is firm: it rests on what the
        agent said (a pose, an introduction as a person or as a bare kind: 我是他朋友, 我是贷后部的;
        an evasion the listener had to insist past), not only on no name found, which the opening
        model may overrule."""
        own = agency_names(view.call.agency, self.rules)
        given = call_names(view, self.finder, self.rules)  # the agency's and every name the agent gives
        trade = trade_name(view.call.agency, self.rules)
        window = self.window(view, given)
        if not window or reached_a_stranger(view, window[-1].segment.end, self.finder, self.rules, given):
            return [], None, False
        posed, told, evaded, insisted, mentioned = None, False, False, False, False
        for at, u in enumerate(window):
            if self._agency_in_guessed_line(view, window[at - 1].index if at else -1, u.index, own, trade):
                return window, None, False
            asked = self._asked_who_calls(view, u)
            if evaded and asked:  # asked again after an evasion: a name now is given because they insisted
                window, insisted = window[:at], True
                break
            previous = view.utterances[u.index - 1] if u.index else None
            names = [span for span in self._own_names(u, own, trade) if not self._echoed(u, span, previous, own, trade)]
            garbled = [span for span in names if PEOPLES_BODY.search(u.sound, *span)]
            if garbled and not any(_said_first(u.text, span, garbled[0]) for span in names if span not in garbled):
                posed = u.text[slice(*garbled[0])]
                break
            match = self._pose(u)
            # a pose before any name of its own hides the institution (我是某某法院委托的…), a
            # name said first does not (我这边是嘉禾银行和公安经侦的联合办公室), nor one the
            # authority's word is part of (中原消费金融 sounds like 中院); a name run into the
            # authority's word is where the body sits (滇池区金融纠纷调解中心, 县农机局)
            if match and not any(_said_first(u.text, span, match.span("authority")) for span in names):
                posed = u.text[match.start() : match.end()]
                break
            if names or self._named_by_customer(u, previous, given):
                return window, None, False
            # a name the agent gives elsewhere in the call, said here in other words (你悦分期那笔
            # 两千二): it discloses, unless the listener then has to insist on who is calling
            mentioned = mentioned or any(
                not self._echoed(u, span, previous, own, trade) for span in self._own_names(u, given)
            )
            told = told or tells_debt(u, self.finder, self.rules, given)
            # told the debt while answering who calls, or while giving only a kind (我们是消费金融
            # 公司的): a name given when the listener asks (which one?) comes because they insisted
            evaded = evaded or (told and (asked or self._introduced_as_kind(u)))
        if mentioned and not insisted and not posed:
            return window, None, False
        if not (posed or insisted or evaded) and self._named_next_to_third_party(view, window, own, trade):
            return window, None, False
        first, last = window[0].segment, window[-1].segment
        text = sentence("disclosure.missing", count=len(window), start=first.start, end=last.end)
        intro = next((m.group(0) for u in window for m in [INTRODUCTION.search(u.text)] if m), None)
        if posed:
            text = sentence("disclosure.posed", posed=posed)
        elif intro:
            text = joined(text, sentence("disclosure.introduction", introduction=intro))
        after_window = view.utterances[window[-1].index + 1 :]
        later = next((u for u in after_window if u.role == "agent" and self._own_names(u, given, trade)), None)
        if later:
            text = joined(text, sentence("disclosure.named_later", at=later.segment.start))
        as_a_person = intro is not None and not self.finder.kinds.search(intro)  # 我是他朋友, 我姓王
        as_a_kind = any(self._introduced_as_kind(u, by_sound=True) for u in window)  # 我是带后部的
        return window, self._result(view, window, text), bool(posed or insisted or evaded or as_a_person or as_a_kind)

    def _result(self, view: CallView, window: list[Utterance], text: str, score: float | None = None) -> Result:
        """The finding over the window: the rule's score, or the model's ``score`` (its probability)."""
        guessed = any(u.role_reason for u in window)
        if score is None:
            score, parts = lowered_if_guessed("rule", self.score, guessed, self.guessed_role_factor)
        else:
            parts = (("probability", score),)
        explanation = Explanation(detector=self.name, text=text, role_guessed=guessed, score_parts=parts)
        evidence = " / ".join(u.segment.text for u in window)[:300]
        return span_result(
            view,
            window[0],
            window[-1],
            "missing_disclosure",
            self.severity,
            round(score, 3),
            category_table()["missing_disclosure"].clauses,
            evidence,
            explanation,
        )


def _listed(text: str, span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """The name at ``span`` is one of a list of other names (借呗、微粒贷、安逸花)."""
    start, end = span
    return any(
        text[a:b] != text[start:end]
        and (b <= start or a >= end)
        and LISTED.fullmatch(text[end:a] if a >= end else text[b:start]) is not None
        for a, b in spans
    )


def _said_first(text: str, name: tuple[int, int], authority: tuple[int, int]) -> bool:
    """The name at ``name`` is said before the authority's word at ``authority`` as a body of its
    own (嘉禾银行和公安…, 嘉禾银行的调解员, 嘉禾信息受某某中院委托) or holds it whole (中原 heard as
    中院), not as the place or trade the authority's name begins with (滇池区金融纠纷调解中心) nor
    as a name whose suffix is the start of the authority's word (锡盟金融 of 锡盟金融办)."""
    start, end = name
    if start > authority[0]:
        return False
    return end >= authority[1] if end > authority[0] else APART.search(text[end : authority[0]]) is not None
