"""missing_disclosure, mechanism by mechanism (issue 11). Naming the calling organisation is
open-ended: a brand, a brand and its department, what the organisation is called, a name the call
gives elsewhere, the agency's trade name, a name longer than a person's after 我是. A bare kind, a
trade, a person, a fake official body (a bureau, a court, an association, misheard or not), a name
given only once the listener insisted and a relative taking the wrong-number exemption are no
disclosure; a stranger who says wrong number first is owed nothing. Every sentence is written for
these tests."""

import pytest
from detect_helpers import findings_for, lexicon_only

from pipeline.detect.institutions import trade_name
from pipeline.detect.registry import default_registry

# What the call goes on to say after the introduction; no test depends on its words.
BODY = [("c", "嗯，这个月工资还没发。"), ("a", "理解，那您看月底能先还一部分吗？"), ("c", "行，月底吧。")]


def flagged(turns, **fields) -> bool:
    found = findings_for(turns + BODY, config=lexicon_only(), **fields)
    return any(f.category == "missing_disclosure" for f in found)


def rules():
    return next(d for d in default_registry().detectors if hasattr(d, "finder")).rules


def greeted(greeting: str) -> list[tuple[str, str]]:
    """The agent's greeting asks for the debtor, who says yes and hears the debt."""
    return [("a", greeting), ("c", "是我。"), ("a", "您那笔借款这期没还上，逾期十天了。")]


def opening(introduction: str) -> list[tuple[str, str]]:
    return [
        ("a", "喂，请问是邝家豪吗？"),
        ("c", "是我，哪位？"),
        ("a", introduction),
        ("c", "哦。"),
        ("a", "这期的还款到日子了，您看什么时候处理？"),
    ]


def asked(
    introduction: str, greeting: str = "喂，请问是蒲志成吗？", answer: str = "对，是我。"
) -> list[tuple[str, str]]:
    """The agent asks for the debtor, who says yes; then the introduction and the debt."""
    return [("a", greeting), ("c", answer), ("a", introduction)]


# The debtor says yes and asks who calls before the introduction.
ASKED_WHO_CALLS = {"greeting": "喂，是龚立新吧？", "answer": "是我，你哪位？"}


@pytest.mark.parametrize(
    "introduction",
    [
        "我是朗分期的，跟您说个事。",  # one character of the brand's own and a kind brands end in
        "我代表朗分期联系您。",
        "我是朗分期法务部的。",
        "我们平台叫蓝莓借钱，我是贷后的小何。",  # what the organisation is called
        "受朗分期委托，跟您说个事。",
        "我们蓝莓借钱公司想跟您确认一下。",  # 我们 before the name
        "我这里是蓝莓借钱，跟您说个事。",  # longer than a person's name
        "蓝莓借钱这边的，跟您说个事。",  # the caller placed in the organisation
        "我是代表蓝莓借钱的松果商务。",
        "我系蓝莓借钱嘅，想同你倾下。",  # Cantonese, read as Mandarin
        "我是朗分期的账户专员，姓吴。",  # a job title after X的
        "我是蓝莓借钱的法律顾问，跟您说个事。",
    ],
)
def test_an_open_ended_name_is_a_disclosure(introduction):
    assert not flagged(opening(introduction))


def test_a_brand_and_its_department_said_before_asking_for_the_debtor():
    # unpunctuated, as speech recognition writes it: 是邝家豪吗 asks for the debtor, not the company
    turns = [("a", "喂蓝莓借钱贷后是邝家豪吗"), ("c", "是我。"), ("a", "您这期还款到日子了。")]
    assert not flagged(turns)


def test_a_name_the_agent_gives_later_names_the_institution_where_it_is_first_said():
    turns = [
        ("a", "喂，邝家豪吗？你朗分期那笔一千六，逾期二十天了。"),
        ("c", "嗯，我知道。"),
        ("a", "那今天能处理吗？"),
        ("c", "月底吧。"),
        ("a", "月底哪一天？"),
        ("c", "三十号。"),
        ("a", "行，我记一下。"),
        ("c", "你们是哪个公司的？"),
        ("a", "我是松果资产的，帮朗分期做贷后的。"),
    ]
    assert not flagged(turns)


