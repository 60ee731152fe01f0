from pathlib import Path

import pytest

from pipeline.present.masking import LexiconError, Masker, default_masker


@pytest.mark.parametrize(
    "text, masked",
    [
        ("我的电话是13812345678", "我的电话是***********"),
        ("打138-1234-5678找我", "打***-****-****找我"),
        ("座机010-12345678", "座机***-********"),
        ("身份证号11010519491231002X", "身份证号******************"),
        ("卡号6222 0212 3456 7890 123", "卡号**** **** **** **** ***"),
        ("号码是一三八一二三四五六七八", "号码是***********"),
        ("幺三九，零零零，一二三四", "***，***，****"),
        ("请问是张先生吗", "请问是*先生吗"),
        ("欧阳女士您好", "**女士您好"),
        ("王总让我转告张伟", "*总让我转告**"),
        # Forms the hardening probe (issue 12) found shown raw.
        ("请打+8613812345678", "请打+*************"),
        ("+86 138 1234 5678", "+** *** **** ****"),
        ("００８６１３８１２３４５６７８", "***************"),
        ("电话１３８１２３４５６７８", "电话***********"),
        ("打138.1234.5678", "打***.****.****"),
        ("号码一三八1234五六七八", "号码***********"),
        ("您的号码是1381234…", "您的号码是*******…"),
        ("13812345678.wav", "***********.wav"),
    ],
)
def test_personal_data_is_masked_in_place(text, masked):
    assert default_masker().mask(text) == masked
    assert len(default_masker().mask(text)) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "他欠我们八千五百块，逾期三个月了",
        "还款金额是12000元",
        "请在3月15日之前还款",
        "这位先生您好",
        "一二三",
        "c-20260302-0001",
        "2026-03-02T10:15:00+08:00",
        "某某信用管理有限公司",
        "A017",
    ],
)
def test_amounts_dates_and_plain_words_stay(text):
    assert default_masker().mask(text) == text


def test_lexicon_lists_drive_names(tmp_path):
    lexicon = tmp_path / "pii.yaml"
    lexicon.write_text("surnames: [诸葛]\ntitles: [老师]\nnames: [小明]\n", encoding="utf-8")
    masker = Masker.from_lexicon(lexicon)
    assert masker.mask("诸葛老师和小明，张先生") == "**老师和**，张先生"


def test_broken_lexicon_names_the_file(tmp_path):
    lexicon = tmp_path / "pii.yaml"
    lexicon.write_text("surnames: 张\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="pii.yaml: surnames must be a list"):
        Masker.from_lexicon(lexicon)


def test_the_shipped_lexicon_loads():
    assert Path("lexicons/pii.yaml").exists()
    assert default_masker().mask(None) is None


def test_the_settings_lexicon_folder_holds_the_names(tmp_path, monkeypatch):
    (tmp_path / "pii.yaml").write_text("surnames: []\ntitles: []\nnames: [小明]\n", encoding="utf-8")
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"detection:\n  lexicon_dir: {tmp_path}\n", encoding="utf-8")
    monkeypatch.setenv("CALLQA_CONFIG", str(settings))
    assert default_masker().mask("小明和张先生") == "**和张先生"
    monkeypatch.delenv("CALLQA_CONFIG")
    assert default_masker().mask("小明和张先生").startswith("小明")  # the bundled lexicon again
