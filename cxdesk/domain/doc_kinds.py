"""Kinds of documents, read from the «Вид документа» column and from attachment file names.

The audit uses this to notice an attachment that plainly is not the document the item asks for:
the item expects an order («Приказ об утверждении порядка …») and the only files attached are
named as reports («Отчет о проведении опроса.pdf»). It is deliberately cautious: a file whose name
names no kind of document, or names the expected kind anywhere, is never questioned.

Kinds fall into groups that stand in for one another: an order, a directive, a resolution and an
act (приказ, распоряжение, постановление, акт); a protocol; a report or a paper (отчет, доклад); a
plan (план, медиаплан).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Key word (as shown to the user) → its group.
KINDS: dict[str, str] = {
    "приказ": "order",
    "распоряжение": "order",
    "постановление": "order",
    "акт": "order",
    "протокол": "protocol",
    "отчет": "report",
    "доклад": "report",
    "план": "plan",
    "медиаплан": "plan",
}

_PREFIXES: tuple[tuple[str, str], ...] = (
    ("медиаплан", "медиаплан"),
    ("mediaplan", "медиаплан"),
    ("приказ", "приказ"),
    ("prikaz", "приказ"),
    ("распоряжен", "распоряжение"),
    ("rasporyazhen", "распоряжение"),
    ("постановлен", "постановление"),
    ("postanovlen", "постановление"),
    ("протокол", "протокол"),
    ("protokol", "протокол"),
    ("отчет", "отчет"),
    ("otchet", "отчет"),
    ("otchyot", "отчет"),
    ("доклад", "доклад"),
    ("doklad", "доклад"),
)
_EXACT: dict[str, str] = {
    **{w: "акт" for w in ("акт", "акта", "акту", "актом", "акте", "акты", "актов", "актами")},
    **{w: "план" for w in ("план", "плана", "плану", "планом", "плане", "планы", "планов")},
    "akt": "акт",
    "plan": "план",
}
_WORD = re.compile(r"[a-zа-я]+")
#: Where the name of the document ends and its subject begins: « о », « об », « по » outside
#: brackets («Отчет об уровне …», «Приказ (…) об утверждении …»).
_SUBJECT = re.compile(r"\s(?:о|об|по)\s")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("ё", "е"))


def kinds_in(text: str) -> list[str]:
    """The key words of document kinds that ``text`` names, in order, each once."""
    out: list[str] = []
    for word in _words(text):
        kind = _EXACT.get(word)
        if kind is None:
            kind = next((k for prefix, k in _PREFIXES if word.startswith(prefix)), None)
        if kind is not None and kind not in out:
            out.append(kind)
    return out


def _head(line: str) -> str:
    """The part of a document type that names the document, before its subject."""
    depth = 0
    low = line.lower()
    for i, ch in enumerate(low):
        if ch in "([«":
            depth += 1
        elif ch in ")]»":
            depth = max(0, depth - 1)
        elif depth == 0 and ch.isspace() and _SUBJECT.match(low, i):
            return line[:i]
    return line


def expected_kinds(document: str) -> list[str]:
    """The key words of the kinds a «Вид документа» cell asks for (one document per line)."""
    out: list[str] = []
    for line in document.splitlines():
        for kind in kinds_in(_head(line.strip())):
            if kind not in out:
                out.append(kind)
    return out


@dataclass(frozen=True)
class Mismatch:
    """An attachment that names another kind of document than the expected one."""

    expected: str
    attached: str
    file_name: str

    def text(self) -> str:
        """The finding's detail in Russian: «ожидается приказ, прикреплён отчет (файл «…»)»."""
        return f"ожидается {self.expected}, прикреплён {self.attached} (файл «{self.file_name}»)"


def _groups(kinds: Iterable[str]) -> set[str]:
    return {KINDS[k] for k in kinds}


def find_mismatch(document: str, file_names: Sequence[str]) -> Mismatch | None:
    """A mismatch only when some file clearly names another kind and none names the expected.

    Kinds of the same group stand in for one another (an order for a directive, a paper for a
    report), so that only a plainly different document is reported.
    """
    expected = expected_kinds(document)
    if not expected or not file_names:
        return None
    want = _groups(expected)
    other: tuple[str, str] | None = None
    for name in file_names:
        named = kinds_in(name)
        if _groups(named) & want:
            return None
        if named and other is None:
            other = (named[0], name)
    if other is None:
        return None
    return Mismatch(expected[0], other[0], other[1])
