"""Homophone repair: puts lexicon words back where speech recognition wrote a homophone of
them (发院 → 法院, 预期 → 逾期, 律诗 → 律师), so that rules match the words as meant.

Toneless pinyin of whole multi-syllable words that do not cut through a dictionary word, so one
shared syllable never counts. Single characters only where a money verb (还, 欠) alone can stand
(``HomophoneRepairer._money_verbs``).

Two kinds of words take part. Words repaired towards (``vocabulary``: the rules' terms, the
domain words, the institution names) are put back wherever a homophone of them is heard. Words
kept as written (``kept``: the cancelling cues, 不会, 我没, 接一下) are only held where they are
written, so that no repair cuts across them (不会去 is no 补回去), and never put back: a short cue
is a phrase of everyday words whose homophones are other everyday phrases (我姐 is no 我借, 我哪
no 我拿). Put back, the cues rewrote 109 of the tune writers' 11,751 correctly written lines;
held only, detection's figures on tune stayed the same (2026-12-03). Which words may be put back
is guarded by ``tests/test_repair_vocabulary.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.detect.sound import (
    _FUZZY_SPELLING,
    _SOUND_SPELLING,
    CLAUSE_BREAKS,
    HAN,
    PAID_BACK_SOUNDS,
    _fuzzy,
    _reading,
    means_paying_back,
    phrase_readings,
    sound_text,
)
from pipeline.detect.view import Repair
from pipeline.text import is_common_word, is_word

NUMERAL_THEN_SYLLABLE = re.compile(r"(?<=[0-9一二两三四五六七八九十百千几])[\u4e00-\u9fff]")
_UNITS = {"wan": "万", "kuai": "块"}
# Two characters right after a verb of money (还, 欠, 借), where a sum is said: 还一万 heard 还以往.
MONEY_VERB_THEN_TWO = re.compile(r"(?<=[还欠借])[\u4e00-\u9fff]{2}")
# Where ``_money_verbs`` reads a syllable of 还's sound as the money verb: closing a clause after a
# negation or 就 (再不还，没还了。明天就还) or after whom it is paid for (帮他还？), or right after the
# money (把欠款还上)
PAID_BACK_ALONE = re.compile(
    rf"(?:(?<=[不没就])|(?<=[帮替][他她你我]))[\u4e00-\u9fff](?=了?(?:[{CLAUSE_BREAKS}]|$))|(?<=[钱款])[\u4e00-\u9fff]"
)
_PAID_BACK_SPELT = frozenset(_SOUND_SPELLING.syllable(s) for s in PAID_BACK_SOUNDS)
# ... and 欠 where only it stands before 了 and the money (他欠了钱 heard 他签了钱)
# (a sum with its unit, or three digits or more alone as recognition writes them: 签了9000多)
_SUM = r"(?:[0-9一二两三四五六七八九十几][0-9零一二两三四五六七八九十百千万几]*(?:万|千|百|块|元)|[0-9]{3,}(?![0-9年号月日天]))"
OWED_MONEY = re.compile(rf"[\u4e00-\u9fff](?=了(?:[钱款]|{_SUM}))")
# ... and 借 before 了 and a sum of money, not of land or goods (他在我们这借了五千 heard 接了五千, 截了
# 2000块; not 接了三百亩的活). Not before 钱 or 款: 结了钱 is wages settled.
BORROWED_MONEY = re.compile(rf"[\u4e00-\u9fff](?=了{_SUM}(?!亩|斤|公斤|米|吨|个|人|天|平))")
# ... and 拖 before how long the debt was dragged on, or 下去 (你那三千脱了四个月, 再脱下去; Whisper
# base hears 拖 as 脱 on phone audio more often than as itself)
DRAGGED_ON = re.compile(
    r"[\u4e00-\u9fff](?=了?(?:快|都|有|近|了)*[0-9一二两三四五六七八九十几半]+个?多?(?:天|月|年|星期|礼拜)|下去)"
)
_OWE_SPELT = _SOUND_SPELLING.syllable(_reading("欠"))
_BORROW_SPELT = _SOUND_SPELLING.syllable(_reading("借"))
_DRAG_SPELT = _SOUND_SPELLING.syllable(_reading("拖"))
# the verb a syllable stands for where only it stands before money or a time
_ALONE_BEFORE = {_OWE_SPELT: ("欠", OWED_MONEY), _BORROW_SPELT: ("借", BORROWED_MONEY), _DRAG_SPELT: ("拖", DRAGGED_ON)}
_MONEY_VERB_SPELT = re.compile(f"[{''.join(sorted(_PAID_BACK_SPELT))}{''.join(_ALONE_BEFORE)}]")
# a sum's numeral or unit, after which qian is 千 (两千钱 is no 两欠钱)
_IN_A_SUM = re.compile(r"[0-9零〇一二两三四五六七八九十百千万几]")
# numerals and units of a sum by their toneless reading (the unit's with -n/-ng merged)
_NUMERALS = {_reading(numeral): numeral for numeral in "一二两三四五六七八九十几"}
_SUM_UNITS = {_fuzzy(_reading(unit)): unit for unit in "万千百块"}
# How long a debt is overdue, said right after the two syllables of 逾期 (于七三个月, 一期四十天了)
TIME_OVERDUE = re.compile(
    r"(?<=[\u4e00-\u9fff]{2})(?=(?:了|都|快)?[0-9零一二两三四五六七八九十百几半]+多?个?多?(?:天|月|年|星期|礼拜))"
)
OVERDUE = "逾期"
# the end of a clause, 的 or 了 before it
CLOSING = re.compile(rf"(?:的|了)?(?:[{CLAUSE_BREAKS}]|$)")
# 逾期's syllables as Whisper base hears them on phone audio: yu qi, or yi qi (the rounded yu
# flattened: 一期, 一七)
_OVERDUE_SOUND = (_reading("逾"), _reading("期"))
_OVERDUE_HEARD = frozenset({_OVERDUE_SOUND, ("yi", _OVERDUE_SOUND[1])})
# The names of bodies this long are put back with one syllable inside them heard as another
# (人民挑战委员会 for 人民调解委员会): a fixed name, not a phrase with a slot (打到你还为止 is no
# 打到你烦为止)
NEAR_LENGTH = 6
BODY = re.compile(r"(?:委员会|中心|事务所|法院|检察院|公安局|分局|支队|大队|管理局|办公室)$")
# The call, by sound (通华 is 通话 heard), and how it is said to be recorded (本次通话会录音, 这通电话是
# 全程录音的, 来电有录音): where 录音 or 录着音 is heard next (``_recorded``)
# 音's syllable as heard there: -n/-ng blurred (``_fuzzy``), or the nasal lost (电话有录意呢)
RECORDED_YIN = ("yin", "yi")
CALL_TO_RECORD = re.compile(
    sound_text("(?:电话|通话|来电|去电|这通|本通)(?:[会有是在将被已都也]|全程|正在|进行|同步|已经|我们|咱们|这边){0,3}")
)


@dataclass(frozen=True)
class _Sound:
    word: str
    syllables: tuple[str, ...]
    spelt: str  # the syllables spelt as in sound_text (or its fuzzy spelling)
    fuzzy: bool
    kept: bool  # a word held where it is written, never put back


class HomophoneRepairer:
    """Puts vocabulary words back where the text holds a homophone of them.

    A word of two syllables must match its toneless pinyin exactly, keep one of its
    characters (发院, 律诗, 预期 do; 老李 for 牢里 does not: two sounds alike by chance) or close
    its clause (``_closes_clause``: 要做老的), and not cut through a dictionary word, so 办法院子
    (办法|院子) never yields 法院. A longer word needs neither check when its toneless pinyin matches: three syllables in a row rarely
    sound alike by chance, while garbled text cuts badly (度消满的 is not cut at 满|的); only a
    changed character at its edge may not cut through a dictionary word (我们每天 is no 我们没天).
    It may also match with the fuzzy sounds of ``_fuzzy``, but then must not cut through a
    dictionary word: 我是人工坐席 holds no 我私人 (on the tune writers' noised calls that check
    refused 8 wrong repairs and no right one). Each Han character is one syllable, so a repair keeps the
    text's length and every offset.
    """

    def __init__(self, vocabulary: Iterable[str], domain_words: Iterable[str] = (), kept: Iterable[str] = ()):
        """``vocabulary``: the words to put back; ``kept``: words only held where written (a word
        of both is put back)."""
        is_word("")  # load jieba's dictionary now, with the lexicons (and before workers fork)
        # the lexicon folder's domain_words are words too, whichever folder the settings name
        self.domain_words = frozenset(domain_words)
        # words by the spelling of their first two syllables, in each spelling
        self.by_start: dict[bool, dict[str, list[_Sound]]] = {False: {}, True: {}}
        # long names of bodies by the spelling of their first two and of their last two syllables
        # ("start" or "end", the name): one syllable heard otherwise leaves one pair or the other
        self.near: dict[str, list[tuple[str, _Sound]]] = {}
        vocabulary = set(vocabulary)
        for word in sorted(vocabulary | set(kept)):
            if len(word) < 2 or not HAN.match(word):
                continue
            variants = phrase_readings(word) | {tuple(_reading(ch) for ch in word)}
            for fuzzy in (False, True) if len(word) >= 3 else (False,):
                spelling = _FUZZY_SPELLING if fuzzy else _SOUND_SPELLING
                for variant in variants:
                    syllables = tuple(_fuzzy(x) for x in variant) if fuzzy else variant
                    spelt = "".join(spelling.syllable(x) for x in syllables)
                    sound = _Sound(word, syllables, spelt, fuzzy, kept=word not in vocabulary)
                    starts = self.by_start[fuzzy].setdefault(spelt[:2], [])
                    if sound not in starts:
                        starts.append(sound)
                    if not fuzzy and len(word) >= NEAR_LENGTH and BODY.search(word) and not sound.kept:
                        for side, pair in (("start", spelt[:2]), ("end", spelt[-2:])):
                            near = self.near.setdefault(pair, [])
                            if (side, sound) not in near:
                                near.append((side, sound))

    def _candidates(self, text: str, spelt: str) -> list[tuple[int, int, str, str, bool]]:
        """(start, end, word, pinyin, matched by fuzzy sounds) of every word whose sound appears
        in ``text`` (``spelt`` by sound): a word kept as written only where it is written; and the
        long names of bodies heard with one syllable inside them otherwise (``_near``), as fuzzy
        matches."""
        found = []
        for fuzzy, spelling in ((False, spelt), (True, text.translate(_FUZZY_SPELLING))):
            table = self.by_start[fuzzy]
            for i in range(len(spelling) - 1):
                for sound in table.get(spelling[i : i + 2], ()):
                    end = i + len(sound.spelt)
                    if spelling.startswith(sound.spelt, i) and not (sound.kept and text[i:end] != sound.word):
                        found.append((i, end, sound.word, " ".join(sound.syllables), fuzzy))
            if not fuzzy:
                found += self._near(text, spelt)
        return found

    def _near(self, text: str, spelt: str) -> list[tuple[int, int, str, str, bool]]:
        """The long names of bodies in ``text`` (``spelt`` by sound) with exactly one syllable
        inside them, not at an edge, heard as another, and no pause inside."""
        found = []
        for i in range(len(spelt) - 1):
            for side, sound in self.near.get(spelt[i : i + 2], ()):
                start = i if side == "start" else i + 2 - len(sound.spelt)
                end = start + len(sound.spelt)
                if start < 0 or end > len(spelt) or not HAN.fullmatch(text[start:end]):
                    continue
                differ = [k for k, (a, b) in enumerate(zip(spelt[start:end], sound.spelt)) if a != b]
                if len(differ) == 1 and 0 < differ[0] < len(sound.spelt) - 1:
                    found.append((start, end, sound.word, " ".join(sound.syllables), True))
        return found

    def repair(self, text: str, names: Iterable[str] = ()) -> tuple[str, list[Repair]]:
        """``text`` with the homophones put back, and the repairs. ``names``: the names the call
        knows (its agency's, its lender's), right as written wherever they stand, so no repair
        cuts into them (a brand 津融 is no 金融)."""
        taken = self._held(text, names)
        spelt = text.translate(_SOUND_SPELLING)
        verbs = [r for r in self._money_verbs(text, spelt) if not any(taken[r.start : r.end])]
        if verbs:
            text = _spliced(text, verbs)  # the verb put back first, for the sum after it
            spelt = text.translate(_SOUND_SPELLING)  # (还, a reading of its own, for 缓)
        candidates = self._candidates(text, spelt)
        # the characters right after a numeral, where a unit of money may have been misheard:
        # found once, both for the early way out and for the unit repair
        after_numerals = [match.start() for match in NUMERAL_THEN_SYLLABLE.finditer(text)]
        after_money_verbs = [match.start() for match in MONEY_VERB_THEN_TWO.finditer(text)]
        before_times = [match.start() for match in TIME_OVERDUE.finditer(text)]
        after_calls = [match.end() for match in CALL_TO_RECORD.finditer(spelt)]
        if not candidates and not after_numerals and not after_money_verbs and not before_times and not after_calls:
            return text, verbs
        # Names first, then literal occurrences, then longer words; overlapping later candidates
        # lose, except where one takes in a literal occurrence (``_takes_in``).
        candidates.sort(key=lambda c: (text[c[0] : c[1]] != c[2], -(c[1] - c[0]), c[0]))
        for r in verbs:
            taken[r.start : r.end] = [True] * (r.end - r.start)
        repairs = verbs + self._overdue(text, before_times, taken) + self._recorded(text, after_calls, taken)
        repairs += self._sums(text, after_money_verbs, taken) + self._units(text, after_numerals, taken)
        literal = [False] * len(text)
        for start, end, word, sound, fuzzy in candidates:
            if any(taken[start:end]) and not self._takes_in(text, start, end, word, fuzzy, taken, literal):
                continue
            heard = text[start:end]
            if heard != word:
                if end - start == 2 and not set(heard) & set(word) and not self._closes_clause(text, start, end):
                    continue
                if (end - start == 2 or fuzzy) and (self._inside_word(text, start) or self._inside_word(text, end)):
                    continue
                if end - start > 2 and self._cuts_at_a_changed_edge(text, start, end, word):
                    continue
                repairs.append(Repair(start, end, heard, word, sound))
            for k in range(start, end):
                taken[k] = True
                literal[k] = heard == word
        if not repairs:
            return text, []
        return _spliced(text, repairs), sorted(repairs, key=lambda r: r.start)

    @staticmethod
    def _takes_in(
        text: str, start: int, end: int, word: str, fuzzy: bool, taken: list[bool], literal: list[bool]
    ) -> bool:
        """Whether ``word``, heard over characters already taken, may take them: each is part of a
        literal occurrence of a shorter word that ``word`` keeps as written (催收肥 is 催收费 heard,
        around 催收 as written). Only an exact match, not where what was heard is a word (仲裁员 is
        no 仲裁院) or what it changes is one of the commonest words (分期了 is no brand 分期乐,
        调解是 no 调解室)."""
        changed = [k for k in range(start, end) if word[k - start] != text[k]]
        return (
            not fuzzy
            and not is_word(text[start:end])
            and not any(is_common_word(text[k]) for k in changed)
            and all(literal[k] and k not in changed for k in range(start, end) if taken[k])
        )

    @staticmethod
    def _closes_clause(text: str, start: int, end: int) -> bool:
        """Whether a two-character key heard with none of its characters (做老 for 坐牢, 气速 for 起诉,
        掌护 for 账户) stands where a recogniser's slip is likelier than two words alike by chance:
        closing its clause (的 or 了 may follow: 要做老的) but not opening it (，姓鞠， is a name),
        and no dictionary word as heard (手机忘带). On the tune writers' 46,106 correctly written
        lines, none such; on the readable scans' heard lines, 13, all right (2026-12-04)."""
        return (
            start > 0
            and text[start - 1] not in CLAUSE_BREAKS
            and CLOSING.match(text, end) is not None
            and not is_word(text[start:end])
        )

    @staticmethod
    def _held(text: str, names: Iterable[str]) -> list[bool]:
        """Per character of ``text``, whether it is in one of ``names``."""
        held = [False] * len(text)
        for name in names:
            for match in re.finditer(re.escape(name), text):
                held[match.start() : match.end()] = [True] * len(name)
        return held

    def _money_verbs(self, text: str, spelt: str) -> list[Repair]:
        """The money verbs heard as another syllable of their sound where only they stand: 还 (缓, 换,
        环 for huán; 海, 害 for hái) where ``PAID_BACK`` says 还 would mean paying back and
        ``PAID_BACK_ALONE`` holds (再不缓， for 再不还，), or before a sum (先换一网 for 先还一万); 欠
        (签, 千) before 了 and the money or a sum (``OWED_MONEY``: 签了一千九; on the readable scans
        of 2026-12-04, 10 such 签, 前 or 钱 before 了 and a sum, all 欠, and no tune line as
        written); 借 (接, 截) before 了 and a sum (``BORROWED_MONEY``: on those scans and the
        fresh writers' of the twenty-first round, 4 such, all 借; one tune line, 接了三百亩, refused);
        拖 (脱) before how long or 下去 (``DRAGGED_ON``: on those scans, 20 such, all 拖). These
        three never where the heard character ends a dictionary word (摆脱, 跑不脱 stay). 换 and 缓
        are verbs of their own (换号码, 缓几天) but take an object or a time, so seldom stand there:
        of the tune writers' 46,106 correctly written lines, one (不换，就这个); of the tune draws'
        lines heard from audio, 20 such verbs, all right (2026-12-04). ``spelt``: ``text`` by sound."""
        repairs: list[Repair] = []
        for match in _MONEY_VERB_SPELT.finditer(spelt):
            at = match.start()
            if repairs and repairs[-1].end > at:
                continue
            pair = self._verb_and_money(text, spelt, at)
            if pair:
                repairs.append(pair)
                continue
            if match.group() in _PAID_BACK_SPELT:
                meant = "还"
                alone = means_paying_back(text, at) and (PAID_BACK_ALONE.match(text, at) or self._sum_at(text, at + 1))
            else:
                meant, before = _ALONE_BEFORE[match.group()]
                alone = before.match(text, at) and not self._inside_word(text, at)
            if alone and text[at] != meant:
                repairs.append(Repair(at, at + 1, text[at], meant, _reading(text[at])))
        return repairs

    def _verb_and_money(self, text: str, spelt: str, at: int) -> Repair | None:
        """欠钱 or 还钱 where both characters were heard as others of their sound (千千, 签签 for 欠钱;
        缓浅 for 还钱): a two-character key that keeps none of its characters, which the repair
        otherwise refuses, taken where the verb's syllable is followed by 钱's. Not after a sum's
        numeral or unit (两千钱), nor cutting a dictionary word (之前|钱到账, 千万). Of the tune
        writers' 46,106 correctly written lines, none; of the tune draws' heard lines, 16, all
        right (2026-12-04)."""
        heard = text[at : at + 2]
        if len(heard) < 2 or spelt[at + 1] != _OWE_SPELT or spelt[at] in (_BORROW_SPELT, _DRAG_SPELT):
            return None
        meant = ("欠" if spelt[at] == _OWE_SPELT else "还") + "钱"
        if (
            set(heard) & set(meant)
            or (at and _IN_A_SUM.match(text[at - 1]))
            or self._inside_word(text, at)
            or self._inside_word(text, at + 2)
        ):
            return None
        return Repair(at, at + 2, heard, meant, f"{_reading(text[at])} qian")

    def _overdue(self, text: str, before_times: list[int], taken: list[bool]) -> list[Repair]:
        """逾期 heard as two characters of its sound sharing none of its own (于七, 遇弃) or with yu
        heard yi (一期, 一七, 一起), taken where only 逾期 is said: right before how long the debt
        is overdue (``TIME_OVERDUE``: 于七三个月了); heard yi, not where its first character ends a
        dictionary word (第一期, 万一). On the readable scans' heard lines, 21 such pairs and not one 逾期
        before a time; of the tune writers' 77,889 lines as written, none but the homophones
        writers planted in their noised lines (余期, 预期) (2026-12-04). ``before_times``: where a
        time said overdue starts."""
        repairs = []
        for end in before_times:
            start = end - 2
            heard = text[start:end]
            sound = (_reading(heard[0]), _reading(heard[1]))
            if (
                heard == OVERDUE
                or any(taken[start:end])
                or sound not in _OVERDUE_HEARD
                or (sound != _OVERDUE_SOUND and self._inside_word(text, start))
            ):
                continue
            repairs.append(Repair(start, end, heard, OVERDUE, _pinyin(heard), in_context=True))
            taken[start:end] = [True, True]
        return repairs

    @staticmethod
    def _recorded(text: str, after_calls: list[int], taken: list[bool]) -> list[Repair]:
        """录音 heard as lu and yin with -n/-ng blurred or lost (录影, 露营, 录印, 录意; 录着音 as
        录者营) right after the call and how it is recorded (``CALL_TO_RECORD``: 本次通话会露营,
        这通电话是全程录影的), where only the notice that it is recorded is said. Whisper base
        hears 录音 as 录影 on phone audio more often than as itself: on the readable scans of
        2026-12-04, 41 such pairs there, all in a recording notice; of the tune writers' lines as
        written, none changed.
        ``after_calls``: where what follows those words starts."""
        repairs = []
        for start in after_calls:
            middle = start + 2 < len(text) and _reading(text[start + 1]) in ("zhe", "ze")
            end = start + 3 if middle else start + 2
            if end > len(text) or _reading(text[start]) != "lu" or _fuzzy(_reading(text[end - 1])) not in RECORDED_YIN:
                continue
            word = "录着音" if middle else "录音"
            if text[start:end] != word and not any(taken[start:end]):
                repairs.append(Repair(start, end, text[start:end], word, _pinyin(text[start:end]), in_context=True))
                taken[start:end] = [True] * (end - start)
        return repairs

    def _units(self, text: str, after_numerals: list[int], taken: list[bool]) -> list[Repair]:
        """A unit of money heard as another character of its sound right after a numeral (两玩三
        for 两万三, 五百快 for 五百块), unless that character starts a dictionary word (一晚上).
        Only the units no other character after a numeral shares a sound with: 千 sounds as 前
        (周五前) and 元 as 院. On the tune writers' lines: 337 such 万 and 100 such 块 on their
        noised calls, none on the correctly written ones. ``after_numerals``: where the
        characters right after a numeral stand (``NUMERAL_THEN_SYLLABLE``)."""
        repairs = []
        for at in after_numerals:
            unit = _UNITS.get(_reading(text[at]))
            if unit and text[at] != unit and not taken[at] and not self._inside_word(text, at + 1):
                repairs.append(Repair(at, at + 1, text[at], unit, _reading(unit)))
                taken[at] = True
        return repairs

    def _sums(self, text: str, after_money_verbs: list[int], taken: list[bool]) -> list[Repair]:
        """A sum of a numeral and a unit heard as a word of its sound right after 还, 欠 or 借 (还以往
        for 还一万, 欠一钱 for 欠一千): the numeral's syllable as said, the unit's with -n/-ng
        merged (wan as wang), the loosest reading confined to where only a sum is said. Not where
        the verb and the first character make a dictionary word and the two heard do not (还是晚了
        is no 还十万了; 还以往 is cut 还|以往), nor the unit and the next character (借一晚上). ``after_money_verbs``: where two characters right
        after such a verb stand (``MONEY_VERB_THEN_TWO``)."""
        repairs = []
        for at in after_money_verbs:
            heard, meant = text[at : at + 2], self._sum_at(text, at)
            if (
                meant is None
                or heard == meant
                or any(taken[at : at + 2])
                or (self._inside_word(text, at) and not is_word(heard))
                or self._inside_word(text, at + 2)
            ):
                continue
            repairs.append(Repair(at, at + 2, heard, meant, _pinyin(meant)))
            taken[at] = taken[at + 1] = True
        return repairs

    @staticmethod
    def _sum_at(text: str, at: int) -> str | None:
        """The sum (a numeral and a unit: 一万) whose sound the two characters at ``at`` have, the
        numeral's syllable as said, the unit's with -n/-ng merged (以往 for 一万); None if none."""
        if at + 2 > len(text):
            return None
        numeral = _NUMERALS.get(_reading(text[at]))
        unit = _SUM_UNITS.get(_fuzzy(_reading(text[at + 1])))
        return numeral + unit if numeral and unit else None

    def _cuts_at_a_changed_edge(self, text: str, start: int, end: int, word: str) -> bool:
        return cuts_at_a_changed_edge(text, start, end, word, self.domain_words)

    def _inside_word(self, text: str, position: int) -> bool:
        return inside_word(text, position, self.domain_words)


