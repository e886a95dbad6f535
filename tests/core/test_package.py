"""The .cxplan package: a full round trip, and every kind of broken or hostile file refused."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import operator
import os
import random
import stat
import struct
import tempfile
import time
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxdesk.errors import BadFile, NotFound
from cxdesk.io import package_zip
from cxdesk.io.model import AttachmentInfo, Column, PlanDoc, Row
from cxdesk.io.package import read_package, write_package
from cxdesk.progress import Cancelled, Progress


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


PDF = b"%PDF-1.7\n" + "Акт выполнения".encode() * 500
TEXT = "Протокол заседания рабочей группы\n".encode() * 300
EMPTY = b""


def sample_plan() -> tuple[PlanDoc, dict[str, bytes]]:
    """A plan with Cyrillic, multi-line cells and attachments (one empty, one with «№»)."""
    payloads = {"Акт № 5 от 01.02.2026.pdf": PDF, "протокол.txt": TEXT, "пустой файл.txt": EMPTY}
    atts = [AttachmentInfo(n, len(b), sha(b), "2026-11-20T10:00:00") for n, b in payloads.items()]
    plan = PlanDoc(
        title="План мероприятий («дорожная карта»)\nпо внедрению Стандарта",
        org="Министерство труда и социальной защиты Тульской области",
        template_id="agency",
        template_version="2024-1",
        approver_position="Министр труда\nи социальной защиты",
        approver_name="И.И. Иванов",
        approval_date="«__» ________ 2026 г.",
        columns=[Column("number", "№ п/п"), Column("title", "Мероприятие")],
        uid="plan-1",
        answers={"has_subordinates": True, "region_unified_feedback": False},
        as_of="23.11.2026",
        rows=[
            Row("block", "1", "Организационные мероприятия", uid="r1", ref="agency:1"),
            Row(
                "item",
                "1.1",
                "Назначить ответственного",
                start="01.03.2026",
                deadline="до 31.03.2026",
                responsible="Отдел кадров\nПресс-служба",
                result="Приказ",
                document="приказ\nраспоряжение",
                note="=СУММ(A1:A3)",
                status="done",
                done_date="15.03.2026",
                ref="agency:1.1",
                uid="r2",
                attachments=atts[:2],
            ),
            Row(
                "item",
                "1.2",
                "Исключённый пункт",
                status="excluded",
                basis="письмо АЦ № 12",
                uid="r3",
                attachments=[atts[2], atts[0]],
            ),
        ],
    )
    return plan, payloads


HISTORY: list[dict[str, Any]] = [
    {
        "row_uid": "r2",
        "at": "2026-03-15T10:00:00",
        "user": "ivanov",
        "field": "status",
        "old": "not_started",
        "new": "done",
        "note": "по приказу № 7",
    },
    {
        "row_uid": None,
        "at": "2026-03-01T09:00:00",
        "user": "петров",
        "field": "created",
        "old": "",
        "new": "",
        "note": "план создан\nмастером",
    },
]


def store_files(folder: Path, payloads: dict[str, bytes]) -> dict[str, Path]:
    """Writes the payloads as a blob store would keep them: named by hash."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for data in payloads.values():
        p = folder / sha(data)
        p.write_bytes(data)
        files[sha(data)] = p
    return files


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``root`` with its content, to compare before and after."""
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def refused(pkg: Path, tmp_path: Path, *fragments: str) -> str:
    """Reads ``pkg``; asserts BadFile naming the package and ``fragments``, and no trace left."""
    extract = tmp_path / "work" / "extract"
    before = tree(tmp_path)
    with pytest.raises(BadFile) as info:
        read_package(pkg, extract)
    message = info.value.message
    assert pkg.name in message
    for fragment in fragments:
        assert fragment in message, message
    assert "\n" not in message
    assert tree(tmp_path) == before  # nothing outside extract_to, nothing left inside it
    return message


def manifest_dict(files: dict[str, bytes], plan: PlanDoc | None = None) -> dict[str, Any]:
    plan = plan or PlanDoc(title="План", rows=[Row("item", "1", "Пункт")])
    return {
        "format": "cxplan",
        "version": 1,
        "app": "cxdesk test",
        "created": "2026-11-23T12:00:00+03:00",
        "plan": dataclasses.asdict(plan),
        "history": [],
        "exchange": {},
        "files": [
            {"path": f"files/{sha(b)}", "sha256": sha(b), "size": len(b), "name": f"{i}.bin"}
            for i, b in enumerate(files.values())
        ],
    }


def patch_header(data: bytes, member: str, size: int | None = None, flags: int = 0) -> bytes:
    """Rewrites a member's uncompressed size or flags in its local and central headers."""
    buf = bytearray(data)
    name = member.encode()
    for signature, flags_at, size_at, name_at in (
        (b"PK\x03\x04", 6, 22, 30),
        (b"PK\x01\x02", 8, 24, 46),
    ):
        i = buf.find(signature)
        while i >= 0 and bytes(buf[i + name_at : i + name_at + len(name)]) != name:
            i = buf.find(signature, i + 1)
        assert i >= 0
        if size is not None:
            struct.pack_into("<I", buf, i + size_at, size)
        buf[i + flags_at] |= flags
    return bytes(buf)


