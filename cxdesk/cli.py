"""The command line of cxdesk (docs/cli.md describes every command).

``cxdesk`` with no command opens the window. Every command calls the same services as the
window. Errors: exit 2 for bad input, 1 for anything else, one line ``cxdesk: error: …`` on
stderr, never a traceback; unexpected errors are written to the log in the data folder.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from cxdesk import __version__

Handler = Callable[[argparse.Namespace], int]


#: How positional arguments are named in help and errors, by their ``dest``.
POSITIONAL_NAMES = {
    "plan": "ПЛАН", "plans": "ПЛАН", "item": "ПУНКТ", "file": "ФАЙЛ", "files": "ФАЙЛ",
    "template": "ШАБЛОН", "pairs": "ВОПРОС=yes|no",
}  # fmt: skip


class Parser(argparse.ArgumentParser):
    """argparse with the contract's one-line error and exit status 2, speaking Russian
    (:mod:`cxdesk.argparse_ru`); positional arguments are named in Russian."""

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if args and not str(args[0]).startswith("-") and "metavar" not in kwargs:
            name = POSITIONAL_NAMES.get(str(args[0]))
            if name:
                kwargs["metavar"] = name
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"cxdesk: error: {message} (справка: cxdesk --help)\n")
        raise SystemExit(2)


def emit(args: argparse.Namespace, payload: Any, text: str | Callable[[], str]) -> None:
    """Prints either the JSON document (``--json``) or the text for people."""
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        out = text() if callable(text) else text
        if out:
            sys.stdout.write(out.rstrip("\n") + "\n")


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="напечатать результат как JSON")


def build_parser() -> Parser:
    from cxdesk import argparse_ru

    argparse_ru.install()
    parser = Parser(
        prog="cxdesk",
        description="cxdesk — планы мероприятий по внедрению Стандартов клиентоцентричности.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"cxdesk {__version__}",
        help="показать версию программы и выйти",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="ПАПКА",
        help="папка данных (база, вложения, резервные копии); или переменная CXDESK_DATA_DIR",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="общая база PostgreSQL (postgresql://пользователь@сервер/база); или переменная "
        "CXDESK_DB; без неё — файл в папке данных",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    # Every module that adds commands (each has ``register(subparsers)``; keep them cheap).
    from cxdesk.commands import beyond, exchange, plans, safety, shared, tracking

    for module in (plans, tracking, exchange, safety, beyond, shared):
        module.register(sub)
    return parser


def data_dir(args: argparse.Namespace) -> Path:
    from cxdesk.paths import default_data_dir

    return Path(args.data_dir) if args.data_dir else default_data_dir()


def warn(message: str) -> None:
    """One line on stderr that is not an error: the command goes on (``cxdesk: внимание: …``)."""
    sys.stderr.write(f"cxdesk: внимание: {message}\n")


def open_store(args: argparse.Namespace) -> Any:
    """Opens the data folder's store (migrating it if older), removes temporary files left by
    an interrupted run, and makes the day's backup (a failure is said on stderr and logged)."""
    from cxdesk.storage.db import Store

    store = Store(data_dir(args), url=getattr(args, "db", None))
    _stores.append(store)
    if store.kind == "sqlite":
        prepare_folder(store.data_dir)
    return store


def prepare_folder(folder: Path) -> None:
    """What a command does in the data folder it opens: the temporaries left by an interrupted
    run removed, the journal of files being written, the day's backup."""
    from cxdesk.fsutil import journal_dir, use_journal
    from cxdesk.services.backup import daily_backup
    from cxdesk.services.leftovers import remove_leftovers

    remove_leftovers(folder)
    use_journal(journal_dir(folder))
    daily_backup(folder, report=warn)
    _opened.append(folder)


def hold_open(reader: Any) -> None:
    """Keeps a light reader's connection open to the command's end, as a store is (the backups
    made meanwhile read the file; the last connection to close folds its -wal file in)."""
    _stores.append(reader)


def light_database(args: argparse.Namespace) -> Path | None:
    """The data folder's SQLite file, for a command that only reads and may read it through the
    light path (:mod:`cxdesk.storage.light`); None for a database given by ``--db`` or
    ``CXDESK_DB`` (a shared one: the normal path)."""
    if getattr(args, "db", None) or os.environ.get("CXDESK_DB", "").strip():
        return None
    from cxdesk.paths import DB_NAME

    return data_dir(args) / DB_NAME


