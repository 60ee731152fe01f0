"""Threat false alarms and misses by mechanism (issue 11), each with sentences written for these
tests, none copied from a corpus: other categories' content said through 上门/单位/家人 words
(an arrest, an authority's visit, a visit fee, a child's schooling), reports of past visits,
the customer's question on a mono call, the agent's own relatives, consent-based visits; and the
veiled threats that must still fire (a social call, a condition then a visit, an enumeration of
contacts, dialect 晓得, calling the family as the next step, a warning about the body). Cancelling
cues: a span that holds its own negation, what the agent lacks the power to do, another agent's
words quoted, a denial after the act, lawful conditional consequences; and the harm or exposure
hinted rather than said that must fire. And a finding of the classifier alone yields to a rule
that names a neighbouring harm on the same line."""

import pytest
from detect_helpers import BODY, OPENING, classifier_threats, findings_for, lexicon_only, with_model_on

from pipeline.categories import category_table
from pipeline.detect.lexicon_file import load_category_lexicons
from pipeline.yamldoc import LexiconError


def threat_found(text, speaker="a"):
    turns = OPENING + [(speaker, text)] + BODY
    return bool(findings_for(turns, "threat", config=lexicon_only()))


@pytest.mark.parametrize(
    "text",
    [
        "明天派出所的人就上门把你带走拘留。",  # an arrest: exaggeration or impersonation
        "街道办和网格员下周要一起上门，给你做做工作。",  # an office's visit, not the agent's
        "我们跑一趟上门也是成本，这个油费你出。",  # a visit's cost: extra_fees
        "上周我们同事上门去过了，家里没人。",  # a past visit reported
        "方便的话我们可以上门跟您当面谈，您不同意我们就不去。",  # a visit by consent
        "上次有同事打到你单位那件事，我们已经处理了。",  # a past event named
        "你女儿在三中读书吧，征信不好以后政审都过不了。",  # schooling harmed: exaggeration
        "判决一下来，到时候你们公司的人都会知道。",  # exposure as what a trial brings
        "我一个朋友那边去问过，这种情况可以申请分期。",  # the agent's own friend
        "法官已经裁定了，执行的同志下个月去你家里查封家具。",  # a court's seizure: exaggeration
        "强制执行一启动，人家会到你单位调取工资流水。",
        "你再不配合，明天就有人到你家带你回所里做笔录。",  # a fake arrest
        "如果以后确实需要上门，我们会提前预约，并出示工作证。",  # a lawful visit and its conditions
        "他原来的工作没了，所以一直还不上，这个我们理解。",  # a job lost, told as a fact
        "实在凑不齐，你找你领导预支一点工资也行。",  # the debtor told to reach the boss
    ],
)
def test_other_content_is_not_the_agents_threat(text):
    assert not threat_found(text)


def test_the_customers_question_on_a_mono_call_is_no_threat():
    assert not threat_found("你们会不会上门来找我啊？", speaker="u")


@pytest.mark.parametrize(
    "text",
    [
        "你信不信，今晚就有人去你宿舍找你。",
        "下周我们刚好路过你们厂，顺便去看看你。",  # a visit veiled as a social call
        "哪天我们去你店里坐坐，跟你好好聊聊。",
        "你身体还好吧？想平平安安的就赶紧把钱还了。",  # the body asked after as a warning
        "周五前不到账，我就打你老婆电话。",  # calling the family as the next step
        "再拖的话，我再打你们老板那里问问。",
        "不还钱我们就到你上班的工地来找你。",  # a condition, then a visit anywhere
        "你再不回电话，我们就直接去你家找你。",  # 不回 sounds like 不会 and is no negation
        "你村里家家户户都会晓得你欠钱不还。",  # dialect 晓得 for 知道
        "你那些同学我一个一个打过去问。",  # going through people one by one
        "我们可不敢保证不跟你爸妈说这事。",  # no promise to keep quiet
        "你这是倚老卖老。",
    ],
)
def test_veiled_threats_still_fire(text):
    assert threat_found(text)


# --- cancelling cues -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "你爸妈那边我们一次都没联系过，你别担心。",  # the span holds the agent's own denial
        "你通讯录上的人我们不打，只找你本人。",
        "你们单位的电话我也没打，就想跟你本人谈。",
    ],
)
def test_a_span_holding_its_own_negation_is_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们一个催收公司，哪有权力去你老家抓人，你别听别人瞎说。",
        "说实话我们也没资格去你单位，就是打电话提醒。",
        "我们管不了那么多，更没办法上门，只能请你自己上心。",
    ],
)
def test_what_the_agent_lacks_the_power_to_do_is_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "您反映之前打电话的那位说要去您单位，这个我们已经记下来了。",  # the agent quoting a colleague
        "之前那个同事讲要联系您父母，那是他个人的说法，我们向您道歉。",
    ],
)
def test_another_agents_words_quoted_are_no_threat(text):
    assert not threat_found(text)


