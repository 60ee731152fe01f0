"""Preparing a call once for every detector: the ``CallView``.

Each segment's text is cleaned (whitespace, Whisper's phrase breaks, becomes a clause break),
cut to ``max_chars`` (rules read no further: a longer "segment" is a transcript without
segmentation, and matching time grows with length), repaired (homophones of lexicon words put
back, never inside the names of the institutions the call is about), read as Mandarin where it
has dialect words, and spelt by sound; then every ``unknown`` speaker gets a guessed role, and
the listener of every agent turn is read (``listener.py``).
"""

from __future__ import annotations

import re

from pipeline.calls import Call
from pipeline.detect.dialogue_file import DialogueRules, read_as_mandarin
from pipeline.detect.homophones import HomophoneRepairer
from pipeline.detect.institutions import InstitutionFinder, known_names
from pipeline.detect.listener import ListenerReader
from pipeline.detect.roles import RoleGuesser
from pipeline.detect.sound import sound_text
from pipeline.detect.view import CallView, Repair, Utterance

# 著 is simplified script only where it is zhù (著名, 显著, 原著); a recogniser converting to
# simplified script leaves the traditional 著 of 等著, 瞒著 (the particle 着) as it is.
ZHU = re.compile(r"著(?=名|作|称|述|录|书|者)|(?<=[显土卓名巨原专论编昭遗拙])著")


def clean_text(text: str) -> str:
    """Whitespace (Whisper's phrase breaks) becomes a clause break, and 著 the particle 着 where
    it is no zhù (``ZHU``); offsets stay the same."""
    text = re.sub(r"\s", "，", text)
    if "著" not in text:
        return text
    kept = {m.start() for m in ZHU.finditer(text)}
    return "".join("着" if ch == "著" and i not in kept else ch for i, ch in enumerate(text))


class CallPreparer:
    def __init__(self, repairer: HomophoneRepairer, rules: DialogueRules, finder: InstitutionFinder, max_chars: int):
        self.repairer = repairer
        self.rules = rules
        self.finder = finder
        self.roles = RoleGuesser(rules)
        self.listener = ListenerReader(rules)
        self.max_chars = max_chars

    def cleaned(self, call: Call) -> list[str]:
        """Each segment's text cleaned and cut to ``max_chars``, before any repair."""
        return [clean_text(s.text[: self.max_chars]) for s in call.segments]

    def names(self, call: Call, cleaned: list[str] | None = None) -> list[str]:
        """The names the call knows, which homophone repair holds as written: those of the
        institutions it is about (its agency, its lender) and those its lines write out in front
        of a suffix (津融 in 津融分期). ``cleaned``: the call's ``cleaned`` texts, if already made."""
        names = set(known_names(call, self.rules))
        for text in self.cleaned(call) if cleaned is None else cleaned:
            names.update(self.finder.names_written(text))
        return sorted(names, key=len, reverse=True)

    def repaired(self, call: Call) -> list[tuple[str, list[Repair]]]:
        """Each segment's text as detection reads it, and the homophone repairs made to it."""
        cleaned = self.cleaned(call)
        names = self.names(call, cleaned)
        return [self.repairer.repair(text, names) for text in cleaned]

    def spoken(
        self, call: Call, texts: list[str], within: list[bool] | None = None
    ) -> tuple[list[str], list[tuple[str, str | None]]]:
        """The call's ``texts`` (as ``repaired`` gives them) spelt by sound, and each segment's
        role with its reason (``RoleGuesser.guess``; ``within`` as it takes it)."""
        sounds = [sound_text(text) for text in texts]
        return sounds, self.roles.guess(texts, sounds, [s.speaker for s in call.segments], within)

    def view(self, call: Call) -> CallView:
        repaired = self.repaired(call)
        sounds, roles = self.spoken(call, [text for text, _ in repaired])
        utterances = []
        for i, (s, (text, repairs), sound, (role, reason)) in enumerate(zip(call.segments, repaired, sounds, roles)):
            mandarin = read_as_mandarin(self.rules, text)
            heard = sound if mandarin == text else sound_text(mandarin)
            utterances.append(
                Utterance(i, s, role, reason, text, sound, repairs=repairs, mandarin=mandarin, heard=heard)
            )
        return CallView(call=call, utterances=utterances, listening=self.listener.read(utterances))
