"""The test run itself: under CI=true a skip (a missing dependency) fails the run instead of passing it."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

SKIPPING = """
import pytest

def test_needs_something_missing():
    pytest.skip("chromium is not installed")

@pytest.mark.xfail(reason="known")
def test_known_failure():
    assert False
"""


def run(tmp_path, ci: str | None) -> subprocess.CompletedProcess:
    (tmp_path / "test_bo_qua.py").write_text(SKIPPING, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PYTHONPATH": str(ROOT / "tests")}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider",
                           "--rootdir", str(tmp_path), str(tmp_path)], env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def test_a_skip_fails_under_ci(tmp_path):
    done = run(tmp_path, "true")
    assert done.returncode == 1, done.stdout
    assert "1 failed" in done.stdout and "1 xfailed" in done.stdout
    assert "skipped under CI=true" in done.stdout and "chromium is not installed" in done.stdout


def test_a_skip_is_a_skip_elsewhere(tmp_path):
    done = run(tmp_path, None)
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout and "1 xfailed" in done.stdout
