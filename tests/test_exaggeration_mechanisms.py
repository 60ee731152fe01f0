"""exaggeration by mechanism (issue 11): invented consequences in words no list holds, proceedings
claimed to exist against lawful conditional process, negation, the customer's mouth, reported
speech, true statements of lawful consequences, recognition spacing. Every sentence is written
for these tests; none is copied from a corpus. The rules alone: the classifier is switched off."""

import pytest
from detect_helpers import OPENING, findings_for, lexicon_only, with_model_on

from pipeline.calls import call_from_json
from pipeline.detect import detect_call

BODY = [("c", "嗯，这个月确实紧。"), ("a", "那您看下周五之前能先还一部分吗？"), ("c", "我尽量吧。")]


def flagged(turns) -> bool:
    return bool(findings_for(OPENING + turns + BODY, "exaggeration", config=lexicon_only()))


def flagged_said(text, who="a") -> bool:
    return flagged([(who, text)])


# --- consequences invented for the family, the job, travel, cards, fees -------------------


@pytest.mark.parametrize(
    "text",
    [
        "你这笔不处理，你闺女的征信以后也会受影响，买房贷款都批不下来。",  # family members' credit
        "欠款是跟直系亲属关联的，你弟弟考编的时候都要查。",
        "你外孙明年想参军？政审一查家里有欠款，肯定过不了。",  # schooling, vetting
        "你妈那个养老金，你这边拖着不还，下个月就会停发。",  # welfare no creditor can touch
        "这是你们夫妻共同债务，你老公跑了你一样跑不掉。",  # a duty to pay for a spouse
        "逾期的名单会推送给你们学校，学位证到时候拿不到。",  # job and school
        "到时候判决书直接寄到你们单位，人事那边一看就明白。",
        "欠款不处理的，居委会以后开什么证明都不给你开。",  # public services refused
        "你这个情况，下回进高铁站都会被拦下来问话。",  # travel
        "系统会冻结你名下的银行卡，工资卡也一样。",  # bank cards frozen automatically
        "从上个月起每天加收八十块的逾期管理费，你自己算算。",  # fees grown on the debt
        "你现在被列入了重点关注名单，还清了才能给你撤出名单。",  # a named list
        "你这种情况已经不是民事了，是要被判的。",  # the debt turned criminal
        "罚息一直在滚，今天是八千二，到时候就一万二了。",  # a round sum by a date
        "你们一个组的人不还，以后全村都贷不到款。",  # the community
    ],
)
def test_invented_consequences_in_words_no_list_holds(text):
    assert flagged_said(text)


# --- proceedings claimed to exist, against lawful conditional or future process ----------


@pytest.mark.parametrize(
    "text",
    [
        "跟你说一下，平台那边已经报了案，材料都交上去了。",
        "我跟你讲，你这个案子已经立了案，就差通知你了。",  # 我跟你讲 is emphasis, not reported speech
        "你有一份北城区法院的传票在我们这儿，明天给你送过去。",
        "你的开庭时间已经排好了，下个月十二号。",
        "你那笔纠纷已经移送到我们这里来处理了。",
        "通知发出三天内没回复的，系统会自动提交法院起诉。",  # a system that sues by itself
    ],
)
def test_proceedings_claimed_to_exist(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "如果一直不还，公司可能会依法起诉，由法院来判决。",  # conditional
        "要是进入诉讼程序，判决以后还不履行，法院才可能把人列入失信被执行人名单。",
        "目前没有起诉，也没有立案，您放心，我们还是希望协商。",  # negated
        "平台保留追究法律责任的权利，但现在只是提醒您。",
        "逾期信息会按规定报送征信系统，这个请您知悉。",  # a true statement of a lawful consequence
        "限制高消费是法院在执行阶段才可能采取的措施，您现在不涉及。",
        "您不在任何失信名单上，这个您放心。",
        "还款日当天系统会自动从您绑定的银行卡扣款，您留够余额就行。",  # the contract's own debit
        "您名下的银行卡可以绑定自动还款。",  # 自动 sounds like 冻
        "您可以提供社保停缴的证明，我们一起看看能不能申请减免。",
        "您那笔钱是被骗了吧？您已经报案了的话，把回执拍给我们看看。",  # the customer's report
        "平台已经把您这笔账的案件转到我们公司了，我是新的对接专员。",  # an account assigned
        "遇到让您转私人账户的，您可以直接报公安。",  # advice, not a threat
        "您之前说被辞退了，我们理解，可以帮您申请延期。",
    ],
)
def test_lawful_conditional_or_true_statements_are_clean(text):
    assert not flagged_said(text)


