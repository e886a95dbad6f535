"""Plan building: which template nodes a plan includes, and how its rows are numbered.

The rules (footnote 2 of the region template, templates.md): every item is mandatory unless its
condition is answered so as to leave it out; an item already completed when the plan is approved
is left out; an item excluded by agreement with the Analytical Center stays, shown as excluded
with its basis; rows are numbered afresh in document order, each keeping its template ref.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from cxdesk import clock
from cxdesk.domain.deadlines import parse_deadline
from cxdesk.domain.past_deadlines import PastDeadline, is_past, resolve
from cxdesk.domain.templates import Node, Question, Template
from cxdesk.errors import UserError


@dataclass
class PlanRequest:
    """Everything the wizard (or ``cxdesk new``) asks before a plan is made."""

    template_id: str
    org: str
    title: str = ""
    answers: dict[str, bool] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)  # template refs completed before approval
    exclusions: dict[str, str] = field(default_factory=dict)  # template ref → basis
    default_responsible: str = ""
    default_deadline: str = ""
    approver_position: str = ""
    approver_name: str = ""
    approval_date: str = ""
    #: Template deadlines already past (see :mod:`cxdesk.domain.past_deadlines`): keep them,
    #: put ``default_deadline`` in their place, or move them by ``shift_years``.
    past_deadlines: str = "keep"
    shift_years: int = 0


@dataclass
class PlannedRow:
    """A row of a plan about to be made (or shown in the wizard's summary)."""

    kind: str
    ref: str  # the template ref, without the template id
    number: str
    title: str
    depth: int
    deadline: str = ""
    responsible: str = ""
    result: str = ""
    document: str = ""
    materials: str = ""
    status: str = "not_started"
    basis: str = ""


def node_included(node: Node, answers: Mapping[str, bool]) -> bool:
    """True when the node's own condition and those of all its ancestors hold."""
    for n in (node, *node.ancestors()):
        for qid, want in n.include_if.items():
            if answers.get(qid) is not want:
                return False
    return True


def missing_answers(template: Template, answers: Mapping[str, bool]) -> list[Question]:
    """Questions with neither an answer nor a default."""
    return [q for q in template.questions if q.id not in answers and q.default is None]


def with_defaults(template: Template, answers: Mapping[str, bool]) -> dict[str, bool]:
    """The answers, with each unanswered question's default filled in."""
    full = {q.id: q.default for q in template.questions if q.default is not None}
    full.update(answers)
    return {k: bool(v) for k, v in full.items()}


def check_answers(template: Template, answers: Mapping[str, bool]) -> dict[str, bool]:
    """Validates answers: unknown ids and missing answers are errors that name the question."""
    known = {q.id for q in template.questions}
    for qid in answers:
        if qid not in known:
            template.question(qid)  # raises NotFound naming the known ids
    missing = missing_answers(template, answers)
    if missing:
        q = missing[0]
        more = f" (и ещё {len(missing) - 1})" if len(missing) > 1 else ""
        raise UserError(
            f"Нет ответа на вопрос «{q.id}»: {q.text}{more}. "
            f"Добавьте --answer {q.id}=yes или --answer {q.id}=no."
        )
    return with_defaults(template, answers)


def propose_answers(template: Template, refs: set[str]) -> dict[str, bool]:
    """Answers read from what a plan contains (a plan imported without answers): a question
    whose conditional block, section or item is in the plan gets the answer that brings it in,
    one whose nodes are all absent the answer that leaves them out."""
    out = {}
    for q in template.questions:
        nodes = [n for n in template.walk() if q.id in n.include_if]
        if not nodes:
            continue
        present = [
            n for n in nodes
            if n.ref in refs or any(i.ref in refs for i in template.items() if n in i.ancestors())
        ]  # fmt: skip
        out[q.id] = present[0].include_if[q.id] if present else not nodes[0].include_if[q.id]
    return out


def included_items(template: Template, answers: Mapping[str, bool]) -> list[Node]:
    """Template items that the answers bring into a plan, in document order."""
    return [n for n in template.items() if node_included(n, answers)]


def depth_of(node: Node) -> int:
    return sum(1 for _ in node.ancestors())


def fresh_numbers(rows: Sequence[tuple[str, int]], scheme: str) -> list[str]:
    """Numbers rows afresh: ``rows`` are (kind, depth) in document order.

    ``dotted``: «1.», «1.1.», «3.1.1.»; ``plain``: «1», «1.1», … (the pilot programme).
    """
    counters: list[int] = []
    out = []
    for _kind, depth in rows:
        del counters[depth + 1 :]
        while len(counters) <= depth:
            counters.append(0)
        counters[depth] += 1
        text = ".".join(str(c) for c in counters[: depth + 1])
        out.append(text + "." if scheme == "dotted" else text)
    return out


def resolve_template_refs(template: Template, tokens: Iterable[str]) -> set[str]:
    """Reads ``--done`` values: a template ref («1.5-sub») or a printed number («3.1.4.»)."""
    refs: set[str] = set()
    for token in tokens:
        t = token.strip()
        items = [n for n in template.items() if n.ref == t]
        if not items:
            items = [n for n in template.find_by_number(t) if n.kind == "item"]
        if not items:
            raise UserError(
                f"В шаблоне «{template.id}» нет пункта «{t}». Укажите номер пункта из "
                f"типового плана (например 1.1) или его ссылку (cxdesk show --json, поле ref)."
            )
        if len(items) > 1:
            options = ", ".join(n.ref for n in items)
            raise UserError(
                f"В шаблоне «{template.id}» пунктов с номером «{t}» несколько: укажите "
                f"ссылку одного из них ({options})."
            )
        refs.add(items[0].ref)
    return refs


def past_template_deadlines(template: Template, request: PlanRequest) -> list[PastDeadline]:
    """The plan's items whose template deadline is already past today."""
    on = clock.today()
    keep = PlanRequest(**{**request.__dict__, "past_deadlines": "keep"})
    return [
        PastDeadline(r.ref, r.number, r.deadline, parse_deadline(r.deadline).due)  # type: ignore[arg-type]
        for r in build_rows(template, keep)
        if r.kind == "item" and r.deadline and is_past(r.deadline, on)
        and template.node(r.ref).deadline == r.deadline
    ]  # fmt: skip


def build_rows(template: Template, request: PlanRequest) -> list[PlannedRow]:
    """The rows of a new plan, numbered afresh, headings only where they hold rows."""
    answers = with_defaults(template, request.answers)
    keep: list[Node] = []
    for item in template.items():
        if not node_included(item, answers) or item.ref in request.done:
            continue
        keep.append(item)
    wanted: set[str] = set()
    for item in keep:
        wanted.add(item.ref)
        wanted.update(a.ref for a in item.ancestors())
    nodes = [n for n in template.walk() if n.ref in wanted]
    numbers = fresh_numbers([(n.kind, depth_of(n)) for n in nodes], template.numbering)
    rows = []
    on = clock.today()
    for node, number in zip(nodes, numbers, strict=True):
        row = PlannedRow(
            kind=node.kind, ref=node.ref, number=number, title=node.title, depth=depth_of(node)
        )
        if node.kind == "item":
            own = resolve(
                node.deadline,
                request.past_deadlines,
                request.shift_years,
                request.default_deadline,
                on,
            )
            row.deadline = own or request.default_deadline
            row.responsible = node.responsible or request.default_responsible
            row.result = node.result
            row.document = node.document
            row.materials = node.materials
            basis = request.exclusions.get(node.ref)
            if basis is not None:
                row.status = "excluded"
                row.basis = basis.strip() or "по согласованию с Аналитическим центром"
        rows.append(row)
    return rows
