"""The typical templates in resources/templates/ checked against their source documents.

The data files are read with the json module directly (no application code, no Qt), so that a
fault in the data is reported as such. The word-for-word checks read the plain-text source
documents from ../shared/seeds/ next to the repository and are skipped when they are absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).parents[2]
TEMPLATES_DIR = REPO_ROOT / "resources" / "templates"
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"

SEED_OF = {
    "region": "004_6143caa86606617e.txt",
    "agency": "004_6143caa86606617e.txt",
    "szn_pilot": "000_95491f510a227251.txt",
}
TEMPLATE_IDS = tuple(SEED_OF)

DOTTED_COLUMNS = [
    ["number", "№ п/п"],
    ["title", "Мероприятие"],
    ["deadline", "Срок реализации"],
    ["responsible", "Ответственный"],
    ["result", "Результат"],
    ["document", "Вид документа"],
]
PILOT_COLUMNS = [
    ["number", "№ п/п"],
    ["title", "Мероприятие"],
    ["deadline", "Срок"],
    ["responsible", "Ответственный"],
    ["result", "Результат"],
    ["materials", "Дополнительные материалы"],
]
COLUMNS = {"region": DOTTED_COLUMNS, "agency": DOTTED_COLUMNS, "szn_pilot": PILOT_COLUMNS}

QUESTION_IDS = {
    "region": [
        "hr_centralized",
        "hr_independent",
        "it_centralized",
        "accounting_centralized",
        "admin_centralized",
    ],
    "agency": [
        "has_subordinates",
        "provides_services",
        "has_vg_services",
        "region_unified_registry",
        "region_unified_feedback",
        "own_hr_service",
        "provides_support_measures",
        "performs_control",
        "it_support",
        "accounting",
        "admin_economic",
    ],
    "szn_pilot": [],
}

#: Items directly under each block (and each agency section), as the sources print them.
REGION_BLOCK_ITEMS = {"1": 4, "2": 6, "3": 13, "4": 4, "5": 4, "6": 7, "7": 7, "8": 7, "9": 7}
AGENCY_BLOCK_ITEMS = {"1": 9, "2": 4, "3": 0}
AGENCY_SECTION_ITEMS = {f"3.{i}": 7 for i in range(1, 10)}

#: The condition of every conditional node: ref → include_if.
CONDITIONS = {
    "region": {
        "4": {"hr_centralized": True},
        "5": {"hr_independent": True},
        "6": {"it_centralized": True},
        "7": {"accounting_centralized": True},
        "8": {"admin_centralized": True},
    },
    "agency": {
        "1.5-sub": {"has_subordinates": True},
        "1.3": {"region_unified_registry": False},
        "1.5": {"provides_services": True},
        "1.6": {"region_unified_feedback": False},
        "1.8": {"has_vg_services": True},
        "2": {"own_hr_service": True},
        "3.1": {"provides_services": True},
        "3.2": {"provides_support_measures": True},
        "3.3": {"performs_control": True},
        "3.7": {"it_support": True},
        "3.8": {"accounting": True},
        "3.9": {"admin_economic": True},
    },
    "szn_pilot": {},
}

TEXT_FIELDS = ("title", "deadline", "responsible", "result", "materials")
ARTEFACTS = ("[footnoteRef", "[bookmark", "\t", "  ", "¹", "²", "³", "⁴", "Ответствен-ный")


# ---------------------------------------------------------------- helpers


@cache
def load(template_id: str) -> dict[str, Any]:
    path = TEMPLATES_DIR / f"{template_id}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def walk(
    nodes: list[dict[str, Any]], parents: tuple[dict[str, Any], ...] = ()
) -> Iterator[tuple[dict[str, Any], tuple[dict[str, Any], ...]]]:
    """Every node in document order with its ancestors (outermost first)."""
    for node in nodes:
        yield node, parents
        yield from walk(node.get("children", []), (*parents, node))


def nodes_of(template_id: str) -> list[dict[str, Any]]:
    return [n for n, _ in walk(load(template_id)["nodes"])]


def items_of(template_id: str) -> list[dict[str, Any]]:
    return [n for n in nodes_of(template_id) if n["kind"] == "item"]


def node(template_id: str, ref: str) -> dict[str, Any]:
    found = [n for n in nodes_of(template_id) if n["ref"] == ref]
    assert len(found) == 1, f"{template_id}: ref {ref!r} found {len(found)} times"
    return found[0]


def included_items(template_id: str, answers: dict[str, bool]) -> list[dict[str, Any]]:
    """Items whose own condition and all their ancestors' conditions hold."""

    def holds(n: dict[str, Any]) -> bool:
        return all(answers[q] == want for q, want in n.get("include_if", {}).items())

    return [
        n
        for n, parents in walk(load(template_id)["nodes"])
        if n["kind"] == "item" and holds(n) and all(holds(p) for p in parents)
    ]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def seed_text(name: str) -> str:
    path = SEEDS_DIR / name
    if not path.is_file():
        pytest.skip(f"source document {path} is not available")
    return normalise(path.read_text(encoding="utf-8"))