# --- negation, reported speech and the customer's own mouth -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "我们不会因为这点欠款就让派出所来抓人，您别担心。",  # a denied cause governs its clause
        "之前有个人打电话说你要坐牢，那种说法是错的。",  # a claim reported and refuted
        "您家人不需要替您还，这笔钱只跟您本人有关。",
        "您听到的说孩子政审过不了，那是谣言，跟这个没关系。",
    ],
)
def test_negated_or_reported_claims_are_clean(text):
    assert not flagged_said(text)


def test_the_customer_saying_it_is_not_the_agent_claiming_it():
    assert not flagged([("c", "我听人讲欠了钱孩子政审过不了，家里人的卡都会冻结，是真的吗？")])


def test_third_party_warnings_and_obligations():
    # to a relative: the debt said to fall on them
    assert flagged([("a", "你是他紧急联系人，你有义务配合我们把钱追回来。")])
    assert flagged([("a", "他要是不还，最后都落到你儿子头上。")])
    assert flagged([("a", "你明知道他在哪还不说，你这就是包庇。")])
    # asking the listener to pass a message on is the agent's own claim, not a report
    assert flagged([("a", "你回去跟他说一声，法院已经立案了，让他别躲。")])


# --- recognition spacing and homophones ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "你 已经 被 列入 失信 人员 名单 了",  # Whisper's word spacing
        "你 孩子 以后 考 公务员 政审 过 不了",
        "你的名字已经挂到网上了，全网都能查到。",
    ],
)
def test_spaced_recognition_text_still_matches(text):
    # read as a transcript is read, so the spacing is normalised as in every scan
    turns = OPENING + [("a", text)] + BODY
    call = call_from_json(
        {
            "call_id": "spaced",
            "segments": [
                {"start": 3.0 * i, "end": 3.0 * i + 2.5, "speaker": "agent" if who == "a" else "customer", "text": t}
                for i, (who, t) in enumerate(turns)
            ],
        }
    )
    assert any(f.category == "exaggeration" for f in detect_call(call, lexicon_only()))


# --- proceedings presupposed: withdrawn on payment, papers served, a stage reached ---------


@pytest.mark.parametrize(
    "text",
    [
        "你这周把两万结清，我去找承办法官把案子撤了。",  # an offer to withdraw presupposes a case
        "今天先打五千过来，我们这边可以给你办暂缓执行。",
        "钱到账了，派出所那边我们去协调，按不予立案处理。",
        "诉状副本已经邮寄到你老家了，你爸签收的。",  # papers served
        "你不到庭也没用，到庭不到庭都是缺席宣判。",
        "你这个现在已经到了强制执行阶段，不是协商的时候了。",  # a stage said to be reached
        "调解编号都出来了，你记一下。",
    ],
)
def test_proceedings_presupposed(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "如果平台起诉以后您全部还清了，平台一般会申请撤诉。",  # a lawful condition on the suit
        "您要是先付八百的律师函撤回费，我们就不发了。",  # a fee in the collector's name: extra_fees
        "我们现在是非诉讼阶段，只是协商，没有起诉您。",
        "真要起诉的话，起诉状副本是法院送达给您的，不是我们寄。",
        "外访一次要收六百上门费，是要加到你欠款里的。",  # a collection fee: extra_fees, not this
        "你再不还，我们就带人上你家那边去找你。",  # people brought to the door: threat, not arrest
    ],
)
def test_lawful_withdrawal_fees_and_visits_are_not_claimed_proceedings(text):
    assert not flagged_said(text)


# --- consequences by themselves: arrest, freezes, the household, schools, the debt grown ---


