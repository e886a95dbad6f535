"""The .cxplan package: a full round trip, writing it safely, and any text surviving it."""

from __future__ import annotations

import json
import operator
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxdesk.errors import BadFile, NotFound
from cxdesk.io.model import AttachmentInfo, Column, PlanDoc, Row
from cxdesk.io.package import read_package, write_package
from cxdesk.progress import Cancelled, Progress

from .package_samples import (
    HISTORY,
    PDF,
    TEXT,
    sample_plan,
    sha,
    store_files,
)

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
