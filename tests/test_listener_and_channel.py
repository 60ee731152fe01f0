"""Issue 11, the mechanisms behind third_party_leak, private_channel and exaggeration's claimed
proceedings, each with sentences written for these tests (none is copied from a corpus): who is
on the line, whether the money goes anywhere but the lender's channel, and whether a proceeding
is claimed to exist or stated as a lawful possibility."""

import pytest
from detect_helpers import findings_for

LEAK = "third_party_leak"


def leaks(turns):
    return [f.segment_index for f in findings_for(turns, LEAK)]


# --- third_party_leak: the listener is one person until the phone changes hands ---------------


def test_details_told_before_the_listener_said_who_they_are_reached_them():
    turns = [
        ("a", "喂，我是某某金融的，你那笔六千块的借款拖了两个月了，今天怎么安排？"),
        ("c", "啊？什么借款？你说啥？"),
        ("a", "就是六千块钱，你是不是郑凯？"),
        ("c", "不是，我是他舅舅，他手机落我这了。"),
        ("a", "那麻烦您让他回个电话。"),
    ]
    assert leaks(turns) == [0, 2]


def test_the_debtor_confirming_first_keeps_the_later_talk_clean():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "是我……你小声点，我媳妇在旁边。"),
        ("a", "好的，我是某某金融的，您那笔六千块的借款逾期两个月了。"),
        ("c", "我知道，她在厨房，你快说。"),
        ("a", "这个月能先还两千吗？"),
    ]
    assert leaks(turns) == []


@pytest.mark.parametrize(
    "question, answer",
    [
        ("喂，请问是郑凯的外婆吗？", "是啊，你哪里？"),
        ("喂，是郑凯家吗？", "对，你找哪个？"),
        ("喂，你好，你认识郑凯吧？他联系人留的是你。", "认识啊，怎么了？"),
    ],
)
def test_the_agent_asking_for_a_relative_or_the_household_knows_the_listener_is_not_the_debtor(question, answer):
    turns = [("a", question), ("c", answer), ("a", "我是某某金融的，他欠我们一万二，逾期三个月了，你让他赶紧还。")]
    assert leaks(turns) == [2]


@pytest.mark.parametrize(
    "answer",
    [
        "我系佢家姐，佢去咗广州返工。",  # Cantonese: I am his elder sister, he went to work in Guangzhou
        "佢唔喺度，我系佢老婆。",
        "我是他老丈人，他在深圳打工。",  # an in-law, away for work
        "这个号我前年才办的，不认识你说的人。",  # a recycled number
    ],
)
def test_third_parties_in_more_words(answer):
    turns = [("a", "喂，是郑凯吗？"), ("c", answer), ("a", "我是某某金融的，他在我们这的贷款逾期四个月了，欠八千。")]
    assert leaks(turns) == [2]


def test_a_question_with_bu_shi_is_no_denial():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "是不是他又借了什么钱？"),
        ("a", "请问您是？"),
        ("c", "哦，我就是郑凯，刚才开玩笑的。"),
        ("a", "好的，我是某某金融的，您的借款逾期两个月了。"),
    ]
    assert leaks(turns) == []


def test_the_debtor_taking_the_phone_and_naming_himself_without_shi():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "他在洗车，我叫他……老郑，电话！"),
        ("c", "喂，我郑凯。"),
        ("a", "郑先生您好，我是某某金融的，您那笔借款逾期两个月了，欠款六千。"),
    ]
    assert leaks(turns) == []


def test_a_detail_denied_in_its_clause_is_not_told():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "我是他爸爸，他出去了。"),
        ("a", "好的叔叔，我是某某金融的，我们不会跟您说他借款的事，麻烦您让他回个电话。"),
    ]
    assert leaks(turns) == []


@pytest.mark.parametrize("who", ["您是他这笔借款的保证人，", "您当时给他做了连带责任担保，"])
def test_a_guarantor_named_by_the_agent_may_hear_the_debt(who):
    turns = [
        ("a", "喂，请问是何萍女士吗？"),
        ("c", "我是，郑凯是我表弟，怎么了？"),
        ("a", f"何女士，我是某某金融的，{who}他的借款逾期三个月了，本金两万。"),
    ]
    assert leaks(turns) == []


def test_talk_about_the_debtors_friends_circle_is_no_third_party():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "是我。"),
        ("a", "我是某某金融的，你再不还，我把你朋友圈截图配上欠款记录发出去。"),
    ]
    assert leaks(turns) == []