@pytest.mark.parametrize(
    "text",
    [
        "明天上午人就上门带人，你准备一下。",  # taken away by whoever comes
        "你不配合，派出所那边下周就传唤你过去。",
        "银行跟各家平台是联网的，逾期满九十天就自动触发冻结。",  # a freeze that comes by itself
        "下个月你的支付宝、微信零钱都要封，收不了钱。",
        "你是他亲弟弟，这个钱你也连带的。",  # liability invented from kinship
        "你们一个户口本上的，系统里都关联。",
        "你老婆名下的房子到时候也要执行，夫妻都一样。",
        "你家孩子以后报名，好一点的学校都不收失信家庭的。",  # schools turning the child away
        "合同里写着的，每多拖一天就多八十。",  # the debt grown by the day
    ],
)
def test_consequences_that_come_by_themselves(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "法院一判，直接就从你工资里扣，一个月扣一半。",  # a judgment foretold
        "这次调解要是谈不拢，我们直接申请强制执行，不用开庭。",  # enforcement with no trial
        "不然我明天就把你这个转立案庭，排期开庭。",  # court steps said as the caller's
        "我们已经跟你户籍地派出所报备过了。",  # the police told already
        "下礼拜就有人上门来拿人，你自己掂量。",
        "你不还，你爸妈以后房贷都批不下来。",  # the family's loans and cards
        "你媳妇名下的卡到时候也一起冻结。",
        "你的驾照和护照到时候都会注销。",  # documents cancelled
        "违约金滞纳金一加，八千就变两万了。",  # a sum grown by adding charges
    ],
)
def test_court_steps_and_household_consequences(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "如果进入诉讼程序，判决生效后仍不履行的，债权人可以申请强制执行。",
        "材料下周一递交法院，你不信就等着收传票。",  # a suit to come is lawful process
        "您先等着，我去问一下同事开庭是怎么安排的。",
    ],
)
def test_lawful_court_steps_are_clean(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "你跟他没离婚前借的，到时候把你也列为被执行人。",  # a legal status declared onto someone
        "你儿子现在被列为村里的重点管控人员了。",
        "过了六十天还要加收一次性滞纳金八百。",  # a penalty said to be added on
        "我在派出所有熟人，一句话就能把你弄进去关几天。",
        "后面法院的传票也会寄过去，你们人事会签收。",
        "他欠的那一万二被平台起诉了，我们在核实他的收入。",  # the case said to exist already
    ],
)
def test_statuses_penalties_and_cases_declared(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "银行如果走诉讼，会把借款人和担保人一起列为被告，由法院判决。",  # lawful process
        "逾期超过十天要加收两百块的催收服务费。",  # a collection fee: extra_fees
        "现在平台准备起诉了，您看怎么处理。",  # 准备 (by sound 备 is 被)
        "你再帮他一把，不然他征信就毁了。",  # a true harm said strongly
    ],
)
def test_lawful_status_fees_and_plans_are_clean(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "法院这周会给你们公司发协助执行通知书，扣你工资。",  # a court's order said as certain
        "你们学院知道了是要处分的，严重的直接退学。",  # school discipline
        "你这情况下周就通报学院。",
        "你拖一天就多八十，现在已经滚到一万二了。",  # the debt grown
        "再拖两个礼拜就是两万了。",
        "你老公你公婆的征信都会一起挂上。",  # the family's credit and pensions
        "你爸妈的退休金都可能被扣。",
        "不交的话明天就转到执行局。",  # steps only a court takes
        "开庭也不用了，直接列入失信。",
        "我们已经联系了你们镇上的派出所，他们会协查你的下落。",
        "你这是包庇，到时候一起追责。",
        "我们会向法院申请吊销你的个人信用资格。",
    ],
)
def test_orders_discipline_growth_and_steps(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "判决生效后，法院可以向您单位发协助执行通知。",  # the lawful sequence
        "您放心，征信跟家人不是连在一起的。",
        "学校不会因为这个给您处分。",
        "逾期记录会同步给人民银行征信中心。",
        "我们已经联系了您的紧急联系人，请他转告您回电。",
    ],
)
def test_lawful_orders_and_true_records_are_clean(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "查封房子是判决生效以后法院才能做的事，您现在离那一步还远。",  # the lawful condition said after
        "冻结银行卡要先有生效判决，现在谈不上。",
    ],
)
def test_a_step_only_a_judgment_allows_said_as_such_is_lawful(text):
    assert not flagged_said(text)


# --- the model alone on a lawful explanation or a report -----------------------------------


def model_exaggeration(text, score=0.95):
    return with_model_on("exaggeration", OPENING + [("a", text)] + BODY, len(OPENING), score)


