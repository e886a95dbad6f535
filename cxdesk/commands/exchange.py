"""Commands of exchange: export, import (new plan or merge), pack, mail."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cxdesk.cli import add_json, emit, hold_open, light_database, open_store, prepare_folder
from cxdesk.commands.tracking import ConsoleProgress
from cxdesk.errors import UserError
from cxdesk.text import items as items_text
from cxdesk.text import plural


def cmd_export(args: argparse.Namespace) -> int:
    from cxdesk.io.model import ExportOptions

    opts = ExportOptions(layout=args.layout)
    if args.font_size:
        if not 10 <= args.font_size <= 16:
            raise UserError("Размер шрифта — от 10 до 16 пт (по ГОСТ обычно 12–14).")
        opts.font_size = args.font_size
    progress = ConsoleProgress(not args.json)
    info: dict[str, Any] = {}
    try:
        done = _light_pdf(args, opts, progress, info)
        if done is None:
            from cxdesk.services.documents import export_plan

            store = open_store(args)
            if args.form:
                from cxdesk.services.forms import find_form

                opts.form = find_form(store, args.form)
            done = export_plan(
                store, args.plan, Path(args.output), args.format, opts, progress, info=info
            )
        path, rows = done
    finally:
        progress.finish()
    pages = info.get("pages")
    more = f", {pages} стр." if pages else ""
    emit(
        args,
        {"path": str(path), "rows": rows, "pages": pages},
        f"Записан {path} ({plural(rows, 'строка', 'строки', 'строк')}{more}).",
    )
    return 0


def _light_pdf(
    args: argparse.Namespace, opts: Any, progress: ConsoleProgress, info: dict[str, Any]
) -> tuple[Path, int] | None:
    """A PDF of the data folder's own plan, read through the light path (a PDF changes nothing
    in the store, so SQLAlchemy is not imported); None when that path does not apply (another
    format, a form named, a shared database, a database to migrate or damaged, no such plan)."""
    out = Path(args.output)
    db = light_database(args)
    if db is None or args.form or (args.format or out.suffix.lower().lstrip(".")) != "pdf":
        return None
    from cxdesk.services.plan_docs import check_target, light_plan_doc, write_doc
    from cxdesk.storage.light import open_reader

    f = check_target(out, args.format, opts)
    reader = open_reader(db)
    if reader is None:
        return None
    doc = light_plan_doc(reader, args.plan)
    if doc is None:
        reader.close()
        return None
    hold_open(reader)  # to the command's end: the last to close folds the -wal file in
    prepare_folder(db.parent)
    rows = write_doc(doc, out, f, opts, progress, info, db.parent)
    progress.set_value(1.0)
    return out, rows


def cmd_import(args: argparse.Namespace) -> int:
    store = open_store(args)
    progress = ConsoleProgress(not args.json)
    try:
        if args.into:
            from cxdesk.services.merge import apply_merge, preview_merge

            if args.dry_run:
                preview = preview_merge(store, args.into, Path(args.file), progress)
            else:
                preview, _ = apply_merge(store, args.into, Path(args.file), None, progress)
            data = {
                "plan": preview.plan_id,
                "items": sum(1 for d in preview.differences if d.kind == "added"),
                "warnings": preview.warnings,
                "changes": [d.as_json() for d in preview.differences],
            }

            def text() -> str:
                head = "Будет изменено" if args.dry_run else "Перенесено"
                lines = [f"{head} в плане {preview.plan_id}: {len(preview.differences)} изменений."]
                for d in preview.differences:
                    mark = "  [КОНФЛИКТ]" if d.conflict else ""
                    lines.append(f"  {d.item} {d.field}: «{d.old}» → «{d.new}»{mark}")
                lines += [f"Предупреждение: {w}" for w in preview.warnings]
                return "\n".join(lines)

            emit(args, data, text)
            return 0
        from cxdesk.services.importing import import_file

        outcome = import_file(store, Path(args.file), progress, args.dry_run, org=args.org)
    finally:
        progress.finish()
    data = {
        "plan": outcome.plan_id,
        "items": outcome.items,
        "warnings": outcome.warnings,
        "changes": [],
    }
    emit(args, data, lambda: "\n".join(
        [f"Загружен план {outcome.plan_id}: {items_text(outcome.items)}." if outcome.plan_id
         else f"Проверка: в файле {items_text(outcome.items)}; ничего не изменено."]
        + [f"Предупреждение: {w}" for w in outcome.warnings]
    ))  # fmt: skip
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    from cxdesk.services.packing import pack_plan

    progress = ConsoleProgress(not args.json)
    try:
        path, items, files = pack_plan(open_store(args), args.plan, Path(args.output), progress)
    finally:
        progress.finish()
    emit(args, {"path": str(path), "items": items, "attachments": files},
         f"Пакет {path}: {items_text(items)}, "
         f"{plural(files, 'вложение', 'вложения', 'вложений')}.")  # fmt: skip
    return 0


def cmd_mail(args: argparse.Namespace) -> int:
    from cxdesk.services.outbox import mail_plan

    result = mail_plan(open_store(args), args.plan, args.format, args.to or "",
                       Path(args.eml) if args.eml else None)  # fmt: skip
    emit(args, {"attachment": str(result.attachment), "method": result.method},
         f"Письмо подготовлено ({result.method}): вложение {result.attachment}")  # fmt: skip
    return 0


def register(sub: Any) -> None:
    """Adds this module's commands."""
    p = sub.add_parser("export", help="выгрузить план в docx, xlsx или pdf")
    p.add_argument("plan")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--format", choices=["docx", "xlsx", "pdf"])
    p.add_argument("--layout", default="official", choices=["official", "dates", "report"])
    p.add_argument("--font-size", type=float, help="размер шрифта, пт (12–14)")
    p.add_argument(
        "--form", metavar="NAME|FILE", help="форма печати (cxdesk form list) или файл формы .json"
    )
    add_json(p)
    p.set_defaults(handler=cmd_export)

    from cxdesk.commands import forms

    forms.register(sub)

    p = sub.add_parser("import", help="загрузить план из docx, xlsx, odt, ods, csv или .cxplan")
    p.add_argument("file")
    p.add_argument("--into", metavar="PLAN", help="объединить с этим планом")
    p.add_argument("--dry-run", action="store_true", help="только показать, ничего не менять")
    p.add_argument("--org", help="организация плана, если в файле она не указана или неверна")
    add_json(p)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("pack", help="собрать пакет .cxplan с вложениями")
    p.add_argument("plan")
    p.add_argument("-o", "--output", required=True, metavar="OUT.cxplan")
    add_json(p)
    p.set_defaults(handler=cmd_pack)

    p = sub.add_parser("mail", help="отправить план по почте")
    p.add_argument("plan")
    p.add_argument("--to", metavar="ADDR")
    p.add_argument("--format", default="cxplan", choices=["cxplan", "docx", "xlsx", "pdf"])
    p.add_argument("--eml", metavar="OUT.eml", help="записать черновик письма в файл")
    add_json(p)
    p.set_defaults(handler=cmd_mail)
