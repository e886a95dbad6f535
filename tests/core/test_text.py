"""Russian plural forms and the command line's own words in Russian."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cxdesk.text import items, plural, plural_form


@pytest.mark.parametrize(
    ("n", "word"),
    [(0, "пунктов"), (1, "пункт"), (2, "пункта"), (4, "пункта"), (5, "пунктов"),
     (11, "пунктов"), (12, "пунктов"), (14, "пунктов"), (21, "пункт"), (22, "пункта"),
     (32, "пункта"), (101, "пункт"), (111, "пунктов"), (112, "пунктов"), (1001, "пункт")],
)  # fmt: skip
def test_plural_forms(n: int, word: str) -> None:
    assert plural_form(n, "пункт", "пункта", "пунктов") == word
    assert items(n) == f"{n} {word}"


def test_plural_of_rows() -> None:
    assert plural(12, "строка", "строки", "строк") == "12 строк"
    assert plural(23, "строка", "строки", "строк") == "23 строки"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cxdesk", *args], capture_output=True,
                          text=True, timeout=60)  # fmt: skip


def test_help_and_argparse_errors_are_russian() -> None:
    helped = _cli("--help")
    assert helped.returncode == 0
    for english in ("usage:", "show this help", "positional arguments", "options:"):
        assert english not in helped.stdout
    assert "использование: cxdesk" in helped.stdout
    assert "показать эту справку и выйти" in helped.stdout
    missing = _cli("set")
    assert missing.returncode == 2
    assert missing.stderr.startswith("cxdesk: error: не хватает обязательных аргументов: ПЛАН")
    wrong = _cli("export", "1", "-o", "x", "--format", "odt")
    assert wrong.returncode == 2 and "недопустимое значение 'odt'" in wrong.stderr
    unknown = _cli("templates", "--bogus")
    assert unknown.returncode == 2 and "неизвестные аргументы: --bogus" in unknown.stderr


def test_counts_in_command_output_agree_in_number(tmp_path) -> None:  # type: ignore[no-untyped-def]
    made = _cli("--data-dir", str(tmp_path), "new", "szn_pilot", "--org", "ЦЗН", "--done", "1")
    assert made.returncode == 0, made.stderr
    assert "11 пунктов" in made.stdout
    listed = _cli("--data-dir", str(tmp_path), "templates")
    assert "12 пунктов" in listed.stdout and "59 пунктов" in listed.stdout
