"""«Форма печати…»: the printed form of a plan, edited with a live preview of its first page.

The dialog starts from the plan's own form (or its template's) and lets the user pick a preset
or a saved form, choose and order the columns and word their headings (an upper heading makes a
two-row header), the numbering, the title, the approval block above the table and the signature
below it, the rows that repeat on every page, excluded items and footnotes. The first page is
drawn by the same renderer as the PDF and the print (``cxdesk.io.pdf_render``) into an image
beside the controls, again after every change. «Сохранить» keeps the form with the plan
(``cxdesk.services.forms.set_form``); «Сохранить как…» keeps it under a name for other plans.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cxdesk.domain import form as forms
from cxdesk.domain.form import Form, FormColumn
from cxdesk.domain.item_fields import BY_NAME, PRINTED_FIELDS
from cxdesk.errors import UserError
from cxdesk.io.model import DEFAULT_HEADINGS, ExportOptions, PlanDoc
from cxdesk.storage.db import Store

from ui import msgbox
from ui.exchange import common as C
from ui.tasks import tasks_of

#: Column key → its name in the list of columns.
KEY_TITLES = {"number": "Номер"} | {
    name: BY_NAME[name].shown for name in PRINTED_FIELDS if name != "status"
}
PREVIEW_ROWS = 40  # rows drawn in the preview: more than fit on the first page
PREVIEW_DPI = 56


class _FirstPage(Exception):
    """Raised when the preview's renderer asks for a second page."""


class _PageImage(QImage):
    """An image the renderer draws its first page on (it stops at the second)."""

    def newPage(self) -> bool:  # noqa: N802 - the name QPagedPaintDevice gives it
        raise _FirstPage


def first_page(doc: PlanDoc, form: Form, font_size: float = 12.0) -> QImage:
    """The first page of ``doc`` printed in ``form``, as an image."""
    from cxdesk.io.pdf_render import ensure_app, render

    ensure_app()

    dots = PREVIEW_DPI / 0.0254
    image = _PageImage(round(297 * PREVIEW_DPI / 25.4), round(210 * PREVIEW_DPI / 25.4),
                       QImage.Format.Format_RGB32)  # fmt: skip
    image.setDotsPerMeterX(round(dots))
    image.setDotsPerMeterY(round(dots))
    image.fill(Qt.GlobalColor.white)
    short = dataclasses.replace(doc, rows=doc.rows[:PREVIEW_ROWS])
    with contextlib.suppress(_FirstPage):  # the first page is all the preview shows
        render(short, ExportOptions(font_size=font_size, form=form), image)
    return image


