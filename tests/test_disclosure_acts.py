"""missing_disclosure, second round: more ways of introducing the calling organisation, and a
name given only because the listener insisted. Every sentence is written for these tests."""

import pytest
from detect_helpers import findings_for, lexicon_only

from pipeline.detect.institutions import trade_name
from pipeline.detect.registry import default_registry

BODY = [("c", "嗯，这个月收成还没卖掉。"), ("a", "理解，那您看下旬能先还一部分吗？"), ("c", "行，下旬吧。")]


def categories(turns, **fields):
    return {f.category for f in findings_for(turns, config=lexicon_only(), **fields)}


@pytest.mark.parametrize(
    "opening",
    [
        "喂，覃志远吗？我是柳岸农商行贷后中心的，找您说个事。",  # a rural bank's kind with its place name
        "喂，覃志远吗？我是柳岸农商银航的，找您说个事。",  # 银行 misheard by its other reading (hang)
        "喂，覃志远吗？我这边是柳岸农信社的，找您说个事。",
        "喂，您好，我这边是米团借款的客户服务部，请问是覃志远吗？",  # a brand, 的, a department
        "喂，覃志远吗？我这边是米团借款合作的律所，找您说个事。",  # the lender named by its partner
        "喂，覃志远吗？我好福分期贷后中心的，找您说个事。",  # 好 is part of a brand too
        "喂，覃志远吗，我米团借款的小郑",  # 我 + the name + a person of it, no 是
    ],
)
def test_more_ways_of_introducing_the_organisation(opening):
    turns = [("a", opening), ("c", "是我，什么事？"), ("a", "想跟您确认一下这期的还款安排。")] + BODY
    assert "missing_disclosure" not in categories(turns)


def test_yes_and_the_name_answer_the_listener_guessing_who_calls():
    turns = [("a", "喂，是覃志远不？"), ("c", "是我，又是催账的吧？"), ("a", "对，米团借款的。这期还款到日子了。")]
    assert "missing_disclosure" not in categories(turns + BODY)


def test_the_lender_named_where_the_debtor_borrowed_names_it():
    # 石 sounds like 是: the name is cut where 在 is written, not where a homophone of 是 is heard
    turns = [("a", "喂，覃志远吗？"), ("c", "是我。"), ("a", "您在石岭农商行的那笔贷款，这期该还了。")]
    assert "missing_disclosure" not in categories(turns + BODY)


@pytest.mark.parametrize(
    "opening",
    [
        "喂，覃志远吗？我是替信用社收账的，找您说个事。",  # a bare kind of rural bank
        "喂，覃志远吗？我是县联社的，找您说个事。",
        "喂，覃志远吗？我们受出借方委托，找您说个事。",  # a party, not a name
        "喂，我小郑啊，覃志远吗？找您说个事。",  # a person's name with a particle
    ],
)
def test_a_kind_a_party_or_a_person_is_still_no_name(opening):
    turns = [("a", opening), ("c", "啊？你到底哪里的？"), ("a", "你别管，先说什么时候还。")] + BODY
    assert "missing_disclosure" in categories(turns)


def test_a_name_given_only_when_the_listener_asks_again_after_an_evasion_is_late():
    turns = [
        ("a", "覃哥吧，你那笔五千二拖了两个月了，今天怎么说？"),
        ("c", "你哪位？"),
        ("a", "你先讲今天能还多少。"),
        ("c", "你不讲你是哪里的，我凭什么跟你讲？"),
        ("a", "好好好，我是柳岸资产的。"),
    ]
    assert "missing_disclosure" in categories(turns + BODY)


def test_a_name_given_as_the_answer_to_who_calls_is_on_time():
    turns = [
        ("a", "覃哥吧，你那笔五千二拖了两个月了，今天怎么说？"),
        ("c", "你哪位？"),
        ("a", "我是柳岸资产的，受米团借款委托。"),
    ]
    assert "missing_disclosure" not in categories(turns + BODY)


