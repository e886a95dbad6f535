"""Services on whole plans: create from a template, change the answers, exclude an item by
agreement, edit the plan's own fields, delete. Each is one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxdesk.domain.building import (
    PlanRequest,
    build_rows,
    check_answers,
    depth_of,
    fresh_numbers,
    node_included,
    propose_answers,
)
from cxdesk.domain.deadlines import parse_deadline, parse_user_date
from cxdesk.domain.form import plan_title
from cxdesk.domain.item_fields import ITEM_FIELDS, values_of
from cxdesk.domain.past_deadlines import is_past
from cxdesk.domain.templates import Node, Template, get_template
from cxdesk.errors import UserError
from cxdesk.services.common import (
    STATUSES,
    Changes,
    find_plan,
    find_row,
    new_uid,
    now,
    record,
    today,
)
from cxdesk.services.views import holds_data
from cxdesk.storage.db import Store
from cxdesk.storage.models import History, Plan, Row

PLAN_FIELDS = (
    "org", "title", "approver_position", "approver_name", "approval_date", "signature", "executor",
)  # fmt: skip
ANSWER_BASIS = "исключено ответом на вопрос"
ANSWER_NOTE = "ответы изменены"


def default_title(template: Template, org: str) -> str:
    """The title printed above the table when the user gives none."""
    base = "План мероприятий («Дорожная карта») по внедрению Стандартов клиентоцентричности"
    if template.id == "szn_pilot":
        return template.title
    return plan_title(base, org)  # «… в Министерстве труда …»


def due_iso(deadline: str) -> str | None:
    due = parse_deadline(deadline).due
    return due.isoformat() if due else None


def stored_values(src: object) -> dict[str, Any]:
    """The fields of a row read from a file (:class:`cxdesk.io.model.Row`) as the store keeps
    them: an unknown status reads «not started», a done date that is no date is dropped, and the
    due date is derived from the deadline."""
    values = values_of(src, ITEM_FIELDS)
    if values["status"] not in STATUSES:
        values["status"] = "not_started"
    if not parse_user_date(str(values["done_date"] or "")):
        values["done_date"] = ""
    values["due_date"] = due_iso(str(values["deadline"]))
    return values


def _new_row(plan: Plan, position: int, **values: object) -> Row:
    row = Row(plan_id=plan.id, uid=new_uid(), position=position, **values)
    row.due_date = due_iso(row.deadline or "")
    return row


@dataclass(frozen=True)
class Created:
    """A plan just made: its id, and what the views redraw (a new plan in the list)."""

    plan_id: int

    @property
    def changes(self) -> Changes:
        return Changes(plan_ids={self.plan_id}, structure=True, plans_list=True)


def create_plan(store: Store, request: PlanRequest) -> Created:
    """Makes a plan from a template and the wizard's answers."""
    template = get_template(request.template_id)
    answers = check_answers(template, request.answers)
    org = request.org.strip()
    if not org:
        raise UserError("Не указана организация. Укажите её: --org «Название органа».")
    for ref in (*request.done, *request.exclusions):
        template.node(ref)
    if request.past_deadlines not in ("keep", "default", "shift"):
        raise UserError(
            f"«{request.past_deadlines}» — не способ обойтись с прошедшими сроками. "
            "Допустимо: keep (оставить), default (срок по умолчанию), shift (перенести на годы)."
        )
    rows = build_rows(template, PlanRequest(**{**request.__dict__, "answers": answers}))
    stamp = now()
    with store.session() as s:
        plan = Plan(
            uid=new_uid(),
            template_id=template.id,
            template_version=template.version,
            org=org,
            title=request.title.strip() or default_title(template, org),
            approver_position=request.approver_position,
            approver_name=request.approver_name,
            approval_date=request.approval_date,
            answers=json.dumps(answers, ensure_ascii=False, sort_keys=True),
            done_refs=json.dumps(sorted(request.done), ensure_ascii=False),
            auto_number=True,
            numbering=template.numbering,
            source=f"типовой план «{template.short_title}», версия {template.version}",
            created_at=stamp,
            updated_at=stamp,
        )
        s.add(plan)
        s.flush()
        made = []
        for i, r in enumerate(rows):
            made.append(
                _new_row(
                    plan,
                    i,
                    depth=r.depth,
                    kind=r.kind,
                    ref=f"{template.id}:{r.ref}",
                    number=r.number,
                    title=r.title,
                    deadline=r.deadline,
                    responsible=r.responsible,
                    result=r.result,
                    document=r.document,
                    materials=r.materials,
                    status=r.status,
                    basis=r.basis,
                )  # fmt: skip
            )
        s.add_all(made)
        s.flush()
        for row in made:
            if row.kind == "item":
                record(s, plan.id, row.id, "created", "", row.status, plan.source)
        return Created(plan.id)


@dataclass
class AnswerChange:
    """What a change of answers does: refs added, removed, and kept as excluded."""

    plan_id: int
    answers: dict[str, bool]
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_excluded: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    previous: dict[str, bool] = field(default_factory=dict)  # the answers before the change
    structure: bool = True  # False: only the answers were recorded, no row came or went

    @property
    def changes(self) -> Changes:
        """What the views redraw after the change: items come and go."""
        return Changes({self.plan_id}, structure=True, history=True, plans_list=True)


