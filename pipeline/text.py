"""Chinese text helpers shared by every stage: simplified script and word segmentation.

Whisper often writes traditional characters for Mandarin, so transcripts are converted to
simplified with OpenCC. Words are cut with jieba, whose dictionary is extended with the
``domain_words`` of every lexicon file so that terms such as 催收 or 征信 stay whole, both
when the search index is built and when a query is cut.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

import yaml

from pipeline.resources import data_path
from pipeline.yamldoc import SafeLoader

LEXICON_DIR = data_path("lexicons")


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


_ASCII_PUNCTUATION = str.maketrans({",": "，", "?": "？", "!": "！", ":": "：", ";": "；"})
_CJK = r"[\u4e00-\u9fff]"


def to_chinese_punctuation(text: str) -> str:
    """Whisper often writes ASCII commas and question marks in Chinese text; the lexicons'
    clause boundaries are full-width. Only marks next to a Chinese character change, so
    numbers such as 1,000 and English stay as they are."""
    return re.sub(
        rf"(?<={_CJK})[,?!:;]|[,?!:;](?={_CJK})",
        lambda m: m.group(0).translate(_ASCII_PUNCTUATION),
        text,
    )


def domain_words(lexicon_dir: Path = LEXICON_DIR, pattern: str = "*.yaml") -> list[str]:
    """The ``domain_words`` of the lexicon files matching ``pattern``, in file order."""
    words: list[str] = []
    for path in sorted(lexicon_dir.glob(pattern)):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader) or {}
        if isinstance(data, dict):
            words.extend(str(w) for w in data.get("domain_words", []) or [])
    return words


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for word in domain_words():
        jieba.add_word(word)
    return jieba


def is_word(text: str) -> bool:
    """Whether ``text`` is a word of jieba's dictionary (domain words included)."""
    return _jieba().dt.FREQ.get(text, 0) > 0


# jieba's count above which a word is one of the commonest, a function word (是, 了, 在, 的, 吧, 个)
COMMON_WORD_FREQUENCY = 20_000


def is_common_word(text: str) -> bool:
    """Whether ``text`` is one of the commonest words of jieba's dictionary (``COMMON_WORD_FREQUENCY``)."""
    return _jieba().dt.FREQ.get(text, 0) >= COMMON_WORD_FREQUENCY


def words(text: str) -> list[str]:
    """The words of ``text`` (jieba's accurate mode), punctuation and spaces dropped."""
    return [w for w in _jieba().cut(text) if w.strip() and any(ch.isalnum() for ch in w)]


def index_tokens(text: str) -> str:
    """Space-joined tokens for the FTS5 index: whole words plus their sub-words."""
    return " ".join(w for w in _jieba().cut_for_search(text) if w.strip() and any(ch.isalnum() for ch in w))


# Characters written without spaces between them: Han, kana, and full-width punctuation.
_CLOSE_SET = r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CLOSE = f"[{_CLOSE_SET}]"
_SPACE_RUN = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Share of a line's Chinese pieces that are more than one word above which its spaces are phrase
# breaks: word-spaced recognition output is one word per piece (0 on most lines, at most a third
# where a piece is a word jieba splits, 杨女 是), phrase-spaced transcripts are mostly clauses.
# Phrases must also average more than two characters: recognition's pieces are its own tokens,
# not jieba's, and a short one jieba cuts in two (还上, 什么时候) is still one spoken word.
_PHRASE_SHARE = 0.3
# Pieces that bind to their neighbour and never stand as a phrase of their own: a negation binds
# to what follows (不 建议), a particle to what precedes (太少 了).
_BINDS_RIGHT = frozenset("不没别")
_BINDS_LEFT = frozenset("的了吗呢吧着过")
# Sentence-final particles: in word spacing the space after one is where the speaker's question
# or suggestion ended (还 不 还 吧 我 跟 你 说).
_ENDS_CLAUSE = frozenset("吗呢吧嘛")


def _clause_break(left: str, right: str, phrases: bool) -> bool:
    """Whether the space between two pieces is a clause break: it lies between Chinese
    characters, and in phrase spacing neither piece binds to the other, in word spacing the
    left piece is a sentence-final particle."""
    if not (_HAN.fullmatch(left[-1]) and _HAN.fullmatch(right[0])):
        return False
    if phrases:
        return left not in _BINDS_RIGHT and right not in _BINDS_LEFT
    return left in _ENDS_CLAUSE