def fixes_of(template_id: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Fixes keyed by (ref, field, fixed text)."""
    return {(f["ref"], f["field"], f["fixed"]): f for f in load(template_id)["fixes"]}


def assert_in_source(seed: str, text: str, what: str) -> None:
    assert normalise(text) in seed, f"{what}: not found word for word in the source: {text!r}"


def words_in_order(words: list[str], text: str) -> bool:
    pos = 0
    for word in words:
        pos = text.find(word, pos)
        if pos < 0:
            return False
        pos += len(word)
    return True


def assert_fix_keeps_the_words(fix: dict[str, Any]) -> None:
    """A fix only joins, unhyphenates or drops: the fixed words stand in the original, in order."""
    words = fix["fixed"].split()
    original = normalise(fix["original"])
    assert words_in_order(words, original) or words_in_order(words, original.replace("-", "")), (
        f"{fix['ref']} {fix['field']}: the fixed text adds words the source does not print"
    )


def assert_original_in_source(seed: str, fix: dict[str, Any], what: str) -> None:
    # An original printed over several lines of the extraction (cells of a broken table row,
    # interleaved with neighbouring cells) holds one line per printed piece.
    for piece in fix["original"].split("\n"):
        assert_in_source(seed, piece, f"{what} (original of a fix)")


# ---------------------------------------------------------------- structure


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_file_loads_with_its_header(template_id: str) -> None:
    data = load(template_id)
    assert data["format"] == 1
    assert data["id"] == template_id
    assert isinstance(data["version"], str) and data["version"]
    for key in ("title", "short_title", "source", "purpose"):
        assert isinstance(data[key], str) and data[key].strip(), key
    assert data["numbering"] == ("plain" if template_id == "szn_pilot" else "dotted")
    assert data["columns"] == COLUMNS[template_id]
    for key in ("notes", "questions", "fixes", "nodes"):
        assert isinstance(data[key], list), key


def test_files_are_utf8_json_without_escapes() -> None:
    for template_id in TEMPLATE_IDS:
        raw = (TEMPLATES_DIR / f"{template_id}.json").read_text(encoding="utf-8")
        assert "\\u04" not in raw, f"{template_id}: Cyrillic must be stored as text"


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_refs_unique_and_numbers_as_printed(template_id: str) -> None:
    data = load(template_id)
    refs = [n["ref"] for n in nodes_of(template_id)]
    assert len(refs) == len(set(refs)), "refs must be unique"
    for n, parents in walk(data["nodes"]):
        assert n["kind"] in ("block", "section", "item")
        base = n["ref"].removesuffix("-sub")
        if data["numbering"] == "dotted":
            assert re.fullmatch(r"\d+(\.\d+)*", base), n["ref"]
            assert n["number"] == base + ".", n["ref"]
            if parents:
                # 3.1.4 sits in section 3.1, which sits in block 3.
                assert base.rsplit(".", 1)[0] == parents[-1]["ref"], n["ref"]
        else:
            assert re.fullmatch(r"\d+", n["ref"]) and n["number"] == n["ref"]
        if n["kind"] == "block":
            assert not parents
        if n["kind"] == "section":
            assert [p["kind"] for p in parents] == ["block"]
        if n["kind"] == "item":
            assert "children" not in n
            assert isinstance(n["documents"], list)
            assert isinstance(n["optional"], bool)
            for key in TEXT_FIELDS:
                assert isinstance(n[key], str), (n["ref"], key)
        else:
            assert n["children"], f"{n['ref']} holds nothing"
        for f in n["footnotes"]:
            assert isinstance(f["n"], int) and f["text"].strip()


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_texts_are_clean(template_id: str) -> None:
    for n in nodes_of(template_id):
        texts = [n["title"], *(n.get(k, "") for k in TEXT_FIELDS), *n.get("documents", [])]
        for text in texts:
            assert text == text.strip(), (n["ref"], text)
            for bad in ARTEFACTS:
                assert bad not in text, (n["ref"], bad, text)
        assert all(d.strip() for d in n.get("documents", [])), n["ref"]


def test_region_and_agency_use_the_document_column_pilot_the_materials() -> None:
    for template_id in ("region", "agency"):
        for item in items_of(template_id):
            assert item["materials"] == ""
            assert item["documents"], f"{template_id} {item['ref']} names no document"
            assert item["responsible"] == "" and item["result"] == ""
    for item in items_of("szn_pilot"):
        assert item["documents"] == []


# ---------------------------------------------------------------- questions and conditions


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_questions(template_id: str) -> None:
    questions = load(template_id)["questions"]
    assert [q["id"] for q in questions] == QUESTION_IDS[template_id]
    for q in questions:
        assert q["default"] is None, q["id"]
        assert q["text"].strip().endswith("?"), q["id"]
        assert q["help"].strip(), q["id"]
        assert isinstance(q["footnote"], int), q["id"]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_conditions_name_declared_questions(template_id: str) -> None:
    data = load(template_id)
    questions = {q["id"]: q for q in data["questions"]}
    conditions = {}
    for n in nodes_of(template_id):
        for qid, want in n["include_if"].items():
            assert qid in questions, f"{n['ref']}: undeclared question {qid!r}"
            assert isinstance(want, bool)
        if n["include_if"]:
            conditions[n["ref"]] = n["include_if"]
            # The footnote that sets the condition is kept with the node, and the question
            # quotes it.
            help_text = questions[next(iter(n["include_if"]))]["help"]
            assert any(f["text"] in help_text for f in n["footnotes"]), n["ref"]
    assert conditions == CONDITIONS[template_id]
    used = {qid for cond in conditions.values() for qid in cond}
    assert used == set(questions), "every question must decide something"


def test_question_footnotes() -> None:
    region = {q["id"]: q["footnote"] for q in load("region")["questions"]}
    assert region == {
        "hr_centralized": 5,
        "hr_independent": 6,
        "it_centralized": 7,
        "accounting_centralized": 8,
        "admin_centralized": 9,
    }
    agency = {q["id"]: q for q in load("agency")["questions"]}
    assert {k: q["footnote"] for k, q in agency.items()} == {
        "has_subordinates": 10,
        "provides_services": 12,
        "has_vg_services": 14,
        "region_unified_registry": 11,
        "region_unified_feedback": 13,
        "own_hr_service": 15,
        "provides_support_measures": 17,
        "performs_control": 18,
        "it_support": 19,
        "accounting": 20,
        "admin_economic": 21,
    }
    assert agency["has_subordinates"]["help"] == "Опционально."
    services_help = agency["provides_services"]["help"]
    assert node("agency", "1.5")["footnotes"][0]["text"] in services_help
    assert node("agency", "3.1")["footnotes"][0]["text"] in services_help


# ---------------------------------------------------------------- counts


def test_region_counts() -> None:
    data = load("region")
    assert [b["ref"] for b in data["nodes"]] == [str(i) for i in range(1, 10)]
    assert all(b["kind"] == "block" for b in data["nodes"])
    per_block = {b["ref"]: len(b["children"]) for b in data["nodes"]}
    assert per_block == REGION_BLOCK_ITEMS
    assert all(c["kind"] == "item" for b in data["nodes"] for c in b["children"])
    assert len(items_of("region")) == 59

    all_yes = dict.fromkeys(QUESTION_IDS["region"], True)
    all_no = dict.fromkeys(QUESTION_IDS["region"], False)
    assert len(included_items("region", all_yes)) == 59
    assert len(included_items("region", all_no)) == 30
    blocks_no = {i["ref"].split(".")[0] for i in included_items("region", all_no)}
    assert blocks_no == {"1", "2", "3", "9"}


def test_agency_counts() -> None:
    data = load("agency")
    assert [b["ref"] for b in data["nodes"]] == ["1", "2", "3"]
    per_block = {
        b["ref"]: sum(1 for c in b["children"] if c["kind"] == "item") for b in data["nodes"]
    }
    assert per_block == AGENCY_BLOCK_ITEMS
    block3 = data["nodes"][2]
    assert all(c["kind"] == "section" for c in block3["children"])
    per_section = {s["ref"]: len(s["children"]) for s in block3["children"]}
    assert per_section == AGENCY_SECTION_ITEMS
    assert len(items_of("agency")) == 76

    everything = dict.fromkeys(QUESTION_IDS["agency"], True)
    everything.update(region_unified_registry=False, region_unified_feedback=False)
    assert len(included_items("agency", everything)) == 76

    nothing = dict.fromkeys(QUESTION_IDS["agency"], False)
    nothing.update(region_unified_registry=True, region_unified_feedback=True)
    left = included_items("agency", nothing)
    assert len(left) == 25
    assert [i["ref"] for i in left[:4]] == ["1.1", "1.2", "1.4", "1.7"]
    assert {i["ref"].rsplit(".", 1)[0] for i in left[4:]} == {"3.4", "3.5", "3.6"}

    # The two region_unified_* answers leave out exactly 1.3 and 1.6.
    unified = dict(everything, region_unified_registry=True, region_unified_feedback=True)
    gone = {i["ref"] for i in included_items("agency", everything)} - {
        i["ref"] for i in included_items("agency", unified)
    }
    assert gone == {"1.3", "1.6"}


def test_pilot_counts() -> None:
    data = load("szn_pilot")
    assert [n["ref"] for n in data["nodes"]] == [str(i) for i in range(1, 13)]
    assert all(n["kind"] == "item" for n in data["nodes"])
    assert data["questions"] == []
    assert all(n["include_if"] == {} and not n["optional"] for n in data["nodes"])
    assert len(included_items("szn_pilot", {})) == 12


# ---------------------------------------------------------------- known oddities of the sources


def test_region_keeps_the_sixth_quarter() -> None:
    for ref in ("2.1", "2.2", "2.3"):
        assert node("region", ref)["deadline"] == "VI квартал 2023 года"
    assert node("region", "1.4")["deadline"] == "Не позднее I квартала 2024 года"
    assert node("region", "3.13")["deadline"] == "31.12.2024"


def test_agency_two_items_numbered_1_5_and_its_order() -> None:
    block1 = load("agency")["nodes"][0]
    assert [c["ref"] for c in block1["children"]] == [
        "1.1",
        "1.2",
        "1.5-sub",
        "1.3",
        "1.4",
        "1.5",
        "1.6",
        "1.7",
        "1.8",
    ]
    fives = [n for n in nodes_of("agency") if n["number"] == "1.5."]
    assert [n["ref"] for n in fives] == ["1.5-sub", "1.5"]
    sub = node("agency", "1.5-sub")
    assert sub["optional"] is True
    assert sub["footnotes"] == [{"n": 10, "text": "Опционально."}]
    assert sub["title"].startswith("Назначены заместители руководителей")
    assert node("agency", "1.5")["title"].startswith("Сформированы карты клиентских путей")
    assert not any(n["optional"] for n in items_of("agency") if n["ref"] != "1.5-sub")


def test_items_naming_two_documents_keep_both() -> None:
    docs = node("agency", "3.1.1")["documents"]
    assert len(docs) == 2
    assert docs[0].startswith("Приказ (распоряжение, иной ненормативный правовой акт)")
    assert docs[1].startswith("Отчет о формировании перечня точек взаимодействия")
    two = {
        "region": ["6.1", "7.1", "8.1", "9.1"],
        "agency": [f"3.{i}.1" for i in range(1, 10)],
    }
    for template_id, refs in two.items():
        having_two = [i["ref"] for i in items_of(template_id) if len(i["documents"]) == 2]
        assert having_two == refs, template_id
        assert all(len(i["documents"]) <= 2 for i in items_of(template_id))


def test_footnotes_stay_with_their_nodes() -> None:
    expected = {
        "region": {"3.5": [3], "3.13": [4], "4": [5], "5": [6], "6": [7], "7": [8], "8": [9]},
        "agency": {
            "1.5-sub": [10],
            "1.3": [11],
            "1.5": [12],
            "1.6": [13],
            "1.8": [14],
            "2": [15],
            "3.1": [16],
            "3.2": [17],
            "3.3": [18],
            "3.7": [19],
            "3.8": [20],
            "3.9": [21],
        },
        "szn_pilot": {"3": [1], "4": [2], "7": [3], "9": [4]},
    }
    for template_id, want in expected.items():
        got = {n["ref"]: [f["n"] for f in n["footnotes"]] for n in nodes_of(template_id)}
        assert {k: v for k, v in got.items() if v} == want, template_id
    assert [f["footnote"] for f in load("region")["notes"]] == [2]


# ---------------------------------------------------------------- fixes


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_fixes_are_applied(template_id: str) -> None:
    data = load(template_id)
    columns = dict(map(tuple, data["columns"]))
    for fix in data["fixes"]:
        assert set(fix) == {"ref", "field", "original", "fixed", "why"}, fix
        assert fix["original"] != fix["fixed"]
        assert fix["why"].strip()
        assert_fix_keeps_the_words(fix)
        if fix["ref"] == "columns":
            assert columns[fix["field"]] == fix["fixed"]
            continue
        n = node(template_id, fix["ref"])
        if fix["field"] == "documents":
            assert fix["fixed"] in n["documents"], fix
        else:
            assert n[fix["field"]] == fix["fixed"], fix


def test_the_expected_fixes() -> None:
    region = [(f["ref"], f["field"]) for f in load("region")["fixes"]]
    assert region == [("columns", "responsible")]
    agency = [(f["ref"], f["field"]) for f in load("agency")["fixes"]]
    assert agency == [("3.3.6", "documents")]
    pilot = {(f["ref"], f["field"]) for f in load("szn_pilot")["fixes"]}
    assert {
        ("4", "title"),
        ("9", "title"),
        ("10", "title"),
        ("11", "title"),
        ("12", "title"),
        ("7", "materials"),
        ("11", "deadline"),
        ("12", "deadline"),
    } <= pilot


# ---------------------------------------------------------------- word for word with the source


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_item_word_for_word(template_id: str) -> None:
    """Every text field of every node, as printed (or, where fixed, the original as printed)."""
    seed = seed_text(SEED_OF[template_id])
    fixes = fixes_of(template_id)
    checked = 0
    for n in nodes_of(template_id):
        fields = [("title", n["title"])]
        fields += [(k, n[k]) for k in TEXT_FIELDS[1:] if n.get(k)]
        fields += [("documents", d) for d in n.get("documents", [])]
        for field, value in fields:
            what = f"{template_id} {n['ref']} {field}"
            fix = fixes.get((n["ref"], field, value))
            if fix is not None:
                assert_original_in_source(seed, fix, what)
            else:
                assert_in_source(seed, value, what)
            checked += 1
        for f in n["footnotes"]:
            assert_in_source(seed, f["text"], f"{template_id} {n['ref']} footnote {f['n']}")
    assert checked >= 15 * 3


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_headings_titles_notes_and_help_word_for_word(template_id: str) -> None:
    data = load(template_id)
    seed = seed_text(SEED_OF[template_id])
    fixes = fixes_of(template_id)
    for key, heading in data["columns"]:
        fix = fixes.get(("columns", key, heading))
        if fix is not None:
            assert_original_in_source(seed, fix, f"{template_id} column {key}")
        else:
            assert_in_source(seed, heading, f"{template_id} column {key}")
    assert_in_source(seed, data["title"], f"{template_id} title")
    for note in data["notes"]:
        assert_in_source(seed, note["text"], f"{template_id} note {note['footnote']}")
    for q in data["questions"]:
        for part in q["help"].split("\n"):
            assert_in_source(seed, part, f"{template_id} question {q['id']} help")


def test_footnote_texts_match_the_markers() -> None:
    """In the main source every footnote sits right after the text it belongs to."""
    raw = SEEDS_DIR / SEED_OF["region"]
    if not raw.is_file():
        pytest.skip(f"source document {raw} is not available")
    text = normalise(raw.read_text(encoding="utf-8"))
    marks = {
        int(m.group(1)): m.group(2).strip()
        for m in re.finditer(r"\[footnoteRef:(\d+)\] \[\1: (.*?)\]", text)
    }
    assert sorted(marks) == list(range(2, 22))
    for template_id in ("region", "agency"):
        for n in nodes_of(template_id):
            for f in n["footnotes"]:
                assert marks[f["n"]] == f["text"], (template_id, n["ref"], f["n"])
                assert f"{n['title']}[footnoteRef:{f['n']}]" in text.replace(
                    " [footnoteRef", "[footnoteRef"
                ), (template_id, n["ref"])
    assert load("region")["notes"] == [{"footnote": 2, "text": marks[2]}]
