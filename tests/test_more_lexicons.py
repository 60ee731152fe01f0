"""private_channel, illegal_funding, extra_fees (lexicons) and the labelled dev calls for every
category beyond the core five."""

from pathlib import Path

import pytest

from pipeline.calls import Call, Segment
from pipeline.config import load_config
from pipeline.learn.evaluate import evaluate, read_labelled
from pipeline.detect.registry import detect_call, detect_calls

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev" / "more_rules.jsonl"
MORE = ["private_channel", "illegal_funding", "extra_fees", "unverified_identity", "recording_notice"]


def categories_of(*turns):
    segments = [Segment(i * 3.0, i * 3.0 + 2.5, who, text) for i, (who, text) in enumerate(turns)]
    opening = [Segment(-6.0, -3.5, "agent", "您好，本次通话将被录音，我是吉祥小贷的，请问是张伟吗？"),
               Segment(-3.0, -2.5, "customer", "是我。")]
    call = Call(call_id="c", segments=opening + segments)
    return {f.category for f in detect_call(call, load_config())}


@pytest.mark.parametrize("category, line", [
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
])
def test_agent_lines_that_break_the_rule(category, line):
    assert category in categories_of(("agent", line))


@pytest.mark.parametrize("turns", [
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
])
def test_hard_negatives_stay_quiet(turns):
    assert not categories_of(*turns) & {"private_channel", "illegal_funding", "extra_fees"}


def test_the_dev_calls_are_found_with_few_false_alarms():
    errors: list[str] = []
    config = load_config()
    result = evaluate(read_labelled(str(DEV), errors), lambda calls: detect_calls(calls, config), MORE, 1)
    assert errors == [] and result.calls > 150
    for category in MORE:
        counts = result.per_category[category]
        assert counts.tp >= 25, category
        assert counts.precision >= 0.9 and counts.recall >= 0.9, (category, counts)


def test_what_was_borrowed_is_not_urging_to_borrow():
    assert "illegal_funding" not in categories_of(("agent", "你老公知不知道你借了这么多网贷？"))
