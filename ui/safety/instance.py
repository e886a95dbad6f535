"""One window per data folder: a second start hands its file to the first and brings it forward.

The first window listens on a local socket named after the data folder (QLocalServer) and holds
a lock file there (QLockFile, whose stale locks after a crash are taken over). A second start
connects, sends the file it was given (or nothing), and exits.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

WAIT_MS = 1500


def server_name(data_dir: Path) -> str:
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
        self.lock = QLockFile(str(Path(data_dir) / "cxdesk.lock"))
        self.lock.setStaleLockTime(0)
        self.server: QLocalServer | None = None

    def send_to_running(self, text: str = "") -> bool:
        """True when another window runs for this folder and got ``text``."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(WAIT_MS):
            return False
        socket.write(text.encode("utf-8") + b"\n")
        socket.flush()
        socket.waitForBytesWritten(WAIT_MS)
        socket.disconnectFromServer()
        return True

    def claim(self) -> bool:
        """Becomes the window of this folder; False when another live process holds it."""
        if not self.lock.tryLock(100):
            self.lock.removeStaleLockFile()
            if not self.lock.tryLock(100):
                return False
        QLocalServer.removeServer(self.name)  # a socket left by a crash
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(self.name):
            return True  # the lock is ours; without the socket a second start just shows a note
        self.server.newConnection.connect(self._on_connection)
        return True

    def _on_connection(self) -> None:
        assert self.server is not None
        socket = self.server.nextPendingConnection()
        if socket is None:
            return

        def read() -> None:
            if not socket.canReadLine():
                return
            text = bytes(socket.readLine().data()).decode("utf-8", "replace").strip()
            socket.disconnectFromServer()
            self.message.emit(text)

        socket.readyRead.connect(read)
        if socket.canReadLine():
            read()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
        self.lock.unlock()