def _failing_questions(node: Node, answers: dict[str, bool]) -> list[str]:
    out = []
    for n in (node, *node.ancestors()):
        out += [q for q, want in n.include_if.items() if answers.get(q) is not want]
    return out


def _renumber(s: Session, plan: Plan, seq: list[Row]) -> None:
    for i, row in enumerate(seq):
        row.position = i
    if plan.auto_number:
        for row, number in zip(
            seq, fresh_numbers([(r.kind, r.depth) for r in seq], plan.numbering), strict=True
        ):
            row.number = number


def _drop_empty_headings(s: Session, seq: list[Row]) -> list[Row]:
    while True:
        keep = []
        for i, row in enumerate(seq):
            nxt = seq[i + 1] if i + 1 < len(seq) else None
            empty = row.kind != "item" and (
                nxt is None or (nxt.kind != "item" and nxt.depth <= row.depth)
            )
            if empty:
                s.delete(row)
            else:
                keep.append(row)
        if len(keep) == len(seq):
            return keep
        seq = keep


def proposed_answers(store: Store, plan_token: str | int) -> dict[str, bool]:
    """For a plan without saved answers (imported): the answers its contents imply."""
    with store.session() as s:
        plan = find_plan(s, plan_token)
        if not plan.template_id:
            return {}
        template = get_template(plan.template_id)
        prefix = f"{template.id}:"
        refs = {
            r[len(prefix) :]
            for r in s.scalars(select(Row.ref).where(Row.plan_id == plan.id))
            if r.startswith(prefix)
        }
        return propose_answers(template, refs)


def change_answers(
    store: Store,
    plan_token: str | int,
    new_answers: dict[str, bool],
    dry_run: bool = False,
    structure: bool = True,
) -> AnswerChange:  # noqa: C901 - one transaction, read top to bottom
    """Changes a plan's answers: adds what they bring in (in template order), removes what
    they leave out, and keeps as excluded the rows that hold data. With ``structure=False``
    (the first answers of an imported plan, read from its contents) only the answers are
    recorded and no row comes or goes."""
    with store.session() as s:
        plan = find_plan(s, plan_token)
        if not plan.template_id:
            raise UserError(f"План {plan.id} загружен из файла и не связан с вопросами шаблона.")
        template = get_template(plan.template_id)
        if structure or new_answers:
            answers = check_answers(template, {**json.loads(plan.answers or "{}"), **new_answers})
        else:  # the undo of an imported plan's first answers: none again
            answers = {}
        done = set(json.loads(plan.done_refs or "[]"))
        prefix = f"{template.id}:"
        order = {n.ref: i for i, n in enumerate(template.walk())}
        seq = list(s.scalars(select(Row).where(Row.plan_id == plan.id).order_by(Row.position)))
        by_ref = {r.ref[len(prefix) :]: r for r in seq if r.ref.startswith(prefix)}
        change = AnswerChange(
            plan.id, answers, previous=json.loads(plan.answers or "{}"), structure=structure
        )
        for item in template.items() if structure else ():
            row = by_ref.get(item.ref)
            wanted = node_included(item, answers) and item.ref not in done
            if row is None and wanted:
                change.added.append(prefix + item.ref)
            elif row is not None and not wanted and row.status != "excluded":
                if holds_data(s, row):
                    change.kept_excluded.append(row.ref)
                else:
                    change.removed.append(row.ref)
            elif (
                row is not None
                and wanted
                and row.status == "excluded"
                and row.basis.startswith(ANSWER_BASIS)
            ):
                change.restored.append(row.ref)
        if dry_run:
            return change

        for ref in change.kept_excluded:
            row = by_ref[ref[len(prefix) :]]
            texts = {q.id: q.text for q in template.questions}
            failing = _failing_questions(template.node(row.ref[len(prefix) :]), answers)
            qs = ", ".join(
                f"«{texts.get(q, q)}» — «{'Да' if answers.get(q) else 'Нет'}»" for q in failing
            )
            basis = f"{ANSWER_BASIS} {qs}"
            record(s, plan.id, row.id, "status", row.status, "excluded", basis)
            if row.basis:
                record(s, plan.id, row.id, "basis", row.basis, basis, ANSWER_NOTE)
            row.status, row.basis = "excluded", basis
        for ref in change.restored:
            row = by_ref[ref[len(prefix) :]]
            status, basis = _before_answer_exclusion(s, row)
            record(s, plan.id, row.id, "status", row.status, status, ANSWER_NOTE)
            row.status, row.basis = status, basis
        removed = {ref for ref in change.removed}
        for row in [r for r in seq if r.ref in removed]:
            s.delete(row)
        seq = [r for r in seq if r.ref not in removed]
        carried = _carried_values(template, prefix, seq)
        for ref in change.added:
            node = template.node(ref[len(prefix) :])
            for n in (*reversed(list(node.ancestors())), node):
                if prefix + n.ref in {r.ref for r in seq}:
                    continue
                at = 0
                for i, r in enumerate(seq):
                    if (
                        r.ref.startswith(prefix)
                        and order.get(r.ref[len(prefix) :], -1) < order[n.ref]
                    ):
                        at = i + 1
                row = _new_row(
                    plan, 0, depth=depth_of(n), kind=n.kind, ref=prefix + n.ref,
                    number="", title=n.title,
                    deadline=carried.get(("deadline", n.deadline), n.deadline),
                    responsible=carried.get(("responsible", n.responsible), n.responsible),
                    result=n.result, document=n.document, materials=n.materials,
                    status="not_started",
                )  # fmt: skip
                s.add(row)
                seq.insert(at, row)
        if structure:
            seq = _drop_empty_headings(s, seq)
            _renumber(s, plan, seq)
        s.flush()
        for row in seq:
            if row.ref in set(change.added):
                record(
                    s,
                    plan.id,
                    row.id,
                    "created",
                    "",
                    "not_started",
                    "добавлено при изменении ответов",
                )
        for qid, value in answers.items():
            old = json.loads(plan.answers or "{}").get(qid)
            if old is not value:
                record(s, plan.id, None, f"answer:{qid}", _yes_no(old), _yes_no(value))
        plan.answers = json.dumps(answers, ensure_ascii=False, sort_keys=True)
        plan.updated_at = now()
        return change


