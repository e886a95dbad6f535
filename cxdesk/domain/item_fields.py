"""The one table of an item's fields, and everything derived from it.

Each :class:`Field` says, for one field of a plan's row: its Russian names (in the history and
undo texts, on the item panel, as the heading of its printed column), how its value is typed
(free text, a date, a deadline, the status), how the store keeps it, how a foreign file's heading
is recognised as its column, and who edits it (``cxdesk set`` and the item panel, an executor of
a shared database). The rows of every layer (the stored row, the document row, the view row),
the command-line flags, the columns of the writers and readers, the identity payload, the merge,
undo and the item panel are derived from :data:`FIELDS`; where a class must still declare its
attributes, a test fails when it and the table disagree (tests/core/test_item_fields.py).

The module imports nothing but the standard library: the command line parses its flags from it
without loading the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The stored statuses of an item, in the order a user is offered them.
STATUSES = ("not_started", "in_progress", "done", "excluded")

#: Russian names of the stored statuses (and of the derived ``overdue``).
STATUS_TITLES = {
    "not_started": "Не начато",
    "in_progress": "В работе",
    "done": "Выполнено",
    "excluded": "Исключено",
    "overdue": "Просрочено",
}

#: How a value is typed: ``text`` (free text, multi-line), ``date`` (ДД.ММ.ГГГГ), ``deadline``
#: (a date or a period in words), ``status`` (one of :data:`STATUSES`).
KINDS = ("text", "date", "deadline", "status")


@dataclass(frozen=True)
class Field:
    """One field of an item (see the module's docstring)."""

    name: str  # attribute of every row class, column of the store, key of the identity payload
    title: str  # its Russian name in the history, undo texts and the merge list
    kind: str = "text"  # see KINDS
    sql: str = "text"  # how the store keeps it: "text", or "string:N" (String(N))
    label: str = ""  # its label on the item panel ("" = title)
    panel: str = "right"  # the panel's column it stands in: left | right …
    at: int = 99  # … and its place there (top first; a tie keeps the table's order)
    lines: tuple[int, int] = (1, 5)  # a text editor's lines: shown at least, grown to at most
    placeholder: str = ""  # the panel editor's hint while empty
    heading: str = ""  # heading of its printed column ("" = never a column of the table)
    headings: tuple[str, ...] = ()  # more headings that name the column exactly (readers)
    pattern: str = ""  # regular expression a foreign file's heading of this column matches
    rank: int = 50  # readers try the patterns in this order (lower first; «дата» last but title)
    help: str = ""  # help of its ``cxdesk set`` flag
    executor: bool = False  # an executor of a shared database may change it in their items

    @property
    def flag(self) -> str:
        """Its option of ``cxdesk set``."""
        return "--" + self.name.replace("_", "-")

    @property
    def shown(self) -> str:
        """Its label on the item panel."""
        return self.label or self.title


#: Every field of an item that a user edits, in the order of the official table.
FIELDS: tuple[Field, ...] = (
    Field(
        "title", "Мероприятие", at=0, panel="left", lines=(2, 5), heading="Мероприятие",
        headings=("наименование мероприятия",), rank=90,
        pattern=r"((наименование|содержание|название|перечень) )?мероприяти[йяе].*"
        r"|наименование|мероприятия?",
        help="текст мероприятия",
    ),
    Field(
        "start", "Дата начала", at=3, kind="date", panel="left", heading="Дата начала", rank=10,
        pattern=r"(дата|срок) начала.*|начало( реализации| исполнения)?",
        help="дата начала, ДД.ММ.ГГГГ",
    ),
    Field(
        "deadline", "Срок", at=2, kind="deadline", panel="left", heading="Срок реализации",
        headings=("срок исполнения", "дата окончания"), rank=40,
        pattern=r"срок.*|дата (окончания|завершения|исполнения|выполнения).*|окончание.*|дата",
        help="срок: дата ДД.ММ.ГГГГ или текст («IV квартал 2026 года»)",
    ),
    Field(
        "responsible", "Ответственный", at=1, panel="left", lines=(1, 5),
        placeholder="По одному на строку", heading="Ответственный",
        headings=("ответственный исполнитель",), rank=30,
        pattern=r"ответствен.*|(со)?исполнител.*", help="ответственные, по одному в строке",
    ),
    Field(
        "result", "Результат", at=3, lines=(2, 6),
        placeholder="Что сделано: реквизиты приказа, ссылка, отчёт", heading="Результат",
        rank=45, pattern=r"(ожидаемый |планируемый |достигнутый )?результат.*",
        help="результат", executor=True,
    ),
    Field(
        "document", "Вид документа", at=4, lines=(2, 6), heading="Вид документа", rank=50,
        pattern=r"вид(ы)? документ.*|(подтверждающий |итоговый |отчетный )?документ.*"
        r"|форма (документа|отчетности|подтверждения).*|наименование документа.*",
        help="вид документа", executor=True,
    ),
    Field(
        "materials", "Дополнительные материалы", at=5, label="Доп. материалы",
        heading="Дополнительные материалы", rank=55,
        pattern=r"(дополнительные |прилагаемые )?материалы.*",
        help="дополнительные материалы", executor=True,
    ),
    Field(
        "note", "Примечание", at=6, heading="Примечание", rank=60,
        pattern=r"примечани[ея]|комментари[ий]", help="поле «Примечание»", executor=True,
    ),
    Field(
        "status", "Статус", at=0, kind="status", sql="string:20", heading="Статус", rank=25,
        pattern=r"статус.*|состояние( исполнения| выполнения)?",
        help=" | ".join(STATUSES), executor=True,
    ),
    Field(
        "basis", "Основание исключения", at=2, lines=(1, 4),
        placeholder="Например: письмо Аналитического центра № … от …",
        help="основание исключения", executor=True,
    ),
    Field(
        "done_date", "Дата выполнения", at=1, kind="date", sql="string:10",
        help="дата выполнения, ДД.ММ.ГГГГ (по умолчанию при --status done — сегодня)",
        executor=True,
    ),
)  # fmt: skip

#: The fields by name.
BY_NAME = {f.name: f for f in FIELDS}

#: Fields of an item that ``set``, the item panel, the merge and the item service edit.
ITEM_FIELDS = tuple(f.name for f in FIELDS)

#: Fields an executor of a shared database may change in their own items.
EXECUTOR_FIELDS = tuple(f.name for f in FIELDS if f.executor)

#: The item panel's columns: the fields in each, top first.
PANEL_LEFT = tuple(f.name for f in sorted(FIELDS, key=lambda f: f.at) if f.panel == "left")
PANEL_RIGHT = tuple(f.name for f in sorted(FIELDS, key=lambda f: f.at) if f.panel == "right")

#: Fields of free text.
FREE_TEXTS = tuple(f.name for f in FIELDS if f.kind == "text")

#: Fields printed as a column of the table, in the official order.
PRINTED_FIELDS = tuple(f.name for f in FIELDS if f.heading)

#: Printed columns of free text (a document may reflow them; the identity gives them back).
PRINTED_TEXTS = tuple(f.name for f in FIELDS if f.heading and f.kind == "text")

#: Column keys a printed table may use, in the order the official table prints them: the
#: number, the printed fields, and the report's «Отметка о выполнении».
COLUMN_KEYS = ("number", *PRINTED_FIELDS, "fact")

#: Headings that the official templates print for each column key.
DEFAULT_HEADINGS = {
    "number": "№ п/п",
    **{f.name: f.heading for f in FIELDS if f.heading},
    "fact": "Отметка о выполнении",
}

#: What a row carries besides its fields: its identity and place (the stored row adds its
#: plan, position, derived due date and version).
ROW_KEYS = ("uid", "ref", "kind", "number")


def title_of(name: str) -> str:
    """The Russian name of a field ("" when it is no field of an item)."""
    field = BY_NAME.get(name)
    return field.title if field else ""


def values_of(row: object, names: tuple[str, ...] = ITEM_FIELDS) -> dict[str, Any]:
    """The fields of any row-shaped object (stored, document or view row), by name."""
    return {name: getattr(row, name) for name in names}