def test_the_agencys_trade_name_counts_as_heard_before_a_homophone_repair():
    # 的花 is repaired to 的话 (的话 is a word); the agency's trade name is 花橙 as heard
    turns = [("a", "喂，邝家豪吗？你的花橙借条逾期一个月了，今天能还吗？"), ("c", "月底吧。")]
    assert not flagged(turns, agency="深圳花橙网络小额贷款有限公司")


@pytest.mark.parametrize(
    "introduction",
    [
        "我们是正规公司的，跟您说个事。",  # a qualifier is no name
        "我是咨询公司的，跟您说个事。",  # what kind of business is no name
        "我这边是商务服务公司的，跟您说个事。",
        "我是追账的，跟您说个事。",  # the job is no name
        "我们是第三方，跟平台都有合作。",
        "我们是委外机构的，跟您说个事。",
        "我是外访组的，跟您说个事。",  # a team or department is no name
        "我是小张，公司财务这边的。",
    ],
)
def test_a_bare_kind_is_no_name(introduction):
    assert flagged(opening(introduction))


@pytest.mark.parametrize(
    "introduction",
    [
        "我是调解中心的，跟您说个事。",
        "我这边是诉前调解中心的，受朗分期委托。",  # a court's pre-trial mediation, lender beside it
        "我们是网贷清理办公室的，跟您说个事。",
        "我是互联网金融协会的，跟您说个事。",
        "我是执行局的，跟您说个事。",
    ],
)
def test_a_fake_official_body_is_no_institution(introduction):
    assert flagged(opening(introduction))


def test_a_courier_or_other_trade_posed_as_is_no_name():
    turns = [
        ("a", "喂，请问是邝家豪的姐姐吗？"),
        ("c", "是啊，哪位？"),
        ("a", "我这边是快递的，有个件要给邝家豪，他住哪里？"),
        ("c", "他在番禺租房，你到底是哪里的？"),
        ("a", "直说吧，我是收账的，你弟借了八千不还。"),
    ]
    assert flagged(turns)


def test_a_name_given_only_when_asked_which_after_a_bare_kind_and_the_debt_is_late():
    turns = [
        ("a", "喂，请问是邝家豪吗？"),
        ("c", "是的。"),
        ("a", "我们是消费金融公司的，您的借款逾期二十天了，一千六。"),
        ("c", "哪家消费金融？我借了好几个。"),
        ("a", "我们是朗月消费金融，您在朗月借的这笔。"),
    ]
    assert flagged(turns)


def test_a_name_given_at_the_first_who_calls_is_on_time():
    turns = [
        ("a", "喂，请问是邝家豪吗？您的借款逾期二十天了，一千六。"),
        ("c", "哪家的？"),
        ("a", "我们是朗月消费金融。"),
    ]
    assert not flagged(turns)


@pytest.mark.parametrize(
    "says",
    [
        "我是他闺女，他换了新号，这是我的手机。",  # a relative: a contact, owed the name
        "邝家豪是我表弟，这个号码他早不用了。",
    ],
)
def test_a_relative_who_says_wrong_number_is_still_owed_the_name(says):
    turns = [
        ("a", "喂，邝家豪吗？"),
        ("c", "你打错了，" + says),
        ("a", "那你跟他说一声，他那笔八千逾期三个月了，让他赶紧还。"),
    ]
    assert flagged(turns)


def test_a_stranger_who_says_wrong_number_first_is_owed_nothing():
    turns = [
        ("a", "喂，请问是邝家豪吗？"),
        ("c", "打错了，这个号码我刚办的，不认识他。"),
        ("a", "好的，打扰了。"),
    ]
    assert not flagged(turns)


def test_a_lender_mentioned_in_the_debt_talk_but_named_only_once_the_listener_insisted_is_late():
    turns = [
        ("a", "喂，邝家豪吗？你朗分期那笔一千六，逾期二十天了。"),
        ("c", "你哪位？"),
        ("a", "你先说今天能不能还。"),
        ("c", "你不说是哪里的，我凭什么跟你说？"),
        ("a", "行行行，我是朗分期贷后的。"),
    ]
    assert flagged(turns)


