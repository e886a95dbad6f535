"""The code's own checks, run with the tests so that CI refuses what they find: ruff (lint and
format) over the whole tree, and mypy (strict on cxdesk/, looser on ui/, as pyproject.toml says)."""

from __future__ import annotations

import ast
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


def _modules(folder: str) -> dict[str, ast.Module]:
    root = REPO / folder
    return {
        p.relative_to(REPO).with_suffix("").as_posix().replace("/", "."): ast.parse(
            p.read_text(encoding="utf-8")
        )
        for p in sorted(root.rglob("*.py"))
    }


def _imports(tree: ast.Module, module: str) -> set[str]:
    """Every module ``tree`` imports, at the top, in functions, or for type checking only."""
    found: set[str] = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1],
                                 *([base] if base else [])])  # fmt: skip
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _names(tree: ast.Module) -> set[str]:
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return names | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def test_settings_and_message_boxes_each_have_one_home() -> None:
    ui = _modules("ui")
    declaring = sorted(m for m, tree in ui.items() if "declare" in _names(tree))
    assert declaring == ["ui.settings"]
    boxing = sorted(m for m, tree in ui.items() if "QMessageBox" in _names(tree))
    assert boxing == ["ui.msgbox"]


def test_the_layers_are_kept() -> None:
    io = _modules("cxdesk/io")
    crossing = {m: sorted(i for i in _imports(t, m) if i.startswith("cxdesk.services"))
                for m, t in io.items()}  # fmt: skip
    assert {m: i for m, i in crossing.items() if i} == {}
    # the window reads the store only through services: no SQL of its own
    ui = _modules("ui")
    sql = {m: sorted(i for i in _imports(t, m) if i.startswith(("sqlalchemy", "sqlite3")))
           for m, t in ui.items()}  # fmt: skip
    assert {m: i for m, i in sql.items() if i} == {}
    sessions = sorted(m for m, t in ui.items() if "session" in _names(t))
    assert sessions == []


def test_io_has_no_import_cycle() -> None:
    io = _modules("cxdesk/io")
    graph = {m: {i for i in _imports(t, m) if i in io and i != m} for m, t in io.items()}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt == path[0]:
                cycles.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert cycles == []


def test_the_window_runs_work_one_way() -> None:
    """Work on the store runs on the window's runner (``Tasks.run``) and goes on in a
    continuation: no local event loop waits for a result (inside it any other event, and other
    work, could run in the middle of a flow), and there is no second runner beside the window's."""
    ui = _modules("ui")
    waiting = {
        m: sorted({"QEventLoop", "wait_for", "tasks_for"} & _names(t)) for m, t in ui.items()
    }
    assert {m: n for m, n in waiting.items() if n} == {}
    runners = sorted(
        m
        for m, t in ui.items()
        for node in ast.walk(t)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Tasks"
    )
    assert runners == ["ui.mainwindow.window"]


def test_the_window_redraws_from_what_services_report() -> None:
    """What changed is said by the service that changed it (``Changes``, or a result's
    ``.changes``); the window never makes up changes of its own (an empty one to gather those
    of several calls is all it builds)."""
    ui = _modules("ui")
    invented = sorted(
        m
        for m, t in ui.items()
        for node in ast.walk(t)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Changes"
        and (node.args or node.keywords)
    )
    assert invented == []
