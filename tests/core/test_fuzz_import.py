"""Mutated Word and Excel plans through the real import: only the product's own refusals.

A few hundred mutations (fixed seed) of a small docx and xlsx: bytes of the XML parts flipped,
cut, repeated or replaced with markup fragments, parts dropped, the archive itself truncated or
damaged. Each goes through ``read_incoming`` (the service the window and the command line use);
it must either read a plan or raise :class:`~cxdesk.errors.UserError` (exit 2 on the command line),
never anything else.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from cxdesk.errors import UserError
from cxdesk.services.importing import read_incoming
from cxdesk.storage.db import Store
from tests.hostile.make_corpus import _plan_rows, _sheet, _valid_docx, _workbook

SEED = 20261202
ROUNDS = 300
FRAGMENTS = [
    b"<", b">", b"</w:t>", b"<w:tc>", b"<w:tr>", b'w:val="999999999"', b'w:val="-1"',
    b'<w:gridSpan w:val="40000"/>', b'<w:vMerge w:val="continue"/>', b'r="A0"', b'r="XFD1"',
    b't="s"', b"<v>99999</v>", b's="77"', b'ref="A1:XFD1048576"', b"&amp;", b"&#0;", b"\x00",
    b"\xff\xfe", b'<mergeCell ref="B2:B9"/>', b'hidden="1"', b"<c r=\"A1\"><v>1e999</v></c>",
]  # fmt: skip


def _mutate_bytes(data: bytes, rnd: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 6)):
        if not buf:
            break
        at = rnd.randrange(len(buf))
        choice = rnd.random()
        if choice < 0.3:
            buf[at] = rnd.randrange(256)
        elif choice < 0.5:
            del buf[at : at + rnd.randint(1, 200)]
        elif choice < 0.7:
            buf[at:at] = rnd.choice(FRAGMENTS)
        elif choice < 0.85:
            piece = bytes(buf[at : at + rnd.randint(1, 300)])
            buf[at:at] = piece * rnd.randint(1, 20)
        else:
            buf[at:] = buf[at : at + rnd.randint(0, 50)]
    return bytes(buf)


def _mutate(original: bytes, rnd: random.Random) -> bytes:
    """One mutation: mostly of a part's XML (rezipped), sometimes of the archive's bytes."""
    if rnd.random() < 0.2:
        return _mutate_bytes(original, rnd)
    src = zipfile.ZipFile(io.BytesIO(original))
    names = src.namelist()
    xml = [n for n in names if n.endswith(".xml") or n.endswith(".rels")]
    target = rnd.choice(xml)
    dropped = rnd.choice(names) if rnd.random() < 0.1 else None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            if name == dropped:
                continue
            data = src.read(name)
            if name == target:
                data = _mutate_bytes(data, rnd)
            z.writestr(name, data)
    return out.getvalue()


def _plan_xlsx() -> bytes:
    rows = _plan_rows(1, 6)
    extra = '<mergeCells count="1"><mergeCell ref="C3:C4"/></mergeCells>'
    return _workbook(_sheet(rows, "A1:C7", extra))


@pytest.mark.parametrize(("kind", "make"), [("docx", lambda: _valid_docx(6)),
                                            ("xlsx", _plan_xlsx)])  # fmt: skip
def test_mutated_files_are_read_or_refused(
    kind: str, make: object, store: Store, tmp_path: Path
) -> None:
    original = make()  # type: ignore[operator]
    rnd = random.Random(f"{SEED}-{kind}")
    outcomes = {"read": 0, "refused": 0}
    path = tmp_path / f"plan.{kind}"
    for round_no in range(ROUNDS):
        path.write_bytes(_mutate(original, rnd))
        try:
            incoming = read_incoming(store, path)
        except UserError as exc:
            assert str(exc).strip(), round_no
            outcomes["refused"] += 1
        except Exception as exc:  # pragma: no cover - the failure this test exists to find
            keep = tmp_path.parent / f"fuzz-{kind}-{round_no}.{kind}"
            keep.write_bytes(path.read_bytes())
            raise AssertionError(f"round {round_no}: {type(exc).__name__}: {exc} ({keep})") from exc
        else:
            incoming.cleanup()
            outcomes["read"] += 1
    # the mutations reach both outcomes: some files stay readable, many are refused
    assert outcomes["read"] > 5 and outcomes["refused"] > 5, outcomes
