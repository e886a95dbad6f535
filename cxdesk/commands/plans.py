"""Commands on templates, plans and items: templates, questions, new, answer, exclude, edit,
plans, show, set, history."""

from __future__ import annotations

import argparse
from typing import Any

from cxdesk.cli import add_json, emit, open_store
from cxdesk.domain.item_fields import FIELDS, ITEM_FIELDS, STATUS_TITLES
from cxdesk.errors import UserError
from cxdesk.text import items as items_text

YES = {"yes", "y", "да", "д", "true", "1", "on"}
NO = {"no", "n", "нет", "н", "false", "0", "off"}

STATUS_RU = {key: title.lower() for key, title in STATUS_TITLES.items()}


def parse_answers(pairs: list[str]) -> dict[str, bool]:
    """Reads ``ID=yes|no`` pairs."""
    out: dict[str, bool] = {}
    for pair in pairs:
        qid, sep, value = pair.partition("=")
        v = value.strip().lower()
        if not sep or not qid.strip() or v not in YES | NO:
            raise UserError(f"Ответ «{pair}» не понят: пишите ID=yes или ID=no.")
        out[qid.strip()] = v in YES
    return out


def cmd_templates(args: argparse.Namespace) -> int:
    from cxdesk.domain.templates import all_templates

    templates = all_templates()
    data = [
        {"id": t.id, "title": t.title, "version": t.version, "items": len(t.items())}
        for t in templates
    ]
    emit(args, data, lambda: "\n".join(
        f"{t.id:<10} {items_text(len(t.items())):>11}  {t.title}" for t in templates
    ))  # fmt: skip
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    from cxdesk.domain.templates import get_template

    t = get_template(args.template)
    data = [{"id": q.id, "text": q.text, "help": q.help, "default": q.default} for q in t.questions]

    def text() -> str:
        if not data:
            return f"У шаблона «{t.id}» нет вопросов: все пункты обязательны."
        return "\n\n".join(f"{q['id']}: {q['text']}\n  ({q['help']})" for q in data)

    emit(args, data, text)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from cxdesk.domain.building import PlanRequest, resolve_template_refs
    from cxdesk.domain.templates import get_template
    from cxdesk.services.plans import create_plan
    from cxdesk.services.views import get_plan

    template = get_template(args.template)
    exclusions: dict[str, str] = {}
    for pair in args.exclude or []:
        ref, sep, basis = pair.partition("=")
        if not sep:
            raise UserError(f"«{pair}»: пишите --exclude НОМЕР=основание.")
        (one,) = resolve_template_refs(template, [ref])
        exclusions[one] = basis
    request = PlanRequest(
        template_id=template.id,
        org=args.org,
        title=args.title or "",
        answers=parse_answers(args.answer or []),
        done=resolve_template_refs(template, args.done or []),
        exclusions=exclusions,
        default_responsible=args.responsible or "",
        approver_position=args.approver_position or "",
        approver_name=args.approver_name or "",
        approval_date=args.approval_date or "",
        default_deadline=args.deadline or "",
        past_deadlines=args.past_deadlines,
    )
    if request.past_deadlines == "shift":
        from cxdesk import clock
        from cxdesk.domain.building import past_template_deadlines
        from cxdesk.domain.past_deadlines import years_to_catch_up

        past = past_template_deadlines(template, request)
        request.shift_years = args.shift_years or years_to_catch_up(past, clock.today())
    store = open_store(args)
    plan_id = create_plan(store, request).plan_id
    items = len(get_plan(store, plan_id).items())
    emit(args, {"plan": plan_id, "items": items}, f"Создан план {plan_id}: {items_text(items)}.")
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    from cxdesk.services.plans import change_answers

    change = change_answers(open_store(args), args.plan, parse_answers(args.pairs), args.dry_run)
    data = {
        "plan": change.plan_id,
        "added": change.added,
        "removed": change.removed,
        "kept_excluded": change.kept_excluded,
    }
    emit(args, data, lambda: (
        f"План {change.plan_id}: добавлено {len(change.added)}, удалено {len(change.removed)}, "
        f"оставлено как исключённые {len(change.kept_excluded)}"
        + (" (проверка, ничего не изменено)" if args.dry_run else "")
    ))  # fmt: skip
    return 0


