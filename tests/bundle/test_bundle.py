"""The bundle: cxdesk.spec builds one folder whose programs run without Python installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("pyinstaller") is None:
        pytest.skip("PyInstaller is not installed (pip install -e '.[test]')")
    work = tmp_path_factory.mktemp("bundle")
    res = subprocess.run(
        ["pyinstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
         str(REPO / "cxdesk.spec")],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    (folder,) = (work / "dist").iterdir()
    return folder


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(CXDESK_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    return env


def test_console_program_lists_templates(bundle: Path, tmp_path: Path) -> None:
    exe = bundle / ("cxdesk.exe" if sys.platform == "win32" else "cxdesk")
    res = subprocess.run([str(exe), "templates", "--json"], capture_output=True, text=True,
                         env=_env(tmp_path / "data"), timeout=60)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert {t["id"]: t["items"] for t in json.loads(res.stdout)} == {
        "region": 59, "agency": 76, "szn_pilot": 12,
    }  # fmt: skip
    made = subprocess.run(
        [str(exe), "new", "szn_pilot", "--org", "ЦЗН", "--json"],
        capture_output=True,
        text=True,
        env=_env(tmp_path / "data"),
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "data" / "cxdesk.sqlite3").exists()


def test_window_program_starts_on_empty_folder(bundle: Path, tmp_path: Path) -> None:
    exe = bundle / ("cxdesk-gui.exe" if sys.platform == "win32" else "cxdesk-gui")
    proc = subprocess.Popen([str(exe)], env=_env(tmp_path / "data"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            if (tmp_path / "data" / "cxdesk.sqlite3").exists():
                time.sleep(2)
                break
            time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert (tmp_path / "data" / "cxdesk.sqlite3").exists()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert "Traceback" not in err
