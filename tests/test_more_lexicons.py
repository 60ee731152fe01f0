"""private_channel, illegal_funding, extra_fees (lexicons) and the labelled dev calls for every
category beyond the core five."""

from pathlib import Path

import pytest

from pipeline.calls import Call, Segment
from pipeline.config import load_config
from pipeline.detect.registry import detect_call, detect_calls
from pipeline.learn.evaluate import evaluate, read_labelled

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev" / "more_rules.jsonl"
MORE = ["private_channel", "illegal_funding", "extra_fees", "unverified_identity", "recording_notice"]


def categories_of(*turns):
    segments = [Segment(i * 3.0, i * 3.0 + 2.5, who, text) for i, (who, text) in enumerate(turns)]
    opening = [
        Segment(-6.0, -3.5, "agent", "您好，本次通话将被录音，我是吉祥小贷的，请问是张伟吗？"),
        Segment(-3.0, -2.5, "customer", "是我。"),
    ]
    call = Call(call_id="c", segments=opening + segments)
    return {f.category for f in detect_call(call, load_config())}


@pytest.mark.parametrize(
    "category, line",
    [
        ("private_channel", "你直接转到我个人卡上就行。"),
        ("private_channel", "加我微信，把钱转给我。"),
        ("private_channel", "你先转两千到我卡上。"),
        ("illegal_funding", "没钱就去网贷平台借啊。"),
        ("illegal_funding", "信用卡套现一下不就有钱了。"),
        ("illegal_funding", "以贷养贷很正常。"),
        ("extra_fees", "逾期了还要加收两千的催收费。"),
        ("extra_fees", "你先交三百的手续费，我们就不打了。"),
        ("private_channel", "你把欠款打到我建行卡上，我帮你处理。"),
        ("private_channel", "钱别往APP里还了，转我这。"),
        ("illegal_funding", "你开通一下借呗，额度出来就还我们。"),
        ("illegal_funding", "你用花呗分期买点东西卖了换钱还。"),
        ("extra_fees", "要撤销你的逾期记录，得交八百块钱。"),
        ("extra_fees", "交一千块保证金，我们就暂停催收。"),
    ],
)
def test_agent_lines_that_break_the_rule(category, line):
    assert category in categories_of(("agent", line))


@pytest.mark.parametrize(
    "turns",
    [
        [("agent", "请通过APP或对公账户还款。")],
        [("agent", "请通过APP或对公账户还款，不要转到任何个人账户。")],
        [("customer", "我能不能直接微信转给你？"), ("agent", "不可以的，请在APP里还款。")],
        [("customer", "我找我爸妈借点钱先还上。"), ("agent", "好的，那您尽快处理。")],
        [("agent", "我们不建议您以贷养贷，量力而行。")],
        [("agent", "逾期利息和罚息按合同约定计算，不会额外收取费用。")],
        [("agent", "不需要交任何手续费，直接在APP还款就行。")],
        [("agent", "您一次性结清的话，我们可以申请减免部分罚息。")],
        [("agent", "请把钱转到我们公司的对公账户。")],
        [("agent", "我们的对公账户户名是吉祥小额贷款有限公司。")],
        [("agent", "有问题您打我这个电话。")],
        [("agent", "我们不会上门收钱，请在APP还款。")],
        [("agent", "您可以申请延期还款，不收任何费用。")],
        [("agent", "催收的费用都是我们公司承担的，不用您出。")],
        [("agent", "钱转到您自己的还款卡里，系统会自动扣。")],
    ],
)
def test_hard_negatives_stay_quiet(turns):
    assert not categories_of(*turns) & {"private_channel", "illegal_funding", "extra_fees"}


def test_the_dev_calls_are_found_with_few_false_alarms():
    errors: list[str] = []
    config = load_config()
    result = evaluate(read_labelled(str(DEV), errors), lambda calls: detect_calls(calls, config), MORE, 1)
    assert errors == [] and result.calls > 150
    for category in MORE:
        counts = result.per_category[category]
        assert counts.precision >= 0.9, (category, counts)
        if category == "unverified_identity":
            # 19 of the set's 32 are details told after 有事吗？/ 谁啊？ to a name question, which
            # the tune writers (19 of 21) do not count as unverified when no one else turns out
            # to be listening (listener.py); one more (first00) is the debt said in the same
            # breath as the name asked, which the tune writers mostly leave unlabelled when the
            # one asked for takes the call (38 calls to 14, round 12): the other 12 stay found.
            assert counts.tp >= 12, (category, counts)
            continue
        assert counts.tp >= 25 and counts.recall >= 0.9, (category, counts)


