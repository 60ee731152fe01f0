"""Issue 11, the mechanisms behind third_party_leak, private_channel and exaggeration's claimed
proceedings, each with sentences written for these tests (none is copied from a corpus): who is
on the line, whether the money goes anywhere but the lender's channel, and whether a proceeding
is claimed to exist or stated as a lawful possibility."""

import copy
import textwrap

import pytest
from detect_helpers import findings_for

from pipeline.calls import Segment
from pipeline.categories import category_table
from pipeline.config import load_config
from pipeline.detect.lexicon_file import load_category_lexicons
from pipeline.detect.recognizers.lexicon import cancelled_by
from pipeline.detect.sound import sound_text
from pipeline.detect.view import Utterance
from pipeline.yamldoc import LexiconError

LEAK = "third_party_leak"


def leaks(turns):
    return [f.segment_index for f in findings_for(turns, LEAK)]


# --- third_party_leak: the listener is one person until the phone changes hands ---------------


def test_details_told_before_the_listener_said_who_they_are_reached_them():
    turns = [
        ("a", "喂，我是某某金融的，你那笔六千块的借款拖了两个月了，今天怎么安排？"),
        ("c", "啊？什么借款？你说啥？"),
        ("a", "就是六千块钱，你是不是郑凯？"),
        ("c", "不是，我是他舅舅，他手机落我这了。"),
        ("a", "那麻烦您让他回个电话。"),
    ]
    assert leaks(turns) == [0, 2]


def test_the_debtor_confirming_first_keeps_the_later_talk_clean():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "是我……你小声点，我媳妇在旁边。"),
        ("a", "好的，我是某某金融的，您那笔六千块的借款逾期两个月了。"),
        ("c", "我知道，她在厨房，你快说。"),
        ("a", "这个月能先还两千吗？"),
    ]
    assert leaks(turns) == []


@pytest.mark.parametrize(
    "question, answer",
    [
        ("喂，请问是郑凯的外婆吗？", "是啊，你哪里？"),
        ("喂，是郑凯家吗？", "对，你找哪个？"),
        ("喂，你好，你认识郑凯吧？他联系人留的是你。", "认识啊，怎么了？"),
    ],
)
def test_the_agent_asking_for_a_relative_or_the_household_knows_the_listener_is_not_the_debtor(question, answer):
    turns = [("a", question), ("c", answer), ("a", "我是某某金融的，他欠我们一万二，逾期三个月了，你让他赶紧还。")]
    assert leaks(turns) == [2]


@pytest.mark.parametrize(
    "answer",
    [
        "我系佢家姐，佢去咗广州返工。",  # Cantonese: I am his elder sister, he went to work in Guangzhou
        "佢唔喺度，我系佢老婆。",
        "我是他老丈人，他在深圳打工。",  # an in-law, away for work
        "这个号我前年才办的，不认识你说的人。",  # a recycled number
    ],
)
def test_third_parties_in_more_words(answer):
    turns = [("a", "喂，是郑凯吗？"), ("c", answer), ("a", "我是某某金融的，他在我们这的贷款逾期四个月了，欠八千。")]
    assert leaks(turns) == [2]


def test_a_question_with_bu_shi_is_no_denial():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "是不是他又借了什么钱？"),
        ("a", "请问您是？"),
        ("c", "哦，我就是郑凯，刚才开玩笑的。"),
        ("a", "好的，我是某某金融的，您的借款逾期两个月了。"),
    ]
    assert leaks(turns) == []


def test_the_debtor_taking_the_phone_and_naming_himself_without_shi():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "他在洗车，我叫他……老郑，电话！"),
        ("c", "喂，我郑凯。"),
        ("a", "郑先生您好，我是某某金融的，您那笔借款逾期两个月了，欠款六千。"),
    ]
    assert leaks(turns) == []