#: Stores opened by :func:`open_store`, closed by :func:`run` before it leaves.
_stores: list[Any] = []
#: Data folders opened by the running command: after it succeeds, a copy of the day's work is
#: made if the database changed (see :func:`cxdesk.services.backup.session_backup`).
_opened: list[Path] = []


def _after_success() -> None:
    from cxdesk.services.backup import session_backup

    for folder in dict.fromkeys(_opened):
        session_backup(folder, report=warn)
    _opened.clear()


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"cxdesk: error: {message}\n")
    return code


def _utf8_streams() -> None:
    """JSON and text go out as UTF-8 when piped (the contract); a console keeps its own
    encoding (cp866 on Windows) and shows «?» for what it cannot, instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            if stream.isatty():
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8", errors="replace")
        except (ValueError, OSError):
            pass


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _utf8_streams()
    parser = build_parser()
    first = _first_positional(argv)
    if first is None or (first.lower().endswith(".cxplan") and os.path.exists(first)):
        if any(a in ("-h", "--help", "--version") for a in argv):
            parser.parse_args(argv)
            return 0
        return _run_gui(parser, argv)
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    from cxdesk.errors import UserError

    _ran_command.append(True)
    try:
        code = handler(args)
        if code == 0:
            _after_success()
        return code
    except UserError as exc:
        _opened.clear()
        return _fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        return _fail("прервано пользователем; данные не изменены.", 1)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the contract: never a traceback
        from cxdesk.logs import write_exception

        _opened.clear()
        try:
            where = write_exception(data_dir(args), exc, " ".join(argv))
        except Exception:  # noqa: BLE001
            return _fail(f"непредвиденная ошибка: {exc!r}", 1)
        return _fail(
            f"непредвиденная ошибка ({type(exc).__name__}); подробности записаны в {where}. "
            "Данные не изменены.",
            1,
        )


#: Set once a command has run in this process (the window is not a command).
_ran_command: list[bool] = []


def run() -> NoReturn:
    """The program's entry (``cxdesk``, ``python -m cxdesk``, the bundle): :func:`main`, then
    the exit. After a command, the interpreter's own teardown (collecting every module's
    objects, 0.1–0.15 s after an export) is skipped: the stores are closed (SQLite folds its
    ``-wal`` file into the database), the streams are flushed and the exit handlers run first.
    Only when no other thread is left and no database connection stays open (a ``-wal`` file
    still there); otherwise, and for the window, the exit is the usual one."""
    code = main()
    if not _ran_command or threading.active_count() > 1:
        sys.exit(code)
    from cxdesk.paths import DB_NAME

    folders = []
    for store in _stores:
        with contextlib.suppress(Exception):  # noqa: BLE001 - the usual exit closes it then
            store.close()
        if getattr(store, "kind", "") == "sqlite":
            folders.append(Path(store.data_dir))
    if any((folder / f"{DB_NAME}-wal").exists() for folder in folders):
        sys.exit(code)  # a connection made elsewhere is still open: let the teardown close it
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    atexit._run_exitfuncs()  # logging's flush and close, and any other exit handler
    os._exit(code)


def _first_positional(argv: list[str]) -> str | None:
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a in ("--data-dir", "--db"):
            skip = True
        elif not a.startswith("-"):
            return a
    return None


def _run_gui(parser: Parser, argv: list[str]) -> int:
    plan_file = _first_positional(argv)  # ``cxdesk FILE.cxplan``: for the window, not a command
    options = list(argv)
    if plan_file is not None:
        options.remove(plan_file)
    args, rest = parser.parse_known_args(options)
    if plan_file is not None:
        rest.append(plan_file)
    if args.data_dir:
        os.environ["CXDESK_DATA_DIR"] = str(args.data_dir)
    if args.db:
        os.environ["CXDESK_DB"] = args.db
    try:
        from ui.app import main as gui_main
    except ImportError as exc:
        return _fail(f"оконная часть недоступна ({exc}); используйте команды: cxdesk --help", 1)
    return int(gui_main(rest))


if __name__ == "__main__":
    run()