def test_what_was_borrowed_is_not_urging_to_borrow():
    assert "illegal_funding" not in categories_of(("agent", "你老公知不知道你借了这么多网贷？"))


# Kinds of talk the multi-writer corpus showed (issue 11), in sentences written for these tests.
@pytest.mark.parametrize(
    "category, line",
    [
        # a payee who is a person, named or by role; a code or red packet the agent hands over
        ("private_channel", "今天先转到我们会计小周的支付宝上，她那边到账快。"),
        ("private_channel", "钱打到我们代收员的卡里就行，她给你登记。"),
        ("private_channel", "卡号我一会儿短信给你，户名王秀兰。"),
        ("private_channel", "我这就给你发个收款码，你扫一下就能还。"),
        ("private_channel", "我把组长的微信推给您，您直接转给他。"),
        ("private_channel", "现金准备好，明天交给我们同事，他当场给你写个收条。"),
        # informal lenders, pawning, money that is not the debtor's, new borrowing urged
        ("illegal_funding", "你们镇上不是有放钱的吗，找他们周转一下。"),
        ("illegal_funding", "你那块手表拿去当铺当了，先把这笔平掉。"),
        ("illegal_funding", "你管着店里的备用金，先挪五千出来垫上。"),
        ("illegal_funding", "几个平台各借一千，今天就能凑齐。"),
        ("illegal_funding", "借呗额度还有的话，赶紧套出来还我们。"),
        ("illegal_funding", "去银行再办张信用卡，下卡了就取现。"),
        # a fee of any name, with an amount, or put on the debtor's bill
        ("extra_fees", "要开结清证明，得先交三百块的出证费。"),
        ("extra_fees", "先把这个加急处理费交了，我今天就给你办。"),
        ("extra_fees", "我们外勤跑一趟四百，这个钱算到你的欠款里。"),
        ("extra_fees", "逾期以后每天加收八十块的账户维护费。"),
        ("extra_fees", "公司请律师的费用由您来承担，结清时一并付。"),
    ],
)
def test_kinds_of_talk_from_independent_writers(category, line):
    assert category in categories_of(("agent", line))


@pytest.mark.parametrize(
    "category, turns",
    [
        # warnings about whoever might ask, the official account, the card's hotline
        ("private_channel", [("agent", "以后不管谁让您转私人账户，都直接挂掉，打官方客服核实。")]),
        ("private_channel", [("agent", "只能在APP里还或者转对公账户，任何个人账户都不要转。")]),
        ("private_channel", [("agent", "有疑问您打卡背面的客服电话。")]),
        # advice against new borrowing, the loan already taken, a lender's payout described
        ("illegal_funding", [("agent", "我劝您一句，借新的来还旧的，利息叠上去压力更大。")]),
        ("illegal_funding", [("agent", "您在网贷平台借款八千，已经逾期两个月了。")]),
        ("illegal_funding", [("agent", "审核会核对放款的银行卡是不是您本人的。")]),
        ("illegal_funding", [("agent", "核查结果出来以后我们书面通知您。")]),
        # costs a court may award, a fee the debtor avoids, a warning about fee scams
        ("extra_fees", [("agent", "如果进入诉讼程序，由法院依法判决，诉讼费用可能由您承担。")]),
        ("extra_fees", [("agent", "您自己开过去交就没有拖车费。")]),
        ("extra_fees", [("agent", "如果有人自称是我们，让您交什么费用，您直接挂掉。")]),
        ("extra_fees", [("agent", "如果有不符合规定的收费，会按规定调整。")]),
        ("extra_fees", [("agent", "这个月的电话费您自己交就行。")]),
    ],
)
def test_kinds_of_hard_negatives_from_independent_writers(category, turns):
    assert category not in categories_of(*turns)


@pytest.mark.parametrize(
    "line",
    [
        "收款账号就是我这个手机号，转过来截图给我。",
        "APP那边这几天在维护，你先转到这个账户上。",
    ],
)
def test_the_agents_number_as_account_and_a_closed_official_channel(line):
    assert "private_channel" in categories_of(("agent", line))


@pytest.mark.parametrize(
    "line",
    [
        "APP这两天在维护，您等维护好了再在APP里还。",
        "系统在升级，升级完成后会给您发个短信通知。",
    ],
)
def test_a_closed_official_channel_alone_is_no_private_channel(line):
    assert "private_channel" not in categories_of(("agent", line))
