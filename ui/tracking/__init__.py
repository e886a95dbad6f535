"""Tracking in the window: the documents that prove an item is done, the data check, and views.

- :mod:`ui.tracking.attachments_section`: the item panel's part with the item's files
  (listed in ``item_panel.SECTION_FACTORIES``);
- :func:`install_tracking` (listed in ``actions.INSTALLERS``): «Вид → Выполнено без документа»,
  «Вид → По ответственному…», «Сервис → Проверка данных…» and files dropped on the plan's tree;
- :mod:`ui.tracking.ops`: attach, open, save a copy, remove (each an undo step where it changes
  something), shared by the panel and the tree.
"""

from ui.tracking.install import Tracking, install_tracking

__all__ = ["Tracking", "install_tracking"]
