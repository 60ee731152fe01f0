"""``lexicons/protocol.yaml``: the cues of the per-call protocol rules (identity checked before
debt details are told, the call's recording announced), read and checked with file and line.

What counts as debt details and as "I am not the debtor" is shared with the third-party rule in
``lexicons/dialogue.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.detect.dialogue_file import alternation
from pipeline.detect.sound import SoundRegex, checked_regex
from pipeline.yamldoc import YamlDoc

PROTOCOL_FILE = "protocol.yaml"


@dataclass
class ProtocolCues:
    identity_questions: SoundRegex
    questions_for_others: re.Pattern  # 是X家吗, X在吗, 是X的父亲吗: asks for no person (written text)
    plain_yes: re.Pattern
    confirms: SoundRegex
    agent_verified: SoundRegex  # the agent says the identity check is done (核实是您本人)
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
        (
            "identity_questions",
            "questions_for_others",
            "plain_yes",
            "confirms",
            "agent_verified",
            "not_details",
        ),
        ("unverified_identity",),
    )
    doc.unknown_keys(recording, ("notices", "denials"), ("recording_notice",))

    def patterns(section: dict, section_name: str, key: str, required: bool = True) -> SoundRegex:
        keys = (section_name, key)
        return alternation(doc, doc.strings(section.get(key), keys, required=required), keys)

    def written(key: str) -> re.Pattern:
        return re.compile(patterns(identity, "unverified_identity", key, required=False).pattern)

    def one_regex(key: str, required: bool) -> re.Pattern:
        value = identity.get(key)
        if value is None and not required:
            return re.compile(r"(?!x)x")
        if not isinstance(value, str):
            doc.problem(("unverified_identity", key), "is required (one regular expression)")
        return checked_regex(doc, str(value), ("unverified_identity", key)) or re.compile(r"(?!x)x")

    cues = ProtocolCues(
        identity_questions=patterns(identity, "unverified_identity", "identity_questions"),
        questions_for_others=written("questions_for_others"),
        plain_yes=one_regex("plain_yes", required=True),
        confirms=patterns(identity, "unverified_identity", "confirms"),
        agent_verified=patterns(identity, "unverified_identity", "agent_verified", required=False),
        not_details=written("not_details"),
        notices=patterns(recording, "recording_notice", "notices"),
        denials=patterns(recording, "recording_notice", "denials"),
    )
    doc.raise_problems()
    return cues
