"""Chinese text spelt by sound: every character replaced by one private-use character per
syllable, so that homophones (你 and 拟, 法院 and 发院) become the same string.

Regular expressions spelt the same way (``SoundRegex``) match the words as written and every
homophone of them in one search. A pattern must compile spelt by sound (``checked_regex``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from pipeline.detect.prefilter import with_start_filter
from pipeline.patterns import compiled
from pipeline.yamldoc import YamlDoc

HAN = re.compile(r"^[\u4e00-\u9fff]+$")
# [一-龥] or [\u4e00-\u9fff] has no meaning spelt by sound (Chinese characters become private-use ones)
HAN_RANGE = re.compile(r"[\u4e00-\u9fff]-[\u4e00-\u9fff]|\\u[4-9][0-9a-fA-F]{3}-")
CLAUSE_BREAKS = "，。？！；,.?!;…~"
# Where a sentence ends: 。？！ and their ASCII forms. A full stop between two digits is a decimal
# point (1.5万, 3.5%), not the end of a sentence.
SENTENCE_END = re.compile(r"[。？！?!]|(?<!\d)\.|\.(?!\d)")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text`` holding ``text[start:end]``: from just after the last sentence end
    before ``start`` to the first one at or after ``end`` (or the text's ends)."""
    ends = list(SENTENCE_END.finditer(text))
    left = max((m.end() for m in ends if m.end() <= start), default=0)
    right = next((m.start() for m in ends if m.start() >= end), len(text))
    return left, right


@functools.cache
def _reading(char: str) -> str:
    """The toneless pinyin of one character's usual reading; "" if it is not Han.

    Only the usual reading: pypinyin also lists rare ones (款 xin, 担 jie) that would make
    unrelated words sound alike. Polyphones in lexicon words are covered from the other side:
    each word is indexed under its phrase reading (银行 yin hang) and its per-character one.
    """
    if not HAN.match(char):
        return ""
    from pypinyin import Style, pinyin

    return pinyin(char, style=Style.NORMAL)[0][0]


def _fuzzy(syllable: str) -> str:
    """Merge the sounds Mandarin speakers and recognisers confuse most: zh/z, ch/c, sh/s, n/l, -ng/-n."""
    for retroflex in ("zh", "ch", "sh"):
        if syllable.startswith(retroflex):
            syllable = syllable[0] + syllable[2:]
    if syllable.startswith("n") and len(syllable) > 1 and syllable[1] != "g":
        syllable = "l" + syllable[1:]
    if syllable.endswith("ng") and len(syllable) > 2:
        syllable = syllable[:-1]
    return syllable


def _fuzzy_reading(char: str) -> str:
    return _fuzzy(_reading(char))


def sounds_alike_over_the_phone(heard: str, word: str) -> bool:
    """Whether ``heard`` may be ``word`` as phone audio blurs a short answer: ``_fuzzy``, and
    besides the hissing initials z, c and s (zh, ch, sh) as one and wo as o, so that 指握 may be
    是我 and 四的 是的. Looser than any spelling by sound: only for a few words where expected."""

    def loose(char: str) -> str:
        syllable = _fuzzy_reading(char)
        if syllable[:1] in ("z", "c"):
            syllable = "s" + syllable[1:]
        return "o" if syllable == "wo" else syllable

    return len(heard) == len(word) and all(HAN.match(ch) and loose(ch) == loose(w) for ch, w in zip(heard, word))


class _SoundSpelling(dict):
    """str.translate table: one private-use character per syllable, filled on demand.

    ``reading`` gives a character's syllable (``_reading``, or ``_fuzzy_reading`` for the
    spelling in which zh/z, n/l, -ng/-n... sound the same).
    """

    def __init__(self, reading: Callable[[str], str], first_codepoint: int):
        super().__init__()
        self.reading = reading
        self.first_codepoint = first_codepoint
        self.by_syllable: dict[str, int] = {}

    def syllable(self, syllable: str) -> str:
        return chr(self.by_syllable.setdefault(syllable, self.first_codepoint + len(self.by_syllable)))

    def __missing__(self, codepoint: int) -> int:
        syllable = self.reading(chr(codepoint))
        value = ord(self.syllable(syllable)) if syllable else codepoint
        self[codepoint] = value
        return value


_SOUND_SPELLING = _SoundSpelling(_reading, 0xE000)
_FUZZY_SPELLING = _SoundSpelling(_fuzzy_reading, 0xF000)


def sound_text(text: str) -> str:
    """``text`` spelt by sound, character for character (same length, punctuation kept):
    你 and 拟 both become the private-use character for ni.

    Regular expressions spelt the same way match whatever homophones the recogniser wrote,
    context words included (拟再不还 for 你再不还).
    """
    return text.translate(_SOUND_SPELLING)


