"""The code's own checks, run with the tests so that CI refuses what they find: ruff (lint and
format) over the whole tree, and mypy (strict on cxdesk/, looser on ui/, as pyproject.toml says)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is not installed")
def test_ruff_finds_nothing_and_the_code_is_formatted() -> None:
    lint = _run("ruff", "check", "--quiet", ".")
    assert lint.returncode == 0, lint.stdout[-4000:]
    form = _run("ruff", "format", "--check", "--quiet", ".")
    assert form.returncode == 0, form.stdout[-4000:]


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_mypy_finds_nothing() -> None:
    typed = _run("mypy", "cxdesk", "ui")
    assert typed.returncode == 0, typed.stdout[-4000:]
