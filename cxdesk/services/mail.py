"""Sending a file by email: a new message in the user's mail program, the file already attached.

The way depends on the system:

- Windows: Simple MAPI (``MAPISendMailW`` from ``MAPI32.dll``), which Outlook, Thunderbird and
  most Windows mail programs answer with their own «new message» window;
- Linux and other Unix: ``thunderbird -compose …`` when Thunderbird is the default mail program
  (or the only one installed), otherwise ``xdg-email --attach …``;
- anywhere these fail, and whenever the caller asks for a file: an unsent draft ``.eml``
  (``X-Unsent: 1``, which Outlook opens as a new message) written next to the attachment and
  opened with the system's program for it.

Nothing here waits for the user: mail programs are started detached, and only their first
moments are watched to tell «started» from «failed at once». Setting the environment variable
``CXDESK_NO_OPEN=1`` keeps the draft from being opened (tests and scripted runs set it).
"""

from __future__ import annotations

import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.policy import EmailPolicy
from pathlib import Path
from typing import Any

from cxdesk.errors import EnvironmentProblem, NotFound, UserError
from cxdesk.fsutil import atomic_file
from cxdesk.services.mail_mapi import send_mapi

METHODS = ("mapi", "thunderbird", "xdg-email", "eml")
NO_OPEN_ENV = "CXDESK_NO_OPEN"
#: Seconds to watch a started program: one that exits with an error within them has failed.
START_WAIT = 2.0
#: Other mail programs: with one of them installed, Thunderbird is not assumed to be the default.
OTHER_MAIL_PROGRAMS: tuple[str, ...] = ("evolution", "kmail", "claws-mail", "geary", "sylpheed")
OTHER_MAIL_PROGRAMS += ("balsa", "mailspring", "betterbird", "seamonkey", "mutt", "neomutt")
MIME_TYPES = {
    ".cxplan": "application/zip",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".ics": "text/calendar",
    ".zip": "application/zip",
}
_ADDRESS_RE = re.compile(r"[^\s@<>,;\"']+@[^\s@<>,;\"']+")
_STARTED: list[Any] = []  # programs and MAPI calls still running, kept so they are not collected


@dataclass
class MailResult:
    """How the message was prepared.

    ``method`` is one of :data:`METHODS`; ``eml`` is the draft file for method ``eml``, and
    ``opened`` says whether a program was asked to open it.
    """

    method: str
    attachment: Path
    eml: Path | None = None
    opened: bool = False


def default_subject(attachment: Path) -> str:
    """The subject used when none is given."""
    return f"План мероприятий: {attachment.name}"


def default_body(attachment: Path) -> str:
    """The message text used when none is given."""
    how = ""
    if attachment.suffix.lower() == ".cxplan":
        how = "Файл .cxplan загружается в программу cxdesk вместе с вложенными документами.\n"
    return (
        "Здравствуйте!\n\n"
        f"Направляем план мероприятий («дорожную карту») во вложении: «{attachment.name}».\n"
        f"{how}\nС уважением\n"
    )


def split_addresses(to: str) -> list[str]:
    """The addresses in ``to`` (separated by commas or semicolons); refuses a malformed one."""
    out = []
    for part in re.split(r"[,;]", to):
        address = part.strip()
        if not address:
            continue
        if not _ADDRESS_RE.fullmatch(address):
            raise UserError(
                f"Адрес «{address}» указан неверно. Укажите адрес вида name@example.ru; "
                "несколько адресов разделяйте запятой."
            )
        out.append(address)
    return out


def send_by_mail(
    attachment: Path,
    to: str = "",
    subject: str = "",
    body: str = "",
    eml_out: Path | None = None,
    *,
    open_draft: bool = True,
) -> MailResult:
    """Opens a new message carrying ``attachment``; with ``eml_out``, writes a draft there instead.

    Returns how it was done. A draft (``eml_out`` given, or no mail program answered) is opened
    with the system's program unless ``open_draft`` is false or ``CXDESK_NO_OPEN`` is set.
    """
    path = Path(attachment)
    if not path.is_file():
        raise NotFound(f"Файл для отправки не найден: {path}. Проверьте путь и имя файла.")
    path = path.resolve()
    recipients = split_addresses(to)
    subject = " ".join((subject or default_subject(path)).split())
    body = body or default_body(path)
    _forget_finished()
    if eml_out is None:
        system = _platform()
        if system == "win32":
            if send_mapi(path, recipients, subject, body, START_WAIT, _STARTED):
                return MailResult("mapi", path)
        elif system != "darwin":
            method = _send_unix(path, recipients, subject, body)
            if method:
                return MailResult(method, path)
    target = Path(eml_out) if eml_out is not None else _draft_path(path)
    write_eml(target, path, recipients, subject, body)
    opened = open_draft and _open_file(target)
    return MailResult("eml", path, target, opened)


def _platform() -> str:
    return sys.platform


# --- starting programs --------------------------------------------------------------------------


def _forget_finished() -> None:
    _STARTED[:] = [p for p in _STARTED if _still_running(p)]


def _still_running(item: Any) -> bool:
    if isinstance(item, subprocess.Popen):
        return item.poll() is None
    return bool(getattr(item, "is_alive", lambda: False)())


