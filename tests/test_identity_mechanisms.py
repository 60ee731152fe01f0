"""Who is on the line, the kinds of talk issue 11 (item 7) found on calls by other writers: a
confirmation that was someone else's, a denial taken back, long names, more kinds of listener,
a detail the agent declines to tell, the organisation's business, guarantors and co-borrowers,
recognition spacing. Sentences written for these tests."""

from detect_helpers import listening, make_call, segments

from pipeline.detect.registry import default_registry
from pipeline.detect.sound import sound_text, sounds_alike_over_the_phone
from pipeline.text import normalize_spacing

LEAK, UNVERIFIED = "third_party_leak", "unverified_identity"


# a confirmation that was someone else's


def test_a_yes_from_someone_who_then_says_they_are_family_reached_a_third_party():
    turns = [
        ("a", "喂，你是鲁秀英吧？"),
        ("c", "嗯，你说嘛。"),
        ("a", "你在兴农小贷那笔一万五的贷款，已经逾期七个月了。"),
        ("c", "哎哟，那个是我嫂子的事，我是她小姑子，她去镇上赶集了。"),
        ("a", "那你回去跟她讲，再不还下个月就要上门了。"),
    ]
    reading = listening(turns)
    assert reading.hearings[2].told_first and reading.hearings[4].third_party.kind == "customer_said"
    assert segments(turns, LEAK) == [2, 4]
    assert segments(turns, UNVERIFIED) == [2, 4]  # every leak reached someone never confirmed


def test_a_contact_who_answers_to_their_own_name_then_says_whose_colleague_they_are():
    turns = [
        ("a", "你好，请问是贾文静吗？"),
        ("c", "是我，哪位？"),
        ("a", "我是众诚资产的，想问一下你认不认识熊志飞？"),
        ("c", "认识啊，我是他同事，坐他对面。"),
        ("a", "他在我们这借的两万块逾期半年了，你让他赶紧处理。"),
    ]
    assert segments(turns, LEAK) == [4]


def test_the_debtor_handing_the_phone_to_family_keeps_what_she_was_told():
    turns = [
        ("a", "喂，请问是覃桂芳女士吗？"),
        ("c", "是我。"),
        ("a", "覃女士您好，我是安和银行信用卡中心的，通话录音。您的卡欠款四千二，逾期十五天了。"),
        ("c", "我听不太懂，儿子，你来讲。"),
        ("c", "喂，我是她儿子，我妈让我帮她问问。"),
    ]
    reading = listening(turns)
    assert reading.hearings[2].confirmed and not reading.hearings[2].told_first
    assert segments(turns, LEAK) == []


