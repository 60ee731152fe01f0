"""Rules over the whole conversation, read from ``lexicons/dialogue.yaml``.

* ``RoleGuesser``: on a mono recording every segment's speaker is ``unknown``; each one is
  assigned to the agent or the customer from cues (the collector introduces, asks and
  demands; the customer answers), ties going to whoever did not speak last.
* ``DisclosureDetector`` (``missing_disclosure``): the agent's opening names no institution.
* ``ThirdPartyDetector`` (``third_party_leak``): after the customer says they are not the
  debtor, the agent tells them about the debt or asks them to pay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..calls import Call, Finding
from ..categories import category_table
from ..yamldoc import YamlDoc
from .lexicon import CLAUSE_BREAKS, DIALOGUE_FILE, SoundRegex, checked_regex, sound_text
from .view import CallView, Utterance, ViewDetector, agent_utterance_finding

INTRODUCTION = re.compile(r"我(?:是|叫|姓)[^，。？！,.?!]{1,12}")  # quoted in the explanation
ASKED_ABOUT = re.compile(r"[^，。？！,.?!\s]{0,6}[吗么嘛]")  # after a name: the company called, not the caller's
QUESTION_AFTER = re.compile(r"[^，。！,!]{0,12}[吗么？?]")
TURN_TAKING = "与上一句轮流"  # the reason of a role guessed from turn order alone, without any cue


@dataclass
class RoleCue:
    role: str
    regex: SoundRegex
    weight: float


@dataclass
class Reveal:
    """Debt details an agent must not tell a third party, matched on the repaired text only:
    by sound, 账单 would be 张丹 and 一块 would be 以快."""

    label: str
    score: float
    regex: re.Pattern


@dataclass
class DialogueRules:
    suffixes: re.Pattern
    staff: list[str]
    not_names: frozenset[str]
    not_name_endings: list[str]
    not_institutions: list[str]
    name_starts: list[str]
    brands: list[str]
    filler: re.Pattern
    not_debtor: SoundRegex
    agent_addresses_third_party: SoundRegex
    tells_someone_elses_debt: re.Pattern  # on the written text: 王 by sound would be 网 too
    asks_for_someone: SoundRegex
    agent_names_guarantor: SoundRegex
    identity_question: SoundRegex
    confirms_identity: SoundRegex
    wrong_number: SoundRegex
    knows_debtor: SoundRegex
    is_debtor: SoundRegex
    offers_to_pay: SoundRegex
    principal: re.Pattern  # the commissioning lender's name before 委托, on the written text
    reveals: list[Reveal]
    role_cues: list[RoleCue]
    vocabulary: set[str]
    third_party_clauses: list[str]  # the clauses a leak breaks: some of the category table's


def _alternation(doc: YamlDoc, items: list[str], keys: tuple) -> SoundRegex:
    """One regex from a list of patterns; each bad pattern is reported with its own line."""
    good = [p for i, p in enumerate(items) if checked_regex(doc, p, keys + (i,))]
    return SoundRegex("|".join(f"(?:{p})" for p in good) or r"(?!x)x")


def _third_party_clauses(doc: YamlDoc, value) -> list[str]:
    table = category_table()
    if value is None:
        return table["third_party_leak"].clauses
    clauses = doc.strings(value, ("third_party", "clauses"), required=True)
    for clause in table.check_clauses("third_party_leak", clauses):
        doc.problem(("third_party", "clauses"), f"{clause!r} is not a clause of third_party_leak in {table.path.name}")
    return clauses


def load_dialogue_rules(lexicon_dir: Path) -> DialogueRules:
    doc = YamlDoc(Path(lexicon_dir) / DIALOGUE_FILE)
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        doc.problem((), "must be a mapping with disclosure, third_party and roles")
    doc.unknown_keys(data, ("disclosure", "third_party", "roles", "domain_words"), ())
    sections = {}
    for name in ("disclosure", "third_party", "roles"):
        section = data.get(name)
        if not isinstance(section, dict):
            doc.problem((name,), "is required (a mapping)")
            section = {}
        sections[name] = section
    disclosure, third, roles = sections["disclosure"], sections["third_party"], sections["roles"]
    disclosure_keys = (
        "suffixes", "staff", "not_names", "not_name_endings", "not_institutions", "name_starts", "brands", "filler"
    )
    doc.unknown_keys(disclosure, disclosure_keys, ("disclosure",))
    third_party_keys = (
        "not_debtor", "agent_addresses_third_party", "tells_someone_elses_debt", "asks_for_someone", "agent_names_guarantor",
        "identity_question", "confirms_identity", "wrong_number", "knows_debtor", "is_debtor", "offers_to_pay", "principal", "reveals",
        "clauses",
    )
    doc.unknown_keys(third, third_party_keys, ("third_party",))
    doc.unknown_keys(roles, ("agent", "customer"), ("roles",))

    def words(key: str, required: bool = False) -> list[str]:
        return doc.strings(disclosure.get(key), ("disclosure", key), required)

    def third_party_cues(key: str, required: bool = False) -> SoundRegex:
        return _alternation(doc, doc.strings(third.get(key), ("third_party", key), required), ("third_party", key))

    def written_cues(key: str) -> re.Pattern:
        return re.compile(third_party_cues(key).pattern)

    suffixes = words("suffixes", required=True)
    brands = words("brands")
    filler = checked_regex(doc, str(disclosure.get("filler", "^$")), ("disclosure", "filler"))

    reveals = []
    for i, raw in enumerate(third.get("reveals") or []):
        keys = ("third_party", "reveals", i)
        if not isinstance(raw, dict) or not isinstance(raw.get("pattern"), str):
            doc.problem(keys, "must be {label, score, pattern}")
            continue
        doc.unknown_keys(raw, ("label", "score", "pattern"), keys)
        score = raw.get("score", 0.9)
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 < score <= 1:
            doc.problem(keys + ("score",), f"must be a number above 0 and at most 1, got {score!r}")
            continue
        regex = checked_regex(doc, raw["pattern"], keys + ("pattern",))
        if regex:
            reveals.append(Reveal(str(raw.get("label", "债务信息")), float(score), regex))

    role_cues = []
    for role in ("agent", "customer"):
        for i, raw in enumerate(roles.get(role) or []):
            keys = ("roles", role, i)
            if not isinstance(raw, dict) or not isinstance(raw.get("pattern"), str):
                doc.problem(keys, "must be {pattern, weight}")
                continue
            weight = raw.get("weight", 1)
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
                doc.problem(keys + ("weight",), f"must be a positive number, got {weight!r}")
                continue
            if checked_regex(doc, raw["pattern"], keys + ("pattern",)):
                role_cues.append(RoleCue(role, SoundRegex(raw["pattern"]), float(weight)))

    rules = DialogueRules(
        suffixes=re.compile("|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True)) or r"(?!x)x"),
        staff=words("staff"),
        not_names=frozenset(words("not_names")),
        not_name_endings=words("not_name_endings"),
        not_institutions=words("not_institutions"),
        name_starts=sorted(words("name_starts"), key=len, reverse=True),
        brands=brands,
        filler=filler or re.compile("^$"),
        not_debtor=third_party_cues("not_debtor", required=True),
        agent_addresses_third_party=third_party_cues("agent_addresses_third_party"),
        tells_someone_elses_debt=written_cues("tells_someone_elses_debt"),
        asks_for_someone=third_party_cues("asks_for_someone"),
        agent_names_guarantor=third_party_cues("agent_names_guarantor"),
        identity_question=third_party_cues("identity_question"),
        confirms_identity=third_party_cues("confirms_identity"),
        wrong_number=third_party_cues("wrong_number"),
        knows_debtor=third_party_cues("knows_debtor"),
        is_debtor=third_party_cues("is_debtor"),
        offers_to_pay=third_party_cues("offers_to_pay"),
        principal=written_cues("principal"),
        reveals=reveals,
        role_cues=role_cues,
        vocabulary=set(doc.strings(data.get("domain_words"), ("domain_words",))) | set(suffixes) | set(brands),
        third_party_clauses=_third_party_clauses(doc, third.get("clauses")),
    )
    doc.raise_problems()
    return rules


# --- speaker roles -------------------------------------------------------------------------


class RoleGuesser:
    """Agent or customer for each ``unknown`` segment, with the reason in Chinese."""

    def __init__(self, rules: DialogueRules):
        self.cues = rules.role_cues
        self.filler = rules.filler

    def guess(self, texts: list[str], sounds: list[str], speakers: list[str]) -> list[tuple[str, str | None]]:
        """(role, reason) per segment; ``sounds`` are the texts spelt by sound (lexicon.sound_text)."""
        out: list[tuple[str, str | None]] = []
        for text, sound, speaker in zip(texts, sounds, speakers):
            if speaker != "unknown":
                out.append((speaker, None))
                continue
            totals = {"agent": 0.0, "customer": 0.0}
            first_cue: dict[str, str] = {}
            for cue in self.cues:
                span = cue.regex.span(sound)
                if span:
                    totals[cue.role] += cue.weight
                    first_cue.setdefault(cue.role, text[span[0] : span[1]])
            if totals["agent"] != totals["customer"]:
                role = max(totals, key=totals.get)
                who = "坐席" if role == "agent" else "客户"
                out.append((role, f"{who}话术“{first_cue[role]}”"))
            elif out:
                previous = out[-1][0]
                out.append(("customer" if previous == "agent" else "agent", TURN_TAKING))
            else:
                role = "customer" if self.filler.match(text) else "agent"
                out.append((role, "开场第一句"))
        return out


# --- institution names ---------------------------------------------------------------------


class InstitutionFinder:
    """Where a text names an institution: a brand, a configured name, a name plus a suffix
    (某某金融), or a name that its staff speak for (宜信普惠的客服).

    It reads the text spelt by sound, with every word list spelt the same way, so that a
    misheard name (接信 for 捷信, 鑫大校贷 for 鑫达小贷) still counts as a disclosure.
    """

    def __init__(self, rules: DialogueRules, institutions: list[str]):
        self.names = [sound_text(n) for n in sorted({*rules.brands, *institutions}, key=len, reverse=True)]
        self.suffixes = re.compile(sound_text(rules.suffixes.pattern))
        self.ends_with_suffix = re.compile(f"(?:{self.suffixes.pattern})$")
        self.only_suffixes = re.compile(f"(?:{rules.suffixes.pattern})+")  # 银行, 银行金融: a kind, no name
        staff = "|".join(re.escape(w) for w in sorted(rules.staff, key=len, reverse=True))
        self.staff = re.compile(sound_text(f"的(?:{staff})")) if staff else None
        self.not_name_endings = rules.not_name_endings
        self.name_starts = [sound_text(w) for w in rules.name_starts]
        self.not_names = rules.not_names
        self.not_institutions = rules.not_institutions

    def spans(self, utterance: Utterance, extra_names: list[str] = ()) -> list[tuple[int, int]]:
        """Found by sound (a misheard 鑫大校贷 still names 鑫达小贷); a name is judged as written."""
        text, sound = utterance.text, utterance.sound
        found = []
        for name in (*self.names, *(sound_text(n) for n in extra_names)):
            start = sound.find(name)
            while start >= 0:
                found.append((start, start + len(name)))
                start = sound.find(name, start + 1)
        for match in self.suffixes.finditer(sound):
            name_start = self._name_start(text, sound, match.start())
            if name_start is not None:
                found.append((name_start, match.end()))
        for match in self.staff.finditer(sound) if self.staff else ():
            name_start = self._name_start(text, sound, match.start())
            # a name ending in a suffix was judged above (催收公司的客服 is no name)
            if name_start is not None and not self.ends_with_suffix.search(sound[name_start : match.start()]):
                found.append((name_start, match.start()))
        return found

    def _name_start(self, text: str, sound: str, suffix_start: int) -> int | None:
        """Start of the name in front of a suffix, or None when no real name is there."""
        clause_start = max(sound.rfind(ch, 0, suffix_start) for ch in CLAUSE_BREAKS) + 1
        begin = max(clause_start, suffix_start - 8)
        chunk = sound[begin:suffix_start]
        cut = 0
        for cue in self.name_starts:
            at = chunk.rfind(cue)
            if at >= 0:
                cut = max(cut, at + len(cue))
        name = text[begin + cut : suffix_start].strip("的")
        if len(name) < 2 or name in self.not_names or self.only_suffixes.fullmatch(name):
            return None
        if any(name.endswith(word) for word in self.not_names if len(word) >= 2):
            return None
        if any(word in name for word in self.not_institutions):
            return None
        if any(name.endswith(ending) for ending in self.not_name_endings):
            return None
        return suffix_start - len(name)


def agency_names(call: Call, rules: DialogueRules) -> list[str]:
    """The call's ``agency`` field and its name without the suffix (某某信用管理有限公司 → 某某)."""
    if not call.agency:
        return []
    stem = call.agency
    while True:
        match = rules.suffixes.search(stem)
        if not match or match.start() < 2:
            break
        stem = stem[: match.start()]
    return [call.agency, stem] if stem != call.agency else [call.agency]


