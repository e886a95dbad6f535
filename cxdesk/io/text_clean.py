"""Text fit for any document format: the one cleaning every writer applies to cell text."""

from __future__ import annotations

import re

_SPECIAL = re.compile("[\x00-\x09\x0b-\x1f\x7f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` fit for any file format: ``\\n`` line ends, tabs as spaces, no control chars."""
    if not _SPECIAL.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", text)


def clean_texts(texts: list[str]) -> list[str]:
    """Each of ``texts`` as :func:`clean_text` makes it; one search when none needs cleaning
    (as almost every row of a plan), instead of one per text."""
    if not _SPECIAL.search("\n".join(texts)):  # a line end is no special character
        return texts
    return [clean_text(text) for text in texts]
