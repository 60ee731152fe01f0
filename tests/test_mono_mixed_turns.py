"""A mono segment that holds both parties' sentences is cut where the guessed speaker changes
(``pipeline.transcribe.split_mixed_turns``), before detection guesses the roles again."""

import pytest

from pipeline.calls import Call, Segment
from pipeline.config import load_config
from pipeline.detect import detect_call
from pipeline.transcribe import sentences_of, split_mixed_turns, time_shared


def heard(*turns: tuple[float, float, str], speaker: str = "unknown") -> list[Segment]:
    return [Segment(start=a, end=b, speaker=speaker, text=text) for a, b, text in turns]


# The callee's short answer and the caller's posing as a prosecutor ran into one segment.
ANSWER_RUN_INTO_AUTHORITY = heard(
    (0.4, 1.2, "喂？"),
    (2.3, 4.6, "喂，请问是周海涛吗？"),
    (5.8, 15.5, "是我，你们谁啊？我是河西区检察院的王检察官，你涉嫌洗钱。"),
    (16.9, 18.2, "啊？我不知道啊。"),
    (19.4, 25.0, "不知道也得配合，不然马上冻结你所有银行卡。"),
)


@pytest.fixture(scope="module")
def config():
    return load_config()


def test_sentences_are_cut_after_their_closing_mark():
    assert sentences_of("对，是我。我们是某某公司的，找你有事？好！") == [
        "对，是我。",
        "我们是某某公司的，找你有事？",
        "好！",
    ]
    assert sentences_of("没有句号的一段话，只有逗号") == ["没有句号的一段话，只有逗号"]


def test_a_segment_is_shared_out_by_characters():
    [segment] = heard((10.0, 20.0, "一二三。四五六七八九十。"))
    first, second = time_shared(segment, sentences_of(segment.text))
    assert (first.start, first.end, second.start, second.end) == (10.0, 13.33, 13.33, 20.0)
    assert first.text + second.text == segment.text
    assert time_shared(segment, [segment.text]) == [segment]


def test_the_callees_answer_and_the_callers_next_sentence_are_cut_apart(config):
    out = split_mixed_turns(ANSWER_RUN_INTO_AUTHORITY, config)
    assert [s.text for s in out][2:4] == ["是我，你们谁啊？", "我是河西区检察院的王检察官，你涉嫌洗钱。"]
    assert all(s.speaker == "unknown" for s in out)
    assert out[2].start == 5.8 and out[2].end == out[3].start and out[3].end == 15.5


def test_once_cut_the_callers_posing_as_an_authority_is_found(config):
    whole = detect_call(Call(call_id="m", segments=ANSWER_RUN_INTO_AUTHORITY), config)
    cut = detect_call(Call(call_id="m", segments=split_mixed_turns(ANSWER_RUN_INTO_AUTHORITY, config)), config)
    assert "impersonation" in {f.category for f in cut} - {f.category for f in whole}


def test_one_voice_saying_several_sentences_stays_one_segment(config):
    segments = heard(
        (0.5, 1.4, "喂？"),
        (2.5, 12.0, "您好，我是某某消费金融的工作人员。您的借款已经逾期二十天了。今天能处理一下吗？"),
        (13.2, 17.0, "我这个月手头紧。下个月发了工资就还。"),
    )
    assert split_mixed_turns(segments, config) == segments


def test_stereo_segments_are_left_as_they_are(config):
    segments = heard((0.5, 6.0, "对，是我。我们是某某公司的，找你有事。"), speaker="customer")
    assert split_mixed_turns(segments, config) is segments


def test_the_setting_off_leaves_mixed_segments_whole(config):
    import copy

    off = copy.deepcopy(config)
    off.setdefault("transcription", {})["split_mixed_turns"] = False
    assert split_mixed_turns(ANSWER_RUN_INTO_AUTHORITY, off) is ANSWER_RUN_INTO_AUTHORITY
    assert len(split_mixed_turns(ANSWER_RUN_INTO_AUTHORITY, config)) > len(ANSWER_RUN_INTO_AUTHORITY)


def test_the_setting_is_on_by_default_and_written_out_in_the_shipped_file(config):
    from pipeline.transcribe import TranscribeSettings

    assert TranscribeSettings().split_mixed_turns is True
    assert config["transcription"]["split_mixed_turns"] is True
