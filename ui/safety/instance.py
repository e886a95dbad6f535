"""One window per data folder: a second start hands its file to the first and brings it forward.

The first start takes a lock file in the data folder (QLockFile: a lock left by a crashed process
is recognised by its dead process id and taken over) and, once its window is shown, listens on a
local socket named after the folder (QLocalServer). A later start finds the lock taken, connects,
sends the file it was given (or nothing) and exits. QtNetwork is imported only when a socket is
needed, so the usual start does not wait for it before the first paint.

On a shared database the lock still guards the workstation's data folder (its log, settings,
backups and cache of opened files); windows on other workstations, or of other data folders, work
on the shared database at the same time, and the server keeps them apart (docs/shared-database.md).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QObject, Signal

#: How long a later start keeps trying to reach the first window (it may still be starting).
WAIT_MS = 3000
LOCK_NAME = "cxdesk.lock"


def server_name(data_dir: Path) -> str:
    """The local socket's name: the same for every path spelling of one folder."""
    digest = hashlib.sha1(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return f"cxdesk-{digest}"


class InstanceGuard(QObject):
    """Makes sure one window serves a data folder.

    Signals: message(str): a later start asked to be shown (the text is a file path or empty).
    """

    message = Signal(str)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.lock = QLockFile(str(Path(data_dir) / LOCK_NAME))
        self.lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self.server: Any = None

    def claim(self) -> bool:
        """Takes the folder; False when a live process (another window) holds it.

        A lock that cannot be written at all (a folder without write access) does not stop the
        start: the folder's own check says what is wrong.
        """
        if self.lock.tryLock(100):
            return True
        if self.lock.error() != QLockFile.LockError.LockFailedError:
            return True
        self.lock.removeStaleLockFile()
        return self.lock.tryLock(100) or self.lock.error() != QLockFile.LockError.LockFailedError

    def listen(self) -> bool:
        """Starts answering later starts (call once the window is shown)."""
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.name)  # a socket file left by a crash
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(self.name):
            return False
        self.server.newConnection.connect(self._on_connection)
        return True

    def send_to_running(self, text: str = "", wait_ms: int = WAIT_MS) -> bool:
        """True when the window of this folder got ``text``; tries for up to ``wait_ms``."""
        from PySide6.QtNetwork import QLocalSocket

        deadline = time.monotonic() + wait_ms / 1000
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(500):
                socket.write(text.encode("utf-8") + b"\n")
                socket.flush()
                sent = socket.waitForBytesWritten(1000)
                socket.disconnectFromServer()
                return sent or socket.bytesToWrite() == 0
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)

    def _on_connection(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()

            def read(socket: Any = socket) -> None:
                if not socket.canReadLine():
                    return
                text = bytes(socket.readLine().data()).decode("utf-8", "replace").strip()
                socket.disconnectFromServer()
                self.message.emit(text)

            socket.readyRead.connect(read)
            read()

    def release(self) -> None:
        """Stops answering and frees the folder (the window closes)."""
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()
