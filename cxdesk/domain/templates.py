"""Typical templates: the reviewed data files in resources/templates/ read into plain dataclasses.

A template is a tree of blocks, sections and items in document order. A node may carry an
inclusion condition (``include_if``: question id → the answer that includes it); a node is in a
plan when its own condition and those of all its ancestors hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cxdesk.errors import NotFound
from cxdesk.paths import resources_dir


@dataclass(frozen=True)
class Question:
    """An inclusion question: its stable id, the question, and the footnote's own words.

    ``meaning`` says in plain words what the footnote means for the coordinator; ``requires``
    names answers that a «Да» here presumes (``{"provides_services": True}``: services rated «В»
    or «Г» exist only where services are provided), so that contradictory answers are pointed out.
    """

    id: str
    text: str
    help: str
    footnote: int | None = None
    default: bool | None = None
    meaning: str = ""
    requires: tuple[tuple[str, bool], ...] = ()


def contradictions(template: Template, answers: dict[str, bool]) -> list[str]:
    """Answers that contradict each other, each in a sentence that says which and why."""
    by_id = {q.id: q for q in template.questions}
    out = []
    for q in template.questions:
        if answers.get(q.id) is not True:
            continue
        for other, want in q.requires:
            if other in by_id and answers.get(other) is (not want):
                said = "Да" if not want else "Нет"
                out.append(
                    f"Ответ «Да» на вопрос «{q.text}» противоречит ответу «{said}» на вопрос "
                    f"«{by_id[other].text}». {q.meaning}".strip()
                )
    return out


@dataclass(frozen=True)
class Footnote:
    """A footnote of the source document, kept with the node it belongs to."""

    n: int
    text: str


@dataclass
class Node:
    """A block, section or item of a template."""

    kind: str
    ref: str
    number: str
    title: str
    deadline: str = ""
    responsible: str = ""
    result: str = ""
    documents: tuple[str, ...] = ()
    materials: str = ""
    footnotes: tuple[Footnote, ...] = ()
    include_if: dict[str, bool] = field(default_factory=dict)
    optional: bool = False
    children: list[Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False, compare=False)

    @property
    def document(self) -> str:
        """The document types as one cell: one per line."""
        return "\n".join(self.documents)

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


@dataclass
class Template:
    """A typical template: its identity, columns, questions and the tree of nodes."""

    id: str
    version: str
    title: str
    short_title: str
    source: str
    purpose: str
    numbering: str
    columns: list[tuple[str, str]]
    questions: list[Question]
    nodes: list[Node]
    notes: list[Footnote] = field(default_factory=list)
    _index: dict[str, Node] = field(default_factory=dict, init=False, repr=False, compare=False)

    def walk(self) -> Iterator[Node]:
        """Every node in document order."""

        def rec(nodes: list[Node]) -> Iterator[Node]:
            for n in nodes:
                yield n
                yield from rec(n.children)

        return rec(self.nodes)

    def items(self) -> list[Node]:
        return [n for n in self.walk() if n.kind == "item"]

    def _by_ref(self) -> dict[str, Node]:
        if not self._index:  # templates are read once and never change: index them once
            for n in self.walk():
                self._index.setdefault(n.ref, n)
        return self._index

    def node(self, ref: str) -> Node:
        found = self._by_ref().get(ref)
        if found is None:
            raise NotFound(f"В шаблоне «{self.id}» нет пункта {ref}.")
        return found

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        known = ", ".join(q.id for q in self.questions) or "вопросов нет"
        raise NotFound(f"У шаблона «{self.id}» нет вопроса «{qid}» (есть: {known}).")

    def find_by_number(self, number: str) -> list[Node]:
        """Nodes whose printed number is ``number`` (with or without the trailing dot)."""
        want = number.strip().rstrip(".")
        return [n for n in self.walk() if n.number.strip().rstrip(".") == want]

    def full_ref(self, node: Node) -> str:
        return f"{self.id}:{node.ref}"


def _node(data: dict[str, Any], parent: Node | None) -> Node:
    footnotes = tuple(
        Footnote(int(f["n"]), str(f["text"])) for f in data.get("footnotes", []) or []
    )
    node = Node(
        kind=str(data["kind"]),
        ref=str(data["ref"]),
        number=str(data.get("number", "")),
        title=str(data.get("title", "")),
        deadline=str(data.get("deadline", "") or ""),
        responsible=str(data.get("responsible", "") or ""),
        result=str(data.get("result", "") or ""),
        documents=tuple(str(d) for d in data.get("documents", []) or []),
        materials=str(data.get("materials", "") or ""),
        footnotes=footnotes,
        include_if={str(k): bool(v) for k, v in (data.get("include_if") or {}).items()},
        optional=bool(data.get("optional", False)),
        parent=parent,
    )
    node.children = [_node(c, node) for c in data.get("children", []) or []]
    return node


def load_template_file(path: Path) -> Template:
    """Reads one template data file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Template(
        id=data["id"],
        version=str(data["version"]),
        title=data["title"],
        short_title=data.get("short_title", data["title"]),
        source=data.get("source", ""),
        purpose=data.get("purpose", ""),
        numbering=data.get("numbering", "dotted"),
        columns=[(str(k), str(h)) for k, h in data["columns"]],
        questions=[
            Question(
                id=q["id"],
                text=q["text"],
                help=q.get("help", ""),
                footnote=q.get("footnote"),
                default=q.get("default"),
                meaning=q.get("meaning", ""),
                requires=tuple((str(k), bool(v)) for k, v in (q.get("requires") or {}).items()),
            )
            for q in data.get("questions", [])
        ],
        nodes=[_node(n, None) for n in data["nodes"]],
        notes=[Footnote(int(f["footnote"]), f["text"]) for f in data.get("notes", [])],
    )


TEMPLATE_ORDER = ("region", "agency", "szn_pilot")


@lru_cache(maxsize=1)
def _all() -> dict[str, Template]:
    folder = resources_dir() / "templates"
    found = {p.stem: load_template_file(p) for p in sorted(folder.glob("*.json"))}
    order = {tid: i for i, tid in enumerate(TEMPLATE_ORDER)}
    return dict(sorted(found.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))


def all_templates() -> list[Template]:
    """The built-in templates, region first."""
    return list(_all().values())


def get_template(template_id: str) -> Template:
    """The template with this id, or :class:`NotFound` naming the ones there are."""
    templates = _all()
    if template_id not in templates:
        known = ", ".join(templates) or "нет ни одного"
        raise NotFound(
            f"Нет типового плана «{template_id}». Есть: {known} (список: cxdesk templates)."
        )
    return templates[template_id]
