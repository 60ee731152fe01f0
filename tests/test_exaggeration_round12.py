"""exaggeration and impersonation, twelfth round: mechanisms seen in writers nobody had read and
counted across the tune writers. Every sentence is written for these tests; none is copied from
a corpus. The rules alone: the classifier is switched off."""

import pytest
from detect_helpers import OPENING, findings_for, lexicon_only
from test_exaggeration_mechanisms import BODY

from pipeline.detect.amounts import amount, grown


def flagged(text, category="exaggeration") -> bool:
    return bool(findings_for(OPENING + [("a", text)] + BODY, category, config=lexicon_only()))


# --- invented consequences in words the lists did not hold --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "再拖两天，辖区民警就上你家来问情况了。",  # police to the home
        "你这样拖着，公安可以直接来拘你。",  # police to detain
        "你这情况已经够得上拒不执行了，懂吗？",  # the crime of refusing a judgment, said reached
        "不处理的话，镇上要暂停你家的低保。",  # welfare stopped, the verb first
        "上了系统以后，你坐车住店都不行。",  # travel and lodging barred
        "你那个小饭馆的执照到时候也会被吊销。",  # a trade licence revoked
    ],
)
def test_invented_consequences_in_other_words(text):
    assert flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "那个陌生号码您要是不放心，建议您直接把它报给派出所。",  # advice to the listener
        "有困难的话，您可以带上身份证去派出所开个证明。",
        "办展期需要您带营业执照注销证明和流水过来。",  # a licence as a paper handed in
        "您出门坐车的时候注意安全，别的都不用担心。",
    ],
)
def test_advice_and_papers_are_no_consequence(text):
    assert not flagged(text)


# --- a balance said to have grown to about twice what it was -----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "你当初借的是两万，现在连本带利都四万五了。",
        "本来七千的账，再拖一个季度就滚成一万五。",
        "三千块钱，你一直拖，硬是变成七千多了。",
    ],
)
def test_a_balance_grown_to_about_twice_is_an_inflated_amount(text):
    assert flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "您借的是八千，到今天连本带息是九千一。",  # the contract's interest
        "本金一万二，逾期三个月连本带罚是一万三千八。",  # grown, but not by much
        "每天罚息五十，本金四千，合同上写着的。",  # no verb of growth
    ],
)
def test_a_balance_told_with_its_interest_is_not(text):
    assert not flagged(text)


def test_sums_are_read_as_said():
    assert [amount(s) for s in ("一万五", "三千二", "两万六", "一千零五", "七八千", "1200", "2.5万")] == [
        15000,
        3200,
        26000,
        1005,
        8000,
        1200,
        25000,
    ]
    line = "本金五千，每天加两百，滚到一万二了"
    assert grown(line, line.index("滚"), len(line), 1.8)  # from the largest sum before, not 两百
    assert not grown(line, line.index("滚"), len(line), 2.5)


# --- impersonation: a claim to be or to speak for an authority, nothing less ------------


def test_an_authoritys_people_coming_is_exaggeration_not_impersonation():
    text = "月底前不处理，法院的人就要到你家去了。"
    assert flagged(text, "exaggeration")
    assert not flagged(text, "impersonation")


@pytest.mark.parametrize(
    "text",
    [
        "您说前两天有人说是律师找过您？那不是我们委托的。",
        "网上有人称是法院的工作人员在催款，您别信。",
    ],
)
def test_what_someone_else_said_is_reported_speech(text):
    assert not flagged(text, "impersonation")


def test_a_claim_of_ones_own_still_stands():
    assert flagged("我是市中级人民法院执行局的，找你核实财产。", "impersonation")
