"""callqa installed from its wheel (not editable) works away from the checkout: the settings,
lexicons and classifier travel inside the package."""

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

REPO = Path(__file__).resolve().parent.parent
CALLS = REPO / "fixtures" / "labelled" / "dev" / "mono.jsonl"


@pytest.mark.slow
def test_the_wheel_installed_in_a_fresh_venv_detects_like_the_checkout(tmp_path):
    wheels, venv, work = tmp_path / "wheels", tmp_path / "venv", tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(CALLS, work / "calls.jsonl")
    # From a clean copy of the source (a build/ folder in the checkout may hold stale modules).
    source = tmp_path / "source"
    shutil.copytree(
        REPO,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".*", "build", "*.egg-info", "fixtures", "tests", "benchmarks", "docs", "demo-output", "__pycache__"
        ),
    )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # Offline: build with this venv's setuptools, install from the folder only.
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(wheels), str(source)],
        check=True,
        cwd=work,
    )
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", "--find-links", str(wheels), "callqa"],
        check=True,
    )
    # The dependencies come from this venv's site-packages (a plain path: its editable callqa stays out).
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    where = subprocess.run(
        [python, "-c", "import pipeline; print(pipeline.__file__)"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(venv)), where
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    installed = subprocess.run(
        [venv / "bin" / "callqa", "detect", "calls.jsonl"], cwd=work, env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    checkout = CliRunner().invoke(cli, ["detect", str(CALLS)])
    assert installed.stdout == checkout.stdout
    findings = [json.loads(line) for line in installed.stdout.splitlines()]
    assert len(findings) > 10 and any(f["detector"].startswith("classifier") for f in findings), (
        "the lexicons and the classifier model both came with the wheel"
    )

    stored = subprocess.run(
        [venv / "bin" / "callqa", "scan", "--transcripts", "calls.jsonl", "--db", "qa.db"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert stored.returncode == 0, stored.stderr