def start_detached(argv: list[str]) -> bool:
    """Starts a program on its own, not waiting for it; False when it fails at once."""
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except (OSError, ValueError):
        return False
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None:
            return code == 0
        time.sleep(0.05)
    _STARTED.append(proc)
    return True


def _ask(argv: list[str]) -> str:
    """A short query's answer (lowercase), or "" when the program is missing or fails."""
    exe = shutil.which(argv[0])
    if not exe:
        return ""
    try:
        done = subprocess.run(
            [exe, *argv[1:]], stdin=subprocess.DEVNULL, capture_output=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    if done.returncode != 0:
        return ""
    return done.stdout.decode("utf-8", "replace").strip().lower()


def default_mail_program() -> str:
    """The desktop file of the default ``mailto:`` handler, lowercase, or "" when unknown."""
    return _ask(["xdg-settings", "get", "default-url-scheme-handler", "mailto"]) or _ask(
        ["xdg-mime", "query", "default", "x-scheme-handler/mailto"]
    )


def _no_quote(text: str) -> str:
    return text.replace("'", "’")  # Thunderbird's -compose values cannot hold a straight quote


def thunderbird_argv(
    exe: str, path: Path, recipients: list[str], subject: str, body: str
) -> list[str]:
    """The command that opens Thunderbird's «new message» window with the file attached."""
    parts = []
    if recipients:
        parts.append(f"to='{_no_quote(','.join(recipients))}'")
    parts.append(f"subject='{_no_quote(subject)}'")
    parts.append(f"body='{_no_quote(body)}'")
    parts.append(f"attachment='{path.as_uri()}'")
    return [exe, "-compose", ",".join(parts)]


def _send_unix(path: Path, recipients: list[str], subject: str, body: str) -> str | None:
    thunderbird = shutil.which("thunderbird")
    xdg_email = shutil.which("xdg-email")
    handler = default_mail_program()
    only_one = not handler and not any(shutil.which(p) for p in OTHER_MAIL_PROGRAMS)
    use_thunderbird = thunderbird and ("thunderbird" in handler or only_one)
    if use_thunderbird and start_detached(
        thunderbird_argv(str(thunderbird), path, recipients, subject, body)
    ):
        return "thunderbird"
    if xdg_email:
        argv = [xdg_email, "--utf8", "--attach", str(path), "--subject", subject, "--body", body]
        if start_detached([*argv, *recipients]):
            return "xdg-email"
    return None


def _open_file(path: Path) -> bool:
    """Opens a file with the system's program for it, unless CXDESK_NO_OPEN is set."""
    if os.environ.get(NO_OPEN_ENV, "") not in ("", "0"):
        return False
    system = _platform()
    if system == "win32":
        try:
            getattr(os, "startfile")(str(path))  # noqa: B009 - Windows only, absent elsewhere
        except (OSError, AttributeError):
            return False
        return True
    opener = "open" if system == "darwin" else "xdg-open"
    exe = shutil.which(opener)
    return bool(exe) and start_detached([str(exe), str(path)])


# --- the draft file -----------------------------------------------------------------------------


def _draft_path(attachment: Path) -> Path:
    folder = attachment.parent
    if not os.access(folder, os.W_OK):
        folder = Path(tempfile.gettempdir()) / "cxdesk-mail"
        folder.mkdir(exist_ok=True)
    return folder / f"{attachment.stem}.eml"


class _DraftPolicy(EmailPolicy):
    """The standard policy, except that Content-Type is folded only past 998 characters.

    Python 3.11 folds a MIME type longer than a 78-character line (the Office types are) into an
    RFC 2047 encoded word, which no mail program reads back as a type.
    """

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() == "content-type":
            return EmailPolicy.fold_binary(self.clone(max_line_length=998), name, value)
        return super().fold_binary(name, value)


DRAFT_POLICY = _DraftPolicy(linesep="\r\n")


def mime_type(path: Path) -> tuple[str, str]:
    """The attachment's MIME type as (maintype, subtype)."""
    known = MIME_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    maintype, _, subtype = (known or "application/octet-stream").partition("/")
    return maintype, subtype


def build_eml(attachment: Path, recipients: list[str], subject: str, body: str) -> EmailMessage:
    """The unsent message: headers, the text and the file (its name encoded as RFC 2231)."""
    msg = EmailMessage(policy=policy.default)
    if recipients:
        msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg["X-Unsent"] = "1"
    msg.set_content(body)
    maintype, subtype = mime_type(attachment)
    msg.add_attachment(
        attachment.read_bytes(),
        maintype=maintype,
        subtype=subtype,
        filename=attachment.name,
        params={"name": attachment.name},
    )
    return msg


def write_eml(
    target: Path, attachment: Path, recipients: list[str], subject: str, body: str
) -> Path:
    """Writes the draft atomically (temporary file, flush, rename)."""
    if not target.parent.is_dir():
        raise NotFound(f"Папки {target.parent} нет. Укажите существующую папку для письма.")
    try:
        data = build_eml(attachment, recipients, subject, body).as_bytes(policy=DRAFT_POLICY)
        with atomic_file(target) as f:
            f.write(data)
    except OSError as exc:
        raise EnvironmentProblem(
            f"Не удаётся записать письмо {target}: {exc.strerror or exc}. Проверьте права доступа "
            "и место на диске или выберите другую папку."
        ) from exc
    return target
