"""missing_disclosure, twelfth round: precision on writers nobody read. Every sentence is written
for these tests."""

import pytest
from detect_helpers import findings_for, lexicon_only

BODY = [("c", "嗯，地里的活还没忙完。"), ("a", "明白，那您看月底能先还上一部分吗？"), ("c", "行，月底吧。")]


def flagged(turns, **fields) -> bool:
    found = findings_for(turns + BODY, config=lexicon_only(), **fields)
    return any(f.category == "missing_disclosure" for f in found)


def asked(introduction: str) -> list[tuple[str, str]]:
    """The agent asks for the debtor, who says yes; then the introduction and the debt."""
    return [("a", "喂，请问是蒲志成吗？"), ("c", "对，是我。"), ("a", introduction)]


@pytest.mark.parametrize(
    "introduction",
    [
        "我是橡果农服，您那期棚膜款还差八百没还。",  # a name of four characters, alone in its clause
        "我就是橡果农服，您那期棚膜款还差八百没还。",
        "我们是青稞易购科技，您那期棚膜款还差八百没还。",
    ],
)
def test_a_name_longer_than_a_persons_after_wo_shi_names_the_caller(introduction):
    assert not flagged(asked(introduction))


@pytest.mark.parametrize(
    "introduction",
    [
        "我是王建国，您那期棚膜款还差八百没还。",  # three characters: a person's name
        "我是客服小周，您那期棚膜款还差八百没还。",  # a kind and a person
        "我是催收专员，您那期棚膜款还差八百没还。",  # kinds only
    ],
)
def test_a_person_or_a_kind_after_wo_shi_names_nobody(introduction):
    assert flagged(asked(introduction))


def test_a_bureau_heard_by_one_syllable_is_no_pose():
    # 菊 sounds like 局: one syllable heard is no bureau; the brand after 我是 still names the caller
    turns = asked("我是菊香花的客服，您那期棚膜款还差八百没还。")
    assert not flagged(turns)


def test_a_bureau_written_out_is_still_a_pose():
    turns = asked("我是县农业局的，你在菊香花的欠款我们要处理了。")
    assert flagged(turns)


@pytest.mark.parametrize(
    "introduction",
    [
        "我是青稞易购小韩，您那期棚膜款还差八百没还。",  # the person right after the name
        "蒲哥好我是青稞易购小韩咱这通话是录着音的您那期棚膜款还差八百",  # unpunctuated, notice run in
        "我是青稞易购的这个电话我们有录音您那期棚膜款还差八百",  # the notice run in after 的
    ],
)
def test_a_name_run_into_a_person_or_the_recording_notice_names_the_caller(introduction):
    assert not flagged(asked(introduction))


def test_a_full_personal_name_before_xiao_is_no_organisation():
    assert flagged(asked("我是王小明，您那期棚膜款还差八百没还。"))


def test_a_name_then_the_recording_notice_then_the_question_names_the_caller():
    turns = [("a", "喂，您好，青稞易购，电话录音，是蒲志成吗？"), ("c", "是我。"), ("a", "您那期棚膜款还差八百没还。")]
    assert not flagged(turns)


@pytest.mark.parametrize(
    "greeting",
    [
        "喂，你好，我小韩，是蒲志成吗",  # a person's 小 and surname before the question
        "喂，蒲志成是你哥吧？",  # the one asked for, then 是 + a relation
    ],
)
def test_a_person_before_the_question_names_nobody(greeting):
    turns = [("a", greeting), ("c", "是我。"), ("a", "您那期棚膜款还差八百没还。")]
    assert flagged(turns)


@pytest.mark.parametrize(
    "introduction",
    [
        "我是青稞易购打给您，您那期棚膜款还差八百没还。",  # the name, then the call it makes
        "这边是青稞易购给您来电，您那期棚膜款还差八百没还。",
    ],
)
def test_a_name_then_the_call_it_makes_names_the_caller(introduction):
    assert not flagged(asked(introduction))


def test_a_person_then_the_call_names_nobody():
    assert flagged(asked("我是小韩打给您，您那期棚膜款还差八百没还。"))
