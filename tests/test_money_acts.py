"""Issue 11, the money categories read as acts (who pays whom, by what channel, for what), each
mechanism with sentences written for these tests, none copied from a corpus: the violating
versions in other words, and the lawful versions beside them that must stay clean."""

import textwrap

import pytest
from detect_helpers import findings_for
from test_listener_and_channel import OPENING, rules_only

from pipeline.categories import category_table
from pipeline.detect.lexicon_file import load_category_lexicons

MONEY = ("private_channel", "extra_fees", "illegal_funding")


def money(text):
    turns = OPENING + [("c", "钱我想办法凑。"), ("a", text), ("c", "好吧。")]
    return {f.category for f in findings_for(turns, config=rules_only())} & set(MONEY)


@pytest.mark.parametrize(
    "category, text",
    [
        # private_channel: the lender's channel run down, a person or wallet offered instead
        ("private_channel", "公司账户那边流程太慢了，你直接转到我老婆的卡上，我今天就给你处理。"),
        ("private_channel", "官方那个通道现在关了，你加我一下，我给你发个码。"),
        ("private_channel", "对公到账要三天，转我个人的当天就能消掉记录。"),
        ("private_channel", "减免款走不了平台，只能走我这边。"),
        ("private_channel", "这笔钱直接转我这边就行。"),
        ("private_channel", "你今天还款给我，我帮你把记录消了。"),
        # ... an account owned by a person, however they are named
        ("private_channel", "收款的是我们组长，户名是他本人的，你放心转。"),
        ("private_channel", "这张卡是我表弟的，我们内部都这么收。"),
        ("private_channel", "你嫑往平台上打了，打到我们主任的建行卡上，当天就给你销。"),
        ("private_channel", "那个码是我们财务的个人微信，扫了就行。"),
        # ... an account or code handed over by the agent, the agent relaying the money
        ("private_channel", "卡号我晚点用微信推给你，转完跟我说一声。"),
        ("private_channel", "你扫一下我发的二维码，付了截图发我。"),
        ("private_channel", "你先把钱转过来，我收到了再帮你还进系统。"),
        ("private_channel", "钱先放我这，我替你分两次还进去，这样你压力小。"),
        # ... person-to-person wallets and red packets
        ("private_channel", "用支付宝转两千过来就行，今天就能处理掉。"),
        ("private_channel", "每个月给我发个一千的红包，剩下的我帮你顶着。"),
        # extra_fees: a sum withheld blocks the outcome, a payment buys a favour
        ("extra_fees", "这八百不交的话，你的减免批不下来。"),
        ("extra_fees", "你交了这一千，我就去找领导给你批减免。"),
        ("extra_fees", "你先付五百，我这边就给你办停催。"),
        ("extra_fees", "停催要交钱的，六百，交了三个月没人打你。"),
        # ... a fee of any name, or a cost put on the debtor or kept apart from the debt
        ("extra_fees", "另外还有一笔资料整理费，三百块，要你出。"),
        ("extra_fees", "这笔钱算是上门的车马费，我们跑了两趟。"),
        ("extra_fees", "这三百块是给审批的辛苦钱，大家都这样。"),
        ("extra_fees", "我们跑这一趟油钱过路费都是钱，得你来出。"),
        ("extra_fees", "律师费和差旅费都要加到你的欠款里。"),
        ("extra_fees", "这部分是委外的佣金，单独转。"),
        ("extra_fees", "委外后每天还要加收五十块的管理费。"),
        # illegal_funding: a sum raised to pay this debt, by new credit or by means not the debtor's
        ("illegal_funding", "实在不行你去下个借钱的软件，先借三千把我们这边平了。"),
        ("illegal_funding", "你信用卡还有额度吧，刷出来先还我们。"),
        ("illegal_funding", "你再申请一张信用卡，额度下来就能把这笔结清。"),
        ("illegal_funding", "借呗花呗都开一下，额度够了先把我们这个清了。"),
        ("illegal_funding", "现在好多App都能借，随便申请一个就下来了。"),
        # a lender of any kind to go and get, with its measure word
        ("illegal_funding", "凑不齐就去网上弄个网贷，先把这边的窟窿补上。"),
        ("illegal_funding", "你晚上回去找几家小贷，一家拿一点不就够了。"),
        ("illegal_funding", "你手机上下个贷款软件，几分钟就到账。"),
        ("illegal_funding", "找个放贷的借一下，利息高点怕什么，先把这关过了。"),
        ("illegal_funding", "找个中介帮你套点现出来，手续费不高。"),
        # ... someone else's money or asset, often behind their back
        ("illegal_funding", "你爸那辆摩托不是闲着吗，拿去卖了就有钱了。"),
        ("illegal_funding", "你同事信用卡借来刷一下，先把这个月的还上。"),
        ("illegal_funding", "你把你妈的退休金先取出来垫上，她又不知道。"),
        ("illegal_funding", "你们公司的周转金先挪两千出来，下个月补上，老板不会知道的。"),
        ("illegal_funding", "店里的营业款先拿来用用，过两天再补回去。"),
        ("illegal_funding", "你不是有辆车吗，押给车贷公司能拿两万。"),
        ("illegal_funding", "你老公工资卡密码你知道吧，先取点出来周转一下。"),
        ("illegal_funding", "拿你朋友的身份证去借一笔，还完再说。"),
        ("illegal_funding", "你去找那种专门放款的，押身份证就能借，当天就能还上我们。"),
        ("illegal_funding", "你申请个网贷，利息是高点，但先把我们这个结了。"),
        ("private_channel", "我们公司账户在审计，这几天的款都先收到我同事支付宝上。"),
        ("private_channel", "你转到这个尾号八八的卡，是我们部门小王的，他会帮你入账。"),
        ("extra_fees", "结清之后你要开无逾期证明，那个要另外收五百。"),
    ],
)
def test_the_act_in_other_words_is_found(category, text):
    assert category in money(text)


