"""Sending by email: which mail program is asked, with what arguments, and the .eml draft.

Stand-in programs (``thunderbird``, ``xdg-email``, ``xdg-settings``, ``xdg-mime``, ``xdg-open``)
are written into a folder that becomes the whole PATH, so no real mail program of the machine can
answer; each records its arguments. CXDESK_NO_OPEN is set for every test.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
from collections.abc import Callable
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from cxdesk.errors import NotFound, UserError
from cxdesk.services import mail, mail_mapi
from cxdesk.services.mail import send_by_mail

unix_only = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="the Linux way: stand-in programs are scripts"
)
NAME = "План № 1 министерства.cxplan"
CONTENT = b"PK\x03\x04 package bytes \x00\xff"

Fake = Callable[..., None]


@pytest.fixture(autouse=True)
def _no_open(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXDESK_NO_OPEN", "1")


@pytest.fixture
def attachment(tmp_path: Path) -> Path:
    folder = tmp_path / "outbox"
    folder.mkdir()
    path = folder / NAME
    path.write_bytes(CONTENT)
    return path


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "calls.jsonl"


@pytest.fixture
def fake(tmp_path: Path, log: Path, monkeypatch: pytest.MonkeyPatch) -> Fake:
    """Adds a stand-in program: it records its argv, prints ``answer`` and exits with ``code``."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))

    def add(name: str, answer: str = "", code: int = 0, sleep: float = 0) -> None:
        script = folder / name
        script.write_text(
            f"#!{sys.executable}\n"
            "import json, sys, time\n"
            f"with open({str(log)!r}, 'a', encoding='utf-8') as f:\n"
            f"    f.write(json.dumps([{name!r}, sys.argv[1:]]) + '\\n')\n"
            f"print({answer!r})\n"
            f"time.sleep({sleep})\n"
            f"sys.exit({code})\n",
            encoding="utf-8",
        )
        script.chmod(0o755)

    return add


def calls(log: Path) -> list[tuple[str, list[str]]]:
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()
    return [(name, argv) for name, argv in map(json.loads, lines)]


def programs(log: Path) -> list[str]:
    return [name for name, _ in calls(log)]


def parse(path: Path | None) -> Any:
    assert path is not None
    with path.open("rb") as f:
        return BytesParser(policy=policy.default).parse(f)


# --- Linux: Thunderbird or xdg-email ------------------------------------------------------------


@unix_only
def test_thunderbird_when_it_is_the_default(fake: Fake, log: Path, attachment: Path) -> None:
    fake("xdg-settings", "thunderbird.desktop")
    fake("thunderbird")
    fake("xdg-email")
    result = send_by_mail(attachment, to="min@region.ru", body="Текст, с запятой")
    assert (result.method, result.attachment, result.eml) == ("thunderbird", attachment, None)
    (name, argv) = calls(log)[-1]
    assert name == "thunderbird"
    assert argv[0] == "-compose"
    assert argv[1] == (
        f"to='min@region.ru',subject='План мероприятий: {NAME}',body='Текст, с запятой',"
        f"attachment='{attachment.as_uri()}'"
    )
    assert "xdg-email" not in programs(log)


@unix_only
def test_thunderbird_named_by_xdg_mime(fake: Fake, log: Path, attachment: Path) -> None:
    fake("xdg-settings", code=1)
    fake("xdg-mime", "org.mozilla.Thunderbird.desktop")
    fake("thunderbird")
    fake("xdg-email")
    assert send_by_mail(attachment).method == "thunderbird"


@unix_only
def test_thunderbird_as_the_only_mail_program(fake: Fake, log: Path, attachment: Path) -> None:
    fake("thunderbird")
    fake("xdg-email")
    result = send_by_mail(attachment, subject="Отчёт за 'III' квартал")
    assert result.method == "thunderbird"
    argv = calls(log)[-1][1]
    assert "subject='Отчёт за ’III’ квартал'" in argv[1]  # a quote would end the value
    assert "body='Здравствуйте!" in argv[1]


@unix_only
def test_xdg_email_when_another_program_is_the_default(
    fake: Fake, log: Path, attachment: Path
) -> None:
    fake("xdg-settings", "org.gnome.Evolution.desktop")
    fake("thunderbird")
    fake("xdg-email")
    result = send_by_mail(attachment, to="a@b.ru; c@d.ru", subject="План")
    assert result.method == "xdg-email"
    (name, argv) = calls(log)[-1]
    assert name == "xdg-email"
    assert argv[argv.index("--attach") + 1] == str(attachment)
    assert argv[argv.index("--subject") + 1] == "План"
    assert "--body" in argv
    assert argv[-2:] == ["a@b.ru", "c@d.ru"]
    assert "thunderbird" not in programs(log)


@unix_only
def test_xdg_email_when_another_program_is_installed(
    fake: Fake, log: Path, attachment: Path
) -> None:
    fake("thunderbird")
    fake("evolution")
    fake("xdg-email")
    assert send_by_mail(attachment).method == "xdg-email"


@unix_only
def test_thunderbird_failing_falls_back_to_xdg_email(
    fake: Fake, log: Path, attachment: Path
) -> None:
    fake("xdg-settings", "thunderbird.desktop")
    fake("thunderbird", code=1)
    fake("xdg-email")
    assert send_by_mail(attachment).method == "xdg-email"
    assert programs(log)[-2:] == ["thunderbird", "xdg-email"]


@unix_only
def test_a_program_still_running_counts_as_started(
    fake: Fake, log: Path, attachment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mail, "START_WAIT", 0.3)
    fake("xdg-email", sleep=30)
    assert send_by_mail(attachment).method == "xdg-email"
    for proc in list(mail._STARTED):
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait()