# --- missing_disclosure --------------------------------------------------------------------


class DisclosureDetector(ViewDetector):
    """``missing_disclosure``: no institution named in the agent's opening window.

    The window is the agent's first ``agent_turns`` substantive turns (greetings and
    喂喂听得到吗 do not count) and every agent turn that starts within ``seconds`` of the
    call's start, whichever reaches further: a name given a little late is still a disclosure.
    A call that reached a wrong number before the window closed owes the stranger no name.
    """

    name = "rule:missing_disclosure"
    category = category_table()["missing_disclosure"]

    def __init__(
        self, rules: DialogueRules, finder: InstitutionFinder, agent_turns: int = 3, seconds: float = 20.0, score: float = 0.8
    ):
        self.rules = rules
        self.finder = finder
        self.agent_turns = agent_turns
        self.seconds = seconds
        self.score = score

    def window(self, view: CallView) -> list[Utterance]:
        agent = [u for u in view.utterances if u.role == "agent"]
        if not agent:
            return []
        call_start = view.utterances[0].segment.start
        window, substantive = [], 0
        for u in agent:
            if substantive >= self.agent_turns and u.segment.start - call_start > self.seconds:
                break
            window.append(u)
            if not self.rules.filler.match(u.text):
                substantive += 1
        return window if substantive else []

    def _wrong_number(self, view: CallView, until: float) -> bool:
        answers = [u for u in view.utterances if u.role == "customer" and u.segment.start <= until]
        return any(self.rules.wrong_number.span(u.sound) for u in answers) and not any(
            self.rules.knows_debtor.span(u.sound) for u in answers
        )

    def _own_names(self, u: Utterance, extra: list[str]) -> list[tuple[int, int]]:
        """Names the agent gives as its own: not the company it asks for (是华腾科技吗)."""
        return [span for span in self.finder.spans(u, extra) if not ASKED_ABOUT.match(u.text, span[1])]

    def analyze_view(self, view: CallView) -> list[Finding]:
        window = self.window(view)
        if not window or self._wrong_number(view, window[-1].segment.end):
            return []
        extra = agency_names(view.call, self.rules)
        if any(self._own_names(u, extra) for u in window):
            return []
        first, last = window[0].segment, window[-1].segment
        explanation = f"坐席开场{len(window)}句（{first.start:.1f}–{last.end:.1f}秒）未表明所代表的机构名称"
        intro = next((m.group(0) for u in window for m in [INTRODUCTION.search(u.text)] if m), None)
        if intro:
            explanation += f"；自我介绍“{intro}”没有说明机构"
        after_window = view.utterances[window[-1].index + 1 :]
        later = next((u for u in after_window if u.role == "agent" and self._own_names(u, extra)), None)
        if later:
            explanation += f"；第{later.segment.start:.1f}秒才提到机构"
        guessed = any(u.role_reason for u in window)
        if guessed:
            explanation += "；说话人由话术推断"
        return [
            Finding(
                call_id=view.call.call_id,
                category="missing_disclosure",
                severity=self.category.severity,
                score=round(self.score * (0.9 if guessed else 1.0), 3),
                start=first.start,
                end=last.end,
                speaker="agent",
                segment_index=None,
                evidence=" / ".join(u.segment.text for u in window)[:300],
                clauses=self.category.clauses,
                detector=self.name,
                explanation=explanation,
            )
        ]