@pytest.mark.parametrize(
    "text",
    [
        # the lender's own channels, their faults stated with the lender's remedy
        "手机银行转账可能要第二天才到账，您最好提前一天还。",
        "App今晚系统升级，您明早八点以后再还就行。",
        "这个月App在做系统维护，您可以用手机银行转到您的信用卡卡号。",
        "对公账户转账到账会慢一点，您备注好姓名和身份证后四位。",
        "还款账户信息我稍后用短信发给您，是我们公司的对公账户。",
        "我们的对公账户户名是某某资产管理有限公司，账号我念给您。",
        "这个是官方的收款码，在App首页，扫了直接进对公账户。",
        "微信公众号里也能还款，搜我们的官方公众号。",
        "您用支付宝还信用卡也可以，记得选我们银行。",
        "您的个人卡上要是有钱，系统会自动扣款。",
        "您可以去任何一家网点柜台还，柜员会帮您入到信用卡里。",
        # the lender crediting a payment, the agent's own number, the agent refusing money
        "我们收到您的还款后，两个工作日内给您销账并出结清证明。",
        "系统每天晚上统一入账，您明天上午就能看到。",
        "您还完以后我给您出结清证明，App里也能下载。",
        "刚才那个号码是我们同事的，您可以回拨。",
        "这是我们经理的意思，给您最大程度的减免。",
        "红包我们是不能收的，您的心意我领了。",
        "还款请认准我行官方渠道，任何要求转入个人账户的都是诈骗。",
        # contractual interest and fees, court costs, materials, no fee at all
        "分期的话每期有手续费，按我们公布的费率，月费率零点六。",
        "逾期利息和罚息按合同约定计算，会计入您的应还总额。",
        "违约金是合同里写明的，每天万分之五，我给您算一下。",
        "如果走到诉讼，诉讼费用可能由法院判决由您承担。",
        "年费是单独收的，跟这笔分期没关系。",
        "您不交收入证明的话，减免申请没法提交。",
        "您把材料发给我，我帮您提交审批。",
        "减免不收任何费用，您在App里提交申请就行。",
        "结清以后我们会给您开结清证明，免费的，不收钱。",
        # help that is lawful: the debtor's own pay, family talked to, instalments, warnings
        "您可以找家里人商量一下，看能不能先凑一部分。",
        "您工资发了以后先把最低还款还上，剩下的申请分期。",
        "我们不建议您去借网贷来还，那样压力更大。",
        "网贷利息都很高，千万别借新还旧，越滚越多。",
        "我们不建议您再去找个口子，利息只会越滚越多。",
        "实在不行您申请个性化分期，我帮您提交材料。",
        "您有困难的话我有个办法，可以帮您申请延期还款。",
        "您这笔借款是以个人名义借的，跟您公司没关系。",
        "您那个房子抵押的事我们不清楚，我们只负责这笔信用卡。",
        "车是抵押在我们这的，合同里写着，逾期也不会私自拖车。",
        "您卖二手车的钱到了就先还我们，我们等您。",
        "审核时会核对放款的银行卡是不是您本人的。",
        "对公账户的信息在合同第三页，您照着转就行，备注身份证号。",
        "按合同，逾期后每日加收万分之五的罚息，这个App里都有。",
        "您先把这个月的两千还了，我帮您申请把剩下的分六期。",
        # a repayment named as the topic, 我 the one who notes it down: no one is paid to
        "你礼拜五还款我这边就给你登记上。",
    ],
)
def test_the_lawful_versions_stay_clean(text):
    assert money(text) == set()


def test_a_rule_can_refuse_matching_by_sound(tmp_path):
    """by_sound: false keeps a pattern with open slots from taking a homophone for its verb."""
    (tmp_path / "threat.yaml").write_text(
        textwrap.dedent(
            """
            category: threat
            clauses: ["GB 5.2.1.2"]
            rules:
              - id: loose
                patterns: ["付[^，。]{0,6}这个账户"]
              - id: strict
                by_sound: false
                patterns: ["付[^，。]{0,6}这个账户"]
            """
        ).lstrip(),
        encoding="utf-8",
    )
    [lexicon] = load_category_lexicons(tmp_path, category_table())
    loose, strict = lexicon.rules
    assert loose.sound_regex is not None and strict.sound_regex is None


