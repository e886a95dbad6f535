"""The shared database in the window: the «Подключение к общей базе…» dialog (the URL kept in
the settings) and the review of a conflicting save (someone else saved the item meanwhile)."""

from ui.connection.dialog import install_connection

__all__ = ["install_connection"]