@pytest.mark.parametrize(
    "text",
    [
        "强制执行要先打官司、判决生效，由法院依法执行，现在远没到那一步。",  # a lawful step explained
        "限制高消费要等判决以后还拒不履行才会有，您现在不用担心。",  # lawful process, said after
        "有人说欠网贷要坐牢，那是吓唬人的。",  # what someone else said
    ],
)
def test_the_model_alone_is_vetoed_on_a_lawful_explanation_or_a_report(text):
    assert model_exaggeration(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "这个月底前还处理不了，公司那边就要起诉了。",  # a suit to come is lawful process
        "你要一直不接电话，平台只能走诉讼，这是你的权利也是他们的权利。",
    ],
)
def test_the_model_alone_is_vetoed_on_a_suit_said_to_come(text):
    assert model_exaggeration(text) == []


def test_a_suit_said_to_come_cancels_no_rule_beside_it():
    assert flagged_said("再不还就起诉，到时候你全家都得上黑名单。")


def test_the_model_alone_stands_on_plain_talk_from_its_own_threshold_up():
    said = "这笔账再拖下去，后面的麻烦你自己想都想不到。"
    assert [f.detector for f in model_exaggeration(said)] == ["classifier"]
    assert model_exaggeration(said, score=0.65) == []  # under the settings' alone threshold (0.7)


# --- seventh round: repossession, a gig worker's account, duties for relatives, crimes ------


@pytest.mark.parametrize(
    "text",
    [
        "再拖下去，你那辆货车我们明天直接派人开走。",  # repossession on a date (undated, the collateral: clean)
        "车上有定位，今晚就给你远程熄火锁死。",
        "跟他讲，收车的人已经出发了。",
        "你不还，下礼拜银行就收你家的铺面。",
        "今天不处理，平台就停你的接单权限，车也跑不成。",  # a rider's or driver's account
        "明天还不上的话，你骑手账号就封了。",
        "你作为他的姐姐，有义务帮他把这个钱还了。",  # a duty invented for a relative
        "他不还，你们当父母的就得替他还。",
        "两口子的账都是一本，他的债就是你的债。",
        "你家里人都要上征信的，你自己想。",
        "下周三法院就给你下判决，你等着。",  # a judgment foretold for a date
        "真判下来，你那个门面也保不住。",
        "你这属于侵占，再不还按侵占报案。",  # the debt called a crime
        "你这就是拒不履行，够拘留十五天的。",  # no judgment: 拒不履行 is the claim itself
        "利息一直滚，到时候三千块变两万。",  # thousands grown to tens of thousands
        "不还的话你以后办什么事都不方便。",  # public services refused
        "送达的时候要村干部和邻居签字作证。",  # neighbours made witnesses
        "他不回来就上网追逃。",  # 不回 sounds like 不会 but denies nothing
        "公安已经对他发了通缉令。",
    ],
)
def test_repossession_accounts_relatives_and_crimes(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "合同约定，逾期超过九十天公司可以依法收回车辆，这个您清楚。",  # the contract, lawful process
        "您要是愿意把车交回来，我们找评估机构估价后处置，多退少补。",
        "不是说我们明天就来把车开走，是提醒您合同有这个约定。",  # a denial said ahead
        "您的房子跟这笔欠款没关系，我们不会收您的房子。",
        "您姐姐不需要替他还，这个跟她无关。",
        "他不还的话，你们不用替他还，让他自己处理。",
        "担保人按合同要承担连带责任，这个您签字的时候就知道。",  # a guarantor's true duty
        "如果平台起诉，法院判下来也是要还本金和合同利息的。",
        "您的骑手账号跟这笔借款没有关系，不会被封。",
        "请问您那个封号大概什么时候能解开？",  # the customer's own ban asked about
        "您原来借的三千，现在加上利息变成三千六。",
        "你今天不还，我就把你照片做成通缉令发到群里。",  # a poster the agent makes: threat, not this
        "根据法律规定，信用卡透支经发卡银行两次有效催收后超过三个月仍不归还，并且以非法占有为目的的，可能涉及刑事责任。",
    ],
)
def test_lawful_repossession_true_duties_and_the_statute_are_clean(text):
    assert not flagged_said(text)


def test_a_message_passed_on_stays_the_agents_claim_however_long_the_sentence():
    # 跟她说 keeps 她说 from reading as reported speech even where the cue's window cuts it
    assert flagged_said("那你跟她说她租的手机欠了两千四三个月了再不还就按侵占处理")