def test_a_detail_denied_in_its_clause_is_not_told():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "我是他爸爸，他出去了。"),
        ("a", "好的叔叔，我是某某金融的，我们不会跟您说他借款的事，麻烦您让他回个电话。"),
    ]
    assert leaks(turns) == []


@pytest.mark.parametrize("who", ["您是他这笔借款的保证人，", "您当时给他做了连带责任担保，"])
def test_a_guarantor_named_by_the_agent_may_hear_the_debt(who):
    turns = [
        ("a", "喂，请问是何萍女士吗？"),
        ("c", "我是，郑凯是我表弟，怎么了？"),
        ("a", f"何女士，我是某某金融的，{who}他的借款逾期三个月了，本金两万。"),
    ]
    assert leaks(turns) == []


def test_talk_about_the_debtors_friends_circle_is_no_third_party():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "是我。"),
        ("a", "我是某某金融的，你再不还，我把你朋友圈截图配上欠款记录发出去。"),
    ]
    assert leaks(turns) == []


# --- exaggeration: a proceeding claimed to exist, not one stated as a lawful possibility ------

OPENING = [("a", "喂，请问是郑凯吗？"), ("c", "是我。"), ("a", "您好，我是某某金融的，本次通话会录音。")]
CLOSING = [("c", "我知道了，月底前我想办法。"), ("a", "好的，那就月底。")]


def rules_only():
    """The rules alone: these tests are about what the lexicon reads, not the classifier."""
    config = copy.deepcopy(load_config())
    config["detection"]["classifier"]["enabled"] = False
    return config


def exaggerated(text):
    return bool(findings_for(OPENING + [("a", text)] + CLOSING, "exaggeration", config=rules_only()))


@pytest.mark.parametrize(
    "text",
    [
        "你这笔借款纠纷已经在西城区法院立了案，开庭通知这两天就寄到。",
        "公司已经把你的材料递交到法院了，你等着收传票吧。",
        "你的纠纷现在在我们法院走调解，这周五是最后期限。",
    ],
)
def test_a_claimed_proceeding_is_exaggeration(text):
    assert exaggerated(text)


@pytest.mark.parametrize(
    "text",
    [
        "一旦进入诉讼程序了，费用就要按法院判的来。",  # a condition
        "再协商不下来的话，案子就会移交到法院去了。",
        "您现在已经达到起诉的条件，但我们还是希望先协商。",  # a lawful possibility, no case
        "公司已经在考虑起诉，我这边先帮您争取分期。",  # a plan, not a proceeding
        "您收到的那条短信说已经立案了，那不是我们发的。",  # reported from elsewhere
        "判决书生效后，不履行的话法院才会强制执行。",  # how the law works
        "我们下个月开始执行新的还款计划，您每月还一千。",  # 执行 a plan, not enforcement
    ],
)
def test_lawful_conditional_or_reported_proceedings_are_not(text):
    assert not exaggerated(text)


def test_a_rules_own_cancelling_cues_cancel_only_its_hits(tmp_path):
    (tmp_path / "exaggeration.yaml").write_text(
        textwrap.dedent(
            """
            category: exaggeration
            clauses: ["GB 5.2.1.2"]
            rules:
              - id: filed
                patterns: ["已经立案"]
                cancel:
                  - {name: 条件, cues: ["如果"], before: 10, sentence: true}
              - id: prison
                terms: ["坐牢"]
              - id: broken
                terms: ["抓人"]
                cancel: [{name: 缺窗口, cues: ["如果"]}]
            """
        ).lstrip(),
        encoding="utf-8",
    )
    with pytest.raises(LexiconError) as err:
        load_category_lexicons(tmp_path, category_table())
    assert "rules[2].cancel[0]: needs before or after" in str(err.value)
    text = (tmp_path / "exaggeration.yaml").read_text(encoding="utf-8")
    (tmp_path / "exaggeration.yaml").write_text(text[: text.index("  - id: broken")], encoding="utf-8")
    [lexicon] = load_category_lexicons(tmp_path, category_table())
    filed, prison = lexicon.rules
    utterance = Utterance(0, Segment(0.0, 1.0, "agent", ""), "agent", None, "", "")
    for text, rule, cancelled in [
        ("如果已经立案了，就按法院的来。", filed, True),
        ("如果还不上，你就等着坐牢。", prison, False),
    ]:
        utterance.text, utterance.sound = text, sound_text(text)
        start = text.index("立案" if rule is filed else "坐牢")
        assert bool(cancelled_by(lexicon, utterance, start, start + 2, rule=rule)) is cancelled


