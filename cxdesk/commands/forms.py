"""Commands of the printed form: ``form show|set|list|save`` (registered by the exchange module,
next to ``export --form``)."""

from __future__ import annotations

import argparse
from typing import Any

from cxdesk.cli import add_json, emit, open_store

_YES_NO = {"yes": True, "no": False, "да": True, "нет": False}


def _flag(text: str | None) -> bool | None:
    return None if text is None else _YES_NO[text]


def cmd_form_show(args: argparse.Namespace) -> int:
    from cxdesk.services.forms import plan_form

    got = plan_form(open_store(args), args.plan)
    data = {
        "plan": args.plan,
        "form": got.form.to_dict(),
        "own": got.own,
        "signature": got.signature,
        "executor": got.executor,
    }

    def text() -> str:
        lines = got.form.describe()
        if not got.own:
            lines[0] = "Форма: форма шаблона плана (своей формы у плана нет)"
        lines.append(f"Подпись под таблицей: {got.signature or '—'}".replace("\n", " / "))
        lines.append(f"Исполнитель: {got.executor or '—'}".replace("\n", " / "))
        return "\n".join(lines)

    emit(args, data, text)
    return 0


def cmd_form_set(args: argparse.Namespace) -> int:
    from cxdesk.services.forms import edited, find_form, parse_columns, plan_form, set_form

    store = open_store(args)
    if args.reset:
        base = None
    elif args.preset:
        base = find_form(store, args.preset)
    else:
        base = plan_form(store, args.plan).form
    form = None
    if base is not None:
        form = edited(
            base,
            columns=parse_columns(args.columns) if args.columns else None,
            numbering=args.numbering,
            blocks=args.blocks,
            sections=_flag(args.sections),
            title=args.title,
            approval=_flag(args.approval),
            signature=_flag(args.signature),
            number_row=_flag(args.number_row),
            repeat=args.repeat,
            excluded=_flag(args.excluded),
            footnotes=_flag(args.footnotes),
        )

    def lines(text: str | None) -> str | None:
        return None if text is None else text.replace("\\n", "\n")

    set_form(store, args.plan, form, lines(args.signature_text), lines(args.executor))
    got = plan_form(store, args.plan)
    emit(args, {"plan": args.plan, "form": got.form.to_dict(), "own": got.own},
         "\n".join(got.form.describe()))  # fmt: skip
    return 0


def cmd_form_list(args: argparse.Namespace) -> int:
    from cxdesk.services.forms import all_form_names

    names = all_form_names(open_store(args))
    emit(args, [{"name": n, "title": t} for n, t in names],
         lambda: "\n".join(f"{n:<22} {t}" for n, t in names))  # fmt: skip
    return 0


def cmd_form_save(args: argparse.Namespace) -> int:
    from cxdesk.services.forms import plan_form, save_form

    store = open_store(args)
    path = save_form(store, args.name, plan_form(store, args.plan).form)
    emit(args, {"name": args.name, "path": str(path)}, f"Форма «{args.name}» сохранена: {path}")
    return 0


_ACTIONS = ("show", "set", "list", "save")
_SET_KEYS = {
    "columns", "numbering", "blocks", "sections", "title", "approval", "signature",
    "number_row", "repeat", "excluded", "footnotes", "signature_text", "executor",
}  # fmt: skip


def _apply_sets(args: argparse.Namespace) -> None:
    """``--set KEY=VALUE`` (the contract's way) onto the named options."""
    from cxdesk.errors import UserError

    for item in args.set or []:
        key, eq, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not eq or key not in _SET_KEYS:
            raise UserError(
                f"--set {item}: ожидается КЛЮЧ=ЗНАЧЕНИЕ, ключи: {', '.join(sorted(_SET_KEYS))}."
            )
        value = value.strip()
        if key in {"sections", "approval", "signature", "number_row", "excluded", "footnotes"}:
            flags = {**_YES_NO, "true": True, "false": False, "1": True, "0": False}
            if value.lower() not in flags:
                raise UserError(f"--set {item}: значение — yes или no.")
            value = "yes" if flags[value.lower()] else "no"
        setattr(args, key, value)