def test_the_customer_quoting_another_agent_on_a_mono_call_is_no_threat():
    assert not threat_found("你们的人说要到我家门口堵我，你们这样合法吗？", speaker="u")


@pytest.mark.parametrize(
    "text",
    [
        "去你们公司找你这种做法，我们早就不做了。",  # a denial after the act
        "找您家里人施压，那个是违规的，您放心。",
    ],
)
def test_a_denial_after_the_act_is_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "如果一直协商不成，我们会按合同约定走诉讼程序，由法院依法判决。",
        "逾期记录会如实报送征信，这是规定，不是吓唬您。",
    ],
)
def test_lawful_conditional_consequences_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "我不管你什么理由，下午不到账我就去你单位。",  # the agent's impatience is no negation
        "我们不等了，明天一早就派人上门。",
        "没办法了，明天我就打给你爸妈。",
        "你不接电话，你通讯录的人我们挨个打。",  # the debtor's condition is no negation
    ],
)
def test_impatience_and_conditions_are_no_negation(text):
    assert threat_found(text)


# --- harm and exposure hinted ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "你住的那栋楼我们去过了，夜里回来的时候小心点。",  # danger hinted at night
        "这年头外头什么人都有，你自己掂量。",
        "你这么拖下去，以后你家就别想有安生日子。",  # harassment hinted
        "你是想逼我们换别的办法跟你谈？",
        "你借钱的截图我们都存着，万一哪天传出去，可别怪我们没提醒。",  # exposure hinted
        "我们会让你在你们镇上好好出出名。",
        "你就不怕你闺女在幼儿园被别的家长指指点点？",  # shaming before the child's world
    ],
)
def test_hinted_harm_and_exposure_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "晚上开车回去慢一点，注意安全。",  # care, not menace
        "我们可以换别的方式，比如先还最低额。",  # an offer, not a threat
        "您放心，您的资料不会传出去，我们有保密制度。",
    ],
)
def test_care_and_offers_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们老板和你们村那几个大哥关系好，你心里有数。",  # connections to local heavies
        "派出所里我们是有熟人的，一句话的事。",  # ... or to the police
        "我打个招呼就把你送进去关几天。",  # 关几天 is no 关机 (a phone switched off)
        "再拖下去，我们找上你们工地，你这活也别想干了。",  # the workplace found by the agent
        "你不管他，我们就打到你们车间去。",  # the workplace as the next step
        "下礼拜还不上，我们还要打给你姐姐。",  # the family as the next step
        "你的饭碗也就没了，到时候别哭。",
        "你明明知道他住哪还不讲，这叫包庇，到时候一起追究你。",  # a third party made an accomplice
        "你们经理贵姓？我跟他聊两句，让他把你辞了。",  # the boss asked to fire the debtor
    ],
)
def test_connections_jobs_and_accomplices_fire(text):
    assert threat_found(text)


# --- the classifier alone yields to a rule naming a neighbouring harm --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "你再不还，下周经侦的同志就到你单位把你带走。",  # a fake arrest: exaggeration's rule
        "这个月的上门费八百块，跟欠款一起交。",  # a visit's fee: extra_fees' rule
    ],
)
def test_the_classifier_alone_yields_to_a_rule_naming_a_neighbouring_harm(text):
    assert classifier_threats(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "您这周能不能先还一部分？",  # no rule names another harm: the model's finding stands
        "你再不还，我们就去你单位找你。",  # a threat rule agrees: not the model alone
    ],
)
def test_the_classifier_stands_where_no_rule_names_another_harm(text):
    assert len(classifier_threats(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "这个月还不上，镇上派出所的人就要过来问情况了。",  # the police named: a legal consequence told
        "你要再拖，法院的人下个月就去你们车间了解情况。",  # a court and its people
        "拖到开庭那天，你们厂里自然都清楚了。",  # what a trial brings
    ],
)
def test_the_classifier_alone_yields_on_a_line_naming_the_police_or_a_court(text):
    assert classifier_threats(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "城东支行这边已经把你记下了，接下来的日子你不会好过。",  # 支行 sounds like 执行
        "你嘴巴放干净点，再这样我让你在村里抬不起头。",  # 干净 sounds like 干警
        "我们已经查到你老婆上班的地方了，明天就过去找她。",  # 已经查到 holds the sound of 警察
    ],
)
def test_a_veto_cue_counts_only_as_written(text):
    # the veto reads the repaired line: a cue's homophone in an everyday word is not the cue
    assert [f.detector for f in classifier_threats(text)] == ["classifier"]


