"""The import preview: what was read from a file, before anything is stored.

Shows the plan as a tree (numbers, titles, deadlines, responsible, results), the title and
approval block, the signature and executor line below the table that were found, the typical plan
it was matched to (or «не сопоставлен»), how many items, and every warning (what the reader
guessed, skipped or did not understand). The organisation is a field: the user corrects it before
the plan is created (a file that names none offers its own name). The user creates the plan or
cancels; for a file of a plan that is already here, the user can also merge
it into that plan.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cxdesk.errors import NotFound
from cxdesk.io.model import STATUS_TITLES, PlanDoc
from cxdesk.services.importing import Incoming, org_from_file_name
from cxdesk.text import plural

from ui.exchange import common as C
from ui.wording import for_window

NOT_FOUND = "не найден"
NO_ORG = "в файле не указана — впишите её здесь"
NOT_MATCHED = "не сопоставлен"


def template_title(doc: PlanDoc) -> str:
    """The matched typical plan's title, or «не сопоставлен»."""
    if not doc.template_id:
        return NOT_MATCHED
    from cxdesk.domain.templates import get_template

    try:
        return get_template(doc.template_id).title
    except NotFound:
        return f"«{doc.template_id}» (нет в этой версии программы)"


def approval_text(doc: PlanDoc) -> str:
    parts = [doc.approver_position, doc.approver_name, doc.approval_date]
    lines = [C.flat(p) for p in parts if p and p.strip()]
    return "\n".join(lines) if lines else NOT_FOUND


def below_text(text: str) -> str:
    """The signature or executor line as read, or «не найден»."""
    lines = [C.flat(line) for line in text.split("\n") if line.strip()]
    return "\n".join(lines) if lines else NOT_FOUND


def counts_text(incoming: Incoming) -> str:
    doc = incoming.doc
    items = incoming.items()
    headings = sum(1 for r in doc.rows if r.kind in ("block", "section"))
    text = plural(items, "пункт", "пункта", "пунктов")
    if headings:
        text += f" в {plural(headings, 'разделе', 'разделах', 'разделах')}"
    if incoming.is_package:
        files = sum(len(r.attachments) for r in doc.rows)
        text += f"; вложенных документов: {files}; записей истории: {len(incoming.history)}"
    return text


