"""impersonation by mechanism (issue 11): speaking for an authority rather than claiming to be it,
state offices no earlier list held (mediation and arbitration bodies, street and community
offices, financial regulators), an office as the speaker's own, a letter said to come from one;
against truthful agencies, lenders' instructions and advice. Every sentence is written for
these tests; none is copied from a corpus. The rules alone: the classifier is switched off."""

import pytest
from detect_helpers import OPENING, findings_for, lexicon_only, with_model_on
from test_exaggeration_mechanisms import BODY


def flagged_said(text, **fields) -> bool:
    return bool(findings_for(OPENING + [("a", text)] + BODY, "impersonation", config=lexicon_only(), **fields))


@pytest.mark.parametrize(
    "text",
    [
        "我这边是江北区人民调解委员会，找您谈一下网贷纠纷的事。",  # state offices not in the old list
        "这里是市仲裁中心，你的借款合同纠纷已经有结果了。",
        "我是你们片区的网格员，街道让我上门前先跟你通个气。",
        "我这边是地方金融管理局清理办的，你在名单上。",
        "我们是省金融监管局消费者权益保护处的。",
        "我这儿是市检察院经侦科的，你那网贷该处理了。",  # 我这儿是: northern speech's 我这边是
        "我们是，香坊区人民调解委员会，通话有录音。",  # a comma the recogniser put after the claim  # 消费 is no fee (the letter-fee cue)
        "高新区法院把你的案子委派给我们做诉前调解。",  # speaking on behalf of one
        "你们镇上派出所的指导员让我给你带个话，赶紧还。",
        "我们跟区检察院那边是联合办案的，你别不当回事。",
        "我们法院这边不报工号，你按我说的做就行。",  # an office as the speaker's own
        "区公安分局的，你涉嫌骗贷，明天来一趟。",  # named as the answer to who is calling
        "这封是法院的开庭通知，你签收一下。",  # a letter said to come from one
        "明天执行局的同志会直接给你打电话，注意接。",
        "我这是鼓楼区公安分局刑侦大队的，有个情况找你核实。",  # 我这是, said for 我这里是
    ],
)
def test_speaking_as_or_for_an_authority(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们受平台委托，跟您沟通还款的事。",  # a lender's instruction is no authority's
        "如果协商不成，您可以向人民调解组织申请调解，这是您的权利。",  # advice
        "我们跟法院没有任何关系，这点您放心。",  # negated
        "银行以后可能会委托合作的催收机构联系您。",
        "您好，我们是鑫达分期的，想跟您核实一下还款计划。",
        "我这是好心提醒你，真到了法院那一步就麻烦了。",  # 我这是 with no office claimed
        "我就是，法院判了也没用。",  # a claim word then a comma, the body not closing the clause
    ],
)
def test_lenders_advice_and_denials_are_clean(text):
    assert not flagged_said(text)


def test_a_law_firm_naming_itself_on_its_own_call():
    said = "我是正衡律师事务所的调解专员，我们受鑫达分期委托跟您沟通。"
    assert not flagged_said(said, agency="广东正衡律师事务所")
    assert flagged_said(said, agency="鑫达分期")


@pytest.mark.parametrize(
    "text",
    [
        "我是你们乡政府综治办的，有个事要跟你家里说。",
        "这里是消费者投诉热线12378的回访专员，就您的投诉做个回访。",  # a regulator's hotline
        "投诉我们会处理，我们监管这边建议您先还款。",
    ],
)
def test_offices_and_hotlines_of_the_state(text):
    assert flagged_said(text)


def test_an_agency_mediator_naming_the_job_is_no_authority():
    assert not flagged_said("我是调解员，不是执业律师，现在是协商阶段，没有起诉。")


@pytest.mark.parametrize(
    "text",
    [
        "平台报了案，我们这边已经立案侦查了。",  # acts only an authority performs
        "你今天还清，我这边就给你销案。",
        "钱到了我们就暂缓执行。",
        "你配合的话，我们可以不予批捕。",
        "跟你说实话，我其实是公司法务部的律师。",  # a claim owned up to late
    ],
)
def test_acts_only_an_authority_performs(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "还清了我们这边就结案。",  # an agency closes its own account
        "我们可以依法起诉，由法院判决。",
        "如果不还，我们会申请法院查封。",  # asking a court is no claim to be one
    ],
)
def test_an_agency_closing_or_suing_is_no_authority(text):
    assert not flagged_said(text)


def test_a_gap_that_refuses_bu_still_lets_its_homophones_pass():
    # spelt by sound 部 is 不: the prefilter once skipped every 法务部 before the rules ran
    assert flagged_said("我是鑫达分期法务部的律师，姓王。")
    assert not flagged_said("我不是法院的，您放心。")