def _carried_values(template: Template, prefix: str, seq: list[Row]) -> dict[tuple[str, str], str]:
    """What the plan made of the template's values when it was created, so that an item the
    answers bring back gets the same: the default deadline and responsible (where the template
    gives none) and the past template deadlines moved or replaced in the wizard. A template
    value counts only when every item of the plan that has it got one and the same other value.
    """
    seen: dict[tuple[str, str], set[str]] = {}
    for row in seq:
        if row.kind != "item" or not row.ref.startswith(prefix):
            continue
        try:
            node = template.node(row.ref[len(prefix) :])
        except UserError:
            continue
        for name in ("deadline", "responsible"):
            given = getattr(node, name)
            if name == "deadline" and given and not is_past(given, today()):
                continue  # a deadline still ahead is the template's to keep
            if name == "responsible" and given:
                continue
            seen.setdefault((name, given), set()).add(getattr(row, name))
    return {
        key: next(iter(values))
        for key, values in seen.items()
        if len(values) == 1 and key[1] not in values
    }


def _before_answer_exclusion(s: Session, row: Row) -> tuple[str, str]:
    """The status and basis a row had before an answer excluded it (from its history), so
    that answering back brings a done item back done, never «не начато»."""
    entries = s.scalars(
        select(History)
        .where(History.row_id == row.id, History.field.in_(("status", "basis")))
        .order_by(History.id.desc())
    )
    basis = ""
    for h in entries:
        if h.field == "basis" and h.new == row.basis:
            basis = h.old
        elif h.field == "status" and h.new == "excluded" and h.note.startswith(ANSWER_BASIS):
            status = h.old if h.old in STATUSES and h.old != "excluded" else "not_started"
            return status, basis
    return "not_started", basis


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("да" if value else "нет")


def exclude_item(store: Store, plan_token: str | int, item_token: str, basis: str) -> Changes:
    """Excludes an item by agreement with the Analytical Center: it stays, shown excluded."""
    basis = basis.strip()
    if not basis:
        raise UserError(
            "Укажите основание исключения (например, номер и дату письма Аналитического "
            "центра): --basis «Письмо № … от …»."
        )
    with store.session() as s:
        plan = find_plan(s, plan_token)
        row = find_row(s, plan, item_token)
        if row.kind != "item":
            raise UserError(
                f"Строка «{row.number}» — заголовок, а не пункт; исключить можно пункт."
            )
        record(s, plan.id, row.id, "status", row.status, "excluded", basis)
        if row.basis != basis:
            record(s, plan.id, row.id, "basis", row.basis, basis)
        row.status, row.basis = "excluded", basis
        plan.updated_at = now()
        return Changes({plan.id}, {row.id}, history=True, plans_list=True)


def edit_plan(store: Store, plan_token: str | int, **values: str) -> Changes:
    """Edits the plan's own fields: organisation, title and the approval block."""
    with store.session() as s:
        plan = find_plan(s, plan_token)
        for name, value in values.items():
            if name not in PLAN_FIELDS:
                raise UserError(f"У плана нет поля «{name}».")
            old = getattr(plan, name)
            if value != old:
                record(s, plan.id, None, name, old, value)
                setattr(plan, name, value)
        plan.updated_at = now()
        return Changes({plan.id}, plans_list=True, history=True)


def delete_plan(store: Store, plan_token: str | int) -> Changes:
    """Deletes a plan with its rows and history (stored files stay for other plans and check)."""
    with store.session() as s:
        plan = find_plan(s, plan_token)
        s.delete(plan)
        return Changes({plan.id}, structure=True, plans_list=True)