def cmd_exclude(args: argparse.Namespace) -> int:
    from cxdesk.services.plans import exclude_item

    changes = exclude_item(open_store(args), args.plan, args.item, args.basis)
    (row_id,) = changes.row_ids
    emit(args, {"id": row_id, "status": "excluded"}, f"Пункт {args.item} исключён: {args.basis}")
    return 0


def _lines(text: str | None) -> str | None:
    """A multi-line field typed on the command line: «\\n» starts a new line."""
    return None if text is None else text.replace("\\n", "\n").strip()


def cmd_edit(args: argparse.Namespace) -> int:
    from cxdesk.services.plans import edit_plan

    values = {
        k: v
        for k, v in {
            "org": args.org,
            "title": args.title,
            "approver_position": args.approver_position,
            "approver_name": args.approver_name,
            "approval_date": args.approval_date,
            "signature": _lines(args.signature),
            "executor": _lines(args.executor),
        }.items()
        if v is not None
    }
    if not values:
        raise UserError("Нечего менять: укажите хотя бы одно поле (--org, --title, --approver-…).")
    edit_plan(open_store(args), args.plan, **values)
    emit(args, {"id": int(args.plan) if str(args.plan).isdecimal() else args.plan}, "Сохранено.")
    return 0


def cmd_plans(args: argparse.Namespace) -> int:
    from cxdesk.services.views import list_plans

    plans = list_plans(open_store(args))
    data = [
        {"id": p.id, "org": p.org, "template": p.template_id, "items": p.items,
         "done": p.done, "overdue": p.overdue}
        for p in plans
    ]  # fmt: skip

    def text() -> str:
        if not plans:
            return (
                "Планов пока нет. Создайте: cxdesk new agency --org «…» "
                "(или откройте окно: cxdesk)."
            )
        return "\n".join(
            f"{p.id:>4}  {p.template_id or 'файл':<10} выполнено {p.done}/{p.items}"
            f"{'  просрочено ' + str(p.overdue) if p.overdue else ''}  {p.org}"
            for p in plans
        )

    emit(args, data, text)
    return 0


def row_json(r: Any) -> dict[str, Any]:
    return {
        "id": r.id, "kind": r.kind, "number": r.number, "ref": r.ref, "title": r.title,
        "start": r.start, "deadline": r.deadline, "responsible": r.responsible,
        "result": r.result, "document": r.document, "status": r.shown_status,
        "basis": r.basis, "attachments": r.attachments,
    }  # fmt: skip


def cmd_show(args: argparse.Namespace) -> int:
    from cxdesk.services.views import get_plan

    plan = get_plan(open_store(args), args.plan)
    data = {
        "id": plan.id, "org": plan.org, "template": plan.template_id, "answers": plan.answers,
        "title": plan.title, "approver_position": plan.approver_position,
        "approver_name": plan.approver_name, "approval_date": plan.approval_date,
        "signature": plan.signature, "executor": plan.executor,
        "rows": [row_json(r) for r in plan.rows],
    }  # fmt: skip

    def text() -> str:
        lines = [f"План {plan.id}: {plan.org}", plan.title, ""]
        for r in plan.rows:
            indent = "  " * r.depth
            if r.kind != "item":
                lines.append(f"{indent}{r.number} {r.title}")
                continue
            status = STATUS_RU.get(r.shown_status, r.shown_status)
            due = f" [{r.deadline}]" if r.deadline else ""
            lines.append(f"{indent}{r.number} {r.title}{due} — {status}")
        return "\n".join(lines)

    emit(args, data, text)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from cxdesk.services.items import item_view, update_item

    values = {k: v for k in ITEM_FIELDS if (v := getattr(args, k, None)) is not None}
    note = args.comment or ""
    if not values:
        raise UserError("Нечего менять: укажите --status, --deadline, --result или другое поле.")
    store = open_store(args)
    changes = update_item(store, args.plan, args.item, values, note)
    (row_id,) = changes.row_ids
    view = item_view(store, args.plan, f"#{row_id}")
    emit(args, {"id": view.id, "status": view.shown_status},
         f"Пункт {view.number}: {STATUS_RU.get(view.shown_status, view.shown_status)}")  # fmt: skip
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from cxdesk.services.plans import delete_plan

    if not args.yes:
        raise UserError(
            f"План {args.plan} будет удалён вместе с историей, и это нельзя отменить. "
            "Повторите команду с --yes."
        )
    changes = delete_plan(open_store(args), args.plan)
    (plan_id,) = changes.plan_ids
    emit(args, {"id": plan_id}, f"План {plan_id} удалён.")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from cxdesk.services.items import item_history

    entries = item_history(open_store(args), args.plan, args.item)
    data = [e.__dict__ for e in entries]
    emit(args, data, lambda: "\n".join(
        f"{e.at[:19].replace('T', ' ')}  {e.user:<12} {e.field}: «{e.old}» → «{e.new}»"
        + (f"  ({e.note})" if e.note else "")
        for e in entries
    ) or "Изменений нет.")  # fmt: skip
    return 0