# --- a document billed, a report said back across the sentence ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "律师函下周做好，工本费要你出。",  # the fee said a clause later
        "律师函照寄，两百块给您加到账上。",  # billed with no word for fee
    ],
)
def test_a_document_billed_to_the_debtor_is_a_fee_not_a_claim(text):
    assert not flagged_said(text)


def test_an_officials_claim_stands_beside_a_fee():
    assert flagged_said("我是市中院的书记员，诉讼费的事待会儿再说。")


def test_the_customers_report_said_back_runs_past_a_comma():
    assert not flagged_said("你说有人自称是法官给你打过电话，还说要寄拘传票给你，对吗？")
    # a report in its own sentence leaves the next one's claim alone
    assert flagged_said("有人冒充我们？我这边是区法院执行局的，跟你说清楚。")


# --- the model alone yields to a rule naming a neighbouring harm on its line ---------------

PROCEEDINGS = "区法院上周已经受理了你的案子，传票这两天就寄到你家。"  # exaggeration's rule, by the ruling


def model_impersonation(turns, line, **fields):
    return with_model_on("impersonation", OPENING + turns + BODY, len(OPENING) + line, **fields)


def test_the_model_alone_takes_a_claim_of_proceedings_for_no_posing_official():
    assert model_impersonation([("a", PROCEEDINGS)], 0) == []


def test_a_posing_officials_claim_of_proceedings_stays_among_the_calls_impersonation():
    turns = [("a", "我是区法院执行局的，专门跟你说这个事。"), ("a", PROCEEDINGS)]
    lines = [f.segment_index - len(OPENING) for f in model_impersonation(turns, 1)]
    assert lines == [0, 1]  # the rule's claim and, beside it, the model's proceedings line


def test_the_model_alone_stands_where_no_rule_names_another_harm():
    [f] = model_impersonation([("a", "这事你今天不给个说法，后面就不是我们来谈了。")], 0)
    assert f.detector == "classifier"


# --- seventh round: police units, complaints bureaus, a lawyer of the collector's own ------


@pytest.mark.parametrize(
    "text",
    [
        "我这边是网安大队的，你在网上借款不还的事我们在查。",  # a police unit by its kind
        "我这里是东城区信访局，你的投诉转到我们这边处理了。",  # a complaints bureau
        "我是县城管局的，找你核实一下你的欠款情况。",  # an office by its place and kind
        "我是省征信管理中心的工作人员，你的记录在我们这。",
        "我是市仲裁院的，你的借款纠纷在我们这里。",
        "我们法务部的律师下午就到你们厂里来，当面谈。",  # a lawyer of the collector's own
        "你稍等，我们这边有个司法所的同志，让他跟你说两句。",  # an official put on the line
        "我以前是派出所的，这种事我见得多了。",  # an office said to be the speaker's old post
    ],
)
def test_police_units_bureaus_and_the_collectors_own_lawyer(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们不能替法院做什么决定，只能跟您协商还款。",  # what the agent cannot do
        "我们不是律师，只是平台委托的催收公司。",
        "您可以去当地信访部门反映，也可以打12378。",  # advice
        "我是深圳市恒通企业服务中心的，受小鹿分期委托。",  # a collector's trading name
        "我以前在银行工作，现在做贷后。",
        "我们已经把您提供的对方账户上报给平台，核实您的身份后再处理。",  # 你的身份 is the debtor's
    ],
)
def test_what_the_agent_cannot_do_advice_and_trading_names_are_clean(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "这是法院的电话，你听好了。",  # the call said to come from one
        "市公安局打过来的，你的事情比较严重。",
        "我们金融办的同志下午会跟你联系。",  # an office as the speaker's own
        "我是银保监局派下来的，核实一下你的欠款。",
    ],
)
def test_the_call_said_to_come_from_an_office(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "您可以拨打法院的电话核实。",  # advice
        "您收到的短信是法院发来的吗？",  # asked about
        "如果有人说是县公安局打来的，您要小心。",
        "这是我们公司的官方电话，您可以回拨。",
    ],
)
def test_advice_and_questions_about_an_offices_call_are_clean(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "法院那边托我给你带句话，赶紧还。",  # relaying for an authority
        "律师那边说了，这周不还就起诉，让我转达一下。",
        "我是调解员，法院派下来的。",  # sent by one
        "我在检察院上班，你这个事我能帮你压下来。",  # a post there claimed
    ],
)
def test_relaying_for_or_sent_by_an_authority(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们会把材料交给合作律所，由律师跟您联系。",  # by sound 由律师 is 有律师: a lawful hand-over
        "您说律师让您转告他？",  # the customer's report said back
        "如果有律师让你转账，千万别转。",  # a warning
    ],
)
def test_a_lawful_hand_over_a_report_and_a_warning_are_clean(text):
    assert not flagged_said(text)


# --- eighth round: a mediation centre on its own call, a body said not to be the state -----


