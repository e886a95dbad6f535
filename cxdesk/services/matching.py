"""Matching imported rows to the typical template they come from (by number and wording, fuzzy).

Rows of a foreign file carry no template refs. For each template the rows are compared with its
items; the template with the most confident matches wins, and each row gets the ref of its best
item (each template item used once). A reworded item (same block, the number close by, similar
words) is then matched by its place between two matched items. Rows that match none are reported.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from cxdesk.domain.templates import Template, all_templates
from cxdesk.io.model import PlanDoc

#: A row's wording must be at least this similar (0–100) to count as the template's item.
THRESHOLD = 82.0
#: A same number adds this much to the score.
NUMBER_BONUS = 8.0
#: Plans with more rows than this choose their template on a sample of this many rows.
SAMPLE_ROWS = 300
#: A reworded item between two matched ones needs only this similarity (0–100) to its template
#: item, which must lie between theirs ...
GAP_THRESHOLD = 60.0
#: ... within this many template nodes.
GAP_SPAN = 6


_PUNCTUATION = re.compile(r"[^\w\s%]")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Lower case, «ё» as «е», punctuation and quotes dropped, spaces folded."""
    t = text.lower().replace("ё", "е")
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", t)).strip()


#: The Russian letters «а»…«я» moved, in their order, onto codes below 256 that a normalized
#: text never holds (DEL and the C1 controls but U+0085, which Python takes for a space): one
#: to one, so every score stays the same, and rapidfuzz compares such text with its table for
#: narrow characters, several times faster than with the one for the rest.
_NARROW = dict(
    zip(range(0x430, 0x450), [0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)], strict=True)
)


def _sorted_words(text: str) -> str:
    """The words in order, narrowed (:data:`_NARROW`): ``fuzz.ratio`` of two such texts is their
    ``token_sort_ratio``, with each template wording sorted once instead of once per row."""
    return " ".join(sorted(text.translate(_NARROW).split()))


def _number(text: str) -> str:
    return text.strip().rstrip(".")


@dataclass
class Match:
    """The outcome: the template (or ""), the ref of each matched row by index, the unmatched."""

    template_id: str = ""
    refs: dict[int, str] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)
    unmatched: list[int] = field(default_factory=list)


def _score_template(doc: PlanDoc, template: Template, only: list[int] | None = None) -> Match:
    """Matches the rows (or the rows ``only``) to one template's nodes.

    A row whose wording is exactly a node's (the common case) is taken without fuzzy matching;
    the others are compared with the nodes of their kind by rapidfuzz.
    """
    from rapidfuzz import fuzz, process

    nodes = list(template.walk())
    pools: dict[bool, tuple[list[int], list[str]]] = {}
    exact: dict[tuple[bool, str], list[int]] = {}
    for want_item in (True, False):
        idx = [j for j, n in enumerate(nodes) if (n.kind == "item") == want_item]
        pools[want_item] = (idx, [normalize(nodes[j].title) for j in idx])
        for j, name in zip(*pools[want_item], strict=True):
            exact.setdefault((want_item, name), []).append(j)
    words = {kind: [_sorted_words(name) for name in names] for kind, (_i, names) in pools.items()}
    candidates: list[tuple[float, int, int]] = []
    similar: dict[tuple[bool, str], list[tuple[str, float, int]]] = {}  # per distinct wording
    for i in range(len(doc.rows)) if only is None else only:
        row = doc.rows[i]
        mine = normalize(row.title)
        if not mine:
            continue
        key = (row.kind == "item", mine)
        same = exact.get(key)
        if same:
            for j in same:
                bonus = NUMBER_BONUS if _number(row.number) == _number(nodes[j].number) else 0.0
                candidates.append((100.0 + bonus, i, j))
            continue
        idx = pools[key[0]][0]
        found = similar.get(key)
        if found is None:  # token_sort_ratio against the template's wordings
            found = similar[key] = process.extract(
                _sorted_words(mine), words[key[0]], scorer=fuzz.ratio,
                score_cutoff=THRESHOLD - NUMBER_BONUS, limit=6,
            )  # fmt: skip
        for _name, score, k in found:
            j = idx[k]
            total = float(score)
            if _number(row.number) and _number(row.number) == _number(nodes[j].number):
                total += NUMBER_BONUS
            if total >= THRESHOLD:
                candidates.append((total, i, j))
    candidates.sort(reverse=True)
    match = Match(template.id)
    used: set[int] = set()
    for score, i, j in candidates:
        if i in match.refs or j in used:
            continue
        used.add(j)
        match.refs[i] = f"{template.id}:{nodes[j].ref}"
        match.scores[i] = min(score, 100.0)
    return match


def match_template(doc: PlanDoc, templates: list[Template] | None = None) -> Match:
    """Finds the template the document's rows come from and each row's ref.

    The template is chosen on a sample of the rows (all of them in a plan of ordinary size), and
    the rows are then matched within that template only.
    """
    items = [i for i, r in enumerate(doc.rows) if r.kind == "item"]
    candidates = list(templates or all_templates())
    step = max(1, -(-len(doc.rows) // SAMPLE_ROWS))
    sample = None if step == 1 else list(range(0, len(doc.rows), step))
    best, best_items, chosen = Match(), 0, None
    for template in candidates:
        m = _score_template(doc, template, sample)
        matched_items = sum(1 for i in m.refs if doc.rows[i].kind == "item")
        if matched_items > best_items:
            best, best_items, chosen = m, matched_items, template
    need = max(2, len(items) // 5)
    if chosen is not None and sample is not None:
        # each template item is matched once at most: a plan with more than five times the
        # template's items can never reach ``need``, and all its rows are not compared in vain
        if sum(1 for node in chosen.walk() if node.kind == "item") >= need:
            best = _score_template(doc, chosen)
            best_items = sum(1 for i in best.refs if doc.rows[i].kind == "item")
        else:
            best_items = 0
    if chosen is None or best_items < need:
        best = Match()
    else:
        _fill_gaps(doc, chosen, best)
    best.unmatched = [i for i in items if i not in best.refs]
    return best


def _fill_gaps(doc: PlanDoc, template: Template, match: Match) -> None:
    """Matches reworded items: a row left unmatched between two matched rows is the template's
    item between their items (same block, the number close by) when their words are similar
    enough (:data:`GAP_THRESHOLD`), each template item used once."""
    from rapidfuzz import fuzz

    nodes = list(template.walk())
    position = {f"{template.id}:{node.ref}": j for j, node in enumerate(nodes)}
    used = {position[ref] for ref in match.refs.values() if ref in position}
    anchors = sorted((i, position[ref]) for i, ref in match.refs.items() if ref in position)
    for i, row in enumerate(doc.rows):
        if i in match.refs or row.kind != "item" or not normalize(row.title):
            continue
        low = max((j for k, j in anchors if k < i), default=-1)
        high = min((j for k, j in anchors if k > i), default=len(nodes))
        if high - low > GAP_SPAN:
            continue
        mine = normalize(row.title).translate(_NARROW)
        best, best_score = None, GAP_THRESHOLD
        for j in range(low + 1, high):
            if j in used or nodes[j].kind != "item":
                continue
            score = fuzz.token_set_ratio(mine, normalize(nodes[j].title).translate(_NARROW))
            if _number(row.number) and _number(row.number) == _number(nodes[j].number):
                score += NUMBER_BONUS
            if score > best_score:
                best, best_score = j, score
        if best is not None:
            used.add(best)
            match.refs[i] = f"{template.id}:{nodes[best].ref}"
            match.scores[i] = min(best_score, 100.0)
            anchors = sorted([*anchors, (i, best)])
