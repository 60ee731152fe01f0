import time

from pipeline.present import labels


def test_every_core_category_has_its_chinese_label():
    for category in ("threat", "impersonation", "exaggeration", "missing_disclosure", "third_party_leak"):
        assert labels.category_label(category) != category
    assert labels.category_label("new_detector") == "new_detector"


def test_clause_documents():
    assert "贷后催收业务指引" in labels.clause_document("NIFA 8(三)")
    assert labels.clause_document("XYZ 1") == ""


def test_times(monkeypatch):
    assert labels.as_recorded("2026-03-02T10:15:00+08:00") == "2026-03-02 10:15"
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert labels.local_time("2026-03-03T01:00:00+00:00") == "2026-03-03 09:00"
        assert labels.local_time(None) == ""
    finally:
        monkeypatch.undo()
        time.tzset()
