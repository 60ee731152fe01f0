"""Issue 11, the money categories by frame: an act of paying and where the money goes, a fee and
what it is charged for, new credit urged and who urges it. Each mechanism has sentences written for
these tests (none copied from a corpus) in the violating form and in the lawful forms beside it:
the official channel, the contract's own charges, a warning, a question, the customer's proposal
said back. The rules alone: the classifier is switched off."""

import pytest
from detect_helpers import findings_for
from test_listener_and_channel import OPENING, rules_only

MONEY = ("private_channel", "extra_fees", "illegal_funding")
RULES_ONLY = rules_only()


def money(text):
    turns = OPENING + [("c", "钱我想办法凑。"), ("a", text), ("c", "好吧。")]
    return {f.category for f in findings_for(turns, config=RULES_ONLY)} & set(MONEY)


# --- private_channel: a payment whose destination the agent hands over or sets up -------------


@pytest.mark.parametrize(
    "text",
    [
        # the destination described by where it came from: the agent gave it
        "你就打到我刚才发给你的那个卡号上。",
        "钱转到我们提供给你的账户，到了我告诉你。",
        "我给你个账号，你往里面打三千。",
        # set up for the purpose: temporary, special, a settlement account
        "这个账户是临时的，专门收这批减免款。",
        "你先存到这张临时收款卡里，周五前。",
        "减免的钱走我们的结算账户，不走那边。",
        # designated by a body that is not the lender
        "还到我们调解中心指定的账户，我一会发你。",
        "钱打进执行局的专用账户，当天给你撤案。",
        # a phone number, a code pointed at, a person-to-person transfer, paying in (交) to a wallet
        "你打开支付宝，转到一五九开头的那个号上。",
        "你扫一下我这个码，付完截个图。",
        "你用微信给我发个转账，备注你的名字。",
        "撤销的钱交到我微信，今天就办。",
        # the official channel said not to count
        "App里还不算数，得走我们这边。",
    ],
)
def test_a_destination_the_agent_provides_is_a_private_channel(text):
    assert "private_channel" in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "您是想转到我个人账户？这个不行，我们只收对公。",  # the customer's proposal said back
        "存款千万不要转给任何个人账户。",  # the act of paying negated inside the match
        "我这边给您的账户申请了暂停催收。",  # 给 for, not a payment
        "他之前是不是还有微信绑定这个号？",  # 还有, not 还 (repay)
        "我们上门去过两次，都没找到人。",  # 去 sounds like 取: a visit, not cash fetched
        "就是借钱给他的那家平台，你让他回电。",  # the lender lending, not cash to a colleague
        "你店里不是有收款码吗，那个你自己留着用。",  # the debtor's own code
        "您扫一下账单上的二维码，会跳到App还款页面。",  # the lender's code
        "还款账户我用短信发给您，是我们公司的对公账户。",
        "您打开App，转到我们给您的还款页面就行。",
    ],
)
def test_the_lenders_channel_and_other_readings_stay_clean(text):
    assert "private_channel" not in money(text)