# --- third_party_leak ----------------------------------------------------------------------


class ThirdPartyDetector(ViewDetector):
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
    """

    name = "rule:third_party_leak"

    def __init__(self, rules: DialogueRules, finder: InstitutionFinder):
        self.rules = rules
        self.finder = finder

    def analyze_view(self, view: CallView) -> list[Finding]:
        findings = []
        third_party: tuple[Utterance, str] | None = None  # who showed the listener is not the debtor, and how
        unanswered: list[Utterance] = []  # agent turns since the customer last spoke
        confirmed = False  # the customer answered the agent's identity question: the debtor
        extra = agency_names(view.call, self.rules)

        def look(u: Utterance, why: tuple[Utterance, str], after: int = 0, told_first: bool = False) -> None:
            text = _blank(u.text, [(0, after)])
            if not any(r.regex.search(text) for r in self.rules.reveals):
                return  # most turns reveal nothing: skip looking for institution names
            names = self.finder.spans(u, extra) + [m.span() for m in self.rules.principal.finditer(text)]
            text = _blank(text, names)  # 某某小额贷款公司, 受小鹿借款委托 reveal no 贷款
            reveals = [(r.score, f"{r.label}（“{m.group(0)}”）") for r in self.rules.reveals for m in [r.regex.search(text)] if m]
            if reveals:
                findings.append(self._finding(view, u, why, reveals, told_first))

        for u in view.utterances:
            if u.role == "customer":
                if third_party is None and not confirmed and self._confirms(unanswered, u):
                    confirmed = True
                elif third_party is None and not confirmed:
                    span = self.rules.not_debtor.span(u.sound)
                    # a guarantor (我是他担保人) or the debtor after all is owed the details
                    if span and not self.rules.is_debtor.span(u.sound):
                        third_party = (u, f"客户在{u.segment.start:.1f}秒说“{u.text[span[0] : span[1]]}”")
                        for earlier in unanswered:
                            look(earlier, third_party, told_first=True)
                elif self.rules.is_debtor.span(u.sound):
                    third_party = None
                if third_party and self.rules.offers_to_pay.span(u.sound):
                    break  # the third party offered to pay: the details they need are allowed
                unanswered = []
                continue
            unanswered.append(u)
            after = 0
            if confirmed and self.rules.asks_for_someone.span(u.sound):
                confirmed = False  # the listener confirmed being someone the agent is not after
            if self.rules.agent_names_guarantor.span(u.sound):
                third_party = None  # a guarantor is owed the details (NIFA 8, HN 4)
                continue
            if third_party is None and (span := self.rules.agent_addresses_third_party.span(u.sound)):
                third_party = (u, f"坐席在{u.segment.start:.1f}秒称对方“{u.text[span[0] : span[1]]}”")
                after = span[1]
            elif (
                third_party is None
                and (match := self.rules.tells_someone_elses_debt.search(u.text))
                and not QUESTION_AFTER.match(u.text, match.end())  # 您老公在我们这也有借款吗？ asks the debtor
            ):
                third_party = (u, f"坐席在{u.segment.start:.1f}秒说起他人的欠款“{match.group(0).lstrip('，。？！,.?! ')}”")
                after = match.start()
            if third_party is not None:
                look(u, third_party, after)
        return findings

    def _confirms(self, asked: list[Utterance], answer: Utterance) -> bool:
        """Whether ``answer`` says yes to an identity question among the agent turns ``asked``."""
        return bool(
            asked
            and self.rules.confirms_identity.span(answer.sound)
            and any(self.rules.identity_question.span(u.sound) for u in asked)
        )

    def _finding(
        self,
        view: CallView,
        u: Utterance,
        why: tuple[Utterance, str],
        reveals: list[tuple[float, str]],
        told_first: bool,
    ) -> Finding:
        told, cue = why
        score = max(score for score, _ in reveals)
        guessed = bool(u.role_reason or told.role_reason)
        what = "、".join(what for _, what in reveals)
        if told_first:
            explanation = f"坐席透露了{what}；{cue}（非债务人本人），听到的是第三人"
        else:
            explanation = f"{cue}（非债务人本人）；坐席随后透露了{what}"
        if guessed:
            explanation += "；说话人由话术推断"
            score *= 0.9
        category = category_table()["third_party_leak"]
        return agent_utterance_finding(view, u, category.id, category.severity, score, self.rules.third_party_clauses, self.name, explanation)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "□" * (end - start)
    return "".join(chars)
