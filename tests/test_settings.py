import copy
import dataclasses

import pytest
import yaml

from pipeline.config import (
    DEFAULT_CONFIG,
    ConfigError,
    MonitoringOptions,
    ScanOptions,
    ScoringOptions,
    load_config,
)
from pipeline.config import SECTIONS as SECTIONS_KNOWN
from pipeline.detect.settings import CallFrequencySettings, DetectionSettings
from pipeline.transcribe import TranscribeSettings


def settings(**changes):
    """The shipped settings with ``changes`` to the detection section."""
    config = copy.deepcopy(load_config())
    config["detection"].update(changes)
    return DetectionSettings.from_config(config)


def test_the_shipped_file_writes_out_the_defaults():
    """callqa.yaml is the annotated copy of the defaults in settings.py: they must not drift apart."""
    assert DetectionSettings.from_config(load_config()) == DetectionSettings()
    assert DetectionSettings.from_config({}) == DetectionSettings()


def test_defaults_enable_every_category_with_its_thresholds():
    detection = DetectionSettings()
    assert isinstance(detection.categories["call_frequency"], CallFrequencySettings)
    assert detection.categories["call_frequency"].max_effective_calls_per_debtor == 3
    assert detection.runs("recording_notice") and detection.severity("recording_notice") == "low"


def test_bound_by_keeps_only_the_categories_of_those_documents():
    assert settings(bound_by=["HN"]).runs("contact_after_refusal")
    assert not settings(bound_by=["HN"]).runs("recording_notice")  # NIFA 16(一)2 only
    assert settings(bound_by=["GB", "NIFA"]).runs("recording_notice")
    assert settings(bound_by=None).runs("recording_notice")


def test_enabled_false_wins_over_bound_by():
    config = copy.deepcopy(load_config())
    config["detection"]["categories"]["quiet_hours"]["enabled"] = False
    assert not DetectionSettings.from_config(config).runs("quiet_hours")


def test_a_severity_setting_overrides_the_table():
    config = copy.deepcopy(load_config())
    config["detection"]["categories"]["threat"]["severity"] = "medium"
    assert DetectionSettings.from_config(config).severity("threat") == "medium"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"bound_by": ["CBIRC"]}, "CBIRC"),
        ({"profiles": {"NIFA": ["threat"]}}, "detection.profiles: no longer a setting"),
        ({"lexicn_dir": "x"}, r"detection: unknown setting\(s\) lexicn_dir"),
        ({"lexicon": {"guessed_role_factor": "high"}}, "detection.lexicon.guessed_role_factor: must be a number"),
        ({"categories": {"threat": {"treshold": 0.4}}}, r"detection.categories.threat: unknown setting\(s\) treshold"),
        ({"categories": {"harassment": {"enabled": True}}}, r"detection.categories: unknown categor\(ies\) harassment"),
        (
            {"categories": {"quiet_hours": {"start": "10pm"}}},
            "detection.categories.quiet_hours: '10pm' is not a time of day",
        ),
        ({"categories": {"threat": {"severity": "grave"}}}, "detection.categories.threat: severity must be one of"),
        ({"disclosure": {"agent_turns": 2.5}}, "detection.disclosure.agent_turns: must be a whole number"),
    ],
)
def test_a_bad_setting_is_a_clear_error_naming_it(change, message):
    config = copy.deepcopy(load_config())
    for key, value in change.items():
        if isinstance(value, dict) and key == "categories":
            for category, values in value.items():
                config["detection"]["categories"].setdefault(category, {}).update(values)
        else:
            config["detection"][key] = value
    with pytest.raises(ConfigError, match=message):
        DetectionSettings.from_config(config)


def test_a_user_file_with_a_typo_is_refused(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("detection:\n  categories:\n    threat: {threshhold: 0.7}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="threshhold"):
        DetectionSettings.from_config(load_config(user))


def test_the_shipped_file_has_no_detection_key_the_settings_do_not_know():
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))["detection"]
    DetectionSettings.from_config({"detection": raw})  # raises on an unknown key


# --- the transcription:, scan:, scoring: and monitoring: sections ------------------------------

SECTIONS = {
    "transcription": TranscribeSettings,
    "scan": ScanOptions,
    "scoring": ScoringOptions,
    "monitoring": MonitoringOptions,
}


@pytest.mark.parametrize("section", SECTIONS)
def test_the_shipped_file_writes_out_each_sections_defaults(section):
    assert SECTIONS[section].from_config(load_config()) == SECTIONS[section]()
    assert SECTIONS[section].from_config({}) == SECTIONS[section]()


@pytest.mark.parametrize("section", SECTIONS)
def test_the_shipped_file_writes_out_every_key_of_each_section(section):
    written = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))[section]
    own = {f.name for f in dataclasses.fields(SECTIONS[section]) if "from" not in f.metadata}
    assert set(written) == own


def test_the_shipped_file_has_only_the_sections_the_settings_know():
    assert set(yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))) == set(SECTIONS_KNOWN)


@pytest.mark.parametrize(
    "text, message",
    [
        ("scan:\n  chanels: mono\n", r"scan: unknown setting\(s\) chanels"),
        ("scan:\n  channels: left-right\n", "scan: channels must be one of agent-customer, customer-agent, mono"),
        ("scan:\n  workers: 0\n", "scan: workers must be 1 or more"),
        ("scan:\n  workers: two\n", "scan.workers: must be a whole number"),
        ("monitoring:\n  min_precison: 0.8\n", r"monitoring: unknown setting\(s\) min_precison"),
        ("monitoring:\n  min_reviews: 2.5\n", "monitoring.min_reviews: must be a whole number"),
        ("scoring:\n  templates: lexicons/scorecards\n", "scoring.templates: must be a list"),
        ("scoring:\n  templates: []\n", "scoring: templates: name at least one"),
        ("detection:\n  lexicn_dir: x\n", r"detection: unknown setting\(s\) lexicn_dir"),
        ("transcription:\n  beamsize: 3\n", r"transcription: unknown setting\(s\) beamsize"),
        ("transcription:\n  batch_size: eight\n", "transcription.batch_size: must be a whole number"),
        ("transcription:\n  institutions: [X]\n", "transcription.institutions: not a setting here"),
        (
            "transcription:\n  lexicon_dir: x\n",
            "transcription.lexicon_dir: not a setting here; write detection.lexicon_dir",
        ),
        ("monitor:\n  min_reviews: 5\n", "unknown section 'monitor'"),
    ],
)
def test_a_user_file_is_checked_when_loaded_naming_the_file_and_the_key(tmp_path, text, message):
    user = tmp_path / "mine.yaml"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"mine.yaml: {message}"):
        load_config(user)


def test_an_unknown_key_is_told_the_settings_it_may_write(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("transcription:\n  beamsize: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(user)
    known = str(refused.value).split("known: ")[1]
    assert "beam_size" in known and "institutions" not in known and "lexicon_dir" not in known


def test_a_user_files_sections_are_read_typed(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("scan:\n  workers: 3\n  channels: mono\nmonitoring:\n  min_precision: 0.8\n", encoding="utf-8")
    config = load_config(user)
    assert ScanOptions.from_config(config) == ScanOptions(workers=3, channels="mono")
    assert MonitoringOptions.from_config(config) == MonitoringOptions(min_precision=0.8, min_reviews=20)
