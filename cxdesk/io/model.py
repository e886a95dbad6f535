"""The plan as a document: what the readers and writers of cxdesk/io exchange with the services.

The io layer never touches the database. A service turns a stored plan into a :class:`PlanDoc`
and hands it to a writer (docx, xlsx, pdf, package); a reader turns a file into a ``PlanDoc``
(plus warnings) and a service stores it. Everything here is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cxdesk.domain.form import Form

# the io layer's names of the lists of cxdesk.domain.item_fields
from cxdesk.domain.item_fields import COLUMN_KEYS as COLUMN_KEYS
from cxdesk.domain.item_fields import DEFAULT_HEADINGS as DEFAULT_HEADINGS
from cxdesk.domain.item_fields import STATUS_TITLES as STATUS_TITLES


@dataclass
class Column:
    """One column of the printed table: its key (see COLUMN_KEYS) and its heading as printed."""

    key: str
    heading: str


@dataclass
class AttachmentInfo:
    """An attached proof document, as a document lists it (and a package carries it)."""

    name: str
    size: int = 0
    sha256: str = ""
    added: str = ""  # ISO date-time


@dataclass
class Row:
    """One row of the plan's table: a block, a section or an item.

    Multi-line cells (several responsible people, several documents) keep their lines joined
    with ``\\n``. ``uid`` is the stable identity of the row in cxdesk (empty for foreign files);
    ``ref`` is the typical template reference such as ``agency:3.1.4`` (empty when none).
    """

    kind: str  # "block" | "section" | "item"
    number: str
    title: str
    start: str = ""
    deadline: str = ""
    responsible: str = ""
    result: str = ""
    document: str = ""
    materials: str = ""
    note: str = ""
    status: str = ""  # stored status key (not_started, in_progress, done, excluded) or ""
    basis: str = ""  # basis of an exclusion
    done_date: str = ""  # dd.mm.yyyy when known
    ref: str = ""
    uid: str = ""
    attachments: list[AttachmentInfo] = field(default_factory=list)
    fact: str = ""  # the «Отметка о выполнении» cell as printed (report layout), when read


@dataclass
class PlanDoc:
    """A whole plan as a document: the approval block, the title, the columns and the rows."""

    title: str
    org: str = ""
    template_id: str = ""
    template_version: str = ""
    approver_position: str = ""
    approver_name: str = ""
    approval_date: str = ""  # free text as printed, e.g. "15.03.2024" or ""
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    uid: str = ""  # the plan's identity in cxdesk (empty for foreign files)
    answers: dict[str, bool] = field(default_factory=dict)
    as_of: str = ""  # for the report layout: the date the report speaks of (dd.mm.yyyy)
    #: The signature block printed below the table («Заместитель министра … Г.В. Богданова»),
    #: its lines joined with ``\n``; "" when the plan has none.
    signature: str = ""
    #: The executor line(s) under the signature («Исп.: Петрова М.С., тел. …»).
    executor: str = ""
    #: Whether the file had an «УТВЕРЖДАЮ» block above the table (readers set it; writers follow
    #: the plan's form).
    has_approval: bool = True
    #: The table's heading rows as read, each a list of cell texts with merged cells repeated
    #: (Tula: «Срок реализации» over «Дата начала | Дата окончания»); [] when not read.
    header_rows: list[list[str]] = field(default_factory=list)
    #: The printed form (see cxdesk.domain.form), {} for the template's own.
    form: dict[str, object] = field(default_factory=dict)
    #: The exchange point this file is: the moment cxdesk wrote it ("" for foreign files) …
    exchanged_at: str = ""
    #: … and the exchange point its plan came from (the file's plan ``synced_at``), so that a
    #: colleague's file tells which of our exports or packages it grew from.
    exchange_base: str = ""


@dataclass
class ExportOptions:
    """How a document is laid out. Margins follow ГОСТ Р 7.0.97-2016 by default."""

    layout: str = "official"  # official | dates | report
    font_size: float = 12.0
    font_family: str = "Times New Roman"
    margin_left_mm: float = 20.0
    margin_right_mm: float = 10.0
    margin_top_mm: float = 20.0
    margin_bottom_mm: float = 20.0
    #: The printed form; None: the layout's preset, else the plan's own form (see
    #: :func:`cxdesk.io.layout.resolve_form`).
    form: Form | None = None


@dataclass
class ReadResult:
    """What a reader returns: the plan it found and what it had to guess, skip or could not read."""

    plan: PlanDoc
    warnings: list[str] = field(default_factory=list)
