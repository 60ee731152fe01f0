import re
from pathlib import Path

import pytest

from pipeline.calls import read_calls
from pipeline.config import load_config
from pipeline.detect.prefilter import with_start_filter
from pipeline.detect.recognizers.lexicon import LexiconRecognizer, han_free_gaps
from pipeline.detect.registry import default_registry
from pipeline.detect.sound import sound_text

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev"

TEXTS = [
    "我们会派人去你家",
    "好门口",
    "你家门口见",
    "到你家去找你",
    "寄到你家去",
    "你这种老赖",
    "",
    "上门催收，法院",
    "APP里还款",
    "喂？是我。",
]


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:你|您)?(?:的)?家门口|(?:派人|安排人)[^，。？！]{0,8}(?:去你家|上门)",
        r"(?:(?<![寄送邮发])到(?:你|您)(?:老)?家(?:去|里去|来|找))|(?:上门)+催收",
        r"(?:[0-9]+|[一二三])天|老赖|APP",
        r"^(?:嗯|喂)|(?:你|您)好",
        r"()你好|(?:你|)门口",  # empty groups and alternatives
    ],
)
def test_the_filter_keeps_every_match_and_span(pattern):
    filtered = with_start_filter(pattern)
    assert filtered.startswith("(?=[")  # these patterns get the filter
    for text in TEXTS:
        assert [m.span() for m in re.finditer(filtered, text)] == [m.span() for m in re.finditer(pattern, text)]


def test_the_lookahead_lists_the_first_characters_of_every_alternative():
    assert (
        with_start_filter(r"(?:你|您)?(?:的)?门口|(?<!不)上门")
        == r"(?=[上你您的门])(?:(?:你|您)?(?:的)?门口|(?<!不)上门)"
    )


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:的)?",  # may match the empty string
        r"",
        r"[^，]{1,3}吗|你好",  # a negated class can begin anywhere
        r"(?:.{1,4})先生|你好",  # so can any character
        r"(?i)(?:a|b)pp|你好",  # case ignored
        r"^(?:嗯|哦|喂)(?:你好)?",  # an anchored pattern is tried at one position anyway
        r"你们(?:是|在)",  # the compiler skips ahead to a fixed first character itself
        r"本次通话|录音|客服",  # and to alternatives that each begin with one
    ],
)
def test_patterns_the_filter_cannot_help_stay_as_they_are(pattern):
    assert with_start_filter(pattern) == pattern


def test_every_lexicon_matches_the_dev_set_the_same_with_the_filter():
    """Each category's rules in one pattern (LexiconRecognizer.any_rule), spelt by sound, on every dev segment
    (its negated classes free of Chinese characters, as any_rule's are: see han_free_gaps)."""
    sounds = [
        sound_text(s.text)
        for path in sorted(DEV.glob("*.jsonl"))
        for r in read_calls(str(path))
        for s in r.call.segments
    ]
    lexicons = [d for d in default_registry(load_config()).detectors if isinstance(d, LexiconRecognizer)]
    assert len(lexicons) >= 5 and len(sounds) > 3000
    for detector in lexicons:
        plain = re.compile(
            sound_text("|".join(f"(?:{han_free_gaps(rule.regex.pattern)})" for rule in detector.lexicon.rules))
        )
        assert [[m.span() for m in detector.any_rule.sound_regex.finditer(s)] for s in sounds] == [
            [m.span() for m in plain.finditer(s)] for s in sounds
        ]