@pytest.mark.parametrize(
    ("agency", "trade"),
    [("广西柳岸农村商业银行股份有限公司", "柳岸"), ("云南石岭农村信用合作联社", "石岭")],
)
def test_a_rural_banks_registered_name_gives_its_place_name(agency, trade):
    rules = next(d for d in default_registry().detectors if hasattr(d, "finder")).rules
    assert trade_name(agency, rules) == trade


@pytest.mark.parametrize(
    "opening",
    [
        "喂，吐尔逊阿依，你那笔钱打算拖到哪天？",  # the person called, by a four-character name
        "喂，王建国起床了，你那笔钱打算拖到哪天？",  # the person called, and talk run into it
        "喂，真不好意思，你那笔钱打算拖到哪天？",  # talk
    ],
)
def test_a_bare_clause_after_the_greeting_that_shows_no_kind_names_nobody(opening):
    turns = [("a", opening), ("c", "你谁啊？"), ("a", "你先说什么时候还。")] + BODY
    assert "missing_disclosure" in categories(turns)


@pytest.mark.parametrize("opening", ["喂，您好，禾丰商务咨询，请问是覃志远吗？", "喂，青禾小贷贷后部，找一下覃志远。"])
def test_a_bare_clause_after_the_greeting_that_shows_a_kind_names_the_organisation(opening):
    turns = [("a", opening), ("c", "是我，什么事？"), ("a", "想跟您确认一下这期的还款安排。")] + BODY
    assert "missing_disclosure" not in categories(turns)


@pytest.mark.parametrize(
    "line",
    [
        "叔，他在我们梧桐借借了四千没还，您让他回个电话。",  # 我们 + the lender: the caller's own side
        "叔，他欠我们梧桐借四千多，您让他回个电话。",
    ],
)
def test_the_lender_said_as_ours_names_the_caller(line):
    turns = [("a", "喂，是卢海涛家吗？"), ("c", "我是他叔，他出去了。"), ("a", line)] + BODY
    assert "missing_disclosure" not in categories(turns)


@pytest.mark.parametrize("line", ["叔，他欠我们两万三，您让他回个电话。", "叔，他在我们平台借了钱，您让他回个电话。"])
def test_an_amount_or_a_kind_after_we_names_nobody(line):
    turns = [("a", "喂，是卢海涛家吗？"), ("c", "我是他叔，他出去了。"), ("a", line)] + BODY
    assert "missing_disclosure" in categories(turns)


@pytest.mark.parametrize("opening", ["喂，梧桐借，你是卢海涛吧？", "喂你好石榴花找一下卢海涛"])
def test_a_clause_after_the_greeting_then_asking_for_someone_else_names_the_caller(opening):
    turns = [("a", opening), ("c", "是我，什么事？"), ("a", "你这期两千一逾期了，今天能还吗？")] + BODY
    assert "missing_disclosure" not in categories(turns)


@pytest.mark.parametrize("opening", ["喂，卢海涛，你是本人吗？", "喂，兄弟，你是不是叫卢海涛？"])
def test_the_person_called_or_a_form_of_address_after_the_greeting_is_no_name(opening):
    turns = [("a", opening), ("c", "是我，什么事？"), ("a", "你这期两千一逾期了，今天能还吗？")] + BODY
    assert "missing_disclosure" in categories(turns)


def test_a_suffix_that_begins_a_longer_word_ends_no_name():
    # 所有银行卡: a card, not a bank called 所有; 法务部 is a department of the name
    turns = [
        ("a", "喂，覃志远吗？"),
        ("c", "是我。"),
        ("a", "我银行的，找您说个事。"),
        ("c", "没钱。"),
        ("a", "你心里没数，明天起你名下，所有银行卡全冻上。"),
    ]
    assert "missing_disclosure" in categories(turns + BODY)
    turns[4] = ("a", "我是海晟资产法务部的，明天再打给你。")
    assert "missing_disclosure" not in categories(turns + BODY)