@pytest.mark.parametrize(
    "text",
    [
        "您自己以后贷款买房可能会受影响，还是早点处理。",  # by sound 以后贷款 holds 后代
        "我们这周就把逾期名单发到各个车友群里公示。",  # posted in groups by a person: threat
        "律师函上礼拜已经寄到你们公司了，前台签收的。",  # a lawyer's letter is the collector's own
    ],
)
def test_the_debtors_own_credit_and_the_agents_own_exposure_are_not_this(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "你们单位要是知道你欠钱不还，饭碗肯定保不住。",  # the job lost or disciplined
        "你是公务员吧？逾期了要被纪委约谈的。",
        "欠款记录会影响你评职称。",
        "你女儿上重点中学要查父母征信的。",  # schools said to check the parents
        "你现在身份证已经被限制了，去哪都走不了。",  # the ID card, stations, visas
        "以后出国签证都办不下来。",
        "你老公以后办贷款也会被拒。",  # the family's credit
        "你现在违约了，要赔三倍的违约金。",  # a penalty multiplied
        "超过九十天要加收百分之三十的罚金。",
        "派出所已经安排了民警专门负责你这个案子。",  # police on the case already
        "公安那边已经备案了。",
        "我们已经申请支付令了。",  # a payment order, an award, said to exist
        "仲裁已经裁决了，你必须还。",
        "法院的执行人员这两天就会去你家。",  # the court's officers at the door
        "再不还钱，你就等着法院来人吧。",
        "婚姻存续期间的欠款都算夫妻共同的。",  # a spouse's duty declared
        "你是他哥，他不在你就要负责。",
    ],
)
def test_jobs_travel_penalties_and_proceedings_in_new_words(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "逾期不会影响您评职称，这是两码事。",
        "您老公的贷款跟您这笔没有关系，不会被拒。",
        "如果平台申请支付令，法院会寄给您，您有十五天提出异议。",  # conditional
        "我已经把您的还款计划备案了。",  # the agent's own note
        "法院的人不会来您家，您放心。",
        "婚姻存续期间的债务是否共同，要由法院认定，我们不会找您要。",
        "学校不会查家长的征信，您放心。",
        "利息按合同是一点五倍的罚息，不会多收。",  # the contract's rate
        "时效中断没中断，真到诉讼那一步是由法院来认定的。",  # 来认定 sounds like 来人
    ],
)
def test_denials_conditions_and_the_contracts_rate_are_clean(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "到时候派出所会配合法院一起过来找你。",  # the police said to come, a few words apart
        "恶意拖欠的，检察院那边会直接立案。",  # the procuratorate as the police
    ],
)
def test_the_police_or_the_procuratorate_said_to_come_or_file(text):
    assert flagged_said(text)


def test_a_police_or_procuratorate_line_a_rule_reads_is_no_impersonation_of_the_model_alone():
    said = "检察院那边这两天就会立案，你自己看着办。"
    found = with_model_on("impersonation", OPENING + [("a", said)] + BODY, len(OPENING))
    assert not [f for f in found if f.category == "impersonation"]


@pytest.mark.parametrize(
    "text",
    [
        "你已经被录入全国欠款人数据库了。",  # a national database
        "你会被列为重点监控对象。",  # a status declared
        "你身份证号码会在网上公示。",  # published by itself
        "逾期超过三个月，系统会自动把你报给法院。",
        "这个已经在法院系统里了，随时可以执行。",  # enforcement any time
        "我们已经向法院提交了财产保全申请。",  # a preservation order applied for
        "不还的话，你的手机号会被运营商停机。",  # services cut
        "你这笔欠款会影响你办护照。",
        "我们一个电话，你就上不了飞机。",
        "你的征信已经花了，十年都恢复不了。",  # a record said to last decades
    ],
)
def test_databases_statuses_and_services_said_to_follow(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "结清以后逾期记录会保留五年，五年后自动消除。",  # the true retention
        "您随时可以在APP里还款。",
        "我们不会把您的信息在网上公开。",
        "您的手机号如果停机了，记得告诉我们新号码。",
        "您办护照跟这个没关系。",
    ],
)
def test_true_retention_and_plain_service_talk_are_clean(text):
    assert not flagged_said(text)


# --- eighth round: duties true for the listener, denials, requests, new consequences -------


@pytest.mark.parametrize(
    "text",
    [
        "这钱是你们俩婚内借的，离了也得一起还。",  # a marriage debt claimed by a collector
        "下礼拜三法院就上门执行，你自己掂量。",  # the court's officers at the door
        "过两天我们过去，顺便清点一下你家值钱的家当。",  # a visit to list what can be taken
        "他再躲，到时候连你们家的店面也一起查封。",  # the listener's own property
        "再拖着不还，乡里直接扣你家的低保。",  # welfare docked
        "你这笔行里已经走了司法程序，法院已经发函了。",  # proceedings said to be under way
        "你的借款纠纷我们已经移交给市人民调解委员会了。",
        "执行局已经查到你名下那几张卡了。",  # an authority said to be at work already
        "你现在已经是被告了，自己心里要有数。",
        "法院的执行通知已经下来了，这礼拜就冻结。",
        "我们跟你们镇派出所早就打好招呼了。",  # connections there
        "你家里人的银行卡都会受牵连。",
    ],
)
def test_new_consequences_and_proceedings_of_the_eighth_round(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "您当时签了担保合同，他不还的话您就要替他还，这是合同写明的。",  # a guarantor's true duty
        "你们两个合伙开的厂，钱用在厂里，这笔你也有份。",  # a partner in the business
        "您放心，您父母和孩子都不受影响。",  # denied inside the match
        "信用卡欠款属于民事纠纷，不存在因为还不上就坐牢的事。",
        "我们从来不会讲欠钱就坐牢这种话。",  # a denial after the consequence
        "资料在APP上传就行，材料提交了给我回个消息。",  # the debtor's own papers
        "拖一天就多一天的利息，早点还划算。",  # the contract's daily interest
        "麻烦您跟财务说一声，这个月从他工资里扣一部分转给我们。",  # a request, not a seizure
        "这一千二你先转给我们抵债，剩下的下个月再说。",  # money asked for, not goods taken
        "打扰了，我们会把这个号码从名单里删掉。",  # a call list, not a list the debtor is on
        "恶意透支是有条件的，比如银行两次催收后超过三个月仍不还。",  # the statute, said after
        "只有恶意透支才可能涉及刑事责任，您这种情况不是。",  # ... or as the only case
    ],
)
def test_true_duties_denials_and_requests_of_the_eighth_round_are_clean(text):
    assert not flagged_said(text)


# --- the ninth round: words heard as others, totals the contract makes --------------------


@pytest.mark.parametrize(
    "text",
    [
        "工程款的事您可以找劳动仲裁，他们能帮您把钱追讨回来。",  # 追讨 (claim back) is no 追逃
        "平台会先通过协商追讨，协商不成再考虑别的办法。",
    ],
)
def test_everyday_words_heard_as_a_consequence_are_clean(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "本金还差八千四，加上利息和逾期的罚息，一共九千一百出头。",  # the balance the contract makes
        "您这笔现在算上罚息总共一万二千三，今天能先还一部分吗？",
    ],
)
def test_a_balance_told_with_the_contracts_interest_is_clean(text):
    assert not flagged_said(text)


def test_a_balance_grown_by_charges_beyond_the_contract_is_inflated():
    assert flagged_said("你本来借五千，现在加上违约金和催收费，已经一万三了。")


@pytest.mark.parametrize(
    "text",
    [
        "再拖下去，法院就来封你家的铺子。",  # a taking verb on whatever the debtor owns
        "你圈里那几头猪，我们下礼拜就去拉走。",  # ... or on a date
        "你老家村委会也会收到法院的通知。",  # the debt reported by a court, a lender, a system
        "平台已经把你欠款的事报给你们学校了。",
        "逾期超过一年就构成犯罪了。",  # unpaid debt called a crime, whoever's subject
        "你这个情况涉嫌合同诈骗罪。",
        "你是他儿子，他的账你就得替他还。",  # a duty to pay for the debtor said as fact
    ],
)
def test_takings_reports_crimes_and_duties_in_new_words(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "判决生效以后，法院可以依法执行您的财产，现在还没到那一步。",  # lawful process
        "只有以非法占有为目的恶意透支才构成犯罪，您这个是资金周转问题。",  # the statute's condition
        "那你要不要帮他还？帮的话我把还款方式发给你。",  # asked, not claimed
        "我们会按规定报送征信，不会通知您单位。",
    ],
)
def test_lawful_takings_the_statute_and_questions_are_clean(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        # the condition put after the consequence, in a line recognition left unpunctuated
        "限制高消费那是法院列为失信被执行人以后才有的措施前提是判决了还不履行您现在不是这个情况",
        "平台有权依法向法院起诉到时候由法院依法判决不是我们说了算",  # 起诉 + 到时候 is no 诉到
    ],
)
def test_a_condition_said_after_the_consequence_is_lawful(text):
    assert not flagged_said(text)


