import pytest

from pipeline.calls import call_from_json
from pipeline.text import index_tokens, normalize_spacing, to_chinese_punctuation, to_simplified, words


def test_traditional_becomes_simplified():
    assert to_simplified("您的借款已經逾期，請儘快還款，不然會上門") == "您的借款已经逾期，请尽快还款，不然会上门"


def test_ascii_punctuation_between_chinese_becomes_full_width():
    assert to_chinese_punctuation("喂,你好,我是法院的?") == "喂，你好，我是法院的？"
    assert to_chinese_punctuation("欠款1,000元, ok? yes!") == "欠款1,000元， ok? yes!"


def test_words_and_index_tokens_drop_punctuation():
    assert "法院" in words("我是法院的，你的案子") and "，" not in words("我是法院的，你的案子")
    assert "法院" in index_tokens("人民法院已经立案").split()


@pytest.mark.parametrize(
    "heard, stored",
    [
        ("我 现 在 没 有 钱", "我现在没有钱"),  # Whisper on phone audio: a space per character
        ("我 现在 没有 钱", "我现在没有钱"),  # ... or per word
        ("下礼拜下礼拜，你每次都下礼 拜。李先生", "下礼拜下礼拜，你每次都下礼拜。李先生"),  # a stray space
        ("你好 ，我是某某金融 。", "你好，我是某某金融。"),  # no space beside full-width marks
        ("喂 您好 请问是李强先生吗", "喂，您好，请问是李强先生吗"),  # phrase breaks become commas
        ("  你好\t\n我是客服  ", "你好，我是客服"),
    ],
)
def test_spaces_between_chinese_words_are_closed_up_or_become_phrase_breaks(heard, stored):
    assert normalize_spacing(heard) == stored


@pytest.mark.parametrize(
    "heard, stored",
    [
        # recognition output, one word a piece, some of them long: still word spacing
        ("这个 事情 需要 从长计议 不用 着急", "这个事情需要从长计议不用着急"),
        ("家里 老人 住院 了 手头 实在 周转不开", "家里老人住院了手头实在周转不开"),
        ("我 没 钱 你们 别 打 了", "我没钱你们别打了"),
        # recognition's pieces that jieba would cut in two (还上, 什么时候) are short: still words
        ("你 什么时候 能 还上", "你什么时候能还上"),
        ("我现在 没有 钱", "我现在没有钱"),
        # ... where a sentence-final particle still ends the question inside the line
        ("今天 能 还 上 吗 我们 这边 要 登记", "今天能还上吗，我们这边要登记"),
        ("能 不 能 先 还 一 半 呢 剩 下 的 下 个 月", "能不能先还一半呢，剩下的下个月"),
        # a vendor's phrases, one of them a lone negation or particle that belongs to its neighbour
        ("这笔钱我们 不 能再拖了 您看怎么办", "这笔钱我们，不能再拖了，您看怎么办"),
        ("你们打得太多 了 我现在没办法接", "你们打得太多了，我现在没办法接"),
        ("都说了 没 钱 别再打了", "都说了，没钱，别再打了"),
        # and short greetings ahead of a clause are phrases too
        ("您好 这里是贷后中心 关于您的账单 想跟您沟通一下", "您好，这里是贷后中心，关于您的账单，想跟您沟通一下"),
    ],
)
def test_word_spacing_is_told_from_phrase_spacing_by_the_words_in_each_piece(heard, stored):
    assert normalize_spacing(heard) == stored


@pytest.mark.parametrize(
    "heard, stored",
    [
        ("还 2000 元", "还2000元"),
        ("下 个 月 5 号 前 还 3000 块", "下个月5号前还3000块"),
        ("用 微信 或者 支付宝 App 还款", "用微信或者支付宝App还款"),
        ("我 明天 下午 三点 去 营业厅 办 VIP 业务", "我明天下午三点去营业厅办VIP业务"),
        ("喂 您好 您在APP上借的2000元已经逾期 请今天处理", "喂，您好，您在APP上借的2000元已经逾期，请今天处理"),
        ("您这笔欠款是 5000 元 今天还能免掉罚息", "您这笔欠款是5000元，今天还能免掉罚息"),
        ("加我 QQ 号 12345", "加我QQ号12345"),
        ("Hello  world", "Hello world"),  # Latin words keep one space
        ("账号 6222 0200 1234", "账号6222 0200 1234"),  # digit groups stay apart
        ("App Store 里下载", "App Store里下载"),
        ("", ""),
        ("好的", "好的"),
    ],
)
def test_latin_words_and_numbers_stay_apart_but_not_from_chinese(heard, stored):
    assert normalize_spacing(heard) == stored


def test_normalizing_twice_changes_nothing():
    for text in ("我 现在 没有 钱", "喂 您好 请问是李强先生吗", "还 2000 元 OK"):
        assert normalize_spacing(normalize_spacing(text)) == normalize_spacing(text)


def test_imported_transcripts_are_stored_in_the_same_spacing():
    call = call_from_json(
        {
            "call_id": "c1",
            "segments": [
                {"start": 0, "end": 1, "speaker": "agent", "text": "您 的 账 单 已 经 逾 期"},
            ],
        }
    )
    assert call.segments[0].text == "您的账单已经逾期"


@pytest.mark.parametrize(
    "heard, stored",
    [
        # recognition that writes no punctuation: breaks come back where writing nearly always has one
        ("喂你好请问是王芳女士吗", "喂，你好，请问是王芳女士吗"),
        ("是赵磊吧青禾分期的", "是赵磊吧，青禾分期的"),
        ("周先生我是远达咨询的小孙", "周先生，我是远达咨询的小孙"),
        ("我们是青禾分期的你转告他一声", "我们是青禾分期的，你转告他一声"),
        ("好的谢谢再见", "好的，谢谢，再见"),
        ("能还一半吗但是下个月要还清", "能还一半吗，但是下个月要还清"),
        ("喂 你好 我 是 青禾 分期 的", "喂，你好，我是青禾分期的"),  # word spacing closed up, then the same
        # the callee's opening answer: yes, then what they ask back
        ("是我你们哪里的", "是我，你们哪里的"),
        ("喂是俺干啥", "喂，是俺，干啥"),
        ("对我就是有话快说", "对，我就是有话快说"),
        ("是谁打来的", "是，谁打来的"),
        # ... but not inside a word or phrase that carries them
        ("你干嘛不接电话", "你干嘛不接电话"),
        ("我跟你好好说这件事", "我跟你好好说这件事"),
        ("你管我是谁", "你管我是谁"),
        ("是我们搞错了", "是我们搞错了"),
        ("是我本人借的", "是我本人借的"),
        ("对不起打扰了", "对不起打扰了"),
        ("对面楼的老陈", "对面楼的老陈"),
        # a line with any mark of its own is left as written
        ("喂你好，请问是王芳吗", "喂你好，请问是王芳吗"),
    ],
)
def test_a_line_recognised_without_punctuation_gets_its_clause_breaks_back(heard, stored):
    assert normalize_spacing(heard) == stored
    assert normalize_spacing(stored) == stored
