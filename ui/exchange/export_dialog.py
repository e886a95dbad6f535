"""«Файл → Экспорт…»: the plan written to Word, Excel or PDF in its printed form.

The dialog asks for the format, the form (the plan's own — named in the dialog and edited with
«Форма…», see :mod:`ui.exchange.form_dialog` — or the forms with start and end dates or of a
progress report on a date), the font size, the margins (ГОСТ Р 7.0.97-2016 by default) and the
file, proposed from the organisation and today's date in the folder used last time. The export
runs on the database thread; an error keeps the dialog open so the user can change the file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cxdesk.io.model import ExportOptions
from cxdesk.services.common import today
from cxdesk.services.documents import export_plan, suggest_file_name
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from cxdesk.text import plural

from ui import msgbox
from ui import settings as S
from ui.exchange import common as C
from ui.tasks import tasks_of

#: Format key → what the user sees, and the file filter of the save dialog.
FORMAT_TITLES = {
    "docx": ("Документ Word (.docx)", "Документ Word (*.docx)"),
    "xlsx": ("Книга Excel (.xlsx)", "Книга Excel (*.xlsx)"),
    "pdf": ("PDF (.pdf)", "Документ PDF (*.pdf)"),
}
#: Layout key → its name and a line on what it prints.
LAYOUT_TITLES = {
    "official": ("Форма плана",
                 "Графы, нумерация, гриф и подпись — как в форме, сохранённой с планом "
                 "(кнопка «Форма…»)."),
    "dates": ("С датами начала и окончания",
              "Вместо одного срока — дата начала и дата окончания каждого мероприятия."),
    "report": ("Отчёт о ходе на дату",
               "С отметкой о выполнении каждого пункта на выбранную дату."),
}  # fmt: skip
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MARGINS = ("left", "right", "top", "bottom")
MARGIN_TITLES = {"left": "Левое", "right": "Правое", "top": "Верхнее", "bottom": "Нижнее"}


def formats() -> list[str]:
    """The formats the export writes."""
    return list(FORMAT_TITLES)


class ExportDialog(QDialog):
    """Export options and the file; :meth:`accept` writes the file.

    After a successful export :attr:`written` is (path, rows).
    """

    def __init__(self, parent: QWidget | None, store: Store, plan_id: int, org: str) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Экспорт плана")
        self.store = store
        self.plan_id = plan_id
        self.org = org
        self.written: tuple[Path, int] | None = None
        self._busy = False
        self._confirmed: Path | None = None  # a file the save dialog already agreed to replace
        settings = C.settings_for(parent)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        about = QLabel(f"План: {C.flat(org)}" if org else "", self)
        about.setObjectName("planLabel")
        about.setWordWrap(True)
        about.setVisible(bool(org))
        layout.addWidget(about)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("formatCombo")
        for key in formats():
            self.format_combo.addItem(FORMAT_TITLES[key][0], key)
        index = self.format_combo.findData(settings.get(S.EXPORT_FORMAT))
        self.format_combo.setCurrentIndex(max(index, 0))
        form.addRow("&Формат:", self.format_combo)
        layout.addLayout(form)

        # every export starts from the official form: a report chosen once must not stay
        layout.addWidget(self._layout_box("official"))
        self.layout_used = QLabel(self)
        self.layout_used.setObjectName("layoutUsed")
        self.layout_used.setWordWrap(True)
        layout.addWidget(self.layout_used)
        layout.addWidget(self._page_box(int(settings.get(S.EXPORT_FONT))))

        layout.addWidget(self._file_box(parent, org))

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("&Сохранить", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        cancel = buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancelButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.show_form()
        self._layout_changed()

    # --- parts -------------------------------------------------------------------------------
    def _layout_box(self, chosen: str) -> QGroupBox:
        box = QGroupBox("Вид документа", self)
        grid = QGridLayout(box)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        self.layout_group = QButtonGroup(self)
        self.layout_buttons: dict[str, QRadioButton] = {}
        row = 0
        for key, (title, hint) in LAYOUT_TITLES.items():
            button = QRadioButton(title, box)
            button.setObjectName(f"layout_{key}")
            self.layout_group.addButton(button)
            self.layout_buttons[key] = button
            grid.addWidget(button, row, 0)
            if key == "report":
                self.report_date = QDateEdit(box)
                self.report_date.setObjectName("reportDate")
                self.report_date.setDisplayFormat("dd.MM.yyyy")
                self.report_date.setCalendarPopup(True)
                t = today()
                self.report_date.setDate(QDate(t.year, t.month, t.day))
                self.report_date.setToolTip("Дата, на которую составлен отчёт о ходе исполнения")
                grid.addWidget(self.report_date, row, 1, alignment=Qt.AlignmentFlag.AlignLeft)
            if key == "official":
                self.form_button = QPushButton("Ф&орма…", box)
                self.form_button.setObjectName("formButton")
                self.form_button.setToolTip("Графы, нумерация, гриф, подпись — с предпросмотром")
                self.form_button.clicked.connect(self.edit_form)
                grid.addWidget(self.form_button, row, 1, alignment=Qt.AlignmentFlag.AlignLeft)
            note = QLabel(hint, box)
            note.setIndent(22)
            C.quiet(note)
            grid.addWidget(note, row + 1, 0, 1, 2)
            row += 2
            if key == "official":
                self.form_label = QLabel(box)
                self.form_label.setObjectName("formLabel")
                self.form_label.setIndent(22)
                self.form_label.setWordWrap(True)
                grid.addWidget(self.form_label, row, 0, 1, 2)
                row += 1
        self.layout_buttons.get(chosen, self.layout_buttons["official"]).setChecked(True)
        self.layout_group.buttonToggled.connect(lambda *_: self._layout_changed())
        return box

    def _file_box(self, parent: QWidget | None, org: str) -> QGroupBox:
        box = QGroupBox("Сохранить в файл", self)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.name_edit = QLineEdit(box)
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setMinimumWidth(440)
        form.addRow("&Имя файла:", self.name_edit)
        row = QHBoxLayout()
        self.folder_edit = QLineEdit(box)
        self.folder_edit.setObjectName("folderEdit")
        browse = QPushButton("&Обзор…", box)
        browse.setObjectName("browseButton")
        browse.setToolTip("Выбрать папку и имя файла")
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        folder_label = QLabel("Па&пка:", box)
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, row)
        folder = C.remembered_folder(parent, S.EXPORT_FOLDER)
        self.set_path(folder / suggest_file_name(org or "План", self.fmt()))
        return box

    def _page_box(self, font_size: int) -> QGroupBox:
        box = QGroupBox("Страница", self)
        grid = QGridLayout(box)
        self.font_size = QSpinBox(box)
        self.font_size.setObjectName("fontSize")
        self.font_size.setRange(12, 14)
        self.font_size.setSuffix(" пт")
        self.font_size.setValue(min(max(font_size, 12), 14))
        font_label = QLabel("&Размер шрифта:", box)
        font_label.setBuddy(self.font_size)
        grid.addWidget(font_label, 0, 0)
        grid.addWidget(self.font_size, 0, 1)
        grid.addWidget(QLabel("Поля:", box), 1, 0)
        self.margins: dict[str, QDoubleSpinBox] = {}
        for i, key in enumerate(MARGINS):
            spin = QDoubleSpinBox(box)
            spin.setObjectName(f"margin_{key}")
            spin.setRange(0.0, 60.0)
            spin.setDecimals(0)
            spin.setSuffix(" мм")
            spin.setToolTip(f"{MARGIN_TITLES[key]} поле")
            self.margins[key] = spin
            label = QLabel(MARGIN_TITLES[key].lower(), box)
            label.setBuddy(spin)
            grid.addWidget(label, 1 + i // 2, 1 + (i % 2) * 2, alignment=RIGHT)
            grid.addWidget(spin, 1 + i // 2, 2 + (i % 2) * 2)
        gost = QPushButton("По &ГОСТ Р 7.0.97-2016", box)
        gost.setObjectName("gostButton")
        gost.setToolTip("Левое 20 мм, правое 10 мм, верхнее и нижнее 20 мм")
        gost.clicked.connect(self.reset_margins)
        grid.addWidget(gost, 3, 1, 1, 4, alignment=Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(5, 1)
        self.reset_margins()
        return box

    # --- state -------------------------------------------------------------------------------
    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def layout_key(self) -> str:
        return next(k for k, b in self.layout_buttons.items() if b.isChecked())

    def as_of(self) -> date:
        chosen = self.report_date.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def options(self) -> ExportOptions:
        m = {k: float(s.value()) for k, s in self.margins.items()}
        return ExportOptions(
            layout=self.layout_key(), font_size=float(self.font_size.value()),
            margin_left_mm=m["left"], margin_right_mm=m["right"],
            margin_top_mm=m["top"], margin_bottom_mm=m["bottom"],
        )  # fmt: skip

    def path(self) -> Path:
        """The file to write: the folder and the name (a full path typed as the name wins)."""
        name = Path(self.name_edit.text().strip().strip('"')).expanduser()
        folder = Path(self.folder_edit.text().strip().strip('"')).expanduser()
        path = name if name.is_absolute() else folder / name
        if path.suffix.lower() != "." + self.fmt():
            path = path.with_name(path.name + "." + self.fmt())
        return path

    def set_path(self, path: Path) -> None:
        self.folder_edit.setText(str(path.parent))
        self.name_edit.setText(path.name)
        self.name_edit.setCursorPosition(0)
        self.folder_edit.setCursorPosition(0)

    def reset_margins(self) -> None:
        gost = ExportOptions()
        for key, spin in self.margins.items():
            spin.setValue(getattr(gost, f"margin_{key}_mm"))

    def _layout_changed(self) -> None:
        key = self.layout_key()
        self.report_date.setEnabled(key == "report")
        title, hint = LAYOUT_TITLES[key]
        self.layout_used.setText(f"<b>Будет сохранено:</b> {title.lower()}. {hint}")

    def show_form(self) -> None:
        """Names the form the plan is printed in, beside «Форма плана» (once it is read)."""
        from cxdesk.services.forms import plan_form

        plan_id = self.plan_id
        tasks_of(self).run(
            lambda st: plan_form(st, plan_id), parent=self.parentWidget(), success=self._form_read
        )

    def _form_read(self, got: Any) -> None:
        lines = got.form.describe()
        name = got.form.name or "своя"
        head = f"Форма «{name}»" if got.own else "Форма типового плана (графы шаблона)"
        approval = next(line for line in lines if line.startswith("Гриф"))
        self.form_label.setText("; ".join((head, lines[2], approval)))
        self.form_label.setToolTip("\n".join(lines))

    def edit_form(self) -> None:
        """The form dialog of the plan; the dialog then names the new form."""
        from ui.exchange.form_dialog import edit_form

        def edited(saved: bool) -> None:
            self.form_button.setEnabled(True)
            if saved:
                self.layout_buttons["official"].setChecked(True)
                self.show_form()

        self.form_button.setEnabled(False)  # one form dialog, even on a double click
        edit_form(self, self.store, self.plan_id, edited)

    def _format_changed(self) -> None:
        name = Path(self.name_edit.text().strip())
        if name.suffix.lower() in (".docx", ".xlsx", ".pdf"):
            self.name_edit.setText(name.with_suffix("." + self.fmt()).name)
            self.name_edit.setCursorPosition(0)

    def _browse(self) -> None:
        fmt = self.fmt()
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Сохранить план как", str(self.path()), FORMAT_TITLES[fmt][1]
        )
        if chosen:
            self.set_path(Path(chosen))
            self._confirmed = self.path()

    # --- the work ----------------------------------------------------------------------------
    def reject(self) -> None:
        if not self._busy:  # while the file is written, «Прервать» in the progress stops it
            super().reject()

    def accept(self) -> None:
        if self._busy:
            return
        if not self.name_edit.text().strip():
            msgbox.warning(self, "Укажите имя файла, в который сохранить план.")
            self.name_edit.setFocus()
            return
        path = self.path()
        if not path.parent.is_dir():
            msgbox.warning(
                self, f"Папки «{path.parent}» нет. Выберите существующую папку кнопкой «Обзор…»."
            )
            self.folder_edit.setFocus()
            return
        if (
            path.exists()
            and self._confirmed != path
            and not msgbox.question(
                self, f"Файл «{path.name}» уже есть. Заменить его?", yes="Заменить"
            )
        ):
            return
        options, fmt, plan_id = self.options(), self.fmt(), self.plan_id
        as_of = self.as_of() if options.layout == "report" else None

        def work(store: Store, progress: Any) -> tuple[Path, int]:
            return export_plan(store, plan_id, path, fmt, options, progress, as_of)

        self._set_busy(True)  # a second click while the file is written does nothing
        tasks_of(self).run(
            C.unless_cancelled(work),
            parent=self,
            success=lambda result: self._written(result, fmt, options, path),
            failure=lambda _exc: self._set_busy(False),
            label=f"Запись «{path.name}»…",
            progress=True,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)

    def _written(
        self, result: tuple[Path, int] | None, fmt: str, options: ExportOptions, path: Path
    ) -> None:
        self._set_busy(False)
        if result is None:  # cancelled: the dialog stays, to try again
            return
        self.written = result
        settings = C.settings_for(self.parent())
        C.remember_folder(self.parent(), S.EXPORT_FOLDER, path)
        settings.set(S.EXPORT_FORMAT, fmt)
        settings.set(S.EXPORT_LAYOUT, options.layout)
        settings.set(S.EXPORT_FONT, int(options.font_size))
        super().accept()


def run_export(
    parent: QWidget | None,
    store: Store,
    plan_id: int,
    then: Callable[[Path | None], None] | None = None,
) -> None:
    """Shows the export dialog for a plan; ``then`` gets the written file, or None."""
    done = then or C.nothing

    def ask(plan: Any) -> None:
        dialog = ExportDialog(parent, store, plan_id, plan.org or plan.title)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.written is None:
            done(None)
            return
        path, rows = dialog.written
        C.finished(
            parent,
            f"План сохранён в файл «{path.name}» ({plural(rows, 'строка', 'строки', 'строк')}).",
            path,
            detail=f"Папка: {path.parent}",
        )
        done(path)

    tasks_of(parent).run(
        lambda st: get_plan(st, plan_id), parent=parent, success=ask, failure=C.ends_with(done)
    )
