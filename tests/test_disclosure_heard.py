"""missing_disclosure on recognised text (issue 13): a bare kind heard as a homophone is still no
name, the agency's trade name heard as a homophone beside a kind word still names it, and words of
the listener's line the agent echoes (the question mark lost) name nobody; the trade name heard
alike (its syllables blurred as a recogniser blurs them) beside a kind word names it; an
introduction whose own words were heard as homophones still introduces; a caller posing as the
banking regulator (银保监, heard or written) fakes the institution. Every sentence is written for
these tests."""

from detect_helpers import findings_for, lexicon_only

from pipeline.detect.institutions import heard_like

BODY = [("c", "嗯，这个月工资还没发。"), ("a", "理解，那您看月底能先还一部分吗？"), ("c", "行，月底吧。")]
AGENCY = "成都青犁信息技术有限公司"  # trade name 青犁, qing li, heard as 清理
BLURRED = "成都润丰信息技术有限公司"  # trade name 润丰, run feng, heard blurred as 伦丰 (r as l)


def flagged(turns, **fields) -> bool:
    found = findings_for(turns + BODY, config=lexicon_only(), **fields)
    return any(f.category == "missing_disclosure" for f in found)


def introduced(introduction: str) -> list[tuple[str, str]]:
    return [("a", "喂，请问是邝家豪吗？"), ("c", "是我。"), ("a", introduction)]


def test_a_bare_kind_heard_as_a_homophone_names_nobody():
    assert flagged(introduced("邝先生，我这边是待后中心的，您那笔借款逾期三天了。"), agency=AGENCY)


def test_a_name_beside_a_kind_heard_as_a_homophone_still_names_the_caller():
    assert not flagged(introduced("邝先生，我这边是蓝莓借钱待后中心的，您那笔借款逾期三天了。"), agency=AGENCY)


def test_the_agencys_trade_name_heard_as_a_homophone_beside_a_kind_word_names_it():
    # a brand of the agency and its service desk, both misheard (清理花克服 for 青犁花客服)
    turns = [("a", "您好，清理花克服，请问是邝家豪吗？"), ("c", "是我。"), ("a", "您那笔借款逾期三天了，今天能还吗？")]
    assert not flagged(turns, agency=AGENCY)
    # the clause breaks lost too: the name runs on from the question
    turns = [("a", "喂邝家豪是吧清理信用的您那笔借款逾期三天了。")]
    assert not flagged(turns, agency=AGENCY)


def test_the_trade_names_sound_alone_is_no_name():
    turns = [("a", "喂，邝家豪吗？您那笔借款逾期三天了，清理一下吧。"), ("c", "嗯。"), ("a", "今天能还吗？")]
    assert flagged(turns, agency=AGENCY)


def test_the_listeners_words_echoed_name_nobody():
    turns = [
        ("a", "喂，邝家豪，你那笔钱到底还不还？"),
        ("c", "谁是邝家豪？"),
        ("a", "别装了，欠了半年了，三万二。"),
        ("c", "我不是他，这个号是我去年刚办的。"),
        ("a", "刚办的，那你认识他不？"),
    ]
    assert flagged(turns, agency=AGENCY)


def test_the_institution_the_listener_names_said_back_still_discloses():
    turns = [
        ("a", "喂，是邝家豪吗？"),
        ("c", "是我，你是蓝莓借钱的吧？"),
        ("a", "蓝莓借钱的，您那笔借款逾期三天了。"),
    ]
    assert not flagged(turns, agency=AGENCY)


def test_a_peoples_procuratorate_heard_garbled_is_a_pose_not_a_name():
    turns = [
        ("a", "喂，是邝家豪的家属吗？"),
        ("c", "我是他哥。"),
        ("a", "我是江北区，人民千朝院的工作人员，他借款逾期了。"),
    ]
    assert flagged(turns, agency=AGENCY)


def test_a_peoples_hospital_is_no_pose():
    turns = [("a", "喂，邝家豪吗？我是人民医院旁边蓝莓借钱的，您那笔借款逾期三天了。")]
    assert not flagged(turns, agency=AGENCY)


def test_heard_like_blurs_initials_and_finals():
    assert heard_like("我这边伦丰客服", "润丰") == [(3, 5)]  # r heard as l
    assert heard_like("我这边伦封客服", "润丰") == [(3, 5)]  # no character kept, every syllable alike
    assert heard_like("我这边润丰客服", "润丰") == []  # written out: not heard otherwise
    assert heard_like("我这边伦福客服", "润丰") == []  # a syllable unlike


def test_the_agencys_trade_name_heard_alike_beside_a_kind_word_names_it():
    # the clause breaks lost: nothing but the trade name and the kind after it names the caller
    assert not flagged([("a", "喂邝家豪是吧伦丰信用的您那笔借款逾期三天了。")], agency=BLURRED)
    # ... also with none of its characters kept, as the kind after it confines it (伦封 for 润丰)
    assert not flagged([("a", "喂邝家豪是吧伦封信用的您那笔借款逾期三天了。")], agency=BLURRED)


def test_the_trade_name_heard_alike_with_no_kind_beside_it_names_nobody():
    assert flagged(introduced("邝先生，您那笔借款逾期三天了，伦丰知道吗？"), agency=BLURRED)


def test_an_introduction_whose_own_words_were_heard_as_homophones_still_names_the_caller():
    # 贷后部 heard 带后补, the question mark lost: the name before it (a lender's brand, no agency of the
    # call) is read as written
    turns = [("a", "喂，是邝家豪家乐，蓝梅借带后补的。"), ("c", "是我。"), ("a", "邝先生，您那笔借款逾期三天了。")]
    assert not flagged(turns, agency=BLURRED)
    # ... but a word heard there that cuts a dictionary word is no introduction's
    assert flagged(introduced("邝先生，您那笔借款逾期三天了，打后补的电话也行。"), agency=BLURRED)


def test_a_commission_heard_by_its_sound_names_the_commissioning_lender():
    # 受蓝莓借钱委托 heard 收蓝莓借钱为脱: the commission by sound, the name as heard
    assert not flagged(introduced("邝先生，我是收蓝莓借钱为脱的，您那笔借款逾期三天了。"), agency=AGENCY)
    # ... but not an act of one syllable by sound: 提干 is no 替 (帮X/替X联系)
    assert flagged(introduced("邝先生，您那笔借款逾期三天了，您儿子提干、入党都受影响。"), agency=AGENCY)


def test_a_one_character_brand_with_its_ending_heard_alike_names_the_agency():
    # 乐分期: 乐 alone is no name, so the trade name keeps its ending, and 了分期 is it heard
    agency = "乐分期网络小额贷款有限公司"
    turns = [("a", "喂，您好，请问是邝家豪先生吗？"), ("c", "是我。"), ("a", "我这边是了分期客服，本次通话有录音。")]
    assert not flagged(turns, agency=agency)
    assert flagged([*turns[:2], ("a", "我这边是客服，本次通话有录音。")], agency=agency)


def test_a_caller_posing_as_the_banking_regulator_fakes_the_institution():
    turns = introduced("我这边是银保监会的，受速融贷委托，你那笔欠款六千一现在是重点清查对象。")
    [found] = [f for f in findings_for(turns + BODY, config=lexicon_only()) if f.category == "missing_disclosure"]
    assert "我这边是银保监" in found.explanation and "冒用公权力机构身份" in found.explanation
    assert not flagged(introduced("我这边是速融贷贷后的，你那笔欠款六千一逾期了。"), agency=AGENCY)
