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
        # an account named for what it is said to be for, paid into or handed over
        "今天之内把钱打进我们的核查账户，查清楚了原路退给你。",
        "我给你一个对接账户，你按这个转。",
        # a phone number, a code pointed at, a person-to-person transfer, paying in (交) to a wallet
        "你打开支付宝，转到一五九开头的那个号上。",
        "你扫一下我这个码，付完截个图。",
        "你用微信给我发个转账，备注你的名字。",
        "撤销的钱交到我微信，今天就办。",
        # the official channel said not to count
        "App里还不算数，得走我们这边。",
        # held by a team or a person of the agency, or the agent's relative
        "钱交到我们催收三组的账户，我等会发你。",
        "我把我表弟的卡号给你，你转他那。",
        # an account said to have changed
        "我们的还款账号换了，新的我短信发你。",
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
        # sending an account is neutral: the owner decides, not the sending
        "我一会把账户发给你，你核对一下户名是不是我们公司。",
        "还款可以直接还到她的卡上，系统会扣。",  # the debtor's own card
        "申请通过后App会生成一个上门取件单，快递上门。",  # 取件, not cash fetched
        "你跟他讲，不还钱你就不租给他了。",  # 不 between: no cash handed over
        "我们从来不会让您转进什么监管账户，只在App里还。",  # such an account denied
        # the speaker pays: the customer's offer, where a mono call's roles were guessed
        "我发你红包行不行？",
        "你加我微信，我直接转。",
    ],
)
def test_the_lenders_channel_and_other_readings_stay_clean(text):
    assert "private_channel" not in money(text)


# --- extra_fees: a fee read by its frame, whatever it is called --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a fee named after a service of collection, priced, no verb of paying
        "加急通道有的，通道费四百。",
        "出函的费用八百，这个得你掏。",
        # a clause that opens by paying one
        "不想我们去你老家也行，交三百块辛苦费。",
        # a fee named after collecting
        "你账上这个月多出一笔委外管理费。",
        # joined to the debt, or kept apart from it
        "律所的费用两千，你跟欠款一块儿一起转过来。",
        "和解款六千，加上代理费一千二。",
        "这笔手续费是另外的，不在欠款里面。",
        # a deposit held, money to grease someone
        "想要减免先打两千过来押着，批了再退。",
        "后台那边要打点一下，你发我三百。",
        # the price before the fee, the debtor told to pay it now
        "走加急的话有四百块的审批服务费。",
        "你今天交八百块结案费，违约金我给你全免。",
        # 我跟你说 is the agent telling, not reported speech
        "我跟你说，这个方案需要交两百块的方案费。",
        # a fee named after mediating or repairing a record, said to be in the sum
        "调解阶段产生的调解费都算进去了。",
    ],
)
def test_a_fee_in_its_frame_is_an_extra_fee(text):
    assert "extra_fees" in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "展期在App里申请，展期服务费App上写得清楚，你同意才扣。",  # the lender's app states it
        "您借的时候本息一共一万二，其中利息和费用两千。",  # the debt stated
        "分期的话每期手续费三十，是按费率算的。",  # the contract's instalment fee
        "如果起诉以后法院判了，诉讼费可能由您承担。",  # a court's award, conditional
        "有些中介帮人做这个，手续费百分之五，您千万别信。",  # a third party's fee, warned against
        "您反映的这个服务费是放款时扣的，我帮您记下来。",  # the customer's complaint said back
        "拖到停车场以后停车费一天五十，我们不收。",  # 停车费, negated
        "您交了这期的还款，我就帮您申请停催。",  # the debt itself paid, no fee
        "结清证明免费开，一分钱不要。",
        "你这笔两万的消费贷，拖了三个月了。",  # 消费, not a fee
        "今天结清就撤诉，调解费我们不收你的。",  # negated after the fee
        "您退回的设备产生了八百元的维修费，目前未支付。",  # the bill is the debt itself
        "对公账户在年审，你转到我同事的支付宝，我给你报。",  # a private channel, no fee
    ],
)
def test_the_contracts_charges_and_others_fees_stay_clean(text):
    assert "extra_fees" not in money(text)