def test_the_debtor_speaking_of_his_wife_stays_the_debtor():
    turns = [
        ("a", "请问是郝建国先生吗？"),
        ("c", "对，是我。"),
        ("a", "郝先生，您在福鑫贷的借款已经逾期三十天了，待还六千三。"),
        ("c", "那是我老婆借的，她在外地打工。"),
        ("a", "借款人是您，欠款还是要您来处理。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


# a denial the listener takes back


def test_a_listener_who_denied_and_then_admits_is_the_debtor():
    turns = [
        ("a", "喂，你好，是潘志强吗？"),
        ("c", "不是，你打错了。"),
        ("a", "这个号码是潘志强本人登记的，你再想想。"),
        ("c", "……算了，是我，你有什么事。"),
        ("a", "你在速达借的那笔三千六，逾期二十八天了。"),
    ]
    assert listening(turns).hearings[4].confirmed
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


def test_a_relative_saying_yes_to_a_question_about_herself_is_no_admission():
    turns = [
        ("a", "喂，请问是潘志强吗？"),
        ("c", "不是，我是他姐姐。"),
        ("a", "你是他姐姐是吧？"),
        ("c", "对，是我。"),
        ("a", "那你跟他说，他在速达借的三千六逾期二十八天了。"),
    ]
    assert segments(turns, LEAK) == [4]


# long names, late answers


def test_a_long_name_answered_with_the_name_is_a_confirmation():
    turns = [
        ("a", "喂，您好，请问是买买提江·吐尔逊先生吗？"),
        ("c", "喂，我是买买提江·吐尔逊，你说。"),
        ("a", "您好，我是通融金融的，您的借款已经逾期二十天了，欠款两千八。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_asking_who_calls_answers_to_the_name_but_confirms_nothing():
    turns = [
        ("a", "喂，是邬海涛吗？"),
        ("c", "你是哪里的？"),
        ("a", "我是通融金融的，你那笔借款逾期二十天了，两千八。"),
    ]
    hearing = listening(turns).hearings[2]
    assert not hearing.confirmed and hearing.answered
    # the one called took the call as theirs (the tune writers' reading, 19 of 21): no finding
    assert segments(turns, UNVERIFIED) == []
    # ... unless they turn out to be someone else: then it was told unverified, and leaked
    turns.append(("c", "我是他老婆，他出差了。"))
    assert segments(turns, UNVERIFIED) == [2] and segments(turns, LEAK) == [2]


def test_answering_as_the_one_sought_is_answering_to_the_name():
    for answer in ("公证处找我干什么？", "我怎么了？我又没犯法。", "是我咋了", "我知道，我这个月实在还不上。"):
        turns = [
            ("a", "喂，是严春生吗？我是东城公证处的。"),
            ("c", answer),
            ("a", "你在网上借的那笔钱逾期三个月了，一万二。"),
        ]
        assert segments(turns, UNVERIFIED) == [], answer


def test_the_agents_own_introduction_run_into_its_question_is_no_question_about_a_household():
    turns = [
        ("a", "这个电话有录音我是快易借贷后的你是龙小东吧"),
        ("c", "这个是我"),
        ("a", "你那一千八逾期二十天了什么时候还"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_the_agent_checking_whoever_took_the_phone_confirms_them():
    turns = [
        ("a", "喂，请问是戚永年先生吗？"),
        ("c", "我是他爱人，他在楼下，我去喊他。"),
        ("c", "喂，哪位？"),
        ("a", "您好，我是通融金融的，先跟您核对一下，您身份证后四位是多少？"),
        ("c", "三三零八。"),
        ("a", "好的，核对无误。戚先生，您的借款逾期四十天了，待还五千四。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


# more kinds of listener


def test_someone_minding_the_shop_is_a_third_party():
    turns = [
        ("a", "喂，是兴旺五金店吗？找一下你们老板钟国华。"),
        ("c", "老板不在，我是看店的。"),
        ("a", "那你跟他说，他在我们那的经营贷逾期三个月了，十二万。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_the_gatehouse_and_a_worker_asked_for_by_name():
    turns = [
        ("a", "喂，是宏达纸箱厂吗？"),
        ("c", "是门卫室，你找哪个？"),
        ("a", "找你们厂里一个叫韩小兵的搬运工。"),
        ("c", "人太多了，我不认得。"),
        ("a", "他欠我们公司三万多，你让他赶紧还。"),
    ]
    assert segments(turns, LEAK) == [4]


def test_a_child_whose_parent_is_busy_is_a_third_party():
    turns = [
        ("a", "喂，请问是滕丽华吗？"),
        ("c", "我妈妈在做饭，我是她女儿。"),
        ("a", "你跟你妈说，她欠的钱再不还就麻烦了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_in_laws_and_coworkers_are_third_parties():
    for who in ("我是他亲家", "我是他连襟", "我是他工友", "我是他干妈"):
        turns = [
            ("a", "喂，请问是樊志勇吗？"),
            ("c", f"{who}，他手机在我这。"),
            ("a", "那你转告他，他在我们这的借款逾期了，八千块。"),
        ]
        assert segments(turns, LEAK) == [2], who


def test_asking_whether_a_lender_lives_in_the_village_addresses_nobody():
    turns = [
        ("a", "喂，是龚建军吗？"),
        ("c", "是我。"),
        ("a", "你那两万逾期快一年了。你们村不是有个放贷的老板吗？找他周转一下。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


# what is no debt detail


def test_declining_to_tell_a_relative_tells_nothing():
    turns = [
        ("a", "您好，请问是雷振东先生吗？"),
        ("c", "我是他女婿，他在医院。"),
        ("a", "借款人的具体情况按规定只能跟他本人讲，麻烦您让他方便时回个电话。"),
        ("c", "是不是他欠钱了？"),
        ("a", "具体的不方便跟您透露，谢谢理解。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


def test_saying_the_details_are_for_the_debtor_alone_tells_nothing():
    for decline in (
        "贷款的事我们只能告诉他本人，您让他回个电话吧。",
        "欠款这块按规定只能跟借款人本人或者担保人谈。",
        "具体借款情况我需要跟雷振东本人核实，麻烦您转告。",
        "借款的事我得跟他本人说，您让他回个电话。",
    ):
        turns = [("a", "您好，请问是雷振东先生吗？"), ("c", "我是他女婿，他在医院。"), ("a", decline)]
        assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == [], decline


def test_the_debtors_consent_set_as_the_condition_for_paying_tells_nothing():
    for reply in (
        "谢谢您，是雷振东自己让您帮他还的吗？",
        "您的心意我们领了，不过他的借款需要他本人同意，我们才能跟您谈。",
        "麻烦他在APP里授权，说明让您代还，我们再把还款方式告诉您。",
    ):
        turns = [
            ("a", "您好，请问是雷振东先生吗？"),
            ("c", "我是他女婿，他欠你们多少，我替他还。"),
            ("a", reply),
        ]
        assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == [], reply


def test_a_debt_told_beside_a_referral_to_the_debtor_is_still_told():
    turns = [
        ("a", "您好，请问是雷振东先生吗？"),
        ("c", "我是他女婿，他在医院。"),
        ("a", "他的贷款逾期三个月了。具体的需要跟他本人沟通。"),
    ]
    assert segments(turns, LEAK) == [2] and segments(turns, UNVERIFIED) == [2]


def test_the_organisations_business_and_titles_are_no_details():
    for opening in (
        "您好，这里是佳和律师事务所，受优品分期委托处理您账户的非诉讼催收事宜，请问是蒋丽君吗？",
        "喂，您好，我是乐享分期的客服，请问是蒋丽君吗？",
        "您好，这里是兴业银行信用卡中心，我是催收专员小杜，请问是蒋丽君女士吗？",
        "您好，我是恒远律师事务所的，受佳邦银行委托，关于您的信用卡账单跟您联系，请问是蒋丽君吗？",
    ):
        turns = [("a", opening), ("c", "谁啊？")]
        assert segments(turns, UNVERIFIED) == [], opening


# guarantors and co-borrowers


def test_a_co_borrower_is_owed_the_details():
    turns = [
        ("a", "喂，请问是邱海波吗？"),
        ("c", "我是他老婆。"),
        ("a", "您好，您是这笔车贷的共借人，这期月供三千一逾期了，需要您这边处理。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


def test_a_guarantor_who_signed_is_owed_the_details():
    turns = [
        ("a", "喂，请问是薛红梅吗？"),
        ("c", "是我，哪位？"),
        ("a", "我是华融小贷的，您表弟借款的时候您做了担保人。"),
        ("c", "哦，是有这回事。"),
        ("a", "他那笔五万的借款逾期三个月了，按合同您要承担还款责任。"),
    ]
    assert segments(turns, LEAK) == []


# recognition spacing: the calls as read from a file, word by word


def spaced(turns):
    return [(who, normalize_spacing(text)) for who, text in turns]


def test_a_confirmation_spelt_word_by_word_is_read():
    turns = spaced(
        [
            ("a", "喂 你 好 请问 是 柏 子 豪 吗"),
            ("c", "是 我 什么 事"),
            ("a", "我 是 速达 借 的 你 的 借款 逾期 二十 天 了"),
        ]
    )
    assert segments(turns, UNVERIFIED) == []


def test_a_relative_spelt_word_by_word_is_a_third_party():
    turns = spaced(
        [
            ("a", "喂 你 好 请问 是 柏 子 豪 吗"),
            ("c", "我 是 他 舅 妈 他 不 在"),
            ("a", "那 你 跟 他 说 他 的 借款 逾期 二十 天 了 欠 三千 二"),
        ]
    )
    assert segments(turns, LEAK) == [2]


# the fresh tune writers w19 w20: names without pauses, dialect answers, guarantors in other words


def test_a_name_asked_with_no_pause_after_it_is_asked():
    turns = [("a", "喂周晓琳吗花花借的"), ("c", "系。"), ("a", "你欠了三千一逾期四十多天了。")]
    assert segments(turns, UNVERIFIED) == []


def test_a_greeting_run_into_the_institutions_name_leaves_it_a_name():
    turns = [("a", "您好青石小额贷款公司请问是周立新先生吗"), ("c", "是我。")]
    assert segments(turns, UNVERIFIED) == []


def test_asking_what_it_is_about_in_dialect_answers_as_the_one_sought():
    turns = [
        ("a", "喂，您好，请问是龙国庆先生吗？"),
        ("c", "我么子事？"),
        ("a", "您的借款逾期三十天了，欠款四千二。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_a_name_that_sounds_like_a_household_asks_for_a_person():
    # 上官嘉 sounds like 上官家: still a name, the listener is no third party
    turns = [("a", "喂，请问是上官嘉吗？"), ("c", "你哪位？"), ("a", "我是某某金融的，您那笔借款逾期了。")]
    assert segments(turns, LEAK) == []
    assert listening(turns).hearings[2].answered  # a name answered to, not a household


def test_a_guarantee_agencys_name_or_someone_else_said_to_be_a_guarantor_makes_no_guarantor():
    for told in (
        "我是安和融资担保的，他那笔三万的贷款我们代偿了，一直没还。",
        "他是共同借款人，那笔三万的贷款一直没还。",
    ):
        turns = [
            ("a", "请问是蒋立平吗？"),
            ("c", "不是，我是他工友。"),
            ("a", told),
        ]
        assert segments(turns, LEAK) == [2], told


def test_joint_liability_is_a_guarantors():
    turns = [
        ("a", "请问是韦建军先生吗？"),
        ("c", "是我，什么事？"),
        ("a", "您对韦东的借款承担连带责任，他欠款八千，逾期两个月了。"),
        ("c", "那他要是还了呢？"),
        ("a", "他本人把欠款还清，您的保证责任就了结了。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


def test_a_contact_called_by_their_own_name_is_told_they_are_a_contact():
    turns = [
        ("a", "喂，请问是刘芳吗？"),
        ("c", "是我。"),
        ("a", "刘女士您好，我是某某金融的，您是张伟的紧急联系人，张伟的借款逾期了。"),
    ]
    assert segments(turns, LEAK) == [2]


# mono recordings: whose turn it is, read over the whole call


def roles(texts):
    guessed = default_registry().preparer.roles.guess(texts, [sound_text(t) for t in texts], ["unknown"] * len(texts))
    return [role for role, _ in guessed]


def test_a_weak_cue_does_not_outweigh_the_turns_around_it():
    # 你这 leans to the agent, but the customer's question sits between two agent turns
    texts = [
        "喂，您好，请问是张伟先生吗？",
        "是我。",
        "我们是某某金融的，您的借款逾期了。",
        "你这是干嘛？",
        "您尽快处理一下。",
    ]
    assert roles(texts) == ["agent", "customer", "agent", "customer", "agent"]


def test_polite_address_is_the_agents_even_twice_running():
    texts = ["喂，您好，请问是张伟先生吗？", "嗯。", "我是某某金融的。", "您看什么时候方便处理一下？", "下个礼拜吧。"]
    assert roles(texts) == ["agent", "customer", "agent", "agent", "customer"]


def test_the_customer_speaking_of_what_they_will_do_is_the_customer_twice_running():
    texts = [
        "喂，您好，请问是张伟先生吗？",
        "是我。",
        "您的借款逾期二十天了。",
        "我晓得。",
        "我明天去网点还。",
        "好的，那您明天记得。",
    ]
    assert roles(texts) == ["agent", "customer", "agent", "customer", "customer", "agent"]


def test_a_customer_turn_no_longer_taken_for_the_agents_raises_no_alarm():
    # 你这 alone made the customer's denial the agent's, and its 网贷 a detail told unverified
    turns = [
        ("u", "喂，您好，请问是张伟先生吗？"),
        ("u", "谁啊？"),
        ("u", "我们是某某金融的。"),
        ("u", "你这个电话哪来的？我没借过网贷。"),
        ("u", "您是张伟先生本人吗？"),
    ]
    assert segments(turns, UNVERIFIED) == []


# the sixth round: the organisation's own words, answers to the name, the phone passed on


def test_an_office_named_for_the_debts_it_handles_is_no_detail():
    for opening in (
        "喂，是邓国华吗？我这边是全省网贷风险化解专项办公室的。",
        "喂，你好，金穗花逾期处理，请问是邓国华吗？",
        "您好，我们是债务处理中心的，请问是邓国华先生吗？",
    ):
        turns = [("a", opening), ("c", "啥子？")]
        assert segments(turns, UNVERIFIED) == [], opening


def test_the_debt_itself_said_next_to_such_a_word_is_still_a_detail():
    # (the name asked after the details: details said in the same breath after it are read apart)
    turns = [("a", "喂，你这个逾期处理一下，四千二拖了两个月了，是邓国华吗？"), ("c", "啥子？")]
    assert segments(turns, UNVERIFIED) == [0]


def test_following_up_your_loan_as_the_reason_for_the_call_is_no_detail():
    turns = [("a", "喂，韦海龙是吧，我们是桂信咨询，受平果农商行委托跟进您的贷款。"), ("c", "哪个？")]
    assert segments(turns, UNVERIFIED) == []


def test_the_loan_with_its_sum_is_a_detail_even_as_the_reason_for_the_call():
    turns = [("a", "喂，我们是桂信咨询，跟进您的贷款，三万二逾期半年了，韦海龙是吧？"), ("c", "哪个？")]
    assert segments(turns, UNVERIFIED) == [0]


def test_what_did_i_do_after_repeating_who_calls_answers_to_the_name():
    turns = [
        ("a", "喂，是宁晓燕吗？我是市公安局经侦支队的。"),
        ("c", "经侦支队我怎么了"),
        ("a", "你在快易借的借款逾期三个月了，欠八千六。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_what_did_he_do_after_repeating_who_calls_is_someone_elses_question():
    turns = [
        ("a", "喂，是宁晓燕吗？我是市公安局经侦支队的。"),
        ("c", "经侦支队？他又怎么了？"),
        ("a", "你在快易借的借款逾期三个月了，欠八千六。"),
    ]
    assert segments(turns, UNVERIFIED) == [2]


def test_saying_where_one_is_to_the_name_asked_answers_to_it():
    for answer in ("喂，我在田里打药，信号不好。", "我现在在开车，长话短说。"):
        turns = [
            ("a", "喂，请问是蒙春花吗？"),
            ("c", answer),
            ("a", "我是壮乡信用的，你那笔一万一逾期四个月了。"),
        ]
        assert segments(turns, UNVERIFIED) == [], answer


def test_saying_where_one_is_and_asking_who_calls_confirms_nothing():
    for answer, flagged in (("我在店里，你哪位？", []), ("我在上班，他不在这边。", [2])):
        turns = [
            ("a", "喂，请问是蒙春花吗？"),
            ("c", answer),
            ("a", "我是壮乡信用的，你那笔一万一逾期四个月了。"),
        ]
        assert not listening(turns).hearings[2].confirmed, answer
        assert segments(turns, UNVERIFIED) == flagged, answer  # (the second speaks of someone else)


def test_someone_who_takes_the_phone_from_the_debtor_is_a_third_party():
    turns = [
        ("a", "喂，请问是包建军吗？"),
        ("c", "是我，你等一下。"),
        ("c", "喂，你好，我是他同事，他手被机器夹了，送医院去了。"),
        ("a", "那你跟他讲一下，他在速享借的六千块逾期两个月了。"),
    ]
    reading = listening(turns)
    assert reading.hearings[0].third_party is None and not reading.hearings[0].told_first
    assert segments(turns, LEAK) == [3]


def test_family_the_debtor_hands_the_phone_to_may_be_told():
    turns = [
        ("a", "喂，请问是包建军吗？"),
        ("c", "是我，我普通话不好，我叫我女儿来讲。"),
        ("c", "喂，你好，我是他女儿。"),
        ("a", "好的，您父亲在速享借的六千块逾期两个月了，这个月要处理一下。"),
    ]
    assert segments(turns, LEAK) == []
    turns[1] = ("c", "是我。老婆，你来讲。")
    turns[2] = ("c", "喂，我是他老婆，你说吧。")
    assert segments(turns, LEAK) == []


def test_a_son_called_in_dialect_is_a_relation():
    turns = [
        ("a", "喂，是谭建华吗？"),
        ("c", "谭建华？那是我崽。"),
        ("a", "他在易花借的一万二，拖了五个月了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_debtor_speaking_of_her_son_in_dialect_stays_the_debtor():
    turns = [
        ("a", "喂，是谭秀英吗？"),
        ("c", "是我，我崽在旁边吵，你讲。"),
        ("a", "谭女士，你在易花借的一万二，拖了五个月了。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


def test_that_money_of_yours_said_unverified_is_a_detail():
    turns = [("a", "喂，是钟浩吗？"), ("c", "喂？"), ("a", "你在平台那个款你心里没得数？")]
    assert segments(turns, UNVERIFIED) == [2]


def test_that_money_of_yours_said_to_the_confirmed_debtor_is_allowed():
    turns = [("a", "喂，是钟浩吗？"), ("c", "是我。"), ("a", "你在平台那个款你心里没得数？")]
    assert segments(turns, UNVERIFIED) == []


def test_a_mono_answer_that_opens_with_a_pause_and_i_is_the_customers():
    texts = ["喂，你好，小蜜借款客服，请问是曹丽芳吗", "，我在车间，说快点", "好的，先跟你说一下", "你的借款逾期五天了"]
    assert roles(texts)[:2] == ["agent", "customer"]


def test_a_name_asked_in_a_clause_after_the_callers_name_is_asked():
    for opening in ("汾河银行，贺建平先生吗？", "汾河银行信用卡中心，贺建平吗？", "喂，贺建平先生？这边是汾河银行。"):
        turns = [("a", opening), ("c", "是。"), ("a", "您卡上欠款九千一，逾期五十天了。")]
        assert segments(turns, UNVERIFIED) == [], opening


def test_a_yes_to_a_line_check_in_such_a_clause_confirms_nobody():
    turns = [("a", "汾河银行信用卡中心，听得到吗？"), ("c", "是。"), ("a", "您卡上欠款九千一，逾期五十天了。")]
    assert segments(turns, UNVERIFIED) == [2]


def test_a_yes_after_saying_the_name_back_confirms():
    for answer in ("贺建平，对，什么事？", "贺建平？是的。", "中，你说。"):
        turns = [("a", "你好，请问是贺建平吗？"), ("c", answer), ("a", "我是汾河银行的，您卡上欠款九千一。")]
        assert segments(turns, UNVERIFIED) == [], answer


def test_saying_the_name_back_and_asking_about_him_confirms_nothing():
    turns = [("a", "你好，请问是贺建平吗？"), ("c", "贺建平？他不在。"), ("a", "我是汾河银行的，他卡上欠款九千一。")]
    assert segments(turns, UNVERIFIED) == [2]


def test_knowing_the_call_is_about_ones_own_debt_confirms():
    for answer in ("我知道，我那张卡是吧？", "又是催款的吧？"):
        turns = [("a", "你好，请问是贺建平吗？"), ("c", answer), ("a", "我是汾河银行的，您卡上欠款九千一。")]
        assert segments(turns, UNVERIFIED) == [], answer


def test_asking_what_it_is_about_without_a_yes_confirms_nothing():
    turns = [("a", "你好，请问是贺建平吗？"), ("c", "什么事？"), ("a", "我是汾河银行的，您卡上欠款九千一。")]
    hearing = listening(turns).hearings[2]
    assert not hearing.confirmed and hearing.answered


def test_the_name_said_alone_to_open_the_call_asks_for_that_person():
    # the caller greets the listener by the debtor's name instead of asking 请问是…吗: a reply
    # that neither confirms nor denies answered to it, as to the question
    for opening in (
        "喂，贺建平，我是汾河银行的。",
        "喂贺建平我是汾河银行的",  # recognition's spacing taken out
        "喂，贺，建平，我，是，汾河银行，的",  # a name cut by recognition's spacing
        "喂贺老师是",  # 是吧 with its last syllable lost
        "您好，汾河银行的，你是贺建平",  # the question mark lost
    ):
        turns = [("a", opening), ("c", "哪里的？"), ("a", "您卡上欠款九千一，逾期两个月了。")]
        assert listening(turns).hearings[2].answered, opening
        assert segments(turns, UNVERIFIED) == [], opening


def test_an_opening_name_answered_by_someone_else_or_not_heard_still_counts():
    turns = [("a", "喂，贺建平，我是汾河银行的。"), ("c", "喂？听不清。"), ("a", "您卡上欠款九千一，逾期两个月了。")]
    assert segments(turns, UNVERIFIED) == [2]
    turns = [("a", "喂，贺建平，我是汾河银行的。"), ("c", "他出差了，我是他爱人。"), ("a", "他卡上欠款九千一。")]
    assert segments(turns, UNVERIFIED) == [2] and segments(turns, LEAK) == [2]


def test_a_greeting_without_a_name_asks_nobody():
    turns = [("a", "喂，您好，这里是汾河银行。"), ("c", "什么事？"), ("a", "您卡上欠款九千一，逾期两个月了。")]
    assert segments(turns, UNVERIFIED) == [2]


def test_the_kind_of_firm_or_reminder_service_named_is_no_detail():
    for opening in (
        "您好，我们是专业催收公司，请问是贺建平吗？",
        "您好，我是汾河银行委托的催收机构，请问是贺建平吗？",
        "您好，我是信用卡催收的小孟，请问是贺建平吗？",
        "您好，汾河银行信用卡逾期提醒，请问是贺建平吗？",
        "您好，我是汾河银行信用卡账单服务的，请问是贺建平吗？",
    ):
        turns = [("a", opening), ("c", "你哪个？")]
        assert segments(turns, UNVERIFIED) == [], opening


def test_a_debt_told_beside_a_reminder_service_is_still_told():
    turns = [("a", "您好，汾河银行信用卡逾期提醒，您的卡逾期五十天了，请问是贺建平吗？"), ("c", "你哪个？")]
    assert segments(turns, UNVERIFIED) == [0]


# a short answer that phone-audio recognition misheard by sound


def test_phone_audio_blurs_the_hissing_initials_and_wo():
    assert sounds_alike_over_the_phone("指握", "是我") and sounds_alike_over_the_phone("四的", "是的")
    assert not sounds_alike_over_the_phone("是谁", "是我") and not sounds_alike_over_the_phone("十五", "是我")


def test_a_yes_recognition_wrote_as_nonsense_of_its_sound_confirms():
    for answer in ("指握，什么事？", "嗯，四的，你讲。", "队。", "喂，似我，哪位？"):
        turns = [("a", "您好，请问是邵文海先生吗？"), ("c", answer), ("a", "邵先生，您在惠民贷的借款逾期二十天了。")]
        assert segments(turns, UNVERIFIED) == [], answer


def test_a_real_other_answer_that_sounds_close_confirms_nothing():
    for answer in ("不是我。", "是谁？", "你是谁？", "这是他的手机。", "值得吗？", "十点以后再打。"):
        turns = [("a", "您好，请问是邵文海先生吗？"), ("c", answer), ("a", "邵先生，您在惠民贷的借款逾期二十天了。")]
        assert not listening(turns).hearings[2].confirmed, answer


def test_a_misheard_yes_to_a_question_about_the_household_confirms_nobody():
    turns = [("a", "您好，是邵文海家吗？"), ("c", "指握。"), ("a", "您在惠民贷的借款逾期二十天了。")]
    assert segments(turns, UNVERIFIED) == [2]


# more ways the one called answers, and a plan that asks for nobody


def test_a_name_asked_with_a_closing_bu_is_an_identity_question():
    for opening in ("喂，是蔡永福不？", "是蔡永福不"):
        turns = [("a", opening), ("c", "是，哪个？"), ("a", "你在裕民贷的欠款三千四，拖了两个月了。")]
        assert segments(turns, UNVERIFIED) == [], opening


def test_an_office_named_with_a_closing_bu_sound_is_no_question():
    turns = [("a", "喂，这里是裕民贷催收部"), ("c", "嗯。"), ("a", "你在裕民贷的欠款三千四，拖了两个月了。")]
    assert segments(turns, UNVERIFIED) == [2]


def test_complaining_of_the_calls_is_the_one_called_before():
    for answer in ("你们咋又打电话来了，烦不烦。", "嗯，你们，又，催，我说了下个月。"):
        turns = [("a", "喂，请问是蔡永福吗？"), ("c", answer), ("a", "你在裕民贷的欠款三千四，拖了两个月了。")]
        assert segments(turns, UNVERIFIED) == [], answer


def test_complaining_of_the_calls_for_someone_else_confirms_nothing():
    turns = [
        ("a", "喂，请问是蔡永福吗？"),
        ("c", "你们又打来了，他不在。"),
        ("a", "你在裕民贷的欠款三千四，拖了两个月了。"),
    ]
    assert segments(turns, UNVERIFIED) == [2]


def test_answering_as_the_one_accused_or_paying_confirms():
    for answer in ("检察院？我又没犯法。", "我前天刚还了五百。", "是我嘞，咋了？"):
        turns = [("a", "喂，是蔡永福吧？这边裕民贷的。"), ("c", answer), ("a", "你的欠款三千四，拖了两个月了。")]
        assert segments(turns, UNVERIFIED) == [], answer


def test_a_relative_speaking_of_what_he_paid_confirms_nothing():
    turns = [
        ("a", "喂，是蔡永福吧？这边裕民贷的。"),
        ("c", "他上个月还了五百。"),
        ("a", "你的欠款三千四，拖了两个月了。"),
    ]
    assert segments(turns, UNVERIFIED) == [2]


def test_planning_to_contact_an_office_keeps_the_debtor_confirmed():
    for plan in ("我们准备联系一下你们村委会。", "再不还我们会联系一下你单位。"):
        turns = [("a", "请问是蔡永福吗？"), ("c", "是我。"), ("a", plan), ("a", "你的欠款三千四，拖了两个月了。")]
        assert segments(turns, UNVERIFIED) == [], plan


def test_asking_to_speak_to_someone_else_still_undoes_the_confirmation():
    turns = [
        ("a", "请问是蔡永福吗？"),
        ("c", "是我。"),
        ("a", "那麻烦找一下蔡永强。"),
        ("a", "他的欠款三千四，拖了两个月了。"),
    ]
    assert segments(turns, UNVERIFIED) == [3]


# confirmations the seventh round's writers (w29-w32) showed missed


def test_an_agent_getting_in_touch_about_the_debt_asks_for_nobody_else():
    turns = [
        ("a", "请问是邵建平先生吗？"),
        ("c", "是我。"),
        ("a", "邵先生您好，我是恒安资产，受乐途分期委托跟您联系一下账户的事。"),
        ("a", "您的借款逾期四十天，应还两千三。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_a_bare_me_answers_a_name_asked_with_sir_as_recognition_spells_it():
    turns = [("a", "喂，邓志伟先森吗？"), ("c", "哎，我。"), ("a", "你在星河借条的借款逾期二十天了。")]
    assert segments(turns, UNVERIFIED) == []


def test_the_agent_saying_the_check_passed_confirms():
    turns = [
        ("a", "您好，天禾消费金融，请问有什么可以帮您？"),
        ("c", "我叫林慧，你们打过我电话。"),
        ("a", "林女士，请报一下您身份证后四位。"),
        ("c", "八八三零。"),
        ("a", "好的，验证通过。您的借款逾期九天，应还八百六十元。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_the_debtor_taking_the_phone_names_himself_after_a_filler():
    turns = [
        ("a", "请问是高建军吗？"),
        ("c", "他不在，我是他爱人。"),
        ("a", "那麻烦让他回个电话。"),
        ("c", "那个喂，我高建军，什么事？"),
        ("a", "你的贷款逾期两个月了，一共六千四。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


def test_a_denial_taken_back_after_being_asked_only_to_pass_a_message_on():
    turns = [
        ("a", "请问是马丽萍女士吗？"),
        ("c", "不是。"),
        ("a", "那麻烦您转告她给我们回个电话。"),
        ("c", "唉，算了，我就是，你说吧。"),
        ("a", "马女士，您的分期逾期五十天了，欠款三千二。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


def test_saying_what_one_is_after_denying_being_the_debtor_confirms_nothing():
    turns = [
        ("a", "喂，孔师傅，你的车贷两个月没还了。"),
        ("c", "我不是孔师傅，我是保安，他手机落在门岗了。"),
        ("a", "那你让他回个电话，欠的五千块今天必须还。"),
    ]
    assert segments(turns, LEAK) == [0, 2]


def test_a_yes_run_into_what_and_the_name_is_no_yes():
    turns = [("a", "喂，钟晓东吧，你那笔贷款拖了三个月了。"), ("c", "嗯什么钟晓东，你打给谁的"), ("a", "你别装了。")]
    assert not listening(turns).hearings[2].confirmed


def test_a_listener_who_bought_the_number_is_a_stranger():
    for answer in ("我姓吴，这号我是上个月才办的。", "你打给谁？这个号码我买了两年了。"):
        turns = [("a", "喂，雷振华，你在快享借的三千块逾期了。"), ("c", answer), ("a", "不好意思。")]
        assert listening(turns).hearings[2].third_party is not None, answer


# someone else's debt, and who the agent is talking to


def test_the_debtor_told_what_the_agent_will_say_about_him_to_his_staff_stays_the_debtor():
    turns = [
        ("a", "请问是蒋立群吗？"),
        ("c", "是我。"),
        ("a", "你再拖，我就去你店里跟伙计们讲他们老板欠了钱不还。"),
        ("a", "你师傅的工钱欠着，我们的也欠着，先还哪个？"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


def test_a_kin_of_the_debtor_asked_for_by_name_without_de_is_a_third_party():
    turns = [("a", "喂，你是葛立新女儿吧？"), ("c", "是啊，你哪位？"), ("a", "一共八千块，三个月没还了。")]
    assert segments(turns, LEAK) == [2]


def test_asking_whether_the_listener_knows_the_debtor_shows_a_third_party():
    turns = [
        ("a", "喂，是邱老师吗？认识石磊吗？"),
        ("c", "认识，我以前的学生。"),
        ("a", "四千多的借款拖了半年了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_contact_named_after_they_answered_to_their_own_name_is_a_third_party():
    turns = [
        ("a", "喂，是卫大姐吗？"),
        ("c", "是，你哪个？"),
        ("a", "我是闪付借的，谭勇把你填成他的紧急联系人了。"),
        ("c", "哦，那怎么了？"),
        ("a", "一共九千块，半年没还了。"),
    ]
    assert segments(turns, LEAK) == [4]


def test_a_named_member_of_the_listeners_workplace_owing_is_someone_elses_debt():
    turns = [
        ("a", "喂，是顺风物流调度室吗？"),
        ("c", "对，你讲。"),
        ("a", "我是速达车贷的，你们车队的彭亮车贷逾期三个月了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_detail_the_agent_says_was_not_told_is_not_told():
    turns = [
        ("a", "您好，请问是温雅琴女士吗？"),
        ("c", "你们凭什么给我表姐发短信？"),
        ("a", "我们只请她转告您回电，短信里没有提到欠款。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_quoting_a_relatives_question_and_asking_what_one_owes_is_the_debtor():
    turns = [
        ("a", "您好，请问是温雅琴女士吗？"),
        ("c", "我表姐收到短信，她问我不是欠钱了。"),
        ("a", "抱歉给您添麻烦了。"),
        ("c", "算了。那我欠款还有多少？"),
        ("a", "您的借款逾期十二天，应还一千四百元。"),
    ]
    assert segments(turns, LEAK) == []


def test_a_denial_of_something_else_earlier_in_an_unpunctuated_clause_does_not_reach_the_detail():
    turns = [("a", "喂蒙志刚"), ("c", "喂喂"), ("a", "你不用知道我是谁你那笔贷款到底还不还")]
    assert segments(turns, UNVERIFIED) == [2]


def test_what_the_agency_does_for_the_lender_tells_no_debt():
    # (the second as recognition spaces it: the company's name cut in two)
    for opening in ("喂 龚丽 吧 桂中 小额贷款 的", "喂，是龚丽吗？我是鹏达信用的，帮青禾花催收。"):
        turns = [("a", opening), ("c", "嗯，你说。"), ("a", "你的借款逾期三十天了。")]
        assert segments(turns, UNVERIFIED) == [], opening


def test_a_name_given_back_counts_though_a_homophone_repair_ran_into_it():
    turns = [
        ("a", "您好，请问是任佳豪吗？"),
        ("c", "是谁找？我是任佳豪，什么事？"),
        ("a", "任先生，你名下的借款逾期四十天了。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_speaking_of_owing_as_ones_own_debt_confirms():
    turns = [
        ("a", "喂，请问吴锦涛先生吗？"),
        ("c", "哪位？"),
        ("a", "我是鹏达信用，受青岚借钱委托。"),
        ("c", "哦，千万别打给我家里，我妈要是知道我欠网贷就完了。"),
        ("a", "你的借款逾期二十天，三千九百元。"),
    ]
    assert segments(turns, UNVERIFIED) == []


# the eighth round's writers (w33-w38): northern and Hunan answers, recognising the caller, an ID
# number given, a guarantor in other words, the phone grabbed, a mono turn holding both voices


def test_a_northern_answer_with_an_and_a_hunan_mei_confirm():
    for answer in ("俺？找俺干啥？", "俺。", "我冒打过官司，你搞错了吧。", "俺没跟谁有纠纷啊。", "我没有犯法啊。"):
        turns = [
            ("a", "喂，是孔德顺吗？我是东岳调解中心的。"),
            ("c", answer),
            ("a", "你在顺达借的那笔钱逾期四个月了，一万一。"),
        ]
        assert segments(turns, UNVERIFIED) == [], answer


def test_a_northern_relative_is_a_third_party():
    turns = [
        ("a", "喂，您好，请问是葛春梅女士吗？"),
        ("c", "俺不是葛春梅，俺是她大姑子。"),
        ("a", "那你告诉她，她的借款逾期五十天了，四千二。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_speaking_of_the_debt_or_the_promise_as_ones_own_confirms():
    for answer in (
        "我只是借了网贷晚了几天。",
        "我就欠银行那一点。",
        "我说了下个月还，你们急什么。",
        "你怎么知道我的名字？",
    ):
        turns = [
            ("a", "喂，邝志勇吧？我是丰和信用的。"),
            ("c", answer),
            ("a", "你的借款逾期二十五天了，六千三。"),
        ]
        assert segments(turns, UNVERIFIED) == [], answer


def test_recognising_the_caller_from_earlier_dealings_confirms_but_knowing_the_one_sought_does_not():
    turns = [
        ("a", "喂，苗建华吗？我小彭。"),
        ("c", "哪个小彭？"),
        ("a", "去年帮你办贷款的小彭，还记得吧？"),
        ("c", "哦，记得记得，什么事？"),
        ("a", "你这期三千二的月供还没还，拖了十天了。"),
    ]
    assert listening(turns).hearings[4].confirmed
    assert segments(turns, UNVERIFIED) == []  # (贷款 came after 哪个小彭？: they answered to the name)
    turns = [
        ("a", "喂，你认识郁海峰"),
        ("c", "认识，我表哥，咋了"),
        ("a", "他欠我们两万块钱，半年没还了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_complaining_of_the_calls_confirms_unless_speaking_of_family():
    turns = [
        ("a", "请问祁伟先生吗"),
        ("c", "哎我你们烦不烦，天天打"),
        ("a", "不好意思打扰您，您的卡逾期金额是七千六百元。"),
    ]
    assert segments(turns, UNVERIFIED) == []
    turns = [
        ("a", "喂，祁伟在不在？"),
        ("c", "你们又打来！我儿子不在！"),
        ("a", "不在你就跟他讲，七千六，拖了四个月了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_answers_recognition_shortened_or_doubled_confirm():
    for answer in ("的", "我我在开会，不方便。"):
        turns = [
            ("a", "您好，请问是庞丽萍女士是吗？"),
            ("c", answer),
            ("a", "您好，您的分期账单逾期十天，应还八百四十元。"),
        ]
        assert segments(turns, UNVERIFIED) == [], answer


def test_the_id_number_asked_for_and_given_confirms():
    turns = [
        ("a", "您好，岚山银行客服中心，本次通话录音，请问有什么可以帮您？"),
        ("c", "你们昨天给我打了三个电话，什么事？"),
        ("a", "麻烦您报一下姓名和身份证后四位，我帮您查一下。"),
        ("c", "赵丽娟，四七一二。"),
        ("a", "赵女士，查到了，您这期还款逾期两天，欠款一千一百元。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_a_guarantor_in_other_words_is_owed_the_details():
    for question in ("您是不是给您侄子何亮签过一个担保？", "你侄子何亮那笔贷款你担保了，对吧？"):
        turns = [
            ("a", "喂，请问是何大山大爷吗？"),
            ("c", "是我。"),
            ("a", question),
            ("c", "嗯，是有这回事。"),
            ("a", "您侄子这笔贷款逾期了，三个月没还，欠款两万一。"),
        ]
        assert segments(turns, LEAK) == [], question


def test_saying_only_the_debtor_will_tell_tells_nothing():
    for reply in ("借款的事我们只能跟贺先生本人说。", "您不是这笔借款的借款人，具体的得贺先生本人跟您说。"):
        turns = [
            ("a", "您好，请问是贺云飞先生的家属吗？"),
            ("c", "我是他老婆，他欠你们多少？"),
            ("a", reply),
        ]
        assert segments(turns, LEAK) == [], reply


def test_a_debt_only_supposed_is_not_told():
    turns = [
        ("a", "您好，请问是孙长林先生吗？"),
        ("c", "我是他儿子，我爸前年走了。"),
        ("a", "节哀。如果涉及债务，也只在遗产范围内清偿，您不用自己拿钱。"),
    ]
    assert segments(turns, LEAK) == []


def test_someone_who_grabs_the_phone_and_asks_who_calls_did_not_hear_what_came_before():
    turns = [
        ("a", "喂，您好，请问是柏晓雨同学吗？"),
        ("c", "是我。"),
        ("a", "柏同学您好，您的借款逾期二十天，欠款一千六百元。"),
        ("c", "我下个月生活费到了就还。"),
        ("a", "好的，那就下个月十号前。"),
        ("c", "我是她爸爸，你们是干啥的？"),
    ]
    assert listening(turns).hearings[2].confirmed
    assert segments(turns, LEAK) == []


def test_a_son_sent_by_the_debtor_to_listen_may_hear_the_details():
    turns = [
        ("a", "喂，请问是韦秀珍阿姨吗？"),
        ("c", "不是，我是她儿子，我妈让我帮她听一下。"),
        ("a", "好的，这期分期三百六十元，逾期五天了。"),
    ]
    assert segments(turns, LEAK) == []


def test_a_mono_turn_holding_the_question_and_its_answer_confirms():
    turns = [
        ("u", "喂，吴志刚？是，你哪位？"),
        ("u", "我是恒通信用的，你的借款逾期两个月了，五千二。"),
        ("u", "我知道，这个月手头紧。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_a_name_asked_with_the_question_mark_alone_is_an_identity_question():
    turns = [("a", "喂，你是邓海波？"), ("c", "对。"), ("a", "我是恒通信用的，你的借款逾期两个月了。")]
    assert segments(turns, UNVERIFIED) == []


def test_a_relative_whose_is_recognition_dropped_is_a_third_party():
    turns = [
        ("a", "您好，我是恒通信用的，请问是龚强的家属吗？"),
        ("c", "我他老婆，什么事"),
        ("a", "您老公在我们这借的四千块已经逾期两个月了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_the_callers_organisation_said_back_names_nobody():
    turns = [
        ("a", "喂是钱学军吗我是安和法务中心的"),
        ("c", "俺法务中心"),
        ("a", "你那笔账明天开庭你知道吗"),
    ]
    assert not listening(turns).hearings[2].confirmed


def test_asking_whether_the_listener_knows_the_one_sought_with_the_mark_lost_shows_a_contact():
    turns = [("a", "喂，你认识葛志鹏"), ("c", "嗯，咋了"), ("a", "他借钱不还，四千块拖了三个月了。")]
    assert segments(turns, LEAK) == [2]


def test_asking_a_not_a_whether_the_listener_knows_someone_shows_a_contact():
    # the greeting heard as 为 and the reply as no word at all: the question alone says the
    # listener is someone else
    turns = [("a", "为你认不认识一个叫柏文涛的。"), ("c", "人说，咋了"), ("a", "这笔借款已经逾期三个月了。")]
    assert segments(turns, LEAK) == [2]


def test_telling_the_listener_their_relative_borrows_and_does_not_pay_shows_a_third_party():
    turns = [
        ("a", "喂，是卢桂香吗？"),
        ("c", "我是卢桂香，什么事？"),
        ("a", "你儿媳妇邹丽借网贷不还，已经被起诉了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_the_one_accused_saying_no_summons_came_is_the_one_sought():
    turns = [
        ("a", "喂，是姜玉兰吗？我是城北法院调解中心的。"),
        ("c", "什么调解中心？"),
        ("a", "你的案子下周开庭。"),
        ("c", "我没收到什么传票啊。"),
        ("a", "你在好借那笔一万零五百的借款，对方已经起诉了。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_on_a_mono_recording_the_debtor_who_took_the_phone_says_yes_run_into_the_agents_turn():
    turns = [
        ("u", "喂，您好，是葛建民家吗"),
        ("u", "是啊，你谁啊"),
        ("u", "大娘您好，我是鹿鸣信管的，找葛建民有点事，他在家吗"),
        ("u", "他在院里，我叫他，建民，电话"),
        ("u", "喂，你好，请问是葛建民本人吗"),
        ("u", "是我，葛先生你好，我是鹿鸣信管的，你那张信用卡逾期九十天了，欠款一万三"),
        ("u", "哦，这事，我最近手头紧"),
    ]
    view = default_registry().preparer.view(make_call(turns))
    told = [u.index for u in view.utterances if "逾期" in u.text]
    assert told and view.listening.hearings[told[0]].confirmed


def test_a_bare_relation_says_who_the_listener_is_only_as_the_whole_answer_not_as_an_address():
    # 同事。 / 他妈 answers who they are; 姐，… or a bare 师傅。 calls the agent by a title
    for answer, third in (
        ("同事。", True),
        ("他妈。", True),
        ("我是他表哥", True),
        ("姐，我下周一定还。", False),
        ("师傅。", False),
        ("老板，宽限几天行不行？", False),
    ):
        turns = [
            ("a", "喂，你好，恒达消费金融的，请问是郑家豪吗？"),
            ("c", answer),
            ("a", "这笔分期逾期二十天了，欠款四千五，这周五之前先还两千。"),
        ]
        assert (segments(turns, LEAK) == [2]) is third, answer


# Cantonese 是 written in its traditional spelling, 係


def test_a_relative_saying_who_they_are_with_the_traditional_hai_is_a_third_party():
    turns = [
        ("a", "喂，请问是冯子轩吗？"),
        ("c", "唔係，我係佢阿爸，佢去咗深圳。"),
        ("a", "阿伯，我是某某金融的，借款欠了七千，拖了三个月，你叫他尽快还。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_yes_with_the_traditional_hai_confirms():
    turns = [
        ("a", "喂，请问是冯子轩冯生吗？"),
        ("c", "係啊，边位？"),
        ("a", "冯生你好，我是某某金融的，您的借款欠了七千，已经逾期三个月了。"),
    ]
    assert segments(turns, UNVERIFIED) == [] and segments(turns, LEAK) == []


# a contact who answered to their own name, then told of a relation's or a colleague's debt


def test_a_relation_named_owing_money_is_someone_elses_debt():
    turns = [
        ("a", "喂，是陶春兰吗？"),
        ("c", "是我，你哪位？"),
        ("a", "我是某某金融的，你表哥何俊欠钱不还，半年了，你劝劝他。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_he_borrowed_from_us_is_someone_elses_debt():
    turns = [
        ("a", "喂，是陶春兰吗？"),
        ("c", "是我，咋了？"),
        ("a", "我是某某金融的，你同学何俊留的是你的号，他借我们两万，一直联系不上。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_i_am_not_said_plainly_to_the_name_is_a_denial():
    turns = [
        ("a", "喂，请问是何俊吗？"),
        ("c", "我不是，这是物流园的调度室。"),
        ("a", "别装了，你那笔八千的借款逾期三个月了，今天还不还？"),
    ]
    assert segments(turns, LEAK) == [2]


def test_family_credit_as_a_consequence_is_no_one_elses_debt():
    turns = [
        ("a", "喂，请问是何俊吗？"),
        ("c", "是我。"),
        ("a", "我是某某金融的，您的借款逾期了，再拖下去，你儿子以后贷款买房都受影响。"),
    ]
    assert segments(turns, LEAK) == []


def test_where_the_itemised_bill_is_names_nobody():
    turns = [
        ("a", "您好，某某金融贷后中心，本次通话录音，请问是何俊先生吗？"),
        ("c", "是我。"),
        ("a", "何先生，您的借款逾期十天，应还两千一百元。"),
        ("c", "怎么多了一百？"),
        ("a", "是逾期利息，明细在APP的还款账单里可以查到。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


# the phone changing hands in mid-call


def test_what_the_debtor_heard_before_someone_took_his_phone_stays_his():
    turns = [
        ("a", "您好，某某金融，通话录音，请问是韦建平先生吗？"),
        ("c", "对，是我。"),
        ("a", "韦先生，您的分期这期一千八没还，逾期六天了。"),
        ("c", "我以为……"),
        ("c", "拿来拿来，谁打的？"),
        ("a", "您好，请问您是？"),
        ("c", "我是他老婆，他又欠谁钱了？"),
        ("a", "不好意思，账户的情况只能跟韦先生本人讲，麻烦您把电话给他。"),
    ]
    assert segments(turns, LEAK) == []


def test_the_debtor_who_comes_to_the_phone_and_says_it_is_her_is_the_debtor():
    turns = [
        ("a", "您好，某某金融，通话录音，请问是林晓红女士吗？"),
        ("c", "我是她爱人，她在边上，让我跟你说。"),
        ("a", "那麻烦林女士本人说句话。"),
        ("c", "晓红，你来。"),
        ("c", "喂，是我，让他替我还就行。"),
        ("a", "好的林女士，本期九百六，逾期五天，在APP里还就可以。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []


def test_a_yes_to_the_id_digits_asked_with_shi_bu_shi_is_the_debtor():
    turns = [
        ("a", "您好，某某金融，通话录音，请问是林晓红女士吗？"),
        ("c", "她不在，我是她妈妈。"),
        ("a", "阿姨，麻烦让林女士本人接一下。"),
        ("c", "等一下。"),
        ("a", "您好，核对一下，您身份证后四位是不是三八二七"),
        ("c", "对。"),
        ("a", "林女士，您的借款逾期十二天，应还两千三。"),
    ]
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == []
