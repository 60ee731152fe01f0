import copy
import re
import textwrap

import pytest
from detect_helpers import OPENING, findings_for, lexicon_only, make_call

from pipeline.calls import Call, Segment
from pipeline.categories import category_table
from pipeline.config import load_config
from pipeline.detect import detect_call
from pipeline.detect.homophones import HomophoneRepairer
from pipeline.detect.lexicon_file import load_category_lexicons
from pipeline.detect.recognizers.lexicon import LexiconRecognizer
from pipeline.detect.registry import default_registry
from pipeline.detect.sound import sentence_bounds, sound_text, spelt_both_ways
from pipeline.detect.view import Utterance
from pipeline.text import LEXICON_DIR
from pipeline.yamldoc import LexiconError


def write(tmp_path, name, text):
    (tmp_path / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


GOOD = """
category: threat
clauses: ["GB 5.2.1.2"]
rules:
  - id: visit
    terms: ["上门"]
"""


def test_shipped_lexicons_load():
    categories = {lexicon.category for lexicon in load_category_lexicons(LEXICON_DIR, category_table())}
    assert {"threat", "impersonation", "exaggeration"} <= categories


def test_invalid_regex_is_reported_with_file_and_line(tmp_path):
    write(tmp_path, "threat.yaml", GOOD + '  - id: broken\n    patterns: ["(找你"]\n')
    with pytest.raises(LexiconError) as err:
        load_category_lexicons(tmp_path, category_table())
    problem = err.value.problems[0]
    assert problem.startswith(f"{tmp_path / 'threat.yaml'}:7:")
    assert "rules[1].patterns[0]" in problem and "invalid regular expression" in problem


def test_every_mistake_in_every_file_is_listed(tmp_path):
    write(tmp_path, "a.yaml", GOOD + "    severity: extreme\n    scor: 0.5\n")
    write(
        tmp_path,
        "b.yaml",
        GOOD.replace('clauses: ["GB 5.2.1.2"]', 'clauses: ["GB 9.9"]') + '  - id: x\n    patterns: ["{nope}"]\n',
    )
    with pytest.raises(LexiconError) as err:
        load_category_lexicons(tmp_path, category_table())
    text = str(err.value)
    assert "a.yaml:6: rules[0].severity: must be one of high, medium, low, got 'extreme'" in text
    assert "a.yaml:7: rules[0].scor: unknown key 'scor'" in text
    assert "b.yaml:2: clauses: 'GB 9.9' is not a clause of threat in categories.yaml" in text
    assert "b.yaml:7: rules[1].patterns[0]: uses {nope} but sets has no 'nope'" in text


def test_a_rule_that_needs_a_phrase_counts_only_with_it_in_the_hits_sentence(tmp_path):
    write(
        tmp_path,
        "extra_fees.yaml",
        """
        category: extra_fees
        sets:
          pay: ["交", "转"]
        rules:
          - id: priced
            patterns: ["费[一二三四五六七八九十百千]+"]
            needs: ["(?:{pay})过来"]
        """,
    )
    [lexicon] = load_category_lexicons(tmp_path, category_table())
    recognizer = LexiconRecognizer(lexicon, "high")

    def fires(text):
        utterance = Utterance(0, Segment(0.0, 1.0, "agent", text), "agent", None, text, sound_text(text))
        return bool(recognizer.hits(utterance))

    assert fires("服务费三百，今天转过来。")
    assert fires("今天交过来，服务费三百。")
    assert not fires("服务费三百，合同里写着。")
    assert not fires("服务费三百。本金今天转过来。")  # another sentence


def test_a_needed_phrase_that_is_no_regular_expression_is_reported(tmp_path):
    write(tmp_path, "threat.yaml", GOOD + '    needs: ["(交"]\n')
    with pytest.raises(LexiconError) as err:
        load_category_lexicons(tmp_path, category_table())
    assert "rules[0].needs[0]" in str(err.value) and "invalid regular expression" in str(err.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    write(tmp_path, "threat.yaml", GOOD + "  - id: [unclosed\n")
    with pytest.raises(LexiconError, match=r"threat\.yaml:\d+: not valid YAML"):
        load_category_lexicons(tmp_path, category_table())


@pytest.fixture(scope="module")
def repairer() -> HomophoneRepairer:
    return default_registry().preparer.repairer


@pytest.mark.parametrize(
    "heard, repaired",
    [
        ("我是发院的", "我是法院的"),
        ("已经预期三个月了", "已经逾期三个月了"),
        ("我这边是律诗事务所的", "我这边是律师事务所的"),
        # 还 said huán where it means paying back, though pypinyin reads 还款 hai kuan
        ("好的环款后请保留凭证", "好的还款后请保留凭证"),
    ],
)
def test_homophones_are_repaired(repairer, heard, repaired):
    text, repairs = repairer.repair(heard)
    assert text == repaired
    assert repairs and repairs[0].heard != repairs[0].word


@pytest.mark.parametrize(
    "text",
    [
        "没办法院子里都是人",  # 法院's sound cut across 办法 | 院子
        "我们老师说过",  # 老师 shares only shi with 律师
        "我发个短信给您",  # one syllable (发) never matches
        "您的征信会受影响",  # 征信 is a word itself: it stays
        "您别担心",  # 担 has a rare reading jie; 担心 must not become 捷信
        "我们每天都会打给您",  # 我们没's sound, but 每天 is a word: no 我们没天 (a negation)
        "你还是不是人",  # 还 said hái (still): written right, nothing to repair
    ],
)
def test_no_repair_on_unrelated_words(repairer, text):
    assert repairer.repair(text) == (text, [])


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("他那笔一共三玩二", "他那笔一共三万二"),  # 万 heard as 玩 after a numeral
        ("先还八百快吧", "先还八百块吧"),  # 块 as 快
        ("还差2玩", "还差2万"),
        ("我一晚上没睡", "我一晚上没睡"),  # 晚上 is a word: no unit
        ("这周五前还给你", "这周五前还给你"),  # 千 sounds as 前: never put back
        ("快还钱", "快还钱"),  # no numeral before it
    ],
)
def test_a_unit_of_money_heard_after_a_numeral_is_put_back(heard, meant):
    assert HomophoneRepairer([]).repair(heard)[0] == meant


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("你今天先还以往吧", "你今天先还一万吧"),  # yi wan heard yi wang, right after 还
        ("他欠三钱没给", "他欠三千没给"),  # qian heard with -ng: 欠 keeps the sum
        ("借两钱给他", "借两千给他"),  # 千 after a numeral is left by the unit repair (前), not here
        ("你还是晚了一步", "你还是晚了一步"),  # 还是 is a word, 是晚 none: no 还十万
        ("我借一晚上的车", "我借一晚上的车"),  # 晚上 is a word: no sum
        ("他还以为没事", "他还以为没事"),  # 为 is no unit
        ("他们依旧以往", "他们依旧以往"),  # no verb of money before it
    ],
)
def test_a_sum_heard_as_other_words_after_a_verb_of_money_is_put_back(heard, meant):
    assert HomophoneRepairer([]).repair(heard)[0] == meant


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("你叫她抓紧还千", "你叫她抓紧还钱"),  # 还钱 is a domain word: 千 for 钱
        ("要是他不海的话", "要是他不还的话"),  # 还 read hai, as 海 and 害
        ("他说还欠两个月的", "他说还欠两个月的"),  # 还欠 (still owes) is held as written
        ("你不害怕吗", "你不害怕吗"),  # 害怕 is a word: no 不还
        ("钱打到这个帐户里", "钱打到这个账户里"),  # the same word in another written form: rules read 账户
    ],
)
def test_the_shipped_repair_puts_back_words_of_money(repairer, heard, meant):
    assert repairer.repair(heard)[0] == meant


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("他要是再不缓，就麻烦了", "他要是再不还，就麻烦了"),  # huán heard 缓, closing a clause after 不
        ("钱借了半年都没换了。", "钱借了半年都没还了。"),  # after 没, before 了 and the clause's end
        ("好，我下周就海", "好，我下周就还"),  # hái heard 海, after 就 at the end
        ("你能不能帮他换？", "你能不能帮他还？"),  # after whom it is paid for
        ("你今天先缓两玩", "你今天先还两万"),  # before a sum, itself heard as other words
        ("记得把那笔钱环上", "记得把那笔钱还上"),  # right after the money
        ("他在外面千了款", "他在外面欠了款"),  # 欠 heard 千, before 了 and the money
        ("签了合同再说", "签了合同再说"),  # 签 before 了 and no money
        ("他买手机，签了一千九", "他买手机，欠了一千九"),  # ... and before 了 and a sum
        ("它信用卡签了1万3千多", "它信用卡欠了1万3千多"),
        ("他签了两份合同", "他签了两份合同"),  # a number, no sum of money
        ("他在我们遮接了五千，撒月不还", "他在我们遮借了五千，撒月不还"),  # 借 heard 接 before 了 and a sum
        ("你在网上截了一万一", "你在网上借了一万一"),
        ("麦收我接了三百亩的活", "麦收我接了三百亩的活"),  # a sum of land, not money
        ("月底结了钱就还", "月底结了钱就还"),  # wages settled: 借 only before a sum
        ("周强的卡签了9000多", "周强的卡欠了9000多"),  # a sum in digits with no unit
        ("他签了2019年的合同", "他签了2019年的合同"),  # a year, no sum
        ("你那三千脱了四个月", "你那三千拖了四个月"),  # 拖 heard 脱 before how long
        ("再脱下去，你们娃娃上学都难", "再拖下去，你们娃娃上学都难"),
        ("他想摆脱了三个月的麻烦", "他想摆脱了三个月的麻烦"),  # 摆脱 is a word
        ("你跑不脱", "你跑不脱"),
        ("他千千不还还有理了", "他欠钱不还还有理了"),  # the verb and the money both heard as others
        ("一到缓浅的时候就没人", "一到还钱的时候就没人"),
        ("他借了两千钱就跑了", "他借了两千钱就跑了"),  # 千 in a sum
        ("钱千万别再借了", "钱千万别再借了"),  # 千万 is a word
        ("我手机号码也换了", "我手机号码也换了"),  # 换 (changed) after no negation
        ("能不能再缓几天", "能不能再缓几天"),  # 缓 before a time: no clause's end, no sum
        ("八百块换两千块", "八百块换两千块"),  # 块 before 换: 还 would mean no paying back there
        ("他上个月出海了，", "他上个月出海了，"),
    ],
)
def test_the_money_verb_heard_as_another_syllable_of_its_sound(heard, meant):
    assert HomophoneRepairer([]).repair(heard)[0] == meant


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("那笔钱已经于七三个月了", "那笔钱已经逾期三个月了"),  # none of 逾期's characters heard
        ("他借的钱遇弃四十天了", "他借的钱逾期四十天了"),
        ("你的贷款一期六十多天", "你的贷款逾期六十多天"),  # yu heard yi on phone audio
        ("八千块已经一起两个月了", "八千块已经逾期两个月了"),
        ("现在于七都一年了", "现在逾期都一年了"),
        ("这笔是第一期三个月的", "这笔是第一期三个月的"),  # 第一 is a word: an instalment
        ("我们一起吃个饭", "我们一起吃个饭"),  # no time overdue after it
        ("这笔是统一期两个月", "这笔是统一期两个月"),  # 统一 is a word
    ],
)
def test_overdue_heard_as_other_characters_before_how_long(heard, meant):
    assert HomophoneRepairer([]).repair(heard)[0] == meant


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("我们是南宁市人民挑战委员会的", "我们是南宁市人民调解委员会的"),  # one syllable inside heard otherwise
        ("我们是南宁市人民挑战委员", "我们是南宁市人民挑战委员"),  # not the whole name
        ("人民挑战，委员会", "人民挑战，委员会"),  # a pause inside is no name
    ],
)
def test_a_long_name_of_a_body_with_one_syllable_heard_otherwise(repairer, heard, meant):
    assert repairer.repair(heard)[0] == meant


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("本次通话会露营，请问是张伟吗？", "本次通话会录音，请问是张伟吗？"),
        ("这通电话是全程录影的", "这通电话是全程录音的"),
        ("我是好物分期的电话录者营，", "我是好物分期的电话录着音，"),  # 录着音
        ("本次通华露营，", "本次通华录音，"),  # the call heard as a homophone too
        ("鹿融消费金融的电话有录意呢", "鹿融消费金融的电话有录音呢"),  # 音's nasal lost
        ("电话里说去旅游", "电话里说去旅游"),  # lu you: no 音 heard
        ("电话里说去露营", "电话里说去露营"),  # no recording said of the call
        ("周末去露营", "周末去露营"),
    ],
)
def test_recorded_heard_as_other_characters_after_the_call(heard, meant):
    text, repairs = HomophoneRepairer([]).repair(heard)
    assert text == meant
    assert all(r.in_context for r in repairs)  # taken on its context, not on its sound alone


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("这钱你不还是要做老的。", "这钱你不还是要坐牢的。"),  # none of 坐牢's characters, closing the clause
        ("公司已经气速了", "公司已经起诉了"),
        ("我是律师，姓鞠，受平台委托", "我是律师，姓鞠，受平台委托"),  # a clause of its own: a name
        ("他出门手机忘带。", "他出门手机忘带。"),  # a word as heard
        ("做老实人吧", "做老实人吧"),  # mid-clause
    ],
)
def test_a_short_word_heard_with_none_of_its_characters_only_where_it_closes_a_clause(repairer, heard, meant):
    assert repairer.repair(heard)[0] == meant


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("还要加催收肥，", "还要加催收费，"),  # 催收费 heard, taking in 催收 as written
        ("上面有苏宋准备肥", "上面有诉讼准备费"),  # taking in 准备
        ("你在分期了吗", "你在分期了吗"),  # 了 is one of the commonest words: no 分期乐
        ("先分期呢", "先分期呢"),  # nor 呢 (ne, le only by the fuzzy n/l)
    ],
)
def test_a_longer_word_heard_takes_in_a_shorter_one_written_inside_it(repairer, heard, meant):
    assert repairer.repair(heard)[0] == meant


def test_the_money_verb_is_not_read_into_a_name_the_call_knows():
    assert HomophoneRepairer([]).repair("我们帮没海，", ["没海"])[0] == "我们帮没海，"


def test_a_word_kept_as_written_is_held_but_never_put_back():
    # 我借 as a word to put back turns a sister (我姐) into a loan; kept, it is only held where written
    assert HomophoneRepairer(["我借"]).repair("我姐下个月结婚")[0] == "我借下个月结婚"
    assert HomophoneRepairer([], kept=["我借"]).repair("我姐下个月结婚") == ("我姐下个月结婚", [])
    # held where written, 不会 keeps 补回去 out of 不会去
    assert HomophoneRepairer(["补回去"]).repair("他们不会去你家")[0] == "他们补回去你家"
    assert HomophoneRepairer(["补回去"], kept=["不会"]).repair("他们不会去你家") == ("他们不会去你家", [])


@pytest.mark.parametrize(
    "text",
    [
        "您好，我是人工坐席",  # 是 sounds like 私 only fuzzily, and 人工 is a word: no 我私人
        "这次调解失败了就走诉讼",  # 失败 is held as written: no 调解室
        "您这期待还一千二",  # 待还 (still owed) is no 代还
        "我们同时给您发了短信",  # 同时 is no 同事
        "他说不会去你单位",  # the cue 不会 is held where written: no 补回去
    ],
)
def test_the_shipped_repair_leaves_everyday_words_alone(repairer, text):
    assert repairer.repair(text) == (text, [])


def test_no_repair_cuts_into_a_name_the_call_knows():
    preparer = default_registry().preparer

    def read(segments, **meta):
        call = Call("c", [Segment(2.0 * i, 2.0 * i + 1.5, "agent", t) for i, t in enumerate(segments)], **meta)
        return [text for text, _ in preparer.repaired(call)]

    # Nothing tells that 锦融 is a name: heard as 金融 (jin rong).
    assert read(["锦融这边提醒您，借款明天到期"]) == ["金融这边提醒您，借款明天到期"]
    # The manifest's agency (or lender) names it; 发院 is still 法院.
    assert read(["锦融这边提醒您，借款明天到期", "我是发院的"], agency="锦融消费金融有限公司") == [
        "锦融这边提醒您，借款明天到期",
        "我是法院的",
    ]
    assert read(["锦融这边提醒您"], extra={"lender": "锦融"}) == ["锦融这边提醒您"]
    # A line writes it out before a suffix: the name is held in every line of the call.
    assert read(["晋融消费金融提醒您，借款今天到期", "晋融这边可以给您延三天"]) == [
        "晋融消费金融提醒您，借款今天到期",
        "晋融这边可以给您延三天",
    ]


def test_homophone_hit_is_explained_and_scored_lower():
    [finding] = findings_for(OPENING + [("a", "我是发院的，你的案子已经到我们这了")], "impersonation", lexicon_only())
    assert finding.segment_index == 3
    assert "发院→法院" in finding.explanation and "fa yuan" in finding.explanation
    [plain] = findings_for(OPENING + [("a", "我是法院的，你的案子已经到我们这了")], "impersonation", lexicon_only())
    assert finding.score < plain.score


@pytest.mark.parametrize(
    "text, category",
    [
        ("你再不还，我们明天就上门找你", "threat"),
        ("你这种老赖我见多了", "threat"),
        ("我是朝阳区人民法院的，你的案子立案了", "impersonation"),
        ("再不还就把你拉进黑名单，坐不了飞机", "exaggeration"),
        ("你这样是要坐牢的", "exaggeration"),
    ],
)
def test_violations_fire(text, category):
    assert [f.category for f in findings_for(OPENING + [("a", text)])] == [category]


@pytest.mark.parametrize(
    "text",
    [
        "您放心，我们不会上门，也不会联系您的家人",
        "我们公司不做上门，有什么事电话里说",  # the act negated by the kind of work the agent does not do
        "您放心，我们不是法院，也不是律师",
        "您说有人冒充律师给您打电话？",
        "如果进入诉讼程序，由法院依法判决",
        "逾期信息会按规定报送征信系统",
        "我司保留依法起诉的权利",
        "逾期不回坐牢的，您别担心",  # 不会 misheard as 不回 still negates
        "如果法院判决后您仍不履行，法院可以依法将您列入失信被执行人名单",
        "我们已经给您寄了账单，您没收到吗",
    ],
)
def test_negated_reported_and_lawful_statements_do_not_fire(text):
    assert findings_for(OPENING + [("a", text)]) == []


@pytest.mark.parametrize("text", ["你们再打我就报警，我认识律师", "你们这些老赖公司，上门我也不怕", "我会不会坐牢啊"])
def test_customer_speech_is_ignored(text):
    assert findings_for(OPENING + [("c", text)]) == []


def test_misheard_context_words_still_match_by_sound():
    # 你 misheard as 拟 breaks the written pattern 找你…领导; spelt by sound it still matches
    # (the lexicon alone: the classifier's agreement would push both scores to the same 0.998)
    [finding] = findings_for(OPENING + [("a", "再不还我们就找拟领导")], "threat", config=lexicon_only())
    assert "按读音匹配" in finding.explanation
    [plain] = findings_for(OPENING + [("a", "再不还我们就找你领导")], "threat", config=lexicon_only())
    assert finding.score < plain.score


def test_two_sounds_alike_by_chance_are_not_repaired():
    # a two-character word must keep one of its characters: 老李 (lao li) is not 牢里
    repairer = HomophoneRepairer(["牢里"])
    assert repairer.repair("我是老李") == ("我是老李", [])
    text, [repair] = repairer.repair("关在劳里")
    assert text == "关在牢里" and repair.heard == "劳里"


@pytest.mark.parametrize(
    "pattern", ["你[一-龥]{2}", "你[\\\\u4e00-\\\\u9fff]{2}"]
)  # the range written out or as escapes
def test_pattern_that_cannot_be_matched_by_sound_is_reported(tmp_path, pattern):
    write(tmp_path, "threat.yaml", GOOD + f'  - id: range\n    patterns: ["{pattern}"]\n')
    with pytest.raises(LexiconError, match=r"threat\.yaml:7: rules\[1\]\.patterns\[0\]: .*cannot be matched by sound"):
        load_category_lexicons(tmp_path, category_table())


@pytest.mark.parametrize(
    "text", ["我是王静，负责您的账户", "您好，我是中原消费金融的客服", "我们这边是高原地区的分公司"]
)
def test_names_that_sound_like_authorities_do_not_fire(text):
    # 王静 sounds like 网警, 中原 like 中院, 高原 like 高院: a match by sound needs a keyword as written
    assert findings_for(OPENING + [("a", text)], "impersonation", lexicon_only()) == []


@pytest.mark.parametrize(
    "category, text",
    [
        # 受 of 受托 sounds like 收 (收…押金), 杰 of a name like 借 (借…小贷), 班 like 办 (办…贷款…还),
        # 前 of 周三前 like 钱 (钱…打给我): a single word a rule needs is taken only as written
        ("extra_fees", "您好，我是受托于安心押金贷的催收专员，想跟您核对一下还款安排。"),
        ("illegal_funding", "喂你好李志杰我这边是万通小贷的"),
        ("illegal_funding", "她给儿子报的钢琴班贷款没还，八千多。"),
        ("private_channel", "那你下周三前打给我。"),
    ],
)
def test_a_homophone_that_stands_for_no_keyword_does_not_match_by_sound(category, text):
    assert findings_for(OPENING + [("a", text)], category, lexicon_only()) == []


@pytest.mark.parametrize(
    "category, text",
    [
        ("private_channel", "您先转到我们同时的卡里，今天就给您处理。"),  # 同时 for 同事, at the keyword's place
        ("threat", "再不还我们就找拟领导"),  # 拟 for 你, a context word
    ],
)
def test_a_misheard_keyword_or_context_word_still_matches_by_sound(category, text):
    [finding] = findings_for(OPENING + [("a", text)], category, lexicon_only())
    assert "按读音匹配" in finding.explanation


@pytest.mark.parametrize(
    "category, text",
    [
        # dialect words read as Mandarin by the dialogue file's table (俺 as 我, 唔 as 不, 屋企 as 家里)
        ("impersonation", "俺是华信律师事务所的张律师，受平台委托来处理你这笔欠款。"),
        ("threat", "你再唔还，我哋就去你屋企搵你。"),
    ],
)
def test_dialect_words_are_read_as_mandarin(category, text):
    assert findings_for(OPENING + [("a", text)], category, lexicon_only())


@pytest.mark.parametrize(
    "category, text",
    [
        ("threat", "我哋唔会去你屋企搵你，你放心。"),
        ("threat", "我哋冇去你屋企搵你。"),
        ("impersonation", "俺不是律师事务所的，俺是平台的客服。"),
        ("private_channel", "你喺App入面还就得，唔好转俾任何私人账户。"),
    ],
)
def test_a_denial_in_dialect_still_cancels(category, text):
    assert findings_for(OPENING + [("a", text)], category, lexicon_only()) == []


def test_a_pattern_spelt_both_ways_keeps_its_widths():
    pattern = spelt_both_ways("(?<![话电])费(?:用)?[^，。不]{0,4}交")
    assert re.fullmatch(pattern, "费用先" + sound_text("交"))
    assert re.fullmatch(pattern, sound_text("费") + "一下交")
    assert not re.search(pattern, "话费用先交") and not re.search(pattern, "费" + sound_text("不") + "交")


@pytest.mark.parametrize(
    "text, category",
    [
        ("你儿子在实验小学上三年级吧，你也不想我们去学校找他吧", "threat"),
        ("你算什么东西，借钱不还还有理了", "threat"),
        ("法官那边让我通知你，下周三之前到庭", "impersonation"),
        ("等一下会有警察跟你联系，你注意接电话", "impersonation"),
        ("过段时间？下周违约金就变成十万了", "exaggeration"),
        ("到时候警察直接去你单位把你带走", "exaggeration"),
        ("就会有人去你家把值钱的东西都拿走抵债", "exaggeration"),
        ("你这属于骗贷，金额已经够刑事立案了", "exaggeration"),
        ("你一辈子都别想再贷到款了", "exaggeration"),
        ("你要是还这么拖，你们村里人都会知道你是个什么样的人", "threat"),
        ("你老婆知道你借了这么多钱吗，要不要我们打电话跟她说说", "threat"),
        ("再拖下去我们只能安排外访了，到时候左邻右舍都知道你欠钱", "threat"),
        ("我姓王，是一名执业律师，受托处理你的欠款", "impersonation"),
        ("我们这边是法院指定的调解机构", "impersonation"),
        ("这个电话是法院打来的，你认真听好", "impersonation"),
        ("你不还钱会影响你家人的征信", "exaggeration"),
        ("你的紧急联系人也要承担连带责任", "exaggeration"),
        ("明天就强制执行你名下的财产", "exaggeration"),
    ],
)
def test_paraphrases_fire_without_the_classifier(text, category):
    assert category in [f.category for f in findings_for(OPENING + [("a", text)], config=lexicon_only())]


@pytest.mark.parametrize(
    "text",
    [
        "您可以找您的家人朋友帮忙周转一下，先还一部分",
        "您可以问问您的朋友能不能先借一点",
        "我们的工作人员可能会上门拜访，跟您当面协商还款方案",
        "按照规定，逾期后会有外访人员与您当面沟通",
        "您别逼我们走法律程序",
        "您借款买的什么东西？",
        "我是看您年纪轻轻的，别让征信花了",
        "我们公司也知道您的难处，所以才给您申请了减免",
        "您看看能不能用别的办法筹一下钱",
        "您要是丢了工作，那就更还不上了，所以要早做打算",
        "您领导知道您现在的情况吗？可以申请预支工资吗？",
        "我们不想让您在单位难堪，所以希望您自己处理好",
        "您父母那边我们没有联系过，您放心",
        "我们有专门的外访部门，但是您这个情况还没到那一步",
        "您家人知道您借款的事吗？可以跟他们商量一下",
        "经法院判决后拒不履行的，可能被列为失信被执行人，限制高消费",  # lawful condition, past a comma
        "您的孩子上学不会受影响的，这个您放心",
    ],
)
def test_firm_or_helpful_talk_does_not_fire(text):
    assert findings_for(OPENING + [("a", text)], config=lexicon_only()) == []


def test_a_key_given_twice_is_reported_not_silently_dropped(tmp_path):
    write(tmp_path, "threat.yaml", GOOD + '    patterns: ["找你"]\n    patterns: ["去你家"]\n')
    with pytest.raises(LexiconError, match=r"threat\.yaml:7: 'patterns' is given twice"):
        load_category_lexicons(tmp_path, category_table())


# --- third round (heldout_v1's false alarms and misses, in other words) ----------------------


@pytest.mark.parametrize(
    "text, categories",
    [
        # exposure presented as procedure, or as what a trial brings: exaggeration, not threat
        ("按规定系统会自动给你手机里所有联系人发短信", ["exaggeration"]),
        ("一旦开庭，你们公司领导肯定都会知道这件事", ["exaggeration"]),
        ("所有人都会收到你欠款的短信", ["exaggeration"]),
        # the debt itself sent to the workplace is still exposure
        ("明天我们把你欠钱的截图寄到你们单位去", ["threat"]),
        # a government-sounding office, and speaking for a lawyer
        ("我是区互联网金融风险清理整顿办公室的", ["impersonation"]),
        ("我这个电话是替我们律所的陈律师打的", ["impersonation"]),
        # veiled damage to property; exposure in a workplace chat group; charges that triple the debt
        ("车停在外面，哪天被划了砸了也说不准", ["threat"]),
        ("你这人怎么这么没脸没皮的，借钱的时候不是挺能说的吗", ["threat"]),  # an insult off the word list
        ("那我们明天就去你厂头找你们老板，让全厂都晓得", ["threat"]),  # dialect: 厂头, 晓得
        ("他再不还，我们就把他的事发到你们单位的工作群里", ["threat"]),
        ("现在加上违约金、滞纳金、利息，已经两万四了", ["exaggeration"]),
    ],
)
def test_third_round_phenomena(text, categories):
    assert sorted({f.category for f in findings_for(OPENING + [("a", text)], config=lexicon_only())}) == categories


@pytest.mark.parametrize(
    "text, category",
    [
        ("你不信可以不还，到时候传票寄到你单位", "threat"),  # court papers served at work: legal process
        ("您说之前有人说要发您通讯录？我们公司是严禁这样做的", "threat"),  # reported speech
        ("您说上次有人跟您说会坐牢？这种说法是不对的", "exaggeration"),
        ("失信被执行人名单是法院判决以后拒不履行才会列入的，我们没有这个权力", "exaggeration"),  # condition said after
        ("逾期记录会按规定报送征信，可能影响您以后贷款", "exaggeration"),  # by sound 以后贷款 holds 后代
        ("我们已经把你的资料提交到公安局了", "impersonation"),
        (
            "我们上门的差旅费也要算在你头上",
            "threat",
        ),  # 上门费 names a fee (extra_fees), no visit  # by sound 提 is 替: nobody speaks for the police
    ],
)
def test_third_round_hard_negatives(text, category):
    assert findings_for(OPENING + [("a", text)], category, config=lexicon_only()) == []


# --- the category table: every lexicon names a category it lists --------------------------


def test_a_lexicon_of_an_unknown_category_is_refused_at_load(tmp_path):
    write(tmp_path, "harassment.yaml", GOOD.replace("category: threat", "category: harassment"))
    with pytest.raises(
        LexiconError, match=r"harassment\.yaml:1: category: 'harassment' is not a category of .*categories\.yaml"
    ):
        load_category_lexicons(tmp_path, category_table())


def test_a_lexicon_for_a_category_the_lexicon_family_does_not_feed_is_refused(tmp_path):
    write(
        tmp_path,
        "quiet.yaml",
        GOOD.replace("category: threat", "category: quiet_hours").replace('clauses: ["GB 5.2.1.2"]\n', ""),
    )
    with pytest.raises(LexiconError, match="does not list lexicon among the families that feed quiet_hours"):
        load_category_lexicons(tmp_path, category_table())


def test_a_category_fed_by_lexicons_without_a_lexicon_file_is_refused(tmp_path):
    import shutil

    lexicons = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, lexicons)
    (lexicons / "extra_fees.yaml").unlink()
    detection = copy.deepcopy(load_config()["detection"])
    detection["lexicon_dir"] = str(lexicons)
    from pipeline.detect.registry import build_registry

    with pytest.raises(
        LexiconError, match="extra_fees is fed by the lexicon family, but .* has no file with category: extra_fees"
    ):
        build_registry(detection)


def test_a_file_without_clauses_cites_every_clause_of_its_category():
    [lexicon] = [x for x in load_category_lexicons(LEXICON_DIR, category_table()) if x.category == "extra_fees"]
    assert {tuple(rule.clauses) for rule in lexicon.rules} == {("NIFA 11(四)", "GB 5.2.1.2")}


