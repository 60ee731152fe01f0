"""Preparing a call once for every detector: the ``CallView``.

Each segment's text is cleaned (whitespace, Whisper's phrase breaks, becomes a clause break),
cut to ``max_chars`` (rules read no further: a longer "segment" is a transcript without
segmentation, and matching time grows with length), repaired (homophones of lexicon words put
back) and spelt by sound; then every ``unknown`` speaker gets a guessed role.
"""

from __future__ import annotations

import re

from pipeline.calls import Call
from pipeline.detect.homophones import HomophoneRepairer
from pipeline.detect.roles import RoleGuesser
from pipeline.detect.sound import sound_text
from pipeline.detect.view import CallView, Utterance


def clean_text(text: str) -> str:
    """Whitespace (Whisper's phrase breaks) becomes a clause break; offsets stay the same."""
    return re.sub(r"\s", "，", text)


class CallPreparer:
    def __init__(self, repairer: HomophoneRepairer, roles: RoleGuesser, max_chars: int):
        self.repairer = repairer
        self.roles = roles
        self.max_chars = max_chars

    def view(self, call: Call) -> CallView:
        repaired = [self.repairer.repair(clean_text(s.text[: self.max_chars])) for s in call.segments]
        texts = [text for text, _ in repaired]
        sounds = [sound_text(text) for text in texts]
        roles = self.roles.guess(texts, sounds, [s.speaker for s in call.segments])
        return CallView(
            call=call,
            utterances=[
                Utterance(index=i, segment=s, role=role, role_reason=reason, text=text, sound=sound, repairs=repairs)
                for i, (s, (text, repairs), sound, (role, reason)) in enumerate(
                    zip(call.segments, repaired, sounds, roles)
                )
            ],
        )
