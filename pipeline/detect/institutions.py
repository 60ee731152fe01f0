"""Where a text names an institution, and blanking names out before looking for debt words."""

from __future__ import annotations

import functools
import re

from pipeline.calls import Call
from pipeline.detect.dialogue_file import DialogueRules, Reveal
from pipeline.detect.heard_words import HeardWords
from pipeline.detect.sound import CLAUSE_BREAKS, _fuzzy_reading, sentence_bounds, sound_spellings, sound_text
from pipeline.detect.view import Utterance
from pipeline.text import is_word, to_simplified

NAME_ENDS = re.compile(f"[和与及跟、的{CLAUSE_BREAKS}]")  # where a name said after a suffix ends
LEADING_I = re.compile(r"(?:我们|我)(?!是|们)")
# a place in front of a name (广西壮族自治区金融调解中心, 汕头市金融工作局): where a body sits, not which one
PLACE = re.compile(r"^[^，。？！,.?!\s]{1,6}?(?:自治区|省|市|区|县|州)")


@functools.cache
def _simplified_characters() -> dict[int, str]:
    """Each traditional character of the common block and its simplified one, for str.translate:
    OpenCC on each candidate name costs tens of microseconds, many times a call."""
    block = "".join(chr(c) for c in range(0x4E00, 0xA000))
    converted = to_simplified(block)
    if len(converted) != len(block):
        return {}
    return {ord(t): s for t, s in zip(block, converted) if t != s}


COMMISSIONED = "委托"


