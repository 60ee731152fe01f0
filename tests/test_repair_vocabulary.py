"""The guard on homophone repair's words (issue 11): none rewrites correctly written text.

Every word that detection's homophone repair puts back (the rules' terms, the domain words, the
longer words of ``sets``, the institutions) also rewrites whatever sounds like it: an added cue
once rewrote 你爸 → 你把 in the tune writers' calls, for every category. Those calls as written
(no recognition noise added) hold nothing misheard, so every repair made on them is a wrong one.
A word may make at most ``BUDGET`` of them (the money verbs read where only they stand count as
the words 还, 欠, 欠钱 and 还钱); one that makes more is named with what it rewrote.
Leave such a word out of the lexicon's terms or domain words, or list the everyday word it is
heard in (同时 for 同事) under ``kept_as_written`` in ``lexicons/dialogue.yaml``.
"""

import functools
from collections import Counter

import pytest

from pipeline.calls import Call
from pipeline.config import load_config
from pipeline.detect.homophones import HomophoneRepairer
from pipeline.detect.prepare import CallPreparer
from pipeline.detect.registry import default_registry
from pipeline.learn.evaluate import read_labelled

TUNE = "fixtures/labelled/writers/tune"
# Correctly written lines (of the 16,874 in the tune writers' calls as written) that one word may
# rewrite: before the guard, words heard in everyday speech rewrote dozens (金融 a brand 津融 35
# times, the cue 接一下 19 lines; 我私人 rewrote 我是人工坐席 11 times).
BUDGET = 3


@functools.cache
def written_calls() -> list[Call]:
    """The tune writers' calls as they wrote them: neither noised nor mono."""
    return [item.call for item in read_labelled(TUNE, []) if not item.call.extra.get("variants")]


def rewrites(preparer: CallPreparer, calls: list[Call]) -> dict[str, Counter]:
    """Per word put back, what it replaced (heard → times) in the calls' lines."""
    found: dict[str, Counter] = {}
    for call in calls:
        for _, repairs in preparer.repaired(call):
            for r in repairs:
                found.setdefault(r.word, Counter())[r.heard] += 1
    return found


def over_budget(found: dict[str, Counter]) -> dict[str, Counter]:
    return {word: heard for word, heard in found.items() if sum(heard.values()) > BUDGET}


def test_no_word_of_homophone_repair_rewrites_correctly_written_lines():
    calls = written_calls()
    assert sum(len(c.segments) for c in calls) > 11_000  # the guard reads the whole set
    over = over_budget(rewrites(default_registry(load_config()).preparer, calls))
    assert not over, "words that rewrite correctly written tune lines (word: heard × times): " + "; ".join(
        f"{word}: " + ", ".join(f"{heard} ×{n}" for heard, n in heard.most_common(3)) for word, heard in over.items()
    )


@pytest.mark.slow  # the guard's own check: another pass over every line (seconds)
def test_the_guard_names_a_word_heard_in_everyday_speech():
    # An analyst adds 你把 as a rule's term: 你爸 (your dad), said in many calls, would become 你把.
    shipped = default_registry(load_config()).preparer
    preparer = CallPreparer(HomophoneRepairer(["你把"]), shipped.rules, shipped.finder, shipped.max_chars)
    over = over_budget(rewrites(preparer, written_calls()))
    assert list(over) == ["你把"] and over["你把"]["你爸"] > BUDGET
