"""The texts and tables of the progress report, made once for the docx
(cxdesk/io/report_writer.py) and the PDF (cxdesk/io/report_pdf.py).

Contents: title, body, as-of date; the totals; per block the counts and shares of done, in
progress, overdue and not started items; the overdue items with the people responsible and their
deadlines; the done items with their results, documents and completion dates.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxdesk.domain.reports import REPORT_TITLE, Counts, ReportData


@dataclass
class Part:
    """One numbered part of the report: a heading, text lines, and an optional table."""

    heading: str
    lines: list[str]
    headers: tuple[str, ...] = ()
    rows: list[list[str]] | None = None
    widths_mm: tuple[float, ...] = ()
    bold_last: bool = False


def share_text(value: int, counts: Counts) -> str:
    """«3 (37,5 %)»: a count with its share of the items to carry out."""
    if not counts.items:
        return str(value)
    return f"{value} ({counts.share(value) * 100:.1f} %)".replace(".", ",")


def _counts_line(label: str, c: Counts) -> list[str]:
    return [
        label, str(c.items), share_text(c.done, c), share_text(c.in_progress, c),
        share_text(c.overdue, c), share_text(c.not_started, c),
    ]  # fmt: skip


def report_heading(data: ReportData) -> list[str]:
    """The title lines: the report's name, the body, the date."""
    return [REPORT_TITLE, data.org, f"по состоянию на {data.as_of_text}"]


def report_parts(data: ReportData) -> list[Part]:
    """The report's numbered parts, the same in docx and PDF."""
    t = data.total
    overview = [
        f"Мероприятий к исполнению: {t.items}"
        + (f" (кроме того, исключено по согласованию: {t.excluded})" if t.excluded else "")
        + ".",
        f"Выполнено: {share_text(t.done, t)}; в работе: {share_text(t.in_progress, t)}; "
        f"просрочено: {share_text(t.overdue, t)}; не начато: {share_text(t.not_started, t)}.",
    ]
    if t.done_without_proof:
        overview.append(f"Выполнено без подтверждающего документа: {t.done_without_proof}.")
    blocks = [_counts_line(f"{b.number} {b.title}".strip(), b) for b in data.blocks]
    blocks.append(_counts_line("Итого", t))
    overdue = [
        [o.number, o.title, f"{o.deadline}\n(до {o.due})" if o.deadline != o.due else o.due,
         o.responsible or "не назначен", str(o.days_late)]
        for o in data.overdue
    ]  # fmt: skip
    done = [
        [
            d.number, d.title, d.result or "—",
            "\n".join(f"{name} (от {added})" for name, added in d.files)
            or "документ не прикреплён",
            d.done_date or "—",
        ]
        for d in data.done
    ]  # fmt: skip
    return [
        Part("1. Общие сведения", overview),
        Part(
            "2. Исполнение по блокам",
            [],
            ("Блок", "Всего", "Выполнено", "В работе", "Просрочено", "Не начато"),
            blocks,
            (52, 16, 25.5, 25.5, 25.5, 25.5),
            bold_last=True,
        ),
        Part(
            "3. Просроченные мероприятия",
            [] if overdue else ["Просроченных мероприятий нет."],
            ("№", "Мероприятие", "Срок", "Ответственный", "Просрочено, дней"),
            overdue or None,
            (16, 62, 30, 40, 22),
        ),
        Part(
            "4. Выполненные мероприятия",
            [] if done else ["Выполненных мероприятий пока нет."],
            ("№", "Мероприятие", "Результат", "Документы", "Дата выполнения"),
            done or None,
            (16, 46, 38, 44, 26),
        ),
    ]