@pytest.mark.parametrize(
    "greeting",
    [
        "您好这里是青岚城商行电话录音请问是邝家豪先生吗",  # a bank's kind as its staff shorten it
        "您好，青岚个贷中心，电话录音，请问是邝家豪先生吗？",  # a bank's loan department speaks for it
        "您好青岚城商行个贷中心通话录音请问是邝家豪先生吗",  # unpunctuated, as speech recognition writes it
    ],
)
def test_a_bank_named_by_its_shortened_kind_or_its_loan_department_is_a_disclosure(greeting):
    assert not flagged(greeted(greeting))


@pytest.mark.parametrize(
    "greeting",
    [
        "您好，我们是城商行的，电话录音，请问是邝家豪先生吗？",  # the kind alone names no bank
        "您好，我是个贷中心的，电话录音，请问是邝家豪先生吗？",  # the department alone neither
        "您好，我们是资产公司，受城商行委托，请问是邝家豪先生吗？",
    ],
)
def test_a_bank_kind_or_department_without_a_name_is_no_disclosure(greeting):
    assert flagged(greeted(greeting))


@pytest.mark.parametrize(
    "says",
    [
        "啥？没这个人，这号我用了好几年了。",  # nobody of that name
        "我们家没有叫邝家豪的。",
        "没听说过这人。",
        "号码是我新办的，以前谁用的我不知道。",  # the number is newly theirs
    ],
)
def test_a_stranger_who_says_nobody_of_that_name_is_there_is_owed_nothing(says):
    turns = [("a", "喂，您好，请问是邝家豪先生吗？"), ("c", says), ("a", "好的，打扰您了。")]
    assert not flagged(turns)


@pytest.mark.parametrize("says", ["是我，你谁啊？这号码我不认识。", "我不认识你，你哪位？"])
def test_not_knowing_the_caller_is_no_wrong_number(says):
    turns = [("a", "喂，您好，请问是邝家豪先生吗？"), ("c", says), ("a", "您那笔借款逾期十天了。")]
    assert flagged(turns)


def test_an_agent_who_told_the_debt_before_hearing_nobody_of_that_name_is_there_still_owed_the_name():
    turns = [
        ("a", "喂，邝家豪吗？你那笔装修贷逾期三个月了，八千多，今天怎么说？"),
        ("c", "啥？没这个人。"),
        ("a", "哦，那打扰了。"),
    ]
    assert flagged(turns)


@pytest.mark.parametrize(
    ("greeting", "names"),
    [
        ("您好这里是青岚借钱通话录音请问是邝家豪先生吗", True),  # run into the recording notice
        ("喂您好这里是青岚借钱请问是邝家豪先生吗", True),  # run into the question
        ("您好我是青岚商务的请问是邝家豪先生吗", True),  # 我是X的 run into the question
        ("您好我是青岚商务的通话录音请问是邝家豪先生吗", True),
        ("您好这里是催收公司电话录音请问是邝家豪先生吗", False),  # a kind run in names nobody
        ("您好这里是通话录音请问是邝家豪先生吗", False),
        ("您好我是催收公司的请问是邝家豪先生吗", False),
        ("喂，我是处理欠款的，我们今天的通话有录音，请问是邝家豪先生吗", False),  # 今天 is talk, no name
        ("喂朗分期的电话录着音，请问是邝家豪先生吗", True),  # the opening clause's X的 run in
        ("喂朗分期的邝家豪是吧", True),  # ... run into asking for the debtor
        ("喂，邝家豪的爱人吗？", False),  # a person's name run in: no kind, no institution
    ],
)
def test_an_unpunctuated_introduction_ends_where_the_notice_or_the_question_begins(greeting, names):
    assert flagged(greeted(greeting)) is not names


@pytest.mark.parametrize(
    "greeting",
    [
        "您好，我是青岚借钱的智能语音助手，本次通话录音，请问是邝家豪先生吗？",
        "您好，我是青岚借钱的AI客服，请问是邝家豪先生吗？",
        "您好青岚借钱智能助理为您服务请问是邝家豪先生吗",
        "您好，这里是青岚借钱还款提醒，请问是邝家豪先生吗？",
    ],
)
def test_a_robot_that_speaks_for_a_named_brand_discloses_it(greeting):
    assert not flagged(greeted(greeting))


