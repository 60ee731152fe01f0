"""What the detector families share, read once per settings: the lexicon files, the dialogue and
protocol cues, and the institution-name finder."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

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
        lexicons, dialogue, protocol = _read_folder(settings.lexicon_path, table)
        return cls(
            settings=settings,
            table=table,
            lexicons=lexicons,
            dialogue=dialogue,
            protocol=protocol,
            finder=InstitutionFinder(dialogue, list(settings.institutions)),
        )

    @property
    def vocabulary(self) -> set[str]:
        """The words homophone repair puts back: every lexicon's, the dialogue cues', the institutions'."""
        words = set(self.dialogue.vocabulary) | set(self.settings.institutions)
        for lexicon in self.lexicons:
            words |= lexicon.vocabulary
        return words

    @property
    def kept(self) -> set[str]:
        """The words homophone repair holds where written but never puts back: the cancelling cues
        and the everyday words that sound like a word it puts back (dialogue's kept_as_written)."""
        return set(self.dialogue.kept_as_written).union(*(lexicon.kept for lexicon in self.lexicons))


def _read_folder(folder: Path, table: CategoryTable) -> tuple[list[CategoryLexicon], DialogueRules, ProtocolCues]:
    """The folder's lexicons and cues, read, checked and compiled once per process for the same
    file contents and table (about a second each time: a process that builds registries for
    several settings reads the files once, and again only when one changed)."""
    key = (str(Path(folder).resolve()), _contents(folder), id(table))
    hit = _READ.get(key)
    if hit is None or hit[0] is not table:  # the id of a table since collected
        folder = Path(folder)
        hit = (table, (load_category_lexicons(folder, table), load_dialogue_rules(folder), load_protocol_cues(folder)))
        _READ[key] = hit
        while len(_READ) > 16:
            del _READ[next(iter(_READ))]
    return hit[1]


_READ: dict[tuple, tuple] = {}


def _contents(folder: Path) -> tuple[tuple[str, str], ...]:
    """A fingerprint of the folder's YAML files: name and hash of the bytes (unreadable: empty)."""
    out = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            out.append((path.name, hashlib.sha256(path.read_bytes()).hexdigest()))
        except OSError:
            out.append((path.name, ""))
    return tuple(out)
