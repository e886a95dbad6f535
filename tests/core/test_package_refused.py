"""The .cxplan package: files that are not packages, hostile member names and types, and
declared files that are missing or changed, all refused."""

from __future__ import annotations

import random
import stat
import zipfile
from pathlib import Path

import pytest

from cxdesk.io.model import AttachmentInfo, PlanDoc, Row
from cxdesk.io.package import read_package, write_package
from cxdesk.progress import Cancelled, Progress

from .package_samples import (
    HISTORY,
    PDF,
    TEXT,
    build,
    good_members,
    manifest_dict,
    patch_header,
    refused,
    sample_plan,
    sha,
    store_files,
)

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
