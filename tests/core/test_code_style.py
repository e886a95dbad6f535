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


def test_no_module_is_looked_up_by_name() -> None:
    """Every module of the product is imported by a plain import statement, which packagers and
    readers can see: a module looked up by its name is left out of the bundle unnoticed."""
    found = []
    for path in [*REPO.glob("cxdesk/**/*.py"), *REPO.glob("ui/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        for needle in ("import_module(", "find_spec(", "__import__("):
            if needle in text:
                found.append(f"{path.relative_to(REPO)}: {needle}")
    assert found == []
