"""The main window and its parts: plans list, plan tree, filter, item panel, welcome view."""

from ui.mainwindow.window import MainWindow

__all__ = ["MainWindow"]