def build(path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of one test
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return path


def good_members(manifest: dict[str, Any], files: dict[str, bytes]) -> list[Any]:
    members: list[Any] = [("manifest.json", json.dumps(manifest).encode())]
    members += [(f"files/{sha(b)}", b) for b in files.values()]
    return members


# --- round trip ---------------------------------------------------------------------------------


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    plan, payloads = sample_plan()
    files = store_files(tmp_path / "store", payloads)
    exchange = {"sender": "min-trud-71", "stamps": {"r2": {"status": "2026-03-15T10:00:00"}}}
    progress = Progress()
    out = write_package(plan, HISTORY, files, tmp_path / "План № 1.cxplan", exchange, progress)
    assert out == tmp_path / "План № 1.cxplan"
    assert progress.value == 1.0

    with zipfile.ZipFile(out) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "manifest.json"
        kinds = {i.filename: i.compress_type for i in infos}
        assert kinds[f"files/{sha(PDF)}"] == zipfile.ZIP_STORED
        assert kinds[f"files/{sha(TEXT)}"] == zipfile.ZIP_DEFLATED
        assert len(infos) == 1 + len(payloads)  # one member per distinct file
        raw = json.loads(zf.read("manifest.json"))
    assert raw["format"] == "cxplan" and raw["version"] == 1
    assert raw["app"].startswith("cxdesk ")

    got = read_package(out, tmp_path / "in")
    assert got.plan == plan
    assert got.history == HISTORY
    assert got.exchange == exchange
    assert got.manifest_version == 1
    assert set(got.files) == {sha(b) for b in payloads.values()}
    for data in payloads.values():
        extracted = got.files[sha(data)]
        assert extracted.parent == tmp_path / "in"
        assert extracted.read_bytes() == data
        assert sha(extracted.read_bytes()) == extracted.name
    assert isinstance(got.plan.rows[1].attachments[0], AttachmentInfo)
    assert got.names[sha(PDF)] == "Акт № 5 от 01.02.2026.pdf"
    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == sorted(got.files)


def test_write_replaces_atomically_and_leaves_no_temp_on_failure(tmp_path: Path) -> None:
    plan, payloads = sample_plan()
    files = store_files(tmp_path / "store", payloads)
    out = tmp_path / "out" / "plan.cxplan"
    out.parent.mkdir()
    out.write_bytes(b"old package")
    files[sha(PDF)].write_bytes(PDF[:-1] + b"!")  # the store's copy went bad
    with pytest.raises(BadFile, match="повреждён"):
        write_package(plan, HISTORY, files, out)
    assert out.read_bytes() == b"old package"
    assert [p.name for p in out.parent.iterdir()] == ["plan.cxplan"]


def test_write_cancelled_leaves_nothing(tmp_path: Path) -> None:
    plan, payloads = sample_plan()
    files = store_files(tmp_path / "store", payloads)
    progress = Progress()
    progress.request_cancel()
    with pytest.raises(Cancelled):
        write_package(plan, HISTORY, files, tmp_path / "p.cxplan", progress=progress)
    assert not list(tmp_path.glob("*cxplan*"))


def test_write_needs_every_attached_file_and_the_folder(tmp_path: Path) -> None:
    plan, payloads = sample_plan()
    files = store_files(tmp_path / "store", payloads)
    del files[sha(TEXT)]
    with pytest.raises(NotFound, match="протокол.txt"):
        write_package(plan, HISTORY, files, tmp_path / "p.cxplan")
    with pytest.raises(NotFound, match="Папки"):
        write_package(PlanDoc(title="x"), [], {}, tmp_path / "no" / "p.cxplan")


# --- not a package ------------------------------------------------------------------------------


def test_random_bytes(tmp_path: Path) -> None:
    pkg = tmp_path / "random.cxplan"
    pkg.write_bytes(random.Random(7).randbytes(5000))
    refused(pkg, tmp_path, "не пакет cxdesk")


def test_empty_file(tmp_path: Path) -> None:
    pkg = tmp_path / "empty.cxplan"
    pkg.write_bytes(b"")
    refused(pkg, tmp_path, "пуст")


def test_pdf_under_the_wrong_name(tmp_path: Path) -> None:
    pkg = tmp_path / "plan.cxplan"
    pkg.write_bytes(PDF)
    refused(pkg, tmp_path, "PDF")


def test_truncated_package(tmp_path: Path) -> None:
    plan, payloads = sample_plan()
    out = write_package(plan, HISTORY, store_files(tmp_path / "s", payloads), tmp_path / "a.cxplan")
    data = out.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    refused(out, tmp_path, "обрезан")


def test_corrupted_member_data(tmp_path: Path) -> None:
    plan, payloads = sample_plan()
    out = write_package(plan, HISTORY, store_files(tmp_path / "s", payloads), tmp_path / "a.cxplan")
    data = bytearray(out.read_bytes())
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo(f"files/{sha(PDF)}")  # stored: the bytes are in the file as they are
    start = info.header_offset + 30 + len(info.filename) + 100
    data[start : start + 4] = b"XXXX"
    out.write_bytes(bytes(data))
    refused(out, tmp_path, "повреждён")


def test_word_document_is_not_a_package(tmp_path: Path) -> None:
    pkg = build(tmp_path / "plan.cxplan", [("[Content_Types].xml", b"<x/>"), ("word/a.xml", b"")])
    refused(pkg, tmp_path, "manifest.json", "Word")


def test_manifest_missing(tmp_path: Path) -> None:
    pkg = build(tmp_path / "p.cxplan", [(f"files/{sha(TEXT)}", TEXT)])
    refused(pkg, tmp_path, "нет описания manifest.json")


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"{not json", "JSON"),
        (b"\xff\xfe{}", "UTF-8"),
        (b"[1, 2]", "список, а не объект"),
        (b'"cxplan"', "не объект"),
        (b'{"format": "cxplan", "format": "cxplan", "version": 1}', "повторяется"),
        (b'{"format": "cxplan", "version": NaN}', "NaN"),
        (b'{"format": "zip", "version": 1}', "не пакет cxdesk"),
        (b'{"version": 1}', "формат"),
        (b'{"format": "cxplan", "version": "1"}', "версия"),
        (b'{"format": "cxplan", "version": true}', "версия"),
        (b'{"format": "cxplan", "version": 2}', "обновите программу"),
        (b'{"format": "cxplan", "exchange": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "влож"),
    ],
)
def test_bad_manifest(tmp_path: Path, raw: bytes, fragment: str) -> None:
    pkg = build(tmp_path / "p.cxplan", [("manifest.json", raw)])
    refused(pkg, tmp_path, fragment)


