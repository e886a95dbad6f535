"""Simple MAPI on Windows: ``MAPISendMailW`` opens the mail program's «new message» window.

Outlook, Thunderbird and most Windows mail programs register as the MAPI mail client. The call
returns only when the user closes that window, so it runs on its own thread; only its first
moments are awaited, to tell a window that opened from a call that failed at once. Elsewhere
(and where ``MAPI32.dll`` has no ``MAPISendMailW``) :func:`send_mapi` returns False and the caller
falls back to a draft file.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAPI_LOGON_UI = 0x1
MAPI_DIALOG = 0x8
MAPI_TO = 1
SUCCESS_SUCCESS = 0
MAPI_USER_ABORT = 1


class MapiRecipDescW(ctypes.Structure):
    """A recipient of a Simple MAPI message (``MapiRecipDescW``)."""

    _fields_ = [
        ("ulReserved", ctypes.c_ulong),
        ("ulRecipClass", ctypes.c_ulong),
        ("lpszName", ctypes.c_wchar_p),
        ("lpszAddress", ctypes.c_wchar_p),
        ("ulEIDSize", ctypes.c_ulong),
        ("lpEntryID", ctypes.c_void_p),
    ]


class MapiFileDescW(ctypes.Structure):
    """An attached file of a Simple MAPI message (``MapiFileDescW``)."""

    _fields_ = [
        ("ulReserved", ctypes.c_ulong),
        ("flFlags", ctypes.c_ulong),
        ("nPosition", ctypes.c_ulong),
        ("lpszPathName", ctypes.c_wchar_p),
        ("lpszFileName", ctypes.c_wchar_p),
        ("lpFileType", ctypes.c_void_p),
    ]


class MapiMessageW(ctypes.Structure):
    """A Simple MAPI message (``MapiMessageW``)."""

    _fields_ = [
        ("ulReserved", ctypes.c_ulong),
        ("lpszSubject", ctypes.c_wchar_p),
        ("lpszNoteText", ctypes.c_wchar_p),
        ("lpszMessageType", ctypes.c_wchar_p),
        ("lpszDateReceived", ctypes.c_wchar_p),
        ("lpszConversationID", ctypes.c_wchar_p),
        ("flFlags", ctypes.c_ulong),
        ("lpOriginator", ctypes.POINTER(MapiRecipDescW)),
        ("nRecipCount", ctypes.c_ulong),
        ("lpRecips", ctypes.POINTER(MapiRecipDescW)),
        ("nFileCount", ctypes.c_ulong),
        ("lpFiles", ctypes.POINTER(MapiFileDescW)),
    ]


def mapi_message(
    path: Path, recipients: list[str], subject: str, body: str
) -> tuple[MapiMessageW, list[Any]]:
    """The message structure, and the arrays it points to (keep them alive while it is used)."""
    recips = (MapiRecipDescW * max(len(recipients), 1))()
    for i, address in enumerate(recipients):
        recips[i] = MapiRecipDescW(0, MAPI_TO, address, f"SMTP:{address}", 0, None)
    files = (MapiFileDescW * 1)(MapiFileDescW(0, 0, 0xFFFFFFFF, str(path), path.name, None))
    message = MapiMessageW()
    message.lpszSubject = subject
    message.lpszNoteText = body.replace("\n", "\r\n")
    message.nRecipCount = len(recipients)
    if recipients:
        message.lpRecips = ctypes.cast(recips, ctypes.POINTER(MapiRecipDescW))
    message.nFileCount = 1
    message.lpFiles = ctypes.cast(files, ctypes.POINTER(MapiFileDescW))
    return message, [recips, files]


def load_mapi() -> Callable[..., int] | None:
    """``MAPISendMailW`` from MAPI32.dll, or None where there is none."""
    try:
        dll = getattr(ctypes, "WinDLL")("MAPI32.dll")  # noqa: B009 - Windows only
        func = dll.MAPISendMailW
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_size_t, ctypes.c_size_t, ctypes.POINTER(MapiMessageW)]
    func.argtypes += [ctypes.c_ulong, ctypes.c_ulong]
    func.restype = ctypes.c_ulong
    return func  # type: ignore[no-any-return]


def send_mapi(
    path: Path, recipients: list[str], subject: str, body: str, wait: float, keep: list[Any]
) -> bool:
    """Asks the MAPI mail program for its «new message» window; False when it cannot.

    Waits at most ``wait`` seconds; a call still running then (the window is open) is added to
    ``keep``.
    """
    func = load_mapi()
    if func is None:
        return False
    message, _arrays = mapi_message(path, recipients, subject, body)
    result: list[int] = []

    def call() -> None:
        try:
            result.append(int(func(0, 0, ctypes.byref(message), MAPI_LOGON_UI | MAPI_DIALOG, 0)))
        except OSError:
            result.append(-1)

    # The call returns only when the user closes the message window: run it on its own thread
    # (not a daemon, so a command-line run waits for the window before it exits).
    thread = threading.Thread(target=call, name="cxdesk-mapi")
    thread.start()
    thread.join(wait)
    if thread.is_alive():
        keep.append(thread)  # its call holds the message, which holds its arrays
        return True
    return bool(result) and result[0] in (SUCCESS_SUCCESS, MAPI_USER_ABORT)
