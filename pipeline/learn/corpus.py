"""The labelled utterances the classifier learns from: ``fixtures/utterances/{train,test}.jsonl``.

One JSON object a line: ``text``, ``label`` (a category of ``classifier.LABELS``), and
optionally ``speaker``, ``source`` and ``group`` (the template or sentence a row came from;
cross-validation keeps a group within one fold). ``fixtures/make_utterances.py`` writes them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..detect.classifier import LABELS
from ..errors import CallqaError

CORPUS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "utterances"  # in a checkout: training is development work
SPLITS = ("train", "test")


class CorpusError(CallqaError, ValueError):
    """A corpus file that is missing or has a broken row; names the file and line."""


@dataclass(frozen=True)
class Utterance:
    text: str
    label: str
    speaker: str = "agent"
    source: str = "written"
    group: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def read_utterances(path: Path) -> list[Utterance]:
    if not path.is_file():
        raise CorpusError(f"{path}: no such corpus file")
    utterances = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            raise CorpusError(f"{where}: needs a non-empty string 'text'")
        if row.get("label") not in LABELS:
            raise CorpusError(f"{where}: label must be one of {', '.join(LABELS)}, got {row.get('label')!r}")
        utterances.append(
            Utterance(
                text=row["text"],
                label=row["label"],
                speaker=str(row.get("speaker", "agent")),
                source=str(row.get("source", "written")),
                group=str(row.get("group") or f"{path.stem}-{lineno}"),
            )
        )
    return utterances


def read_corpus(corpus_dir: Path = CORPUS_DIR) -> dict[str, list[Utterance]]:
    """The train and test splits of a corpus folder."""
    return {split: read_utterances(Path(corpus_dir) / f"{split}.jsonl") for split in SPLITS}


def fingerprint(utterances: list[Utterance]) -> str:
    """sha256 over the rows in order: the same data gives the same fingerprint."""
    digest = hashlib.sha256()
    for utterance in utterances:
        digest.update(json.dumps(utterance.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
