"""What the .cxplan package tests share: a sample plan with its files, and ways to build
broken or hostile packages."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import struct
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest

from cxdesk.errors import BadFile
from cxdesk.io.model import AttachmentInfo, Column, PlanDoc, Row
from cxdesk.io.package import read_package


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
