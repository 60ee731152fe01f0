"""Issue 11, the money categories read on the eighth round's writers: the route the money takes
named in few words (an account the agent hands over, the answer to where the money goes, a code
the agent sends, an account called special, a person's own wallet), and the lawful readings
beside them (the debtor's own card, a rule the agent states, a phone call put through, the
lender's account whose name is to be checked). Sentences written for these tests, none copied
from a corpus; the rules alone (the classifier is off)."""

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
]


@pytest.mark.parametrize(("category", "text"), FLAGGED)
def test_the_route_is_flagged(category, text):
    assert category in money(text)


@pytest.mark.parametrize(("category", "text"), CLEAN)
def test_the_lawful_reading_stays_clean(category, text):
    assert category not in money(text)
