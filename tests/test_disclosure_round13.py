"""missing_disclosure, thirteenth round. Every sentence is written for these tests."""

import pytest
from detect_helpers import findings_for, lexicon_only

BODY = [("c", "嗯，这两天手头紧。"), ("a", "那您看下周五前能先还一部分吗？"), ("c", "行，我尽量。")]


def flagged(turns, **fields) -> bool:
    found = findings_for(turns + BODY, config=lexicon_only(), **fields)
    return any(f.category == "missing_disclosure" for f in found)


def asked(introduction: str) -> list[tuple[str, str]]:
    """The agent asks for the debtor, who says yes; then the introduction and the debt."""
    return [("a", "喂，是龚立新吧？"), ("c", "是我，你哪位？"), ("a", introduction)]


@pytest.mark.parametrize(
    "introduction",
    [
        "我是湖北松涛绿师事务所的周律师，你那笔装修分期拖了两个月了。",  # 律师 heard as 绿师
        "我是松涛律诗事务所的律师助理，你那笔装修分期拖了两个月了。",  # ... as 律诗, a word of its own
        "我这边是绿师事务所的，你那笔装修分期拖了两个月了。",  # and no name at all
    ],
)
def test_a_law_firm_misheard_is_no_lenders_name(introduction):
    assert flagged(asked(introduction))


def test_a_name_that_only_begins_with_an_authoritys_sound_still_names_the_caller():
    # 中原 sounds like 中院 but is a word of its own, and the name goes on past it
    assert not flagged(asked("我是中原鑫达资产管理的，你那笔装修分期拖了两个月了。"))


@pytest.mark.parametrize(
    "introduction",
    [
        "我这边是九江市消协的，有商家说你那台冰箱的分期一直没还。",  # a consumers' association
        "我们是省网信办的，你那笔装修分期拖了两个月了。",  # the internet office
        "我是县物流协会的，你那笔装修分期拖了两个月了。",
    ],
)
def test_an_association_or_the_internet_office_posed_as_is_no_institution(introduction):
    assert flagged(asked(introduction))


def test_a_name_heard_like_an_authority_with_none_of_its_characters_still_names_the_caller():
    # 众源 sounds like 中院 but keeps none of its characters: no mishearing of it
    assert not flagged(asked("我是众源小贷的，你那笔装修分期拖了两个月了。"))


@pytest.mark.parametrize(
    "says",
    [
        "唔係，你打错。",  # no 了 after it, the clause ends
        "你打错咗，我唔识呢个人。",  # Cantonese, read as Mandarin
        "打错哒，我不认得他。",  # Hunanese 哒 for 了
    ],
)
def test_a_stranger_who_says_wrong_number_in_any_words_first_is_owed_neither_name_nor_notice(says):
    turns = [("a", "喂，请问是骆文斌吗？"), ("c", says), ("a", "好的，不好意思，打扰了。"), ("c", "嗯。")]
    found = {f.category for f in findings_for(turns, config=lexicon_only())}
    assert not found & {"missing_disclosure", "recording_notice"}


@pytest.mark.parametrize(
    "introduction",
    [
        "我是放贷的，你那笔装修分期拖了两个月了。",  # lending is a trade, no name
        "你欠我们装修贷款八千，拖了两个月了。",  # a kind of loan, not a lender said as the caller's
    ],
)
def test_a_trade_or_a_kind_of_loan_names_nobody(introduction):
    assert flagged(asked(introduction))


def test_a_name_given_only_after_the_listener_asked_where_from_twice_is_late():
    turns = [
        ("a", "喂，是龚立新吧？我这边是贷后部的。"),
        ("c", "是我，你哪的？"),  # 哪的: 哪里的 as many say it
        ("a", "你那笔装修分期拖了两个月了，三千二。"),
        ("c", "我问你到底哪的？"),
        ("a", "松果分期的。"),
    ]
    assert flagged(turns)