def impersonation_on(agency, text):
    call = make_call(OPENING + [("a", text)], agency=agency)
    return [f.category for f in detect_call(call, load_config()) if f.category == "impersonation"]


@pytest.mark.parametrize(
    "text",
    ["您好，我是浙江衡正律师事务所的工作人员，受某某金融委托跟您沟通还款", "还款只在App里，我们律所不收任何款项"],
)
def test_a_law_firms_staff_saying_so_on_the_firms_own_call_is_no_impersonation(text):
    assert impersonation_on("浙江衡正律师事务所", text) == []
    # The same words from a company that is no law firm claim what the phone record denies.
    assert impersonation_on("杭州恒达信用管理有限公司", text) == ["impersonation"]
    assert impersonation_on(None, text) == ["impersonation"]


def test_a_law_firms_staff_claiming_to_be_the_court_still_count():
    assert impersonation_on("浙江衡正律师事务所", "我是朝阳区人民法院的，你的案子立案了") == ["impersonation"]


@pytest.mark.parametrize("text", ["那你自己看着办。", "随便你，到时候别说我没提醒你", "不还的话后果自负"])
def test_a_line_that_only_points_back_is_no_threat_alone(text):
    assert findings_for(OPENING + [("a", text)], "threat", config=lexicon_only()) == []


@pytest.mark.parametrize(
    "text", ["你的照片做成通缉令发到你们工友群", "按流程下一步是发律师函，律师函的费用三百块是要您承担的"]
)
def test_documents_made_up_for_exposure_or_for_a_fee_are_no_impersonation(text):
    assert findings_for(OPENING + [("a", text)], "impersonation", config=lexicon_only()) == []


@pytest.mark.parametrize(
    "text",
    [
        "不会的，我们只是电话沟通，不上门，您放心",
        "小朋友你好，我是某某银行信用卡中心的，找你爸爸有点事情，他能接一下电话吗？",
        "判决以后会发函到你们单位协助执行",
        "我们明天上门送达",
        "找他本人呗，省得他老赖着不接电话",
    ],
)
def test_visits_and_family_named_without_harm_are_no_threat(text):
    assert findings_for(OPENING + [("a", text)], "threat", config=lexicon_only()) == []


@pytest.mark.parametrize(
    "text",
    [
        "那我们下午直接到你店里来，当着你顾客的面把你带走",
        "另外我们会给您学校发个函，让学校领导了解一下您的情况",
        "你帮我带个话，再不还就得找他家里了",
        "你不管，那我只能去你丈母娘小区门口找她",
        "你才有病，没一个好东西",
    ],
)
def test_shaming_before_an_audience_and_reaching_family_are_threats(text):
    assert [f.category for f in findings_for(OPENING + [("a", text)], "threat", config=lexicon_only())] == ["threat"]


@pytest.mark.parametrize("text", ["传票已经寄到你户籍地了，你家里人签收的", "我这个电话只代表平台跟您沟通，不代表法院"])
def test_court_papers_claimed_by_a_collector_or_a_denied_claim_are_no_impersonation(text):
    # Court papers claimed by a collector are exaggeration (the ruling on claimed proceedings).
    assert findings_for(OPENING + [("a", text)], "impersonation", config=lexicon_only()) == []


@pytest.mark.parametrize(
    "text, word, sentence",
    [
        ("你好。我们明天上门！你等着", "上门", "我们明天上门"),
        ("欠款1.5万，我们明天上门.你等着", "上门", "欠款1.5万，我们明天上门"),  # a decimal point ends nothing
        ("我们明天上门", "上门", "我们明天上门"),
    ],
)
def test_a_sentence_ends_at_a_full_stop_but_not_at_a_decimal_point(text, word, sentence):
    start = text.index(word)
    left, right = sentence_bounds(text, start, start + len(word))
    assert text[left:right] == sentence


def test_a_lexicon_word_inside_the_callers_own_name_is_no_finding():
    # 典当 is part of the calling company's name: it says who calls, not a way to raise money
    greeting = [("a", "喂，这里是恒昌典当贷后部的，请问是刘强吗？"), ("c", "是我。")]
    assert findings_for(greeting, "illegal_funding", config=lexicon_only(), agency="杭州恒昌典当行有限公司") == []
    # the same word said as where to go still counts, on that call and on any other
    urged = greeting + [("a", "你去典当行把表当了，先还上这期。")]
    for agency in ("杭州恒昌典当行有限公司", "某某信用管理有限公司"):
        assert findings_for(urged, "illegal_funding", config=lexicon_only(), agency=agency) != []
