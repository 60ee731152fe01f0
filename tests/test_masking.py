import pytest

from pipeline.masking import mask_text


@pytest.mark.parametrize(
    "text, masked",
    [
        ("你让他打13812345678", "你让他打***********"),
        ("号码 138-1234-5678 记一下", "号码 ***-****-**** 记一下"),
        ("座机0731-84561234", "座机****-********"),
        ("身份证430102199001011234", "身份证******************"),
        ("身份证43010219900101123X", "身份证******************"),
        ("卡号6222 0212 3456 7890 123", "卡号**** **** **** **** ***"),
        ("回电打一三八一二三四五六七八", "回电打***********"),
        ("幺三八，一二三四，五六七八", "***，****，****"),
    ],
)
def test_numbers_are_masked_character_for_character(text, masked):
    assert mask_text(text) == masked
    assert len(mask_text(text)) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "他欠我们八千块已经逾期三个月了",
        "欠款一万二千三百四十五元",
        "最晚12月31日前还清",
        "本金5000元",
    ],
)
def test_amounts_dates_and_plain_words_are_kept(text):
    assert mask_text(text) == text


def test_empty_text_passes_through():
    assert mask_text("") == "" and mask_text(None) is None
