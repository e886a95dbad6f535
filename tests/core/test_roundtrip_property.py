"""Property: plans with any text survive the docx, xlsx and package round trips.

Any Unicode (Cyrillic, other scripts, symbols, emoji), very long texts, empty fields,
formula-looking text and quarter deadlines. Control characters and surrogates are not text a
document can carry: they are dropped on input, so they are not generated here.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxdesk.domain.building import PlanRequest
from cxdesk.io.model import ExportOptions
from cxdesk.services.documents import export_plan
from cxdesk.services.importing import import_file
from cxdesk.services.items import update_item
from cxdesk.services.packing import pack_plan
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store

pytestmark = pytest.mark.slow

LETTERS = st.characters(
    blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp"),
    blacklist_characters="\u00ad\ufeff",
)
WORD = st.text(LETTERS, min_size=1, max_size=30).filter(lambda s: s.strip())
FORMULAS = st.sampled_from([
    "=1+1", "=HYPERLINK(\"http://x\")", "+7 (495) 000-00-00", "-5", "@итог", "=СУММ(A1:A3)",
    "Текст <b>жирный</b> & a<b, 5 > 3 &amp;", "два  пробела",
])  # fmt: skip
TEXT = st.one_of(
    st.just(""),
    FORMULAS,
    st.lists(WORD, min_size=1, max_size=12).map(" ".join),
    st.lists(st.sampled_from(string.ascii_letters + "абвгдеёжзий "), min_size=2000,
             max_size=3000).map("".join).map(str.strip),
)  # fmt: skip
LINES = st.lists(st.lists(WORD, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=3)
DEADLINES = st.sampled_from(["", "31.12.2026", "I квартал 2025 года", "Не позднее IV квартала "
                             "2026 года", "до 08.04.2027 г.", "20-30.06.2026 г.",
                             "на протяжении всего периода"])  # fmt: skip


def norm(text: str) -> str:
    """What a cell keeps of a text: its lines, spaces folded, empty lines dropped."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("prop"))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(title=TEXT.filter(lambda s: s.strip()), result=TEXT, people=LINES, deadline=DEADLINES,
       fmt=st.sampled_from(["docx", "xlsx", "cxplan"]))  # fmt: skip
def test_any_text_survives(
    store: Store, tmp_path: Path, title: str, result: str, people: list[str], deadline: str,
    fmt: str,
) -> None:  # fmt: skip
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН «Север» №1")).plan_id
    values = {"title": title, "result": result, "responsible": "\n".join(people),
              "deadline": deadline, "status": "in_progress"}  # fmt: skip
    update_item(store, pid, "2", values)
    out = tmp_path / f"план-{pid}.{fmt}"
    if fmt == "cxplan":
        pack_plan(store, pid, out)
    else:
        export_plan(store, pid, out, options=ExportOptions(layout="report"))
    back = import_file(store, out).plan_id
    assert back is not None
    a = get_plan(store, pid).items()[1]
    b = get_plan(store, back).items()[1]
    for field in ("title", "result", "responsible", "deadline"):
        assert getattr(b, field) == getattr(a, field), field  # our own files come back exact
    assert (b.status, b.ref, b.number) == (a.status, a.ref, a.number)
