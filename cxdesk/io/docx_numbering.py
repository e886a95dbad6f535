"""Word's automatic numbering: the number a numbered paragraph shows, computed as Word does.

When the № column is made with Word's list numbering, the cells hold no digits: the number lives
in ``word/numbering.xml``. A paragraph names a list instance (``w:numPr/w:numId``) and a level
(``w:ilvl``), directly or through its paragraph style. The instance points to an abstract list
whose levels give the start value, the number format and the text pattern («%1.%2.»). Counters
are kept per abstract list, so instances of one abstract list continue each other, except that an
instance with ``w:lvlOverride/w:startOverride`` restarts the level the first time it is used
(Word's «Начать заново» / «Задать начальное значение»). A level restarts after a higher level is
used unless its ``w:lvlRestart`` says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LEVELS = 9
_RUSSIAN = "абвгдежзиклмнопрстуфхцчшщэюя"
_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]
_PLACEHOLDER_RE = re.compile(r"%([1-9])")


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{tag}"


_W_VAL = w("val")
_PPR, _NUMPR, _NUMID, _ILVL, _PSTYLE = w("pPr"), w("numPr"), w("numId"), w("ilvl"), w("pStyle")


def _val(el: Any, child: str) -> str | None:
    found = el.find(w(child)) if el is not None else None
    if found is None:
        return None
    value = found.get(_W_VAL)
    return str(value) if value is not None else None


def _child(el: Any, tag: str) -> Any:
    """The first child with ``tag``, or None (lxml's ``find`` goes through ElementPath, several
    times slower for this, and it runs for every paragraph)."""
    return next(el.iterchildren(tag), None)


def _attr(el: Any, tag: str) -> str | None:
    found = _child(el, tag) if el is not None else None
    return None if found is None else found.get(_W_VAL)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _roman(value: int) -> str:
    out = []
    for size, letters in _ROMAN:
        while value >= size:
            out.append(letters)
            value -= size
    return "".join(out)


def _letters(value: int, alphabet: str) -> str:
    if value <= 0:
        return ""
    letter = alphabet[(value - 1) % len(alphabet)]
    return letter * ((value - 1) // len(alphabet) + 1)


def format_number(value: int, fmt: str) -> str:
    """One counter in a Word number format (decimal, upperRoman, russianLower …)."""
    if fmt in ("upperRoman", "lowerRoman"):
        text = _roman(value) if value > 0 else "0"
        return text if fmt == "upperRoman" else text.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        text = _letters(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return text if fmt == "upperLetter" else text.lower()
    if fmt in ("russianLower", "russianUpper"):
        text = _letters(value, _RUSSIAN)
        return text if fmt == "russianLower" else text.upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


@dataclass
class Level:
    """One level of an abstract list."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: None = after any higher level, 0 = never
    legal: bool = False  # w:isLgl: every placeholder shown in decimal


def _level(el: Any) -> Level:
    restart = _val(el, "lvlRestart")
    return Level(
        start=_int(_val(el, "start"), 1),
        fmt=_val(el, "numFmt") or "decimal",
        text=_val(el, "lvlText") or "",
        restart=_int(restart, 0) if restart is not None else None,
        legal=el.find(w("isLgl")) is not None,
    )


@dataclass
class _Num:
    """One list instance (``w:num``): its abstract list and the levels it overrides."""

    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


