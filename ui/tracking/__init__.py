"""Tracking in the window: the documents that prove an item is done, the data check, and views.

- :mod:`ui.tracking.attachments_section`: the item panel's part with the item's files
  (made in ``item_panel.load_sections``);
- :func:`install_tracking` (called by ``actions.install_features``): «Вид → Выполнено без
  документа», «Вид → По ответственному…», «Сервис → Проверка данных…» and files dropped on the
  plan's tree;
- :mod:`ui.tracking.ops`: attach, open, save a copy, remove (each an undo step where it changes
  something), shared by the panel and the tree.
"""

from ui.tracking.install import Tracking, install_tracking

__all__ = ["Tracking", "install_tracking"]