def test_newer_version_says_to_update(tmp_path: Path) -> None:
    m = manifest_dict({})
    m["version"] = 7
    pkg = build(tmp_path / "p.cxplan", good_members(m, {}))
    message = refused(pkg, tmp_path, "пакет создан более новой версией cxdesk: обновите программу")
    assert "версия 7" in message


# --- hostile member names and types -------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "fragment"),
    [
        ("../evil.txt", "«..»"),
        ("files/../../evil.txt", "«..»"),
        ("/tmp/evil.txt", "абсолютный"),
        ("C:/Windows/evil.txt", "буквой диска"),
        ("C:evil.txt", "буквой диска"),
        ("..\\evil.txt", "обратную косую"),
        ("files\\" + sha(TEXT), "обратную косую"),
        ("files/./x", "пустая часть"),
        ("files//x", "пустая часть"),
        ("files/", "папка"),
        ("files/a\x01b", "управляющие"),
    ],
)
def test_member_names_that_escape(tmp_path: Path, member: str, fragment: str) -> None:
    m = manifest_dict({})
    pkg = build(tmp_path / "p.cxplan", [*good_members(m, {}), (member, TEXT)])
    refused(pkg, tmp_path, "недопустимым именем", fragment)


def test_symlink_member(tmp_path: Path) -> None:
    info = zipfile.ZipInfo(f"files/{sha(b'/etc/passwd')}")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    files = {"link": b"/etc/passwd"}
    pkg = build(
        tmp_path / "p.cxplan", [good_members(manifest_dict(files), {})[0], (info, b"/etc/passwd")]
    )
    refused(pkg, tmp_path, "символическая ссылка")


