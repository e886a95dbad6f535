"""Audit: a plan checked against its typical template.

Works for a plan made here and for one imported from another body (its rows carry refs such as
«agency:3.1.4» where they were matched). An imported plan may have no saved answers: then nothing
is inferred about the answers, and only what does not depend on them is checked.

Problems (``Finding.problem``; :data:`PROBLEMS` gives the Russian names):

- ``missing`` — a mandatory item of the template whose conditions hold under the saved answers is
  not in the plan, was not completed before the plan, and no basis is recorded (an excluded row
  with its basis counts as present). ``item`` is the template ref, ``detail`` quotes the title.
- ``contradicts_answers`` — a block, section or item is in the plan although its condition is
  answered the other way (unless its rows are excluded with a basis), or a whole block or section
  whose condition is answered «yes» is absent (reported once for it, not per item).
- ``wording_changed`` — the title differs from the template's (compared ignoring case, spaces,
  quotes, dashes and «ё»); ``detail`` gives the template's wording.
- ``done_without_proof`` — marked done with nothing attached.
- ``document_mismatch`` — the attachments are plainly another kind of document than the
  «Вид документа» asks for (judged from file names, cautiously: see cxdesk.domain.doc_kinds).
- ``deadline_unreadable`` — the deadline text gives no date although it looks like one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cxdesk.domain.deadlines import UNREADABLE, format_date, parse_deadline
from cxdesk.domain.doc_kinds import find_mismatch
from cxdesk.domain.reports import PROBLEMS
from cxdesk.domain.templates import Node, Template, get_template
from cxdesk.errors import NotFound
from cxdesk.services.common import today
from cxdesk.services.views import PlanView, RowView, get_plan
from cxdesk.storage.db import Store

KIND_RU = {"block": "Блок", "section": "Раздел", "item": "Пункт"}


@dataclass(frozen=True)
class Finding:
    """One problem of a plan: the row it concerns (None for an absent item), and what is wrong.

    ``item`` is the row's shown number, or the template ref (e.g. «agency:3.1.4») of an item that
    is absent; ``ref`` is the template ref whenever there is one.
    """

    item: str
    row_id: int | None
    problem: str
    detail: str
    ref: str = ""

    @property
    def problem_ru(self) -> str:
        return PROBLEMS.get(self.problem, self.problem)


_QUOTES = re.compile(r"[«»“”„‟\"'`’‘]")
_DASHES = re.compile(r"[‐‑‒–—―]")
_SPACES = re.compile(r"\s+")


def normalize_title(text: str) -> str:
    """A title for comparison: case, spaces, quotes, dashes and «ё» do not count."""
    t = text.casefold().replace("ё", "е")
    t = _QUOTES.sub("", t)
    t = _DASHES.sub("-", t)
    t = _SPACES.sub(" ", t.replace("\u00a0", " ")).strip()
    return t.rstrip(" .;,")


def condition_state(node: Node, answers: Mapping[str, object]) -> bool | None:
    """Whether the node is in a plan under ``answers``: True, False, or None when a question it
    depends on has no answer (nothing is inferred then)."""
    unknown = False
    for n in (node, *node.ancestors()):
        for qid, want in n.include_if.items():
            got = answers.get(qid)
            if not isinstance(got, bool):
                unknown = True
            elif got is not want:
                return False
    return None if unknown else True


def plan_template(plan: PlanView) -> Template | None:
    """The typical template a plan was built on or matched to; None when it has none."""
    if not plan.template_id:
        return None
    try:
        return get_template(plan.template_id)
    except NotFound:
        return None


def local_ref(plan: PlanView, ref: str) -> str | None:
    """A row's ref without the template id, when it belongs to the plan's template."""
    tid, sep, local = ref.partition(":")
    if not sep or tid != plan.template_id or not local:
        return None
    return local


def _subtree_refs(node: Node) -> set[str]:
    out = {node.ref}
    for child in node.children:
        out |= _subtree_refs(child)
    return out


def _label(row: RowView) -> str:
    return row.number.strip() or f"#{row.id}"


def _failing(node: Node, answers: Mapping[str, object]) -> list[str]:
    return [
        qid
        for qid, want in node.include_if.items()
        if isinstance(answers.get(qid), bool) and answers.get(qid) is not want
    ]


def _yes_no(value: object) -> str:
    return "«да»" if value is True else "«нет»"


class _Audit:
    """The checks of one plan against one template, collecting findings with a sort key."""

    def __init__(self, plan: PlanView, template: Template | None) -> None:
        self.plan = plan
        self.template = template
        self.answers: dict[str, object] = dict(plan.answers or {})
        self.found: list[tuple[tuple[int, int, int], Finding]] = []
        self.by_ref: dict[str, list[RowView]] = {}
        self.position = {r.id: i for i, r in enumerate(plan.rows)}
        for r in plan.rows:
            local = local_ref(plan, r.ref) if r.ref else None
            if local:
                self.by_ref.setdefault(local, []).append(r)

    def add(self, key: tuple[int, int, int], finding: Finding) -> None:
        self.found.append((key, finding))

    def add_row(self, row: RowView, problem: str, detail: str) -> None:
        self.add(
            (self.position[row.id], 0, 0), Finding(_label(row), row.id, problem, detail, row.ref)
        )

    def question_text(self, qid: str) -> str:
        assert self.template is not None
        try:
            return self.template.question(qid).text
        except NotFound:
            return qid

    def rows_under(self, node: Node) -> list[RowView]:
        refs = _subtree_refs(node)
        return [r for ref in refs for r in self.by_ref.get(ref, [])]

    def check_structure(self) -> None:
        """Missing items and items or whole parts that contradict the saved answers."""
        template = self.template
        if template is None:
            return
        done_before = set(self.plan.done_refs or [])
        skip: set[str] = set()
        anchor = -1
        for walk_index, node in enumerate(template.walk()):
            present = self.by_ref.get(node.ref, [])
            if present:
                anchor = max(anchor, *(self.position[r.id] for r in present))
            if node.ref in skip:
                skip |= {c.ref for c in node.children}
                continue
            failing = _failing(node, self.answers)
            if failing:
                skip |= {c.ref for c in node.children}
                self._contradiction(node, failing)
                continue
            if node.kind != "item" and node.include_if and condition_state(node, self.answers):
                under = self.rows_under(node)
                items = {n.ref for n in template.walk() if n.kind == "item"} & _subtree_refs(node)
                if not under and not items <= done_before:
                    skip |= {c.ref for c in node.children}
                    qs = ", ".join(f"«{self.question_text(q)}»" for q in node.include_if)
                    detail = (
                        f"{KIND_RU[node.kind]} {node.number} «{node.title}» отсутствует в плане, "
                        f"хотя ответ на вопрос {qs} — «да»."
                    )
                    ref = template.full_ref(node)
                    self.add(
                        (anchor, 1, walk_index),
                        Finding(ref, None, "contradicts_answers", detail, ref),
                    )
                    continue
            if (
                node.kind == "item"
                and not node.optional
                and not present
                and node.ref not in done_before
                and condition_state(node, self.answers) is True
            ):
                ref = template.full_ref(node)
                detail = f"В плане нет пункта {node.number} «{node.title}»"
                self.add((anchor, 1, walk_index), Finding(ref, None, "missing", detail, ref))

    def _contradiction(self, node: Node, failing: list[str]) -> None:
        offending = [
            r for r in self.rows_under(node)
            if not (r.kind == "item" and r.status == "excluded" and r.basis.strip())
        ]  # fmt: skip
        if not any(r.kind == "item" for r in offending):
            return
        heading = [r for r in self.by_ref.get(node.ref, []) if r in offending]
        row = heading[0] if heading else min(offending, key=lambda r: self.position[r.id])
        answers = "; ".join(
            f"«{self.question_text(q)}» — {_yes_no(self.answers.get(q))}" for q in failing
        )
        self.add_row(
            row,
            "contradicts_answers",
            f"{KIND_RU[node.kind]} {node.number} «{node.title}» есть в плане, хотя по ответу "
            f"{answers} его не должно быть. Исключите его с основанием или измените ответ.",
        )

    def check_rows(self) -> None:
        """Wording, proof, kind of the attached documents and deadlines of each row."""
        for row in self.plan.rows:
            node = self._node(row)
            if node is not None and normalize_title(row.title) != normalize_title(node.title):
                self.add_row(row, "wording_changed", f"В типовом плане: «{node.title}»")
            if row.kind != "item" or row.status == "excluded":
                continue
            if row.status == "done" and not row.attachments:
                when = f" {row.done_date}" if row.done_date else ""
                self.add_row(
                    row,
                    "done_without_proof",
                    f"Пункт отмечен выполненным{when}, но подтверждающий документ не прикреплён.",
                )
            expected = row.document or (node.document if node is not None else "")
            mismatch = find_mismatch(expected, row.attachments)
            if mismatch is not None:
                text = mismatch.text()
                self.add_row(row, "document_mismatch", text[:1].upper() + text[1:])
            if parse_deadline(row.deadline).state == UNREADABLE:
                self.add_row(
                    row,
                    "deadline_unreadable",
                    f"Срок «{row.deadline}» не распознан: укажите дату (ДД.ММ.ГГГГ) или срок "
                    "вида «I квартал 2024 года».",
                )

    def _node(self, row: RowView) -> Node | None:
        local = local_ref(self.plan, row.ref) if row.ref and self.template else None
        if local is None or self.template is None:
            return None
        try:
            return self.template.node(local)
        except NotFound:
            return None

    def findings(self) -> list[Finding]:
        return [f for _key, f in sorted(self.found, key=lambda kf: kf[0])]


def audit_view(plan: PlanView) -> list[Finding]:
    """The findings of a plan already read, in document order."""
    audit = _Audit(plan, plan_template(plan))
    audit.check_structure()
    audit.check_rows()
    return audit.findings()


def audit_plan(store: Store, plan: str | int | PlanView) -> list[Finding]:
    """Checks a plan (its id, uid or view) against its typical template."""
    view = plan if isinstance(plan, PlanView) else get_plan(store, plan)
    return audit_view(view)


def finding_rows(findings: list[Finding]) -> list[dict[str, str]]:
    """The findings as the command line and the exported list give them."""
    return [{"item": f.item, "problem": f.problem, "detail": f.detail} for f in findings]


def export_findings(findings: list[Finding], org: str, path: Path, fmt: str | None = None) -> Path:
    """Writes the list of findings of the plan of ``org`` as docx or xlsx (``fmt``, else the
    file's extension), titled with today's date; the window and the command line both call
    this."""
    from cxdesk.io.findings_writer import write_findings

    title = f"Замечания по плану: {org} (проверка по типовому плану {format_date(today())})"
    return write_findings(finding_rows(findings), title, Path(path), fmt)