class InstitutionFinder:
    """Where a text names an institution: a brand, a configured name, a name plus a suffix
    (某某金融), a name that its staff speak for (宜信普惠的客服), or any name in the act of
    introducing an organisation (我这边是花小满的, 青柚借钱贷后中心, 受小鹿分期委托).

    It reads the text spelt by sound, with every word list spelt the same way, so that a
    misheard name (接信 for 捷信, 鑫大校贷 for 鑫达小贷) still counts as a disclosure.
    """

    def __init__(self, rules: DialogueRules, institutions: list[str]):
        self.names = [sound_text(n) for n in sorted({*rules.brands, *institutions}, key=len, reverse=True)]
        # every reading of a suffix: 银航 is a mishearing of 银行 (yin hang), not of yin xing
        spelt = {s for word in suffix_words(rules) for s in sound_spellings(word)}
        self.suffixes = re.compile("|".join(re.escape(s) for s in sorted(spelt, key=len, reverse=True)))
        self.ends_with_suffix = re.compile(f"(?:{self.suffixes.pattern})$")
        self.only_suffixes = re.compile(f"(?:{rules.suffixes.pattern})+")  # 银行, 银行金融: a kind, no name
        # suffixes and brand endings written out: the name in front is written as meant (津融消费金融, 津融分期)
        self.written_suffixes = re.compile(
            "|".join(re.escape(w) for w in sorted({*suffix_words(rules), *rules.brand_endings}, key=len, reverse=True))
        )
        staff = "|".join(re.escape(w) for w in sorted(rules.staff, key=len, reverse=True))
        self.staff = re.compile(sound_text(f"的(?:{staff})")) if staff else None
        self.not_name_endings = rules.not_name_endings
        self.name_starts = rules.name_starts
        self.name_starts_sound = [sound_text(w) for w in rules.name_starts]
        self.not_names = rules.not_names
        self.not_institutions = rules.not_institutions
        # a one-syllable word (局) by sound is any syllable
        self.not_institutions_heard = [(w, sound_text(w)) for w in rules.not_institutions if len(w) > 1]
        self.introductions = [*rules.introductions, *rules.bare_introductions]
        self.introduction_words = HeardWords([regex.pattern for regex in self.introductions])
        # the commission (受X委托, X委托的) spelt by sound, its anchor of two syllables: 收麦穗钱包为脱
        # is 受麦穗钱包委托 heard. Not the acts whose words are one syllable, any syllable by sound
        # (提干、入党都受影响 would be 替X向)
        self.commissioned_heard = sound_text(COMMISSIONED)
        self.introductions_heard = {
            regex: re.compile(sound_text(regex.pattern))
            for regex in self.introductions
            if COMMISSIONED in regex.pattern
        }
        self.bare_introductions = rules.bare_introductions
        # what kind of business a company is (商务, 信息咨询) is a kind too: 我是咨询公司的 names
        # nobody, and so is a suffix said alone (我是小贷公司的)
        self.kind_words = sorted({*rules.kinds, *rules.business_words, *suffix_words(rules)}, key=len, reverse=True)
        self.kinds = re.compile("|".join(re.escape(k) for k in self.kind_words) or r"(?!x)x")
        self.trailing_kinds = re.compile(f"(?:{self.kinds.pattern})+$")
        endings = "|".join(re.escape(w) for w in rules.brand_endings) or r"(?!x)x"
        self.one_character_brand = re.compile(f"[^{CLAUSE_BREAKS}](?:{endings})")
        self.not_name_parts = rules.not_name_parts

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
            # an authority's name ends in a suffix too (中国人民银行征信中心)
            # (深圳市地方金融|管理局, 成华区金融|纠纷人民调解委员会: the authority's word may follow
            # the suffix in the same name; after 和/的 it is another body, 青禾银行和公安分局, and
            # a lawyer after it, 招联金融的律师, is the institution's own staff)
            after = NAME_ENDS.split(text[match.end() : match.end() + 8], maxsplit=1)[0]
            if (
                name_start is not None
                and not self._runs_into_a_word(text, *match.span())
                and not any(w in text[name_start : match.end()] for w in self.not_institutions)
                and not any(w in after for w in self.not_institutions)
            ):
                found.append((name_start, match.end()))
        for match in self.staff.finditer(sound) if self.staff else ():
            name_start = self._name_start(text, sound, match.start())
            # a name ending in a suffix was judged above (催收公司的客服 is no name)
            if name_start is not None and not self.ends_with_suffix.search(sound[name_start : match.start()]):
                found.append((name_start, match.start()))
        # on the text read as Mandarin (我系X嘅 as 我是X的), same length; where no introduction is
        # read there, again with their words put back where heard as homophones (埋碎解带后补的
        # for 麦穗借贷后部的: the name is taken as written)
        introduced = self._introduced(text, utterance.mandarin)
        if not introduced:
            heard = self.introduction_words.heard_as_said(utterance.mandarin, utterance.heard)
            introduced = self._introduced(text, heard) if heard != utterance.mandarin else []
        if not introduced and self.commissioned_heard in utterance.heard:
            introduced = self._introduced(text, utterance.heard, by_sound=True)
        return found + introduced

    def _runs_into_a_word(self, text: str, start: int, end: int) -> bool:
        """Whether the suffix at ``start:end`` begins a longer word that names no institution
        (所有银行卡, 公司法, 金融业), not a department or another kind (法务部, 集团公司)."""
        return end < len(text) and is_word(text[start : end + 1]) and not self.kinds.match(text, end)

    def _introduced(self, text: str, read: str, by_sound: bool = False) -> list[tuple[int, int]]:
        """The names in ``text`` that an introduction, matched on ``read`` (as long; spelt by sound
        with ``by_sound``), introduces."""
        found = []
        for regex in self.introductions:
            at = 0
            reading = self.introductions_heard.get(regex) if by_sound else regex
            while reading and (match := reading.search(read, at)):
                # a refused candidate (这边是青柚借钱) may hide a name further on (青柚借钱), or
                # behind the words that introduce it (我有米花贷后的: 有米花)
                start, end = match.span("name")
                start += self._introducer_length(text[start:end])
                name = text[start:end]
                if self.introduced_name(name) and (regex not in self.bare_introductions or self.kinds.search(name)):
                    found.append((start, end))
                    at = match.end()
                else:
                    at = match.start() + 1
        return found

    def names_written(self, text: str) -> list[str]:
        """The names ``text`` writes in front of a suffix written out (津融 in 户名是津融消费金融
        股份有限公司). Not those introduced (代表津融分期): on the tune writers' noised calls,
        those held the mishearings of 东方汇通银航 and 我是法苑的 as names."""
        sound = sound_text(text)
        found = []
        for match in self.written_suffixes.finditer(text):
            start = self._name_start(text, sound, match.start())
            if start is not None:
                found.append(text[start : match.start()])
        return found

    @staticmethod
    def _introducer_length(name: str) -> int:
        """The candidate's leading 我/我们 (我有米花贷后的: 有米花), not 我是: a person's name
        follows that more often (我是小刘)."""
        match = LEADING_I.match(name)
        return match.end() if match and len(name) - match.end() >= 2 else 0

    def introduced_name(self, name: str) -> bool:
        """Whether what an introduction puts in the name's place is a name: not a bare kind of
        institution (平台风控部, 深圳公司, 咨询公司) with a place or none (滇池区金融), not talk (负责你这个案子),
        not an authority. Read in simplified script: recognition writes some characters
        traditional (都是我們管的 is talk, as 我们 is)."""
        name = name.translate(_simplified_characters())
        if name in self.not_names or any(part in name for part in self.not_name_parts):
            return False
        if any(word in name for word in self.not_institutions):
            return False
        # an authority's word heard where the name ends, before any kind (天平绿师事务所 is a
        # 律师事务所 misheard), keeping one of its own characters as a repair does (众源 is no
        # 中院), unless what is written there is a word of its own (中原)
        core = self.trailing_kinds.sub("", name)
        if not is_word(core) and any(
            sound_text(core).endswith(heard) and set(core[-len(word) :]) & set(word)
            for word, heard in self.not_institutions_heard
        ):
            return False
        rest = self.kinds.sub("", PLACE.sub("", name))
        # one character of its own before a kind that brands end in is a brand (悦分期, 好分期平台)
        return len(rest) >= 2 or (len(rest) == 1 and self.one_character_brand.match(name) is not None)

    def _name_start(self, text: str, sound: str, suffix_start: int) -> int | None:
        """Start of the name in front of a suffix, or None when no real name is there."""
        clause_start = max(sound.rfind(ch, 0, suffix_start) for ch in CLAUSE_BREAKS) + 1
        begin = max(clause_start, suffix_start - 8)
        cut = self._cut(text[begin:suffix_start], sound[begin:suffix_start])
        name = text[begin + cut : suffix_start].strip("的")
        if len(name) < 2 or name in self.not_names or self.only_suffixes.fullmatch(name):
            return None
        if any(word in name for word in self.not_institutions):
            return None
        if any(name.endswith(ending) for ending in self.not_name_endings):
            return None
        if not self.introduced_name(name):  # 深圳公司 (a kind, no name), 处理减免的专员 (talk)
            return None
        return suffix_start - len(name)

    def _cut(self, chunk: str, chunk_sound: str) -> int:
        """Where the name in ``chunk`` starts: after the last word that introduces it (我是|招联,
        您在|招联) as written, else after one heard as it (我市|招联) that leaves a name of two
        characters or more: in 他在石林农商行, 石 sounds like 是 and is the name's."""
        written = [chunk.rfind(cue) + len(cue) for cue in self.name_starts if cue in chunk]
        if written:
            return max(written)
        heard = [chunk_sound.rfind(cue) + len(cue) for cue in self.name_starts_sound if cue in chunk_sound]
        return max((at for at in heard if len(chunk) - at >= 2), default=0)


