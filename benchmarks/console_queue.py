"""Time the reviewer console on a database of 100,000 findings, against a small one.

    python -m benchmarks.console_queue [--findings 100000] [--small 1000]   (from the repository root)

Fills temporary databases (four findings per call, a fifth of them reviewed, two segments
per call in the full-text index) and prints, for a few filter settings, the median time of
one queue page (the page of calls, their total and the per-category counts). Then, through
the console itself (FastAPI's TestClient, in-process, so server time without a network), the
median of: the queue page as HTML, a call page opened from the queue (with its next/previous
lookup), and a verdict's round trip (POST /api/findings/{id}/verdict, JSON back), each as
milliseconds at both sizes and as the ratio large / small, measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from pipeline.review.queries import QueueFilters, queue_page
from pipeline.store import now_iso, open_db
from pipeline.text import index_tokens

CATEGORIES = ["threat", "impersonation", "exaggeration", "missing_disclosure", "third_party_leak"]
SEVERITIES = ["high", "medium", "low"]
SENTENCES = [
    "您好，我是某某金融的客服",
    "你再不还钱我们就上门找你家人",
    "逾期信息会按规定报送征信系统",
    "他欠我们八千块已经逾期三个月了",
]


def fill(db_path: Path, n_findings: int, findings_per_call: int = 4) -> None:
    rng = random.Random(7)
    db = open_db(db_path)
    tokens = {s: index_tokens(s) for s in SENTENCES}
    n_calls = n_findings // findings_per_call
    created = now_iso()
    calls, segments, findings, reviews = [], [], [], []
    for i in range(n_calls):
        call_id = f"c{i:06d}"
        month, day, hour = rng.randint(1, 12), rng.randint(1, 28), rng.randint(8, 21)
        calls.append(
            {
                "id": call_id,
                "sha256": f"{i:064x}",
                "status": "ok",
                "duration": 60.0,
                "started_at": f"2026-{month:02d}-{day:02d}T{hour:02d}:00:00+08:00",
                "agent_id": f"A{rng.randint(1, 200):03d}",
                "agency": f"机构{rng.randint(1, 20)}",
            }
        )
        for j, text in enumerate(rng.sample(SENTENCES, 2)):
            segments.append(
                {
                    "call_id": call_id,
                    "idx": j,
                    "start": j * 5.0,
                    "end": j * 5.0 + 4,
                    "speaker": "agent",
                    "text": text,
                    "text_tokens": tokens[text],
                }
            )
        for _ in range(findings_per_call):
            findings.append(
                {
                    "id": len(findings) + 1,
                    "call_id": call_id,
                    "category": rng.choice(CATEGORIES),
                    "severity": rng.choice(SEVERITIES),
                    "score": round(rng.random(), 3),
                    "start": 1.0,
                    "end": 4.0,
                    "segment_index": 0,
                    "evidence": "…",
                    "clauses": "[]",
                    "detector": "bench",
                    "created_at": created,
                }
            )
            if rng.random() < 0.2:
                reviews.append(
                    {
                        "finding_id": len(findings),
                        "call_id": call_id,
                        "category": findings[-1]["category"],
                        "verdict": rng.choice(["confirmed", "dismissed", "uncertain"]),
                        "reviewer": "bench",
                        "created_at": created,
                    }
                )
    with db.atomic():
        for table, rows in (("calls", calls), ("segments", segments), ("findings", findings), ("reviews", reviews)):
            db[table].insert_all(rows, batch_size=5000)
    db.conn.execute("ANALYZE")


def median_seconds(db, filters: QueueFilters, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        queue_page(db, filters)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def console_timings(db_path: Path, repeats: int = 15) -> dict[str, float]:
    """Median milliseconds of the queue page, a call page and a verdict, through the app."""
    import re

    from fastapi.testclient import TestClient

    from pipeline.review import auth
    from pipeline.review.app import create_app

    db = open_db(db_path)
    auth.add_user(db, "bench-reviewer", "bench-password", "reviewer")
    open_ids = [
        r[0]
        for r in db.execute(
            "SELECT f.id FROM findings f WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.finding_id = f.id) "
            "ORDER BY f.id LIMIT ?",
            [repeats],
        )
    ]
    db.close()
    client = TestClient(create_app(db_path, secret="bench"), follow_redirects=False)
    login_page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"username": "bench-reviewer", "password": "bench-password", "csrf_token": token})
    queue_html = client.get("/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', queue_html).group(1)
    first_call = re.search(r'href="(/call\?[^"]+)" class="call-link"', queue_html).group(1).replace("&amp;", "&")

    def timed(request) -> float:
        times = []
        for i in range(repeats):
            t0 = time.perf_counter()
            response = request(i)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.text[:200]
        return statistics.median(times) * 1000

    return {
        "queue page (HTML)": timed(lambda i: client.get("/")),
        "call page from the queue": timed(lambda i: client.get(first_call)),
        "verdict round trip": timed(
            lambda i: client.post(
                f"/api/findings/{open_ids[i]}/verdict",
                data={"verdict": "confirmed", "base": "0", "csrf_token": token},
            )
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000, help="findings in the database compared against")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "qa.db"
        small_path = Path(tmp) / "small.db"
        t0 = time.perf_counter()
        fill(db_path, args.findings)
        fill(small_path, args.small)
        print(f"filled {args.findings} and {args.small} findings in {time.perf_counter() - t0:.1f} s")
        large, small = console_timings(db_path), console_timings(small_path)
        print(f"\nthrough the console (median ms; target < 200 ms at {args.findings} findings)")
        print(f"{'':28s} {args.findings:>9d} {args.small:>9d}   ratio")
        for name in large:
            print(f"{name:28s} {large[name]:9.1f} {small[name]:9.1f}   {large[name] / small[name]:5.1f}x")
        print("\nqueue query alone (median ms)")
        db = open_db(db_path)
        cases = {
            "open queue, page 1": QueueFilters(),
            "open queue, page 200": QueueFilters(page=200),
            "category threat": QueueFilters(category="threat"),
            "all statuses": QueueFilters(status="all"),
            "confirmed": QueueFilters(status="confirmed"),
            "agency + dates": QueueFilters(agency="机构3", date_from="2026-03-01", date_to="2026-03-31"),
            "transcript search 上门": QueueFilters(q="上门"),
        }
        for name, filters in cases.items():
            page = queue_page(db, filters)
            print(f"{name:28s} {median_seconds(db, filters) * 1000:7.1f} ms  ({page.total} calls)")


if __name__ == "__main__":
    main()