@pytest.mark.parametrize(
    "greeting",
    [
        "您好，我是智能客服小青，请问是邝家豪先生吗？",  # a robot's own name is no institution
        "您好，我是平台的智能语音助手，请问是邝家豪先生吗？",
        "您好，这里是智能还款提醒，请问是邝家豪先生吗？",
    ],
)
def test_a_robot_that_names_no_brand_discloses_nothing(greeting):
    assert flagged(greeted(greeting))


@pytest.mark.parametrize(
    "greeting", ["您好，这里是小橙分期，请问是邝家豪先生吗？", "喂，这边是老乡花钱包，请问是邝家豪吗？"]
)
def test_a_brand_that_opens_with_xiao_or_lao_names_the_caller(greeting):
    assert not flagged(greeted(greeting))


def test_xiao_and_a_surname_alone_is_still_a_person():
    assert flagged(greeted("喂，这边是小刘，请问是邝家豪吗？"))


@pytest.mark.parametrize(
    "introduction",
    [
        "我这里是梧州市信访局，你投诉桂东银行的事转到我们这了。",
        "这里是南宁市金融纠纷调解中心，关于你在桂东银行的欠款。",
        "我这边是钦州海关缉私分局，你在桂东银行的账户涉案了。",
    ],
)
def test_a_fake_office_that_names_the_lender_beside_it_hides_the_caller(introduction):
    assert flagged(opening(introduction))


@pytest.mark.parametrize(
    "introduction",
    [
        "我们是桂林中院的，你的借款纠纷要配合调查。",  # a court by its rank
        "我是柳州市政府下属的，受朗分期委托联系您。",  # the lender named beside the pose
        "这边是国家互联网借贷整治办的，你的情况报上来了。",
        "我是东盟商贸城管委会的，有人反映你拖欠贷款。",
        "我这里是贺州市金融纠纷调节中心的，受朗分期委托。",  # misheard: 调节 for 调解, matched by sound
        "我是法苑的，受朗分期委托联系您。",  # misheard: 法苑 for 法院
        "我这边是北海市互联网金融调解中心，你有笔借款转过来了。",  # a place and kinds: no name
        "我们钦州金融纠纷调解中心的，受朗分期委托联系您。",  # 我们X的, without 是
        "我是桂岭金融办的，你的欠款归我们管。",  # 桂岭金融 is a name only up to the office's word
        "我梧州市人民检察院的，找你核实一下网贷的事。",  # 我X的, without 是
        "我江州市金融监管局的，受朗分期委托联系您。",  # a place that sounds like a verb (将) after 我
        "我这边梧州市金融纠纷人民调解委员会的，受朗分期委托联系您。",  # the 是 dropped by the recogniser
        "我这边是梧州市交警支队的，你那台车的贷款出了问题。",  # the traffic police
        "我是市车管所的，你名下那台车贷款没还清。",
    ],
)
def test_a_state_body_by_rank_office_or_place_is_a_pose(introduction):
    assert flagged(opening(introduction))


@pytest.mark.parametrize(
    "introduction",
    [
        "我是中原消费金融的，跟您说个事。",  # 中原 sounds like 中院: the name holds it, no pose
        "我这边桂岭调解中心，受朗分期委托联系您。",  # a named centre, 是 left out
        "我是梧州市朗悦信息咨询公司的，跟您说个事。",  # a place in front of a name
        "我是朗分期的，我们跟法院是联网的。",  # 我们 and a court after: no pose
        "我跟法院的同事都说过了，我是朗分期的。",  # 我 and a verb: talk, no pose
        "我这边出的函就跟法院的一样，我是朗分期的。",  # 我这边 and talk before the 的
    ],
)
def test_a_name_that_sounds_like_an_authority_or_sits_in_a_place_still_names(introduction):
    assert not flagged(opening(introduction))


