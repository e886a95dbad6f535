"""The kinds of failure cxdesk knows, and the one mapping of environment faults to messages.

:class:`UserError` is bad input (an unknown plan, a wrong date, a broken file given by the user):
it carries a message in Russian that says what is wrong and what to do, and the command line
exits with 2. :class:`EnvironmentProblem` is the machine's fault (the data folder read-only, a
full disk, a damaged database, a disk error): exit 1, wherever it arises. Anything else is a bug:
it goes to the log file and the user is told where the log is.

Each environment fault has its own message and advice, made here and nowhere else:
:func:`os_fault` for an :class:`OSError` while writing or reading the data folder or an output
file, :func:`folder_fault` for a data folder that cannot be written, :func:`input_fault` for a
file given to read that is missing, a folder, a pipe or a device. The database's own faults are
explained by :func:`cxdesk.storage.db.explain_database_error`, which uses these.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


class UserError(Exception):
    """Bad input: the message says what is wrong and what to do. Nothing was changed."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(UserError):
    """An unknown plan, item, template or file."""


class BadFile(UserError):
    """A file that cannot be read as what it claims to be (broken, hostile, wrong format)."""


class EnvironmentProblem(UserError):
    """The machine's fault, not the input's: disk full, folder read-only, database damaged or
    locked, a disk error. Always exit status 1."""

    exit_code = 1


class DamagedData(EnvironmentProblem):
    """The database is damaged, or lost (empty or missing beside attachments and backups):
    the one fault whose advice is to restore from a backup."""


#: errno values that mean «no right to write here».
READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
#: errno values that mean «the disk (or the user's quota) is full».
FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG})


def read_only_folder(folder: Path) -> EnvironmentProblem:
    """A data folder (or output folder) that can be read but not written."""
    return EnvironmentProblem(
        f"Папка {folder} доступна только для чтения: cxdesk не может записывать в неё. Данные "
        "целы, восстанавливать ничего не нужно. Верните право записи (Свойства папки "
        "или администратор) или укажите другую папку (--data-dir ПАПКА); резервную копию в "
        "другую папку можно сделать и сейчас: cxdesk backup -o ФАЙЛ."
    )


def disk_full(folder: Path) -> EnvironmentProblem:
    """No room left on the disk of ``folder``."""
    return EnvironmentProblem(
        f"На диске с папкой {folder} не осталось места. Освободите место (удалите ненужные "
        "файлы, очистите корзину) и повторите; прежние данные не изменены."
    )


def os_fault(exc: OSError, path: Path, doing: str = "записать") -> EnvironmentProblem:
    """The message for an OS error while working with ``path`` (a file or a folder)."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    code = exc.errno
    if code in FULL_ERRNOS:
        return disk_full(folder)
    if code == errno.EROFS or (code in READ_ONLY_ERRNOS and not _writable(folder)):
        return read_only_folder(folder)
    if code in READ_ONLY_ERRNOS:
        return EnvironmentProblem(
            f"Файл {path} недоступен (нет прав или он открыт в другой программе). Закройте его в "
            "других программах, проверьте права и повторите."
        )
    if code == errno.EIO:
        return EnvironmentProblem(
            f"Ошибка диска при работе с {path}: диск отключён или неисправен. Проверьте "
            "подключение диска и повторите; затем запустите проверку: cxdesk check."
        )
    if code == errno.ENAMETOOLONG:
        return EnvironmentProblem(
            f"Слишком длинное имя или путь: {path}. Выберите папку ближе к корню диска или "
            "более короткое имя файла."
        )
    return EnvironmentProblem(
        f"Не удалось {doing} {path}: {exc.strerror or exc}. Проверьте, что диск подключён, "
        "и права доступа к папке."
    )


def _writable(folder: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".cxdesk-probe-") as probe:
            probe.write(b"cxdesk")
            probe.flush()
    except OSError:
        return False
    return True


def folder_fault(folder: Path) -> EnvironmentProblem | None:
    """Why cxdesk cannot write in ``folder`` (made if missing), or None when it can."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".cxdesk-probe-") as probe:
            probe.write(b"cxdesk")  # no fsync: an old disk would make every start wait for it
            probe.flush()
    except OSError as exc:
        if exc.errno in READ_ONLY_ERRNOS:
            return read_only_folder(folder)
        if exc.errno in (errno.ENOTDIR, errno.EEXIST):
            return EnvironmentProblem(
                f"{folder} — это файл, а не папка данных. Укажите папку: cxdesk --data-dir ПАПКА."
            )
        return os_fault(exc, folder, "создать папку")
    return None


def input_fault(path: Path, wanted: str = "файл") -> UserError | None:
    """Why a file given to read cannot be read as a file, or None when it can.

    Missing → :class:`NotFound`; a folder, a pipe (FIFO), a device or a socket → :class:`BadFile`
    (a pipe is never opened: reading it would wait forever); no right to read → exit 1.
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return NotFound(f"Файл не найден: {path}. Проверьте путь и имя файла.")
    except NotADirectoryError:
        return NotFound(f"Файл не найден: {path} (часть пути — не папка). Проверьте путь.")
    except OSError as exc:
        return os_fault(exc, path, "прочитать")
    if stat.S_ISDIR(mode):
        return BadFile(f"«{path}» — это папка, а не файл. Укажите сам {wanted}.")
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return BadFile(
            f"«{path}» — это канал (FIFO) или сокет, а не файл. Укажите сам {wanted}, "
            "сохранённый на диске."
        )
    if not stat.S_ISREG(mode):
        return BadFile(f"«{path}» — это устройство, а не файл. Укажите сам {wanted}.")
    if not os.access(path, os.R_OK):
        return EnvironmentProblem(
            f"Нет права читать файл {path}. Проверьте права доступа или скопируйте файл в свою "
            "папку."
        )
    return None


def check_input(path: Path, wanted: str = "файл") -> Path:
    """Raises :func:`input_fault`'s error, if any; returns ``path``."""
    problem = input_fault(path, wanted)
    if problem is not None:
        raise problem
    return Path(path)
