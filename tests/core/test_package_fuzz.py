"""The .cxplan package: mutated packages through the real import."""

from __future__ import annotations

import io
import json
import os
import random
import time
import zipfile
from pathlib import Path
from typing import Any

from cxdesk.io.package import write_package

from .package_samples import (
    sample_plan,
    store_files,
)

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
