"""Concurrent writers on one database: a transcript import while reviewers post verdicts.

    python benchmarks/console_load.py [--calls 420] [--clients 6] [--requests 60]

Starts the console on a free loopback port over a fresh database, imports CALLS transcripts
with ``scan`` in a thread of its own while CLIENTS reviewers each make REQUESTS requests
(every other one a verdict POST, the rest queue pages and searches), and prints what came
back: the HTTP statuses, whether every accepted verdict has its review and audit rows, and
whether the import stored every call and finished its run. ``tests/test_concurrency.py``
runs it small; the README quotes a run of the defaults.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import httpx  # noqa: E402
from console_fixtures import serving  # noqa: E402

from pipeline.review import auth  # noqa: E402
from pipeline.run import ScanSettings, scan  # noqa: E402
from pipeline.store import open_db  # noqa: E402

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "load-test-password"
LINES = [
    "您好，我是某某金融的，您的账单已经逾期三个月了",
    "你再不还钱，我们就派人上门，到你单位去找你领导",
    "我这边是法院执行局的，你的案子马上就要立案了",
]


@dataclass
class LoadResult:
    clients: int
    requests: int
    statuses: Counter = field(default_factory=Counter)
    verdicts_accepted: int = 0
    review_rows: int = 0
    audit_verdict_rows: int = 0
    calls_to_import: int = 0
    calls_stored: int = 0
    import_error: str | None = None
    client_errors: list[str] = field(default_factory=list)
    run_finished: bool = False
    seconds: float = 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> str:
        return (
            f"{self.clients} clients x {self.requests} requests = {sum(self.statuses.values())} requests "
            f"in {self.seconds:.1f} s, statuses {dict(sorted(self.statuses.items()))}, 5xx: {self.server_errors}; "
            f"verdicts accepted {self.verdicts_accepted}, review rows {self.review_rows}, "
            f"audited {self.audit_verdict_rows}; import stored {self.calls_stored}/{self.calls_to_import} calls, "
            f"run finished: {self.run_finished}, import error: {self.import_error}, "
            f"client errors: {self.client_errors[:3]}"
        )


def _transcripts(path: Path, count: int, prefix: str) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            call = {
                "call_id": f"{prefix}{i:05d}",
                "started_at": f"2026-03-{1 + i % 28:02d}T10:{i % 60:02d}:00+08:00",
                "agent_id": f"A{i % 7:03d}",
                "agency": "某某信用管理有限公司",
                "segments": [
                    {
                        "start": 2.0 * n,
                        "end": 2.0 * n + 1.8,
                        "speaker": "agent" if n % 2 == 0 else "customer",
                        "text": LINES[(i + n) % len(LINES)] if n % 2 == 0 else "我知道了",
                    }
                    for n in range(6)
                ],
            }
            out.write(json.dumps(call, ensure_ascii=False) + "\n")
    return path


def _reviewer(
    base_url: str, username: str, finding_ids: list[int], requests: int, result: LoadResult, lock: threading.Lock
) -> None:
    statuses: Counter = Counter()
    accepted = 0
    try:
        accepted = _review(base_url, username, finding_ids, requests, statuses)
    except Exception as exc:  # a refused connection or a timeout: what the probe looks for
        with lock:
            result.client_errors.append(f"{username}: {type(exc).__name__}: {exc}")
    with lock:
        result.statuses.update(statuses)
        result.verdicts_accepted += accepted


def _review(base_url: str, username: str, finding_ids: list[int], requests: int, statuses: Counter) -> int:
    accepted = 0
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=120) as client:
        token = CSRF_FIELD.search(client.get("/login").text).group(1)
        login = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        statuses[login.status_code] += 1
        token = CSRF_FIELD.search(client.get("/call", params={"id": "seed00000"}).text).group(1)
        for n in range(requests):
            if n % 2 == 0:
                finding = finding_ids[(n // 2) % len(finding_ids)]
                verdict = ("confirmed", "dismissed", "uncertain")[n % 3]
                response = client.post(
                    f"/findings/{finding}/review", data={"verdict": verdict, "csrf_token": token, "back": "/"}
                )
                accepted += response.status_code == 303
            elif n % 4 == 1:
                response = client.get("/", params={"status": "all", "page": 1 + n % 3})
            else:
                response = client.get("/", params={"q": "法院", "status": "all"})
            statuses[response.status_code] += 1
    return accepted


def run_load(directory: Path, calls: int, clients: int, requests: int) -> LoadResult:
    """Seed a database, then import ``calls`` calls while ``clients`` reviewers work on it."""
    directory.mkdir(parents=True, exist_ok=True)
    db_path = directory / "qa.db"
    db = open_db(db_path)
    scan(db, ScanSettings(transcribe=None), transcripts=_transcripts(directory / "seed.jsonl", 20, "seed"))
    finding_ids = [r[0] for r in db.execute("SELECT id FROM findings ORDER BY id")]
    usernames = [f"reviewer{n}" for n in range(clients)]
    for username in usernames:
        auth.add_user(db, username, PASSWORD, "reviewer")
    db.close()
    source = _transcripts(directory / "import.jsonl", calls, "load")

    result = LoadResult(clients=clients, requests=requests, calls_to_import=calls)

    def importer() -> None:
        import_db = open_db(db_path)
        try:
            scan(import_db, ScanSettings(transcribe=None), transcripts=source)
        except Exception as exc:  # what the probe looks for: the import dying
            result.import_error = f"{type(exc).__name__}: {exc}"
        finally:
            import_db.close()

    lock = threading.Lock()
    started = time.monotonic()
    with serving(db_path) as base_url:
        threads = [threading.Thread(target=importer)] + [
            threading.Thread(target=_reviewer, args=(base_url, name, finding_ids, requests, result, lock))
            for name in usernames
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    result.seconds = time.monotonic() - started

    db = open_db(db_path)
    result.review_rows = db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    result.audit_verdict_rows = db.execute(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'verdict' AND result = 'ok'"
    ).fetchone()[0]
    result.calls_stored = db.execute("SELECT COUNT(*) FROM calls WHERE id LIKE 'load%'").fetchone()[0]
    result.run_finished = (
        db.execute("SELECT finished_at IS NOT NULL FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0] == 1
    )
    db.close()
    return result


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=420)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(run_load(Path(tmp), args.calls, args.clients, args.requests).summary())


if __name__ == "__main__":
    main()
