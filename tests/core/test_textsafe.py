"""The one cleaning of what arrives from outside, on a plan's rows: a dirty text anywhere in a
row (a field, an attachment's name) is cleaned, and a clean row is left as it was. The writers'
cleaning of a whole row at once gives what cleaning each cell does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cxdesk.io.model import AttachmentInfo, PlanDoc, Row
from cxdesk.io.text_clean import clean_text, clean_texts
from cxdesk.textsafe import clean_plan_doc


def test_a_dirty_field_or_file_name_is_cleaned_and_clean_rows_are_kept() -> None:
    clean = Row("item", "1.1.", "Назначен ответственный", responsible="Иванова И.И.\nПетров П.П.")
    dirty = Row("item", "1.2.", "Утверждена\u202e модель", note="сбой\x07звонок")
    files = Row("item", "1.3.", "Отчёт", attachments=[AttachmentInfo("счёт\u202efdp.exe", 5)])
    doc = PlanDoc("План\u2066", rows=[clean, dirty, files])
    clean_plan_doc(doc)
    assert (clean.title, clean.responsible) == (
        "Назначен ответственный",
        "Иванова И.И.\nПетров П.П.",
    )
    assert (dirty.title, dirty.note) == ("Утверждена модель", "сбойзвонок")
    assert files.attachments[0].name == "счётfdp.exe" and files.attachments[0].size == 5
    assert doc.title == "План"


_CELL = st.text(alphabet=st.sampled_from("аб 1.\n\r\t\x00\x07\x7f\u2028\u2029\ufffe\ud800"))


@given(st.lists(_CELL, max_size=8))
def test_a_row_cleaned_at_once_is_cleaned_as_cell_by_cell(texts: list[str]) -> None:
    assert clean_texts(list(texts)) == [clean_text(text) for text in texts]
