"""The field table agrees with every class that still declares an item's fields: the stored
row, the document row and the view row. Adding a field to one and not the others fails here."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from sqlalchemy import String, Text

from cxdesk.domain import item_fields as F
from cxdesk.io import model
from cxdesk.services.views import RowView
from cxdesk.storage.models import Row as StoredRow

#: What the stored row has besides the fields: identity, place, derived date, version.
STORED_OTHER = {"id", "plan_id", "position", "depth", "due_date", "version", *F.ROW_KEYS}
DOC_OTHER = {*F.ROW_KEYS, "attachments", "fact"}
VIEW_OTHER = {"id", "depth", "due_date", "attachments", "overdue", "upcoming", "version"}


def test_the_store_has_a_column_of_each_field_and_no_other() -> None:
    columns = {c.name: c for c in StoredRow.__table__.columns}
    assert set(columns) - STORED_OTHER == set(F.ITEM_FIELDS)
    for f in F.FIELDS:
        column_type = columns[f.name].type
        if f.sql == "text":
            assert isinstance(column_type, Text), f.name
        else:
            kind, _, length = f.sql.partition(":")
            assert kind == "string" and isinstance(column_type, String), f.name
            assert not isinstance(column_type, Text) and column_type.length == int(length), f.name
        assert not columns[f.name].nullable or f.name == "due_date", f.name


def test_the_document_row_and_the_view_row_have_each_field_and_no_other() -> None:
    doc = {f.name: f for f in dataclasses.fields(model.Row)}
    assert set(doc) - DOC_OTHER == set(F.ITEM_FIELDS)
    view = {f.name for f in dataclasses.fields(RowView)}
    assert view - VIEW_OTHER - set(F.ROW_KEYS) == set(F.ITEM_FIELDS)
    assert set(F.ROW_KEYS) <= view
    for name in F.ITEM_FIELDS:
        assert doc[name].type in ("str", str), name


def test_the_table_is_whole() -> None:
    assert len(set(F.ITEM_FIELDS)) == len(F.ITEM_FIELDS)
    for f in F.FIELDS:
        assert f.kind in F.KINDS and f.title and f.help, f.name
        assert f.panel in ("left", "right"), f.name
        assert bool(f.heading) == bool(f.pattern), f.name  # a printed column is also read
    assert set(F.PANEL_LEFT + F.PANEL_RIGHT) == set(F.ITEM_FIELDS)
    assert set(F.STATUSES) < set(F.STATUS_TITLES)
    assert ("number", *F.PRINTED_FIELDS, "fact") == F.COLUMN_KEYS
    assert set(F.DEFAULT_HEADINGS) == set(F.COLUMN_KEYS)


def test_every_printed_heading_is_read_back_as_its_column() -> None:
    from cxdesk.io.table_text import map_heading

    for key, heading in F.DEFAULT_HEADINGS.items():
        assert map_heading(heading)[0] == key, heading


def test_the_set_command_has_a_flag_for_each_field() -> None:
    from cxdesk.cli import build_parser

    parser = build_parser()
    flags = [F.BY_NAME[name].flag for name in F.ITEM_FIELDS]
    args = parser.parse_args(["set", "1", "1.1", *[x for flag in flags for x in (flag, "x")]])
    assert {name: getattr(args, name) for name in F.ITEM_FIELDS} == dict.fromkeys(
        F.ITEM_FIELDS, "x"
    )


def test_the_table_loads_without_the_store() -> None:
    code = (
        "import sys, cxdesk.domain.item_fields; "
        "print(any(m.startswith('sqlalchemy') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
