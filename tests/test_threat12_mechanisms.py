"""Threat mechanisms of the twelfth round (issue 11), each with sentences written for these tests,
none copied from a corpus: a visit to, or the head of, a place of the listener's or the debtor's
named with 你们/他们 and any word for the place; a banner hung anywhere; all of the debtor's
contacts reached; a condition on not answering (不回我就…) that sounds like 不会 is no negation;
a dated visit to the debtor's own place said bare; the family left for the listener to tell
themselves is no threat; the debtor summoned to the station is a
posing officer's procedure, not a threat, for the rules and for the classifier alone; and the
classifier alone yields on a line whose menace only points back (你等着瞧, 不信拉倒)."""

import pytest
from detect_helpers import BODY, OPENING, classifier_threats, findings_for, lexicon_only


def threat_found(text):
    return bool(findings_for(OPENING + [("a", text)] + BODY, "threat", config=lexicon_only()))


@pytest.mark.parametrize(
    "text",
    [
        "这周再不处理，我们就到你们批发城去找他。",  # a place named in any words after 你们
        "不还的话我们派人上你们养殖场来堵你。",
        "月底还看不到钱，我们就联系你们物业公司经理。",  # the head of a workplace named freely
        "再拖下去我就打给他们茶厂负责人。",
        "你不转，下礼拜我们就在你家楼下挂一条横幅。",  # a banner, wherever it hangs
        "到时候直接去他菜场门口拉个横幅。",
        "你转告她，不然我们会联系她的所有联系人。",  # every contact of the debtor's reached
        "不回我就把你欠钱的截图发到你们小区群里。",  # 不回我就 is a condition, not 不会
        "你再躲，明天我们就到你铺子上。",  # a dated visit to the debtor's own place, said bare
        "你拖了三个月还敢挂电话，是不是想死？",
    ],
)
def test_twelfth_round_threats_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "横幅的事我们管不了，您可以去社区反映。",  # a banner talked about, not hung
        "拉横幅的事情我们没办法阻止您。",
        "你可以到你们村委会找他们开个证明。",  # the listener's own errand
        "我们不会把你的照片发到朋友圈。",  # a real negation still cancels
        "钱明天到你账上，你查收一下。",  # money arriving is no visit
        "你这周不把钱还了，就得来所里一趟配合调查。",  # a summons to the station
        "明天上午到所里来，把情况说清楚。",
        "如果打算让父母知道，您自己和他们沟通。",  # the listener tells their own family
    ],
)
def test_twelfth_round_non_threats_stay_quiet(text):
    assert not threat_found(text)


def test_the_classifier_alone_yields_to_a_summons_to_the_station():
    assert classifier_threats("钱凑不齐的话，你就准备好来所里。") == []


def test_the_classifier_alone_still_stands_on_other_firm_talk():
    assert len(classifier_threats("钱凑不齐的话，后面的事你自己准备好。")) == 1


@pytest.mark.parametrize(
    "text", ["钱到不了账，那你就等着瞧好了。", "随便你，不信拉倒。", "我跟你讲，这件事没完，这事没完。"]
)
def test_the_classifier_alone_yields_where_the_line_only_points_back(text):
    assert classifier_threats(text) == []


def test_a_harm_said_after_pointing_back_still_fires():
    assert threat_found("你等着吧，下礼拜我们就去你们菜市场找你。")
    assert len(classifier_threats("你等着吧，下礼拜我们就去你们菜市场找你。")) == 1
