"""Hostile transcript imports: how many bad lines were tried, reported, and lost.

    python benchmarks/hostile_import.py [--lines 2000] [--seed 12]

Writes a JSONL file mixing good calls with broken ones (the probes of issue 12: invalid
UTF-8, deep nesting, NaN and Infinity, lone surrogates, impossible dates; and seeded random
damage: bytes flipped, lines cut short, fields dropped or of the wrong type), imports it with
``scan --transcripts`` into a fresh database, and prints the count of lines, calls stored ok,
lines stored as failed with a reason naming their line, lines skipped as already stored (the
same content twice), and lines lost (none of these). ``tests/test_import_hardening.py`` runs
it small; the README quotes a run of the defaults.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.run import ScanSettings, scan  # noqa: E402
from pipeline.store import open_db  # noqa: E402

PROBES = [
    b'{"call_id": "latin1", "segments": [], "agency": "\xd6\xd0\xb9\xfa"}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"call_id": "nan", "segments": [{"start": NaN, "end": 1, "speaker": "agent", "text": "x"}]}',
    b'{"call_id": "inf", "segments": [{"start": 0, "end": Infinity, "speaker": "agent", "text": "x"}]}',
    b'{"call_id": "surrogate", "segments": [{"start": 0, "end": 1, "speaker": "agent", "text": "\\udc00"}]}',
    b'{"call_id": "feb30", "started_at": "2026-02-30T10:00:00+08:00", "segments": []}',
    b'{"call_id": "year1", "started_at": "0001-01-01T10:00:00+08:00", "segments": []}',
    b'{"call_id": "year9999", "started_at": "9999-12-31T23:59:00+08:00", "segments": []}',
    b'{"call_id": "yesterday", "started_at": "yesterday", "segments": []}',
    b'{"call_id": "month13", "started_at": "2026-13-01T10:00:00+08:00", "segments": []}',
]


@dataclass
class ImportResult:
    lines: int
    bad_written: int
    ok: int
    failed: int
    skipped: int
    failed_with_line: int
    run_finished: bool

    @property
    def lost(self) -> int:
        return self.lines - self.ok - self.failed - self.skipped

    def summary(self) -> str:
        return (
            f"{self.lines} lines ({self.bad_written} written broken): {self.ok} stored ok, {self.failed} stored "
            f"failed ({self.failed_with_line} with a reason naming their line), {self.skipped} skipped as already "
            f"stored, {self.lost} lost; run finished: {self.run_finished}"
        )


def good_call(rng: random.Random, n: int) -> dict:
    return {
        "call_id": f"good-{n:05d}",
        "started_at": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 20):02d}:00:00+08:00",
        "agent_id": f"A{rng.randint(1, 9):03d}",
        "segments": [
            {"start": 0.0, "end": 2.0, "speaker": "agent", "text": "您好，我是某某金融的，您的账单已经逾期了"},
            {"start": 2.5, "end": 3.0, "speaker": "customer", "text": f"我知道了{n}"},
        ],
    }


def damaged(rng: random.Random, call: dict) -> bytes:
    """One line of seeded random damage; it may still parse (then it is a call like any other)."""
    text = json.dumps(call, ensure_ascii=False).encode("utf-8")
    kind = rng.randrange(5)
    if kind == 0:  # bytes flipped
        data = bytearray(text)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data).replace(b"\n", b" ").replace(b"\r", b" ")
    if kind == 1:  # cut short
        return text[: rng.randrange(1, len(text))]
    if kind == 2:  # a required field dropped
        call = dict(call)
        call.pop(rng.choice(["call_id", "segments"]))
        return json.dumps(call, ensure_ascii=False).encode("utf-8")
    if kind == 3:  # a field of the wrong type
        call = json.loads(text)
        call["segments"][0][rng.choice(["start", "end", "speaker", "text"])] = rng.choice([None, [], {}, True, "x"])
        return json.dumps(call, ensure_ascii=False).encode("utf-8")
    return rng.choice(PROBES)


def run_import(directory: Path, lines: int, seed: int) -> ImportResult:
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    source = directory / "hostile.jsonl"
    written, bad = [], 0
    for n in range(lines):
        call = good_call(rng, n)
        if n % 2:
            written.append(damaged(rng, call))
            bad += 1
        else:
            written.append(json.dumps(call, ensure_ascii=False).encode("utf-8"))
    source.write_bytes(b"\n".join(written) + b"\n")
    total = sum(1 for line in source.read_bytes().splitlines() if line.strip())
    db = open_db(directory / "qa.db")
    progress = scan(db, ScanSettings(transcribe=None), transcripts=source)
    failed_with_line = sum(
        1
        for (location, error) in db.execute("SELECT source_path, error FROM calls WHERE status = 'failed'")
        if error and error.startswith(location.split("#", 1)[1])
    )
    finished = db.execute("SELECT finished_at IS NOT NULL FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0] == 1
    db.close()
    return ImportResult(total, bad, progress.ok, progress.failed, progress.skipped, failed_with_line, finished)


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(run_import(Path(tmp), args.lines, args.seed).summary())


if __name__ == "__main__":
    main()
