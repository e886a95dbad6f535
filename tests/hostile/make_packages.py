"""Hostile and broken packages (.cxplan) that cxdesk must import safely, or refuse.

Each case is a file name, what cxdesk must do with it (:data:`ACCEPT`: imported with exit 0 and
then exported to every format; :data:`REFUSE`: exit 2, nothing changed) and how to make the
bytes. Generated, never committed as binaries. Run: ``python -m tests.hostile.make_packages OUT``.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.hostile.make_corpus import REFUSE

#: Must be imported (exit 0), and the plan then exported to every format.
ACCEPT = "accept"


# --- packages (.cxplan) ---------------------------------------------------------------------

LONG_NAME = "Протокол заседания рабочей группы по внедрению стандартов " * 4 + ".pdf"
BIDI_NAME = "invoice\u202efdp.exe"


def package(
    texts: dict[str, str] | None = None,
    files: dict[str, bytes] | None = None,
    raw_manifest: Callable[[str], str] | None = None,
) -> bytes:
    """A package as cxdesk's ``pack`` writes it, with row texts and attachments of the caller's
    choice; ``raw_manifest`` may then rewrite the manifest's JSON text."""
    import hashlib
    import json
    import tempfile

    from cxdesk.io.model import AttachmentInfo, PlanDoc, Row
    from cxdesk.io.package import write_package

    files = files or {}
    with tempfile.TemporaryDirectory() as tmp:
        stored = {}
        atts = []
        for name, data in files.items():
            sha = hashlib.sha256(data).hexdigest()
            (Path(tmp) / sha).write_bytes(data)
            stored[sha] = Path(tmp) / sha
            atts.append(AttachmentInfo(name, len(data), sha))
        row = Row("item", "1.", "Мероприятие", attachments=atts, **(texts or {}))
        plan = PlanDoc(
            title="План мероприятий", org="Орган", rows=[Row("block", "1.", "Блок"), row]
        )
        out = write_package(plan, [], stored, Path(tmp) / "p.cxplan")
        data = out.read_bytes()
    if raw_manifest is None:
        return data
    src = zipfile.ZipFile(io.BytesIO(data))
    text = src.read("manifest.json").decode("utf-8")
    json.loads(raw_manifest(text))  # still JSON
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "manifest.json":
                body = raw_manifest(text).encode("utf-8")
            z.writestr(info, body)
    return buf.getvalue()


def lone_surrogate_package() -> bytes:
    """docs/package-format.md: readers accept lone surrogates written as \\u escapes."""
    return package(
        {"responsible": "Отдел SURR"},
        {"акт SURR.pdf": b"%PDF-1.4 proof"},
        lambda text: text.replace("SURR", "\\ud800"),
    )


def control_chars_package() -> bytes:
    noise = "\x01\x07\x1b\x7f\x85\u202e\ufffe"
    return package(
        {"responsible": f"Отдел{noise} кадров", "result": f"Приказ{noise}\r\n№ 5\tот 01.02.2026",
         "deadline": f"31.12.2026{noise}", "note": noise},
        {f"скан{noise}.pdf": b"%PDF-1.4 scan"},
    )  # fmt: skip


def zeros_package(mb: int = 20) -> bytes:
    """A real file of zeros deflates about 1030 times: what pack writes, import accepts."""
    return package(files={"нули.bin": bytes(mb * 1024 * 1024)})


def lying_bomb_package() -> bytes:
    """A header (and manifest) that claim 4 GB from a few KB: more than deflate can do."""
    import json
    import struct

    data = package(files={"x.bin": bytes(4 * 1024 * 1024)})
    src = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(src.read("manifest.json"))
    member = manifest["files"][0]["path"]
    manifest["files"][0]["size"] = 2**32 - 1
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr(member, src.read(member))
    out = bytearray(buf.getvalue())
    name = member.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        i = out.find(signature)
        while bytes(out[i + name_at : i + name_at + len(name)]) != name:
            i = out.find(signature, i + 1)
        struct.pack_into("<I", out, i + size_at, 2**32 - 1)
    return bytes(out)


def package_corpus() -> dict[str, tuple[str, Callable[[], bytes]]]:
    """name → (what cxdesk must do, how to make the bytes)."""
    return {
        "lone_surrogate.cxplan": (ACCEPT, lone_surrogate_package),
        "control_chars.cxplan": (ACCEPT, control_chars_package),
        "bidi_name.cxplan": (ACCEPT, lambda: package(files={BIDI_NAME: b"MZ not really"})),
        "long_name.cxplan": (ACCEPT, lambda: package(files={LONG_NAME: b"%PDF-1.4 long"})),
        "zeros.cxplan": (ACCEPT, zeros_package),
        "lying_bomb.cxplan": (REFUSE, lying_bomb_package),
    }


def build_packages(out_dir: Path) -> dict[str, str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    expect = {}
    for name, (what, make) in package_corpus().items():
        (out_dir / name).write_bytes(make())
        expect[name] = what
    return expect


if __name__ == "__main__":
    for n, w in build_packages(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")).items():
        print(f"{w:8} {n}")