def _as_heard(char: str) -> str:
    """A character's syllable as a recogniser blurs it: ``_fuzzy_reading`` (zh/z, ch/c, sh/s,
    n/l, -ng/-n) and r as l besides (润通 heard 伦通, 海融 heard 海龙)."""
    syllable = _fuzzy_reading(char)
    return "l" + syllable[1:] if syllable.startswith("r") else syllable


def heard_like(text: str, name: str) -> list[tuple[int, int]]:
    """Where ``text`` holds ``name`` as a recogniser may have heard it: every syllable alike
    (``_as_heard``), not where it is written out. Looser than any spelling by sound: only for the
    names a call is known to be about, never a word list, and only where a kind of institution
    follows (the disclosure recognizer's ``_trade_heard``)."""
    size = len(name)
    wanted = [_as_heard(ch) for ch in name]
    if size < 2 or not all(wanted):
        return []
    heard = [_as_heard(ch) for ch in text]
    return [
        (at, at + size)
        for at in range(len(text) - size + 1)
        if heard[at : at + size] == wanted and text[at : at + size] != name
    ]


def agency_names(agency: str | None, rules: DialogueRules) -> list[str]:
    """An institution's name (a call's ``agency`` field) and the name without the suffix
    (某某信用管理有限公司 → 某某)."""
    if not agency:
        return []
    stem = agency
    while True:
        match = rules.suffixes.search(stem)
        if not match or match.start() < 2:
            break
        stem = stem[: match.start()]
    return [agency, stem] if stem != agency else [agency]


def trade_name(agency: str | None, rules: DialogueRules) -> str | None:
    """The last two characters of an institution's trade name (a call's ``agency`` field), what
    agents say of it: place and kind of business stripped (深圳有米信息技术有限公司 → 有米,
    青柚（深圳）金融信息服务有限公司 → 青柚), a kind that brands end in too (铁牛分期 → 铁牛: 分期
    alone is any loan, 买拖拉机的分期), but kept after a brand of one character (乐分期网络小额贷款有限公司
    → 乐分期: 乐 alone is no name); None when too little is left."""
    if not agency:
        return None
    name = re.sub(r"[（(][^）)]*[）)]", "", agency)
    ends = sorted({*rules.business_words, *suffix_words(rules), *rules.brand_endings}, key=len, reverse=True)
    while word := next((w for w in ends if name.endswith(w) and len(name) > len(w)), None):
        if word in rules.brand_endings and len(name) - len(word) == 1:
            return name
        name = name[: -len(word)]
    return name[-2:] if len(name) >= 2 else None