class Numbering:
    """The lists of one document and their running counters, fed paragraphs in document order."""

    def __init__(
        self, numbering: Any | None = None, styles: Any | Callable[[], Any] | None = None
    ) -> None:
        """``numbering`` and ``styles`` are the roots of numbering.xml and styles.xml (None: the
        document has none); ``styles`` may also be a function that reads it, called only when
        a paragraph's style is asked about (most tables' paragraphs have none, and a template's
        styles.xml is often larger than the document)."""
        self._abstracts: dict[str, dict[int, Level]] = {}
        self._links: dict[str, str] = {}
        self._nums: dict[str, _Num] = {}
        self._styles_source = styles
        self._styles_read: dict[str, tuple[str | None, str | None]] | None = None
        self._counters: dict[str, list[int]] = {}
        self._started: dict[str, list[bool]] = {}
        self._seen: set[str] = set()
        if numbering is not None:
            self._load(numbering)

    @property
    def _styles(self) -> dict[str, tuple[str | None, str | None]]:
        """The list (numId, ilvl) each paragraph style gives, its own or one it is based on."""
        if self._styles_read is None:
            self._styles_read = {}
            source, self._styles_source = self._styles_source, None
            root = source() if callable(source) else source
            if root is not None:
                self._load_styles(root)
        return self._styles_read

    def _load(self, root: Any) -> None:
        for abstract in root.iter(w("abstractNum")):
            key = str(abstract.get(w("abstractNumId")))
            levels = {_int(lvl.get(w("ilvl")), 0): _level(lvl) for lvl in abstract.iter(w("lvl"))}
            self._abstracts[key] = levels
            link = _val(abstract, "numStyleLink")
            if link:
                self._links[key] = link
        for num in root.iter(w("num")):
            entry = _Num(abstract=_val(num, "abstractNumId") or "")
            for override in num.iter(w("lvlOverride")):
                ilvl = _int(override.get(w("ilvl")), 0)
                start = _val(override, "startOverride")
                if start is not None:
                    entry.starts[ilvl] = _int(start, 1)
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    entry.levels[ilvl] = _level(lvl)
            self._nums[str(num.get(w("numId")))] = entry

    def _load_styles(self, root: Any) -> None:
        raw: dict[str, tuple[str | None, str | None, str | None]] = {}
        for style in root.iter(w("style")):
            numpr = style.find(f"{w('pPr')}/{w('numPr')}")
            raw[str(style.get(w("styleId")))] = (
                _val(style, "basedOn"),
                _val(numpr, "numId"),
                _val(numpr, "ilvl"),
            )
        for style_id in raw:
            num_id = ilvl = None
            current: str | None = style_id
            for _ in range(12):
                if current is None or current not in raw:
                    break
                based, n, lvl = raw[current]
                num_id = num_id if num_id is not None else n
                ilvl = ilvl if ilvl is not None else lvl
                current = based
            if num_id is not None:
                self._styles[style_id] = (num_id, ilvl)

    def _resolve(self, abstract: str) -> str:
        """The abstract list that really holds the levels (following w:numStyleLink)."""
        for _ in range(5):
            link = self._links.get(abstract)
            if link is None or self._abstracts.get(abstract):
                return abstract
            style = self._styles.get(link)
            num = self._nums.get(style[0] or "") if style else None
            if num is None:
                return abstract
            abstract = num.abstract
        return abstract

    def label(self, paragraph: Any) -> str:
        """Advances the counters for one paragraph and returns the number it shows («1.2.»)."""
        ppr = _child(paragraph, _PPR)
        numpr = _child(ppr, _NUMPR) if ppr is not None else None
        if numpr is None and (ppr is None or not self._styles):
            return ""
        return self.label_for(numpr, _attr(ppr, _PSTYLE))

    def label_for(self, numpr: Any, style_id: str | None) -> str:
        """:meth:`label` for a paragraph whose ``w:numPr`` (or None) and style are at hand."""
        num_id = _attr(numpr, _NUMID)
        ilvl_text = _attr(numpr, _ILVL)
        if num_id is None or ilvl_text is None:
            style = self._styles.get(style_id or "")
            if style is not None:
                num_id = num_id if num_id is not None else style[0]
                ilvl_text = ilvl_text if ilvl_text is not None else style[1]
        if num_id is None or num_id == "0":
            return ""
        return self._advance(num_id, min(max(_int(ilvl_text, 0), 0), LEVELS - 1))

    def _advance(self, num_id: str, ilvl: int) -> str:
        num = self._nums.get(num_id)
        if num is None:
            return ""
        key = self._resolve(num.abstract)
        levels = dict(self._abstracts.get(key, {}))
        levels.update(num.levels)
        if ilvl not in levels:
            return ""
        counters = self._counters.setdefault(key, [0] * LEVELS)
        started = self._started.setdefault(key, [False] * LEVELS)
        if num_id not in self._seen:
            self._seen.add(num_id)
            for restarted, start in num.starts.items():
                if 0 <= restarted < LEVELS:
                    counters[restarted] = start - 1
                    started[restarted] = True
                    for deeper in range(restarted + 1, LEVELS):
                        started[deeper] = False
        level = levels[ilvl]
        if started[ilvl]:
            counters[ilvl] += 1
        else:
            counters[ilvl] = level.start
            started[ilvl] = True
        for deeper in range(ilvl + 1, LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl < restart):
                started[deeper] = False
        if level.fmt in ("bullet", "none"):
            return ""

        def show(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            other = levels.get(k, Level())
            value = counters[k] if started[k] else other.start
            return format_number(value, "decimal" if level.legal else other.fmt)

        return _PLACEHOLDER_RE.sub(show, level.text).strip()
