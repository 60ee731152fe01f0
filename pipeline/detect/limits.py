"""A time limit on one call's detection.

Every lexicon pattern is checked for nested repeats when it is loaded and each segment is read up
to ``max_segment_chars``, so matching time stays linear or close to it; the limit is the last
guard, for text no check foresaw. It uses the interval timer of the process (SIGALRM), which
interrupts a regular expression search too, so it works in the main thread of a process: the
command line's and every worker's. Elsewhere (a web server's thread) it does nothing.
"""

from __future__ import annotations

import contextlib
import signal
import threading


class TimeLimitExceeded(Exception):
    pass


def _expired(signum, frame):
    raise TimeLimitExceeded()


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise ``TimeLimitExceeded`` inside the block once ``seconds`` have passed."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
