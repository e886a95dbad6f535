"""The printed form of a plan: what its table and the page around it look like when exported.

A body approves its plan in its own form: the Stavropol agency plan has five columns, items
numbered flat 1.–69., blocks in Roman numerals, unnumbered sections and a signature below the
table instead of «УТВЕРЖДАЮ» above it; the Tula plan has a two-row header («Срок реализации» over
«Дата начала | Дата окончания»). A :class:`Form` says all of that; it is kept with the plan
(``plans.form`` as JSON, "" for the template's own form) and drives every writer (docx, xlsx,
PDF, print).

Named presets: ``typical`` (the plan's template's own form), ``typical:<template>`` for each
template, ``dates`` (the Tula form), ``report`` (the progress report), ``stavropol`` (the agency
plan as Stavropol approved it); the user saves more (see :mod:`cxdesk.services.forms`).
:func:`form_from_doc` reads the form of an imported file from what the reader found.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from cxdesk.domain.item_fields import COLUMN_KEYS
from cxdesk.errors import UserError

#: Column keys a form may print (the one list: :data:`cxdesk.domain.item_fields.COLUMN_KEYS`).
KEYS = COLUMN_KEYS

NUMBERING = {"source": "как в плане", "hierarchical": "1.1.1.", "flat": "1., 2., 3."}
BLOCKS = {"arabic": "1., 2.", "roman": "I., II.", "none": "без номера"}
REPEAT = {"all": "заголовки и номера граф", "numbers": "только номера граф", "none": "нет"}

#: The longest header or title text a form accepts.
MAX_TEXT = 2000
_NAME = re.compile(r"^[\w.:-]{1,60}$")


@dataclass
class FormColumn:
    """A printed column: its key, its heading, and the upper heading it shares with its
    neighbours in a two-row header (``group``, "" when it has none)."""

    key: str
    heading: str
    group: str = ""


@dataclass
class Form:
    """How a plan prints. An empty ``columns`` means the plan's own (its template's) columns."""

    name: str = ""
    columns: list[FormColumn] = field(default_factory=list)
    numbering: str = "source"  # see NUMBERING
    blocks: str = "arabic"  # see BLOCKS (not used with "source" numbering)
    sections: bool = True  # sections numbered (not used with "source" numbering)
    title: str = ""  # "" = the plan's own title
    approval: bool = True  # «УТВЕРЖДАЮ» block above the table
    signature: bool = False  # signature block (plans.signature, plans.executor) below it
    number_row: bool = True  # the row of column numbers 1 … N under the headings
    repeat: str = "all"  # which heading rows repeat on every page, see REPEAT
    excluded: bool = False  # excluded items printed (with «Исключено: …»)
    footnotes: bool = True  # the template's footnotes under the table
    report: bool = False  # the progress report: «Статус», «Отметка о выполнении», its date

    def to_dict(self) -> dict[str, Any]:
        """The form as plain JSON data."""
        return asdict(self)

    def to_json(self) -> str:
        """The form as JSON text, as ``plans.form`` keeps it."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @property
    def two_rows(self) -> bool:
        """Whether the header has two rows (some column has an upper heading)."""
        return any(column.group for column in self.columns)

    def describe(self) -> list[str]:
        """The form in Russian words, one line per property (``form show``, the dialogs)."""
        cols = " | ".join(
            f"{c.group} / {c.heading}" if c.group else c.heading for c in self.columns
        )
        yes = {True: "да", False: "нет"}
        lines = [
            f"Форма: {self.name or 'своя'}",
            f"Графы: {cols or 'как в шаблоне плана'}",
            f"Нумерация: {NUMBERING[self.numbering]}",
        ]
        if self.numbering != "source":
            lines.append(f"Блоки: {BLOCKS[self.blocks]}; разделы нумеруются: {yes[self.sections]}")
        lines += [
            f"Заголовок: {self.title or 'название плана'}",
            f"Гриф «УТВЕРЖДАЮ»: {yes[self.approval]}; подпись под таблицей: {yes[self.signature]}",
            f"Строка номеров граф: {yes[self.number_row]}; повтор на каждой странице: "
            f"{REPEAT[self.repeat]}",
            f"Исключённые пункты: {'печатаются' if self.excluded else 'не печатаются'}; "
            f"сноски шаблона: {yes[self.footnotes]}",
        ]
        if self.report:
            lines.append("Отчёт о выполнении: графы «Статус» и «Отметка о выполнении»")
        return lines


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise UserError(f"В описании формы «{what}» должно быть текстом.")
    if len(value) > MAX_TEXT:
        raise UserError(f"В описании формы «{what}» длиннее {MAX_TEXT} знаков: сократите его.")
    return value


