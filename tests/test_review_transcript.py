from pipeline.present.masking import default_masker
from pipeline.review.queries import CallView, FindingView
from pipeline.review.transcript import evidence_span, transcript_lines


def finding(id, index, evidence, start=0.0, end=1.0):
    return FindingView(id, "threat", "high", 0.9, start, end, "agent", index, evidence, [], "t", "")


def call(findings):
    segments = [
        {"index": 0, "start": 0.0, "end": 2.0, "speaker": "agent", "text": "张先生，你再不还钱我们就上门"},
        {"index": 1, "start": 2.0, "end": 4.0, "speaker": "customer", "text": "我电话13812345678"},
    ]
    return CallView("c", None, 4.0, 2, None, None, None, None, segments, findings, missed=[], checks=[])


def test_evidence_is_marked_in_the_masked_text():
    lines = transcript_lines(call([finding(7, 0, "我们就上门")]), default_masker())
    pieces = [(p.text, p.finding_ids) for p in lines[0].pieces]
    assert pieces == [("*先生，你再不还钱", []), ("我们就上门", [7])]
    assert [(p.text, p.finding_ids) for p in lines[1].pieces] == [("我电话***********", [])]


def test_overlapping_evidence_and_unmasked_view():
    lines = transcript_lines(call([finding(1, 0, "你再不还钱"), finding(2, 0, "不还钱我们")]), None)
    assert [(p.text, p.finding_ids) for p in lines[0].pieces] == [
        ("张先生，", []),
        ("你再", [1]),
        ("不还钱", [1, 2]),
        ("我们", [2]),
        ("就上门", []),
    ]


def test_evidence_not_in_the_text_marks_the_whole_segment():
    lines = transcript_lines(call([finding(3, 0, "完全不同的话")]), None)
    assert [(p.text, p.finding_ids) for p in lines[0].pieces] == [("张先生，你再不还钱我们就上门", [3])]


def test_call_level_finding_covers_segments_in_its_window():
    lines = transcript_lines(call([finding(4, None, "开场未表明机构", start=0.0, end=1.5)]), None)
    assert lines[0].finding_ids == [4] and lines[1].finding_ids == []
    assert all(not p.finding_ids for p in lines[0].pieces)


def test_evidence_span():
    assert evidence_span("abc", " b ") == (1, 2)
    assert evidence_span("abc", None) is None