@pytest.mark.parametrize(
    "text", ["你要再拖，发院的人下个月就去你们车间了解情况。", "这个月还不上，镇上的警查就要过来问情况了。"]
)
def test_a_misheard_office_still_vetoes_once_repaired(text):
    # homophone repair puts the office back (发院 as 法院) before the veto reads the line
    assert classifier_threats(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "这周再不还，我们派人去你们单位门口拉横幅，写上你的名字。",  # 写上 sounds like 协商
        "不还就天天往你单位打电话，打到你在单位待不住为止。",  # 待不 sounds like 逮捕
    ],
)
def test_a_cancelling_cue_heard_across_other_words_cancels_nothing(text):
    # by sound a cue must keep one of its own characters in place, as homophone repair is guarded
    assert threat_found(text)


def test_a_misheard_negation_still_cancels():
    assert not threat_found("您放心，我们不回上门的，就是电话提醒。")  # 不回 for 不会


def test_a_cue_by_sound_keeps_one_of_its_characters():
    from pipeline.detect.lexicon_file import CancelCue
    from pipeline.detect.sound import cue_sound_text

    cue = CancelCue("试", ["协商", "不会", "费"], before=4, after=None)
    assert cue.found_in(cue_sound_text("写上名字"), by_sound=True) == "协商"  # no written text: no guard
    assert cue.found_in(cue_sound_text("写上名字"), by_sound=True, written="写上名字") is None
    assert cue.found_in(cue_sound_text("我们不回去"), by_sound=True, written="我们不回去") == "不会"
    assert cue.found_in(cue_sound_text("废物"), by_sound=True, written="废物") is None  # one syllable


@pytest.mark.parametrize(
    "text",
    [
        "我们公司从来不会上门，也不会去你们单位找人，就是电话提醒。",  # the lexicon's match, negated
        "他说要把你欠钱的事发到你们村的群里，那是他自己乱讲的。",  # another's words, reported
    ],
)
def test_the_model_alone_yields_where_the_rule_read_the_harm_negated_or_reported(text):
    assert classifier_threats(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "今天不回话，明天我们的人就去你们单位找你。",  # 不回 sounds like 不会: a condition, no negation
        "你再拖着，我保证你在这个厂里待不下去。",  # no lexicon words cancelled
    ],
)
def test_the_model_alone_still_stands_where_no_rule_read_a_negation(text):
    assert [f.detector for f in classifier_threats(text)] in (["classifier"], ["lexicon:threat+classifier"])


# --- the listener: who "your son" is, and whose reach it is -----------------------------------

RELATIVE_ANSWERS = [
    ("a", "喂，请问是刘洋吗？"),
    ("c", "他不在家，我是他妈妈。"),
    ("a", "阿姨好，我是某某金融的工作人员。"),
]


def threat_found_by_relative(text):
    """Whether the agent's ``text``, said to the debtor's mother, is flagged as a threat."""
    turns = RELATIVE_ANSWERS + [("a", text), ("c", "好，我跟他说。")]
    return bool(findings_for(turns, "threat", config=lexicon_only()))


@pytest.mark.parametrize(
    "text",
    [
        "您联系您儿子，让他把这期的钱先处理了。",  # to his mother, her son is the debtor sought
        "麻烦您告诉您儿子，这个月的账单该处理了。",
        "找您儿子可真不容易，打了一个礼拜都没接。",
    ],
)
def test_the_debtor_sought_through_a_relative_is_no_threat(text):
    assert not threat_found_by_relative(text)


def test_the_family_reached_is_still_a_threat_to_the_debtor():
    assert threat_found("你再躲着，我就联系你儿子，让他劝劝你。")


def test_to_third_party_must_be_true_or_false(tmp_path):
    rule = "rules:\n  - id: visit\n    terms: [上门]\n    to_third_party: sometimes\n"
    (tmp_path / "threat.yaml").write_text("category: threat\n" + rule, encoding="utf-8")
    with pytest.raises(LexiconError, match=r"to_third_party: must be true or false"):
        load_category_lexicons(tmp_path, category_table())


@pytest.mark.parametrize(
    "text",
    [
        "你问问你老公，看能不能先帮你垫上这一期。",  # the debtor's own reach, not the agent's
        "麻烦你通知你弟弟一声，让他看一下短信。",
        "您儿子单位在哪您知道吗？我们一直找不到他。",  # asked, not boasted
    ],
)
def test_the_listeners_own_reach_and_questions_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "你不帮忙，那我们就找你爸妈了。",  # a refusal to help is the condition, not a request
        "你儿子在哪个学校我们都知道。",  # where the family is, boasted
    ],
)
def test_refusals_and_boasts_still_fire(text):
    assert threat_found(text)


