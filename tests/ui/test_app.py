"""Starting the window: ``cxdesk`` with no command, on an empty and on a full data folder; a
database that cannot be opened is explained in a dialog, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cxdesk.paths import DB_NAME
from cxdesk.storage.db import Store
from tests.ui.helpers import agency_plan

from ui import app, msgbox

REPO = Path(__file__).resolve().parents[2]


def _start(data_dir: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        CXDESK_DATA_DIR=str(data_dir),
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),  # the window's settings stay in the test
        HOME=str(tmp_path),
    )
    code = "import sys; from cxdesk.cli import main; sys.exit(main([]))"
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env, stderr=subprocess.PIPE)


@pytest.mark.slow
@pytest.mark.parametrize("full", [False, True], ids=["empty", "full"])
def test_cxdesk_without_a_command_opens_the_window(tmp_path: Path, full: bool) -> None:
    data = tmp_path / "data"
    if full:
        store = Store(data)
        agency_plan(store)
        store.close()
    process = _start(data, tmp_path)
    try:
        deadline = time.monotonic() + 60  # a busy machine may take long to start Qt
        while not (data / DB_NAME).exists() and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            time.sleep(0.2)
        time.sleep(1)
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text and "error" not in text.lower(), text
    assert (data / DB_NAME).exists()


def test_a_broken_database_is_explained(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "broken"
    data.mkdir()
    (data / DB_NAME).write_bytes(b"this is not a database at all" * 100)
    monkeypatch.setenv("CXDESK_DATA_DIR", str(data))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    with msgbox.capture() as shown:
        assert app.main([]) == 2  # no backup to restore: the user can only choose one or leave
    assert shown[0].kind == "question" and "поврежд" in shown[0].text
    assert "Резервных копий в папке данных нет" in shown[0].text


def test_the_excepthook_logs_and_explains(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app.install_excepthook(tmp_path)
    try:
        raise RuntimeError("проверка журнала")
    except RuntimeError as exc:
        with msgbox.capture() as shown:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    assert shown[0].kind == "bug" and str(tmp_path / "logs" / "cxdesk.log") in shown[0].text
    assert "проверка журнала" in (tmp_path / "logs" / "cxdesk.log").read_text("utf-8")
