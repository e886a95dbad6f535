"""The main window and its parts: plans list, plan tree, filter, item panel, welcome view.

How later features plug in (none of them needs to edit window.py):

- A menu action: add a member to ``actions.Act``, a factory ``@action(Act.X)`` returning a
  QAction (``make(window, text, slot, shortcut)``; a slot that needs a heavier module imports it
  with a plain ``from ui.feature import function`` inside the slot) and put ``Act.X`` in
  ``actions.MENUS``. Actions that need an open plan go into ``actions.PLAN_ACTIONS``.
- More than an action (several menu entries, files dropped on the window): a function
  ``install(window)`` imported and called in ``actions.install_features``.
- A part of the item panel: a ``item_panel.PanelSection`` subclass (``title``, ``set_item(plan,
  row)``) made as ``cls(window)`` in ``item_panel.load_sections``.
- A service call: ``window.run_service(lambda store: service(store, …), label="…",
  progress=False, then=None)`` runs it on the database worker (a progress dialog after 600 ms
  when labelled; ``progress=True`` passes a cancellable Progress as the second argument) and
  redraws from the Changes it returns (or the first element of a tuple it returns).
- Undo: make the change first, then ``window.push_command(plan_id, ServiceCommand(text, do,
  undo, window.run_undo_call))`` (``ui.undo``); ``do``/``undo`` are calls on the store that
  return Changes. Structure changes that old steps cannot survive call
  ``window.drop_stack(plan_id)``.
- Reading: ``window.store``, ``window.tasks``, ``window.current_plan_id``, ``window.panel.row``;
  the signals ``window.plan_opened(int)`` and ``window.changes_applied(object)``.
"""

from ui.mainwindow.window import MainWindow

__all__ = ["MainWindow"]
