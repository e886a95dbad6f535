"""The bundled font of every PDF and print, and text made drawable in it.

PDFs and prints are set in Liberation Serif (metric-compatible with Times New Roman), loaded
from ``resources/fonts`` and embedded, so that a file looks the same on every machine. A
character the bundled font lacks would be drawn by Qt from whatever font the system has (or as
an empty box where none has it), so :func:`printable` replaces it first: superscript and
subscript digits (footnote marks such as «⁴»; the font has only ¹²³) become ordinary digits to
be drawn raised or lowered, look-alikes («‒», «‟», «−») their nearest character in the font,
letters with marks the font lacks their compatibility or base form, and anything else «?».

QtGui only, imported inside the functions (see :mod:`cxdesk.io.pdf_render`).
"""

from __future__ import annotations

import functools
import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any, NamedTuple

from cxdesk.io.model import ExportOptions
from cxdesk.paths import resources_dir

#: The family embedded in the PDF when the options name Times New Roman.
FONT_FILES = (
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
)
_STANDS_IN_FOR = {"times new roman", "times", "liberation serif"}
_APP: list[Any] = []  # the application made for work outside the window, kept alive
_FAMILY: list[str] = []  # the family loaded from resources/fonts, once per process
_RAW: list[Any] = []  # the regular face as a QRawFont: its own characters, no fallback