def test_duplicate_names(tmp_path: Path) -> None:
    files = {"a": TEXT}
    members = good_members(manifest_dict(files), files)
    pkg = build(tmp_path / "p.cxplan", [*members, (f"files/{sha(TEXT)}", b"other")])
    refused(pkg, tmp_path, "дважды")


def test_duplicate_manifest(tmp_path: Path) -> None:
    members = good_members(manifest_dict({}), {})
    pkg = build(tmp_path / "p.cxplan", [*members, ("manifest.json", b"{}")])
    refused(pkg, tmp_path, "manifest.json", "дважды")


@pytest.mark.parametrize("extra", ["readme.txt", f"files/{sha(b'extra')}"])
def test_undeclared_member_is_refused(tmp_path: Path, extra: str) -> None:
    files = {"a": TEXT}
    pkg = build(
        tmp_path / "p.cxplan", [*good_members(manifest_dict(files), files), (extra, b"extra")]
    )
    refused(pkg, tmp_path, "не описанный в manifest.json")


def test_encrypted_member(tmp_path: Path) -> None:
    files = {"a": TEXT}
    pkg = build(tmp_path / "p.cxplan", good_members(manifest_dict(files), files))
    pkg.write_bytes(patch_header(pkg.read_bytes(), f"files/{sha(TEXT)}", flags=0x1))
    refused(pkg, tmp_path, "зашифрован")


# --- declared files -----------------------------------------------------------------------------


def test_declared_file_missing(tmp_path: Path) -> None:
    files = {"a": TEXT, "b": PDF}
    members = good_members(manifest_dict(files), {"a": TEXT})
    refused(build(tmp_path / "p.cxplan", members), tmp_path, "нет файла вложения", "1.bin")


def test_hash_mismatch(tmp_path: Path) -> None:
    files = {"a": TEXT}
    m = manifest_dict(files)
    wrong = TEXT[:-1] + b"?"
    pkg = build(tmp_path / "p.cxplan", [good_members(m, {})[0], (f"files/{sha(TEXT)}", wrong)])
    refused(pkg, tmp_path, "повреждено", "контрольная сумма")