# --- private_channel: the payee is not the lender, whatever the words --------------------------


def private(text):
    turns = OPENING + [("c", "钱我想办法凑。"), ("a", text), ("c", "好吧。")]
    return bool(findings_for(turns, "private_channel", config=rules_only()))


@pytest.mark.parametrize(
    "text",
    [
        "你别在平台上弄了，直接转我，我给你少算点。",  # to the agent
        "这笔钱你跟我私下结清，比走流程快。",
        "两千块交给明天去你那的外访员就行。",  # to someone of theirs
        "把钱转给我们的对接人小周，他统一处理。",
        "我们走中间账户，你先打到那里，后台再给你冲账。",  # a channel no lender uses
        "用云闪付转到这个手机号，转完截个图。",
        "你先汇八百到六二一四八八零零三二九，我这边登记。",  # a number read out
        "那张卡的户名是我们专员，你放心转。",
        "没现金就拿信用卡刷给我，我手上有个收款码，能刷卡。",  # a code the agent holds
        "今晚我们的人去你家拿，你把两千现金备好。",  # cash fetched from home
    ],
)
def test_money_routed_past_the_lender_is_private_channel(text):
    assert private(text)


@pytest.mark.parametrize(
    "text",
    [
        "您在App里还，或者转到我们的对公账户，户名是某某消费金融有限公司。",
        "钱不要转给我，我们个人一律不收款。",
        "唔好转俾任何私人账户，喺App入面还就得。",  # Cantonese: do not transfer to any private account
        "您把钱存进您自己的还款卡，系统晚上自动扣。",
        "您打客服热线也行，打过去也是转到我这里。",  # a call put through, not money
        "凡是让您转到个人账户的，都不是我们的做法。",  # a warning
        "您用手机银行转到这张卡的卡号就行，别转给任何个人。",  # the card itself is the lender's channel
    ],
)
def test_the_lenders_channel_and_warnings_are_not(text):
    assert not private(text)


def test_whoever_answers_after_the_debtor_is_called_to_the_phone_is_the_debtor():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "我是他奶奶，他在楼上打游戏……小凯，电话！"),
        ("c", "喂，哪位？"),
        ("a", "郑凯是吧？我是某某金融的，您身份证后四位多少？"),
        ("c", "七七二零。"),
        ("a", "好的，您那笔借款逾期五十天，欠款四千二。"),
    ]
    assert leaks(turns) == []


def test_the_debtor_letting_a_relative_hear_it_is_consent():
    turns = [
        ("a", "喂，请问是郑凯吗？"),
        ("c", "是我。"),
        ("a", "我是某某金融的，您的借款逾期了，想跟您商量一下。"),
        ("c", "这些我不懂，你跟我女儿讲吧，她来处理……囡囡，你来。"),
        ("c", "喂，我是他女儿。"),
        ("a", "您好，他这笔欠款四千二，逾期五十天，可以在App里还。"),
    ]
    assert leaks(turns) == []


@pytest.mark.parametrize(
    "answer",
    [
        "谁是郑凯？我不认识。",
        "我不是郑凯，他跟我一个车间的，手机扔我这了。",
        "郑凯是我外孙，你找他做啥？",
    ],
)
def test_a_listener_who_says_they_are_not_the_one_named(answer):
    turns = [("a", "喂，郑凯，你那笔五千八什么时候还？"), ("c", answer), ("a", "那你让他回个电话。")]
    assert leaks(turns) == [0]