#: Superscript and subscript characters, drawn as raised or lowered ordinary ones.
RAISED = {ord(s): d for s, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾", "0123456789+-=()", strict=True)}
LOWERED = {ord(s): d for s, d in zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", "0123456789+-=()", strict=True)}
_MARKS = re.compile("[" + "".join(chr(c) for c in RAISED | LOWERED) + "]+")
#: Characters the font lacks that have a look-alike in it.
_LOOK_ALIKES = {
    "‒": "–", "‟": "“", "‛": "‘", "−": "-", "‐": "-", "⁃": "–", "∙": "·", "⋅": "·",
    "✓": "+", "✔": "+", "✗": "×", "✘": "×", "☐": "□", "☑": "+", "⩽": "≤", "⩾": "≥",
    "\u2060": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\ufffd": "?",
}  # fmt: skip
#: Each character that is drawn as it is, found so far (checked against the font once).
_AS_IS: set[str] = set()


class Printable(NamedTuple):
    """Text the bundled font draws, with the positions to draw raised and lowered."""

    text: str
    raised: tuple[int, ...] = ()
    lowered: tuple[int, ...] = ()


def ensure_app() -> None:
    """Creates a QGuiApplication when there is none (the command line, the tests).

    Without a display on Linux the ``offscreen`` platform is used.
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    if QCoreApplication.instance() is not None:
        return
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Where the widgets are already loaded (the window, its tests), the one application object
    # must be a QApplication, or the widgets cannot start later; cxdesk never imports them itself.
    widgets = sys.modules.get("PySide6.QtWidgets")
    app_class = getattr(widgets, "QApplication", QGuiApplication) if widgets else QGuiApplication
    _APP.append(app_class(["cxdesk"]))


def bundled_family() -> str:
    """The family loaded from ``resources/fonts`` (Times New Roman when it cannot be loaded)."""
    from PySide6.QtGui import QFontDatabase

    if not _FAMILY:
        folder = resources_dir() / "fonts"
        for name in FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(folder / name))
            if font_id >= 0 and not _FAMILY:
                _FAMILY.extend(QFontDatabase.applicationFontFamilies(font_id)[:1])
        if not _FAMILY:
            _FAMILY.append("Times New Roman")
    return _FAMILY[0]


def font_family(options: ExportOptions) -> str:
    """The family to draw with: Liberation Serif for Times New Roman (embedded, the same on
    every machine), else the family of the options when the system has it."""
    from PySide6.QtGui import QFontDatabase

    bundled = bundled_family()
    wanted = options.font_family.strip()
    if wanted.lower() not in _STANDS_IN_FOR and wanted in QFontDatabase.families():
        return wanted
    return bundled


def in_font(char: str) -> bool:
    """Whether the bundled font has a glyph for ``char`` (white space and controls count)."""
    if not _RAW:
        from PySide6.QtCore import QByteArray
        from PySide6.QtGui import QRawFont

        ensure_app()  # a font without an application object would crash the process
        data = (resources_dir() / "fonts" / FONT_FILES[0]).read_bytes()
        _RAW.append(QRawFont(QByteArray(data), 12.0))
    if char.isspace() or unicodedata.category(char) == "Cc" or char == "\u00ad":
        return True
    return bool(_RAW[0].isValid() and _RAW[0].supportsCharacter(ord(char)))


@functools.lru_cache(maxsize=4096)
def stand_in(char: str) -> str:
    """What is drawn for a character the bundled font lacks (see the module's text)."""
    if char in _LOOK_ALIKES:
        return _LOOK_ALIKES[char]
    for form in ("NFKC", "NFKD"):
        text = unicodedata.normalize(form, char)
        text = "".join(c for c in text if not unicodedata.combining(c))
        if text and text != char and all(in_font(c) for c in text):
            return text
    if unicodedata.category(char) in ("Cf", "Mn", "Me"):
        return ""  # format characters and lone marks are not seen
    return "?"


def printable(text: str) -> Printable:
    """``text`` as the bundled font draws it (every PDF and print goes through this).

    A run of superscript (or subscript) characters stays as it is when the font has them all
    («¹», «²³»), else the whole run is drawn raised (lowered) as ordinary characters, so that
    the marks of one run look alike («¹⁴»)."""
    if _AS_IS.issuperset(text):
        return Printable(text)
    out: list[str] = []
    raised: list[int] = []
    lowered: list[int] = []
    at = 0
    for plain, run in _runs(text):
        for char in plain:
            if char not in _AS_IS and in_font(char):
                _AS_IS.add(char)
            piece = char if char in _AS_IS else stand_in(char)
            out.append(piece)
            at += len(piece)
        if run and all(in_font(char) for char in run):
            out.append(run)
            at += len(run)
            continue
        for char in run:
            code = ord(char)
            (raised if code in RAISED else lowered).append(at)
            out.append(RAISED.get(code) or LOWERED[code])
            at += 1
    return Printable("".join(out), tuple(raised), tuple(lowered))


def _runs(text: str) -> Iterator[tuple[str, str]]:
    """``text`` as pairs (text, the run of superscripts or subscripts after it)."""
    start = 0
    for match in _MARKS.finditer(text):
        yield text[start : match.start()], match.group(0)
        start = match.end()
    yield text[start:], ""


def format_ranges(shown: Printable) -> list[Any]:
    """QTextLayout format ranges that raise and lower the characters :func:`printable` marked."""
    from PySide6.QtGui import QTextCharFormat, QTextLayout

    ranges = []
    align = QTextCharFormat.VerticalAlignment
    for positions, where in (
        (shown.raised, align.AlignSuperScript),
        (shown.lowered, align.AlignSubScript),
    ):
        if not positions:
            continue
        moved = QTextCharFormat()
        moved.setVerticalAlignment(where)
        for position in positions:
            part = QTextLayout.FormatRange()
            part.start, part.length, part.format = position, 1, moved  # type: ignore[attr-defined]
            ranges.append(part)
    return ranges


def printable_html(shown: Printable) -> str:
    """Printable text as Qt rich text (``<sup>``/``<sub>`` for the marks)."""
    import html

    if not shown.raised and not shown.lowered:
        return html.escape(shown.text)
    tags = dict.fromkeys(shown.raised, "sup") | dict.fromkeys(shown.lowered, "sub")
    return "".join(
        f"<{tags[i]}>{html.escape(c)}</{tags[i]}>" if i in tags else html.escape(c)
        for i, c in enumerate(shown.text)
    )
