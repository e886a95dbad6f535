"""Where cxdesk finds its resources, migrations and the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "cxdesk"
DB_NAME = "cxdesk.sqlite3"


def _root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    """The folder with templates, guidance, fonts and icons."""
    env = os.environ.get("CXDESK_RESOURCES")
    return Path(env) if env else _root() / "resources"


def migrations_dir() -> Path:
    """The Alembic script folder (db/)."""
    return _root() / "db"


def default_data_dir() -> Path:
    """The data folder: CXDESK_DATA_DIR, else the platform's user data folder."""
    env = os.environ.get("CXDESK_DATA_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))