# A price named beside a fee is no charge by itself: the debtor must be told to pay it (pay it,
# send it over, bear it, have it put on the account, pay before something is done), or the fee
# must be the price of a favour of collection.


@pytest.mark.parametrize(
    "text",
    [
        "审核费三百，你今天下午前转过来。",  # sent over
        "停催的话得先交四百的服务费。",  # paid first, the price of a favour
        "开结清证明要收你两百的工本费。",  # charged to the debtor
        "上门一趟八百块，这个你来出。",  # borne by the debtor
        "不想排队也行，交六百块的审批服务费。",  # a clause that opens by paying
    ],
)
def test_a_priced_fee_the_debtor_is_told_to_pay_is_an_extra_fee(text):
    assert "extra_fees" in money(text)


@pytest.mark.parametrize(
    "text",
    [
        # the contract's own charges and the debt's accrued fees, explained
        "您每期的账户管理费是二十五块，借款时就定好的。",
        "现在欠款里逾期费用有四百多，这是系统算的。",
        "根据合同约定，逾期产生的费用由您承担。",  # the contract governs its sentence
        # the fee waived
        "剩下那两百的服务费，您就不用交了。",
        "这次的手续费三百我帮您申请免掉了。",
        # a warning, and someone else's fee
        "要是有人叫您先交押金，那一定是诈骗。",
        "跨行转账银行会扣几块钱手续费，这个是银行收的。",
        "您要自己请律师的话，律师费当然是您出。",
    ],
)
def test_a_priced_fee_nobody_is_told_to_pay_stays_clean(text):
    assert "extra_fees" not in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "您今天要交的费用是三千一，包括本金和利息。",  # 费用 is the sum due, made of the debt
        "您先把这个月的费用交了，一千五。",
        "您每个月要付的分期手续费是四十五。",  # the lender's published charge, inside the hit
        "您要是提前还款，需要付百分之一的手续费。",
        "这个月还要交八十块的服务费和本金，App上能看到明细。",  # the app shows it
    ],
)
def test_the_contracts_money_demanded_is_no_extra_fee(text):
    assert "extra_fees" not in money(text)


def test_a_fee_set_apart_from_the_debt_just_named_still_counts():
    """The debt named in the clause before (本息一共三万) sets the fee apart from it."""
    assert "extra_fees" in money("本息一共三万二，另外要交八百的资料审核费。")


def test_the_customer_asking_whether_to_pay_a_fee_is_no_charge():
    """On a mono call the question's speaker is guessed from turn order alone: 要我 makes the
    speaker the payer."""
    turns = OPENING + [("a", "您这边的还款怎么安排？"), ("u", "是不是要我先付五百的手续费才行？"), ("a", "不用的。")]
    assert "extra_fees" not in {f.category for f in findings_for(turns, config=RULES_ONLY)}


# --- illegal_funding: credit drawn and this debt paid with it; not a question, warning or history --


@pytest.mark.parametrize(
    "text",
    [
        # credit drawn, the debt paid with it, in one turn
        "刷你老公的卡，帮你先还五千。",
        "那个平台新用户马上下款，你下出来先把我这笔结了。",
        "你在分期乐上借钱，到了拿来还我们。",
        "你额度下来就能还，去申请一下。",
        # a loan in someone else's name
        "拿你表哥的身份证去下个款，不就有了？",
        "用你同学的手机号注册一个，借两千出来。",
        "我跟你说，你去别的平台借一千出来先还我们。",  # 跟你说 is no reported speech
        # 别的 is other, not a negation
        "去别的平台借一千出来，先把这个月的平了。",
        # informal lenders
        "你们学校不是有校园贷吗，借一下就行。",
        "你再去下载一个借款APP，借出来先还我们。",
    ],
)
def test_credit_urged_to_pay_this_debt_is_illegal_funding(text):
    assert "illegal_funding" in money(text)


