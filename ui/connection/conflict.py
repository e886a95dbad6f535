"""A save over a newer version, shown field by field with the merge review.

The item panel saves against the version it showed. When someone else saved the item meanwhile,
the service raises :class:`~cxdesk.storage.versions.Conflict` with each field both changed; the
window shows them in the merge dialog (the value now in the database beside the user's own), all
unchecked: the other person's value stays unless the user checks their own. The checked values
are then saved against the version the conflict named, so nothing is lost either way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QLabel, QWidget

from cxdesk.services.merge import Difference, MergePreview
from cxdesk.storage.versions import Conflict

from ui import msgbox
from ui.exchange.merge_dialog import MergeDialog

COLUMNS = ("Поле", "Сейчас в базе (сохранил другой)", "Ваше значение")


class ConflictDialog(MergeDialog):
    """The merge review, worded for a save that met another person's newer save."""

    def __init__(self, conflict: Conflict, number: str, parent: QWidget | None = None) -> None:
        diffs = [
            Difference(i, "field", number, f.name, f.theirs, f.mine, conflict=True)
            for i, f in enumerate(conflict.fields)
        ]
        preview = MergePreview(0, "общая база", diffs)
        super().__init__(preview, f"пункт {number.rstrip('.')}", parent=parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(f"Пункт {number.rstrip('.')} изменён другим пользователем")
        self.tree.setHeaderLabels(list(COLUMNS))
        intro = self.findChild(QWidget, "mergeIntro")
        if intro is not None:
            intro.setText(  # type: ignore[attr-defined]
                "Пока вы редактировали пункт, его сохранил другой пользователь. Отметьте поля, "
                "где нужно оставить ваше значение; неотмеченные сохранят значение из базы."
            )
        self.conflict = conflict
        self._update_count()

    def _legend(self, conflicts: int) -> QWidget:
        box = super()._legend(conflicts)
        labels = [w for w in box.findChildren(QLabel) if w.text()]
        if labels:
            labels[0].setText(
                f"Полей с расхождением: {conflicts}. Их изменили и вы, и другой пользователь. "
                "Неотмеченные получат значение из базы (сохранённое другим); отметьте поле, "
                "чтобы сохранить ваше значение поверх него."
            )
        return box

    def _update_count(self) -> None:
        super()._update_count()
        chosen = bool(self.accepted_indexes())
        self.apply_button.setEnabled(True)
        self.apply_button.setText(
            "&Сохранить выбранные" if chosen else "&Оставить значения из базы"
        )

    def chosen(self) -> dict[str, str]:
        """The fields where the user keeps their own value."""
        accepted = self.accepted_indexes()
        return {f.name: f.mine for i, f in enumerate(self.conflict.fields) if i in accepted}


def ask(parent: QWidget | None, conflict: Conflict, number: str) -> dict[str, str] | None:
    """The values to save over the newer version (empty: keep theirs), or None (cancelled)."""
    if msgbox.capturing():
        msgbox.record("question", "Конфликт изменений", conflict.message)
        return {f.name: f.mine for f in conflict.fields} if msgbox.capture_answer() else {}
    dialog = ConflictDialog(conflict, number, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen()


def values_seen(panel: Any, fields: Any) -> dict[str, str]:
    """What the panel showed (loaded) for ``fields``: the base of a conflict check."""
    loaded = getattr(panel, "_loaded", {}) or {}
    return {f: str(loaded[f]) for f in fields if f in loaded}
