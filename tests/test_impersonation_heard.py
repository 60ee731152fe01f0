"""impersonation on recognised text (issue 13): a people's court or procuratorate whose kind
recognition garbled is still claimed; a people's hospital or a sum in renminbi claims nothing.
Every sentence is written for these tests. The rules alone: the classifier is switched off."""

import pytest
from detect_helpers import OPENING, findings_for, lexicon_only
from test_exaggeration_mechanisms import BODY


def flagged_said(text) -> bool:
    return bool(findings_for(OPENING + [("a", text)] + BODY, "impersonation", config=lexicon_only()))


@pytest.mark.parametrize(
    "text",
    ["我是江北区人民千朝院的，你儿子的事你知道吧。", "江北区，人民千朝院的工作人员，找你核实个情况。"],
)
def test_a_garbled_peoples_court_or_procuratorate_is_claimed(text):
    assert flagged_said(text)


@pytest.mark.parametrize(
    "text",
    ["我是江北区人民医院的护士，你家里人住院欠费了。", "我是说你欠的人民币五元还没还。"],
)
def test_a_hospital_or_a_sum_claims_nothing(text):
    assert not flagged_said(text)
