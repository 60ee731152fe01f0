"""Time the cross-call rules on a planted history: python -m benchmarks.metadata_rules [CALLS]

Plants CALLS calls (default 100,000) over 30 days in a temporary database, three segments
each, then times the cross-call rules (reading, and the store writing what they return) over every day, over the last day (what a daily scan does) and
over one day in the middle (a backfill, which also recomputes later calls to its numbers).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

from pipeline.config import load_config
from pipeline.detect.crosscall import cross_call_findings, read_only
from pipeline.store import open_db, replace_category_findings

LINES = [
    [("agent", "您好，我是某某金融的工作人员，请问是张先生吗"), ("customer", "是我"), ("agent", "您的账单已经逾期了")],
    [("agent", "您好，请问是李女士吗"), ("customer", "打错了，别再打了"), ("agent", "好的，打扰了")],
    [("agent", "喂，您好"), ("agent", "喂，听得到吗"), ("agent", "那我稍后再打")],
]


def plant(db, calls: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    debtors = max(calls // 60, 1)  # about two calls per debtor per day
    call_rows, segment_rows = [], []
    for n in range(calls):
        debtor = rng.randrange(debtors)
        day = 1 + rng.randrange(30)
        offset = rng.choice(["+08:00"] * 8 + ["+00:00", "-05:00"])
        started = f"2026-03-{day:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00{offset}"
        lines = rng.choices(LINES, weights=[60, 1, 30])[0]
        phone = f"138{debtor:08d}" if rng.random() < 0.8 else f"139{rng.randrange(debtors * 2):08d}"
        call_id = f"c{n:07d}"
        call_rows.append(
            {
                "id": call_id,
                "sha256": call_id,
                "duration": rng.choice([3.0, 5.0, 40.0, 90.0]),
                "started_at": started,
                "debtor_id": f"D{debtor}",
                "status": "ok",
                "extra": json.dumps({"phone": phone, **({"agreed_time": True} if rng.random() < 0.05 else {})}),
            }
        )
        segment_rows.extend(
            {"call_id": call_id, "idx": i, "start": i * 3.0, "end": i * 3.0 + 2.5, "speaker": who, "text": text}
            for i, (who, text) in enumerate(lines)
        )
    with db.conn:
        db["calls"].insert_all(call_rows, batch_size=5000)
        db["segments"].insert_all(segment_rows, batch_size=5000)


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    config = load_config()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        plant(db, calls)
        print(f"planted {calls:,} calls in {time.perf_counter() - t0:.1f} s")
        runs = (
            ("every day", None),
            ("the last day (a daily scan)", ["2026-03-30"]),
            ("one day mid-history", ["2026-03-15"]),
        )
        for label, days in runs:
            t0 = time.perf_counter()
            found = cross_call_findings(read_only(db.conn), config, days=days)
            replace_category_findings(db, found.replaced, found.findings)
            print(f"cross-call rules, {label}: {time.perf_counter() - t0:.2f} s, {len(found.findings):,} findings")
        counts = db.execute("SELECT category, count(*) FROM findings GROUP BY category ORDER BY category").fetchall()
        print("findings by category:", ", ".join(f"{c} {n:,}" for c, n in counts))


if __name__ == "__main__":
    main()
