"""Issue 11, the money categories read on the seventh round's writers: who the payee is (a person
of the agent's side, an official posed as, the agent passing the money on) against the lender or
the agency as a company; which ways of raising money are new credit or not the debtor's to use,
and the agent vouching for one; which fees are demanded against the names a contract or a brand
gives. Sentences written for these tests, none copied from a corpus; the rules alone (the
classifier is off)."""

import pytest
from test_money_mechanisms import money

FLAGGED = [
    # private_channel: an official posed as is a person, their account a person's
    ("private_channel", "这笔钱交到法官的卡上，号码我等会儿念给你。"),
    ("private_channel", "我给你一个账号，是我们经办警官的，你今天转过去。"),
    ("private_channel", "这是我们承办人的代收账户。"),
    ("private_channel", "回头发你一个我们组长的支付宝。"),
    # ... the agent paying in for the debtor, or taking the money up with the lender
    ("private_channel", "你直接交给我，我代你付过去。"),
    ("private_channel", "交给我，我去跟平台沟通。"),
    # ... the agent's wallet handed over or taking the money
    ("private_channel", "我这边微信上收就行，你加我。"),
    ("private_channel", "我支付宝给你，你先打三百。"),
    # ... an account called a person's, a process's special account, one the agency designates
    ("private_channel", "卡号回头发你，是个人户，到账快。"),
    ("private_channel", "钱打进仲裁专户，打完告诉我。"),
    ("private_channel", "这笔钱汇到我们这边指定的卡上。"),
    ("private_channel", "是我们的专用账户，我发你手机上。"),
    # ... the unofficial channel vouched for
    ("private_channel", "公司授权的，您放心扫。"),
    ("private_channel", "线下的减免通道今天还有名额。"),
    # illegal_funding: 你不是有…吗 points at a resource; it asks about no debt
    ("illegal_funding", "你不是有几张卡吗，先套出来还上。"),
    # ... an informal lender, credit said without a verb of going, credit as one more way
    ("illegal_funding", "街上有人放贷，你去拿两千应急。"),
    ("illegal_funding", "网上随便借一点，先把这期补上。"),
    ("illegal_funding", "找你表哥问问，要么信用卡透支一下。"),
    # ... what the employer issued, sold; someone else's, the owner told afterwards
    ("illegal_funding", "单位发的那台平板，挂网上卖了先还上。"),
    ("illegal_funding", "电动车先骑去卖了，回头再跟他讲一声。"),
    # ... the agent referring the debtor to a lender, or vouching for a means
    ("illegal_funding", "我帮你介绍个平台，当天就能下款。"),
    ("illegal_funding", "这种事很多人都这么搞，你放心去。"),
    ("illegal_funding", "你放心，谁会查你。"),
    ("illegal_funding", "先拿来周转几天，谁查得着？"),
    ("illegal_funding", "利息高点就高点，先顶过这几天。"),
    # extra_fees: the debtor told to bear it; 取消费 is a fee, not 消费
    ("extra_fees", "拖一趟车两千的拖车费，这个你得出。"),
    ("extra_fees", "你再交八百的预约取消费，我就把你从名单里撤下来。"),
    # ... a charge defended by a rule outside the contract
    ("extra_fees", "这个钱委外了就有，你躲不掉。"),
    ("extra_fees", "这是我们跑腿的劳务费，一分不能少。"),
    ("extra_fees", "这是公司规定的，结清前要交。"),
]

CLEAN = [
    # private_channel: the lender, the agency as a company, a denial or warning, no money at all
    ("private_channel", "有问题您打我们信用卡中心的客服电话。"),  # 打 a call, 我们 the lender
    ("private_channel", "鉴定费我们公司代收。"),
    ("private_channel", "我们律所不代收任何款项。"),  # a denial inside the match
    ("private_channel", "不可以转到我个人的账户，只能在App里还。"),
    ("private_channel", "转个人账户的钱平台不承认的。"),
    ("private_channel", "我们派人到你们镇上去，当面跟你谈。"),  # by sound 去 is 取: no cash fetched
    ("private_channel", "再拖下去就要上门收车了。"),  # the car, not cash
    ("private_channel", "你这笔欠款上周移交给我们律师了。"),  # the debt handed over, no payment
    ("private_channel", "您在App上还完，把付款截图发我微信，微信号就是我这个手机号。"),  # proof
    ("private_channel", "请转到我们财务的对公账户。"),
    ("private_channel", "这是我们公司的对公账户，您放心。"),
    # illegal_funding: the debt's own brand, collateral and bill; someone's borrowing described
    ("illegal_funding", "你在闪借钱那笔三千二今天必须还上。"),
    ("illegal_funding", "你用房子做抵押的那笔贷款，这期还没还。"),
    ("illegal_funding", "你的白条账单截至昨天逾期二十天。"),  # by sound 截 is 借
    ("illegal_funding", "很多男人借网贷都不告诉老婆。"),
    # ... the harm to future credit, the lender's instalments, the lender's own plan
    ("illegal_funding", "以后你办信用卡都会受影响，所以早点还上。"),
    ("illegal_funding", "卖了你自己的车之后，剩下的可以申请分期。"),
    ("illegal_funding", "我给您推荐一个分期方案，每个月还八百。"),
    # ... a rule nobody can look up, a contract everyone signs
    ("illegal_funding", "这个是内部规定，网上查不到的。"),
    ("illegal_funding", "合同大家都这样签的，您放心。"),
    # ... the debtor's own car sold to a buyer they find (买家 is no purchase on credit)
    ("illegal_funding", "您也可以自己联系买家把车卖掉，钱先结清这笔，我们配合解押。"),
    # extra_fees: a brand holding 消费; a rule that charges nothing
    ("extra_fees", "麻烦您转告她回电给长风消费金融。"),
    ("extra_fees", "公司规定只能还到对公账户。"),
    ("extra_fees", "按行业规定，我们不能去您单位。"),
]


@pytest.mark.parametrize(("category", "text"), FLAGGED)
def test_the_act_is_flagged(category, text):
    assert category in money(text)


@pytest.mark.parametrize(("category", "text"), CLEAN)
def test_the_lawful_reading_stays_clean(category, text):
    assert category not in money(text)
