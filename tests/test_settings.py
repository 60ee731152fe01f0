import pytest

from pipeline.config import ConfigError, load_config
from pipeline.detect.settings import category_settings


def test_defaults_enable_every_category_with_its_thresholds():
    detection = load_config()["detection"]
    assert category_settings(detection, "call_frequency")["max_effective_calls_per_debtor"] == 3
    assert category_settings(detection, "recording_notice") is not None


def test_bound_by_keeps_only_the_categories_of_those_documents():
    detection = load_config()["detection"]
    detection["bound_by"] = ["HN"]
    assert category_settings(detection, "contact_after_refusal") is not None
    assert category_settings(detection, "recording_notice") is None  # NIFA 16(一)2 only
    detection["bound_by"] = ["GB", "NIFA"]
    assert category_settings(detection, "recording_notice") is not None


def test_enabled_false_wins_over_the_profiles():
    detection = load_config()["detection"]
    detection["categories"]["quiet_hours"]["enabled"] = False
    assert category_settings(detection, "quiet_hours") is None


def test_an_unknown_document_is_a_clear_error():
    detection = load_config()["detection"]
    detection["bound_by"] = ["CBIRC"]
    with pytest.raises(ConfigError, match="CBIRC"):
        category_settings(detection, "threat")


def test_no_config_runs_everything():
    assert category_settings(None, "threat") == {}
