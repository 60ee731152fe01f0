from pipeline.text import index_tokens, to_chinese_punctuation, to_simplified, words


def test_traditional_becomes_simplified():
    assert to_simplified("您的借款已經逾期，請儘快還款，不然會上門") == "您的借款已经逾期，请尽快还款，不然会上门"


def test_ascii_punctuation_between_chinese_becomes_full_width():
    assert to_chinese_punctuation("喂,你好,我是法院的?") == "喂，你好，我是法院的？"
    assert to_chinese_punctuation("欠款1,000元, ok? yes!") == "欠款1,000元， ok? yes!"


def test_words_and_index_tokens_drop_punctuation():
    assert "法院" in words("我是法院的，你的案子") and "，" not in words("我是法院的，你的案子")
    assert "法院" in index_tokens("人民法院已经立案").split()
