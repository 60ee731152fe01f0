"""Issue 11, the money categories read on the eighth round's writers, whose acts are said in few
words: the route the money takes (an account the agent hands over, the answer to where the money
goes, a code the agent sends, an account called special, a person's own wallet), new credit or an
illegal means named by its brand or club (借钱平台, 标会, 都下一个), a fee priced without 的 or
paid as something (交三千解封费, 转两千做和解金); and the lawful readings beside them (the debtor's
own card, a rule the agent states, a call put through, the debt's own mortgage loan, a dispute's
name, a warning, a fee refunded or denied). Sentences written for these tests, none copied from a
corpus; the rules alone (the classifier is off)."""

import pytest
from test_money_mechanisms import money

FLAGGED = [
    # private_channel: the agent hands over an account of their own choosing
    ("private_channel", "我待会发你一个账号，周五前弄好。"),
    ("private_channel", "我给您个卡号，那是我们科长的。"),
    # ... the payee as the answer to where the money goes
    ("private_channel", "交给我们专员，今天就能办。"),
    ("private_channel", "我的支付宝，你现在就弄。"),
    ("private_channel", "钱打到我这，我替你去交。"),
    # ... a code the agent sends or holds, an account called special
    ("private_channel", "我把付款码推给你，扫完就好。"),
    ("private_channel", "我们这里有个收款码，您扫一下。"),
    ("private_channel", "这是一个专门的过渡账户，别担心。"),
    # ... a person's own wallet or card, by role or by name, after 财务 (by sound 务 is 唔, no negation)
    ("private_channel", "钱汇到我们客服个人微信上。"),
    ("private_channel", "用财务老陈个人的卡，工行的。"),
    # ... someone of theirs by any title, this card, a collection point of theirs
    ("private_channel", "钱汇到我们法务部王律师的卡上。"),
    ("private_channel", "把钱交给我们镇上的联络员。"),
    ("private_channel", "转到这个卡上，尾号三八。"),
    ("private_channel", "街口有我们的代收点，拿现金去交。"),
    # illegal_funding: a lending platform, its entry or brand, a club, one loan from each
    ("illegal_funding", "实在不行就上那个借款平台申请一笔。"),
    ("illegal_funding", "手机里都有借钱的入口，点进去就行。"),
    ("illegal_funding", "你去那个什么安逸花上先借出来。"),
    ("illegal_funding", "你们那里不是有标会吗，先拿一笔出来。"),
    ("illegal_funding", "那几个平台都下一个，先周转。"),
    ("illegal_funding", "街上借钱的多，找一家借了先还我们。"),
    # ... stealing urged, a third party told to seize and sell the debtor's goods
    ("illegal_funding", "你偷也好抢也好，月底前拿来。"),
    ("illegal_funding", "他仓库那批货你先扣下，卖了抵我们的账。"),
    # extra_fees: a fee priced without 的, a deposit, a sum paid as something named
    ("extra_fees", "明天交五百加急费，我给你走流程。"),
    ("extra_fees", "您先交三百块订金，名额给您留着。"),
    ("extra_fees", "先打一千过来作为调解金。"),
    # ... a fee added on top of the debt, or paid along with it at the end
    ("extra_fees", "本金六千，外加八百的委托处理费。"),
    ("extra_fees", "建档费三百，结清时一起交。"),
]

CLEAN = [
    # private_channel: the debtor's own card, the agent's rule, a refusal of such money
    ("private_channel", "这张卡是你个人名下的，跟你父母无关。"),
    ("private_channel", "我们公司从来不让客户转个人账户。"),
    ("private_channel", "私人微信转账平台也不认的。"),
    # ... a call put through, the lender's account and its name to check
    ("private_channel", "派出所一个电话打到你们单位，你就难看了。"),
    ("private_channel", "钱还是汇到公司对公账户，户名核对一下。"),
    ("private_channel", "我给您发个对公账号，户名是我们公司的全称。"),
    # ... a case handed over, a code in the lender's app
    ("private_channel", "你的材料交给我们律师审核了。"),
    ("private_channel", "我们这边有个还款码在App首页。"),
    ("private_channel", "让他把App上的还款码发给您就行。"),
    ("private_channel", "交到我们律师的对公账户。"),
    ("private_channel", "打这个卡背面的客服电话问问。"),
    # illegal_funding: the debt's own mortgage loan, a dispute's name, a brand the call is made for
    ("illegal_funding", "您名下那笔房屋抵押贷款已经逾期两个月。"),
    ("illegal_funding", "我们中心专门调解民间借贷纠纷。"),
    ("illegal_funding", "我是受“速借花”平台委托的。"),
    # ... someone's borrowing described with its default, by sound 调解 is 调借, a warning
    ("illegal_funding", "你外甥借网贷不还，现在被起诉了。"),
    ("illegal_funding", "这边是区调解中心，你的网贷纠纷转过来了。"),
    ("illegal_funding", "谁叫你去借别的网贷来还我们，都别信。"),
    ("illegal_funding", "借款是用您的名义借的，所以联系您。"),
    ("illegal_funding", "我们是想找一个您能接受的方案。"),  # by sound 接 is 借
    ("illegal_funding", "我是网贷平台的调解员。"),  # by sound 调解 is 调借
    ("illegal_funding", "您在App里“我的贷款”那边直接还就行。"),  # by sound 直接 is 直借
    # extra_fees: a fee refunded, an appeal filed in the app, a fee denied
    ("extra_fees", "平台同意把服务费退回八百。"),
    ("extra_fees", "您可以在App里提交一个申诉。"),
    ("extra_fees", "调解是不收费的，您放心。"),
]


@pytest.mark.parametrize(("category", "text"), FLAGGED)
def test_the_act_in_few_words_is_flagged(category, text):
    assert category in money(text)


@pytest.mark.parametrize(("category", "text"), CLEAN)
def test_the_lawful_reading_stays_clean(category, text):
    assert category not in money(text)