def register(sub: Any) -> None:
    """Adds this module's commands."""
    p = sub.add_parser("templates", help="встроенные типовые планы")
    add_json(p)
    p.set_defaults(handler=cmd_templates)

    p = sub.add_parser("questions", help="вопросы о включении пунктов")
    p.add_argument("template")
    add_json(p)
    p.set_defaults(handler=cmd_questions)

    p = sub.add_parser("new", help="создать план по типовому (как мастер)")
    p.add_argument("template")
    p.add_argument("--org", required=True, help="организация (орган власти)")
    p.add_argument("--title", help="название плана над таблицей")
    p.add_argument("--answer", action="append", metavar="ID=yes|no")
    p.add_argument("--done", action="append", metavar="NUMBER", help="пункт уже выполнен")
    p.add_argument("--exclude", action="append", metavar="NUMBER=BASIS",
                   help="пункт исключён по согласованию с АЦ, с основанием")  # fmt: skip
    p.add_argument("--responsible", help="ответственный по умолчанию")
    p.add_argument("--deadline", help="срок по умолчанию (где типовой план не даёт срока)")
    p.add_argument("--past-deadlines", choices=["keep", "default", "shift"], default="keep",
                   help="сроки типового плана, которые уже прошли: оставить; заменить сроком "
                        "по умолчанию; перенести на целые годы")  # fmt: skip
    p.add_argument(
        "--shift-years",
        type=int,
        metavar="N",
        help="на сколько лет перенести (по умолчанию — чтобы ни один не был в прошлом)",
    )
    p.add_argument("--approver-position")
    p.add_argument("--approver-name")
    p.add_argument("--approval-date")
    add_json(p)
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("answer", help="изменить ответы плана")
    p.add_argument("plan")
    p.add_argument("pairs", nargs="+", metavar="ID=yes|no")
    p.add_argument("--dry-run", action="store_true", help="только показать, что изменится")
    add_json(p)
    p.set_defaults(handler=cmd_answer)

    p = sub.add_parser("exclude", help="исключить пункт по согласованию с АЦ")
    p.add_argument("plan")
    p.add_argument("item")
    p.add_argument("--basis", required=True, help="основание (письмо, его номер и дата)")
    add_json(p)
    p.set_defaults(handler=cmd_exclude)

    p = sub.add_parser("edit", help="изменить поля плана и блок «УТВЕРЖДАЮ»")
    p.add_argument("plan")
    for opt in ("--org", "--title", "--approver-position", "--approver-name", "--approval-date"):
        p.add_argument(opt)
    p.add_argument("--signature", help="подпись под таблицей (строки через \\n)")
    p.add_argument("--executor", help="строка исполнителя («Исп.: …»)")
    add_json(p)
    p.set_defaults(handler=cmd_edit)

    p = sub.add_parser("plans", help="список планов")
    add_json(p)
    p.set_defaults(handler=cmd_plans)

    p = sub.add_parser("show", help="план построчно")
    p.add_argument("plan")
    add_json(p)
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("set", help="изменить пункт (статус, срок, результат …)")
    p.add_argument("plan")
    p.add_argument("item", help="номер пункта (1.1) или его id")
    for f in FIELDS:  # every field the item panel edits, by construction
        p.add_argument(f.flag, dest=f.name, help=f.help)
    p.add_argument("--comment", help="комментарий к изменению (в истории)")
    add_json(p)
    p.set_defaults(handler=cmd_set)

    p = sub.add_parser("delete", help="удалить план вместе с историей")
    p.add_argument("plan")
    p.add_argument("--yes", action="store_true", help="да, удалить (отменить нельзя)")
    add_json(p)
    p.set_defaults(handler=cmd_delete)

    p = sub.add_parser("history", help="история изменений пункта")
    p.add_argument("plan")
    p.add_argument("item")
    add_json(p)
    p.set_defaults(handler=cmd_history)
