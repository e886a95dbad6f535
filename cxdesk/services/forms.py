"""The printed forms of plans: the one kept with each plan, the presets, the user's own.

A plan's form lives in ``plans.form`` ("" = its template's own form), its signature block in
``plans.signature`` and its executor line in ``plans.executor``. The user's saved forms are JSON
files in ``forms/`` of the data folder, one per name. The window's form dialog, the command line
(``form show|set|list|save``, ``export --form``) and the tests use these functions alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cxdesk.domain import form as forms
from cxdesk.domain.form import Form
from cxdesk.errors import NotFound, UserError
from cxdesk.fsutil import atomic_target
from cxdesk.services.common import Changes, find_plan, now, record
from cxdesk.storage.db import Store

#: The folder of the user's saved forms inside the data folder.
FOLDER = "forms"

#: The largest form file read (a form is a few hundred bytes).
MAX_FILE = 256 * 1024


@dataclass
class PlanForm:
    """What prints around a plan: its form (the template's when it has none of its own), its
    signature block and executor line, and whether the form is the plan's own."""

    form: Form
    signature: str
    executor: str
    own: bool


def _folder(store: Store) -> Path:
    return store.data_dir / FOLDER


def user_forms(store: Store) -> dict[str, Path]:
    """The user's saved forms by name."""
    folder = _folder(store)
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.json")) if path.is_file()}


def read_form_file(path: Path) -> Form:
    """A form from a JSON file; raises :class:`UserError` saying what is wrong with it."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise UserError(f"Файл формы {path} слишком велик: форма занимает несколько килобайт.")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NotFound(f"Файла формы {path} нет. Проверьте путь или имя формы.") from exc
    except UnicodeDecodeError as exc:
        raise UserError(f"Файл формы {path} не в кодировке UTF-8: сохраните его в UTF-8.") from exc
    except OSError as exc:
        raise UserError(f"Файл формы {path} не прочитан: {exc.strerror or exc}.") from exc
    form = forms.from_json(text)
    if form is None:
        raise UserError(f"Файл формы {path} пуст.")
    return form


def find_form(store: Store, name_or_file: str) -> Form:
    """A form by preset name, saved name, or path of a JSON file."""
    name = name_or_file.strip()
    saved = user_forms(store)
    if name in saved:
        return read_form_file(saved[name])
    if name.lower().endswith(".json") or "/" in name or "\\" in name:
        return read_form_file(Path(name))
    return forms.preset(name)


def all_form_names(store: Store) -> list[tuple[str, str]]:
    """Every form one can print in: (name, Russian description); presets, then saved ones."""
    out = [(name, forms.PRESET_TITLES.get(name, "")) for name in forms.preset_names()]
    for name in out[:]:
        if name[0].startswith("typical:"):
            from cxdesk.domain.templates import get_template

            template = get_template(name[0].split(":", 1)[1])
            out[out.index(name)] = (name[0], f"Типовой план: {template.short_title}")
    return out + [(name, "сохранённая форма") for name in user_forms(store)]


def save_form(store: Store, name: str, form: Form) -> Path:
    """Saves ``form`` as the user's form ``name`` (replacing one of that name)."""
    name = forms.check_name(name)
    folder = _folder(store)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.json"
        data = {**form.to_dict(), "name": name}
        with atomic_target(path) as tmp:
            Path(tmp).write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    except OSError as exc:
        raise UserError(
            f"Форма не сохранена в {folder}: {exc.strerror or exc}. Проверьте права на папку."
        ) from exc
    return path


def plan_form(store: Store, plan_token: str | int) -> PlanForm:
    """The plan's form, signature and executor."""
    with store.session() as s:
        plan = find_plan(s, plan_token)
        own = forms.from_json(plan.form)
        if own is None:
            columns = None
            if plan.columns:
                columns = [(str(k), str(h)) for k, h in json.loads(plan.columns)]
            elif plan.template_id:
                from cxdesk.domain.templates import get_template

                try:
                    columns = list(get_template(plan.template_id).columns)
                except NotFound:
                    columns = None
            template = forms.typical_form(columns)
            return PlanForm(template, plan.signature, plan.executor, False)
        return PlanForm(own, plan.signature, plan.executor, True)


def set_form(
    store: Store,
    plan_token: str | int,
    form: Form | None,
    signature: str | None = None,
    executor: str | None = None,
) -> Changes:
    """Keeps ``form`` with the plan (None: back to the template's own form) and, when given, its
    signature block and executor line; each change goes to the plan's history."""
    values: dict[str, str] = {}
    values["form"] = form.to_json() if form is not None else ""
    if signature is not None:
        values["signature"] = _checked_text(signature, "Подпись")
    if executor is not None:
        values["executor"] = _checked_text(executor, "Строка «Исп.»")
    with store.session() as s:
        plan = find_plan(s, plan_token)
        for name, value in values.items():
            old = getattr(plan, name) or ""
            if value != old:
                shown = (_form_label(old), _form_label(value)) if name == "form" else (old, value)
                record(s, plan.id, None, name, *shown)
                setattr(plan, name, value)
        plan.version = (plan.version or 1) + 1
        plan.updated_at = now()
        return Changes({plan.id}, history=True)


def _form_label(text: str) -> str:
    """How the history names a form: its name, «своя форма», or the template's."""
    form = forms.from_json(text) if text else None
    if form is None:
        return "форма шаблона"
    return f"форма «{form.name}»" if form.name else "своя форма"


def _checked_text(text: str, what: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > forms.MAX_TEXT:
        raise UserError(f"{what}: не длиннее {forms.MAX_TEXT} знаков.")
    return text.strip("\n")


def edited(base: Form, **changes: object) -> Form:
    """``base`` with ``changes`` applied, checked as a whole (a bad value is refused)."""
    data = base.to_dict()
    data.update({k: v for k, v in changes.items() if v is not None})
    return forms.from_dict(data)


def parse_columns(text: str) -> list[dict[str, str]]:
    """Columns typed on the command line: ``key=Заголовок,key2=Верх/Заголовок,…`` (a ``/``
    puts an upper heading shared with neighbours of the same upper heading)."""
    out = []
    for part in [p for p in text.split(";" if ";" in text else ",") if p.strip()]:
        key, eq, heading = part.partition("=")
        group, slash, lower = heading.partition("/")
        if not eq:
            heading = ""
        out.append(
            {
                "key": key.strip(),
                "heading": (lower if slash else heading).strip(),
                "group": group.strip() if slash else "",
            }
        )
    if not out:
        raise UserError("Укажите графы: --columns number=№,title=Мероприятие,…")
    return out
