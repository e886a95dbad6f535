"""Deadline texts as the templates write them, read into due dates."""

from __future__ import annotations

from datetime import date

import pytest

from cxdesk.domain.deadlines import DATE, EMPTY, PERIOD, UNREADABLE, parse_deadline, parse_user_date


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("31.12.2024", date(2024, 12, 31)),
        ("15.12.2023", date(2023, 12, 15)),
        ("Не позднее I квартала 2024 года", date(2024, 3, 31)),
        ("I квартал 2024 года", date(2024, 3, 31)),
        ("IV квартал 2023 года", date(2023, 12, 31)),
        ("II квартал 2024 г.", date(2024, 6, 30)),
        ("3 квартал 2025", date(2025, 9, 30)),
        ("до 08.04.2022 г.", date(2022, 4, 8)),
        ("до 12.04.2022г.", date(2022, 4, 12)),
        ("20-30.06.2022 г.", date(2022, 6, 30)),
        ("01.03.2022 – 01.02.2023", date(2023, 2, 1)),
        ("01.04.2022 г.", date(2022, 4, 1)),
        ("до 1 июля 2024 года", date(2024, 7, 1)),
        ("декабрь 2024 года", date(2024, 12, 31)),
        ("1 полугодие 2025 года", date(2025, 6, 30)),
        ("2025 год", date(2025, 12, 31)),
    ],
)
def test_dates_are_read(text: str, due: date) -> None:
    d = parse_deadline(text)
    assert d.state == DATE
    assert d.due == due
    assert d.text == text


@pytest.mark.parametrize(
    "text",
    ["VI квартал 2023 года", "31.02.2024", "5 квартал 2024", "когда-нибудь в 20х"],
)
def test_impossible_dates_are_unreadable_not_guessed(text: str) -> None:
    d = parse_deadline(text)
    assert d.state == UNREADABLE
    assert d.due is None


def test_periods_and_empty() -> None:
    assert (
        parse_deadline("на протяжении всего периода проведения пилотной апробации").state == PERIOD
    )
    assert parse_deadline("ежегодно").state == PERIOD
    assert parse_deadline("").state == EMPTY
    assert parse_deadline(None).state == EMPTY


def test_user_dates() -> None:
    assert parse_user_date("05.03.2024") == date(2024, 3, 5)
    assert parse_user_date("2024-03-05") == date(2024, 3, 5)
    assert parse_user_date("31.02.2024") is None
    assert parse_user_date("завтра") is None