@pytest.mark.parametrize(
    "introduction",
    [
        "我是消金公司的，跟您说个事。",  # a suffix said alone is a kind
        "我们这边是小额贷款的，跟您说个事。",
        "我是房贷公司的，跟您说个事。",  # a kind of loan and a suffix
        "我们上次见过的，我小邓啊。",  # talk, and a person
        "就梧州这边的，跟您说个事。",
        "我是城西街道综治办的，有人反映你欠款。",  # a street office
    ],
)
def test_a_kind_talk_or_an_office_in_the_name_s_place_names_nobody(introduction):
    assert flagged(opening(introduction))


def test_a_lender_the_agent_tells_the_listener_to_borrow_from_is_not_the_callers():
    turns = [
        ("a", "喂，是邝家豪吗？"),
        ("c", "是我。"),
        ("a", "你那笔钱拖了两个月了，没钱就去借，借呗、美团借钱都能借，先把这个还了。"),
    ]
    assert flagged(turns)


def test_a_lender_named_in_a_when_question_is_the_callers_not_the_one_asked_about():
    turns = [
        ("a", "喂，你在青岚借钱欠的那笔什么时候还？"),
        ("c", "嗯，这个月工资还没发。"),
        ("a", "那你月底前处理一下。"),
        ("c", "行吧。"),
        ("a", "月底记得还，别再拖了。"),
        ("c", "知道了。"),
        ("a", "还的时候在App里操作。"),
        ("c", "好。"),
        ("a", "那先这样，我是鹏达信用，受青岚借钱委托的。"),
    ]
    assert not flagged(turns)


@pytest.mark.parametrize(
    ("agency", "trade"),
    [
        ("成都青犁分期（四川）信息技术有限公司", "青犁"),  # 分期 is any loan, not the brand
        ("济南禾丰融资租赁有限公司", "禾丰"),  # finance leasing is a kind of business
        ("乐分期网络小额贷款有限公司", "乐分期"),  # but a brand of one character keeps its ending
    ],
)
def test_the_trade_name_is_never_a_kind_of_business(agency, trade):
    assert trade_name(agency, rules()) == trade


def test_a_loan_called_by_its_kind_does_not_say_the_agencys_name():
    turns = [("a", "喂，蒋二牛吗？你那台收割机的分期，三千多了，还不还？"), ("c", "是我。")]
    assert flagged(turns, agency="成都青犁分期（四川）信息技术有限公司")
    assert not flagged(
        [("a", "喂，蒋二牛吗？我青犁的，你那台收割机的分期该还了。"), ("c", "是我。")],
        agency="成都青犁分期（四川）信息技术有限公司",
    )


def test_an_official_body_posed_with_wo_zhe_shi_hides_the_institution():
    turns = [("a", "喂，蒋二牛吗？"), ("c", "嗯。"), ("a", "我这是东湖区公安分局的，你在分期乐的欠款有人报案了。")]
    assert flagged(turns)
    assert not flagged([("a", "喂，蒋二牛吗？"), ("c", "嗯。"), ("a", "我这是蓝莓借钱的，你这期还款到日子了。")])


def test_the_lender_by_its_function_is_a_kind_not_a_name():
    turns = [("a", "喂，你那一万块到底还不还？"), ("c", "你哪儿的？"), ("a", "我们是放款的，你别管那么多。")]
    assert flagged(turns)


@pytest.mark.parametrize(
    "pose",
    [
        "我是县水利局的，你在分期乐那笔钱再不还就要处理你了。",  # a bureau of any kind is a state body
        "我是青犁区金融纠纷调解中心的，你在分期乐那笔钱要调解了。",  # the trade name as the body's place
    ],
)
def test_a_state_body_whose_name_begins_with_a_place_or_trade_is_posed(pose):
    turns = [("a", "喂，蒋二牛吗？"), ("c", "嗯。"), ("a", pose)]
    assert flagged(turns, agency="成都青犁信息技术有限公司")


def test_the_agency_named_before_a_commission_it_claims_from_a_court_is_disclosed():
    turns = [("a", "喂，蒋二牛吗？"), ("c", "嗯。"), ("a", "我这边是青犁信息受东湖区人民法院委托，跟你说下欠款的事。")]
    assert not flagged(turns, agency="成都青犁信息技术有限公司")


# What follows 我是 or comes before the question: an organisation's name, a person, a kind, a trade