def test_a_debt_reported_to_the_speakers_office_claims_a_proceeding():
    assert flagged_said("网贷公司把你的事报到我们局里了，你心里要有数。")
    assert flagged_said("小贷公司把你告到我们这里来了，今天找你谈一下。")  # sued to the office
    assert not flagged_said("您在APP上提交的申请也会转到我们这边审核。")  # a request routed, no report


@pytest.mark.parametrize(
    "text",
    [
        "你那个贷款官司早判下来了，你一直没履行，现在转到执行局强制执行。",  # said as done
        "案子已经进入诉讼程序了，判决以后法院会发函让你们公司扣你工资。",
        "仲裁那边的裁决书已经下来了，逾期不履行就直接申请强制执行。",
    ],
)
def test_a_judgment_said_as_done_is_no_lawful_condition(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "只有法院判决生效以后还不履行，才会申请强制执行，现在离那一步还远。",
        "如果平台起诉，判决以后不履行的，可能会被列入失信被执行人名单。",
        "在这段时间里面不再加收罚息，您放心处理。",  # a charge said to stop
        "按照规定我们不能跟紧急联系人透露您借款的具体情况。",  # a telling barred
    ],
)
def test_a_framed_condition_a_stopped_charge_and_a_barred_telling_are_clean(text):
    assert not flagged_said(text)


def test_not_here_sounds_like_no_more_and_denies_nothing():
    assert flagged_said("他要是不在，你们家里人就要替他还，这是规定。")


@pytest.mark.parametrize(
    "text",
    [
        "跟你说清楚，借呗那边起诉你了，你自己心里有个数。",  # sued, said as done
        "速达金融起诉你民间借贷纠纷，下周法院就会联系你。",
        "原告是一家消费金融公司，你要不要先和解？",  # the case in a court's terms
        "执行标的六千四，还不算诉讼费。",
        "你上个月已经被江北一家小贷公司起诉了。",  # the suer named at length
    ],
)
def test_a_suit_said_as_done_or_told_in_a_courts_terms_claims_a_proceeding(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "公司目前还没有起诉你了解一下就行。",  # denied
        "平台已经准备起诉你了，你看怎么处理。",  # a plan
        "如果走到诉讼那一步，原告是平台，由法院依法判决。",  # a condition
    ],
)
def test_a_suit_denied_planned_or_conditional_is_clean(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "本金两千八，加上催收费和律师费，现在是六千一。",  # the balance grown, a total in thousands
        "原来欠四千，算上仲裁费、诉讼费一共九千五了。",
        "你这个律师费、诉讼准备费都要算你头上。",  # charges piled onto the debt
        "现在是五千三了，加了违约金和仲裁费。",  # the total first, the charges after
    ],
)
def test_a_balance_grown_by_what_the_collection_side_adds_is_inflated(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "本金九千二，利息和违约金另算，具体以APP账单为准。",  # the contract's own charges
        "外访一次要收六百上门费，这个费用是要加到你账上的。",  # a visit's fee charged: extra_fees
        "逾期以后要加收两百块的催收服务费，今天还是三千四。",  # a fee charged on its own: extra_fees
    ],
)
def test_the_contracts_charges_and_a_fee_charged_on_its_own_are_not_inflated(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "再拖下去，你工资卡到时候都给你冻了。",  # a freeze in everyday words
        "下礼拜你的账户就动不了了，微信也一样。",
        "所有卡全部冻。",
        "你那张卡进了钱也会被直接划走。",
    ],
)
def test_a_freeze_said_in_everyday_words_is_a_taking(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "您往那张借记卡里存够钱，系统就会自动扣款。",  # 自动 sounds like a freeze
        "还清以后我们当天就给你的账户解冻。",  # a thaw
        "公司对公账户这两天也冻着，您走APP还款就行。",  # the company's own account
    ],
)
def test_an_automatic_debit_a_thaw_and_the_companys_account_are_no_taking(text):
    assert not flagged_said(text)


# --- thirteenth round: mechanisms counted across tune writers, seen in writers nobody had read --


