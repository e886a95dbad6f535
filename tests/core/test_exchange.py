"""Round trips (export → import, package → import) and merging a colleague's file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxdesk.domain.building import PlanRequest
from cxdesk.io.model import ExportOptions
from cxdesk.services.attachments import attach_files, list_attachments
from cxdesk.services.common import Changes
from cxdesk.services.documents import export_plan
from cxdesk.services.importing import import_file
from cxdesk.services.items import update_item
from cxdesk.services.merge import apply_merge, preview_merge, undo_merge
from cxdesk.services.packing import pack_plan
from cxdesk.services.plans import create_plan, edit_plan, exclude_item
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store

from .helpers import all_answers

pytestmark = pytest.mark.both_engines

FIELDS = ("kind", "number", "ref", "title", "deadline", "responsible", "result", "document",
          "materials", "status", "basis")  # fmt: skip


def realistic(store: Store, tmp_path: Path) -> int:
    pid = create_plan(
        store,
        PlanRequest(
            "agency",
            "Министерство труда и социальной защиты Тульской области",
            answers=all_answers("agency", True),
            approver_position="Министр труда и социальной защиты\nТульской области",
            approver_name="А.Б. Васильев",
            approval_date="15.03.2024",
        ),
    ).plan_id
    update_item(store, pid, "1.1", {"status": "done", "result": "=HYPERLINK(\"http://x\")",
                                    "responsible": "Иванов И.И.\nПетрова А.А."})  # fmt: skip
    update_item(store, pid, "1.2", {"status": "in_progress", "deadline": "II квартал 2026 г."})
    exclude_item(store, pid, "1.7", "Письмо АЦ № 12-3 от 05.03.2024")
    proof = tmp_path / "Приказ № 15 от 01.02.2024.pdf"
    proof.write_bytes(b"%PDF-1.4 order")
    attach_files(store, pid, "1.1", [proof])
    return pid


def rows_of(store: Store, pid: int) -> list[tuple[str, ...]]:
    return [tuple(getattr(r, f) for f in FIELDS) for r in get_plan(store, pid).rows]


@pytest.mark.parametrize(("fmt", "layout"), [("docx", "official"), ("docx", "report"),
                                             ("xlsx", "official"), ("xlsx", "report")])  # fmt: skip
def test_export_import_round_trip(store: Store, tmp_path: Path, fmt: str, layout: str) -> None:
    pid = realistic(store, tmp_path)
    out = tmp_path / f"план.{fmt}"
    export_plan(store, pid, out, options=ExportOptions(layout=layout))
    outcome = import_file(store, out)
    assert outcome.plan_id is not None
    assert rows_of(store, outcome.plan_id) == rows_of(store, pid)
    a, b = get_plan(store, pid), get_plan(store, outcome.plan_id)
    assert (b.org, b.title, b.approver_position, b.approver_name, b.approval_date) == (
        a.org, a.title, a.approver_position, a.approver_name, a.approval_date,
    )  # fmt: skip
    assert b.template_id == "agency" and b.answers == a.answers


def test_package_round_trip_with_history_and_files(store: Store, tmp_path: Path) -> None:
    pid = realistic(store, tmp_path)
    path, items, files = pack_plan(store, pid, tmp_path / "план")
    assert path.suffix == ".cxplan" and items == 76 and files == 1
    other = Store(tmp_path / "colleague")
    outcome = import_file(other, path)
    assert outcome.plan_id is not None
    assert rows_of(other, outcome.plan_id) == rows_of(store, pid)
    (att,) = list_attachments(other, outcome.plan_id, "1.1")
    assert other.blobs.path(att.sha256).read_bytes() == b"%PDF-1.4 order"
    from cxdesk.services.items import item_history

    fields = [h.field for h in item_history(other, outcome.plan_id, "1.1")]
    assert fields.count("status") == 1 and "attachment" in fields


def test_merge_carries_status_and_attachment_and_shows_conflict(
    store: Store, tmp_path: Path
) -> None:
    pid = realistic(store, tmp_path)
    sent, _, _ = pack_plan(store, pid, tmp_path / "to-colleague.cxplan")
    colleague = Store(tmp_path / "colleague")
    imported = import_file(colleague, sent)
    their = imported.plan_id
    assert their is not None
    assert imported.changes == Changes({their}, structure=True, history=True, plans_list=True)
    assert import_file(colleague, sent, dry_run=True).changes == Changes()
    # the colleague works: a status, a new proof, and the same field we also change
    update_item(colleague, their, "1.2", {"status": "done"})
    report = tmp_path / "Отчет о формировании реестра.docx"
    report.write_bytes(b"PK report")
    attach_files(colleague, their, "1.4", [report])
    update_item(colleague, their, "1.3", {"result": "их результат"})
    update_item(store, pid, "1.3", {"result": "наш результат"})
    back, _, _ = pack_plan(colleague, their, tmp_path / "from-colleague.cxplan")

    preview = preview_merge(store, pid, back)
    by = {(d.item, d.field): d for d in preview.differences}
    assert by[("1.2.", "status")].new == "done" and not by[("1.2.", "status")].conflict
    assert by[("1.4.", "attachment")].new == report.name
    assert by[("1.3.", "result")].conflict
    assert get_plan(store, pid).items()[1].status == "in_progress"  # nothing changed yet

    accept = {d.index for d in preview.differences if not d.conflict}
    _, undo = apply_merge(store, pid, back, accept)
    plan = get_plan(store, pid)
    assert plan.items()[1].status == "done"
    assert undo.changes.plan_ids == {pid} and undo.changes.plans_list and undo.changes.history
    assert plan.items()[1].id in undo.changes.row_ids  # the status that came from the file
    assert next(r for r in plan.rows if r.number == "1.3.").id not in undo.changes.row_ids
    assert next(r for r in plan.rows if r.number == "1.3.").result == "наш результат"
    assert [a.name for a in list_attachments(store, pid, "1.4")] == [report.name]
    from cxdesk.services.items import item_history

    assert any("из файла" in h.note for h in item_history(store, pid, "1.2"))
    undo_merge(store, undo)
    assert get_plan(store, pid).items()[1].status == "in_progress"
    assert list_attachments(store, pid, "1.4") == []


def test_merge_of_word_file_from_colleague(store: Store, tmp_path: Path) -> None:
    pid = realistic(store, tmp_path)
    edit_plan(store, pid, approver_name="А.Б. Васильев")
    out = tmp_path / "план.docx"
    export_plan(store, pid, out, options=ExportOptions(layout="report"))
    colleague = Store(tmp_path / "colleague")
    theirs = import_file(colleague, out).plan_id
    assert theirs is not None
    update_item(colleague, theirs, "1.4", {"status": "done", "result": "Реестр сформирован"})
    back = tmp_path / "от коллеги.docx"
    export_plan(colleague, theirs, back, options=ExportOptions(layout="report"))
    preview = preview_merge(store, pid, back)
    changed = {(d.item, d.field, d.new) for d in preview.differences}
    assert ("1.4.", "status", "done") in changed
    assert ("1.4.", "result", "Реестр сформирован") in changed


def test_file_without_organisation_is_named_after_the_file(store: Store) -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "tula_plan.docx"
    outcome = import_file(store, fixture)
    assert outcome.plan_id is not None
    plan = get_plan(store, outcome.plan_id)
    assert plan.org == "tula plan"
    assert any("не указана организация" in w for w in outcome.warnings)


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "cxplan"])
def test_change_before_the_exchange_is_no_conflict(store: Store, tmp_path: Path, fmt: str) -> None:
    """An export or package is an exchange point: our change made before it reached the
    colleague; their later change of that field is theirs alone. Only a field changed on both
    sides since the exchange is a conflict."""
    pid = realistic(store, tmp_path)
    update_item(store, pid, "1.3", {"result": "наш результат до выгрузки"})
    out = tmp_path / f"к коллеге.{fmt}"
    if fmt == "cxplan":
        sent, _, _ = pack_plan(store, pid, out)
    else:
        sent, _ = export_plan(store, pid, out, options=ExportOptions(layout="report"))
    colleague = Store(tmp_path / "colleague")
    their = import_file(colleague, sent).plan_id
    assert their is not None
    update_item(colleague, their, "1.3", {"result": "их результат"})
    update_item(colleague, their, "1.4", {"result": "их 1.4"})
    update_item(colleague, their, "1.5", {"result": "их 1.5"})
    update_item(store, pid, "1.5", {"result": "наш 1.5 после выгрузки"})
    update_item(store, pid, "1.6", {"result": "наш 1.6 после выгрузки"})
    back = tmp_path / f"от коллеги.{fmt}"
    if fmt == "cxplan":
        pack_plan(colleague, their, back)
    else:
        export_plan(colleague, their, back, options=ExportOptions(layout="report"))
    by = {(d.item, d.field): d for d in preview_merge(store, pid, back).differences}
    assert by[("1.3.", "result")].new == "их результат"
    assert not by[("1.3.", "result")].conflict  # ours came before the exchange
    assert not by[("1.4.", "result")].conflict  # only theirs
    assert by[("1.5.", "result")].conflict  # both since the exchange
    assert not by[("1.6.", "result")].conflict  # only ours: theirs is what we sent


def test_our_export_edited_in_word_merges_without_false_conflicts(
    store: Store, tmp_path: Path
) -> None:
    """Our own docx, edited by hand (the file keeps its hidden stamp), comes back: the field we
    changed before exporting it and they edited in the file is no conflict."""
    import docx

    pid = realistic(store, tmp_path)
    update_item(store, pid, "1.3", {"result": "наш результат"})
    out, _ = export_plan(store, pid, tmp_path / "план.docx", options=ExportOptions(layout="report"))
    update_item(store, pid, "1.4", {"result": "наш 1.4 после выгрузки"})
    document = docx.Document(str(out))
    cells = [c for t in document.tables for r in t.rows for c in r.cells]
    target = next(c for c in cells if c.text == "наш результат")
    target.text = "результат, исправленный в Word"
    document.save(str(tmp_path / "исправлено.docx"))
    by = {(d.item, d.field): d for d in preview_merge(store, pid, tmp_path / "исправлено.docx")
          .differences}  # fmt: skip
    assert by[("1.3.", "result")].new == "результат, исправленный в Word"
    assert not by[("1.3.", "result")].conflict
    assert ("1.4.", "result") in by and not by[("1.4.", "result")].conflict


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the readers parse, in order (the real readers run; each call is noted)."""
    import cxdesk.io.docx_reader as docx_reader
    import cxdesk.io.package as package

    seen: list[Path] = []
    for module, name in ((docx_reader, "read_docx"), (package, "read_package")):
        real = getattr(module, name)

        def noting(path: Path, *args: object, _real: object = real) -> object:
            seen.append(Path(path))
            return _real(path, *args)  # type: ignore[operator]

        monkeypatch.setattr(module, name, noting)
    return seen