@pytest.mark.parametrize(
    "introduction",
    [
        "我是橡果农服，您那期棚膜款还差八百没还。",  # a name of four characters, alone in its clause
        "我就是橡果农服，您那期棚膜款还差八百没还。",
        "我们是青稞易购科技，您那期棚膜款还差八百没还。",
    ],
)
def test_a_name_longer_than_a_persons_after_wo_shi_names_the_caller(introduction):
    assert not flagged(asked(introduction))


@pytest.mark.parametrize(
    "introduction",
    [
        "我是王建国，您那期棚膜款还差八百没还。",  # three characters: a person's name
        "我是客服小周，您那期棚膜款还差八百没还。",  # a kind and a person
        "我是催收专员，您那期棚膜款还差八百没还。",  # kinds only
    ],
)
def test_a_person_or_a_kind_after_wo_shi_names_nobody(introduction):
    assert flagged(asked(introduction))


@pytest.mark.parametrize(
    "introduction",
    [
        "我是青稞易购小韩，您那期棚膜款还差八百没还。",  # the person right after the name
        "蒲哥好我是青稞易购小韩咱这通话是录着音的您那期棚膜款还差八百",  # unpunctuated, notice run in
        "我是青稞易购的这个电话我们有录音您那期棚膜款还差八百",  # the notice run in after 的
    ],
)
def test_a_name_run_into_a_person_or_the_recording_notice_names_the_caller(introduction):
    assert not flagged(asked(introduction))


def test_a_full_personal_name_before_xiao_is_no_organisation():
    assert flagged(asked("我是王小明，您那期棚膜款还差八百没还。"))


def test_a_name_then_the_recording_notice_then_the_question_names_the_caller():
    turns = [("a", "喂，您好，青稞易购，电话录音，是蒲志成吗？"), ("c", "是我。"), ("a", "您那期棚膜款还差八百没还。")]
    assert not flagged(turns)


@pytest.mark.parametrize(
    "greeting",
    [
        "喂，你好，我小韩，是蒲志成吗",  # a person's 小 and surname before the question
        "喂，蒲志成是你哥吧？",  # the one asked for, then 是 + a relation
    ],
)
def test_a_person_before_the_question_names_nobody(greeting):
    turns = [("a", greeting), ("c", "是我。"), ("a", "您那期棚膜款还差八百没还。")]
    assert flagged(turns)


@pytest.mark.parametrize(
    "introduction",
    [
        "我是青稞易购打给您，您那期棚膜款还差八百没还。",  # the name, then the call it makes
        "这边是青稞易购给您来电，您那期棚膜款还差八百没还。",
    ],
)
def test_a_name_then_the_call_it_makes_names_the_caller(introduction):
    assert not flagged(asked(introduction))


def test_a_person_then_the_call_names_nobody():
    assert flagged(asked("我是小韩打给您，您那期棚膜款还差八百没还。"))


@pytest.mark.parametrize(
    "introduction",
    [
        "我是放贷的，你那笔装修分期拖了两个月了。",  # lending is a trade, no name
        "你欠我们装修贷款八千，拖了两个月了。",  # a kind of loan, not a lender said as the caller's
    ],
)
def test_a_trade_or_a_kind_of_loan_names_nobody(introduction):
    assert flagged(asked(introduction, **ASKED_WHO_CALLS))


def test_what_we_did_is_no_name_of_ours():
    # 我们借的 is 我 + 们借 to the introduction pattern's bare 我: talk, no name
    turns = [
        ("a", "喂，是杜晓燕吗？"),
        ("c", "不是，我是她表妹。"),
        ("a", "她那笔装修钱拖了两个月了，那钱就是我们借的。"),
    ]
    assert flagged(turns)


# Authorities and official bodies: posed, misheard, or only sounded like


def test_a_bureau_heard_by_one_syllable_is_no_pose():
    # 菊 sounds like 局: one syllable heard is no bureau; the brand after 我是 still names the caller
    turns = asked("我是菊香花的客服，您那期棚膜款还差八百没还。")
    assert not flagged(turns)


def test_a_bureau_written_out_is_still_a_pose():
    turns = asked("我是县农业局的，你在菊香花的欠款我们要处理了。")
    assert flagged(turns)