@pytest.mark.parametrize(
    "text",
    [
        "你再拖，系统后天就会自动把欠款情况发给你通讯录每个人。",  # words between 系统 and 自动
        "逾期以后系统还会自动通知你所有的联系人。",
        "从这个月起按每天百分之一加收催收服务费。",  # the day and the charge apart
        "你不还也行，系统每天给你多算五十块的管理费。",
        "明天不处理，后台就远程锁了你的手机。",  # a phone or car locked from afar
        "分期没结清，你那个手机到时候就变成砖头。",
        "我们已经发函给你户籍地的村委会和派出所了。",  # the police told, the place between
        "银行把你的材料报到你们镇上派出所去了。",
    ],
)
def test_thirteenth_round_invented_consequences(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们公司对公账户这两天冻结在年审，只能先走这个卡。",  # the collector's own account
        "我们的账户冻结了转不进，只能先打到财务个人卡上。",
        "房东扣不扣押金那是你们租房合同的事，跟这笔贷款无关。",  # 扣 + 押金, a landlord
        "那我给你登记五号之前还款，你到时候在APP上操作。",  # 之前 is no 值钱 by sound
        "你说上个月被平台罚款了？罚款大概多少？",  # a fine asked about
    ],
)
def test_thirteenth_round_channels_deposits_dates_and_questions_are_clean(text):
    assert not flagged_said(text)


def test_listing_the_debtors_valuables_still_counts():
    assert flagged_said("下周我们过去一趟，顺便清点一下你家值钱的家电。")


# --- fourteenth round --------------------------------------------------------------------


def test_a_case_in_the_collectors_hands_is_no_court_accepting_it():
    # by sound 手里 is 受理 (shou li)
    assert not flagged_said("你这个账已经交到我手里了，有什么情况直接跟我说。")
    assert flagged_said("你这个案子法院已经受理了，你等通知吧。")


def test_a_certificate_of_cancellation_is_a_paper_not_a_sanction():
    assert not flagged_said("家属这边把户口注销证明和死亡证明拍照上传就行。")
    assert flagged_said("再不还，你的户口都要被注销。")


@pytest.mark.parametrize(
    "text",
    [
        "你一直不履行，后面会发生什么你自己掂量。",  # non-performance said as done
        "这事判决了，你自己看着办吧。",
    ],
)
def test_a_lawful_cue_said_as_done_does_not_veto_the_model(text):
    # 合法表述's judgment cues count only where the sentence frames them as a condition
    assert [f.detector for f in model_exaggeration(text)] == ["classifier"]


# --- the fifteenth round: the financed vehicle taken back --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "这期再拖着，你那辆货车就要被拖走，到时候活都没法接。",  # the collateral taken back, no one sent
        "车开走了你拿什么跑运输，自己想清楚。",
    ],
)
def test_the_vehicle_said_taken_back_is_clean(text):
    assert not flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "再不还，我们就把你那辆面包车拖走抵债。",  # taken to settle the debt
        "你那台车后台一锁就熄火了，哪也去不了。",  # locked from afar
    ],
)
def test_the_vehicle_taken_to_settle_the_debt_or_locked_stays(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    [
        "你们俩住一块的，他那笔账你也有份，先拿点出来。",  # a share claimed in everyday words
        "两个人过日子嘛，夫妻一体，你先帮着垫一点。",
    ],
)
def test_a_share_of_the_debt_in_everyday_words_is_clean(text):
    assert not flagged_said(text)


def test_a_share_of_the_debt_in_the_laws_words_stays():
    assert flagged_said("你们没离婚，这是夫妻共同债务，你一样要还。")


def test_a_charge_priced_per_visit_is_a_fee_not_an_inflated_debt():
    assert not flagged_said("下礼拜外访组过去，跑一次收五百的催收费，记到你账上。")
    assert flagged_said("因为你一直拖，律师费和诉讼费都要算到你头上。")


def test_contacts_reached_by_the_rules_when_the_debtor_cannot_be_is_no_exposure():
    assert not flagged_said("要是一直联系不上您，我们会按规定打给您留的紧急联系人，只请他转告回电。")
    assert flagged_said("你再不接，系统会自动把你的欠款发给通讯录里的每个人。")


def test_the_record_said_held_for_good_unless_a_fee_is_paid():
    assert flagged_said("手续费你不交，我们不给你开证明，你那个征信就永远挂着。")
    assert not flagged_said("早点还清吧，不然逾期记录会一直挂着。")  # the true harm, no fee asked
