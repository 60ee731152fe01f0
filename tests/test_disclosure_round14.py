"""missing_disclosure, fourteenth round. Every sentence is written for these tests."""

import pytest
from detect_helpers import findings_for, lexicon_only

from pipeline.detect.institutions import trade_name
from pipeline.detect.registry import default_registry

BODY = [("c", "嗯，这两天手头紧。"), ("a", "那您看下周五前能先还一部分吗？"), ("c", "行，我尽量。")]


def flagged(turns, **fields) -> bool:
    found = findings_for(turns + BODY, config=lexicon_only(), **fields)
    return any(f.category == "missing_disclosure" for f in found)


def rules():
    return next(d for d in default_registry().detectors if hasattr(d, "finder")).rules


@pytest.mark.parametrize(
    ("agency", "trade"),
    [
        ("襄阳松柏手机分期服务有限公司", "松柏"),  # what is sold on credit
        ("南平青岚法律咨询服务有限公司", "青岚"),  # legal advice is a kind of business
        ("宜昌启明教育科技有限公司", "启明"),
        ("荆门泰和融资担保有限公司", "泰和"),  # a guarantor by trade
    ],
)
def test_the_trade_name_is_no_word_for_the_kind_of_business(agency, trade):
    assert trade_name(agency, rules()) == trade


def test_the_goods_the_loan_bought_do_not_say_the_agencys_name():
    turns = [
        ("a", "喂，是邹小勇吗？"),
        ("c", "不在，我是他同学。"),
        ("a", "你跟他说，他手机分期欠了一千八，再拖就找他学校。"),
    ]
    assert flagged(turns, agency="襄阳松柏手机分期服务有限公司")


def test_the_agencys_trade_name_still_names_it():
    turns = [("a", "喂，是邹小勇吗？我是松柏分期的，你那部手机的分期拖了一个月了。"), ("c", "是我。")]
    assert not flagged(turns, agency="襄阳松柏手机分期服务有限公司")


def test_a_hospitals_office_is_a_kind_of_institution_not_a_name():
    turns = [("a", "喂，是杜晓燕吗？我这边是县医院财务室的，你那笔手术分期拖了两个月了。"), ("c", "是我。")]
    assert flagged(turns)


def test_what_we_did_is_no_name_of_ours():
    # 我们借的 is 我 + 们借 to the introduction pattern's bare 我: talk, no name
    turns = [
        ("a", "喂，是杜晓燕吗？"),
        ("c", "不是，我是她表妹。"),
        ("a", "她那笔装修钱拖了两个月了，那钱就是我们借的。"),
    ]
    assert flagged(turns)
