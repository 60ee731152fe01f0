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
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def normalize_spacing(text: str) -> str:
    """One spacing for Chinese text, whoever wrote it; the form every stage stores and reads.

    Whisper on phone audio writes spaces between Chinese words or even characters (我 现在 没
    有 钱); vendor transcripts mark phrase breaks with a space (喂 您好 请问是李强先生吗). Runs
    of short pieces (two Han characters or fewer on average) are word spacing and are closed
    up; longer pieces are phrases, and the space between them becomes a full-width comma, as
    the detectors read a space anyway. Latin words and numbers keep one space between them
    (Hello world, 1 000), and lose it next to Chinese (还 2000 元 → 还2000元, QQ 号 → QQ号).
    """
    text = _SPACE_RUN.sub(" ", text).strip()
    if " " not in text:
        return text
    pieces = [p for p in text.split(" ") if _HAN_RUN.fullmatch(p)]
    phrases = bool(pieces) and sum(map(len, pieces)) / len(pieces) > 2
    between_han = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff]) (?=[\u3400-\u4dbf\u4e00-\u9fff])")
    if phrases:
        text = between_han.sub("，", text)
    return re.sub(rf"(?<={_CLOSE}) | (?={_CLOSE})", "", text)
