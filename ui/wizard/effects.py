"""Plain-text helpers of the plan wizard: Russian plurals, what each answer brings in or leaves
out of a plan (read from the ``include_if`` conditions of the template tree), and the counts the
pages show. Nothing here touches widgets, so it is cheap to call on every click."""

from __future__ import annotations

from dataclasses import dataclass

from cxdesk.domain.building import PlanRequest, build_rows, node_included, with_defaults
from cxdesk.domain.templates import Node, Question, Template
from cxdesk.text import items, plural_form

KIND_NAMES = {"block": "блок", "section": "раздел", "item": "пункт"}
KIND_PLURALS = {"block": "блоки", "section": "разделы", "item": "пункты"}


def items_text(n: int) -> str:
    """«1 пункт», «3 пункта», «58 пунктов»."""
    return items(n)


def short(text: str, limit: int = 70) -> str:
    """The text cut at a word boundary to about ``limit`` characters, with «…» when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.—-( ")
    return cut + "…"


def number_of(node: Node) -> str:
    """The node's number as the template prints it, without the trailing dot."""
    return node.number.strip().rstrip(".")


def subtree_items(node: Node) -> int:
    """How many items a block or section holds (an item counts as one)."""
    if node.kind == "item":
        return 1
    return sum(subtree_items(c) for c in node.children)


def describe_node(node: Node) -> str:
    """«раздел 3.2 «Процессы предоставления мер государственной поддержки» (7 пунктов)»."""
    # Headings are kept whole: 3.7, 3.8 and 3.9 differ only in their last words.
    title = short(node.title) if node.kind == "item" else " ".join(node.title.split())
    text = f"{KIND_NAMES.get(node.kind, 'пункт')} {number_of(node)} «{title}»"
    if node.kind != "item":
        text += f" ({items_text(subtree_items(node))})"
    return text


def affected_nodes(template: Template, qid: str) -> list[Node]:
    """Nodes whose own condition names the question, in document order."""
    return [n for n in template.walk() if qid in n.include_if]


def describe_answer(template: Template, question: Question, value: bool) -> str:
    """What answering ``value`` does to the plan, e.g.
    «включается раздел 3.2 «…» (7 пунктов)» or «не включается пункт 1.3 «…»»."""
    nodes = affected_nodes(template, question.id)
    if not nodes:
        return "на состав плана не влияет"
    brought = [n for n in nodes if n.include_if[question.id] is value]
    left = [n for n in nodes if n.include_if[question.id] is not value]
    parts = []
    if brought:
        verb = "включается" if len(brought) == 1 else "включаются"
        parts.append(f"{verb} " + " и ".join(describe_node(n) for n in brought))
    if left:
        verb = "не включается" if len(left) == 1 else "не включаются"
        parts.append(f"{verb} " + " и ".join(describe_node(n) for n in left))
    return "; ".join(parts)


@dataclass(frozen=True)
class Counts:
    """The numbers the pages show about a plan in the making."""

    items: int  # item rows the plan will have (excluded ones included: they stay visible)
    excluded: int  # of those, excluded by agreement with the Analytical Center
    done: int  # included by the answers but left out as completed before approval
    by_answers: int  # template items the answers leave out
    total: int  # items in the template


def plan_counts(template: Template, request: PlanRequest) -> Counts:
    """Counts of the plan that ``request`` would make, as :func:`build_rows` makes it."""
    rows = [r for r in build_rows(template, request) if r.kind == "item"]
    answers = with_defaults(template, request.answers)
    included = {n.ref for n in template.items() if node_included(n, answers)}
    return Counts(
        items=len(rows),
        excluded=sum(1 for r in rows if r.status == "excluded"),
        done=len(included & set(request.done)),
        by_answers=len(template.items()) - len(included),
        total=len(template.items()),
    )


def count_sentence(counts: Counts) -> str:
    """«В плане будет 52 пункта, из них 2 исключены по согласованию с Аналитическим центром.
    Не включено: 1 — как уже выполненный; 23 из 76 — по ответам на вопросы.»"""
    text = f"В плане будет {items_text(counts.items)}"
    if counts.excluded:
        word = plural_form(counts.excluded, "исключён", "исключены", "исключены")
        text += f", из них {counts.excluded} {word} по согласованию с Аналитическим центром"
    text += "."
    left = []
    if counts.done:
        word = plural_form(counts.done, "выполненный", "выполненные", "выполненные")
        left.append(f"{counts.done} — как уже {word}")
    if counts.by_answers:
        left.append(f"{counts.by_answers} из {counts.total} — по ответам на вопросы")
    if left:
        text += " Не включено: " + "; ".join(left) + "."
    return text
