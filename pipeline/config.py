"""Settings with defaults, loaded once: ``callqa.yaml`` at the repo root, then the user's file.

The user's file (``--config PATH`` or ``CALLQA_CONFIG``) needs only the keys it changes; the
rest keep the defaults. A command's ``--config`` is the settings file in force while it runs
(``choose``), so the parts that load settings by themselves (the labels of the categories analyst
rule files add, the masker's name lexicon) read the same file as the command.

Each section is a typed option dataclass that holds its keys' defaults: ``transcription:``
(``pipeline.transcribe.TranscribeSettings``), ``detection:`` (``pipeline.detect.settings``), and
``scan:``, ``scoring:`` and ``monitoring:`` here. ``load_config`` reads each section the user's
file writes through its dataclass, so an unknown section or key, or a value of the wrong type, is
a ``ConfigError`` naming the file and the key. ``callqa.yaml`` writes the same defaults out with
comments (``tests/test_settings.py`` keeps them the same).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import importlib
import os
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
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


@functools.lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    """The shipped file, parsed once per process (PyYAML's parser is pure Python: 13 ms a read).
    Callers get a copy, so one that edits its settings never changes another's."""
    return _read(DEFAULT_CONFIG)


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """The shipped settings with the user's file (``path``, else the one in force) over them;
    each section the user's file writes is checked against its dataclass here."""
    config = copy.deepcopy(_defaults())
    user = path or settings_file()
    if user:
        written = _read(Path(user))
        config = _merge(config, written)
        try:
            for section in written:
                _section_class(section).from_config(config)
        except ConfigError as exc:
            raise ConfigError(f"{user}: {exc}") from exc
    return config


# --- the sections ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScanOptions:
    """The ``scan:`` section."""

    workers: int | None = None  # per-file processes in a local scan; None: both cores
    channels: str = "agent-customer"  # stereo: left = agent, right = customer; or customer-agent, mono

    def __post_init__(self):
        from pipeline.audio import CHANNEL_MODES

        if self.channels not in CHANNEL_MODES:
            raise ValueError(f"channels must be one of {', '.join(CHANNEL_MODES)}, got {self.channels!r}")
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"workers must be 1 or more (or null: both cores), got {self.workers}")

    @classmethod
    def from_config(cls, config: dict[str, Any] | None) -> ScanOptions:
        return read_options(cls, (config or {}).get("scan"), "scan")


@dataclass(frozen=True)
class ScoringOptions:
    """The ``scoring:`` section."""

    templates: tuple[str, ...] = ("lexicons/scorecards",)  # scorecard files or folders (pipeline/scorecard.py)

    def __post_init__(self):
        if not self.templates:
            raise ValueError("templates: name at least one scorecard file or folder")

    @classmethod
    def from_config(cls, config: dict[str, Any] | None) -> ScoringOptions:
        return read_options(cls, (config or {}).get("scoring"), "scoring")


@dataclass(frozen=True)
class MonitoringOptions:
    """The ``monitoring:`` section: when a category's precision warns."""

    min_precision: float = 0.7  # warn below this precision ...
    min_reviews: int = 20  # ... once it rests on at least this many verdicts

    @classmethod
    def from_config(cls, config: dict[str, Any] | None) -> MonitoringOptions:
        return read_options(cls, (config or {}).get("monitoring"), "monitoring")


# A section's dataclass, or where it lives: importing the speech model's module (numpy, the
# decoder) or detection's (the category table) costs time a command that never reads them saves.
SECTIONS: dict[str, type | str] = {
    "transcription": "pipeline.transcribe:TranscribeSettings",
    "scan": ScanOptions,
    "detection": "pipeline.detect.settings:DetectionSettings",
    "scoring": ScoringOptions,
    "monitoring": MonitoringOptions,
}


def _section_class(section: str) -> Any:
    if section not in SECTIONS:
        raise ConfigError(f"unknown section {section!r} (known: {', '.join(SECTIONS)})")
    found = SECTIONS[section]
    if isinstance(found, str):
        module, name = found.split(":")
        found = getattr(importlib.import_module(module), name)
    return found


# --- reading a section through its dataclass -----------------------------------------------


@functools.lru_cache(maxsize=32)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def option_value(value: Any, hint: Any, where: str) -> Any:
    """``value`` checked against a field's type (bool, int, float, str, optional, tuple, dict)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        [hint] = [a for a in args if a is not type(None)]
        return option_value(value, hint, where)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: must be a list, got {value!r}")
        return tuple(option_value(item, args[0], f"{where}[{i}]") for i, item in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: must be a mapping, got {value!r}")
        return {str(k): option_value(v, args[1], f"{where}.{k}") for k, v in value.items()}
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: must be true or false, got {value!r}")
        return value
    if hint in (int, float):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (hint is int and not isinstance(value, int))
        ):
            raise ConfigError(f"{where}: must be a {'whole ' if hint is int else ''}number, got {value!r}")
        return hint(value)
    if hint is str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ConfigError(f"{where}: must be text, got {value!r}")
        return str(value)
    if dataclasses.is_dataclass(hint):
        return read_options(hint, value, where)
    raise TypeError(f"{where}: no reader for {hint!r}")  # a field type this module does not know


def read_options(cls: type, raw: Any, where: str, base: Any = None) -> Any:
    """An instance of the dataclass ``cls`` from a mapping of settings: the keys it gives over
    the defaults (or over ``base``). A key of a field filled from another section, an unknown
    key, a wrong type or a value ``cls`` refuses (a ``ValueError`` of its ``__post_init__``) is
    a ``ConfigError`` that names the key."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a mapping of settings, got {raw!r}")
    hints = _hints(cls)
    # A field with metadata {"from": "section.key"} is filled from another section, never here.
    elsewhere = {f.name: f.metadata["from"] for f in dataclasses.fields(cls) if "from" in f.metadata}
    for key in raw:
        if key in elsewhere:
            raise ConfigError(f"{where}.{key}: not a setting here; write {elsewhere[key]}")
    known = [f.name for f in dataclasses.fields(cls) if f.name not in elsewhere]
    unknown = [key for key in raw if key not in known]
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(map(str, unknown))} (known: {', '.join(known)})")
    values = {key: option_value(value, hints[key], f"{where}.{key}") for key, value in raw.items()}
    try:
        return dataclasses.replace(base, **values) if base is not None else cls(**values)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from exc