def cuts_at_a_changed_edge(text: str, start: int, end: int, word: str, also: frozenset[str] = frozenset()) -> bool:
    """Whether putting ``word`` over ``text[start:end]`` would change the character at one of its
    edges where a dictionary word spans that edge: 我们每天 holds the sound of 我们没, but 每天 is a
    word of its own, and 我们没天 would read as a negation. ``also``: words counted as dictionary words."""
    heard = text[start:end]
    return (heard[0] != word[0] and inside_word(text, start, also)) or (
        heard[-1] != word[-1] and inside_word(text, end, also)
    )


def inside_word(text: str, position: int, also: frozenset[str] = frozenset(), longest: int = 4) -> bool:
    """Whether a dictionary word (jieba's, or one of ``also``) spans ``position``, as 办法 spans
    办|法 in 办法院子.

    A dictionary look-up rather than a full cut: cutting every segment would cost more than
    everything else detection does.
    """
    for start in range(max(0, position - longest + 1), position):
        for end in range(position + 1, min(len(text), start + longest) + 1):
            if is_word(text[start:end]) or text[start:end] in also:
                return True
    return False


def _pinyin(text: str) -> str:
    """The toneless readings of ``text``'s characters, as a repair records what it heard or meant."""
    return " ".join(_reading(ch) for ch in text)


def _spliced(text: str, repairs: Iterable[Repair]) -> str:
    chars = list(text)
    for r in repairs:
        chars[r.start : r.end] = r.word
    return "".join(chars)