class _KeepingNumerals(dict):
    """str.translate table: ``_SOUND_SPELLING`` but for the numerals, kept as written."""

    def __missing__(self, codepoint: int) -> int:
        return _SOUND_SPELLING[codepoint]


_CUE_SPELLING = _KeepingNumerals({ord(ch): ord(ch) for ch in "零〇一二两三四五六七八九十百千万亿"})


def cue_sound_text(text: str) -> str:
    """``text`` spelt by sound as a cancelling cue is compared: its numerals kept as written. A
    sum or a date (一万五打到, 周五前, 这七百) is no misheard cue (唔 for 五, 这期 for 这七)."""
    return text.translate(_CUE_SPELLING)


# pypinyin (as misaki's G2P) reads 还 as hái (still) wherever it means huán (pay back): 还款, 还上 and
# 不还 come out as hai kuan, hai shang and bu hai, the debt's own verb misread in the words of a
# collection call, so a recogniser's 环款 for 还款 sounded like no word. 还 means paying back before
# money or a result (还钱, 还清, 还不上), after what asks or does it (不还, 先还, 帮他还) unless
# still-words follow (不还是, 就还有), and at a clause's end (把钱还了).
PAID_BACK = re.compile(
    r"还(?=[钱款债贷清上完给回掉]|得起|不起|不上|进去)"
    r"|(?<=[不没先帮去来得能会就再要快早都])还(?![是有在要没好行挺])"
    r"|还(?=[了吧呀啊嘛。！？!?，,]|$)"
)


# The syllables a recogniser hears 还 as: huán as said where it means paying back (written 缓, 换, 环),
# hái as pypinyin reads it (海, 害).
PAID_BACK_SOUNDS = frozenset({"huan", "hai"})


def means_paying_back(text: str, at: int) -> bool:
    """Whether 还 standing at ``at`` in ``text``, in place of the character written there, would mean
    paying back (``PAID_BACK``)."""
    return PAID_BACK.match(text[:at] + "还" + text[at + 1 :], at) is not None


def as_said(text: str) -> str:
    """``text`` spelt as it is said where pinyin misreads it: 还 that means paying back spelt 环,
    which pypinyin and misaki read huán."""
    return PAID_BACK.sub("环", text)


def phrase_readings(word: str) -> set[tuple[str, ...]]:
    """The toneless pinyin of ``word`` read as a phrase (银行 yin hang, not 行's usual xing), and
    read as said where the two differ (还款 huan kuan, which pypinyin reads hai kuan)."""
    from pypinyin import lazy_pinyin

    return {tuple(lazy_pinyin(word)), tuple(lazy_pinyin(as_said(word)))}


def sound_spellings(word: str) -> set[str]:
    """``word`` spelt by sound character by character and by its phrase readings: 银行 as yin
    xing (行's usual reading, what ``sound_text`` gives) and as yin hang, so that 银航 matches."""
    spellings = {sound_text(word)}
    if HAN.match(word):
        spellings |= {"".join(_SOUND_SPELLING.syllable(s) for s in reading) for reading in phrase_readings(word)}
    return spellings


def checked_regex(doc: YamlDoc, pattern: str, keys: tuple) -> re.Pattern | None:
    """``doc.regex`` (it compiles, no nested repeats), and it must also compile spelt by sound."""
    regex = doc.regex(pattern, keys)
    if regex is None:
        return None
    try:
        if HAN_RANGE.search(pattern):
            raise re.error("a range of Chinese characters")
        compiled(sound_text(pattern))
    except re.error as exc:
        doc.problem(keys, f"{pattern!r} cannot be matched by sound ({exc.msg}): list the characters instead")
        return None
    return regex


@functools.lru_cache(maxsize=4096)
def spelt_both_ways(pattern: str) -> str:
    """``pattern`` with each Chinese character matching itself as written or spelt by sound, for a
    text spelt by sound at some places only (``lexicon.heard_text``). Each becomes a character
    class (法 as [法X]), so that quantifiers and look-behinds keep their width."""
    out, in_class, escaped = [], False, False
    for ch in pattern:
        spelt = sound_text(ch) if HAN.match(ch) else ch
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif spelt != ch:
            out.append(ch + spelt if in_class else f"[{ch}{spelt}]")
        else:
            out.append(ch)
            if ch == "[":
                in_class = True
            elif ch == "]":
                in_class = False
    return "".join(out)


class SoundRegex:
    """A regular expression matched on the text spelt by sound (``sound_text``).

    Spelt by sound, the pattern matches the words as written and every homophone of them, so
    one search covers both; the span is the same in the text.
    """

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.sound_regex = compiled(with_start_filter(sound_text(pattern)))

    def span(self, sound: str) -> tuple[int, int] | None:
        match = self.sound_regex.search(sound)
        return match.span() if match else None
