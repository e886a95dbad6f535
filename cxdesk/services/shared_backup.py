"""Backups of whichever database a store uses: the data folder's .zip (services.backup) on
SQLite, one pg_dump file (``.pgdump``: the attachments are in the database) on a shared one."""

from __future__ import annotations

from pathlib import Path

from cxdesk import clock
from cxdesk.errors import NotFound
from cxdesk.storage import postgres
from cxdesk.storage.db import Store


def backup_store(store: Store, out: Path | None = None) -> Path:
    """A backup of the store's database (and attachments) to ``out`` or the backups folder."""
    if store.kind != "postgresql":
        from cxdesk.services.backup import make_backup

        return make_backup(store.data_dir, out)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = Path(out) if out else store.data_dir / "backups" / f"shared-{stamp}.pgdump"
    if target.is_dir():
        target = target / f"shared-{stamp}.pgdump"
    return postgres.dump(store.url, target)


def restore_store(store: Store, source: Path) -> Path:
    """Puts a backup back over the store's database; returns the copy of the state before."""
    source = Path(source)
    if store.kind != "postgresql":
        from cxdesk.services.backup import restore_backup

        kept = restore_backup(store.data_dir, source)
        Store(store.data_dir).close()  # brings an older copy's schema up to date
        return kept
    if not source.is_file():
        raise NotFound(f"Файл не найден: {source}. Укажите файл копии общей базы (.pgdump).")
    kept = backup_store(store)
    store.engine.dispose()  # pg_restore replaces the tables: no connection of ours holds them
    postgres.restore(store.url, source)
    Store(store.data_dir, url=store.url).close()  # brings an older copy's schema up to date
    return kept