@pytest.mark.parametrize("fmt", ["docx", "cxplan"])
def test_a_file_is_parsed_once_from_preview_to_import_and_to_merge(
    store: Store, tmp_path: Path, fmt: str, parses: list[Path]
) -> None:
    """The preview reads the file; creating the plan from it, comparing it with a plan and
    merging it all use what the preview read."""
    from cxdesk.services.importing import read_incoming

    pid = realistic(store, tmp_path)
    out = tmp_path / f"план.{fmt}"
    if fmt == "cxplan":
        pack_plan(store, pid, out)
    else:
        export_plan(store, pid, out, options=ExportOptions(layout="report"))
    update_item(store, pid, "1.3", {"result": "изменено после выгрузки"})

    incoming = read_incoming(store, out)
    try:
        created = import_file(store, incoming, org="Другой орган").plan_id
        assert created is not None and get_plan(store, created).org == "Другой орган"
        preview = preview_merge(store, pid, incoming)
        assert any(d.item == "1.3." and d.field == "result" for d in preview.differences)
        apply_merge(store, pid, incoming)
    finally:
        incoming.cleanup()
    assert parses == [out]
    merged = {r.number: r.result for r in get_plan(store, pid).rows}
    assert merged["1.3."] != "изменено после выгрузки"  # the file's value came back
    if fmt == "cxplan":  # the extracted attachments are gone with the preview: said, not a crash
        from cxdesk.errors import BadFile

        with pytest.raises(BadFile, match="уже закрыт"):
            apply_merge(store, pid, incoming)
