import pytest

from pipeline.config import ConfigError, load_config


def test_user_file_overrides_only_its_keys(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("transcription:\n  beam_size: 1\n", encoding="utf-8")
    config = load_config(user)
    assert config["transcription"]["beam_size"] == 1
    assert config["transcription"]["language"] == "zh"
    assert load_config()["transcription"]["beam_size"] == 5


def test_bad_settings_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml"):
        load_config(bad)