# --- the customer's words answered, other firms, and facts about calls -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "您说您在厂里都待不下去了，这个情况我们记下了。",  # the customer's words reflected
        "您担心我们会联系您单位？这个您放心。",
        "您可千万别说不想活了，钱的事可以慢慢商量。",  # despair answered with comfort
        "前几年有的平台爆通讯录被处罚，我们这边是正规的。",  # what other firms did
        "上门吓唬人、打家里电话那一套，现在都是违法的。",  # the act called unlawful
        "我们上门一趟要收四百块服务费，您看怎么办。",  # a priced visit: extra_fees
        "我们每天打您手机您都不接电话，只好换个号码。",  # the calls let ring, told as a fact
    ],
)
def test_reflected_words_other_firms_and_facts_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "你说你没钱？那我就天天打你电话。",  # the customer's words, then the agent's own threat
        "以后我们每天打你电话，打到你还为止。",
        "你不管是吧，那我们就天天打你这个号码。",  # calling the listener's own number, as a threat
        "我们会一直打下去，打到你接为止。",  # calling until the debtor gives in
    ],
)
def test_threats_after_reflected_words_still_fire(text):
    assert threat_found(text)


# --- visits offered, the workplace asked for an address, offices, fees -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "我们可以上门，您也可以自己来营业厅，看您哪个方便。",  # a visit offered as a choice
        "您要是愿意，我们派同事上门帮您把分期协议签了。",  # a visit by consent, as a service
        "上门的同事到时候会跟您核对一下还款金额。",
        "上个月我们打过您单位，只是为了核实您现在的联系方式。",  # address repair
        "你再拖下去，有关部门会派人到你公司调查。",  # an office's visit: exaggeration's
        "上门一趟收六百块车马费，这个得您出。",  # a priced visit: extra_fees'
    ],
)
def test_visits_offered_address_repair_offices_and_fees_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "过两天我们上门去看看您。",  # a visit veiled as a call on the debtor
        "你可以不还，我们可以上门慢慢跟你耗。",
    ],
)
def test_visits_announced_as_pressure_still_fire(text):
    assert threat_found(text)


# --- warnings against fraudsters, and care ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "这年头外面什么人都有，谁打电话冒充我们要您转账，您都别理。",  # a warning against impostors
        "最近有人假冒我们公司，说要上门收钱，您别上当。",
        "阿姨身体还好吧？上回听您说腰不舒服。",  # a polite question about health
    ],
)
def test_fraud_warnings_and_care_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "你腿脚还好吧？最近走路可得当心。",  # the limbs asked after as a warning
        "你通讯录里那几十号人，我们一个个打过去。",
    ],
)
def test_menace_about_the_body_and_the_contacts_still_fires(text):
    assert threat_found(text)


# --- veiled harm, mocked powerlessness, the debtor's business, and care ------------------------


@pytest.mark.parametrize(
    "text",
    [
        "你出门在外，最好别在哪条小路上碰到我们。",  # a meeting on the road hinted
        "我要是你，晚上回家就多留意身后。",
        "你真以为我们拿你没办法？",  # powerlessness mocked
        "我们有的是办法，你慢慢拖。",
        "你拖下去，你那个水果摊还开得下去吗？",  # the debtor's business threatened
        "你的脑子是不是坏掉了？",  # an insult in other words
    ],
)
def test_veiled_harm_and_mocked_powerlessness_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "您这情况我们也拿您没办法，只能按合同走诉讼。",  # a plain fact, not mockery
        "今天下雪路滑，您出门当心一点。",  # care
        "您看看您身后的柜子里，合同是不是放那了？",
        "我们有的是时间，您慢慢想清楚再回复。",
    ],
)
def test_plain_facts_and_care_are_no_threat(text):
    assert not threat_found(text)


# --- a customer's turn taken for the agent's on a mono call -----------------------------------

MONO_OPENING = [
    ("u", "喂？"),
    ("u", "喂你好，是张伟吗？我是某某金融贷后的，这个电话有录音。"),
    ("u", "嗯。"),
    ("u", "你那笔三千的借款逾期一个月了，今天要处理一下。"),
    ("u", "我知道。"),
]


def threat_found_on_mono(text):
    """Whether ``text``, the sixth turn of a mono call (roles guessed), is flagged as a threat."""
    turns = MONO_OPENING + [("u", text), ("u", "那你尽快。"), ("u", "嗯，挂了。")]
    return bool(findings_for(turns, "threat", config=lexicon_only()))


@pytest.mark.parametrize(
    "text",
    [
        "你有病吧，我都说了没钱，还打。",  # the debtor's own voice in the line
        "你们这些催收的，真是不要脸。",
    ],
)
def test_the_debtors_own_voice_on_a_mono_call_is_no_threat(text):
    assert not threat_found_on_mono(text)