@unix_only
def test_nothing_works_gives_a_draft_next_to_the_file(
    fake: Fake, log: Path, attachment: Path
) -> None:
    fake("xdg-email", code=3)  # «a required tool could not be found»
    result = send_by_mail(attachment, to="a@b.ru")
    assert result.method == "eml"
    assert result.eml == attachment.with_suffix(".eml")
    assert not result.opened
    msg = parse(result.eml)
    assert msg["X-Unsent"] == "1"
    assert msg["To"] == "a@b.ru"


@unix_only
def test_no_mail_program_at_all(fake: Fake, attachment: Path) -> None:
    result = send_by_mail(attachment)
    assert result.method == "eml" and result.eml is not None and result.eml.is_file()


# --- the draft ----------------------------------------------------------------------------------


@unix_only
def test_eml_out_writes_a_draft_and_asks_no_mail_program(
    fake: Fake, log: Path, attachment: Path, tmp_path: Path
) -> None:
    fake("thunderbird")
    fake("xdg-email")
    out = tmp_path / "письмо.eml"
    result = send_by_mail(attachment, to="min@region.ru", eml_out=out)
    assert (result.method, result.eml, result.opened) == ("eml", out, False)
    assert calls(log) == []
    msg = parse(out)
    assert msg["X-Unsent"] == "1"
    assert msg["To"] == "min@region.ru"
    assert msg["Subject"] == f"План мероприятий: {NAME}"
    assert "Здравствуйте" in msg.get_body(("plain",)).get_content()
    (part,) = list(msg.iter_attachments())
    assert part.get_filename() == NAME
    assert part.get_content_type() == "application/zip"
    assert part.get_content() == CONTENT
    raw = out.read_bytes()
    assert b"filename*0*=utf-8''%D0%9F" in raw  # RFC 2231, not a raw or mangled name
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_draft_types_and_a_docx(attachment: Path, tmp_path: Path) -> None:
    docx = tmp_path / "План.docx"
    docx.write_bytes(b"PK docx")
    msg = parse(send_by_mail(docx, eml_out=tmp_path / "a.eml").eml)
    (part,) = list(msg.iter_attachments())
    assert part.get_content_type() == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert part.get_filename() == "План.docx"
    assert "«План.docx»" in msg.get_body(("plain",)).get_content()
    assert ".cxplan" not in msg.get_body(("plain",)).get_content()


@unix_only
def test_the_draft_is_opened_unless_told_not_to(
    fake: Fake, log: Path, attachment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake("xdg-open")
    monkeypatch.delenv("CXDESK_NO_OPEN")
    result = send_by_mail(attachment, eml_out=tmp_path / "a.eml")
    assert result.opened
    assert calls(log) == [("xdg-open", [str(tmp_path / "a.eml")])]
    result = send_by_mail(attachment, eml_out=tmp_path / "b.eml", open_draft=False)
    assert not result.opened and len(calls(log)) == 1


def test_missing_attachment_and_bad_address(tmp_path: Path, attachment: Path) -> None:
    with pytest.raises(NotFound, match="не найден"):
        send_by_mail(tmp_path / "нет.cxplan")
    with pytest.raises(UserError, match="указан неверно"):
        send_by_mail(attachment, to="кому-то", eml_out=tmp_path / "a.eml")
    with pytest.raises(NotFound, match="Папки"):
        send_by_mail(attachment, eml_out=tmp_path / "нет" / "a.eml")


# --- Windows: Simple MAPI -----------------------------------------------------------------------


def test_mapi_message_structure(attachment: Path) -> None:
    message, _ = mail_mapi.mapi_message(
        attachment, ["a@b.ru", "c@d.ru"], "Тема", "строка 1\nстрока 2"
    )
    assert message.lpszSubject == "Тема"
    assert message.lpszNoteText == "строка 1\r\nстрока 2"
    assert message.nRecipCount == 2
    assert message.lpRecips[1].lpszAddress == "SMTP:c@d.ru"
    assert message.lpRecips[0].ulRecipClass == mail_mapi.MAPI_TO
    assert message.nFileCount == 1
    assert message.lpFiles[0].lpszPathName == str(attachment)
    assert message.lpFiles[0].lpszFileName == NAME
    assert message.lpFiles[0].nPosition == 0xFFFFFFFF


def test_windows_uses_mapi(attachment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []

    def fake_send(session: int, ui: int, message: Any, flags: int, reserved: int) -> int:
        msg = message._obj
        seen.append((msg.lpszSubject, msg.lpFiles[0].lpszPathName, flags))
        return mail_mapi.SUCCESS_SUCCESS

    monkeypatch.setattr(mail, "_platform", lambda: "win32")
    monkeypatch.setattr(mail_mapi, "load_mapi", lambda: fake_send)
    result = send_by_mail(attachment)
    assert result.method == "mapi"
    assert seen == [
        (
            f"План мероприятий: {NAME}",
            str(attachment),
            mail_mapi.MAPI_DIALOG | mail_mapi.MAPI_LOGON_UI,
        )
    ]


@pytest.mark.parametrize("loader", ["missing", "failing"])
def test_windows_without_mapi_writes_a_draft(
    attachment: Path, monkeypatch: pytest.MonkeyPatch, loader: str
) -> None:
    monkeypatch.setattr(mail, "_platform", lambda: "win32")
    if loader == "missing":
        monkeypatch.delattr(ctypes, "WinDLL", raising=False)  # as on any system but Windows
    else:
        monkeypatch.setattr(mail_mapi, "load_mapi", lambda: lambda *a: 2)  # MAPI_E_FAILURE
    result = send_by_mail(attachment)
    assert result.method == "eml"
    assert result.eml == attachment.with_suffix(".eml")
    assert parse(result.eml)["X-Unsent"] == "1"
