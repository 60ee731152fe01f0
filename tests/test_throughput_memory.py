"""The throughput benchmark's memory figure: a child between fork and exec is not counted."""

import subprocess
import sys
import time

from benchmarks.throughput import _children_rss

# A process holding 300 MB that forks a child which never starts a program (it shares its
# parent's pages, as every child does for an instant before it runs ffmpeg) and starts
# ``sleep`` (a program of its own).
PARENT = """
import os, subprocess, sys, time
import numpy as np
held = np.ones(300 * 2**20 // 8)
if os.fork() == 0:
    time.sleep(30)
    os._exit(0)
subprocess.Popen(["sleep", "30"])
print("ready", flush=True)
time.sleep(30)
"""


def test_a_child_that_shares_its_parents_memory_is_not_counted_again():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout.readline().strip() == "ready"
        time.sleep(0.2)
        children = _children_rss(parent.pid)
        with open(f"/proc/{parent.pid}/status") as status:
            own = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS"))
        assert own > 300 * 2**20
        assert 0 < children < 50 * 2**20  # sleep alone, not the forked copy of the parent
    finally:
        for child in subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True, text=True).stdout.split():
            subprocess.run(["kill", child])
        parent.kill()
        parent.wait()
