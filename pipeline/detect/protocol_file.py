"""``lexicons/protocol.yaml``: the cues of the per-call protocol rules (identity checked before
debt details are told, the call's recording announced), read and checked with file and line.

Who is listening (identity questions, confirmations, third parties) and what counts as debt
details are read once for both identity rules from ``lexicons/dialogue.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.detect.dialogue_file import alternation
from pipeline.detect.sound import SoundRegex
from pipeline.yamldoc import YamlDoc

PROTOCOL_FILE = "protocol.yaml"


@dataclass
class ProtocolCues:
    not_details: re.Pattern  # the organisation's business, an app's name (广信分期App): no detail (written text)
    notices: SoundRegex
    denials: SoundRegex


def load_protocol_cues(lexicon_dir: Path) -> ProtocolCues:
    """Read and check ``protocol.yaml``; every mistake is reported with its file and line."""
    doc = YamlDoc(Path(lexicon_dir) / PROTOCOL_FILE)
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        doc.problem((), "must be a mapping with unverified_identity and recording_notice")
    doc.unknown_keys(data, ("unverified_identity", "recording_notice"), ())
    identity = data.get("unverified_identity") or {}
    recording = data.get("recording_notice") or {}
    doc.unknown_keys(
        identity,
        ("not_details",),
        ("unverified_identity",),
    )
    doc.unknown_keys(recording, ("notices", "denials"), ("recording_notice",))

    def patterns(section: dict, section_name: str, key: str, required: bool = True) -> SoundRegex:
        keys = (section_name, key)
        return alternation(doc, doc.strings(section.get(key), keys, required=required), keys)

    def written(key: str) -> re.Pattern:
        return re.compile(patterns(identity, "unverified_identity", key, required=False).pattern)

    cues = ProtocolCues(
        not_details=written("not_details"),
        notices=patterns(recording, "recording_notice", "notices"),
        denials=patterns(recording, "recording_notice", "denials"),
    )
    doc.raise_problems()
    return cues
