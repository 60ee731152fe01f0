"""Threat false alarms and misses by mechanism (issue 11), each with sentences written for these
tests, none copied from a corpus: other categories' content said through 上门/单位/家人 words
(an arrest, an authority's visit, a visit fee, a child's schooling), reports of past visits,
the customer's question on a mono call, the agent's own relatives, consent-based visits; and the
veiled threats that must still fire (a social call, a condition then a visit, an enumeration of
contacts, dialect 晓得, calling the family as the next step, a warning about the body)."""

import copy

import pytest
from detect_helpers import OPENING, findings_for

from pipeline.config import load_config

BODY = [("c", "嗯，这个月手头确实紧。"), ("a", "理解，那您看月底前能先还一部分吗？"), ("c", "行，我尽量。")]


def lexicon_only():
    config = copy.deepcopy(load_config())
    config["detection"]["classifier"]["enabled"] = False
    return config


def threat_found(text, speaker="a"):
    turns = OPENING + [(speaker, text)] + BODY
    return bool(findings_for(turns, "threat", config=lexicon_only()))


@pytest.mark.parametrize(
    "text",
    [
        "明天派出所的人就上门把你带走拘留。",  # an arrest: exaggeration or impersonation
        "街道办和网格员下周要一起上门，给你做做工作。",  # an office's visit, not the agent's
        "我们跑一趟上门也是成本，这个油费你出。",  # a visit's cost: extra_fees
        "上周我们同事上门去过了，家里没人。",  # a past visit reported
        "方便的话我们可以上门跟您当面谈，您不同意我们就不去。",  # a visit by consent
        "上次有同事打到你单位那件事，我们已经处理了。",  # a past event named
        "你女儿在三中读书吧，征信不好以后政审都过不了。",  # schooling harmed: exaggeration
        "判决一下来，到时候你们公司的人都会知道。",  # exposure as what a trial brings
        "我一个朋友那边去问过，这种情况可以申请分期。",  # the agent's own friend
    ],
)
def test_other_content_is_not_the_agents_threat(text):
    assert not threat_found(text)


def test_the_customers_question_on_a_mono_call_is_no_threat():
    assert not threat_found("你们会不会上门来找我啊？", speaker="u")


@pytest.mark.parametrize(
    "text",
    [
        "你信不信，今晚就有人去你宿舍找你。",
        "下周我们刚好路过你们厂，顺便去看看你。",  # a visit veiled as a social call
        "哪天我们去你店里坐坐，跟你好好聊聊。",
        "你身体还好吧？想平平安安的就赶紧把钱还了。",  # the body asked after as a warning
        "周五前不到账，我就打你老婆电话。",  # calling the family as the next step
        "再拖的话，我再打你们老板那里问问。",
        "不还钱我们就到你上班的工地来找你。",  # a condition, then a visit anywhere
        "你再不回电话，我们就直接去你家找你。",  # 不回 sounds like 不会 and is no negation
        "你村里家家户户都会晓得你欠钱不还。",  # dialect 晓得 for 知道
        "你那些同学我一个一个打过去问。",  # going through people one by one
        "我们可不敢保证不跟你爸妈说这事。",  # no promise to keep quiet
        "你这是倚老卖老。",
    ],
)
def test_veiled_threats_still_fire(text):
    assert threat_found(text)
