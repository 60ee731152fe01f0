"""The multi-node check on one machine: a Ray head and a second node (different ports, one CPU
each), a scan that joins them with --ray-address, and the calls each node processed.

    .venv/bin/python benchmarks/two_nodes.py [--files 6]

Prints the run's calls per node (from runs.counts) and fails unless both nodes did some.
Both nodes are stopped at the end, whatever happens (each ``ray start --block`` is ended, and
takes the Ray processes it started with it; other Ray instances on the machine are left alone).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale_out import make_archive  # noqa: E402

HEAD_PORT = 6389
BIN = Path(sys.executable).parent
# Token authentication on for the nodes and every client alike (the token is ~/.ray/auth_token,
# made on first use; on a real cluster every node needs the same one).
os.environ["RAY_AUTH_MODE"] = "token"


def ray_start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "ray"), "start", "--block", "--num-cpus", "1", "--disable-usage-stats", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_nodes(address: str, count: int, timeout: float = 120) -> None:
    import ray

    ray.init(address=address, log_to_driver=False)
    try:
        deadline = time.monotonic() + timeout
        while sum(node["Alive"] for node in ray.nodes()) < count:
            if time.monotonic() > deadline:
                sys.exit(f"only {sum(n['Alive'] for n in ray.nodes())} of {count} Ray nodes came up")
            time.sleep(1)
    finally:
        ray.shutdown()


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
        nodes = [
            ray_start(
                "--head", "--port", str(HEAD_PORT), "--node-ip-address", "127.0.0.1", "--include-dashboard", "false"
            )
        ]
        try:
            time.sleep(5)  # the head first
            nodes.append(ray_start("--address", address, "--node-ip-address", "127.0.0.1"))
            wait_for_nodes(address, 2)
            db = Path(tmp) / "qa.db"
            subprocess.run(
                [
                    str(BIN / "callqa"),
                    "scan",
                    str(archive),
                    "--db",
                    str(db),
                    "--engine",
                    "ray",
                    "--ray-address",
                    address,
                    "--workers",
                    "2",
                ],
                check=True,
                env=env,
            )
        finally:
            for node in reversed(nodes):
                node.terminate()
                node.wait(timeout=60)
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