def test_size_mismatch(tmp_path: Path) -> None:
    files = {"a": TEXT}
    m = manifest_dict(files)
    m["files"][0]["size"] = len(TEXT) - 1
    refused(build(tmp_path / "p.cxplan", good_members(m, files)), tmp_path, "размер вложения")


def test_attachment_pointing_to_a_missing_file(tmp_path: Path) -> None:
    plan = PlanDoc(
        title="П",
        rows=[Row("item", "1", "x", attachments=[AttachmentInfo("акт.pdf", len(PDF), sha(PDF))])],
    )
    pkg = build(tmp_path / "p.cxplan", good_members(manifest_dict({}, plan), {}))
    refused(pkg, tmp_path, "акт.pdf", "нет в списке files")


def test_failure_keeps_what_was_in_the_folder_and_removes_its_own(tmp_path: Path) -> None:
    files = {"a": TEXT, "b": PDF}
    m = manifest_dict(files)
    members = good_members(m, {"a": TEXT}) + [(f"files/{sha(PDF)}", PDF[:-1] + b"!")]
    pkg = build(tmp_path / "p.cxplan", members)
    extract = tmp_path / "work" / "extract"
    extract.mkdir(parents=True)
    (extract / "mine.txt").write_text("чужой файл")
    refused(pkg, tmp_path, "повреждено")
    assert [p.name for p in extract.iterdir()] == ["mine.txt"]


def test_cancel_while_extracting_leaves_nothing(tmp_path: Path) -> None:
    plan, payloads = sample_plan()
    out = write_package(plan, HISTORY, store_files(tmp_path / "s", payloads), tmp_path / "a.cxplan")
    progress = Progress()
    progress.request_cancel()
    with pytest.raises(Cancelled):
        read_package(out, tmp_path / "x" / "y", progress)
    assert not (tmp_path / "x").exists()


# --- zip bombs ----------------------------------------------------------------------------------


def test_package_of_zeros_as_pack_writes_it_is_accepted(tmp_path: Path) -> None:
    """Zeros deflate about 1030 times: a real file, not a bomb (a 2 GB file of zeros took the
    same path; 40 MB keep the test quick, above the ratio floor of the old guard)."""
    zeros = tmp_path / "нули.bin"
    with zeros.open("wb") as f:
        for _ in range(40):
            f.write(bytes(1024 * 1024))
    digest = sha(zeros.read_bytes())
    plan = PlanDoc(
        title="План",
        rows=[
            Row("item", "1", "Пункт", attachments=[AttachmentInfo("нули.bin", 40 * 2**20, digest)])
        ],
    )
    pkg = write_package(plan, [], {digest: zeros}, tmp_path / "нули.cxplan")
    with zipfile.ZipFile(pkg) as zf:
        info = zf.getinfo(f"files/{digest}")
    assert info.file_size > 1000 * info.compress_size  # what the old guard refused
    got = read_package(pkg, tmp_path / "out")
    assert got.files[digest].stat().st_size == 40 * 2**20


def test_ratio_no_data_reaches_is_a_bomb(tmp_path: Path) -> None:
    """A header that claims more than deflate can do is refused before anything is inflated,
    even when the manifest repeats the lie."""
    data = bytes(2 * 1024 * 1024)
    files = {"zeros.bin": data}
    m = manifest_dict(files)
    huge = 2**31
    m["files"][0]["size"] = huge
    pkg = build(tmp_path / "bomb.cxplan", good_members(m, files))
    pkg.write_bytes(patch_header(pkg.read_bytes(), f"files/{sha(data)}", huge))
    refused(pkg, tmp_path, "zip-бомбы", "2048 МБ")


def test_stored_member_larger_than_its_bytes_is_refused(tmp_path: Path) -> None:
    data = b"x" * 1000
    files = {"x.bin": data}
    m = manifest_dict(files)
    m["files"][0]["size"] = 5000
    pkg = tmp_path / "stored.cxplan"
    with zipfile.ZipFile(pkg, "w", zipfile.ZIP_STORED) as zf:
        for name, payload in good_members(m, files):
            zf.writestr(name, payload)
    pkg.write_bytes(patch_header(pkg.read_bytes(), f"files/{sha(data)}", 5000))
    refused(pkg, tmp_path, "zip-бомбы")


