"""Russian text shared by the window and the command line: plural forms of counted words.

One rule for the whole product: «1 пункт», «2 пункта», «5 пунктов», «11 пунктов», «21 пункт»,
«112 пунктов».
"""

from __future__ import annotations


def plural_form(n: int, one: str, few: str, many: str) -> str:
    """The form of the word that goes with ``n``: ``one`` (1, 21…), ``few`` (2–4, 22…) or
    ``many`` (0, 5–20, 11–14, 25…)."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def plural(n: int, one: str, few: str, many: str) -> str:
    """The number with its word: «32 пункта», «12 строк»."""
    return f"{n} {plural_form(n, one, few, many)}"


def items(n: int) -> str:
    """«1 пункт», «3 пункта», «58 пунктов»."""
    return plural(n, "пункт", "пункта", "пунктов")
