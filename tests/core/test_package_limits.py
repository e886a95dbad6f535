"""The .cxplan package: zip bombs and size limits, and manifest fields of the wrong types."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from cxdesk.io import package_zip
from cxdesk.io.model import AttachmentInfo, PlanDoc, Row
from cxdesk.io.package import read_package, write_package

from .package_samples import (
    PDF,
    TEXT,
    build,
    good_members,
    manifest_dict,
    patch_header,
    refused,
    sha,
)

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
