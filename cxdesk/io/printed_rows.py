"""The rows as a form prints them: excluded items left out (and the blocks and sections they
emptied), numbers after the form's numbering, and the template's footnote marks (¹ ²…) with
the footnotes' texts for under the table. :func:`cxdesk.io.layout.prepare` calls it for every
writer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from cxdesk.domain import form as forms
from cxdesk.domain.form import Form
from cxdesk.io.model import PlanDoc, Row
from cxdesk.io.text_clean import clean_text

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def is_spanning(row: Row) -> bool:
    """Block and section rows span the whole width of the table."""
    return row.kind in ("block", "section")


def _node_footnotes(rows: Sequence[Row]) -> dict[str, tuple[tuple[int, str], ...]]:
    """The template footnotes of each row's reference (``agency:3.1.4`` → ((1, text), …))."""
    from cxdesk.domain.templates import get_template
    from cxdesk.errors import NotFound

    out: dict[str, tuple[tuple[int, str], ...]] = {}
    templates: dict[str, dict[str, tuple[tuple[int, str], ...]]] = {}
    for row in rows:
        template_id, _, ref = row.ref.partition(":")
        if not ref:
            continue
        if template_id not in templates:
            try:
                nodes = get_template(template_id).walk()
                templates[template_id] = {
                    n.ref: tuple((f.n, f.text) for f in n.footnotes) for n in nodes if n.footnotes
                }
            except NotFound:
                templates[template_id] = {}
        notes = templates[template_id].get(ref)
        if notes:
            out[row.ref] = notes
    return out


def _marked(row: Row, keys: Sequence[str], marks: str) -> Row:
    """The row with footnote marks after the text of the cell they belong to."""
    for key in ("materials", "document", "title"):
        if key in keys and (getattr(row, key).strip() or key == "title"):
            text = getattr(row, key).rstrip()
            if text.endswith(marks):  # read from a printed file with its marks
                return row
            marked: dict[str, str] = {key: f"{text} {marks}"}
            return replace(row, **marked)  # type: ignore[arg-type]
    return row


def _without_excluded(rows: Sequence[Row]) -> list[Row]:
    """The rows without excluded items, and without the blocks and sections they emptied."""
    has_items: dict[int, bool] = {}
    printed: dict[int, bool] = {}
    block = section = -1
    for index, row in enumerate(rows):
        if row.kind == "block":
            block, section = index, -1
        elif row.kind == "section":
            section = index
        else:
            for owner in (block, section):
                if owner >= 0:
                    has_items[owner] = True
                    printed[owner] = printed.get(owner, False) or row.status != "excluded"
    return [
        row
        for index, row in enumerate(rows)
        if (row.status != "excluded" if not is_spanning(row) else printed.get(index, True))
        or (is_spanning(row) and not has_items.get(index))
    ]


def printed_rows(
    plan: PlanDoc, form: Form, keys: Sequence[str]
) -> tuple[list[Row], list[Row], list[str]]:
    """The rows as the form prints them, the plan's rows they come from, and the footnotes
    under the table.

    Excluded items are left out unless the form prints them (a block or section left with no
    item goes too); the numbers follow the form's numbering; a row with a template footnote gets
    its mark (¹ ²…), and the footnotes' texts come back in order of their numbers.
    """
    rows = plan.rows if form.excluded else _without_excluded(plan.rows)
    notes = _node_footnotes(rows) if form.footnotes else {}
    numberer = forms.Numberer(form)
    sources = list(rows)
    out: list[Row] = []
    seen: dict[int, str] = {}
    for row in rows:
        number = numberer.number(row.kind, row.number)
        if number != row.number:
            row = replace(row, number=number)
        found = notes.get(row.ref)
        if found:
            marks = " ".join(str(n).translate(_SUPERSCRIPT) for n, _ in found)
            row = _marked(row, keys, marks)
            seen.update((n, text) for n, text in found)
        out.append(row)
    footnotes = [f"{str(n).translate(_SUPERSCRIPT)} {clean_text(seen[n])}" for n in sorted(seen)]
    return out, sources, footnotes