def known_names(call: Call, rules: DialogueRules) -> list[str]:
    """The institutions the call is about (``Call.names``: its agency, its lender) as an agent
    says them: whole, without the suffix, and by the trade name (津融消费金融股份有限公司, 津融)."""
    names = {n for name in call.names for n in (*agency_names(name, rules), trade_name(name, rules)) if n}
    return sorted(names, key=len, reverse=True)


def suffix_words(rules: DialogueRules) -> list[str]:
    """The words of the ``suffixes`` pattern (有限公司, 银行, ...)."""
    return [w.replace("\\", "") for w in rules.suffixes.pattern.split("|") if w]


def call_names(view, finder: InstitutionFinder, rules: DialogueRules) -> list[str]:
    """The institution names of this call: the ``agency`` field's, and every name the agent
    gave anywhere in it (a brand introduced in the greeting, 小鹿分期, is a name later too,
    where nothing introduces it: 让他给小鹿分期回个电话)."""
    names = set(agency_names(view.call.agency, rules))
    for u in view.utterances:
        if u.role != "customer":
            names.update(u.text[a:b] for a, b in finder.spans(u) if b - a >= 2)
    return sorted(names, key=len, reverse=True)


def details_blanked(
    u: Utterance, finder: InstitutionFinder, rules: DialogueRules, names: list[str], after: int = 0
) -> str:
    """The utterance's text with what tells nothing about a debt blanked out: the institution
    names (某某小额贷款公司 reveals no 贷款), the principal before 委托, department and job
    titles (信用卡中心, 催收专员), and the first ``after`` characters."""
    text = blank(u.text, [(0, after)])
    spans = finder.spans(u, names) + [m.span() for m in rules.principal.finditer(text)]
    spans += [m.span() for m in rules.titles.finditer(text)]
    return blank(text, spans)


def tells_debt(u: Utterance, finder: InstitutionFinder, rules: DialogueRules, names: list[str]) -> bool:
    """The agent's turn says something of the debt, once what tells nothing is blanked."""
    if not any(r.regex.search(u.text) for r in rules.reveals):
        return False
    text = details_blanked(u, finder, rules, names)
    return any(r.regex.search(text) for r in rules.reveals)


def reached_a_stranger(view, until: float, finder: InstitutionFinder, rules: DialogueRules, names: list[str]) -> bool:
    """A stranger said it was a wrong number (by ``until`` seconds) before the agent said anything
    about the debt, and nobody on the line said, then or later, that they know the debtor (a
    relative who first says 打错了 was a contact all along). The ruling on wrong numbers: such a
    call owes nothing; an agent who launched into the collection first still owed the name and
    the recording notice."""
    customer = [u for u in view.utterances if u.role == "customer"]
    if any(rules.knows_debtor.span(u.sound) for u in customer):
        return False
    stranger = False
    for u in view.utterances:
        if u.segment.start > until:
            break
        if u.role == "customer":
            stranger = stranger or bool(rules.wrong_number.span(u.heard))
        elif not stranger and tells_debt(u, finder, rules, names):
            return False
    return stranger


UNSAID_REACH = 8  # characters before a detail where its denial may start: 不会跟你家人说你欠钱


def unsaid(text: str, start: int, end: int, rules: DialogueRules) -> bool:
    """The debt detail at ``text[start:end]`` is denied just before it in its clause, not told
    (没有提到欠款, 家里人不需要替他还); a denial of something else earlier in a clause that
    recognition left unpunctuated (你不用知道我是谁你那个贷款还不还) does not reach it."""
    clause = max((text.rfind(ch, 0, start) for ch in CLAUSE_BREAKS), default=-1) + 1
    return bool(rules.unsaid.search(text[max(clause, start - UNSAID_REACH) : end]))


def details_told(text: str, rules: DialogueRules) -> list[tuple[Reveal, re.Match]]:
    """Each debt detail ``text`` tells: a ``reveals`` rule and its first match, unless denied
    just before it (``unsaid``)."""
    return [
        (r, m)
        for r in rules.reveals
        for m in [r.regex.search(text)]
        if m and not unsaid(text, m.start(), m.end(), rules)
    ]


def declined_blanked(text: str, rules: DialogueRules) -> str:
    """``text`` with every sentence in which the agent declines to tell blanked: 借款人的具体业务，
    我们只能跟本人讲 names what is withheld."""
    return blank(text, [sentence_bounds(text, m.start(), m.end()) for m in rules.declines.finditer(text)])


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "□" * (end - start)
    return "".join(chars)
