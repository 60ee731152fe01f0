"""Issue 11, the money categories read on the seventh round's writers: who the payee is (a person
of the agent's side, an official posed as, the agent passing the money on) against the lender or
the agency as a company; which ways of raising money are new credit or not the debtor's to use;
which fees are demanded against the names a contract or a brand gives. Sentences written for
these tests, none copied from a corpus; the rules alone (the classifier is off)."""

import pytest
from test_money_mechanisms import money

# --- private_channel: the payee is a person, or the agent passing the money on ------------------


@pytest.mark.parametrize(
    "text",
    [
        # an official posed as is a person: their account is a person's
        "这笔钱交到法官的卡上，号码我等会儿念给你。",
        "我给你一个账号，是我们经办警官的，你今天转过去。",
        # the agent paying in for the debtor, or taking it up with the lender
        "你直接交给我，我代你付过去。",
        "交给我，我去跟平台沟通。",
        # the agent's wallet handed over or taking the money
        "我这边微信上收就行，你加我。",
        "我支付宝给你，你先打三百。",
        # an account called a person's, a special account of a process, one the agency designates
        "卡号回头发你，是个人户，到账快。",
        "钱打进仲裁专户，打完告诉我。",
        "这笔钱汇到我们这边指定的卡上。",
        "是我们的专用账户，我发你手机上。",
    ],
)
def test_a_person_or_the_agent_as_payee_is_a_private_channel(text):
    assert "private_channel" in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "有问题您打我们信用卡中心的客服电话。",  # 打 a phone call, 我们 the lender
        "鉴定费我们公司代收。",  # the agency as a company, no person's account
        "我们律所不代收任何款项。",  # a denial inside the match
        "不可以转到我个人的账户，只能在App里还。",
        "转个人账户的钱平台不承认的。",
        "我们派人到你们镇上去，当面跟你谈。",  # by sound 去 is 取: no cash fetched
        "再拖下去就要上门收车了。",  # the car, not cash
        "你这笔欠款上周移交给我们律师了。",  # the debt handed over, no payment
        "您在App上还完，把付款截图发我微信，微信号就是我这个手机号。",  # proof, not payment
    ],
)
def test_the_lender_the_agency_and_other_readings_are_no_private_channel(text):
    assert "private_channel" not in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "回头发你一个我们组长的支付宝。",  # a person's account handed over
        "这是我们承办人的代收账户。",  # named as a person's
        "公司授权的，您放心扫。",  # the unofficial channel vouched for
        "线下的减免通道今天还有名额。",
    ],
)
def test_a_persons_account_handed_over_or_vouched_for_is_a_private_channel(text):
    assert "private_channel" in money(text)


@pytest.mark.parametrize("text", ["请转到我们财务的对公账户。", "这是我们公司的对公账户，您放心。"])
def test_the_lenders_account_vouched_for_is_no_private_channel(text):
    assert "private_channel" not in money(text)


# --- illegal_funding: new credit and what is not the debtor's, in more words --------------------


@pytest.mark.parametrize(
    "text",
    [
        # 你不是有…吗 points at a resource; it asks about no debt
        "你不是有几张卡吗，先套出来还上。",
        # an informal lender, credit said without a verb of going, credit as one more way
        "街上有人放贷，你去拿两千应急。",
        "网上随便借一点，先把这期补上。",
        "找你表哥问问，要么信用卡透支一下。",
        # what the employer issued, sold; what is someone else's, the owner told afterwards
        "单位发的那台平板，挂网上卖了先还上。",
        "电动车先骑去卖了，回头再跟他讲一声。",
        # the agent referring the debtor to a lender
        "我帮你介绍个平台，当天就能下款。",
    ],
)
def test_new_credit_and_what_is_not_theirs_is_illegal_funding(text):
    assert "illegal_funding" in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "你在闪借钱那笔三千二今天必须还上。",  # a brand holding 借钱: the debt itself
        "你用房子做抵押的那笔贷款，这期还没还。",  # the debt's own collateral
        "你的白条账单截至昨天逾期二十天。",  # the debt's bill (by sound 截 is 借)
        "很多男人借网贷都不告诉老婆。",  # someone's borrowing described
        "以后你办信用卡都会受影响，所以早点还上。",  # the harm to future credit
        "卖了你自己的车之后，剩下的可以申请分期。",  # the lender's instalments, the debtor's own car
        "我给您推荐一个分期方案，每个月还八百。",  # the lender's own plan recommended
    ],
)
def test_the_debts_own_credit_and_family_help_are_no_illegal_funding(text):
    assert "illegal_funding" not in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "这种事很多人都这么搞，你放心去。",  # common
        "你放心，谁会查你。",  # nobody checks
        "利息高点就高点，先顶过这几天。",  # the interest does not matter
    ],
)
def test_the_agent_vouching_for_a_means_is_illegal_funding(text):
    assert "illegal_funding" in money(text)


@pytest.mark.parametrize("text", ["这个是内部规定，网上查不到的。", "合同大家都这样签的，您放心。"])
def test_rules_nobody_can_look_up_and_common_contracts_are_no_illegal_funding(text):
    assert "illegal_funding" not in money(text)


# --- extra_fees: a fee demanded, against a brand's word and a repayment to the agent ------------


@pytest.mark.parametrize(
    "text",
    [
        "拖一趟车两千的拖车费，这个你得出。",  # the debtor told to bear it
        "你再交八百的预约取消费，我就把你从名单里撤下来。",  # 取消费: a fee, not 消费
    ],
)
def test_a_fee_the_debtor_must_bear_is_an_extra_fee(text):
    assert "extra_fees" in money(text)


@pytest.mark.parametrize(
    "text",
    ["这个钱委外了就有，你躲不掉。", "这是我们跑腿的劳务费，一分不能少。", "这是公司规定的，结清前要交。"],
)
def test_a_charge_defended_by_a_rule_outside_the_contract_is_an_extra_fee(text):
    assert "extra_fees" in money(text)


@pytest.mark.parametrize("text", ["公司规定只能还到对公账户。", "按行业规定，我们不能去您单位。"])
def test_a_rule_that_charges_nothing_is_no_extra_fee(text):
    assert "extra_fees" not in money(text)


def test_a_brand_with_xiaofei_is_no_fee():
    assert "extra_fees" not in money("麻烦您转告她回电给长风消费金融。")
