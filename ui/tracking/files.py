"""Small helpers for attached files: sizes and dates in Russian, icons, names, dropped URLs.

Also the read-only copies that «Открыть» hands to the system's program: the stored file itself is
never given to another program (it could change it and break its hash). Copies live in a folder
of their own under the system's temporary folder and are cleared after a day.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import uuid
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileInfo, QRectF, Qt, QUrl
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QApplication, QFileIconProvider, QStyle

from cxdesk import clock
from cxdesk.services.attachments import save_copy
from cxdesk.storage.db import Store

#: Set (to anything but 0) to keep files from being opened (tests, screenshots).
NO_OPEN_ENV = "CXDESK_NO_OPEN"
#: The folder of read-only copies opened with the system's program.
OPEN_ROOT = Path(tempfile.gettempdir()) / "cxdesk-open"
#: Copies older than this (seconds) are removed when another file is opened.
KEEP_SECONDS = 24 * 3600
#: Characters that some systems refuse in file names.
_BAD = set('<>:"/\\|?*')

#: Badge colours of the drawn icons, by extension.
_KINDS = {
    "pdf": "#b3261e",
    "doc": "#1f5fa8", "docx": "#1f5fa8", "odt": "#1f5fa8", "rtf": "#1f5fa8",
    "xls": "#1e6b30", "xlsx": "#1e6b30", "ods": "#1e6b30", "csv": "#1e6b30",
    "ppt": "#b8541a", "pptx": "#b8541a",
    "jpg": "#6b3fa0", "jpeg": "#6b3fa0", "png": "#6b3fa0", "tif": "#6b3fa0", "tiff": "#6b3fa0",
    "zip": "#5d5d5d", "rar": "#5d5d5d", "7z": "#5d5d5d",
}  # fmt: skip


def size_text(size: int) -> str:
    """«12 КБ», «3,4 МБ»: as a file manager shows a size."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} КБ"
    if size < 1024**3:
        return f"{size / 1024**2:.1f} МБ".replace(".", ",")
    return f"{size / 1024**3:.1f} ГБ".replace(".", ",")


def date_text(moment: str, with_time: bool = False) -> str:
    """An ISO moment as dd.MM.yyyy (and HH:MM)."""
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    return at.strftime("%d.%m.%Y %H:%M" if with_time else "%d.%m.%Y")


def safe_name(name: str) -> str:
    """A file name every system accepts (a colleague's file may carry «:» or «?»)."""
    clean = "".join("_" if ch in _BAD or ord(ch) < 32 else ch for ch in name).strip(" .")
    return clean or "файл"


@cache
def _drawn(ext: str) -> QIcon:
    """A sheet with a folded corner and the extension on a coloured band."""
    scale = 2
    pix = QPixmap(16 * scale, 16 * scale)
    pix.setDevicePixelRatio(scale)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    sheet = QPainterPath()
    sheet.moveTo(2.5, 0.5)
    sheet.lineTo(10, 0.5)
    sheet.lineTo(13.5, 4)
    sheet.lineTo(13.5, 15.5)
    sheet.lineTo(2.5, 15.5)
    sheet.closeSubpath()
    p.setPen(QColor("#7d848c"))
    p.setBrush(QColor("#ffffff"))
    p.drawPath(sheet)
    color = QColor(_KINDS.get(ext, "#4f5b69"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawRect(QRectF(0.5, 8, 15, 6))
    font = QFont()
    font.setPixelSize(5)
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#ffffff"))
    p.drawText(QRectF(0.5, 8, 15, 6), Qt.AlignmentFlag.AlignCenter, ext[:4].upper())
    p.end()
    return QIcon(pix)


_provider: list[QFileIconProvider] = []


def file_icon(name: str) -> QIcon:
    """The system's icon of the file's type; a drawn one where the system has none."""
    if not _provider:
        _provider.append(QFileIconProvider())
    icon = _provider[0].icon(QFileInfo(name))
    if not icon.isNull():
        return icon
    ext = Path(name).suffix.lstrip(".").casefold()
    if ext:
        return _drawn(ext)
    style = QApplication.style()
    return style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)


def local_paths(urls: Iterable[QUrl]) -> tuple[list[Path], list[Path]]:
    """Files among dropped URLs, and the folders (which are not attached)."""
    files: list[Path] = []
    folders: list[Path] = []
    for url in urls:
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if path.is_dir():
            folders.append(path)
        elif path.is_file():
            files.append(path)
    return files, folders


def has_local_files(mime: Any) -> bool:
    return mime is not None and mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())


def opening_allowed() -> bool:
    return os.environ.get(NO_OPEN_ENV, "") in ("", "0")


def _writable(func: Any, path: str, _exc: Any) -> None:
    os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
    func(path)


def clear_old_copies(root: Path = OPEN_ROOT, keep: float = KEEP_SECONDS) -> None:
    """Removes copies opened more than ``keep`` seconds ago (ones still open stay)."""
    if not root.is_dir():
        return
    limit = clock.wall_time() - keep
    for folder in root.iterdir():
        try:
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, onerror=_writable)
        except OSError:
            continue


def read_only_copy(store: Store, attachment_id: int, name: str, root: Path = OPEN_ROOT) -> Path:
    """Copies an attachment to a folder of its own and makes the copy read-only."""
    clear_old_copies(root)
    folder = root / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True, exist_ok=True)
    path = save_copy(store, attachment_id, folder / safe_name(name))
    os.chmod(path, stat.S_IREAD | stat.S_IRGRP | stat.S_IROTH)
    return path
