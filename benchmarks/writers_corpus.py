"""The multi-writer corpus's builder (``fixtures/labelled/writers/make_calls.py``) as a module,
for benchmarks that rebuild its calls with the same seeds to see what the stored calls hide (the
written speaker of a mono line, the punctuation under recognition's spacing)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

WRITERS = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "writers"


def make_calls_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("writers_make_calls", WRITERS / "make_calls.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
