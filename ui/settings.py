"""Every setting of the window, declared once with its default.

A setting is a :class:`Setting` declared at module level in this module and nowhere else
(``LAST_PLAN = declare(...)``); features import the declarations (``S.EXPORT_FOLDER``). Code
reads and writes it through :class:`Settings`, which wraps one ``QSettings``: the real one (an
ini file in the user's configuration folder) or, in tests, an ini file in a temporary folder.
Nothing here touches the data folder: settings are per user, the data may be shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

ORGANIZATION = "cxdesk"
APPLICATION = "cxdesk"


@dataclass(frozen=True)
class Setting:
    """One setting: its key in the ini file, its default, and the Python type of its value."""

    key: str
    default: Any
    type: type
    doc: str = ""


SETTINGS: dict[str, Setting] = {}


def declare(key: str, default: Any, kind: type, doc: str = "") -> Setting:
    """Declares a setting; each key once."""
    if key in SETTINGS:
        raise ValueError(f"setting {key} declared twice")
    setting = Setting(key, default, kind, doc)
    SETTINGS[key] = setting
    return setting


# --- the main window -------------------------------------------------------------------------
WINDOW_GEOMETRY = declare("window/geometry", QByteArray(), QByteArray, "position and size")
WINDOW_STATE = declare("window/state", QByteArray(), QByteArray, "tool bars and docks")
MAIN_SPLITTER = declare("window/main_splitter", QByteArray(), QByteArray, "plans | plan")
PLAN_SPLITTER = declare("window/plan_splitter", QByteArray(), QByteArray, "tree / item panel")
ITEM_SPLITTER = declare("window/item_splitter", QByteArray(), QByteArray, "fields | history")
TREE_HEADER = declare("plan/header", QByteArray(), QByteArray, "column widths and order")
LAST_PLAN = declare("plan/last", 0, int, "the plan open when the window closed (0: none)")
LAST_ROW = declare("plan/last_row", 0, int, "the row selected in that plan (0: none)")
LAST_FOLDER = declare("files/last_folder", "", str, "the folder of the last file dialog")
WRAP_TEXT = declare("view/wrap_text", True, bool, "long texts wrap in the plan's table")
BACKUP_ON_EXIT = declare(
    "safety/backup_on_exit", True, bool, "a verified copy of the database when the window closes"
)

# --- files and exchange ----------------------------------------------------------------------
EXPORT_FOLDER = declare("exchange/export_folder", "", str, "last folder of an export")
EXPORT_FORMAT = declare("exchange/export_format", "docx", str, "last export format")
EXPORT_LAYOUT = declare("exchange/export_layout", "official", str, "last export layout")
EXPORT_FONT = declare("exchange/export_font_size", 12, int, "last font size of an export, pt")
OPEN_FOLDER = declare("exchange/open_folder", "", str, "last folder a plan was read from")
PACKAGE_FOLDER = declare("exchange/package_folder", "", str, "last folder of a package")
MAIL_FORMAT = declare("exchange/mail_format", "cxplan", str, "what the last email carried")
MAIL_TO = declare("exchange/mail_to", "", str, "the last recipient of an email")
ATTACH_FOLDER = declare("tracking/attach_folder", "", str, "last folder files were attached from")
SAVE_FOLDER = declare("tracking/save_folder", "", str, "last folder a copy was saved to")
REPORTS_FOLDER = declare(
    "beyond/folder", "", str, "last folder of a check, summary, calendar or report"
)

# --- reminders and guidance ------------------------------------------------------------------
UPCOMING_AT_START = declare(
    "beyond/upcoming_at_start", True, bool, "show the deadlines of the next 14 days at start"
)
GUIDANCE_OPEN = declare("beyond/guidance_open", True, bool, "the item's guidance is expanded")

# --- the shared database ---------------------------------------------------------------------
SHARED_DB = declare("db/url", "", str, "the shared database's address ('': the data folder)")


def _convert(setting: Setting, value: Any) -> Any:
    if value is None:
        return setting.default
    if setting.type is bool:
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)
    if setting.type is int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return setting.default
    if setting.type is QByteArray:
        return value if isinstance(value, QByteArray) else setting.default
    if setting.type is str:
        return str(value)
    return value


class Settings:
    """Reads and writes declared settings; unknown keys are refused."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        if qsettings is None:
            qsettings = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
            )
        self.qsettings = qsettings

    @classmethod
    def in_file(cls, path: Path) -> Settings:
        """Settings kept in one ini file (tests, screenshots, a portable install)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def get(self, setting: Setting) -> Any:
        self._known(setting)
        return _convert(setting, self.qsettings.value(setting.key, setting.default))

    def set(self, setting: Setting, value: Any) -> None:
        self._known(setting)
        self.qsettings.setValue(setting.key, value)

    def sync(self) -> None:
        self.qsettings.sync()

    @staticmethod
    def _known(setting: Setting) -> None:
        if SETTINGS.get(setting.key) is not setting:
            raise KeyError(f"undeclared setting {setting.key}")


def set_application_names() -> None:
    """Names used by QSettings and shown in window titles; call before any QSettings."""
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)


def folder_for(settings: Settings, setting: Setting) -> Path | None:
    """The folder a file dialog opens in: the one last used for ``setting``, else the one any
    file dialog of the window used last (:data:`LAST_FOLDER`); None when neither exists."""
    for candidate in (settings.get(setting), settings.get(LAST_FOLDER)):
        if candidate and Path(str(candidate)).is_dir():
            return Path(str(candidate))
    return None


def remember_folder(settings: Settings, setting: Setting, chosen: Path) -> None:
    """Remembers the folder of a file chosen in a dialog, for ``setting`` and for all."""
    folder = str(Path(chosen).parent)
    settings.set(setting, folder)
    settings.set(LAST_FOLDER, folder)
