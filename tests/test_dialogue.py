import copy

import pytest
from detect_helpers import findings_for, make_call

from pipeline.config import load_config
from pipeline.detect.dialogue_file import load_dialogue_rules
from pipeline.detect.registry import default_registry
from pipeline.detect.roles import ANSWERED, QUESTION, RoleGuesser, RoleWords, best_roles
from pipeline.detect.sound import sound_text
from pipeline.text import LEXICON_DIR
from pipeline.yamldoc import LexiconError

CLEAN_BODY = [("a", "您的账单已经逾期十天了，今天能处理吗？"), ("c", "好的，我下午还。")]


def test_disclosure_in_first_turns_is_fine():
    turns = [("a", "喂，您好，请问是张伟吗？"), ("c", "是我。"), ("a", "您好，我这边是招联消费金融的。")] + CLEAN_BODY
    assert findings_for(turns, "missing_disclosure") == []


def test_disclosure_after_line_check_is_still_early():
    turns = [
        ("a", "喂？"),
        ("a", "喂喂，听得到吗？"),
        ("c", "听得到。"),
        ("a", "您好，请问是张伟本人吗？"),
        ("c", "对。"),
        ("a", "我是宏图信用管理公司的，找您核实一下账单。"),
    ] + CLEAN_BODY
    assert findings_for(turns, "missing_disclosure") == []


def test_agency_field_counts_as_a_name():
    call = make_call([("a", "您好，我是安信的，请问是张伟吗？")] + CLEAN_BODY, agency="安信信用管理有限公司")
    assert [f for f in default_registry().analyze(call) if f.category == "missing_disclosure"] == []


def test_no_institution_named_is_flagged_over_the_window():
    turns = [
        ("a", "喂，是张伟吗？"),
        ("c", "是。"),
        ("a", "你那个钱到底还不还？"),
        ("c", "过几天。"),
        ("a", "我是催收公司的，别拖了。"),
        ("c", "知道了。"),
        ("a", "最晚周五。"),
        ("c", "嗯。"),
        ("a", "我们是某某金融的，记得还款。"),
    ]
    [finding] = findings_for(turns, "missing_disclosure")
    assert finding.segment_index is None
    # window: the agent's first three substantive turns (0, 6, 12 s) and every agent turn
    # starting within 20 s (18 s); the name at 24 s is too late
    assert (finding.start, finding.end) == (0.0, 20.5)
    assert "未表明" in finding.explanation and "第24.0秒才提到机构" in finding.explanation


def test_personal_name_alone_is_not_a_disclosure():
    turns = [("a", "喂，您好，请问是张伟吗？"), ("c", "是我。"), ("a", "我是小王，找您说一下还款的事。")] + CLEAN_BODY
    [finding] = findings_for(turns, "missing_disclosure")
    assert "自我介绍“我是小王”没有说明机构" in finding.explanation


def test_garbled_institution_name_still_counts():
    turns = [("a", "喂您好 请问是张伟吗"), ("c", "是我"), ("a", "您好这边是中银消费金荣的工作人员")] + CLEAN_BODY
    assert findings_for(turns, "missing_disclosure") == []


THIRD_PARTY_OPEN = [("a", "喂，您好，请问是张伟吗？")]


def test_debt_told_to_a_colleague_is_a_leak():
    turns = THIRD_PARTY_OPEN + [
        ("c", "不是，我是他同事。"),
        ("a", "我是某某金融的，他欠我们八千块，已经逾期三个月了。"),
        ("c", "这跟我有什么关系？"),
        ("a", "那你能不能帮他先还上？"),
    ]
    leaks = findings_for(turns, "third_party_leak")
    assert [f.segment_index for f in leaks] == [2, 4]
    assert "我是他同事" in leaks[0].explanation and "金额" in leaks[0].explanation
    assert "要求代还" in leaks[1].explanation