@pytest.mark.parametrize(
    "introduction",
    [
        "我是湖北松涛绿师事务所的周律师，你那笔装修分期拖了两个月了。",  # 律师 heard as 绿师
        "我是松涛律诗事务所的律师助理，你那笔装修分期拖了两个月了。",  # ... as 律诗, a word of its own
        "我这边是绿师事务所的，你那笔装修分期拖了两个月了。",  # and no name at all
    ],
)
def test_a_law_firm_misheard_is_no_lenders_name(introduction):
    assert flagged(asked(introduction, **ASKED_WHO_CALLS))


def test_a_name_that_only_begins_with_an_authoritys_sound_still_names_the_caller():
    # 中原 sounds like 中院 but is a word of its own, and the name goes on past it
    assert not flagged(asked("我是中原鑫达资产管理的，你那笔装修分期拖了两个月了。", **ASKED_WHO_CALLS))


@pytest.mark.parametrize(
    "introduction",
    [
        "我这边是九江市消协的，有商家说你那台冰箱的分期一直没还。",  # a consumers' association
        "我们是省网信办的，你那笔装修分期拖了两个月了。",  # the internet office
        "我是县物流协会的，你那笔装修分期拖了两个月了。",
    ],
)
def test_an_association_or_the_internet_office_posed_as_is_no_institution(introduction):
    assert flagged(asked(introduction, **ASKED_WHO_CALLS))


def test_a_name_heard_like_an_authority_with_none_of_its_characters_still_names_the_caller():
    # 众源 sounds like 中院 but keeps none of its characters: no mishearing of it
    assert not flagged(asked("我是众源小贷的，你那笔装修分期拖了两个月了。", **ASKED_WHO_CALLS))


def test_a_hospitals_office_is_a_kind_of_institution_not_a_name():
    turns = [("a", "喂，是杜晓燕吗？我这边是县医院财务室的，你那笔手术分期拖了两个月了。"), ("c", "是我。")]
    assert flagged(turns)


# Wrong numbers and late names


@pytest.mark.parametrize(
    "says",
    [
        "唔係，你打错。",  # no 了 after it, the clause ends
        "你打错咗，我唔识呢个人。",  # Cantonese, read as Mandarin
        "打错哒，我不认得他。",  # Hunanese 哒 for 了
    ],
)
def test_a_stranger_who_says_wrong_number_in_any_words_first_is_owed_no_name(says):
    turns = [("a", "喂，请问是骆文斌吗？"), ("c", says), ("a", "好的，不好意思，打扰了。"), ("c", "嗯。")]
    found = {f.category for f in findings_for(turns, config=lexicon_only())}
    assert "missing_disclosure" not in found and "recording_notice" in found


def test_a_name_given_only_after_the_listener_asked_where_from_twice_is_late():
    turns = [
        ("a", "喂，是龚立新吧？我这边是贷后部的。"),
        ("c", "是我，你哪的？"),  # 哪的: 哪里的 as many say it
        ("a", "你那笔装修分期拖了两个月了，三千二。"),
        ("c", "我问你到底哪的？"),
        ("a", "松果分期的。"),
    ]
    assert flagged(turns)


# The agency's trade name


@pytest.mark.parametrize(
    ("agency", "trade"),
    [
        ("襄阳松柏手机分期服务有限公司", "松柏"),  # what is sold on credit
        ("南平青岚法律咨询服务有限公司", "青岚"),  # legal advice is a kind of business
        ("宜昌启明教育科技有限公司", "启明"),
        ("荆门泰和融资担保有限公司", "泰和"),  # a guarantor by trade
    ],
)
def test_the_trade_name_is_no_word_for_the_kind_of_business(agency, trade):
    assert trade_name(agency, rules()) == trade


def test_the_goods_the_loan_bought_do_not_say_the_agencys_name():
    turns = [
        ("a", "喂，是邹小勇吗？"),
        ("c", "不在，我是他同学。"),
        ("a", "你跟他说，他手机分期欠了一千八，再拖就找他学校。"),
    ]
    assert flagged(turns, agency="襄阳松柏手机分期服务有限公司")