def test_total_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_zip.LIMITS, "total_bytes", 10_000)
    files = {"a": TEXT, "b": PDF}
    refused(
        build(tmp_path / "p.cxplan", good_members(manifest_dict(files), files)), tmp_path, "предел"
    )


def test_too_many_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_zip.LIMITS, "members", 10)
    files = {str(i): str(i).encode() for i in range(12)}
    pkg = build(tmp_path / "p.cxplan", good_members(manifest_dict(files), files))
    refused(pkg, tmp_path, "13 файлов", "предел 10")


def test_manifest_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_zip.LIMITS, "manifest_bytes", 500)
    refused(
        build(tmp_path / "p.cxplan", good_members(manifest_dict({}), {})),
        tmp_path,
        "manifest.json",
        "слишком велико",
    )


def test_member_inflating_past_its_declared_size(tmp_path: Path) -> None:
    big = b"abc" * 200_000
    small = big[:1000]
    files = {"a": small}
    m = manifest_dict(files)
    pkg = build(tmp_path / "p.cxplan", [good_members(m, {})[0], (f"files/{sha(small)}", big)])
    pkg.write_bytes(patch_header(pkg.read_bytes(), f"files/{sha(small)}", 1000))
    refused(pkg, tmp_path, "p.cxplan")


def test_manifest_lying_about_its_size(tmp_path: Path) -> None:
    pkg = build(tmp_path / "p.cxplan", good_members(manifest_dict({}), {}))
    pkg.write_bytes(patch_header(pkg.read_bytes(), "manifest.json", 60 * 1024 * 1024))
    refused(pkg, tmp_path, "manifest.json", "60 МБ")


# --- manifest field types -----------------------------------------------------------------------


def _set(path: str, value: Any) -> Any:
    def change(m: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = m
        for p in parents:
            target = target[int(p)] if p.isdigit() else target[p]
        target[int(last) if last.isdigit() else last] = value

    return change


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (_set("plan", []), "«plan»"),
        (_set("plan.rows", {"a": 1}), "plan.rows"),
        (_set("plan.rows.0", "строка"), "plan.rows[0]"),
        (_set("plan.rows.0.title", ["список"]), "plan.rows[0].title"),
        (_set("plan.rows.0.kind", "chapter"), "неизвестный вид строки"),
        (_set("plan.rows.0.status", "lost"), "неизвестный статус"),
        (_set("plan.rows.0.attachments", [{"name": "a", "size": -1}]), "size"),
        (_set("plan.rows.0.attachments", [{"name": "a", "sha256": "../x"}]), "SHA-256"),
        (_set("plan.answers", {"q": "yes"}), "true или false"),
        (_set("plan.columns", [{"key": "evil", "heading": "x"}]), "неизвестный столбец"),
        (_set("plan.org", {"nested": True}), "plan.org"),
        (_set("history", "всё"), "history"),
        (_set("history", [[1, 2]]), "history[0]"),
        (_set("history", [{"field": {"x": 1}}]), "history[0].field"),
        (_set("exchange", [1]), "exchange"),
        (_set("files", {}), "files"),
        (_set("files.0.path", "files/../x"), "files[0].path"),
        (_set("files.0.sha256", "ABC"), "SHA-256"),
        (_set("files.0.size", "10"), "files[0].size"),
        (_set("files.0.size", True), "files[0].size"),
    ],
)
def test_manifest_field_types(tmp_path: Path, change: Any, fragment: str) -> None:
    files = {"a": TEXT}
    m = manifest_dict(files)
    change(m)
    refused(build(tmp_path / "p.cxplan", good_members(m, files)), tmp_path, fragment)


