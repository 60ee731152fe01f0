"""Style is checked like behaviour: ruff's lint rules and formatting (pyproject.toml, [tool.ruff])
over the whole repository, so `./run test` fails on code that drifts from them."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", str(REPO)], cwd=REPO, capture_output=True, text=True
    )


def test_ruff_lint_finds_nothing():
    result = ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted_as_ruff_formats_it():
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
