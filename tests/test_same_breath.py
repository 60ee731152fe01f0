"""Round 12: details said in the same breath as the debtor's name asked. Sentences written for
these tests.

Counted on the tune writers: when the agent asks for the debtor by name and goes straight on to
the debt without waiting (喂，某某吧？你那笔…), and the one asked for then takes the call, 38
calls are left unlabelled to 14 labelled (13 writers mostly unlabelled, 7 mostly labelled).
Details said before the name is asked (你的借款逾期了…请问是某某吗) stay labelled (11 to 3), as
do details with no name asked at all, and the listener turning out to be someone else."""

from detect_helpers import segments

LEAK, UNVERIFIED = "third_party_leak", "unverified_identity"


def test_name_asked_then_the_debt_at_once_to_the_debtor_is_not_unverified():
    turns = [
        ("a", "喂，柯文涛是吧？我这边是青禾分期的，你那笔两千七已经拖了四十天了。"),
        ("c", "嗯，我晓得，这周就还。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_name_asked_in_one_turn_and_the_debt_in_the_next_before_any_answer():
    turns = [
        ("a", "您好，请问是简丽萍女士吗？"),
        ("a", "我是青禾分期贷后的，您的分期逾期二十天，待还一千五。"),
        ("c", "对，是我，最近手头紧。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_the_debt_before_the_name_is_asked_is_still_unverified():
    turns = [
        ("a", "您好，青禾分期，您的分期逾期二十天了，待还一千五，请问是简丽萍女士吗？"),
        ("c", "是我。"),
    ]
    assert segments(turns, UNVERIFIED) == [0]


def test_the_debt_with_no_name_asked_is_still_unverified():
    turns = [("a", "喂，青禾分期的，你那笔两千七拖了四十天了，今天怎么说？"), ("c", "你找哪个？")]
    assert segments(turns, UNVERIFIED) == [0]


def test_a_listener_who_turns_out_to_be_someone_else_heard_it_unverified_and_leaked():
    turns = [
        ("a", "喂，柯文涛是吧？你那笔两千七已经拖了四十天了。"),
        ("c", "我不是柯文涛，你打错了。"),
    ]
    assert segments(turns, UNVERIFIED) == [0]
    assert segments(turns, LEAK) == [0]


def test_asked_again_after_a_reply_that_said_nothing_to_the_name_is_not_the_same_breath():
    turns = [
        ("a", "喂，是柯文涛吗？"),
        ("c", "喂？你说。"),
        ("a", "柯文涛，你青禾分期那笔两千七拖了四十天了。"),
        ("c", "哦。"),
    ]
    assert segments(turns, UNVERIFIED) == [2]


def test_the_callers_organisation_said_alone_is_no_name_asked():
    turns = [("a", "喂，你好，青禾金融，你那笔两千七拖了四十天了，今天怎么说？"), ("c", "嗯。")]
    assert segments(turns, UNVERIFIED) == [0]