def test_duplicate_row_uids(tmp_path: Path) -> None:
    plan = PlanDoc(title="П", rows=[Row("item", "1", "a", uid="u"), Row("item", "2", "b", uid="u")])
    refused(
        build(tmp_path / "p.cxplan", good_members(manifest_dict({}, plan), {})), tmp_path, "uid"
    )


def test_numbers_and_nulls_are_read_as_text(tmp_path: Path) -> None:
    m = manifest_dict({})
    m["plan"]["rows"][0].update({"number": 1, "title": None, "deadline": 2026.5, "future": [1]})
    m["plan"]["title"] = 5
    m["history"] = [{"row_uid": 7, "at": "x", "old": None}]
    m["unknown_key"] = {"ignored": True}
    got = read_package(build(tmp_path / "p.cxplan", good_members(m, {})), tmp_path / "x")
    row = got.plan.rows[0]
    assert (row.number, row.title, row.deadline, got.plan.title) == ("1", "", "2026.5", "5")
    assert got.history == [
        {"row_uid": "7", "at": "x", "user": "", "field": "", "old": "", "new": "", "note": ""}
    ]


# --- property: any text survives ----------------------------------------------------------------

ANY_CHAR = st.characters(exclude_categories=())  # every code point, lone surrogates included
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.sampled_from(
        [
            "",
            "=1+1",
            "+7 (4872) 00-00-00",
            "-",
            "@SUM(A1)",
            '=HYPERLINK("x")',
            "\t=cmd|' /C calc'!A0",
            "null",
            "\x00",
            "\ud800",
            "«№ 5»\r\nстрока",
        ]
    ),
    st.builds(operator.mul, st.text(ANY_CHAR, min_size=1, max_size=5), st.integers(1, 20_000)),
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | TEXTS
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
    max_leaves=10,
)
ROWS = st.builds(
    Row,
    kind=st.sampled_from(["block", "section", "item"]),
    number=TEXTS,
    title=TEXTS,
    start=TEXTS,
    deadline=TEXTS,
    responsible=TEXTS,
    result=TEXTS,
    document=TEXTS,
    materials=TEXTS,
    note=TEXTS,
    basis=TEXTS,
    done_date=TEXTS,
    ref=TEXTS,
    status=st.sampled_from(["", "not_started", "in_progress", "done", "excluded"]),
    attachments=st.lists(
        st.builds(AttachmentInfo, name=TEXTS, size=st.integers(0, 10**12), added=TEXTS), max_size=2
    ),
)
PLANS = st.builds(
    PlanDoc,
    title=TEXTS,
    org=TEXTS,
    template_id=TEXTS,
    template_version=TEXTS,
    approver_position=TEXTS,
    approver_name=TEXTS,
    approval_date=TEXTS,
    as_of=TEXTS,
    uid=TEXTS,
    answers=st.dictionaries(TEXTS, st.booleans(), max_size=3),
    columns=st.lists(
        st.builds(Column, key=st.sampled_from(["number", "title", "note"]), heading=TEXTS),
        max_size=3,
    ),
    rows=st.lists(ROWS, max_size=4),
)
HISTORIES = st.lists(
    st.fixed_dictionaries(
        {
            "row_uid": st.none() | TEXTS,
            "at": TEXTS,
            "user": TEXTS,
            "field": TEXTS,
            "old": TEXTS,
            "new": TEXTS,
            "note": TEXTS,
        }
    ),
    max_size=3,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=PLANS, history=HISTORIES, exchange=st.dictionaries(TEXTS, JSON_VALUES, max_size=3))
def test_any_text_survives_the_round_trip(
    plan: PlanDoc, history: list[dict[str, Any]], exchange: dict[str, Any]
) -> None:
    for i, row in enumerate(plan.rows):
        row.uid = f"u{i}" if i % 2 else ""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = write_package(plan, history, {}, folder / "p.cxplan", exchange)
        got = read_package(out, folder / "x")
    assert got.plan == plan
    assert got.history == history
    assert got.exchange == exchange