def _choice(value: Any, choices: dict[str, str], what: str) -> str:
    if value not in choices:
        raise UserError(f"В описании формы «{what}» = «{value}»: допустимо {', '.join(choices)}.")
    return str(value)


def _flag(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise UserError(f"В описании формы «{what}» должно быть true или false.")
    return value


def from_dict(data: Any) -> Form:
    """A checked form from JSON data; raises :class:`UserError` saying what is wrong."""
    if not isinstance(data, dict):
        raise UserError("Описание формы должно быть объектом JSON с полями формы.")
    known = set(Form.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise UserError(
            f"В описании формы неизвестные поля: {', '.join(map(str, unknown))}. "
            f"Допустимы: {', '.join(sorted(known))}."
        )
    raw_columns = data.get("columns", [])
    if not isinstance(raw_columns, list):
        raise UserError("В описании формы «columns» должно быть списком граф.")
    columns: list[FormColumn] = []
    seen: set[str] = set()
    for raw in raw_columns:
        if isinstance(raw, (list, tuple)) and 2 <= len(raw) <= 3:
            raw = dict(zip(("key", "heading", "group"), raw, strict=False))
        if not isinstance(raw, dict):
            raise UserError('Графа формы задаётся как {"key": …, "heading": …}.')
        key = _text(raw.get("key", ""), "key")
        if key not in KEYS:
            raise UserError(f"Графы «{key}» нет. Есть: {', '.join(KEYS)}.")
        if key in seen:
            raise UserError(f"Графа «{key}» указана в форме дважды.")
        seen.add(key)
        heading = _text(raw.get("heading", ""), "heading").strip()
        columns.append(FormColumn(key, heading, _text(raw.get("group", ""), "group").strip()))
    if columns and "title" not in seen:
        raise UserError("В форме нет графы «title» (мероприятие): без неё план не напечатать.")
    d = Form()
    return Form(
        name=_text(data.get("name", d.name), "name"),
        columns=columns,
        numbering=_choice(data.get("numbering", d.numbering), NUMBERING, "numbering"),
        blocks=_choice(data.get("blocks", d.blocks), BLOCKS, "blocks"),
        sections=_flag(data.get("sections", d.sections), "sections"),
        title=_text(data.get("title", d.title), "title"),
        approval=_flag(data.get("approval", d.approval), "approval"),
        signature=_flag(data.get("signature", d.signature), "signature"),
        number_row=_flag(data.get("number_row", d.number_row), "number_row"),
        repeat=_choice(data.get("repeat", d.repeat), REPEAT, "repeat"),
        excluded=_flag(data.get("excluded", d.excluded), "excluded"),
        footnotes=_flag(data.get("footnotes", d.footnotes), "footnotes"),
        report=_flag(data.get("report", d.report), "report"),
    )


def from_json(text: str) -> Form | None:
    """The form kept in ``plans.form``; None for "" (the template's own form)."""
    if not text or not text.strip():
        return None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UserError(f"Описание формы — не JSON ({exc}). Проверьте файл формы.") from exc
    return from_dict(data)


# -- presets -------------------------------------------------------------------------------------

_TULA_COLUMNS = [
    FormColumn("number", "№"),
    FormColumn("title", "Мероприятие"),
    FormColumn("start", "Дата начала", "Срок реализации"),
    FormColumn("deadline", "Дата окончания", "Срок реализации"),
    FormColumn("responsible", "Ответственный"),
    FormColumn("result", "Результат"),
]
_STAVROPOL_COLUMNS = [
    FormColumn("number", "№ п/п"),
    FormColumn("title", "Наименование мероприятия"),
    FormColumn("deadline", "Срок реализации мероприятия"),
    FormColumn("responsible", "Ответственный исполнитель мероприятия"),
    FormColumn("document", "Вид документа"),
]

#: The named forms every plan can print in, with their Russian names.
PRESET_TITLES = {
    "typical": "Форма типового плана (графы шаблона)",
    "dates": "С датами начала и окончания (форма Тульской области)",
    "report": "Отчёт о выполнении (статус и отметка о выполнении)",
    "stavropol": "Форма плана органа (Ставропольский край): подпись под таблицей",
}


def typical_form(columns: list[tuple[str, str]] | None = None, name: str = "typical") -> Form:
    """The Typical plan's form: the template's columns (or the plan's own when None)."""
    return Form(name=name, columns=[FormColumn(k, h) for k, h in (columns or [])])


def preset(name: str) -> Form:
    """A built-in preset by name (``typical``, ``typical:<template>``, ``dates``, ``report``,
    ``stavropol``); raises :class:`UserError` for an unknown one."""
    if name == "typical":
        return typical_form()
    if name.startswith("typical:"):
        from cxdesk.domain.templates import get_template

        template = get_template(name.split(":", 1)[1])
        return typical_form(list(template.columns), name)
    if name == "dates":
        return Form(name="dates", columns=[replace(c) for c in _TULA_COLUMNS])
    if name == "report":
        return Form(name="report", report=True, excluded=True)
    if name == "stavropol":
        return Form(
            name="stavropol",
            columns=[replace(c) for c in _STAVROPOL_COLUMNS],
            numbering="flat",
            blocks="roman",
            sections=False,
            approval=False,
            signature=True,
            repeat="numbers",
        )
    raise UserError(
        f"Формы «{name}» нет. Есть: {', '.join(preset_names())} и сохранённые формы "
        "(cxdesk form list)."
    )


def preset_names() -> list[str]:
    """The names of the built-in presets, the template ones included."""
    from cxdesk.domain.templates import all_templates

    names = ["typical", "dates", "report", "stavropol"]
    return names + [f"typical:{t.id}" for t in all_templates()]


def check_name(name: str) -> str:
    """A user preset's name, checked (letters, digits, ``._:-``; not a built-in's)."""
    name = name.strip()
    if not _NAME.match(name):
        raise UserError(
            f"Имя формы «{name}» не подходит: до 60 букв, цифр и знаков «._-», без пробелов."
        )
    if name in PRESET_TITLES or name.startswith("typical:"):
        raise UserError(f"Имя «{name}» занято встроенной формой: выберите другое.")
    return name


# -- the title -----------------------------------------------------------------------------------

#: Head nouns of body names and their prepositional case («в Министерстве …»).
_PREPOSITIONAL = {
    "министерство": "министерстве", "комитет": "комитете", "департамент": "департаменте",
    "управление": "управлении", "агентство": "агентстве", "служба": "службе",
    "инспекция": "инспекции", "правительство": "правительстве", "администрация": "администрации",
    "аппарат": "аппарате", "государственный": "государственном", "главное": "главном",
    "региональная": "региональной", "региональный": "региональном", "центр": "центре",
    "учреждение": "учреждении", "фонд": "фонде", "мэрия": "мэрии", "дирекция": "дирекции",
}  # fmt: skip


def plan_title(base: str, org: str) -> str:
    """The title of a plan for a body, as plans are titled: «План мероприятий … в Министерстве
    труда и социальной защиты Тульской области». A name whose first word is not a known body
    («ГКУ …», a person's office) follows in brackets, in the case the user typed it."""
    org = " ".join(org.split())
    if not org:
        return base
    first, _, rest = org.partition(" ")
    declined = _PREPOSITIONAL.get(first.lower())
    if declined is None:
        return f"{base} ({org})"
    if first[:1].isupper():
        declined = declined[:1].upper() + declined[1:]
    return f"{base} в {declined} {rest}".rstrip()


# -- numbering -----------------------------------------------------------------------------------


def roman(number: int) -> str:
    """``number`` in Roman numerals (1 → I, 14 → XIV)."""
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


_ROMAN_NUMBER = re.compile(r"^[IVXLC]+\.?$")


class Numberer:
    """Gives each printed row its number under a form: kinds in, numbers out, in order."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.block = self.section = self.item = 0

    def number(self, kind: str, stored: str) -> str:
        """The printed number of the next row of ``kind`` whose stored number is ``stored``."""
        form = self.form
        if form.numbering == "source":
            return stored
        if kind == "block":
            self.block += 1
            self.section = 0
            if form.numbering == "hierarchical":
                self.item = 0
            if form.blocks == "none":
                return ""
            return f"{roman(self.block) if form.blocks == 'roman' else self.block}."
        if kind == "section":
            self.section += 1
            if form.numbering == "hierarchical":
                self.item = 0
            if not form.sections:
                return ""
            if form.numbering == "hierarchical" and self.block:
                return f"{self.block}.{self.section}."
            return f"{self.section}."
        self.item += 1
        if form.numbering == "flat":
            return f"{self.item}."
        parts = [str(n) for n in (self.block, self.section) if n]
        return ".".join([*parts, str(self.item)]) + "."


# -- the form of a read file ---------------------------------------------------------------------


def _numbering_of(rows: list[Any]) -> tuple[str, str, bool]:
    """(numbering, blocks, sections numbered) as the rows' printed numbers show them."""
    blocks = [r.number.strip() for r in rows if r.kind == "block" and r.number.strip()]
    style = "arabic"
    if any(r.kind == "block" for r in rows) and not blocks:
        style = "none"
    elif blocks and all(_ROMAN_NUMBER.match(n) for n in blocks):
        style = "roman"
    sections = [r for r in rows if r.kind == "section"]
    numbered = not sections or any(r.number.strip() for r in sections)
    items = [r.number.strip().rstrip(".") for r in rows if r.kind == "item" and r.number.strip()]
    flat = bool(items) and all(n.isdecimal() for n in items)
    return ("flat" if flat else "hierarchical"), style, numbered


def _columns_from_doc(doc: Any) -> list[FormColumn]:
    """The columns of a read plan, with the upper headings of a two-row header."""
    columns = [FormColumn(c.key, c.heading) for c in doc.columns]
    rows = [list(r) for r in (doc.header_rows or [])]
    if len(rows) < 2 or len(rows[0]) != len(rows[1]) or len(rows[0]) != len(columns):
        return columns
    top, bottom = rows[0], rows[1]
    for index, column in enumerate(columns):
        upper, lower = " ".join(top[index].split()), " ".join(bottom[index].split())
        shared = any(
            0 <= j < len(top) and " ".join(top[j].split()) == upper and bottom[j] != top[j]
            for j in (index - 1, index + 1)
        )
        if upper and lower and upper != lower and shared:
            column.group = upper
            column.heading = lower
    return columns


def form_from_doc(doc: Any) -> Form:
    """The whole form of a read file (a :class:`cxdesk.io.model.PlanDoc`): its columns and their
    headings (two-row headers too), its printed numbers, approval block, signature and title.

    Our own exports carry their form in the hidden identity part (``doc.form``): it is taken
    as it was.
    """
    if doc.form:
        try:
            return from_dict(dict(doc.form))
        except UserError:
            pass  # a damaged identity part: read the form from the document itself
    numbering, blocks, sections = _numbering_of(doc.rows)
    return Form(
        name="",
        columns=_columns_from_doc(doc),
        numbering="source",  # the numbers as the file printed them
        blocks=blocks if numbering else "arabic",
        sections=sections,
        title="",  # the plan's title is the file's
        approval=bool(doc.has_approval),
        signature=bool(doc.signature.strip() or doc.executor.strip()),
        excluded=any(r.status == "excluded" for r in doc.rows if r.kind == "item"),
        footnotes=False,  # a file of another body prints its own notes, not the template's
    )