def test_the_agencys_trade_name_still_names_it():
    turns = [("a", "喂，是邹小勇吗？我是松柏分期的，你那部手机的分期拖了一个月了。"), ("c", "是我。")]
    assert not flagged(turns, agency="襄阳松柏手机分期服务有限公司")


@pytest.mark.parametrize(
    "message",
    [
        "那麻烦您跟他说一声，让他给朗分期回个电话。",
        "您见到他让他回电话给朗分期，号码他知道。",
        "那您帮忙带个话，就说朗分期找他，谢谢您。",
    ],
)
def test_a_message_naming_who_to_call_back_names_the_caller(message):
    turns = [("a", "喂，您好，请问是邝家豪吗？"), ("c", "他不在，我是他同事。"), ("a", message)]
    assert not flagged(turns)


@pytest.mark.parametrize("message", ["那您跟他说，就说小王找他。", "那您让他给我回个电话。"])
def test_a_message_naming_a_person_or_nobody_names_no_caller(message):
    turns = [("a", "喂，您好，请问是邝家豪吗？"), ("c", "他不在，我是他同事。"), ("a", message)]
    assert flagged(turns)


@pytest.mark.parametrize(
    "line",
    [
        "没钱就去借，京东金条、分期乐、拍拍贷，总有一个能批。",
        "你手机上有没有借呗花呗？开一个先把这笔平了。",
        "你把微粒贷或者360借条开通了，先挪一点过来。",
    ],
)
def test_lenders_listed_as_the_listeners_options_name_no_caller(line):
    turns = [
        ("a", "喂，是邹小勇吗？"),
        ("c", "是我，怎么了？"),
        ("a", "你那笔一万二拖了三个月了。"),
        ("c", "没钱。"),
        ("a", line),
    ]
    assert flagged(turns)


def test_traditional_characters_in_talk_are_read_as_talk():
    turns = [("a", "喂，是邹小勇吗？"), ("c", "是我。"), ("a", "那笔经营贷都是我們管的，拖了四个月了。")]
    assert flagged(turns)
    assert not flagged([("a", "喂，是邹小勇吗？"), ("c", "是我。"), ("a", "我是朗分期的，你那笔拖了四个月了。")])


def test_a_mono_line_naming_the_agency_before_the_customer_speaks_is_the_agents():
    agency = "青岚消费金融有限公司"
    # the guess may give the introduction to the customer: the agency's name says whose it is
    turns = [
        ("u", "喂，请问是邹小勇先生吗？"),
        ("u", "青岚消费金融贷后，通话录音。"),
        ("u", "您这期分期又逾期了，已经十天。"),
        ("u", "我知道，这两天就还。"),
    ]
    assert not flagged(turns, agency=agency)
    # a customer who has spoken already and names the lender did not disclose for the agent
    late = [
        ("u", "喂，你那笔八千逾期三个月了，还不还？"),
        ("u", "你找谁？"),
        ("u", "你不是邹小勇吗？"),
        ("u", "是我，你哪的？"),
        ("u", "公司的，你借谁的你自己不清楚？"),
        ("u", "我借的是青岚的。"),
    ]
    assert flagged(late, agency=agency)


def relative_told(next_turn: str) -> list[tuple[str, str]]:
    """The mother answers; the agent tells her the debt for three turns before the next one."""
    return [
        ("a", "喂，是邝家豪家吗？"),
        ("c", "我是他妈，他上班去了。"),
        ("a", "阿姨，他那笔装修贷欠了一万二，拖了四个月了。"),
        ("c", "啊？他没跟我说过。"),
        ("a", "您劝劝他，这样拖下去对他不好。"),
        ("c", "我晚上跟他说。"),
        ("a", "他一直不接我们电话。"),
        ("c", "那我让他打回去。"),
        ("a", next_turn),
    ]


def test_a_relative_told_the_name_in_the_next_turn_unasked_was_told_in_time():
    assert not flagged(relative_told("行，让他今天回电话，我们是朗分期贷后的。"))


def test_a_relative_who_had_to_ask_or_never_heard_a_name_was_not():
    asked = relative_told("行，让他今天回电话。")[:-1] + [("c", "你到底是哪个公司的？"), ("a", "朗分期贷后的。")]
    assert flagged(asked)
    assert flagged(relative_told("行，让他今天就回电话。"))
