"""Time scoring of stored calls: python -m benchmarks.scoring [CALLS]

Plants CALLS calls (default 100,000) in a temporary database, with the findings a busy archive
has (about one call in three flagged, one to four findings each, some dismissed by a reviewer,
one call in five under the outsourced template), then times `callqa score`'s library function
over all of them: reading findings and verdicts, choosing each call's template, writing
call_scores. Target (issue 15): under a minute for 100,000 calls.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

from pipeline.config import load_config
from pipeline.scoring import score_calls
from pipeline.store import open_db

CATEGORIES = [
    "missing_disclosure",
    "recording_notice",
    "unverified_identity",
    "threat",
    "exaggeration",
    "private_channel",
    "call_frequency",
    "third_party_leak",
]


def plant(db, calls: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    call_rows, finding_rows, review_rows = [], [], []
    for n in range(calls):
        call_id = f"c{n:07d}"
        extra = {"channel": "委外"} if rng.random() < 0.2 else {}
        call_rows.append(
            {
                "id": call_id,
                "sha256": call_id,
                "status": "ok",
                "agency": f"机构{n % 12}",
                "agent_id": f"A{n % 400}",
                "started_at": f"2026-03-{1 + n % 28:02d}T10:00:00+08:00",
                "extra": json.dumps(extra, ensure_ascii=False),
            }
        )
        if rng.random() < 0.33:
            for k in range(rng.randint(1, 4)):
                finding_rows.append(
                    {
                        "id": len(finding_rows) + 1,
                        "call_id": call_id,
                        "category": rng.choice(CATEGORIES),
                        "severity": "medium",
                        "score": 0.8,
                        "segment_index": k,
                        "detector": "lexicon",
                        "created_at": "2026-03-02T00:00:00",
                    }
                )
                if rng.random() < 0.1:
                    review_rows.append(
                        {
                            "finding_id": len(finding_rows),
                            "call_id": call_id,
                            "verdict": "dismissed",
                            "category": finding_rows[-1]["category"],
                            "reviewer": "qa",
                            "created_at": "2026-03-03T00:00:00",
                        }
                    )
    with db.conn:
        db["calls"].insert_all(call_rows, batch_size=5000)
        db["findings"].insert_all(finding_rows, batch_size=5000)
        db["reviews"].insert_all(review_rows, batch_size=5000)
    return len(finding_rows)


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    config = load_config()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        findings = plant(db, calls)
        print(f"planted {calls:,} calls with {findings:,} findings")
        t0 = time.perf_counter()
        summary = score_calls(db, config)
        seconds = time.perf_counter() - t0
        print(
            f"scored {summary.calls:,} calls in {seconds:.1f} s ({summary.calls / seconds:,.0f} calls/s; target: under 60 s)"
        )
        print(f"  templates: {summary.by_template}; grades: {summary.by_grade}; 一票否决: {summary.failed_critical:,}")


if __name__ == "__main__":
    main()