def test_a_mediation_centre_naming_itself_on_its_own_call():
    said = "我是东江金融纠纷调解中心的调解员小陈，这通电话有录音。"
    assert not flagged_said(said, agency="东江金融纠纷调解中心")
    assert flagged_said(said, agency="鑫达分期")
    # ... but not a people's mediation committee, nor the court, on the centre's call
    assert flagged_said("我这边是区人民调解委员会，找您谈谈。", agency="东江金融纠纷调解中心")


@pytest.mark.parametrize(
    "text",
    [
        "我们是华南金融纠纷调解中心，是民间调解机构，不是法院，参不参加您自己定。",
        "我是正衡律师事务所的助理，我们不是法院，目前也没有起诉您。",
    ],
)
def test_a_body_said_not_to_be_the_state_in_the_same_breath(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "你要去投诉就去，那个调解中心都是我们的人。",  # an office said to be the speaker's people
        "我们是安信分期法务部的，我姓李，是执业律师。",  # a lawyer's post after the name
        "我们跟你们镇派出所是一个系统的，你自己掂量。",  # hand in hand with one
    ],
)
def test_an_office_as_the_speakers_people_and_a_lawyers_post_after_the_name(text):
    assert flagged_said(text)


def test_the_model_alone_yields_to_a_centre_named_on_its_own_call_or_said_not_to_be_the_state():
    own = [("a", "东江调解中心这边，我姓陈，跟您约一下调解时间。")]
    assert model_impersonation(own, 0, agency="东江金融纠纷调解中心") == []
    [f] = model_impersonation(own, 0, agency="鑫达分期")
    assert f.detector == "classifier"
    assert model_impersonation([("a", "我们这边只做调解，不是法院，您别紧张。")], 0) == []


@pytest.mark.parametrize(
    "text",
    [
        "我是东湖区市场监管局执法科的，你那笔分期的事要配合调查。",  # an office with its section
        "我这里荆州市中级人民法院执行局，你的案子到我们这了。",  # 我这里 and the name, 是 left out
        "我系镇政府的，你屋里后生欠了钱。",  # 系 as 是
    ],
)
def test_thirteenth_round_offices_named_in_other_words(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "俺是县法院执行庭的，你那个案子俺们这边管。",  # 俺 as 我 in northern speech
        "你先别挂，俺们是区公安分局的，找你问点事。",
        "你先别挂，俺是镇人民法庭的。",
    ],
)
def test_a_claim_said_with_an_as_i_in_northern_speech(text):
    assert flagged_said(text)


def test_a_northern_speaker_naming_their_own_company_claims_nothing():
    assert not flagged_said("俺是鑫达分期贷后部的，你那笔钱啥时候能还上？")


@pytest.mark.parametrize(
    "text",
    [
        "我这里可以帮你查查法院那边的立案流程。",  # a verb between: no name (speaking to the court for the debtor, 帮你跟法院申请, is a claim: fourteenth round)
        "委托到我们这里以后产生的律师费由合同约定。",
        "我们系统里能看到法院的立案信息吗？我查一下。",  # 系统 is no 系
    ],
)
def test_thirteenth_round_help_fees_and_the_system_are_no_claim(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "你先转两千过来，我帮你去找执行庭的法官说说情。",  # speaking to a court for the debtor
        "今天能还上的话，我替你跟派出所那边打个招呼。",
    ],
)
def test_speaking_to_an_authority_for_the_debtor(text):
    assert flagged_said(text)


def test_pointing_the_debtor_to_an_authority_is_no_claim():
    assert not flagged_said("分期的事您可以自己向法院申请，我们这边配合提供材料。")


def test_the_speakers_side_said_to_work_with_an_authority():
    assert flagged_said("我们公司跟区法院是合作单位，你这个案子好办。")
    assert not flagged_said("银行跟征信中心是对接的，逾期会自动上报。")  # another's link, no authority


@pytest.mark.parametrize(
    "text",
    [
        "我们后台跟区法院系统是联网的，逾期满九十天就自动推过去。",
        "我们早就跟你们县法院对接好了，名单一出就同步。",
    ],
)
def test_a_data_link_between_systems_speaks_for_no_court(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "我城西区人民法院的，有个事找你核实一下",  # the 是 a recogniser drops
        "我律师，受委托方委托跟你谈这笔钱。",
    ],
)
def test_a_claim_with_its_verb_dropped(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "我下午去法院的时候顺便问一下。",  # by sound 去 is 区: the place must be written
        "我们不是法院，是平台的贷后部门。",
    ],
)
def test_going_to_an_office_or_denying_one_is_no_claim_with_its_verb_dropped(text):
    assert not flagged_said(text)


def test_the_collectors_own_lawyer_with_a_title_between():
    assert flagged_said("我自己就是我们公司的专职律师，这份材料我来整理。")