def test_the_agents_threat_on_a_mono_call_still_fires():
    assert threat_found_on_mono("你再拖，我们就去你单位找你领导。")


# --- the agent's own firm and group, and what the agent will not say --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "您把转账截图发到我们售后群里，我们帮您核对。",  # the customer sends to the agent's group
        "我们领导也都知道您家里的难处，这次给您申请了延期。",  # the agent's own boss
        "你们厂的财务应该都知道怎么开流水。",  # knowing how, not knowing about the debt
        "当着您父母的面，这个事我们不会提。",  # what the agent will not say
    ],
)
def test_the_agents_own_firm_and_what_it_will_not_say_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "再拖下去，你们厂领导迟早都会知道。",
        "我们把你的欠条拍下来发到你老家的群里。",
    ],
)
def test_the_debtors_workplace_knowing_and_group_posts_still_fire(text):
    assert threat_found(text)


# --- insult words that insult no one here -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "您刚才骂了我一句畜生，我不计较，咱们接着说还款。",  # said of the agent
        "我们可从来没说过您是老赖。",  # denied
        "您跟那些故意不还的无赖不一样，我们看得出来。",  # aimed at others the debtor is set apart from
        "我理解，欠钱这种事说出去是挺丢人现眼的。",  # said with sympathy
    ],
)
def test_insult_words_that_insult_no_one_here_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize("text", ["你就是个老赖，还好意思跟我讲条件。", "我没说错吧，你这种人就是个无赖。"])
def test_insults_after_a_comma_still_fire(text):
    assert threat_found(text)


# --- seventh round: the debtor's chat groups, an audience, contempt, calls without end -----------


@pytest.mark.parametrize(
    "text",
    [
        "你们老家那个宗亲群我们已经有人在里头了。",  # the agent inside the debtor's group
        "你们班那个群我也进得去，你自己掂量。",
        "你这个礼拜不处理，我就在你们楼的业主群里说说你的事。",  # said in the group
        "我把你的身份证照片甩进你们亲戚群里，你看怎么样。",  # sent into it
        "你们宿舍那个群，我晚上把截图发进去。",
        "明天中午不到账，你的欠款截图就会挂在你们厂的工友群里。",
    ],
)
def test_the_debtors_chat_group_named_as_a_place_to_post_fires(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们公司群里刚发了通知，系统今晚升级，明天再还也行。",  # the agent's own group
        "有问题您可以加我们的客服群，群里有人解答。",
        "还款截图您发到我们群里就行。",
        "截图你发我就行，不用发群里。",
        "我们不会把您的事情发到任何群里，您放心。",
    ],
)
def test_the_agents_own_group_and_a_denial_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "你再拖，我们就让村里人都评评理。",  # people around the debtor made an audience
        "那就让大家都来认识认识你。",
        "到了月底还没钱，让你左邻右舍都出来看看你这副样子。",
        "过了周末，你们村上都会晓得你欠钱的事。",  # a whole place told it will know
        "信寄过去，你们厂里的人拆开一看就全知道了。",
        "我们会给您学校发个函，让学校领导了解一下您的情况。",
    ],
)
def test_an_audience_made_to_know_fires(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们今天打电话，是要让老人家知道这个情况。",  # what the call is for, told to a relative
        "你跟他讲，让他们知道事情的严重性。",
        "你们小区的人都知道吗？",  # a question
    ],
)
def test_a_call_explained_and_a_question_are_no_audience(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "你这种人我见得多了，嘴上一套背后一套。",  # the debtor as a kind of person
        "下礼拜下礼拜，你说话就跟放屁一样。",
        "三十岁的人了还伸手要钱，真是烂泥扶不上墙。",
        "你还是不是男人，这点钱都扛不住。",
    ],
)
def test_contempt_for_the_debtor_fires(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "两百块？你打发叫花子呢，最少也得一千。",  # the sum scorned, not the debtor
        "你这种情况可以申请停息挂账，我帮您登记。",
    ],
)
def test_a_sum_scorned_and_a_case_described_are_no_insult(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "不还是吧，那就天天打。",  # calls without end, said with no object
        "你这个号码我们每天打十遍，看谁熬得过谁。",  # 每天 is no 没天, 我们每 no 我们没
        "年底之前我每个礼拜都给你老板打一次。",
        "行，挂了我接着打你妈。",
        "你不管是吧，那我们就天天往你们店里打电话。",
        "我们会一直打，打到他还钱为止。",
    ],
)
def test_calls_without_end_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "您的号码一直打不通，所以联系了您登记的紧急联系人。",  # a fact about calls
        "我们打到现在为止都没人接。",
    ],
)
def test_facts_about_calls_are_no_threat(text):
    assert not threat_found(text)


