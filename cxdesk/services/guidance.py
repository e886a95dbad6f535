"""Guidance beside a plan item: the Analytical Center's recommendations on collecting feedback
and monitoring (resources/guidance/recommendations.json), linked to template items by a reviewed
mapping (resources/guidance/mapping.json).

A recommendation that only says «См. п. 5.1.6.» carries the method of the one it points to, so
that the item's panel always shows a method. Both files are read once and kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cxdesk.errors import BadFile
from cxdesk.paths import resources_dir
from cxdesk.services.common import find_plan, find_row, today
from cxdesk.services.views import RowView, row_view
from cxdesk.storage.db import Store

CONTACT = "Контакт для консультаций даёт Аналитический центр."


@dataclass(frozen=True)
class Recommendation:
    """One recommendation as transcribed: the federal item it was written for, its method."""

    id: str
    federal_item: str
    block: str
    section: str
    title: str
    subject: str
    topic: str
    method: tuple[str, ...]
    result: str
    forms: tuple[str, ...]
    same_as: str = ""
    links: tuple[tuple[str, str], ...] = ()
    footnotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guidance:
    """A recommendation as shown beside one plan item, with the reason of the link."""

    id: str
    federal_item: str
    title: str
    subject: str
    method: tuple[str, ...]
    result: str
    forms: tuple[str, ...]
    reason: str
    same_as_item: str = ""
    links: tuple[tuple[str, str], ...] = ()
    footnotes: tuple[str, ...] = ()

    def method_text(self) -> str:
        """The method as text for the item panel and the command line."""
        lines = []
        if self.same_as_item:
            lines.append(f"Методика та же, что для п. {self.same_as_item} Рекомендаций:")
        lines += list(self.method)
        if self.forms:
            lines.append("Формы: " + "; ".join(self.forms) + ".")
        lines += [f"{title}: {url}" for title, url in self.links]
        lines += [f"Примечание. {f}" for f in self.footnotes]
        return "\n".join(lines)


def _read(name: str) -> dict[str, Any]:
    path = resources_dir() / "guidance" / name
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadFile(
            f"Не удаётся прочитать файл рекомендаций {path}: {exc}. Переустановите программу."
        ) from exc
    return data


def _recommendation(d: dict[str, Any]) -> Recommendation:
    return Recommendation(
        id=str(d["id"]),
        federal_item=str(d["federal_item"]),
        block=str(d.get("block", "")),
        section=str(d.get("section", "")),
        title=str(d["title"]),
        subject=str(d.get("subject", "")),
        topic=str(d.get("topic", "")),
        method=tuple(str(m) for m in d.get("method", [])),
        result=str(d.get("result", "")),
        forms=tuple(str(f) for f in d.get("forms", [])),
        same_as=str(d.get("same_as", "")),
        links=tuple((str(x["title"]), str(x["url"])) for x in d.get("links", [])),
        footnotes=tuple(str(f["text"]) for f in d.get("footnotes", [])),
    )


@lru_cache(maxsize=1)
def recommendations() -> dict[str, Recommendation]:
    """Every recommendation by id, in the source's order."""
    data = _read("recommendations.json")
    return {r.id: r for r in (_recommendation(d) for d in data["recommendations"])}


@lru_cache(maxsize=1)
def mapping() -> dict[str, tuple[tuple[str, str], ...]]:
    """Template ref («agency:3.1.3») → (recommendation id, reason) pairs."""
    data = _read("mapping.json")
    return {
        str(link["ref"]): tuple((str(r["id"]), str(r["reason"])) for r in link["recommendations"])
        for link in data["links"]
    }


def _guidance(rec: Recommendation, reason: str) -> Guidance:
    base = rec
    if rec.same_as:
        base = recommendations().get(rec.same_as, rec)
    return Guidance(
        id=rec.id,
        federal_item=rec.federal_item,
        title=rec.title,
        subject=rec.subject,
        method=base.method,
        result=rec.result,
        forms=rec.forms or base.forms,
        reason=reason,
        same_as_item=base.federal_item if base is not rec else "",
        links=rec.links or base.links,
        footnotes=rec.footnotes or base.footnotes,
    )


def guidance_for(ref: str) -> list[Guidance]:
    """The recommendations for a template ref («agency:3.1.3»); empty when there are none."""
    recs = recommendations()
    return [
        _guidance(recs[rid], reason)
        for rid, reason in mapping().get(ref.strip(), ())
        if rid in recs
    ]


def guidance_for_item(
    store: Store, plan_token: str | int, item_token: str | int
) -> tuple[RowView, list[Guidance]]:
    """The item (by its shown number or id) and the recommendations for it."""
    with store.session() as s:
        plan = find_plan(s, plan_token)
        row = row_view(find_row(s, plan, item_token), [], today())
    return row, guidance_for(row.ref) if row.ref else []