def test_call_back_message_to_a_third_party_is_allowed():
    turns = THIRD_PARTY_OPEN + [
        ("c", "我是他妈妈，他不在家。"),
        ("a", "好的阿姨，麻烦您转告他尽快回电，我们是某某小额贷款公司的。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


def _bound_by(*documents):
    config = copy.deepcopy(load_config())
    config["detection"]["bound_by"] = list(documents)
    return config


def test_third_party_who_offers_to_pay_hears_the_amount_only_where_gb_does_not_bind():
    """The ruling in categories.md: GB wants the debtor's consent; NIFA and HN allow the details."""
    turns = THIRD_PARTY_OPEN + [
        ("c", "他是我儿子，他欠你们多少？我帮他还吧。"),
        ("a", "我是某某金融的，一共是三千二百元。"),
    ]
    assert findings_for(turns, "third_party_leak")
    assert findings_for(turns, "third_party_leak", config=_bound_by("NIFA", "HN")) == []


@pytest.mark.parametrize("sent", ["他昨天跟我说了，让我替他把这个月的钱交了。", "是他托我来处理的，你说要还多少。"])
def test_third_party_the_debtor_sent_to_pay_may_hear_the_amount(sent):
    turns = THIRD_PARTY_OPEN + [("c", f"我是他表姐。{sent}"), ("a", "好的，这期一共是三千二百元，在App里还。")]
    assert findings_for(turns, "third_party_leak") == []


def test_debt_talk_with_the_debtor_is_not_a_leak():
    turns = THIRD_PARTY_OPEN + [("c", "是我。"), ("a", "我是某某金融的，您欠款八千元已经逾期三个月了。")]
    assert findings_for(turns, "third_party_leak") == []


def guesser_rules():
    return default_registry().preparer.rules


@pytest.fixture(scope="module")
def guesser() -> RoleGuesser:
    return default_registry().preparer.roles


def test_roles_are_guessed_on_mono_calls(guesser):
    texts = [
        "喂？",
        "喂您好，我是某某金融的，请问是张伟先生吗？",
        "我是他同事，他不在。",
        "麻烦您转告他尽快回电。",
        "好的。",
    ]
    roles = guesser.guess(texts, [sound_text(t) for t in texts], ["unknown"] * len(texts))
    assert [role for role, _ in roles] == ["customer", "agent", "customer", "agent", "customer"]
    assert all(reason for _, reason in roles)


MONO_CALLS = [
    # a comma ends an unfinished sentence: the same speaker goes on
    (
        ["请问是李娜女士吗？", "是我。", "李女士好，上个月那笔账单，", "到现在还差一千二没有结清。", "嗯，这周末吧。"],
        "ACAAC",
    ),
    # the callee answers for someone else with 您 and asks who calls; the agent asks for a colleague
    (
        ["喂，是星河物流吗？", "是的，您是哪位？", "这边是某某金融，你们仓库有个叫赵磊的司机吗？", "有，你有啥事？"],
        "ACAC",
    ),
    # the agent tells where reporting helps; the customer promises to pay at once
    (
        [
            "喂，孙浩吗？我是某某金融的小周。",
            "嗯，什么事？",
            "有人冒充平台要转私人账户，可以直接报警。",
            "哦，晓得了，我马上还。",
        ],
        "ACAC",
    ),
    # the agent takes up the answer and asks when, in two breaths; the customer names a day
    (
        [
            "请问是高峰先生吗？",
            "是我。",
            "高先生好，某某分期的账单逾期十天了。",
            "最近手头有点紧。",
            "理解，这个情况不少见。",
            "这笔一千八你看什么时候方便处理？",
            "下周三吧。",
        ],
        "ACACAAC",
    ),
    # the customer pushes back at being frightened and records the call, in two breaths
    (["你再拖着不还，后果自己想。", "吓唬谁呢？", "我录音了，你这是恐吓。", "录音随便，钱总归要还。"], "ACCA"),
    # a third party asked to fetch the debtor and to have him call back
    (["喂？", "刘建军在吗？", "不在，出去了。", "那等他回来让他回这个号码。", "行吧。"], "CACAC"),
]


@pytest.mark.parametrize(("texts", "roles"), MONO_CALLS)
def test_the_roles_of_a_mono_call_follow_what_each_side_says(guesser, texts, roles):
    """Agent (A) or customer (C) per turn: what the agent says that a customer does not and the
    other way round, and a sentence left on a comma going on in the same voice."""
    guessed = guesser.guess(texts, [sound_text(t) for t in texts], ["unknown"] * len(texts))
    assert "".join("A" if role == "agent" else "C" for role, _ in guessed) == roles


def test_known_speakers_are_kept(guesser):
    assert guesser.guess(["我是他同事"], [sound_text("我是他同事")], ["agent"]) == [("agent", None)]


def test_mono_findings_say_the_speaker_was_inferred():
    turns = [
        ("u", "喂？"),
        ("u", "喂您好，我是某某金融的，请问是张伟先生吗？"),
        ("u", "是我，什么事？"),
        ("u", "你这种老赖，再不还我们明天就上门。"),
    ]
    [finding] = findings_for(turns, "threat")
    assert finding.speaker == "agent" and finding.segment_index == 3
    assert "说话人由话术推断" in finding.explanation


def test_dialogue_rules_mistakes_are_reported_with_line(tmp_path):
    text = (LEXICON_DIR / "dialogue.yaml").read_text(encoding="utf-8")
    broken = text.replace('"打错了|打错电话', '"(打错了|打错电话', 1)
    (tmp_path / "dialogue.yaml").write_text(broken, encoding="utf-8")
    line = next(i for i, row in enumerate(broken.splitlines(), 1) if "(打错了" in row)
    with pytest.raises(
        LexiconError, match=rf"dialogue\.yaml:{line}: third_party\.not_debtor\[\d+\]: invalid regular expression"
    ):
        load_dialogue_rules(tmp_path)


def test_wrong_number_is_owed_no_disclosure():
    turns = [("a", "您好，是李娜吗？"), ("c", "你打错了，我不认识她。"), ("a", "抱歉，打扰了。")]
    assert [f.category for f in findings_for(turns)] == ["recording_notice"]  # the notice is owed all the same


def test_a_recycled_number_whose_owner_says_others_were_called_for_on_it_is_owed_nothing():
    turns = [
        ("a", "喂，请问是李娜吗？"),
        ("c", "不是，我姓周。"),
        ("a", "请问这个号码您用了多久？"),
        ("c", "一年多了，以前总有人打电话找她。"),
        ("a", "好的，抱歉打扰，我们把号码删掉。"),
    ]
    assert [f.category for f in findings_for(turns)] == ["recording_notice"]


def test_debt_talk_after_the_phone_is_handed_to_the_debtor_is_not_a_leak():
    turns = THIRD_PARTY_OPEN + [
        ("c", "我是他老婆，你等一下，我叫他接电话。"),
        ("c", "喂，我是张伟。"),
        ("a", "张先生您好，我是某某金融的，您的欠款八千元已经逾期了。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


@pytest.mark.parametrize(
    "third_party",
    [
        "我是他室友，他早就不用这个号了。",
        "这号码是我新办的，不认识什么张伟。",
        "喂，我替他接的，他在洗澡。",
        "他在开会，我帮他转达吧。",
        "我是张伟的同事。",
        "他老婆，怎么了？",
        "你找他有什么事？",
        "没有这个人。",
        "我跟他不熟，他的事我不清楚。",
        "他人不在，找他干嘛？",
    ],
)
def test_many_ways_of_saying_one_is_not_the_debtor(third_party):
    turns = THIRD_PARTY_OPEN + [("c", third_party), ("a", "我是某某金融的，他的网贷已经拖了两个多月了。")]
    [leak] = findings_for(turns, "third_party_leak")
    assert leak.segment_index == 2


@pytest.mark.parametrize(
    "leak",
    [
        "他这个账欠着好几个月了你知道吗？",
        "你哥哥欠我们一万二，拖了快半年了。",
        "那你们家里人得想办法帮他还上。",
        "您作为领导帮忙督促一下他还钱。",
        "他信用卡账单逾期45天了。",
        "您催他赶紧把钱还了。",
        "他这个月的最低还款都没交。",
    ],
)
def test_many_ways_of_telling_a_third_party_about_the_debt(leak):
    turns = THIRD_PARTY_OPEN + [("c", "我是他朋友。"), ("a", "我是某某金融的。"), ("c", "嗯。"), ("a", leak)]
    assert [f.segment_index for f in findings_for(turns, "third_party_leak")] == [4]


def test_details_told_just_before_the_listener_says_who_they_are_reached_a_third_party():
    turns = [("a", "喂，是张伟吗？我是某某金融的，你的借款逾期三个月了。"), ("c", "我不是张伟，我是他老婆。")]
    [leak] = findings_for(turns, "third_party_leak")
    assert leak.segment_index == 0 and "听到的是第三人" in leak.explanation


def test_agent_addressing_a_relative_then_telling_the_debt_is_a_leak_in_the_same_turn():
    turns = THIRD_PARTY_OPEN + [("c", "你哪位？"), ("a", "我是某某金融的，您是他爱人吧？他在我们这欠了两万。")]
    [leak] = findings_for(turns, "third_party_leak")
    assert leak.segment_index == 2 and "称对方“您是他爱人”" in leak.explanation


def test_guarantor_may_hear_the_debt():
    turns = THIRD_PARTY_OPEN + [
        ("c", "我是他担保人，他联系不上了。"),
        ("a", "我是某某金融的，他的借款逾期三个月，本金两万。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


def test_asking_a_third_party_only_to_pass_on_a_call_back_is_still_allowed():
    turns = THIRD_PARTY_OPEN + [
        ("c", "他在开会，我帮他转达吧。"),
        ("a", "好的，我是某某金融的，麻烦让他这两天回个电话。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


@pytest.mark.parametrize(
    "about_someone_else",
    [
        "我老公在外地打工，钱都在他那，他不在家我做不了主。",
        "她在医院住院，我得先给她交住院费。",
        "我们已经分手了，那个钱是借给他用的。",
    ],
)
def test_the_debtor_talking_about_someone_else_stays_the_debtor(about_someone_else):
    turns = THIRD_PARTY_OPEN + [
        ("c", "是我。"),
        ("a", "我是某某金融的，您的借款已经逾期二十天了。"),
        ("c", about_someone_else),
        ("a", "我理解，但是这笔欠款三千二还是需要您尽快还上。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


def test_a_hesitant_answer_is_no_confirmation():
    turns = THIRD_PARTY_OPEN + [("c", "嗯？"), ("c", "我是他老婆。"), ("a", "我是某某金融的，他欠款三千二逾期了。")]
    assert [f.segment_index for f in findings_for(turns, "third_party_leak")] == [3]


# --- the agent dialled a contact on purpose (heldout_v1's misses, in other words) ------------

CONTACT_OPEN = [("a", "喂，请问是何静女士吗？"), ("c", "对，我是。")]


@pytest.mark.parametrize(
    "contact_cue",
    [
        "何女士您好，我是某某金融的，您表弟孙浩把您留成了紧急联系人。",
        "何女士您好，我是某某金融的，您同学方涛留了您的电话作为联系人。",
        "何女士您好，我是某某金融的，你们单位是不是有个会计叫马强？",
        "何女士您好，我是某某金融的，想联系一下您丈夫王成先生。",
    ],
)
def test_a_contact_who_confirmed_her_own_name_is_still_a_third_party(contact_cue):
    turns = CONTACT_OPEN + [("a", contact_cue), ("c", "哦，怎么了？"), ("a", "他的借款已经逾期两个月了，还欠九千。")]
    assert [f.segment_index for f in findings_for(turns, "third_party_leak")] == [4]


@pytest.mark.parametrize(
    "someone_elses_debt",
    [
        "他在我们平台的贷款已经逾期两个月了。",
        "您父亲在速贷的借款逾期有一段时间了。",
        "林涛在我们这借的钱到现在都没还。",
        "您先生刘建军在我们这办了分期，这个月又没还。",
    ],
)
def test_speaking_of_someone_elses_debt_shows_the_listener_is_a_third_party(someone_elses_debt):
    turns = CONTACT_OPEN + [("a", "何女士您好，我是某某金融的。"), ("c", "什么事？"), ("a", someone_elses_debt)]
    [leak] = findings_for(turns, "third_party_leak")
    assert leak.segment_index == 4 and "说起他人的欠款" in leak.explanation


def test_asking_for_someone_after_the_listener_confirmed_their_name_undoes_the_confirmation():
    turns = [
        ("a", "喂，是陈先生吗？"),
        ("c", "对。"),
        ("a", "我是某某金融的，我们找一下林涛，他电话打不通。"),
        ("c", "他是我同事，有什么事？"),
        ("a", "我们这边有笔贷款逾期了，金额两万。"),
    ]
    assert [f.segment_index for f in findings_for(turns, "third_party_leak")] == [4]


@pytest.mark.parametrize(
    "answer",
    [
        "这是我爸爸的电话，他在地里干活。",
        "是我妈妈的手机，她在做饭。",
        "嗯他出去打工了，你谁啊？",
        "我是隔壁的，他家没人。",
    ],
)
def test_family_answering_the_debtors_phone(answer):
    turns = [("a", "喂，是周建国吗？"), ("c", answer), ("a", "我是某某金融的，他在我们这的欠款三个月没还了。")]
    assert [f.segment_index for f in findings_for(turns, "third_party_leak")] == [2]


def test_a_question_about_a_workplace_confirms_no_person():
    turns = [
        ("a", "喂，请问是阳光幼儿园吗？"),
        ("c", "对，您找谁？"),
        ("a", "我找一下你们这儿的张红老师。"),
        ("c", "她在上课，你哪里？"),
        ("a", "我是某某金融的，她的贷款逾期了，让她赶紧还。"),
    ]
    assert [f.segment_index for f in findings_for(turns, "third_party_leak")] == [4]


# ... and their hard negatives


def test_a_contact_asked_only_for_a_call_back_hears_no_leak():
    turns = CONTACT_OPEN + [
        ("a", "何女士您好，我是某某金融的，您朋友李伟留了您的电话作为联系人。"),
        ("c", "他怎么了？"),
        ("a", "有些事情需要跟他本人沟通，麻烦您转告他给我们回个电话。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


def test_the_lender_named_before_its_commission_reveals_no_loan():
    turns = THIRD_PARTY_OPEN + [
        ("c", "不是，我是他老婆。"),
        ("a", "我是恒通资产管理公司的，受小白借款委托，想跟他本人聊一下。"),
        ("c", "什么事？"),
        ("a", "麻烦让他回个电话，我们是速贷分期委托的恒通资产管理。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


def test_the_debtors_own_lawyer_stands_in_for_the_debtor():
    turns = THIRD_PARTY_OPEN + [
        ("c", "我是他的代理律师，他委托我处理这件事。"),
        ("a", "好的，收到授权书以后我们再跟您沟通具体的欠款情况。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


def test_a_debtor_pleading_hardship_about_her_husband_stays_the_debtor():
    turns = [
        ("a", "喂，是李梅吧，我是某某金融的，你的账单到期了。"),
        ("c", "嗯……"),
        ("a", "今天能处理吗？"),
        ("c", "我老公住院了，我真的没钱了……"),
        ("a", "那您看下周能先还一部分吗？欠款是四千二。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


def test_the_debtor_told_about_her_own_son_hears_no_leak():
    turns = CONTACT_OPEN + [
        ("a", "何女士，我是某某金融的，你的借款逾期五十天了。"),
        ("c", "我知道。"),
        ("a", "你儿子在实验小学读二年级是吧？"),
        ("c", "你想干嘛？"),
        ("a", "那你的欠款今天必须先还三千。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


def test_naming_the_company_called_is_no_disclosure():
    turns = [
        ("a", "喂，是蓝天物流公司吗？"),
        ("c", "是的，你找谁？"),
        ("a", "我找一下你们这的司机周强。"),
        ("c", "他出车了，你哪位？"),
        ("a", "我姓王，你让他尽快给我回个电话。"),
    ]
    assert [f.category for f in findings_for(turns, "missing_disclosure")] == ["missing_disclosure"]


def test_a_relative_guessing_the_number_changed_is_a_contact_not_a_stranger():
    turns = [
        ("a", "喂，你好，是柳建平吗？"),
        ("c", "不是，我是他哥，他换号了吧？"),
        ("a", "哦，我是他朋友，他电话一直打不通。"),
        ("c", "你找他干嘛？"),
        ("a", "有点事情，麻烦你让他尽快给我回个电话。"),
    ]
    assert [f.category for f in findings_for(turns, "missing_disclosure")] == ["missing_disclosure"]
    stranger = [("a", "喂，你好，是柳建平吗？"), ("c", "打错了，没这个人。"), ("a", "哦，不好意思。")]
    assert findings_for(stranger, "missing_disclosure") == []


@pytest.mark.parametrize(
    "generic, flagged", [("银行金融服务中心", True), ("银行信用卡中心", True), ("中国银行信用卡中心", False)]
)
def test_a_kind_of_institution_without_a_name_is_no_disclosure(generic, flagged):
    turns = [
        ("a", "喂，您好，请问是万丽女士吗？"),
        ("c", "是我。"),
        ("a", f"万女士，我这边是{generic}的，跟您核对一笔逾期。"),
        ("c", "哪一笔？"),
        ("a", "就是一笔五千的欠款，尽快处理。"),
    ]
    assert bool(findings_for(turns, "missing_disclosure")) is flagged


def test_a_guarantor_named_by_the_agent_may_hear_the_debt():
    turns = [
        ("a", "请问是赵亮先生吗？"),
        ("c", "是我。"),
        ("a", "赵先生，我是某某金融的，您是孙伟那笔借款的担保人，他在我们这的借款逾期三个月了，一共两万。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


def test_a_contact_who_says_they_are_no_guarantor_stays_a_third_party():
    turns = CONTACT_OPEN + [
        ("a", "何女士您好，我是某某金融的，您朋友吕超把您留成了紧急联系人。"),
        ("c", "我又不是担保人，关我什么事？"),
        ("a", "您帮他先垫一下，他欠了一万五。"),
    ]
    assert [f.segment_index for f in findings_for(turns, "third_party_leak")] == [4]


def test_asking_the_debtor_whether_her_husband_also_borrowed_is_no_leak():
    turns = CONTACT_OPEN + [
        ("a", "何女士，我是某某金融的，您这笔借款逾期二十天了。"),
        ("c", "那是我老公借的。"),
        ("a", "您老公在我们这也有借款吗？我这边只看到您名下这一笔，欠款三千二。"),
    ]
    assert findings_for(turns, "third_party_leak") == []


def test_the_customers_world_named_with_nimen_is_the_agent_speaking(guesser):
    """你们老板, 你们村: the agent speaks of the customer's world; bare 你们 is the customer's word."""
    texts = [
        "你那个钱拖了半年了，你到底还不还",
        "这个月真的没得",
        "没得是吧，那我们明天就去你厂头找你们老板，让全厂都晓得",
    ]
    roles = guesser.guess(texts, [sound_text(t) for t in texts], ["unknown"] * 3)
    assert [role for role, _ in roles] == ["agent", "customer", "agent"]


def _spoken_roles(guesser: RoleGuesser, texts: list[str]) -> str:
    guessed = guesser.guess(texts, [sound_text(t) for t in texts], ["unknown"] * len(texts))
    return "".join("A" if role == "agent" else "C" for role, _ in guessed)


def test_role_words_lean_to_the_side_that_says_them():
    words = RoleWords.counted(
        [("agent", "您的还款日到了")] * 6
        + [("customer", "我手上没钱")] * 6
        + [("agent", "对啊")] * 3
        + [("customer", "对啊")] * 3
    )
    assert words.lean("您的还款") > 0 > words.lean("没钱了")
    assert words.lean("对啊") == 0
    assert abs(words.lean("您的还款日到了您的还款日到了")) <= words.clip


def test_role_words_count_the_same_file_every_time(tmp_path):
    turns = [("agent", "请您今天处理"), ("customer", "我下周再说")] * 5
    RoleWords.counted(turns).write(tmp_path / "a.json", "test")
    RoleWords.counted(list(reversed(turns))).write(tmp_path / "b.json", "test")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert RoleWords.read(tmp_path / "a.json") == RoleWords.counted(turns)


def test_a_customer_telling_their_troubles_in_two_turns_keeps_the_roles_after_it(guesser):
    """No cue in either of the customer's two turns and no comma between them: the wording of
    hardship talk carries them, where turn order alone hands the second to the agent and shifts
    the rest."""
    texts = [
        "喂您好，请问是孙丽女士吗？",
        "是我。",
        "孙女士，您的分期逾期十二天了。",
        "知道，这两天手头紧。",
        "老公生病住院花了好多钱。",
        "那您看什么时候方便处理？",
        "下个月十号吧。",
    ]
    assert _spoken_roles(guesser, texts) == "ACACCAC"
    assert _spoken_roles(RoleGuesser(guesser_rules(), use_words=False), texts) == "ACAACAC"


def test_the_person_the_phone_was_handed_to_is_the_callees_side(guesser):
    texts = [
        "喂？",
        "你好，请问马丽在吗？我是某某银行信用卡中心的。",
        "她在屋里，我去叫她。",
        "喂，我是马丽。",
        "马女士，您的信用卡账单逾期了。",
        "哦，知道了。",
    ]
    guessed = guesser.guess(texts, [sound_text(t) for t in texts], ["unknown"] * len(texts))
    assert "".join("A" if role == "agent" else "C" for role, _ in guessed) == "CACCAC"
    assert "喂，我是" in guessed[3][1]


def test_a_collector_saying_hello_and_the_firm_is_no_handover(guesser):
    texts = ["喂？", "喂，我是某某消费金融的，找一下李强。", "我就是。"]
    assert _spoken_roles(guesser, texts) == "CAC"


def test_a_question_is_answered_by_the_other_side():
    """A change of speaker after a question is worth more than after a statement: a turn leaning
    weakly to the asker's side still goes to the other."""
    weights = [{"agent": 3.0, "customer": 0.0}, {"agent": 2.0, "customer": 0.0}]
    assert best_roles(weights, [False], [1.5]) == ["agent", "agent"]
    assert best_roles(weights, [False], [ANSWERED]) == ["agent", "customer"]
    assert QUESTION.search("什么时候能还上？") and QUESTION.search("是你本人吗")
    assert not QUESTION.search("我明天还。")
