"""«План → Сроки в календарь…» and «План → Отчёт о ходе реализации…».

The calendar: a save dialog for the .ics (named after the organisation), the file written on the
database thread, then «Открыть файл» / «Показать в папке» and a note that Outlook and Thunderbird
open it. The report: a dialog for the date (today by default), the format (Word or PDF) and the
file; the report is made on the database thread with a progress dialog after 600 ms.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from cxdesk.domain.deadlines import format_date
from cxdesk.services.calendar_export import calendar_rows, write_calendar
from cxdesk.services.common import today
from cxdesk.services.progress_report import export_progress_report
from cxdesk.services.views import PlanView, get_plan
from cxdesk.text import plural

from ui import msgbox
from ui.beyond import common as B
from ui.exchange import common as C
from ui.tasks import tasks_of

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

CALENDAR_NOTE = (
    "Файл откроют Outlook и Thunderbird (и другие программы-календари): каждый срок — событие "
    "на весь день с напоминанием за 7 дней. Если загрузить файл ещё раз, события обновятся, "
    "а не удвоятся."
)
REPORT_FORMATS = {"docx": "Документ Word (.docx)", "pdf": "PDF (.pdf)"}


Then = Callable[[Path | None], object]


def _with_plan(
    window: MainWindow,
    plan_id: int | None,
    then: Callable[[PlanView], object],
    done: Callable[[None], object],
) -> None:
    """Reads the plan (the open one when ``plan_id`` is None) on the database thread, then
    ``then(plan)``; ``done(None)`` when there is none."""
    if plan_id is None:
        window.panel.commit()
        plan_id = window.current_plan_id
    if not plan_id:
        done(None)
        return
    chosen = plan_id
    tasks_of(window).run(
        lambda st: get_plan(st, chosen), parent=window, success=then, failure=C.ends_with(done)
    )


def save_calendar(
    window: MainWindow,
    path: Path | None = None,
    plan_id: int | None = None,
    then: Then | None = None,
) -> None:
    """«Сроки в календарь…»: writes the plan's deadlines to an .ics; ``then`` gets the file (or
    None: nothing to write, declined, failed)."""
    done = then or C.nothing
    _with_plan(window, plan_id, lambda plan: _ask_calendar(window, plan, path, done), done)


def _ask_calendar(window: MainWindow, plan: PlanView, path: Path | None, done: Then) -> None:
    if not calendar_rows(plan):
        msgbox.information(
            window,
            "В плане нет невыполненных пунктов с датой срока: в календарь записывать нечего.",
            detail="Сроки вида «IV квартал 2026 года» в календарь попадают; нераспознанные — нет.",
        )
        done(None)
        return
    coming = calendar_rows(plan, include_past=False)
    past = len(calendar_rows(plan)) - len(coming)
    include_past = False
    if past and not coming:
        include_past = msgbox.question(
            window,
            f"Все сроки плана, которые есть в календаре, уже прошли ({past}). Записать их?",
            yes="Записать прошедшие",
            no="Отмена",
        )
        if not include_past:
            done(None)
            return
    elif past:
        # only the deadlines to come by default; the past ones only when asked for
        include_past = not msgbox.question(
            window,
            f"Записать в календарь {plural(len(coming), 'срок', 'срока', 'сроков')}, которые "
            f"ещё впереди? Ещё {past} уже прошли (пункты просрочены).",
            yes="Только предстоящие",
            no="Все, и прошедшие",
        )
    org = C.flat(plan.org or plan.title)
    if path is None:
        name = f"Сроки — {B.file_base(org)}.ics"
        chosen = B.ask_save_path(
            window, "Сохранить сроки в календарь", B.proposed_path(window, name), ("ics",)
        )
        if chosen is None:
            done(None)
            return
        path = chosen[0]
    target = path

    def written(result: tuple[Path, int]) -> None:
        out, events = result
        B.remember(window, out)
        count = plural(events, "срок", "срока", "сроков")
        C.finished(window, f"В календарь «{out.name}» записано {count}.", out,
                   detail=f"{CALENDAR_NOTE}\n\nПапка: {out.parent}")  # fmt: skip
        done(out)

    tasks_of(window).run(
        lambda st: write_calendar(st, plan, target, include_past),
        parent=window,
        success=written,
        failure=C.ends_with(done),
        label=f"Запись «{target.name}»…",
    )


class ReportDialog(QDialog):
    """The report's date, format and file; :meth:`accept` writes it (``written`` then holds it)."""

    def __init__(self, window: MainWindow, plan_id: int, org: str) -> None:
        super().__init__(window)
        self.setObjectName("reportDialog")
        self.setWindowTitle("Отчёт о ходе реализации плана")
        self.window_ = window
        self.plan_id = plan_id
        self.org = org
        self.written: Path | None = None
        self._named = ""  # the name we proposed; a name the user typed is kept
        layout = QVBoxLayout(self)
        about = QLabel(f"План: {org}", self)
        about.setWordWrap(True)
        layout.addWidget(about)
        form = QFormLayout()
        self.as_of = QDateEdit(self)
        self.as_of.setObjectName("reportAsOf")
        self.as_of.setDisplayFormat("dd.MM.yyyy")
        self.as_of.setCalendarPopup(True)
        t = today()
        self.as_of.setDate(QDate(t.year, t.month, t.day))
        self.as_of.setMaximumDate(QDate(t.year, t.month, t.day))
        self.as_of.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        form.addRow("&На дату:", self.as_of)
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("reportFormat")
        self.format_combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        for key, title in REPORT_FORMATS.items():
            self.format_combo.addItem(title, key)
        form.addRow("&Формат:", self.format_combo)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("reportPath")
        self.path_edit.setMinimumWidth(560)
        browse = QPushButton("&Обзор…", self)
        browse.setObjectName("reportBrowse")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        path_label = QLabel("&Файл:", self)
        path_label.setBuddy(self.path_edit)
        form.addRow(path_label, row)
        self.with_timeline = QCheckBox("Добавить &график плана (страницы по кварталам)", self)
        self.with_timeline.setObjectName("reportTimeline")
        form.addRow("", self.with_timeline)
        layout.addLayout(form)
        note = QLabel(
            "Для прошедшей даты состояние пунктов берётся из истории изменений на конец того "
            "дня; документы, прикреплённые позже, в отчёт не входят.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(C.quiet(note))
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("&Сохранить", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("reportSave")
        buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.as_of.dateChanged.connect(lambda _d: self._propose())
        self.format_combo.currentIndexChanged.connect(lambda _i: self._propose())
        self._propose(B.proposed_path(window, "x").parent)

    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def date(self) -> date:
        d = self.as_of.date()
        return date(d.year(), d.month(), d.day())

    def path(self) -> Path:
        path = Path(self.path_edit.text().strip().strip('"')).expanduser()
        if path.suffix.lower() != "." + self.fmt():
            path = path.with_name(f"{path.name}.{self.fmt()}")
        return path

    def _propose(self, folder: Path | None = None) -> None:
        current = self.path_edit.text().strip()
        if current and Path(current).name != self._named:
            if Path(current).suffix.lower() in (".docx", ".pdf"):  # the user's name, new format
                self.path_edit.setText(str(Path(current).with_suffix("." + self.fmt())))
            return
        folder = folder or (Path(current).parent if current else B.proposed_path(self, "x").parent)
        self._named = (
            f"{B.file_base(self.org)} — отчёт о ходе на {format_date(self.date())}.{self.fmt()}"
        )
        self.path_edit.setText(str(folder / self._named))
        self.path_edit.setCursorPosition(0)

    def _browse(self) -> None:
        chosen = B.ask_save_path(self, "Сохранить отчёт", self.path(), (self.fmt(),))
        if chosen is not None:
            self.path_edit.setText(str(chosen[0]))

    def accept(self) -> None:
        if not self.path_edit.text().strip():
            msgbox.warning(self, "Укажите файл, в который сохранить отчёт.")
            return
        path, fmt, as_of, plan_id = self.path(), self.fmt(), self.date(), self.plan_id
        timeline = self.with_timeline.isChecked()
        if not path.parent.is_dir():
            msgbox.warning(self, f"Папки «{path.parent}» нет. Выберите папку кнопкой «Обзор…».")
            return
        if path.exists() and not msgbox.question(
            self, f"Файл «{path.name}» уже есть. Заменить его?", yes="Заменить"
        ):
            return

        def work(store: Any) -> Path:
            return export_progress_report(store, plan_id, path, as_of, timeline, fmt)[0]

        def written(out: Path) -> None:
            self.save_button.setEnabled(True)
            self.written = out
            B.remember(self, out)
            super(ReportDialog, self).accept()

        def failed(_exc: BaseException) -> bool:
            self.save_button.setEnabled(True)
            return False  # the error dialog says what went wrong; the dialog stays open

        self.save_button.setEnabled(False)  # one report at a time, however often it is pressed
        tasks_of(self.window_).run(
            work, parent=self, success=written, failure=failed, label="Составление отчёта…"
        )


def report_dialog(
    window: MainWindow,
    plan_id: int | None = None,
    then: Callable[[ReportDialog | None], object] = C.nothing,
) -> None:
    """The report dialog for the plan (the open one by default), not yet shown, to ``then``."""

    def made(plan: PlanView) -> None:
        then(ReportDialog(window, plan.id, C.flat(plan.org or plan.title)))

    _with_plan(window, plan_id, made, then)


def save_report(window: MainWindow, then: Then | None = None) -> None:
    """«Отчёт о ходе реализации…»: asks, writes, says where; ``then`` gets the file or None."""
    done = then or C.nothing

    def ask(dialog: ReportDialog | None) -> None:
        if dialog is None or dialog.exec() != QDialog.DialogCode.Accepted or not dialog.written:
            done(None)
            return
        path = dialog.written
        on = format_date(dialog.date())
        C.finished(window, f"Отчёт о ходе реализации плана на {on} сохранён в файл «{path.name}».",
                   path, detail=f"Папка: {path.parent}")  # fmt: skip
        done(path)

    report_dialog(window, then=ask)
