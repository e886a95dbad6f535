"""The core's messages in the window's words.

Messages of :mod:`cxdesk` serve the command line too, so some end with command-line advice
(«Список планов: cxdesk plans.», «(--into 3)», «Добавьте --answer …»). :func:`for_window`
puts the window's own way in its place (a menu path, a button) or leaves the advice out;
every message box and every list of warnings the window shows passes through it.
"""

from __future__ import annotations

import re

#: (pattern, what the window says instead); applied in order.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\s*Список планов: cxdesk plans\.", ""),
        (r"\s*Номера и id пунктов: cxdesk show \S+\.", " Выберите пункт в дереве плана."),
        (r"\s*\(список: cxdesk templates\)", ""),
        (r"\s*\(cxdesk show --json, поле ref\)", ""),
        (r"Сервис → Проверка данных или cxdesk check", "Сервис → Проверка данных…"),
        (r"\(cxdesk check\)", "(Сервис → Проверка данных…)"),
        (r"\(cxdesk restore\)", "(Файл → Восстановить из копии…)"),
        (r"\(cxdesk attach [^)]*\)", "(кнопка «Прикрепить…» у пункта)"),
        (r"\(--into \d+\)", "(Файл → Объединить с файлом коллеги…)"),
        (r"Добавьте --answer [^.]*\.", "Ответьте на этот вопрос."),
        (r"\s*\(или --format [^)]*\)", ""),
        (r": --(?:org|basis) «[^»]*»\.", "."),
        (r"\s*Укажите --status, --deadline, --result или другое поле\.", ""),
    )
)
#: What is left of command-line advice after the rules: a bracket or a sentence naming it.
_LEFT_BRACKET = re.compile(r"\s*\([^()]*(?:\bcxdesk \w|\s--[a-z])[^()]*\)")
_LEFT_SENTENCE = re.compile(r"[^.!?\n]*(?:\bcxdesk [a-z]|\s--[a-z][a-z-]+)[^.!?\n]*[.!?]?")


def for_window(text: str) -> str:
    """``text`` with command-line advice replaced by the window's way, or left out."""
    for pattern, instead in _RULES:
        text = pattern.sub(instead, text)
    text = _LEFT_BRACKET.sub("", text)
    text = _LEFT_SENTENCE.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def has_cli_advice(text: str) -> bool:
    """True when ``text`` still tells the user to type a command (for tests and checks)."""
    return bool(re.search(r"\bcxdesk [a-z]|(?:^|\s)--[a-z]", text))
