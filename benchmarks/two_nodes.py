"""The multi-node check on one machine: a Ray head and a second node (different ports, one CPU
each), a scan that joins them with --ray-address, and the calls each node processed.

    .venv/bin/python benchmarks/two_nodes.py [--files 6]

Prints the run's calls per node (from runs.counts) and fails unless both nodes did some.
Both nodes are stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale_out import make_archive  # noqa: E402

HEAD_PORT = 6389
BIN = Path(sys.executable).parent


def ray_start(*args: str) -> None:
    subprocess.run([str(BIN / "ray"), "start", "--num-cpus", "1", "--disable-usage-stats", *args], check=True,
                   stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=6)
    args = parser.parse_args()
    address = f"127.0.0.1:{HEAD_PORT}"
    env = {**os.environ, "RAY_ADDRESS": ""}
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive"
        archive.mkdir()
        make_archive(archive, args.files)
        try:
            ray_start("--head", "--port", str(HEAD_PORT), "--node-ip-address", "127.0.0.1", "--include-dashboard", "false")
            ray_start("--address", address, "--node-ip-address", "127.0.0.1")
            db = Path(tmp) / "qa.db"
            subprocess.run([str(BIN / "callqa"), "scan", str(archive), "--db", str(db), "--engine", "ray",
                            "--ray-address", address, "--workers", "2"], check=True, env=env)
        finally:
            subprocess.run([str(BIN / "ray"), "stop", "--force"], check=False, stdout=subprocess.DEVNULL)
        import sqlite3

        counts = json.loads(sqlite3.connect(db).execute("SELECT counts FROM runs ORDER BY id DESC").fetchone()[0])
    nodes = counts.get("nodes", {})
    for node, calls in sorted(nodes.items()):
        print(f"node {node}: {calls} calls")
    if len(nodes) < 2:
        sys.exit(f"expected calls on two nodes, got {nodes}")
    print(f"both nodes processed files: {sum(nodes.values())} of {args.files} calls")


if __name__ == "__main__":
    main()