# --- fuzz: mutated packages through the real import ---------------------------------------------


def _mutations(good: bytes, rng: random.Random, count: int) -> list[bytes]:
    """Byte flips, cuts, inserted bytes, patched zip header fields, rewritten manifest values."""
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(good)).read("manifest.json"))
    hostile_values: list[Any] = [
        None, 0, -1, 2**63, 1e308, True, "", "\ud800", "\x00\x1b\x7f\u202e", "=HYPERLINK(1)",
        "я" * 5000, [], {}, [None], {"a": {"b": []}},
    ]  # fmt: skip

    def walk(node: Any) -> list[tuple[Any, Any]]:
        spots: list[tuple[Any, Any]] = []
        if isinstance(node, dict):
            for k, v in node.items():
                spots.append((node, k))
                spots += walk(v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                spots.append((node, i))
                spots += walk(v)
        return spots

    def rezip(text: bytes) -> bytes:
        src = zipfile.ZipFile(io.BytesIO(good))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                z.writestr(info, text if info.filename == "manifest.json" else src.read(info))
        return buf.getvalue()

    out: list[bytes] = []
    for i in range(count):
        data = bytearray(good)
        kind = i % 5
        if kind == 0:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:  # cut or insert
            at = rng.randrange(len(data))
            data = (
                data[:at]
                if rng.random() < 0.5
                else data[:at] + os.urandom(rng.randint(1, 64)) + data[at:]
            )
        elif kind == 2:  # zip header fields: sizes, method, flags, name length
            sig = rng.choice([b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"])
            spots = [j for j in range(len(data)) if data.startswith(sig, j)]
            if spots:
                j = rng.choice(spots) + rng.randrange(4, 30)
                width = rng.choice([1, 2, 4])
                value = rng.choice([0, 1, 0xFF, 0xFFFF, 0xFFFFFFFF, rng.randrange(2**16)])
                data[j : j + width] = (value % (256**width)).to_bytes(width, "little")
        else:  # the manifest's values
            m = json.loads(json.dumps(manifest))
            for _ in range(rng.randint(1, 3)):
                parent, key = rng.choice(walk(m))
                parent[key] = rng.choice(hostile_values)
            text = json.dumps(m, ensure_ascii=kind == 3).encode("utf-8", "surrogatepass")
            data = bytearray(rezip(text))
        out.append(bytes(data))
    return out


def test_fuzzed_packages_through_the_real_import(data_dir: Path, tmp_path: Path) -> None:
    """A few hundred mutations of a real package (fixed seed): each is imported or refused
    with a message; no other error, nothing left in the store's temporary folder."""
    from cxdesk.errors import UserError
    from cxdesk.services.importing import import_file
    from cxdesk.storage.db import Store

    plan, payloads = sample_plan()
    stored = store_files(tmp_path / "src", payloads)
    pkg = write_package(plan, [{"row_uid": None, "at": "2026-11-23T10:00:00", "user": "u",
                                "field": "status", "old": "", "new": "done", "note": "x"}],
                        stored, tmp_path / "good.cxplan")  # fmt: skip
    rng = random.Random(18)
    store = Store(data_dir)
    started = time.perf_counter()
    outcomes = {"imported": 0, "refused": 0}
    try:
        for n, blob in enumerate(_mutations(pkg.read_bytes(), rng, 300)):
            path = tmp_path / f"m{n}.cxplan"
            path.write_bytes(blob)
            try:
                import_file(store, path)
                outcomes["imported"] += 1
            except UserError as exc:
                assert exc.message and "\n" not in exc.message.strip(), exc.message
                outcomes["refused"] += 1
            path.unlink()
    finally:
        store.close()
    assert time.perf_counter() - started < 60
    assert outcomes["refused"] > 50 and outcomes["imported"] > 10, outcomes
    tmp = data_dir / "store" / "tmp"
    assert not tmp.exists() or not [p for p in tmp.iterdir() if p.name != "journal"]
