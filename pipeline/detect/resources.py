"""What the detector families share, read once per settings: the lexicon files, the dialogue and
protocol cues, and the institution-name finder."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.categories import CategoryTable
from pipeline.detect.dialogue_file import DialogueRules, load_dialogue_rules
from pipeline.detect.institutions import InstitutionFinder
from pipeline.detect.lexicon_file import CategoryLexicon, load_category_lexicons
from pipeline.detect.protocol_file import ProtocolCues, load_protocol_cues
from pipeline.detect.settings import DetectionSettings


@dataclass
class Resources:
    settings: DetectionSettings
    table: CategoryTable
    lexicons: list[CategoryLexicon]  # in file order
    dialogue: DialogueRules
    protocol: ProtocolCues
    finder: InstitutionFinder

    @classmethod
    def load(cls, settings: DetectionSettings, table: CategoryTable) -> Resources:
        folder = settings.lexicon_path
        dialogue = load_dialogue_rules(folder)
        return cls(
            settings=settings,
            table=table,
            lexicons=load_category_lexicons(folder, table),
            dialogue=dialogue,
            protocol=load_protocol_cues(folder),
            finder=InstitutionFinder(dialogue, list(settings.institutions)),
        )

    @property
    def vocabulary(self) -> set[str]:
        """The words homophone repair puts back: every lexicon's, the dialogue cues', the institutions'."""
        words = set(self.dialogue.vocabulary) | set(self.settings.institutions)
        for lexicon in self.lexicons:
            words |= lexicon.vocabulary
        return words
