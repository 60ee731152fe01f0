"""Who is on the line, read from recognised text (issue 13): what recognition does to the
listener's cues (a comma put at a pause, a word heard as its homophone). Sentences written for
these tests."""

import copy

from detect_helpers import findings_for, lexicon_only, listening, segments

from pipeline.config import load_config
from pipeline.detect.heard_words import HeardWords
from pipeline.detect.sound import sound_text

LEAK, UNVERIFIED = "third_party_leak", "unverified_identity"


def test_a_no_run_on_past_a_comma_into_recalled_speech_is_no_denial():
    turns = [
        ("a", "喂，邱大海吗？"),
        ("c", "哦，啥事？"),
        ("a", "啥事？你那四千块拖了两个月了。"),
        ("c", "我不是，跟你们讲了下个月嘛。"),
        ("a", "下个月又下个月，你说了好几回了。"),
    ]
    assert listening(turns).hearings[4].third_party is None
    assert segments(turns, LEAK) == []


def test_a_plain_no_before_a_comma_still_denies():
    turns = [
        ("a", "喂，请问是邱大海吗？"),
        ("c", "不是，我是他邻居。"),
        ("a", "那你跟他说，他那四千块拖了两个月了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_heard_words_are_put_back_keeping_a_character_and_cutting_no_word():
    words = HeardWords(["(?:你|您)(?:老乡|妹妹)?(?:欠了|没还)"])
    assert words.heard_as_said("你老想欠了我们两万块", sound_text("你老想欠了我们两万块")) == "你老乡欠了我们两万块"
    # 妹还 sounds like 没还, but 妹妹 is cut there
    assert words.heard_as_said("您妹妹还完了", sound_text("您妹妹还完了")) == "您妹妹还完了"


def test_a_relation_asked_a_not_a_needs_no_question_mark():
    turns = [
        ("a", "喂，你是不是邱大海的同学。"),
        ("c", "嗯，咋了。"),
        ("a", "邱大海欠我们三千块，拖了两个月了。"),
    ]
    assert listening(turns).hearings[0].third_party.kind == "agent_addressed"
    assert segments(turns, LEAK) == [2]


def test_a_name_asked_with_its_question_mark_heard_as_a_full_stop_is_still_asked():
    # the listener's reply neither confirms nor denies: it answers to the name, and what the
    # agent tells next is not told unverified
    turns = [
        ("a", "喂，邱大海吧。"),
        ("c", "主哦。"),
        ("a", "我这边是蓝莓借钱的，您那笔三千块拖了两个月了。"),
    ]
    assert listening(turns).hearings[2].answered
    assert segments(turns, UNVERIFIED) == []


def test_who_is_this_heard_as_a_homophone_still_asks_who_calls():
    # 哪个 heard 那个, the question mark lost: the one called did not take the call as theirs,
    # and details said in the same breath as the name stay told unverified
    turns = [
        ("a", "喂，邱大海，你欠的三千块拖了两个月了。"),
        ("c", "你是那个。"),
        ("a", "催款的，你是不是邱大海？"),
    ]
    assert segments(turns, UNVERIFIED) == [0]


def test_the_listener_called_by_the_one_soughts_name_and_a_kin_word_is_a_third_party():
    # the debt word after it misheard (欠 as 见): the address alone, by sound, shows who listens
    turns = [
        ("a", "喂，邱大海老婆吧，他见我们三千块，拖了两个月了。"),
        ("c", "我们早离了。"),
    ]
    assert listening(turns).hearings[0].third_party.kind == "agent_addressed"
    assert segments(turns, LEAK) == [0]


def test_the_debtor_called_by_a_title_is_no_third_party():
    turns = [("a", "喂，邱大海同学吗？"), ("c", "是我。"), ("a", "你那三千块拖了两个月了。")]
    assert listening(turns).hearings[0].third_party is None
    assert segments(turns, LEAK) == []


def test_knowing_the_one_sought_asked_with_a_full_stop_for_its_question_mark():
    turns = [
        ("a", "喂，邱大海是吧？你那四千块拖了两个月了。"),
        ("c", "我是开小卖部的，这是店里电话。"),
        ("a", "他留的联系人是这个号，你认识他不。"),  # 认识他不？ heard with a full stop
        ("c", "认识，他去温州了。"),
        ("a", "那你跟他讲，四千块再拖要上征信了。"),
    ]
    assert listening(turns).hearings[2].third_party.kind == "agent_addressed"
    assert segments(turns, LEAK) == [0, 4]  # the debt told first reached the stranger too


def test_the_household_asked_for_with_ma_written_as_the_particle_of_its_sound():
    turns = [
        ("a", "喂，这是邱大海家嘛，他信用卡透支五万，已经逾期了。"),  # 家吗 heard 家嘛
        ("c", "他不在。"),
    ]
    assert listening(turns).hearings[0].third_party is not None


ROOMMATE = [
    ("a", "喂，请问是刘佳吗？"),
    ("c", "她出去了，我是她室友。"),
    ("a", "那你让她回个电话。"),
    ("c", "好。"),
    ("a", "你们住一起，你帮她点一点也要得嘛。"),  # 帮她垫一点 heard 帮她点一点: no rule reads it
]


def test_a_leak_no_rule_reads_in_the_words_heard_is_read_by_the_model():
    found = findings_for(ROOMMATE, LEAK)
    assert [f.segment_index for f in found] == [4]  # the call-back request is no leak
    assert "她出去了" in found[0].explanation and "分类器据整句判断" in found[0].explanation
    assert [f.segment_index for f in findings_for(ROOMMATE, UNVERIFIED)] == [4]


def test_without_the_model_reading_unread_turns_the_rules_alone_decide():
    off = copy.deepcopy(load_config())
    off["detection"]["classifier"]["read_at"] = None
    assert findings_for(ROOMMATE, LEAK, off) == []
    assert findings_for(ROOMMATE, LEAK, lexicon_only()) == []


def test_a_turn_that_itself_speaks_to_a_third_party_of_a_debt_leaks_where_no_cue_was_heard():
    # 俺是他娘 lost in recognition: nothing the rules read shows who listens
    turns = [
        ("a", "喂，你好，我这边是茶商宝的。"),
        ("c", "啊，安是，他那个。"),
        ("a", "你跟他说，茶商宝的借款三万六已经逾期了，再不还就停掉他的账户。"),
    ]
    [leak] = findings_for(turns, LEAK)
    assert leak.segment_index == 2 and "分类器据整句判断坐席在向非债务人本人透露他人欠款" in leak.explanation
    # told to the one called, the debt is no leak (only unverified: nobody confirmed being him)
    to_the_debtor = turns[:2] + [("a", "你那笔茶商宝的借款三万六已经逾期了，今天能还吗？")]
    assert findings_for(to_the_debtor, LEAK) == []
    assert [f.segment_index for f in findings_for(to_the_debtor, UNVERIFIED)] == [2]
