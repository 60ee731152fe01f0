"""Round 12: a guarantor is made by a contract the listener signed, not by the agent's saying so.
Sentences written for these tests.

categories.md: the parties who may hear the details are the real debtor, guarantor and
co-borrower. An agent who tells a contact or relative that they are liable because the debtor
put their number down, or because they are family (紧急联系人要负连带责任, 家属有连带责任), makes
no guarantor of them: what follows is a leak. Counted on the tune writers: 7 calls with such a
claim, all 7 labelled third_party_leak; the real guarantors and co-borrowers (about 150 calls)
stay owed the details."""

from detect_helpers import segments

LEAK = "third_party_leak"


def test_a_contact_told_they_are_liable_for_being_listed_hears_a_leak():
    turns = [
        ("a", "喂，是石永刚吗？"),
        ("c", "是我，你哪位？"),
        ("a", "田小虎贷款的时候留了你的号码，你就是他的担保人，他欠我们九千四，你得替他还。"),
        ("c", "我从来没给谁担保过。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_relative_told_the_family_is_jointly_liable_hears_a_leak():
    turns = [
        ("a", "喂，你是田小虎的什么人？"),
        ("c", "我是他表姐。"),
        ("a", "他在我们这里的贷款逾期五个月了，你们亲属都要承担连带责任。"),
        ("c", "跟我有什么关系？"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_guarantor_who_signed_is_still_owed_the_details():
    turns = [
        ("a", "石先生您好，您前年给田小虎的装修贷款签过担保合同，对吧？"),
        ("c", "对，是我签的字。"),
        ("a", "他这笔贷款逾期五个月了，本息还欠九千四。"),
        ("c", "这小子，我去找他。"),
    ]
    assert segments(turns, LEAK) == []


def test_saying_one_is_not_his_guarantor_makes_no_guarantor():
    turns = [
        ("a", "你是田小虎的同事吧？"),
        ("c", "对，我是他同事，我又不是他担保人，你找我干嘛？"),
        ("a", "他欠我们九千四，拖了五个月了，你让他赶紧还。"),
    ]
    assert segments(turns, LEAK) == [2]
