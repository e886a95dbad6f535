"""Deadline texts read as what a timeline draws: a point, a span, the whole period, a repeat.

The wordings are those of the templates and of the source documents (/work/shared/seeds): the
typical plans, the Tula plan and the pilot programme, and the usual ways coordinators write them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from cxdesk.domain.deadlines import UNREADABLE as NOT_A_DATE
from cxdesk.domain.deadlines import parse_deadline
from cxdesk.domain.periods import (
    EMPTY,
    POINT,
    RECURRING,
    SPAN,
    UNREADABLE,
    WHOLE,
    period,
    start_date,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "resources" / "templates"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("31.12.2024", date(2024, 12, 31)),
        ("15.12.2023", date(2023, 12, 15)),
        ("07.12.2023", date(2023, 12, 7)),
        ("01.04.2022 г.", date(2022, 4, 1)),
        ("не позднее 15.12.2023", date(2023, 12, 15)),
        ("Не позднее I квартала 2024 года", date(2024, 3, 31)),
        ("до 08.04.2022 г.", date(2022, 4, 8)),
        ("до 12.04.2022г.", date(2022, 4, 12)),
        ("до 30.04.2022г.", date(2022, 4, 30)),
        ("до 1 июля 2024 г.", date(2024, 7, 1)),
        ("до 1 июля 2024 года", date(2024, 7, 1)),
        ("в срок до 20.05.2022", date(2022, 5, 20)),
        ("15 ноября 2024 г.", date(2024, 11, 15)),
    ],
)
def test_a_day_is_a_point(text: str, day: date) -> None:
    p = period(text)
    assert (p.kind, p.start, p.end) == (POINT, day, day)
    assert p.end == parse_deadline(text).due  # the same due date as the overdue marks use


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("I квартал 2024 года", date(2024, 1, 1), date(2024, 3, 31)),
        ("II квартал 2024 г.", date(2024, 4, 1), date(2024, 6, 30)),
        ("III квартал 2023 года", date(2023, 7, 1), date(2023, 9, 30)),
        ("IV квартал 2023 года", date(2023, 10, 1), date(2023, 12, 31)),
        ("4 кв. 2023", date(2023, 10, 1), date(2023, 12, 31)),
        ("3 квартал 2025", date(2025, 7, 1), date(2025, 9, 30)),
        ("I-II квартал 2024 года", date(2024, 1, 1), date(2024, 6, 30)),
        ("I – III кварталы 2024 г.", date(2024, 1, 1), date(2024, 9, 30)),
        ("1 полугодие 2025 года", date(2025, 1, 1), date(2025, 6, 30)),
        ("II полугодие 2023 года", date(2023, 7, 1), date(2023, 12, 31)),
        ("декабрь 2024 года", date(2024, 12, 1), date(2024, 12, 31)),
        ("февраль 2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025 год", date(2025, 1, 1), date(2025, 12, 31)),
        ("в течение 2024 года", date(2024, 1, 1), date(2024, 12, 31)),
        ("20-30.06.2022 г.", date(2022, 6, 20), date(2022, 6, 30)),
        ("01.03.2022 – 01.02.2023", date(2022, 3, 1), date(2023, 2, 1)),
        ("с 01.03.2023 по 30.12.2024", date(2023, 3, 1), date(2024, 12, 30)),
        ("01.09.2023 - 29.12.2023", date(2023, 9, 1), date(2023, 12, 29)),
    ],
)
def test_a_quarter_half_month_year_or_range_is_a_span_ending_on_its_last_day(
    text: str, first: date, last: date
) -> None:
    p = period(text)
    assert (p.kind, p.start, p.end) == (SPAN, first, last)
    assert p.end == parse_deadline(text).due


@pytest.mark.parametrize(
    "text",
    [
        "на протяжении всего периода проведения пилотной апробации",
        "На протяжении всего периода",
        "постоянно",
        "в течение всего срока реализации плана",
        "весь период",
        "регулярно",
    ],
)
def test_the_whole_period(text: str) -> None:
    assert period(text).kind == WHOLE


@pytest.mark.parametrize(
    ("text", "every", "on"),
    [
        ("ежегодно", "year", None),
        ("Ежегодно, до 1 июля", "year", (7, 1)),
        ("ежегодно до 31 января", "year", (1, 31)),
        ("ежеквартально", "quarter", None),
        ("ежемесячно", "month", None),
    ],
)
def test_repeats(text: str, every: str, on: tuple[int, int] | None) -> None:
    p = period(text)
    assert (p.kind, p.every, p.on) == (RECURRING, every, on)


def test_repeats_fall_where_they_say() -> None:
    first, last = date(2024, 2, 10), date(2026, 3, 31)
    assert period("ежегодно").occurrences(first, last) == [
        date(2024, 12, 31),
        date(2025, 12, 31),
    ]
    assert period("ежегодно, до 1 июля").occurrences(first, last) == [
        date(2024, 7, 1),
        date(2025, 7, 1),
    ]
    quarters = period("ежеквартально").occurrences(first, date(2024, 12, 31))
    assert quarters == [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)]
    assert len(period("ежемесячно").occurrences(date(2024, 1, 1), date(2024, 12, 31))) == 12
    assert period("ежегодно").occurrences(last, first) == []
    assert period("31.12.2024").occurrences(first, last) == []


@pytest.mark.parametrize(
    "text",
    [
        "VI квартал 2023 года",  # the region template's own misprint
        "5 квартал 2024",
        "31.02.2024",
        "III полугодие 2024",
        "по мере необходимости",
        "после согласования",
        "когда-нибудь в 20х",
    ],
)
def test_unreadable_texts_are_not_guessed(text: str) -> None:
    p = period(text)
    assert p.kind == UNREADABLE
    assert (p.start, p.end) == (None, None)
    assert not p.placed


def test_empty() -> None:
    assert period("").kind == EMPTY
    assert period(None).kind == EMPTY
    assert period("   ").kind == EMPTY


def test_every_deadline_of_the_templates_is_read_or_flagged() -> None:
    """Each wording of the three templates has a meaning, and only the misprints are flagged."""
    texts: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "deadline" and isinstance(value, str) and value:
                    texts.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for f in TEMPLATES.glob("*.json"):
        walk(json.loads(f.read_text(encoding="utf-8")))
    assert len(texts) >= 15
    for text in texts:
        p = period(text)
        flagged = parse_deadline(text).state == NOT_A_DATE
        assert (p.kind == UNREADABLE) == flagged, text
        if p.kind in (POINT, SPAN):
            assert p.start is not None and p.end is not None and p.start <= p.end


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("01.09.2023", date(2023, 9, 1)),
        ("2023-09-01", date(2023, 9, 1)),
        ("«15» декабря 2023 г.", date(2023, 12, 15)),
        ("15 декабря 2023 года", date(2023, 12, 15)),
        ("от 03.10.2022", date(2022, 10, 3)),
        ("", None),
        ("«___» ________ 20__ г.", None),
        ("31.02.2024", None),
    ],
)
def test_start_and_approval_dates(text: str, day: date | None) -> None:
    assert start_date(text) == day
