"""Settings with defaults, loaded once: ``callqa.yaml`` at the repo root, then the user's file.

The user's file (``--config PATH`` or ``CALLQA_CONFIG``) needs only the keys it changes; the
rest keep the defaults. A command's ``--config`` is the settings file in force while it runs
(``choose``), so the parts that load settings by themselves (the labels of the categories analyst
rule files add, the masker's name lexicon) read the same file as the command.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import CallqaError
from pipeline.resources import data_path

DEFAULT_CONFIG = data_path("callqa.yaml")


class ConfigError(CallqaError, ValueError):
    pass


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read settings ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: settings must be a mapping of sections")
    return data


_chosen: Path | None = None  # the running command's --config


def settings_file() -> Path | None:
    """The user's settings file in force: the running command's ``--config``, else ``CALLQA_CONFIG``."""
    env = os.environ.get("CALLQA_CONFIG")
    return _chosen or (Path(env) if env else None)


def choose(path: Path) -> Callable[[], None]:
    """Make ``path`` the settings file in force until the returned undo is called."""
    global _chosen
    previous, _chosen = _chosen, Path(path).resolve()

    def undo() -> None:
        global _chosen
        _chosen = previous

    return undo


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    config = _read(DEFAULT_CONFIG)
    user = path or settings_file()
    if user:
        config = _merge(config, _read(Path(user)))
    return config
