"""Matching a foreign plan's rows to the typical template they come from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from cxdesk.domain.templates import all_templates
from cxdesk.io.model import PlanDoc, Row
from cxdesk.services.matching import _sorted_words, match_template, normalize

_WORDS = st.text(
    alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюяАБВЁЯёabcxyzABC0123456789 ,.«»()-%№",
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(_WORDS, _WORDS)
def test_the_compared_form_scores_as_token_sort_ratio(a: str, b: str) -> None:
    """The narrowed, sorted words score exactly as rapidfuzz's token_sort_ratio of the texts."""
    left, right = normalize(a), normalize(b)
    assert fuzz.ratio(_sorted_words(left), _sorted_words(right)) == fuzz.token_sort_ratio(
        left, right
    )


def test_a_reworded_foreign_plan_finds_its_template_and_items() -> None:
    template = all_templates()[0]
    items = [n for n in template.walk() if n.kind == "item"][:12]
    rows = [Row(kind="item", number=n.number, title=n.title) for n in items]
    words = rows[3].title.split()
    rows[3].title = " ".join(words[:-1])  # the last word left out
    rows[5].title = rows[5].title.upper()  # typed in capitals, «ё» for «е» elsewhere
    rows[7].title = rows[7].title.replace("е", "ё")
    rows.append(Row(kind="item", number="99.", title="Покраска забора у здания"))
    match = match_template(PlanDoc(title="План", rows=rows))
    assert match.template_id == template.id
    assert [match.refs.get(i) for i in range(len(items))] == [
        f"{template.id}:{n.ref}" for n in items
    ]
    assert match.unmatched == [len(items)]


def test_a_plan_of_its_template_told_apart_from_one_many_times_larger() -> None:
    """A large plan in the template's wording matches when a fifth of its items can be the
    template's (each template item is taken once); one six times the template matches none."""
    template = next(t for t in all_templates() if t.id == "agency")
    items = [n for n in template.walk() if n.kind == "item"]
    once = [Row(kind="item", number=n.number, title=n.title) for n in items]
    filler = [Row(kind="item", number=f"{900 + i}.", title=f"Работа {i}") for i in range(250)]
    matched = match_template(PlanDoc(title="План", rows=once + filler))
    assert matched.template_id == "agency" and len(matched.refs) == len(items)
    six = [Row(kind="item", number=r.number, title=r.title) for r in once * 6]
    none = match_template(PlanDoc(title="План", rows=six))
    assert none.template_id == "" and not none.refs and len(none.unmatched) == len(six)
