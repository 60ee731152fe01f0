"""Who is on the line (``pipeline/detect/listener.py``): one reading per call, in the prepared view,
that both identity rules read. Sentences written for these tests."""

from detect_helpers import listening, segments

LEAK, UNVERIFIED = "third_party_leak", "unverified_identity"


def test_the_view_reads_the_listener_once_for_both_rules():
    turns = [
        ("a", "喂，请问是贺志明吗？"),
        ("c", "不是，我是他外甥。"),
        ("a", "那麻烦你转告他，他在我们这的八千块借款已经逾期了。"),
    ]
    reading = listening(turns)
    assert reading.hearings[2].third_party.kind == "customer_said" and not reading.hearings[2].confirmed
    assert segments(turns, LEAK) == [2] and segments(turns, UNVERIFIED) == [2]


def test_details_before_the_listener_says_who_they_are_are_unverified_and_a_leak():
    turns = [
        ("a", "喂，是贺志明吧，你那笔八千块的借款逾期两个月了。"),
        ("c", "他是我舅舅，他出去打工了。"),
    ]
    reading = listening(turns)
    assert reading.unverified(0) and reading.hearings[0].told_first
    assert segments(turns, LEAK) == [0] and segments(turns, UNVERIFIED) == [0]


def test_a_yes_said_with_who_they_are_is_a_third_partys():
    turns = [
        ("a", "您好，请问是贺志明先生吗？"),
        ("c", "对，我是他表哥，你有什么事？"),
        ("a", "他欠我们平台一万二，已经逾期九十天了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_relative_in_dialect_is_no_confirmation():
    turns = [
        ("a", "喂，请问是熊伟吗？"),
        ("c", "熊伟啊，是我伢，你找他搞么事？"),
        ("a", "他在我们这借了五千块，拖了三个月了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_the_agent_saying_it_will_be_in_touch_undoes_no_confirmation():
    turns = [
        ("a", "喂，请问是邵丽娟女士吗？"),
        ("c", "是我。"),
        ("a", "邵女士您好，我是青禾金融的，本次通话录音，关于还款的事跟您联系一下。"),
        ("c", "嗯，你说。"),
        ("a", "您的账单已经逾期二十天，欠款三千六。"),
    ]
    assert segments(turns, UNVERIFIED) == [] and segments(turns, LEAK) == []


def test_a_title_given_in_answer_is_no_name_the_agent_asked_for():
    turns = [
        ("a", "喂，是不是顺达汽修厂的老板？"),
        ("c", "我是老板，有什么事？"),
        ("a", "你们厂里那个学徒罗小军，在我们这借了七千块，逾期好几个月了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_guarantor_who_signed_a_guarantee_contract_is_owed_the_details():
    turns = [
        ("a", "您好，请问是蒋文斌先生吗？"),
        ("c", "是我。"),
        ("a", "蒋先生，您给唐海涛的经营贷签了保证合同，对吧？"),
        ("c", "对，是我签的。"),
        ("a", "我们这边请您帮忙联系一下他。"),
        ("c", "好。"),
        ("a", "唐先生这笔贷款逾期六十天，欠本金十五万。"),
    ]
    assert segments(turns, UNVERIFIED) == [] and segments(turns, LEAK) == []


def test_the_debtor_called_someones_relative_is_still_the_debtor():
    turns = [
        ("a", "喂，请问是龙秀英吗？"),
        ("c", "是我，哪个？"),
        ("a", "龙阿姨，我是蜀信资产的，您那笔借款逾期了。"),
        ("c", "那是我外孙上学借的。"),
        ("a", "你是他外婆，这三千二的欠款你也得还，今天先还八百。"),
    ]
    assert segments(turns, LEAK) == []


def test_naming_the_one_sought_as_the_listeners_relation_shows_a_contact():
    turns = [
        ("a", "喂，是孔丽娜吗？"),
        ("c", "是我，哪位？"),
        ("a", "孔志强是你哥吧？"),
        ("c", "是啊，咋了？"),
        ("a", "你哥在我们这借了两万，电话一直关机。"),
    ]
    assert segments(turns, LEAK) == [4]


def test_a_debt_shared_with_the_listener_is_their_own():
    turns = [
        ("a", "您好，请问是包建国先生吗？"),
        ("c", "是我。"),
        ("a", "包先生，您和您爱人刘芳在我们这有笔购车贷款，这个月还没还。"),
    ]
    assert segments(turns, LEAK) == []


def test_a_third_party_sent_by_the_debtor_to_talk_may_hear_the_details():
    turns = [
        ("a", "您好，请问是韦家豪先生吗？"),
        ("c", "我是他姐姐，他托我跟你们说一声，他这几天在外地。"),
        ("a", "好的，麻烦您跟他说，他这期三千二已经逾期了。"),
    ]
    assert segments(turns, LEAK) == []


def test_a_plain_no_to_an_identity_question_is_a_third_party():
    turns = [
        ("a", "喂，请问是房志刚吗？"),
        ("c", "不是，这里是五金店，你找哪个？"),
        ("a", "我是汇丰信贷的，房志刚欠我们六千块没还。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_asking_whether_the_one_sought_is_home_shows_a_third_party():
    turns = [
        ("a", "喂，你好，请问甘宏伟在屋里吗？"),
        ("c", "在，你哪里？"),
        ("a", "我们是借款平台的，他借的钱逾期三个月了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_yes_to_the_name_called_out_confirms():
    turns = [
        ("a", "喂，蒙志斌，我是易借花的。"),
        ("c", "嗯。"),
        ("a", "你那笔两千六的借款拖了四十天了。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_the_front_desk_is_a_third_party():
    turns = [
        ("a", "喂，你好，请问是祁玉兰吗？"),
        ("c", "这边是酒店前台，你找哪位？"),
        ("a", "我是金桥金融的，祁玉兰在我们这欠款九千，逾期了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_naming_the_one_sought_as_someone_of_the_listeners_place_shows_a_third_party():
    turns = [
        ("a", "喂，是不是桂花巷口开面馆的老板？"),
        ("c", "是啊，你哪个？"),
        ("a", "你们店里那个端盘子的赵小东，你认识吧？"),
        ("c", "认识，咋了？"),
        ("a", "他在我们这借了六千，三个月没还了。"),
    ]
    assert listening(turns).hearings[2].third_party.kind == "agent_addressed"
    assert segments(turns, LEAK) == [4]


def test_a_place_of_the_debtors_own_named_with_no_person_shows_nobody():
    turns = [
        ("a", "喂，是赵小东吗？"),
        ("c", "是我。"),
        ("a", "你们村的公告栏我们也知道在哪，你那六千今天得还。"),
    ]
    assert listening(turns).hearings[2].third_party is None
    assert segments(turns, LEAK) == []


def test_a_name_asked_with_a_closing_shi_bu_is_an_identity_question():
    for opening in ("喂，邱大海是不？", "喂，是邱大海不是？"):
        turns = [("a", opening), ("c", "是，啥事？"), ("a", "你那笔四千的车贷拖俩月了。")]
        assert listening(turns).hearings[2].confirmed, opening
        assert segments(turns, UNVERIFIED) == [], opening


def test_the_debtor_recalling_his_promise_is_no_denial():
    turns = [
        ("a", "请问是邱大海吗？"),
        ("c", "是我。"),
        ("a", "你那四千啥时候还？"),
        ("c", "我不是讲了嘛，月底。"),
        ("a", "月底要是还不上，罚息还得涨。"),
    ]
    assert listening(turns).hearings[4].third_party is None
    assert segments(turns, LEAK) == []


def test_saying_what_one_just_is_confirms_nothing():
    turns = [
        ("a", "请问是邱大海吗？"),
        ("c", "不是，他出车去了。"),
        ("a", "他那四千的车贷逾期了，你让他赶紧还。"),
        ("c", "我就是个看车场的，跟我说没用。"),
        ("a", "你就跟他说四千，今天必须还。"),
    ]
    assert listening(turns).hearings[4].third_party is not None
    assert segments(turns, LEAK) == [2, 4]


def test_a_relative_asked_for_with_ta_for_de_is_a_third_party():
    turns = [
        ("a", "喂，你是邱大海他爹吧？"),
        ("c", "是，你谁啊？"),
        ("a", "他欠我们四千块，拖了俩月了。"),
    ]
    assert listening(turns).hearings[0].third_party.kind == "agent_addressed"
    assert segments(turns, LEAK) == [2]


def test_a_no_followed_by_who_one_is_confirms_nothing():
    turns = [
        ("a", "喂，是宏达物流的邱总吗？"),
        ("c", "不是，我是以前的会计，这号码现在我在用。"),
        ("a", "那你们邱大海老板欠我们九万多，你知道他去哪了吗？"),
    ]
    assert not listening(turns).hearings[2].confirmed
    assert segments(turns, UNVERIFIED) == [2]


def test_the_debtors_own_folks_at_home_ask_for_nobody():
    turns = [
        ("a", "喂，邱大海？"),
        ("c", "是我，啥事？"),
        ("a", "你那四千拖三期了，你家老人不是在家嘛，你自己看着办。"),
    ]
    assert listening(turns).hearings[2].third_party is None
    assert segments(turns, LEAK) == []


def test_money_the_listener_borrowed_for_a_relative_is_their_own_debt():
    turns = [
        ("a", "请问是邱桂芬吗？"),
        ("c", "是我，哪里？"),
        ("a", "你去年给你女儿办嫁妆借的那笔，拖了两个月，三千二。"),
    ]
    assert listening(turns).hearings[2].third_party is None
    assert segments(turns, LEAK) == []


def test_the_first_cue_in_the_turn_shows_who_hears_it():
    turns = [
        ("a", "喂，你好。"),
        ("c", "喂，哪位？"),
        ("a", "他在好借钱包的借款逾期三个月了，一共八千二，你是他老婆吧？"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_guarantee_the_listener_signed_owes_them_the_details():
    turns = [
        ("a", "喂，刘叔，我是顺丰车行的小王，电话有录音。"),
        ("c", "啊？哪个？"),
        ("a", "您侄子刘强买车的分期，您当时签的担保，还记得吧？"),
        ("c", "记得，他咋了？"),
        ("a", "刘强这两个月月供没交，一共一千二，还得麻烦您催一下。"),
    ]
    assert segments(turns, LEAK) == []


def test_a_no_to_a_question_for_the_workplace_is_a_third_party():
    turns = [
        ("a", "喂，请问是宏达五金店的刘老板吗？"),
        ("c", "不是。"),
        ("a", "那笔两万的借款已经逾期三个月了，麻烦转达一下。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_a_name_asked_with_ba_after_the_callers_name_is_an_identity_question():
    turns = [
        ("a", "喂，好借钱包贷后的，王小龙吧？"),
        ("c", "嗯。"),
        ("a", "你那笔三千二逾期四十天了，今天能还吗？"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_a_listener_who_denied_and_then_owns_up_heard_the_details_as_the_debtor():
    turns = [
        ("a", "喂，你那笔六千块的分期拖了三个月了，打算怎么办？"),
        ("c", "你打错了吧。"),
        ("a", "你不是邱海涛？这号码登记的就是你。"),
        ("c", "……行吧，是我，你们哪家的？"),
        ("a", "安达信用的，六千块什么时候还？"),
    ]
    reading = listening(turns)
    assert reading.hearings[0].third_party is None and reading.unverified(0)
    assert segments(turns, LEAK) == [] and segments(turns, UNVERIFIED) == [0]


def test_owning_up_after_the_phone_changed_hands_leaves_the_leak():
    turns = [
        ("a", "喂，邱海涛吧，你那笔六千块的分期拖了三个月了。"),
        ("c", "我是他老婆。"),
        ("a", "那麻烦您叫他回个电话。"),
        ("c", "他回来了，你等一下。"),
        ("a", "好的。"),
        ("c", "是我，什么事？"),
        ("a", "邱先生，那六千块什么时候还？"),
    ]
    assert segments(turns, LEAK) == [0]


def test_asked_to_take_a_parcel_call_is_not_sent_to_pay():
    turns = [
        ("a", "喂，请问是邱海涛家吗？"),
        ("c", "不是，我是他楼下的，他叫我帮他接个外卖电话。"),
        ("a", "那你跟他说，他欠我们六千块逾期三个月了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_the_agent_noting_the_debtors_consent_lets_the_relative_hear():
    turns = [
        ("a", "您好，请问是邱海涛先生吗？"),
        ("c", "我是他老婆，他在开车，让我先接着。"),
        ("a", "那我给邱先生发条短信确认一下，您稍等。"),
        ("c", "好。"),
        ("a", "好的，邱先生已经回复同意了，他这期欠款两千二，逾期十天。"),
    ]
    assert listening(turns).allowed_from.get("consent") == 4
    assert segments(turns, LEAK) == []


def test_consent_set_as_a_condition_is_no_consent():
    turns = [
        ("a", "您好，请问是邱海涛先生吗？"),
        ("c", "我是他老婆。"),
        ("a", "他同意了我们才能说，他那笔两千二的欠款您让他自己处理。"),
    ]
    assert "consent" not in listening(turns).allowed_from


def test_the_debtor_consenting_in_a_second_voice_while_a_relative_holds_the_phone():
    turns = [
        ("a", "您好，请问是邱海涛先生吗？"),
        ("c", "我是他儿子，我爸嗓子哑了，说不了话。"),
        ("a", "那需要邱先生本人同意。"),
        ("c", "爸，你说一句。"),
        ("c", "嗯，让我儿子，跟你们说。"),
        ("a", "好的，邱先生的欠款是三千一，逾期二十天。"),
    ]
    assert segments(turns, LEAK) == []


def test_details_in_the_names_breath_answered_with_who_is_calling_stay_unverified():
    turns = [
        ("a", "喂，邱海涛吧，你那笔六千块的分期拖了三个月了。"),
        ("c", "你哪位？"),
        ("a", "安达信用的，你是不是邱海涛？"),
        ("c", "是我。"),
    ]
    assert segments(turns, UNVERIFIED) == [0]


def test_details_in_the_names_breath_answered_about_the_debt_are_not_flagged():
    turns = [
        ("a", "喂，邱海涛吧，你那笔六千块的分期拖了三个月了。"),
        ("c", "哪个平台的？我借了好几个。"),
        ("a", "安达分期的。"),
    ]
    assert segments(turns, UNVERIFIED) == []


def test_someone_named_owing_the_agents_side_is_someone_elses_debt():
    turns = [
        ("a", "喂，是南门菜市场的管理处吗？"),
        ("c", "对，什么事？"),
        ("a", "你们那卖鱼的摊主，何建国欠了我们一万八，拖了半年了。"),
    ]
    assert segments(turns, LEAK) == [2]


def test_this_person_owing_the_agents_side_or_a_loan_taken_somewhere_is_someone_elses():
    first = [
        ("a", "喂，您那儿是不是租出去一间房？"),
        ("c", "是啊，怎么了？"),
        ("a", "这人借了我们三万块，半年没还了。"),
    ]
    second = [
        ("a", "喂，你是老刘吧？"),
        ("c", "是我，咋了？"),
        ("a", "你那个邻居何建国，他在城东信用社贷了五万，一分没还。"),
    ]
    assert segments(first, LEAK) == [2] and segments(second, LEAK) == [2]


def test_a_contact_who_answers_to_their_own_name_hears_a_relatives_debt_as_a_third_party():
    # the one asked for by name is the contact: the debt told next is a relative's, or a named
    # person's, owed to a lender with a sum
    relative = [
        ("a", "喂，是龚大爷吗？"),
        ("c", "是，你是哪个？"),
        ("a", "大爷，你孙子欠信用社两万块，一直躲着不接电话。"),
    ]
    named = [
        ("a", "喂，是邬秀珍吗？"),
        ("c", "对，啥事？"),
        ("a", "你外甥叫汤立军吧？汤立军欠了农商行三万多，五年了。"),
    ]
    assert segments(relative, LEAK) == [2] and segments(relative, UNVERIFIED) == [2]
    assert segments(named, LEAK) == [2]


def test_a_listener_who_puts_the_one_sought_away_from_them_is_a_third_party():
    divorced = [
        ("a", "喂，是骆美华吗？我找一下你以前那位，郑国梁。"),
        ("c", "我们早就离了，你找他别找我。"),
        ("a", "他当年在我们这借了两万块，到现在都没还。"),
    ]
    nothing_to_do_with_me = [
        ("a", "喂，请问是郑国梁吗？"),
        ("c", "他的那些事跟我没啥关系。"),
        ("a", "那笔一万二的借款已经逾期半年了。"),
    ]
    assert segments(divorced, LEAK) == [2] and segments(nothing_to_do_with_me, LEAK) == [2]


def test_a_job_said_alone_is_no_name_and_confirms_nothing():
    turns = [
        ("a", "喂，宏图装饰的，石立群在吗？"),
        ("c", "石总在工地，我是秘书。"),
        ("a", "你跟他讲，那笔三万八的装修贷逾期五个月了。"),
        ("c", "我就是个秘书，他的事我不清楚。"),
    ]
    reading = listening(turns)
    assert not reading.hearings[2].confirmed
    assert segments(turns, LEAK) == [2]


def test_a_relative_who_takes_the_phone_from_the_debtor_and_is_addressed_so_is_a_third_party():
    turns = [
        ("a", "喂，是邱海涛吗？"),
        ("c", "是我，什么事？"),
        ("a", "你那笔六千块的分期什么时候还？"),
        ("c", "我……"),
        ("c", "把电话给我！你们一天打八遍烦不烦？"),
        ("a", "你是他老婆？那你劝劝他，他欠我们六千块拖三个月了。"),
    ]
    assert segments(turns, LEAK) == [5]


def test_the_debtor_speaking_of_his_wife_after_confirming_stays_the_debtor():
    turns = [
        ("a", "喂，是邱海涛吗？"),
        ("c", "是我，什么事？"),
        ("a", "你那笔六千块的分期什么时候还？你是她老公，家里的钱你说了算吧？"),
    ]
    assert segments(turns, LEAK) == []


def test_asked_as_the_debtors_family_with_no_de_is_a_third_party():
    turns = [
        ("a", "喂，是邱海涛家属吧？他那笔六千块的分期拖了三个月了。"),
        ("c", "你谁啊？"),
    ]
    assert segments(turns, LEAK) == [0]


def test_asked_whether_they_are_looking_after_family_is_no_third_party_cue():
    turns = [
        ("a", "邱先生您好，您是在陪护家人吗？那我长话短说。"),
    ]
    assert listening(turns).hearings[0].third_party is None


def test_a_yes_to_the_name_asked_with_dui_bu_dui_confirms():
    turns = [("a", "喂，祁玉兰对不对？"), ("c", "对，谁啊？"), ("a", "我们是处理你网贷的，你这个账要怎么弄？")]
    assert segments(turns, UNVERIFIED) == []


def test_a_cantonese_listener_asking_which_one_and_not_knowing_them_is_a_third_party():
    turns = [
        ("a", "喂，祁玉兰，你一万六的借款今天最后期限了。"),
        ("c", "咩啊？边个祁玉兰啊？"),  # which 祁玉兰? (whom they want)
        ("a", "别装了，逾期都一百多天了。"),
        ("c", "我呢个号码上个月先买嘅，唔识呢个人。"),  # I do not know this person
    ]
    assert segments(turns, UNVERIFIED) == [0, 2] and segments(turns, LEAK) == [0, 2]
    # told to one who answered to the name, the same breath's details stay unlabelled
    answered = [turns[0], ("c", "系我，咩事？"), turns[2]]
    assert segments(answered, UNVERIFIED) == []


def test_a_yes_word_before_asking_what_name_is_no_yes():
    # 蛤？什么李春燕？ heard with 蛤 as 嗯: the name questioned, not answered to
    turns = [
        ("a", "喂，李春燕，你的借款今天再不还就转下一个阶段了。"),
        ("c", "嗯，什么李春燕？"),
        ("a", "别装了，一万四逾期五十天了。"),
        ("c", "我这个号码才办半年，不认识这个人啦。"),
    ]
    assert segments(turns, LEAK) == [0, 2]
    assert segments([turns[0], ("c", "嗯，什么事？"), turns[2]], LEAK) == []  # a yes, then what it is about


def test_another_said_to_have_dragged_the_debt_on_for_a_time_is_someone_elses_debt():
    turns = [("a", "喂，你好。"), ("c", "嗯，你说。"), ("a", "你跟他说，他在我们那拖了三个月，电话也不接。")]
    assert segments(turns, LEAK) == [2]


def test_a_relation_heard_as_the_particle_of_its_sound_still_addresses_a_relative():
    # 你是不是罗海的妈？ heard with 妈 as 吗: after a person's name 的 closes nothing but a relation
    turns = [
        ("a", "喂，是杨秀英吗？"),
        ("c", "你讲啥子？"),
        ("a", "你是不是罗海的吗？我是公司催款的。"),
        ("c", "是啊，是我。"),
        ("a", "他买手机，欠了一千九，你帮他还掉。"),
    ]
    assert segments(turns, LEAK) == [4]