# --- a bare visit: lawful in itself, a threat when the model hears menace or a harm comes with it --


@pytest.mark.parametrize(
    "text",
    [
        "下周三之前不还，我们就上门。",
        "那没办法，月底我们照常家访。",
    ],
)
def test_a_bare_visit_is_no_threat_alone_but_is_when_the_model_agrees(text):
    assert not threat_found(text)
    [finding] = with_model_on("threat", OPENING + [("a", text)] + BODY, len(OPENING), score=0.6)
    assert finding.detector == "lexicon:threat+classifier"  # the rule agrees, below its threshold alone


@pytest.mark.parametrize(
    "text",
    [
        "夫妻共同债务，这个钱法律上你也跑不掉的。",  # a liability claimed: exaggeration's
        "欠银行的躲得了初一躲不了十五，早晚要还。",
        "办法多的是，你那张信用卡不是还有额度吗？",  # the debtor's means, not the agent's
        "再过两天系统就会自动给你通讯录里所有人发提醒。",  # exposure by a system: exaggeration's
        "判决书出来以后会寄到你们村委会张贴。",  # ... or by a trial
        "月底不处理，下个月就去你们公司执行了。",
        "实在凑不齐，那就找你表哥借一点。",  # the debtor sent to borrow, not the family reached
    ],
)
def test_liability_sayings_process_and_borrowing_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "周末之前没钱，我就带上几个兄弟去你摊位上坐坐。",  # men the agent brings along
        "我们那几个兄弟脾气急，下手没个轻重。",
        "你们店里的员工名单我有，一人发一条短信。",  # one message each
        "我们会在你店铺评论区留言，写你欠钱不还。",  # the debtor named in public
        "你老家门口挂个横幅，写上你的名字。",
        "你不想那些视频被你老婆看到吧？",  # 你不想 is the debtor's condition, no negation
        "我直接跟你们经理说说你欠钱的事。",  # the agent telling the boss
    ],
)
def test_men_sent_a_name_in_public_and_the_boss_told_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "还款的时候附言写上您的全名就可以了。",  # a payment memo
        "兄弟，你听我说，这个号码是你登记的。",  # 兄弟 as a form of address
        "你找你兄弟借一点先还上。",
        "你跟你们经理说一声，让他转告王强回个电话。",  # the listener's own act
        "我们不想上门，希望你自己处理。",
    ],
)
def test_a_memo_an_address_and_the_listeners_act_are_no_threat(text):
    assert not threat_found(text)


def test_someone_asked_for_at_the_workplace_by_name_is_no_threat():
    assert not threat_found("您好，我找你们车间的刘海涛，麻烦叫他接一下。")
    assert threat_found("再不还我就找你们公司的领导。")


# --- eighth round: the insult owned, daring shamed, a kind, a face lost, menial work ------------


@pytest.mark.parametrize(
    "text",
    [
        "骂你又怎么样，欠了钱还有脸挂我电话。",  # the insult owned
        "我骂你都算轻的，你自己想想干的什么事。",
        "拖了半年了，你还好意思跟我讲利息？",  # the debtor shamed for daring
        "你们兄弟俩一个德行，借了钱就玩失踪。",  # a kind found in the debtor's kin
        "一个大男人欠钱躲着，真是丢你们村的脸。",  # the home town's face lost
        "这点钱都还不上，干脆回山里放羊去吧。",  # sent back to menial work
        "你那张嘴说出来的话就是放屁。",
    ],
)
def test_owned_insults_contempt_and_shame_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "真不好意思，上次是我把还款日期记错了。",  # an apology, not 还好意思
        "同事那样跟您说话，丢我们公司的脸，我们已经处理了。",  # the agent's own firm's face
        "我们审批的时候也会看申请人的品德行为和收入。",  # 品德行为 is no 德行
    ],
)
def test_apologies_and_the_agents_own_face_are_no_insult(text):
    assert not threat_found(text)


# --- eighth round: places, numbers and sit-ins, the body, the debtor's people reached --------


@pytest.mark.parametrize(
    "text",
    [
        "你不开门是吧，那我们天天去你出租屋门口等你。",  # a place of the debtor's, someone awaited
        "周六我们就去他那个小区的家门口等他。",
        "你们不让他还钱，我们就派几个人上你家住两天。",  # numbers of people
        "我们的人就在你店里坐着不走，看你生意怎么做。",  # a sit-in
        "再躲着，我让人把你腿打折。",  # harm to the body said outright
        "你不说他在哪，我们连你一起收拾。",  # the listener dealt with along with the debtor
        "非要闹到大家都不好看吗？",
    ],
)
def test_places_numbers_sit_ins_and_the_body_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "这周再不还，我们就通知他老板。",  # a condition, then the debtor's people reached
        "现在你表哥知道了，下一个就是你爸妈。",  # the next in line
        "你不处理，你爸妈、你老婆都会知道。",  # the debtor's people told they will all know
        "我把你的欠款发到你通信录上每个人手机上。",  # 通信录 said for 通讯录
        "今天不到账，我们就给你孩子的班主任打个电话。",  # the child's teacher
        "你再不还，我们每天都给你打。",
        "我们会让村委会把你家的低保给停了。",  # the welfare the debtor lives on, cut
        "他再不还，那我们就联系她的公司。",  # the next step, whoever's workplace
    ],
)
def test_the_debtors_people_and_livelihood_reached_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们外访的同事下周会去您家找您核实一下情况。",  # a lawful visit to verify
        "您方便的话，我们去您店里找您当面签一下协议。",  # a visit by consent
        "听说你上个月干活把手指头砸了，先好好养伤。",  # an injury told, not a harm threatened
        "要不然你找他爸妈借一点，先把这期还上。",  # the listener sent to borrow
        "你家里人都知道你在还款了吧？",  # a question
        "你姐姐都知道了，她说会帮你劝劝。",  # what the family already knows
        "下次您也可以让您家人帮您还。",
        "你有空天天给你妈打个电话，她挺惦记你。",  # the listener's own calls
        "以后您的低保补贴也不会受影响。",
    ],
)
def test_lawful_visits_injuries_borrowing_and_questions_are_no_threat(text):
    assert not threat_found(text)


# --- eighth round: the debtor's people and customers told, the daily round, harm veiled -------


@pytest.mark.parametrize(
    "text",
    [
        "你转告他，我们明天直接打给他爸妈。",  # the debtor's people called, said of the debtor
        "今晚不到账，我就给你手机里所有好友发一遍截图。",  # all the contacts
        "你不还，我就挨个私信你的老客户，说你欠钱跑路。",  # the debtor's customers told
        "再拖，我们就去你直播间里刷屏。",  # the debtor's pages filled
        "你每天几点出门几点回家，我们查得到。",  # the daily round known
        "你老公在哪个仓库上班我们也都清楚。",
        "下个月再不还，就不是打电话这么简单了。",  # harm veiled
        "我们那边的小伙子脾气不太好，见了面我可管不住。",
    ],
)
def test_people_customers_the_daily_round_and_veiled_harm_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "还款凭证拍照发到我们公众号的在线客服就行。",  # the agent's own page
        "你爸妈那边我们不会打，你放心。",
        "系统会自动给您所有联系人发提醒短信，这个我们拦不住。",  # a system's doing: exaggeration
        "您家在哪个小区我们不清楚，您留个地址吧。",  # not known
        "出了什么事您都可以先打我们客服电话。",
    ],
)
def test_the_agents_own_page_denials_and_questions_are_no_threat(text):
    assert not threat_found(text)


# --- 老赖 as a register, and the listener sent to borrow (ninth round) ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "再拖下去，你的名字就要进老赖名单了，出门坐高铁都受限。",  # a register: exaggeration
        "以后谁要跟你做生意，上网一查你是老赖，哪个还敢跟你合作？",  # a record looked up
        "实在凑不出来，就找你们老板借一点，下个月从工资里扣。",  # borrowing from the boss
    ],
)
def test_a_register_and_borrowing_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "你这种人就是个老赖，还有脸跟我讲道理？",  # the insult itself still fires
        "再不还，我们就找你老板，让他看看手下是什么人。",  # the workplace reached, not borrowed from
    ],
)
def test_the_insult_and_the_boss_reached_still_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "你跟他讲，再拖着不管，他那个店里以后不会太平。",  # the end of peace, said with 不会
        "我们的人下礼拜就去工地找他，当面把账算清楚。",  # a bare workplace, with when
        "他再躲，我们今天就到学校等他。",
        "他要是一直不露面，你们家里人也都会被通知到。",  # the family reached, in the passive
    ],
)
def test_peace_ended_a_dated_visit_and_the_passive_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "你明天去单位找人事开个收入证明，我们好给你办分期。",  # the listener's errand
        "我们不会让您家里不安宁的，就是提醒您按时还款。",  # denied
    ],
)
def test_the_listeners_errand_and_a_denied_visit_are_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "材料寄到你户籍地，到时候整个小区都知道你被起诉了。",  # a lawsuit known: exaggeration
        "下周法院的干警会到你单位了解情况。",  # an officer's visit: exaggeration
        "前天我们的同事去您家了，您不在，邻居说您出去打工了。",  # a past visit reported
        "您要是不方便转账，我们同事明天到您店里，现金当面交给他也行。",  # a visit to take payment
    ],
)
def test_a_lawsuit_known_an_officer_a_past_visit_and_a_collection_visit_are_no_threat(text):
    assert not threat_found(text)


def test_a_visit_to_corner_the_debtor_still_fires():
    assert threat_found("钱不到账，我们明天就到你店里堵你，看你还往哪躲。")


@pytest.mark.parametrize(
    "text",
    [
        "他手机一直关机，我们也只能打到你们厂里来问问。",  # why the third party is called
        "你老不接电话，我们只好联系你留的紧急联系人。",
        "您一直联系不上，我们只能通知您家里人转告一下。",
    ],
)
def test_a_third_party_reached_as_the_last_resort_is_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "你再不管，我只能去你姐姐家楼下等他了。",  # a visit, not a call
        "你不接电话，我们只能找你家里人，让他们都知道你欠钱不还。",  # a harm beside the reason
    ],
)
def test_a_visit_or_a_harm_beside_the_last_resort_still_fires(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "月底再不还，我们就登报寻人，看他还躲不躲。",  # a notice the agent's side will give
        "我们下礼拜还要去你们镇上，在集市上广播他的名字。",
        "你不配合，我们就把他欠钱的事通报给他们学校。",
        "他老躲着，我们只好找镇上，下一步就在集市上点名。",  # the modal after a gap
    ],
)
def test_a_public_notice_the_agent_will_give_fires(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "逾期满九十天，下一步就是通报到你单位。",  # no one named giving it: the process's
        "按合同约定，我们需要跟您通报一下还款进度。",  # the listener told
        "系统下周会自动公示，你们小区都能查到。",  # a system's notice: exaggeration
    ],
)
def test_a_notice_given_by_no_one_or_to_the_listener_is_no_threat(text):
    assert not threat_found(text)


def test_a_contact_list_held_is_pressure_below_the_threshold_alone():
    assert not threat_found("你借款时授权的通讯录，我们这边都有。")
    assert threat_found("你通讯录我们都有，今晚就挨个打过去问问。")  # what will be done with it


@pytest.mark.parametrize("text", ["你不肯传话，那我们就一直打你。", "他不还，我们只能每天打你了，你别烦。"])
def test_repeated_calls_with_the_phone_left_unsaid_fire(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    ["拖了半年一分不还，你还要脸不要？", "借了钱就躲，你这脸是怎么长的？", "明天去你店门口说道说道，看你这脸往哪搁。"],
)
def test_the_debtors_face_questioned_is_an_insult(text):
    assert threat_found(text)


def test_face_named_without_questioning_it_is_no_insult():
    assert not threat_found("人都是要脸的，您肯定也想早点把这事了结。")


@pytest.mark.parametrize(
    "text",
    [
        "钱不处理的话，你哥以后在厂里怕是不好混。",
        "要不然你在镇上的日子可不好过。",
        "不配合也行，那他在老家就不得安生。",
    ],
)
def test_a_life_made_hard_as_the_price_of_not_paying_fires(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "我明白，您这两年日子也不好过，我们慢慢商量。",  # sympathy: no condition
        "开网约车现在是不好混，这个我们理解。",
    ],
)
def test_a_hard_life_said_in_sympathy_is_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "假如有人说要到您家里找您，您直接报警就行。",
        "万一有人打到您单位说您欠钱，请把号码记下来告诉我们。",
    ],
)
def test_an_act_put_in_a_hypothetical_someones_mouth_is_no_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize(
    "text",
    ["他欠的钱我们写成告示，礼拜天拿到集上去。", "你的头像我们已经印出一沓海报了。"],
)
def test_the_debt_made_into_a_notice_fires(text):
    assert threat_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "你跟他说再不还我们就去他单位找他",  # the agent's own words to pass on, no comma after 说
        "麻烦你和她说月底不还我们就把她的事发到她们家族群里",
    ],
)
def test_a_message_to_pass_on_is_no_reported_speech(text):
    assert threat_found(text)


@pytest.mark.parametrize("text", ["他说你们会去他单位找他", "她说你们要上门"])
def test_what_someone_else_said_still_cancels(text):
    assert not threat_found(text)


@pytest.mark.parametrize("text", ["不然我们明天去你们单位带人", "再不还我们就上门带人"])
def test_someone_taken_away_on_a_visit_is_an_arrest_not_a_threat(text):
    assert not threat_found(text)


@pytest.mark.parametrize("text", ["明天我们带人去你家门口堵你", "下周我们带人上你们厂里找他"])
def test_people_brought_along_on_a_visit_still_fire(text):
    assert threat_found(text)