def cmd_form(args: argparse.Namespace) -> int:
    """``form PLAN [--preset] [--set K=V]… [--save-as NAME]`` and ``form show|set|list|save``."""
    from cxdesk.errors import UserError

    words = list(args.words)
    action = words.pop(0) if words and words[0] in _ACTIONS else ""
    if action == "list":
        return cmd_form_list(args)
    if not words:
        raise UserError("Укажите план: cxdesk form PLAN (список планов: cxdesk plans).")
    args.plan = words.pop(0)
    if action == "save":
        if len(words) != 1:
            raise UserError("Укажите имя формы: cxdesk form save PLAN ИМЯ.")
        args.name = words[0]
        return cmd_form_save(args)
    if words:
        raise UserError(f"Лишние слова в команде: {' '.join(words)}.")
    _apply_sets(args)
    changing = any(
        getattr(args, name) is not None
        for name in ("preset", "columns", "numbering", "blocks", "sections", "title",
                     "approval", "signature", "number_row", "repeat", "excluded", "footnotes",
                     "signature_text", "executor")
    ) or args.reset  # fmt: skip
    if changing:
        cmd_form_set(args)
    elif not args.save_as:
        return cmd_form_show(args)
    if args.save_as:
        args.name = args.save_as
        return cmd_form_save(args)
    return 0


def cmd_forms(args: argparse.Namespace) -> int:
    return cmd_form_list(args)


def register(sub: Any) -> None:
    """Adds ``form`` (with ``show|set|list|save`` or the plan first, as the contract has it)
    and ``forms``."""
    p = sub.add_parser(
        "form",
        help="форма печати плана: графы, нумерация, гриф, подпись",
        description="cxdesk form PLAN [--preset ИМЯ] [--set КЛЮЧ=ЗНАЧЕНИЕ]… [--save-as ИМЯ]; "
        "или form show PLAN, form set PLAN …, form list, form save PLAN ИМЯ.",
    )
    p.add_argument("words", nargs="+", metavar="[show|set|list|save] PLAN")
    p.add_argument("--preset", metavar="NAME|FILE", help="взять за основу форму (cxdesk forms)")
    p.add_argument("--reset", action="store_true", help="вернуть форму шаблона плана")
    p.add_argument("--set", action="append", metavar="КЛЮЧ=ЗНАЧЕНИЕ", help="изменить поле формы")
    p.add_argument("--save-as", metavar="ИМЯ", help="сохранить форму плана под именем")
    p.add_argument("--columns", metavar="KEY=ЗАГОЛОВОК,…", help="графы; «Верх/Низ» — двухрядная")
    p.add_argument("--numbering", choices=["source", "hierarchical", "flat"])
    p.add_argument("--blocks", choices=["arabic", "roman", "none"])
    yes_no = list(_YES_NO)
    for name, what in (
        ("sections", "нумеровать разделы"),
        ("approval", "гриф «УТВЕРЖДАЮ» над таблицей"),
        ("signature", "подпись под таблицей"),
        ("number-row", "строка номеров граф"),
        ("excluded", "печатать исключённые пункты"),
        ("footnotes", "сноски шаблона под таблицей"),
    ):
        p.add_argument(f"--{name}", choices=yes_no, help=what)
    p.add_argument("--repeat", choices=["all", "numbers", "none"], help="что повторять на листах")
    p.add_argument("--title", help="заголовок над таблицей («» — название плана)")
    p.add_argument("--signature-text", metavar="ТЕКСТ", help="подпись; строки через \\n")
    p.add_argument("--executor", metavar="ТЕКСТ", help="строка «Исп.: …»")
    add_json(p)
    p.set_defaults(handler=cmd_form)

    p = sub.add_parser("forms", help="встроенные и сохранённые формы печати")
    add_json(p)
    p.set_defaults(handler=cmd_forms)
