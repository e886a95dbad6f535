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
    emit(args, {"form": got.form.to_dict(), "own": got.own}, "\n".join(got.form.describe()))
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


def register(sub: Any) -> None:
    """Adds ``form`` and its subcommands."""
    p = sub.add_parser("form", help="форма печати плана: графы, нумерация, гриф, подпись")
    fsub = p.add_subparsers(dest="form_command", metavar="show|set|list|save", required=True)

    q = fsub.add_parser("show", help="показать форму плана")
    q.add_argument("plan")
    add_json(q)
    q.set_defaults(handler=cmd_form_show)

    q = fsub.add_parser("set", help="изменить форму плана")
    q.add_argument("plan")
    q.add_argument("--preset", metavar="NAME|FILE", help="взять за основу форму (cxdesk form list)")
    q.add_argument("--reset", action="store_true", help="вернуть форму шаблона плана")
    q.add_argument("--columns", metavar="KEY=ЗАГОЛОВОК,…", help="графы; «Верх/Низ» — двухрядная")
    q.add_argument("--numbering", choices=["source", "hierarchical", "flat"])
    q.add_argument("--blocks", choices=["arabic", "roman", "none"])
    yes_no = list(_YES_NO)
    for name, what in (
        ("sections", "нумеровать разделы"),
        ("approval", "гриф «УТВЕРЖДАЮ» над таблицей"),
        ("signature", "подпись под таблицей"),
        ("number-row", "строка номеров граф"),
        ("excluded", "печатать исключённые пункты"),
        ("footnotes", "сноски шаблона под таблицей"),
    ):
        q.add_argument(f"--{name}", choices=yes_no, help=what)
    q.add_argument("--repeat", choices=["all", "numbers", "none"], help="что повторять на листах")
    q.add_argument("--title", help="заголовок над таблицей («» — название плана)")
    q.add_argument("--signature-text", metavar="ТЕКСТ", help="подпись; строки через \\n")
    q.add_argument("--executor", metavar="ТЕКСТ", help="строка «Исп.: …»")
    add_json(q)
    q.set_defaults(handler=cmd_form_set)

    q = fsub.add_parser("list", help="встроенные и сохранённые формы")
    add_json(q)
    q.set_defaults(handler=cmd_form_list)

    q = fsub.add_parser("save", help="сохранить форму плана под именем")
    q.add_argument("plan")
    q.add_argument("name")
    add_json(q)
    q.set_defaults(handler=cmd_form_save)