class PlanPreviewTree(QTreeWidget):
    """The rows of a read plan as a tree: blocks hold sections, sections hold items."""

    def __init__(self, doc: PlanDoc, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewTree")
        with_status = any(r.status in STATUS_TITLES for r in doc.rows)
        heads = ["№", "Мероприятие", "Срок", "Ответственный", "Результат"]
        self.keys = ["number", "title", "deadline", "responsible", "result"]
        if with_status:
            heads.append("Статус")
            self.keys.append("status")
        self.setHeaderLabels(heads)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setRootIsDecorated(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        widths = [60, 0, 150, 170, 180, 95] if with_status else [80, 0, 180, 200, 220]
        if any(r.kind == "section" for r in doc.rows):
            widths[0] += 40  # room for the items' numbers under two levels of headings
        for col, width in enumerate(widths):
            if col != 1:
                self.setColumnWidth(col, width)
        self._fill(doc)
        self.expandAll()

    def _fill(self, doc: PlanDoc) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        block: QTreeWidgetItem | None = None
        section: QTreeWidgetItem | None = None
        for row in doc.rows:
            values = []
            for key in self.keys:
                value = getattr(row, key, "") or ""
                if key == "deadline" and row.start:
                    value = f"{row.start} — {value}" if value else f"с {row.start}"
                if key == "status":
                    value = STATUS_TITLES.get(value, "")
                values.append(value)
            item = QTreeWidgetItem([C.flat(v) for v in values])
            for col, value in enumerate(values):
                if value:
                    item.setToolTip(col, value)
            if row.kind == "block":
                holder, block, section = None, item, None
            elif row.kind == "section":
                holder, section = block, item
            else:
                holder = section or block
            if holder is None:
                self.addTopLevelItem(item)
            else:
                holder.addChild(item)
            if row.kind != "item":  # a heading: its number and title across the row
                item.setText(0, " ".join(p for p in (row.number, C.flat(row.title)) if p))
                item.setFont(0, bold)
                item.setFirstColumnSpanned(True)


class ImportPreviewDialog(QDialog):
    """What a file holds; «Создать план» (or, for a plan already here, «Объединить…»).

    After exec, :attr:`choice` is ``"create"``, ``"merge"`` or None (cancelled).
    """

    def __init__(
        self, incoming: Incoming, existing: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importPreview")
        self.setWindowTitle(f"Загрузка плана из файла «{incoming.path.name}»")
        self.incoming = incoming
        self.existing = existing
        self.choice: str | None = None
        doc = incoming.doc
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        if existing is not None:
            banner = QLabel(
                f"Этот план уже есть в программе: «{C.flat(existing.org or existing.title)}». "
                "Объедините файл с ним, чтобы перенести изменения "
                "коллеги по пунктам, или загрузите файл как отдельный новый план.",
                self,
            )
            banner.setObjectName("existingBanner")
            banner.setWordWrap(True)
            banner.setFrameShape(QFrame.Shape.StyledPanel)
            banner.setMargin(8)
            banner.setStyleSheet("QLabel { background: #e8f1fb; color: #1b3a5c; }")
            layout.addWidget(banner)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.fields: dict[str, QLabel] = {}
        for key, label, value in (
            ("file", "Файл:", str(incoming.path)),
            ("title", "Заголовок:", C.flat(doc.title) or NOT_FOUND),
            ("approval", "Гриф «УТВЕРЖДАЮ»:", approval_text(doc)),
            ("signature", "Подпись под таблицей:", below_text(doc.signature)),
            ("executor", "Исполнитель:", below_text(doc.executor)),
            ("template", "Типовой план:", template_title(doc)),
            ("count", "Прочитано:", counts_text(incoming)),
        ):
            widget = QLabel(value, self)
            widget.setObjectName(f"preview_{key}")
            widget.setWordWrap(True)
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if value in (NOT_FOUND, NO_ORG, NOT_MATCHED):
                widget.setStyleSheet("QLabel { color: #8a5a00; }")
            self.fields[key] = widget
            form.addRow(label, widget)
            if key == "approval":
                form.addRow("Организация:", self._org_field(incoming))
        layout.addLayout(form)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.tree = PlanPreviewTree(doc, splitter)
        warn_box = QWidget(splitter)
        wl = QVBoxLayout(warn_box)
        wl.setContentsMargins(0, 4, 0, 0)
        count = len(incoming.warnings)
        self.warnings_label = QLabel(
            f"Замечания при чтении ({count}): что программа предположила, пропустила или не "
            "поняла — проверьте эти места после загрузки."
            if count
            else "Замечаний нет: файл прочитан полностью.",
            warn_box,
        )
        self.warnings_label.setObjectName("warningsLabel")
        self.warnings_label.setWordWrap(True)
        wl.addWidget(self.warnings_label)
        self.warnings = QListWidget(warn_box)
        self.warnings.setObjectName("warningsList")
        self.warnings.setWordWrap(True)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for text in incoming.warnings:
            QListWidgetItem(icon, for_window(text), self.warnings)
        self.warnings.setVisible(bool(count))
        wl.addWidget(self.warnings, 1)
        splitter.addWidget(self.tree)
        splitter.addWidget(warn_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        buttons = QDialogButtonBox(self)
        role = QDialogButtonBox.ButtonRole
        self.merge_button = None
        if existing is not None:
            self.merge_button = buttons.addButton("&Объединить с планом…", role.ActionRole)
            self.merge_button.setToolTip(
                f"Перенести изменения из файла в план «{C.flat(existing.org or existing.title)}»"
            )
            self.merge_button.setObjectName("mergeButton")
            self.merge_button.clicked.connect(lambda: self._choose("merge"))
        self.create_button = buttons.addButton(
            "&Загрузить как новый" if existing is not None else "&Создать план", role.ActionRole
        )
        self.create_button.setObjectName("createButton")
        self.create_button.clicked.connect(lambda: self._choose("create"))
        cancel = buttons.addButton("Отмена", role.RejectRole)
        cancel.setObjectName("cancelButton")
        buttons.rejected.connect(self.reject)
        (self.merge_button or self.create_button).setDefault(True)
        layout.addWidget(buttons)
        self.resize(1060, 720)

    def _org_field(self, incoming: Incoming) -> QWidget:
        """The organisation as read (or, when the file names none, the file's name), editable."""
        box = QWidget(self)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.org = QLineEdit(C.flat(incoming.doc.org) or org_from_file_name(incoming.path), box)
        self.org.setObjectName("preview_org")
        self.org.setPlaceholderText("Например: министерство экономического развития края")
        lay.addWidget(self.org)
        if not incoming.doc.org.strip():
            hint = QLabel(NO_ORG + " (пока план назван по имени файла).", box)
            hint.setObjectName("preview_org_hint")
            hint.setStyleSheet("QLabel { color: #8a5a00; }")
            lay.addWidget(hint)
        return box

    def org_text(self) -> str:
        """The organisation as the user left it ("" keeps what the file says)."""
        return " ".join(self.org.text().split())

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
