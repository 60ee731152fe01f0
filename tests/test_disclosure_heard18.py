"""missing_disclosure on recognised text, round 18: the agency's trade name heard alike (its
syllables blurred as a recogniser blurs them) beside a kind word names it; an introduction whose
own words were heard as homophones still introduces. Every sentence is written for these tests."""

from detect_helpers import findings_for, lexicon_only

from pipeline.detect.institutions import heard_like

BODY = [("c", "嗯，这个月工资还没发。"), ("a", "理解，那您看月底能先还一部分吗？"), ("c", "行，月底吧。")]
AGENCY = "成都润丰信息技术有限公司"  # trade name 润丰, run feng


def flagged(turns, **fields) -> bool:
    found = findings_for(turns + BODY, config=lexicon_only(), **fields)
    return any(f.category == "missing_disclosure" for f in found)


def introduced(introduction: str) -> list[tuple[str, str]]:
    return [("a", "喂，请问是邝家豪吗？"), ("c", "是我。"), ("a", introduction)]


def test_heard_like_blurs_initials_and_finals():
    assert heard_like("我这边伦丰客服", "润丰") == [(3, 5)]  # r heard as l
    assert heard_like("我这边伦封客服", "润丰") == [(3, 5)]  # no character kept, every syllable alike
    assert heard_like("我这边润丰客服", "润丰") == []  # written out: not heard otherwise
    assert heard_like("我这边伦福客服", "润丰") == []  # a syllable unlike


def test_the_agencys_trade_name_heard_alike_beside_a_kind_word_names_it():
    # the clause breaks lost: nothing but the trade name and the kind after it names the caller
    assert not flagged([("a", "喂邝家豪是吧伦丰信用的您那笔借款逾期三天了。")], agency=AGENCY)
    # ... also with none of its characters kept, as the kind after it confines it (伦封 for 润丰)
    assert not flagged([("a", "喂邝家豪是吧伦封信用的您那笔借款逾期三天了。")], agency=AGENCY)


def test_the_trade_name_heard_alike_with_no_kind_beside_it_names_nobody():
    assert flagged(introduced("邝先生，您那笔借款逾期三天了，伦丰知道吗？"), agency=AGENCY)


def test_an_introduction_whose_own_words_were_heard_as_homophones_still_names_the_caller():
    # 贷后部 heard 带后补, the question mark lost: the name before it (a lender's brand, no agency of the
    # call) is read as written
    turns = [("a", "喂，是邝家豪家乐，蓝梅借带后补的。"), ("c", "是我。"), ("a", "邝先生，您那笔借款逾期三天了。")]
    assert not flagged(turns, agency=AGENCY)
    # ... but a word heard there that cuts a dictionary word is no introduction's
    assert flagged(introduced("邝先生，您那笔借款逾期三天了，打后补的电话也行。"), agency=AGENCY)