@pytest.mark.parametrize(
    "category, text",
    [
        # a sum or a date before the act is no misheard negation (五 sounds like 唔, 七 like 期)
        ("private_channel", "你今天把两千五打到我老婆卡上。"),
        ("private_channel", "下个月十五号发了工资，直接微信转给我。"),
        ("private_channel", "周五把这一千五转到我个人支付宝。"),
    ],
)
def test_a_numeral_before_the_act_is_read_as_written(category, text):
    assert category in money(text)


@pytest.mark.parametrize(
    "text",
    [
        # an account handed over in either word order, a case holder's account
        "我待会报个卡号给您，您照着转。",
        "这是承办人账户，钱到了案子就压下来。",
        "三千块打到执行员卡上，今天就能撤。",
    ],
)
def test_an_account_handed_over_or_a_case_holders_is_found(text):
    assert "private_channel" in money(text)


def test_a_negation_cue_is_still_heard_by_sound():
    assert money("千万不要转到任何个人账户，唔好信。") == set()
    assert money("你唔好转去个人账户，只认对公。") == set()


@pytest.mark.parametrize(
    "text",
    [
        "钱不够就赶紧去借，手机上借款的APP一大堆，点一个就下款。",
        "那你就去借，网上能借的地方多得是。",
        "你就去借呗，村里信用社不是能贷吗？",
    ],
)
def test_borrowing_urged_with_credit_named_is_found(text):
    assert "illegal_funding" in money(text)


@pytest.mark.parametrize(
    "text",
    [
        # borrowing urged from no lender: family and friends are the debtor's own business
        "那你就去借，你那些表兄弟一人凑个几百，也就够了。",
        "实在没有就赶紧去借，周末之前给我个准话。",
        # the debt's own history, the lender's brand holding a product word
        "您在乐家白条借的那笔八千，已经逾期四十天了。",
        # a warning inside a sentence that began with a suggestion
        "要不这样，我真不建议您为了还我们去借网贷，先还一部分。",
    ],
)
def test_borrowing_without_a_lender_or_warned_against_stays_clean(text):
    assert "illegal_funding" not in money(text)


def funding_after(customer, agent):
    turns = OPENING + [("c", customer), ("a", agent), ("c", "我再想想。")]
    return "illegal_funding" in {f.category for f in findings_for(turns, config=rules_only())}


@pytest.mark.parametrize(
    "customer, agent",
    [
        ("那台电动车是我表哥的，我就骑骑。", "骑都骑了，先卖了换钱，你表哥那边慢慢说。"),
        ("这些货是东家的，不是我的。", "东家又不天天点货，拿去卖个几千，先把这边平了。"),
        ("那房子是租的，家电都是房东的。", "你就说是你自己的，冰箱电视拉去二手市场出手。"),
    ],
)
def test_a_sale_urged_after_the_customer_said_it_is_not_theirs_is_found(customer, agent):
    assert funding_after(customer, agent)


@pytest.mark.parametrize(
    "customer, agent",
    [
        # the thing is the debtor's own: selling it is their business
        ("车是我自己的，去年全款买的。", "那您考虑一下先卖了，把欠款结清。"),
        # the owner named, but nothing urged
        ("那是我爸的房子。", "明白，那房子的事跟这笔欠款没关系。"),
    ],
)
def test_a_sale_of_the_debtors_own_or_nothing_urged_stays_clean(customer, agent):
    assert not funding_after(customer, agent)


def test_the_fee_for_a_reduction_is_no_waiver_heard_by_sound():
    """减免手续费 spelt by sound holds 免收 (mian shou); the fee demanded is still a fee, and a
    fee waived stays clean."""
    assert "extra_fees" in money("想减免的话，减免手续费三百，跟第一期一起转过来。")
    assert money("这次给您减免，手续费我们免收，您在App里还就行。") == set()


@pytest.mark.parametrize(
    "text",
    [
        "合同里是没有，这是我们外包这边的跑腿费，三百。",
        "合同上没写，但是我们贷后有规定，上门一趟收四百。",
        "合同没得，这是规矩，你不出就别想结清。",
    ],
)
def test_a_charge_the_agent_says_the_contract_lacks_is_found(text):
    assert "extra_fees" in money(text)


def test_the_contract_said_to_hold_no_such_fee_stays_clean():
    assert "extra_fees" not in money("按你签的合同是没有提前还款违约金的，你放心还。")


@pytest.mark.parametrize(
    "text",
    [
        "开结清证明是要费用的，两百，转过来我就开。",
        "停一个月外访也得花钱的，你自己掂量。",
        "我们跑一趟又是油又是过路，这都是成本。",
    ],
)
def test_a_charge_defended_by_what_the_service_costs_is_found(text):
    assert "extra_fees" in money(text)


def test_the_contracts_interest_said_to_be_charged_stays_clean():
    assert "extra_fees" not in money("逾期期间的利息还是要收的，按天算。")
