"""A summary over many plans (e.g. all the bodies of a region) as of one date.

Per plan: items to carry out (excluded ones apart), done, in progress, overdue, not started,
done without proof, and the share done. The four states are disjoint: an overdue item counts as
overdue, not as in progress or not started. Per template item (by ref, over the plans built on
the same template, in template order): in how many plans, and which, it is done (including
completed before the plan was approved), overdue, or absent although the plan's answers require
it. Per block: the same states counted per block, for a chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from cxdesk.domain.reports import BlockLine, Counts, ItemLine, PlanLine, Summary
from cxdesk.domain.templates import TEMPLATE_ORDER, Template
from cxdesk.errors import NotFound
from cxdesk.services.audit import condition_state, local_ref, plan_template
from cxdesk.services.common import find_plan, today
from cxdesk.services.views import PlanView, RowView, plan_view_in
from cxdesk.storage.db import Store
from cxdesk.storage.models import Plan


def org_label(plan: PlanView) -> str:
    return plan.org.strip() or f"План {plan.id}"


def _top_node_key(plan: PlanView, template: Template | None, row: RowView) -> tuple[str, str, str]:
    local = local_ref(plan, row.ref) if (template and row.ref) else None
    if template is None or local is None:
        return "", "", ""
    try:
        top = template.node(local)
    except NotFound:  # a ref the template does not know: the plan's own blocks decide
        return "", "", ""
    while top.parent is not None:
        top = top.parent
    if top.kind == "block":
        return template.full_ref(top), top.number, top.title
    return f"{template.id}:", "", template.short_title


def block_counts(plan: PlanView) -> list[BlockLine]:
    """The plan's items counted per block, in document order (items outside any block apart)."""
    template = plan_template(plan)
    lines: dict[str, BlockLine] = {}
    current: tuple[str, str, str] = ("", "", "Пункты без блока")
    blocks = any(r.kind == "block" for r in plan.rows)
    for row in plan.rows:
        # a section groups items like a block only in a plan without blocks; in a plan with
        # blocks it is part of its block, whatever depth the file gave it
        if row.kind == "block" or (row.kind == "section" and row.depth == 0 and not blocks):
            key = row.ref or f"{plan.template_id}:{row.title.strip().casefold()}"
            current = (key, row.number, row.title)
            continue
        if row.kind != "item":
            continue
        key, number, title = _top_node_key(plan, template, row)
        if not key:
            key, number, title = current
        line = lines.setdefault(key, BlockLine(key=key, number=number, title=title))
        line.add_row(row)
    return list(lines.values())


def plan_line(plan: PlanView) -> PlanLine:
    line = PlanLine(plan=plan.id, org=org_label(plan), template_id=plan.template_id)
    for row in plan.items():
        line.add_row(row)
    return line


def _rows_by_ref(plan: PlanView) -> dict[str, list[RowView]]:
    """The plan's items by their template ref (one pass over the plan)."""
    out: dict[str, list[RowView]] = {}
    for row in plan.items():
        local = local_ref(plan, row.ref)
        if local is not None:
            out.setdefault(local, []).append(row)
    return out


def _item_lines(template: Template, plans: Sequence[PlanView]) -> list[ItemLine]:
    out = []
    indexed = [
        (plan, org_label(plan), _rows_by_ref(plan), set(plan.done_refs or [])) for plan in plans
    ]
    for node in template.items():
        line = ItemLine(template.full_ref(node), node.number, node.title, plans=len(plans))
        for plan, org, by_ref, done_refs in indexed:
            rows = by_ref.get(node.ref, [])
            if node.ref in done_refs or any(r.status == "done" for r in rows):
                line.done_orgs.append(org)
            elif any(r.overdue for r in rows):
                line.overdue_orgs.append(org)
            elif any(r.status == "in_progress" for r in rows):
                line.in_progress_orgs.append(org)
            elif rows and all(r.status == "excluded" for r in rows):
                line.excluded_orgs.append(org)
            elif not rows and not node.optional and condition_state(node, plan.answers) is True:
                line.missing_orgs.append(org)
        out.append(line)
    return out


def summarize_views(views: Sequence[PlanView], on: date) -> Summary:
    """The summary of plans already read."""
    lines = [plan_line(v) for v in views]
    total = Counts()
    for line in lines:
        total.add(line)
    by_template: dict[str, tuple[Template, list[PlanView]]] = {}
    for v in views:
        template = plan_template(v)
        if template is not None:
            by_template.setdefault(template.id, (template, []))[1].append(v)
    order = {tid: i for i, tid in enumerate(TEMPLATE_ORDER)}
    by_item: list[ItemLine] = []
    for tid in sorted(by_template, key=lambda t: (order.get(t, 99), t)):
        template, plans = by_template[tid]
        by_item += _item_lines(template, plans)
    blocks: dict[str, BlockLine] = {}
    for v in views:
        for b in block_counts(v):
            into = blocks.setdefault(b.key, BlockLine(key=b.key, number=b.number, title=b.title))
            into.add(b)
    return Summary(on, lines, total, by_item, list(blocks.values()))


def summarize(
    store: Store, plan_ids: Sequence[str | int] | None = None, on: date | None = None
) -> Summary:
    """The summary of the given plans (ids or uids), or of every plan when none are given."""
    on = on or today()
    with store.session() as s:
        if plan_ids:
            plans = [find_plan(s, token) for token in plan_ids]
        else:
            plans = list(s.scalars(select(Plan).order_by(Plan.id)))
        seen: set[int] = set()
        views = []
        for p in plans:
            if p.id not in seen:
                seen.add(p.id)
                views.append(plan_view_in(s, p, on))
    return summarize_views(views, on)


def summary_json(summary: Summary) -> dict[str, object]:
    """The summary as ``cxdesk summary --json`` prints it (the contract, extended)."""

    def counts(c: Counts) -> dict[str, object]:
        return {
            "items": c.items, "done": c.done, "in_progress": c.in_progress,
            "overdue": c.overdue, "not_started": c.not_started, "excluded": c.excluded,
            "done_without_proof": c.done_without_proof, "share_done": c.share_done,
        }  # fmt: skip

    return {
        "as_of": summary.as_of.isoformat(),
        "plans": [{"plan": p.plan, "org": p.org, **counts(p)} for p in summary.plans],
        "total": counts(summary.total),
        "by_item": [
            {
                "ref": i.ref,
                "title": i.title,
                "done": len(i.done_orgs),
                "overdue": len(i.overdue_orgs),
                "missing": len(i.missing_orgs),
                "in_progress": len(i.in_progress_orgs),
                "excluded": len(i.excluded_orgs),
                "plans": i.plans,
                "done_orgs": i.done_orgs,
                "overdue_orgs": i.overdue_orgs,
                "missing_orgs": i.missing_orgs,
            }
            for i in summary.by_item
        ],  # fmt: skip
        "by_block": [
            {"key": b.key, "number": b.number, "title": b.title, **counts(b)}
            for b in summary.by_block
        ],
    }
