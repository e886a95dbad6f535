"""The grid a reader hands to :mod:`cxdesk.io.table_model`: rows of cells with clean text lines.

Word tables (``w:tc`` with ``gridSpan`` and ``vMerge``) and Excel sheets (cells and merged ranges)
both come down to this shape, so that everything after it is shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Cell:
    """One cell as a reader saw it.

    ``col`` is the first grid column the cell covers and ``span`` how many it covers. ``copied``
    marks a cell that continues a vertical merge: its lines are those of the merge's first cell.
    ``text`` is the lines joined with ``\\n``.
    """

    lines: list[str]
    col: int
    span: int = 1
    copied: bool = False
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.text = "\n".join(self.lines)


@dataclass(slots=True)
class GridRow:
    """One row of a table: its cells left to right and its number in the source (1-based)."""

    cells: list[Cell]
    line: int


@dataclass
class Grid:
    """One table of a document or the used range of one sheet.

    ``label`` names it in messages («таблица 2», «лист «План»»); ``before`` is the text above it
    (paragraphs, or cells of the rows above), line by line, where the approval block and the
    title are looked for; ``after`` the text below it up to the next table (where the signature
    and the executor line stand). ``width`` is the number of grid columns the table spans.
    """

    rows: list[GridRow]
    label: str
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        """How many grid columns the table's cells cover."""
        return max([cell.col + cell.span for row in self.rows for cell in row.cells], default=0)
