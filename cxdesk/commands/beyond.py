"""Commands beyond the spreadsheet: audit, summary, calendar, guidance, report, timeline."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from cxdesk.cli import add_json, emit, open_store
from cxdesk.errors import UserError


def _as_of(text: str | None) -> date | None:
    if not text:
        return None
    from cxdesk.domain.deadlines import parse_user_date

    d = parse_user_date(text)
    if d is None:
        raise UserError(
            f"«{text}» — не дата. Укажите --as-of в виде ДД.ММ.ГГГГ, например 01.12.2026."
        )
    return d


def cmd_audit(args: argparse.Namespace) -> int:
    from cxdesk.domain.reports import PROBLEMS
    from cxdesk.services.audit import audit_plan, export_findings, finding_rows
    from cxdesk.services.views import get_plan

    store = open_store(args)
    plan = get_plan(store, args.plan)
    findings = audit_plan(store, plan)
    if args.output:
        path = export_findings(findings, plan.org or f"план {plan.id}", Path(args.output))
        emit(
            args,
            {"path": str(path), "findings": len(findings)},
            f"Замечаний: {len(findings)}. Список записан: {path}",
        )
        return 0

    def text() -> str:
        if not findings:
            return "Замечаний нет: план соответствует типовому плану."
        lines = [f"Замечаний: {len(findings)}"]
        lines += [f"{f.item:<14} {PROBLEMS[f.problem]}: {f.detail}" for f in findings]
        return "\n".join(lines)

    emit(args, finding_rows(findings), text)
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from cxdesk.domain.reports import Counts
    from cxdesk.services.summary import summarize, summary_json

    summary = summarize(open_store(args), args.plans or None)
    if args.output:
        from cxdesk.io.summary_writer import write_summary

        path = write_summary(summary, Path(args.output))
        emit(args, {"path": str(path), "plans": len(summary.plans)}, f"Сводка записана: {path}")
        return 0

    def text() -> str:
        if not summary.plans:
            return "Планов нет: сводить нечего."
        head = f"{'план':>5} {'пунктов':>7} {'выполн.':>7} {'в работе':>8} {'просроч.':>8}  орган"
        lines = [head]
        rows: list[tuple[str, Counts, str]] = [(str(p.plan), p, p.org) for p in summary.plans]
        rows.append(("итого", summary.total, ""))
        for label, c, org in rows:
            lines.append(
                f"{label:>5} {c.items:>7} {c.done:>7} {c.in_progress:>8} {c.overdue:>8}  {org}"
            )
        return "\n".join(lines)

    emit(args, summary_json(summary), text)
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from cxdesk.services.calendar_export import write_calendar

    path, events = write_calendar(
        open_store(args), args.plan, Path(args.output), include_past=not args.upcoming_only
    )
    emit(
        args,
        {"path": str(path), "events": events},
        f"Сроков в календаре: {events}. Файл: {path} (откройте его в Outlook или Thunderbird).",
    )
    return 0


def cmd_guidance(args: argparse.Namespace) -> int:
    from cxdesk.services.guidance import guidance_for_item

    row, found = guidance_for_item(open_store(args), args.plan, args.item)
    data: dict[str, Any] = {
        "item": row.number,
        "ref": row.ref,
        "title": row.title,
        "guidance": [
            {
                "id": g.id, "federal_item": g.federal_item, "title": g.title,
                "subject": g.subject, "method": list(g.method), "result": g.result,
                "forms": list(g.forms), "reason": g.reason, "same_as": g.same_as_item,
            }
            for g in found
        ],
    }  # fmt: skip

    def text() -> str:
        if not found:
            return (
                f"{row.number} {row.title}\nРекомендаций Аналитического центра к этому пункту нет."
            )
        parts = [f"{row.number} {row.title}"]
        for g in found:
            parts.append(
                f"\nРекомендация к п. {g.federal_item} «{g.title}»\n"
                f"Почему: {g.reason}\n{g.method_text()}\nРезультат: {g.result}"
            )
        return "\n".join(parts)

    emit(args, data, text)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from cxdesk.services.progress_report import export_progress_report

    path, data = export_progress_report(
        open_store(args), args.plan, Path(args.output), _as_of(args.as_of), args.timeline
    )
    emit(args, {"path": str(path)}, f"Отчёт на {data.as_of_text} записан: {path}")
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from cxdesk.services.timeline import export_timeline

    path, pages = export_timeline(
        open_store(args), args.plan, Path(args.output), args.zoom, args.paper
    )
    emit(args, {"path": str(path), "pages": pages}, f"График записан ({pages} стр.): {path}")
    return 0


def register(sub: Any) -> None:
    """Adds this module's commands."""
    p = sub.add_parser(
        "audit",
        help="проверить план по типовому плану",
        description=(
            "Проверяет план по типовому плану. Виды замечаний: missing, contradicts_answers, "
            "wording_changed, done_without_proof, document_mismatch, deadline_unreadable."
        ),
    )
    p.add_argument("plan")
    p.add_argument("-o", "--output", help="записать список замечаний в файл .docx или .xlsx")
    add_json(p)
    p.set_defaults(handler=cmd_audit)

    p = sub.add_parser("summary", help="сводка по нескольким планам (по умолчанию — по всем)")
    p.add_argument("plans", nargs="*", metavar="PLAN")
    p.add_argument("-o", "--output", help="записать сводку в файл .xlsx или .docx")
    add_json(p)
    p.set_defaults(handler=cmd_summary)

    p = sub.add_parser("calendar", help="сроки плана как календарь (.ics) с напоминаниями")
    p.add_argument("plan")
    p.add_argument("-o", "--output", required=True, help="файл .ics")
    p.add_argument("--upcoming-only", action="store_true",
                   help="только сроки, которые ещё впереди (как предлагает окно)")  # fmt: skip
    add_json(p)
    p.set_defaults(handler=cmd_calendar)

    p = sub.add_parser("guidance", help="рекомендации Аналитического центра к пункту")
    p.add_argument("plan")
    p.add_argument("item")
    add_json(p)
    p.set_defaults(handler=cmd_guidance)

    p = sub.add_parser("report", help="отчёт о ходе реализации плана (.docx или .pdf)")
    p.add_argument("plan")
    p.add_argument("-o", "--output", required=True, help="файл .docx или .pdf")
    p.add_argument("--as-of", help="дата отчёта ДД.ММ.ГГГГ (по умолчанию сегодня)")
    p.add_argument(
        "--timeline", action="store_true", help="добавить страницы с графиком плана (по кварталам)"
    )
    add_json(p)
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser(
        "timeline",
        help="план на оси времени (.pdf или .png, A4 или A3 альбомная)",
        description=(
            "Рисует план на оси времени: полоса от даты начала (или даты утверждения плана) до "
            "срока, цвет и узор по статусу, линия сегодняшнего дня. Широкий или длинный график "
            "занимает несколько страниц; у PNG вторая и следующие страницы — ИМЯ-2.png и далее."
        ),
    )
    p.add_argument("plan")
    p.add_argument("-o", "--output", required=True, help="файл .pdf или .png")
    p.add_argument(
        "--zoom",
        default="quarter",
        choices=["month", "quarter", "year"],
        help="деления оси: месяцы, кварталы (по умолчанию) или годы",
    )
    p.add_argument(
        "--paper",
        default="A4",
        type=str.upper,
        choices=["A4", "A3"],
        help="лист в альбомной ориентации (по умолчанию A4)",
    )
    add_json(p)
    p.set_defaults(handler=cmd_timeline)