@pytest.mark.parametrize(
    "text",
    [
        # asking what the customer owes elsewhere
        "您是不是在好几个平台都借了，以贷养贷了？",
        "您现在还有没有别的网贷在还？",
        # a warning governs its sentence
        "我们不建议您，用信用卡去还网贷，等于拆东墙补西墙。",
        "千万别去找放贷的，那些都是高利贷。",
        # the debt's own history, a third person's borrowing
        "您是在借呗上借的这笔钱，现在逾期两个月。",
        "您这笔是从我们平台借出来的，本金六千。",
        "豆芽是您去年下载的借款APP，您有一笔借款到期了。",  # the lender's app, downloaded long ago
        "她借网贷欠了一万多，被平台起诉了。",
        "您上个月在POS机上刷了两千，已经计入账单。",
        # bought on credit, not sold: 分期买了 reads as 卖了 by sound
        "她在网上分期买了一部手机，三个月没还。",
        # deferral, a threat about frozen pensions, the card's issuer
        "我们有个办法，申请展期，把这期本金往后挪一挪。",
        "再不还，你的养老金下个月都取不出来。",
        # the debt borrowed, then a condition of not paying it (再不还我们): no sum raised to pay
        "他手上那笔网贷五千，拖到现在，再不还我们就只能往上报了。",
        "就是您办卡的那个银行，您打个电话问问。",
        # the speaker's own plan: the customer's, where a mono call's roles were guessed
        "我找朋友借张信用卡刷出来还。",
    ],
)
def test_questions_warnings_and_history_are_not_illegal_funding(text):
    assert "illegal_funding" not in money(text)


# Where the money comes from decides: the listener lending to the debtor, and the debtor's own
# things sold, are lawful ways to pay; credit, and things that are not the debtor's, are not.


@pytest.mark.parametrize(
    "text",
    [
        "要不你先借点给她，让她周末前还上。",  # the listener lending to the debtor
        "你那辆电动车反正不怎么骑，卖了先把这期还上。",  # the debtor's own thing sold
        "家里那台旧电脑卖掉，也能凑一点。",
        "你那辆车不是你自己的吗，卖了先还一点。",  # asked back: it is theirs
    ],
)
def test_lending_to_the_debtor_and_selling_ones_own_things_are_no_illegal_funding(text):
    assert "illegal_funding" not in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "你租的那台相机拿去二手市场卖了，四千块就出来了。",  # rented
        "店里的货你先卖掉一批，钱先还我们，老板发现了再说。",  # the employer's
        "你分期买的那部手机，卖了就能先还上。",  # still being paid for
        "管它是谁的，先卖了把钱还上。",  # whoever owns it
        "你把厂里的材料拉出去卖了，够还这期。",  # the employer's
        "仓库那批货先卖一部分，钱转给我们。",
    ],
)
def test_selling_what_is_not_the_debtors_is_illegal_funding(text):
    assert "illegal_funding" in money(text)


def test_the_customers_own_plan_to_borrow_is_no_urging():
    """On a mono call the speaker is guessed from turn order: 我就 makes the plan the speaker's."""
    turns = OPENING + [("a", "这期您怎么安排？"), ("u", "实在不行我就去网上借点。"), ("a", "好的。")]
    assert "illegal_funding" not in {f.category for f in findings_for(turns, config=RULES_ONLY)}


def test_a_cards_repayment_fee_explained_is_neither_urging_nor_a_charge():
    assert not money("用信用卡还款的话会有手续费，建议您用储蓄卡还。")


@pytest.mark.parametrize(
    "text",
    [
        "你信用卡透支一下，把这期还了。",
        "你可以申请个消费贷，一次结清我们这笔。",
        "你这么年轻，办两张信用卡轮着用就行了。",
        "拿另一张卡去还这张，大家都这么周转的。",
    ],
)
def test_credit_named_and_drawn_on_for_the_debtor_is_illegal_funding(text):
    assert "illegal_funding" in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "您在手机银行的信用卡页面提交申请，会有专人联系您。",  # a hardship request, no credit drawn
        "您现在信用卡还有额度吗？",  # asked, not urged
        "您这笔是当时在借呗上借的，已经逾期了。",  # the debt's own history
    ],
)
def test_credit_asked_about_or_a_request_filed_is_no_illegal_funding(text):
    assert "illegal_funding" not in money(text)


