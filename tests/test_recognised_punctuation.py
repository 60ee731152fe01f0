"""Rules read a recogniser's punctuation as the pauses it is: a comma Whisper wrote inside a
phrase does not break the phrase; a writer's comma still does."""

from detect_helpers import OPENING, lexicon_only

from pipeline.calls import Call, Segment
from pipeline.detect import detect_call


def call_of(turns, confidence=None):
    return Call(
        call_id="p1",
        segments=[
            Segment(
                start=3.0 * i,
                end=3.0 * i + 2.5,
                speaker="agent" if who == "a" else "customer",
                text=text,
                confidence=confidence,
            )
            for i, (who, text) in enumerate(turns)
        ],
    )


def lexicon_findings(turns, category, confidence=None):
    return [
        f
        for f in detect_call(call_of(turns, confidence), lexicon_only())
        if f.category == category and f.detector.startswith("lexicon")
    ]


CLAIM = "你这笔欠款，银行已经告到，我们局里了。"  # 告到我们局里 with a pause inside


def test_a_recognisers_comma_inside_a_phrase_is_a_pause():
    found = lexicon_findings(OPENING + [("a", CLAIM)], "exaggeration", confidence=0.8)
    assert [f.segment_index for f in found] == [len(OPENING)]
    f = found[0]
    assert CLAIM[f.span_start : f.span_end].startswith("告到，我们局里")


def test_a_writers_comma_still_breaks_the_phrase():
    assert lexicon_findings(OPENING + [("a", CLAIM)], "exaggeration") == []


def test_a_pause_closed_does_not_undo_a_cancel():
    # the negation stands in the same clause once the pause is closed
    said = "银行不会告到，我们局里的。"
    assert lexicon_findings(OPENING + [("a", said)], "exaggeration", confidence=0.8) == []


def test_a_closed_pause_does_not_borrow_the_start_of_the_next_word():
    # 拖，车库 closed would read 拖车 by cutting 车库
    said = "周末我们派人去拖，车库那边你打个招呼。"
    found = lexicon_findings(OPENING + [("a", said)], "exaggeration", confidence=0.8)
    assert not [f for f in found if f.span_start is not None and f.span_start < said.index("，") < f.span_end]


def test_a_pause_where_the_rule_has_a_gap_stays_a_break():
    # the rule's gap between 钱 and 给他 stops at a comma: the comma is read as the break it is
    said = "没看到钱，我们就给他打电话。"
    assert lexicon_findings(OPENING + [("a", said)], "private_channel", confidence=0.8) == []


def test_the_traditional_particle_zhe_reads_as_simplified():
    from pipeline.detect.prepare import clean_text

    assert clean_text("钱不还就等著吧") == "钱不还就等着吧"
    assert clean_text("他是著名律师，著作也多，效果显著") == "他是著名律师，著作也多，效果显著"
    assert clean_text("我们 等著你") == "我们，等着你"