class FormDialog(QDialog):
    """The form of one plan; :meth:`accept` keeps it with the plan."""

    def __init__(self, parent: QWidget | None, store: Store, plan_id: int, doc: PlanDoc,
                 current: Any) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("formDialog")
        self.setWindowTitle("Форма печати плана")
        self.store, self.plan_id, self.doc = store, plan_id, doc
        self.saved = False
        self._busy = False  # the form is being saved: a second click does nothing
        self._loading = False
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh)

        outer = QHBoxLayout(self)
        controls = QVBoxLayout()
        outer.addLayout(controls, 0)
        top = QFormLayout()
        self.preset_combo = QComboBox(self)
        self.preset_combo.setObjectName("presetCombo")
        self.preset_combo.addItem("— выбрать готовую форму —", "")
        self.preset_combo.activated.connect(self._preset_chosen)
        top.addRow("&Готовая форма:", self.preset_combo)
        controls.addLayout(top)

        self.columns = QTableWidget(0, 3, self)
        self.columns.setObjectName("columnsTable")
        self.columns.setHorizontalHeaderLabels(["Графа", "Заголовок", "Верхний заголовок"])
        self.columns.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.columns.verticalHeader().setVisible(False)
        self.columns.horizontalHeader().setStretchLastSection(True)
        self.columns.setMinimumWidth(460)
        self.columns.setColumnWidth(0, 150)
        self.columns.setColumnWidth(1, 190)
        self.columns.itemChanged.connect(lambda *_: self.changed())
        controls.addWidget(self.columns, 1)
        moves = QHBoxLayout()
        for text, name, step in (("Выше", "upButton", -1), ("Ниже", "downButton", 1)):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, s=step: self.move_column(s))
            moves.addWidget(button)
        moves.addStretch(1)
        controls.addLayout(moves)

        grid = QFormLayout()
        self.numbering = self._combo("numbering", forms.NUMBERING, grid, "&Нумерация:")
        self.blocks = self._combo("blocks", forms.BLOCKS, grid, "&Блоки:")
        self.repeat = self._combo("repeat", forms.REPEAT, grid, "Повторять на &листах:")
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setPlaceholderText("название плана")
        self.title_edit.textChanged.connect(self.changed)
        grid.addRow("&Заголовок:", self.title_edit)
        self.checks: dict[str, QCheckBox] = {}
        for name, text in (
            ("sections", "Нумеровать разделы"),
            ("approval", "Гриф «УТВЕРЖДАЮ» над таблицей"),
            ("signature", "Подпись под таблицей"),
            ("number_row", "Строка с номерами граф"),
            ("excluded", "Печатать исключённые пункты"),
            ("footnotes", "Сноски типового плана под таблицей"),
        ):
            box = QCheckBox(text, self)
            box.setObjectName(f"check_{name}")
            box.toggled.connect(self.changed)
            self.checks[name] = box
            grid.addRow(box)
        self.signature_edit = QPlainTextEdit(current.signature, self)
        self.signature_edit.setObjectName("signatureEdit")
        self.signature_edit.setPlaceholderText("Заместитель министра …    И.О. Фамилия")
        self.signature_edit.setFixedHeight(60)
        self.signature_edit.textChanged.connect(self.changed)
        grid.addRow("По&дпись:", self.signature_edit)
        self.executor_edit = QLineEdit(current.executor, self)
        self.executor_edit.setObjectName("executorEdit")
        self.executor_edit.setPlaceholderText("Исп.: Фамилия И.О., тел. …")
        self.executor_edit.textChanged.connect(self.changed)
        grid.addRow("&Исполнитель:", self.executor_edit)
        controls.addLayout(grid)

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("&Сохранить", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.save_as_button = buttons.addButton(
            "Сохранить &как…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_as_button.setObjectName("saveAsButton")
        self.save_as_button.clicked.connect(self.save_as)
        buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        controls.addWidget(buttons)

        self.preview = QLabel(self)
        self.preview.setObjectName("formPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea(self)
        scroll.setWidget(self.preview)
        scroll.setMinimumWidth(680)
        outer.addWidget(scroll, 1)
        self.problem = QLabel(self)
        self.problem.setObjectName("formProblem")
        self.problem.setWordWrap(True)
        controls.addWidget(self.problem)
        self.load(current.form)
        self.refresh()
        tasks_of(self).run(_form_names, parent=parent, success=self._names_read)

    def _names_read(self, names: list[tuple[str, str]]) -> None:
        for name, title in names:
            self.preset_combo.addItem(f"{title or name} [{name}]", name)

    def _combo(self, name: str, choices: dict[str, str], grid: QFormLayout, label: str) -> Any:
        combo = QComboBox(self)
        combo.setObjectName(f"{name}Combo")
        for key, title in choices.items():
            combo.addItem(title, key)
        combo.currentIndexChanged.connect(lambda *_: self.changed())
        grid.addRow(label, combo)
        return combo

    # -- the form in the controls --------------------------------------------------------------
    def load(self, form: Form) -> None:
        """Shows ``form`` in the controls (the plan's own columns when it names none)."""
        self._loading = True
        try:
            columns = form.columns or [FormColumn(c.key, c.heading) for c in self.doc.columns]
            shown = {c.key for c in columns}
            rest = [FormColumn(k, DEFAULT_HEADINGS[k]) for k in KEY_TITLES if k not in shown]
            self.columns.setRowCount(0)
            for column, on in [(c, True) for c in columns] + [(c, False) for c in rest]:
                self._add_row(column, on)
            for combo, value in ((self.numbering, form.numbering), (self.blocks, form.blocks),
                                 (self.repeat, form.repeat)):  # fmt: skip
                combo.setCurrentIndex(max(0, combo.findData(value)))
            self.title_edit.setText(form.title)
            for name, box in self.checks.items():
                box.setChecked(bool(getattr(form, name)))
            self.report = form.report
            self.name = form.name
        finally:
            self._loading = False
        self.changed()

    def _add_row(self, column: FormColumn, on: bool) -> None:
        row = self.columns.rowCount()
        self.columns.insertRow(row)
        key = QTableWidgetItem(KEY_TITLES.get(column.key, column.key))
        key.setData(Qt.ItemDataRole.UserRole, column.key)
        key.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                     | Qt.ItemFlag.ItemIsSelectable)  # fmt: skip
        key.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.columns.setItem(row, 0, key)
        self.columns.setItem(row, 1, QTableWidgetItem(column.heading))
        self.columns.setItem(row, 2, QTableWidgetItem(column.group))

    def move_column(self, step: int) -> None:
        """Moves the chosen column up (-1) or down (+1)."""
        row = self.columns.currentRow()
        other = row + step
        if row < 0 or not 0 <= other < self.columns.rowCount():
            return
        self._loading = True
        for col in range(3):
            a, b = self.columns.takeItem(row, col), self.columns.takeItem(other, col)
            self.columns.setItem(row, col, b)
            self.columns.setItem(other, col, a)
        self._loading = False
        self.columns.setCurrentCell(other, 1)
        self.changed()

    def form(self) -> Form:
        """The form the controls show; raises :class:`UserError` when it cannot print."""
        columns = []
        for row in range(self.columns.rowCount()):
            key = self.columns.item(row, 0)
            if key is None or key.checkState() != Qt.CheckState.Checked:
                continue
            heading, group = (self.columns.item(row, c) for c in (1, 2))
            columns.append({"key": key.data(Qt.ItemDataRole.UserRole),
                            "heading": heading.text() if heading else "",
                            "group": group.text() if group else ""})  # fmt: skip
        data: dict[str, Any] = {
            "name": self.name,
            "columns": columns,
            "numbering": self.numbering.currentData(),
            "blocks": self.blocks.currentData(),
            "repeat": self.repeat.currentData(),
            "title": self.title_edit.text().strip(),
            "report": self.report,
        }
        data.update({name: box.isChecked() for name, box in self.checks.items()})
        return forms.from_dict(data)

    # -- reactions ----------------------------------------------------------------------------
    def changed(self, *_: Any) -> None:
        if not self._loading:
            self.blocks.setEnabled(self.numbering.currentData() != "source")
            self.checks["sections"].setEnabled(self.numbering.currentData() != "source")
            self._timer.start()

    def refresh(self) -> None:
        """Draws the first page again in the form the controls show."""
        try:
            form = self.form()
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.setText("")
        doc = dataclasses.replace(
            self.doc,
            signature=self.signature_edit.toPlainText(),
            executor=self.executor_edit.text(),
        )
        image = first_page(doc, form)
        self.preview.setPixmap(QPixmap.fromImage(image))
        self.preview.resize(image.size())

    def _preset_chosen(self, index: int) -> None:
        name = self.preset_combo.itemData(index)
        if not name:
            return
        tasks_of(self).run(lambda st: _find(st, name), parent=self, success=self._preset_read)

    def _preset_read(self, form: Form) -> None:
        self.load(form)
        self.refresh()

    def save_as(self) -> None:
        """Keeps the form under a name, for other plans and ``export --form``."""
        try:
            form = self.form()
        except UserError as exc:
            msgbox.user_error(self, exc)
            return
        name, ok = QInputDialog.getText(self, "Сохранить форму", "Имя формы (латиница, цифры):")
        if not ok or not name.strip():
            return

        def saved(_result: Any) -> None:
            self.save_as_button.setEnabled(not self._busy)
            msgbox.information(self, f"Форма «{name.strip()}» сохранена.")

        self.save_as_button.setEnabled(False)  # one save at a time
        tasks_of(self).run(
            lambda st: _save(st, name, form),
            parent=self,
            success=saved,
            failure=lambda _exc: self.save_as_button.setEnabled(not self._busy),
        )

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def accept(self) -> None:
        if self._busy:
            return
        try:
            form = self.form()
        except UserError as exc:
            msgbox.user_error(self, exc)
            return
        signature, executor = self.signature_edit.toPlainText(), self.executor_edit.text()
        plan_id = self.plan_id

        def work(store: Store) -> Any:
            from cxdesk.services.forms import set_form

            return set_form(store, plan_id, form, signature, executor)

        def kept(_changes: Any) -> None:
            self._set_busy(False)
            self.saved = True
            super(FormDialog, self).accept()

        self._set_busy(True)
        tasks_of(self).run(
            work,
            parent=self,
            success=kept,
            failure=lambda _exc: self._set_busy(False),
            label="Сохранение формы…",
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.save_as_button.setEnabled(not busy)


def _form_names(store: Store) -> list[tuple[str, str]]:
    from cxdesk.services.forms import all_form_names

    return all_form_names(store)


def _find(store: Store, name: str) -> Form:
    from cxdesk.services.forms import find_form

    return find_form(store, name)


def _save(store: Store, name: str, form: Form) -> Any:
    from cxdesk.services.forms import save_form

    return save_form(store, name, form)


def edit_form(
    parent: QWidget | None,
    store: Store,
    plan_id: int,
    then: Callable[[bool], None] | None = None,
) -> None:
    """Shows the form dialog of a plan; ``then(True)`` when a new form was kept with it."""
    done = then or C.nothing

    def load(st: Store) -> tuple[PlanDoc, Any]:
        from cxdesk.services.documents import plan_doc
        from cxdesk.services.forms import plan_form

        return plan_doc(st, plan_id), plan_form(st, plan_id)

    def loaded(got: tuple[PlanDoc, Any]) -> None:
        dialog = FormDialog(parent, store, plan_id, *got)
        done(dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved)

    tasks_of(parent).run(
        load,
        parent=parent,
        success=loaded,
        failure=C.ends_with(done, False),
        label="Чтение плана…",
    )