# Where a line recognised with no punctuation at all gets its clause breaks back: after an
# interjection or sentence-final particle, a greeting, an opening answer, and before a word that
# opens a clause. Each is a boundary the tune writers punctuate (counted over their 34 writers'
# correctly written lines, 2026-12-03: after 吗 99.8% of 447, 吧 98%, 啊 97%, 嘛 95% but not after
# 干, 嗯 93%, 哦 93%, a line's opening 喂 99%, 您好/你好 98% but not in 你好好说 or 有你好看, an
# opening 好的/是的 94%; before 请问 99.7% of 1,742, 但是 98%, 本次 98%, 谢谢 99%, 再见 95%,
# 我是 96% but not as what is said or minded: 你管我是谁, 我说了我是; between 的 and 你 95% of
# 573, 您 96%, 他 98%, 受 98%: 我们是X的，你…); after the callee's opening answer, alone or after
# 喂/嗯 (38 writers, 2026-12-04): 是我/是俺 94% of 700 (not 是我们, 是我本人), 对 99% of 447 (not
# 对不起, 对面), 是 before what they ask back 98-100% (是，你们哪里的？ 是，哪位？ 是，干啥？);
# most writers break at each.
# Rules bound their windows and cancelling cues by clauses, and read a name, a question or a
# negation to the clause's end: run together, 喂李强吗小鹿分期的 hides the name 小鹿分期.
_RESTORED_BREAK = re.compile(
    r"(?:^喂+|[吗吧啊嗯哦]|(?<!干)嘛|(?:您好|你好)(?![好看不])|^(?:好的|是的)"
    r"|(?:^|(?<=^[喂嗯哦啊]))(?:是[我俺](?![们是本])|对(?![啊了对的呀吧公不面象方老上利])|是(?=你|哪|谁|什么|啥|咋|干)))"
    r"(?=[\u4e00-\u9fff])"
    r"|(?<=[\u4e00-\u9fff])(?=请问|但是|本次|谢谢|再见|(?<![是管说])我是)|的(?=[你您他受])"
)
_ANY_MARK = re.compile(r"[，。？！；：、,.?!;:…~～]")


def restore_clause_breaks(text: str) -> str:
    """A line with no punctuation at all (speech recognition that writes none, or word spacing
    closed up) with a comma at each boundary where written Chinese nearly always has one
    (``_RESTORED_BREAK``); a line with any mark of its own is left as written."""
    if _ANY_MARK.search(text):
        return text
    return _breaks_restored(text)


def _breaks_restored(text: str) -> str:
    return re.sub("，，", "，", _RESTORED_BREAK.sub(lambda m: m.group(0) + "，", text))


def normalize_spacing(text: str) -> str:
    """One spacing for Chinese text, whoever wrote it; the form every stage stores and reads.

    Whisper on phone audio writes spaces between Chinese words or even characters (我 现在 没
    有 钱); vendor transcripts mark phrase breaks with a space (喂 您好 请问是李强先生吗). A line
    whose Chinese pieces are single words (jieba's view of each piece) is word spacing and is
    closed up, however long its words (拆东墙补西墙), but for a comma after a sentence-final
    particle (还 不 还 吧 我 跟 你 说 → 还不还吧，我跟你说); a line where more than ``_PHRASE_SHARE``
    of them are several words, and that average more than two characters, is phrase spacing:
    each space between Chinese becomes a full-width comma, as the detectors read a space anyway,
    except beside a piece that binds to its neighbour (不 建议, 太少 了). Latin words and numbers keep one space between them (Hello
    world, 1 000), and lose it next to Chinese (还 2000 元 → 还2000元, QQ 号 → QQ号).
    """
    text = _SPACE_RUN.sub(" ", text).strip()
    if " " not in text:
        return restore_clause_breaks(text)
    unmarked = not _ANY_MARK.search(text)
    pieces = text.split(" ")
    chinese = [p for p in pieces if p.isalnum() and _HAN.search(p)]  # a piece with its own marks is no phrase
    several_words = [not is_word(p) and len(words(p)) > 1 for p in chinese]  # is_word first: cheap
    phrases = (
        bool(chinese)
        and sum(map(len, chinese)) / len(chinese) > 2
        and sum(several_words) / len(chinese) > _PHRASE_SHARE
    )
    text = pieces[0] + "".join(
        ("，" if _clause_break(left, right, phrases) else " ") + right for left, right in zip(pieces, pieces[1:])
    )
    text = re.sub(rf"(?<={_CLOSE}) | (?={_CLOSE})", "", text)
    return _breaks_restored(text) if unmarked and not phrases else text
