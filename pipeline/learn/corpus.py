"""The labelled utterances the classifier learns from.

- ``fixtures/utterances/{train,test}.jsonl``: single utterances, mostly composed from templates.
  One JSON object a line: ``text``, ``label`` (a category of ``classifier.LABELS``), and
  optionally ``speaker``, ``source`` and ``group`` (the template or sentence a row came from;
  cross-validation keeps a group within one fold). ``fixtures/make_utterances.py`` writes them.
- ``fixtures/labelled/writers/tune/*.jsonl``: whole calls by independent writers, in the
  labelled-call format (``callqa evaluate`` reads the same files). Every segment becomes a row:
  a segment labelled with a category the model knows is a positive, every other line (agents'
  and customers') is ``none``. Its group is the writer, so cross-validation never trains and
  tests on one voice.

The templates carry no line of the money categories (private_channel, illegal_funding,
extra_fees): the model learns them from the writers' lines alone, and a templated row is a
negative of each (each was written as one of the other categories or a hard negative of them).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.calls import Segment
from pipeline.detect.classifier import CATEGORIES, LABELS, NONE
from pipeline.errors import CallqaError

REPO_ROOT = Path(__file__).resolve().parents[2]  # in a checkout: training is development work
CORPUS_DIR = REPO_ROOT / "fixtures" / "utterances"
WRITERS_DIR = REPO_ROOT / "fixtures" / "labelled" / "writers" / "tune"
SPLITS = ("train", "test")
# A segment with several labels trains as one: the first of these it carries.
LABEL_ORDER = (
    "impersonation",
    "threat",
    "exaggeration",
    "third_party_leak",
    "private_channel",
    "illegal_funding",
    "extra_fees",
)
assert set(LABEL_ORDER) == set(CATEGORIES)


class CorpusError(CallqaError, ValueError):
    """A corpus file that is missing or has a broken row; names the file and line."""


@dataclass(frozen=True)
class Utterance:
    text: str
    label: str
    speaker: str = "agent"
    source: str = "written"
    group: str = ""
    categories: tuple[str, ...] = ()  # a call segment's every label (``label`` is one of them)

    def to_json(self) -> dict:
        return asdict(self)

    @property
    def categories_or_label(self) -> tuple[str, ...]:
        return self.categories or (self.label,)


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


def read_call_utterances(path: Path) -> list[Utterance]:
    """Every segment of the labelled calls in ``path`` (one call a line) as a row; see the module
    docstring. ``source`` says which recognition variants the call went through."""
    if not path.is_file():
        raise CorpusError(f"{path}: no such labelled-call file")
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            call = json.loads(line)
            segments = [
                Segment(float(s["start"]), float(s["end"]), str(s["speaker"]), str(s["text"])) for s in call["segments"]
            ]
            labelled: dict[int, set[str]] = {}
            for label in call.get("labels", []):
                if label.get("segment_index") is not None:
                    labelled.setdefault(int(label["segment_index"]), set()).add(label["category"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise CorpusError(f"{path}:{lineno}: not a labelled call ({type(exc).__name__}: {exc})") from exc
        source = "+".join(["natural", *call.get("variants", [])])
        group = str(call.get("writer") or path.stem)
        for index, segment in enumerate(segments):
            if not segment.text.strip():
                continue
            categories = tuple(c for c in LABEL_ORDER if c in labelled.get(index, ()))
            rows.append(
                Utterance(
                    text=segment.text,
                    label=categories[0] if categories else NONE,
                    speaker=segment.speaker,
                    source=source,
                    group=group,
                    categories=categories,
                )
            )
    return rows


def read_writers(writers_dir: Path = WRITERS_DIR) -> list[Utterance]:
    """The rows of every labelled-call file in ``writers_dir``, in file-name order."""
    paths = sorted(Path(writers_dir).glob("*.jsonl"))
    if not paths:
        raise CorpusError(f"{writers_dir}: no labelled-call files (*.jsonl)")
    return [row for path in paths for row in read_call_utterances(path)]
