"""Benchmarks of the window: start to first paint, and a plan of 5,000 items."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def register(benches: dict[str, Callable[[Path], None]], report: Callable[..., None],
             best: Callable[..., float]) -> None:  # fmt: skip
    """Adds the window benchmarks (filled in as the window's parts land)."""