# New borrowing urged in plain words: borrowing said back as the way (借吧/借呗 as a clause of its
# own), the lenders tried one after another, a bank gone to for a loan, a card applied for. The
# product named in a list or a question, the card's own instalments, a loan the debtor already has
# and borrowing from family are not urging new credit.


@pytest.mark.parametrize(
    "text",
    [
        "借吧，你单位财务那边先预支一点也行。",
        "五千？借呗，这周内凑齐。",
        "网上那些借款平台都试试，总有一家能批。",
        "你有社保，去银行贷一笔款就能还上。",
        "你问问同事，或者办个信用卡。",
        "你去贷款还我们这笔，今天就办。",
        "你找个地方先借钱周转一下。",
        "你用花呗先垫上，下个月再说。",
        "你可以去搞个信用贷。",
        "你就去网上借，我不建议你再拖。",  # the agent's advice against delay is no warning
        "你信用卡还有额度就先刷了，把这期交了。",
        "你有公积金吧，去贷一笔。",
        "你去把车押了，先拿三万。",  # pawned
        "你媳妇那对玉镯子，拿到街口那家押了，这期不就有了。",  # pawned, where named between
        # borrowing urged as one way among others the sentence names, credit among them
        "你去借，同学那里也行，网上的平台也行，今天凑齐。",
        "找你表姐借，她不肯就网上借一点。",
    ],
)
def test_new_borrowing_urged_in_plain_words_is_illegal_funding(text):
    assert "illegal_funding" in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "借呗，花呗，微粒贷，您平时用哪个？",  # products listed, asked about
        "借呗？您是说支付宝那个？",
        "您可以申请个信用卡分期，每个月压力小一点。",  # the card's own instalments
        "您在银行贷的款跟我们这笔没关系。",  # a loan already taken
        "钱不够的话，找你姐借一点，凑够了打到官方账户。",  # family lending
        "找你哥借点，千万别去碰网贷那些东西。",  # family lending, credit warned against
        "您是用花呗还的吗？",  # how it was paid, asked
        "您刚才说要去网上借点，这个我们不建议。",  # the customer's plan said back, warned
        "您自己说打算办张信用卡还，那是您的事。",
        "您这张信用卡可以申请分期还款，每月少还一些。",  # the lender's own instalments
        "您上个月信用卡先刷了两千，这个计入账单了。",  # a past charge
        "您的信用卡额度用了多少？",  # asked
        "不还的话，你以后去贷款买车都难。",  # a loan for something else, in a warning
    ],
)
def test_products_named_the_cards_instalments_and_family_lending_are_no_illegal_funding(text):
    assert "illegal_funding" not in money(text)


# --- private_channel: whose the destination is, and where it came from -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "我发你一个内部的收款账户，今天之内转进去。",  # a special account handed over by the agent
        "收款人填赵志刚，开户行是邮政储蓄。",  # the payee written as a person's name
        "你转到户名是孙丽的那张卡。",
        "你准备好现金，我们同事晚上过来拿。",  # cash fetched by the agent's people
        "你先打两千到我的农行卡，我这边马上帮你销账。",  # a sum to the agent's own card
        "转到我们的清收专员那边，她帮你入账。",  # to a person of the agency
        "我先加你微信，回头你把钱转过来。",  # the agent's wallet, then the transfer
        "我这边给你发个支付链接，你点开付。",
        "这笔减免款不走系统，你直接转给我们。",  # kept out of the lender's system
        "你先给我八百，我帮你去后台申请。",  # a sum handed to the agent
        "钱凑好了说一声，我派人去你家收。",  # someone sent to collect it
    ],
)
def test_a_destination_that_is_a_persons_or_the_agents_own_is_a_private_channel(text):
    assert "private_channel" in money(text)


@pytest.mark.parametrize(
    "text",
    [
        "户名是我们公司的全称，您核对一下再转。",  # the company as the payee
        "还款只走我司对公账户，别的都不认。",
        "我们同事下午过来拿一下您签好的协议。",  # papers fetched, not money
        "收款人填我们公司名字，开户行App上有。",
        "您给我一个准确的日期，我这边好登记。",  # 一个 is no sum
    ],
)
def test_the_companys_account_and_papers_fetched_are_no_private_channel(text):
    assert "private_channel" not in money(text)
