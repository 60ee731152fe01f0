from detect_helpers import OPENING, make_call

from pipeline.calls import CallRecord
from pipeline.config import load_config
from pipeline.detect import detect_call
from pipeline.present.masking import default_masker
from pipeline.review.queries import CallView, FindingView, call_view
from pipeline.review.transcript import evidence_span, excerpt, guessed_roles, transcript_lines
from pipeline.store import save_call


def finding(id, index, evidence, start=0.0, end=1.0, **span):
    return FindingView("c", "threat", "high", 0.9, start, end, "agent", index, evidence, [], "t", "", **span, id=id)


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


def test_a_stored_span_marks_only_the_matched_phrase():
    text = "张先生，你再不还钱我们就上门"
    spanned = finding(8, 0, text, span_start=9, span_end=14)
    lines = transcript_lines(call([spanned]), default_masker())
    assert [(p.text, p.finding_ids) for p in lines[0].pieces] == [("*先生，你再不还钱", []), ("我们就上门", [8])]


def test_a_span_that_does_not_fit_the_evidence_falls_back_to_the_line():
    text = "张先生，你再不还钱我们就上门"
    broken = finding(9, 0, text, span_start=5, span_end=99)
    assert broken.span is None
    assert [p.finding_ids for p in transcript_lines(call([broken]), None)[0].pieces] == [[9]]


def test_the_excerpt_is_cut_from_the_masked_text():
    # the number starts inside the context: cutting first would leave "138..." unmasked
    shown = excerpt("喂，我再说一遍电话13812345678你记一下", (5, 9), default_masker().mask, context=4)
    assert (shown.before, shown.phrase, shown.after) == ("…，我再说", "一遍电话", "****…")
    whole = excerpt("你再不还钱", None, str)
    assert (whole.before, whole.phrase, whole.after) == ("", "你再不还钱", "")
    assert excerpt("", (0, 1), str) is None


def test_a_lexicon_finding_stores_its_matched_phrase_and_the_page_marks_it(db):
    """Detection to page: the lexicon's hit offsets reach the store and the marked piece."""
    long_line = "我跟你说清楚，这笔钱拖了半年了，你这种老赖，我们明天就上门，到时候别怪我们没提醒你"
    call = make_call([*OPENING, ("a", long_line)], call_id="span-1")
    save_call(
        db, CallRecord(call=call, source_path="span-1.json", sha256="s" * 64, findings=detect_call(call, load_config()))
    )
    view = call_view(db, "span-1")
    lexicon = [f for f in view.findings if f.detector.startswith("lexicon:")]
    assert lexicon, [f.detector for f in view.findings]
    for finding in lexicon:
        start, end = finding.span
        phrase = finding.evidence[start:end]
        assert finding.evidence == long_line and 0 < len(phrase) < len(long_line)
        assert phrase in finding.explanation  # the explanation's matched words (命中词)
        marked = [p.text for p in transcript_lines(view, None)[3].pieces if finding.id in p.finding_ids]
        assert "".join(marked) == phrase


def test_a_mono_call_shows_the_roles_detection_guessed_marked_as_guessed(db):
    turns = [
        ("u", "喂，您好，请问是张伟先生吗？"),
        ("u", "是我，什么事"),
        ("u", "我是某某金融的工作人员，您的借款已经逾期了"),
    ]
    call = make_call(turns, call_id="mono-1")
    save_call(db, CallRecord(call=call, source_path="mono-1.json", sha256="m" * 64, findings=[]))
    view = call_view(db, "mono-1")
    lines = transcript_lines(view, None, guessed_roles(view))
    assert [line.speaker for line in lines] == ["unknown"] * 3
    assert [line.role for line in lines] == ["agent", "customer", "agent"]
    assert all(line.guessed for line in lines) and "我是某某金融的" in lines[2].guessed
    stereo = call_view_of(db, "stereo-1", [("a", "喂，您好"), ("c", "你好")])
    assert guessed_roles(stereo) is None
    assert [(line.role, line.guessed) for line in transcript_lines(stereo, None)] == [
        ("agent", None),
        ("customer", None),
    ]


def call_view_of(db, call_id, turns):
    save_call(
        db,
        CallRecord(call=make_call(turns, call_id=call_id), source_path=f"{call_id}.json", sha256="t" * 64, findings=[]),
    )
    return call_view(db, call_id)
