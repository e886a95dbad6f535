"""Reading a plan from a CSV file, as document systems export a table.

The text is decoded as UTF-8 (with or without the byte-order mark) or, failing that, as
Windows-1251, which Russian Excel writes; the delimiter is the one of «;», «,» and tab that splits
the first lines most evenly. The rows then go through the same sheet reader as an Excel workbook
(:func:`cxdesk.io.xlsx_reader.sheet_grid`), so that headers, numbers, dates and headings are read
alike.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cxdesk.errors import BadFile, NotFound
from cxdesk.io.model import ReadResult
from cxdesk.io.table_model import build_plan
from cxdesk.io.xlsx_reader import MAX_COLUMNS, MAX_ROWS, Rows, sheet_grid
from cxdesk.progress import NO_PROGRESS, Progress

#: A CSV plan larger than this is not a plan.
MAX_CSV_BYTES = 50 * 1024 * 1024
_DELIMITERS = (";", ",", "\t")


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (BOM or not), else Windows-1251."""
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _delimiter(text: str) -> str:
    head = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ";", -1
    for delimiter in _DELIMITERS:
        counts = [len(row) for row in csv.reader(head, delimiter=delimiter)]
        if not counts:
            continue
        score = sum(1 for n in counts if n >= 3) * 10 + max(counts)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(path: str | Path, progress: Progress | None = None) -> ReadResult:
    """Reads the plan's table from a .csv file; raises BadFile when there is none."""
    progress = progress or NO_PROGRESS
    path = Path(path)
    label = f"«{path.name}»"
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise BadFile(
                f"Файл {label} занимает {size // (1024 * 1024)} МБ: планы мероприятий не бывают "
                "такими. Проверьте, тот ли это файл."
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"Файл {label} не найден: проверьте путь к нему.") from exc
    except OSError as exc:
        raise BadFile(f"Файл {label} не открывается ({exc.strerror or exc}).") from exc
    if b"\x00" in data[:4096]:
        raise BadFile(
            f"Файл {label} не прочитан: это не текстовый файл CSV. Сохраните таблицу плана как "
            "«CSV (разделители — точка с запятой)» или загрузите файл .xlsx."
        )
    text = decode(data)
    progress.set_status("Чтение таблицы…")
    rows: Rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        for index, values in enumerate(reader, start=1):
            cells = [(c, v) for c, v in enumerate(values[:MAX_COLUMNS], start=1) if v.strip()]
            if cells:
                rows.append((index, cells))
            if len(rows) > MAX_ROWS:
                raise BadFile(f"В файле {label} больше {MAX_ROWS} строк: это не план.")
            if index % 500 == 0:
                progress.check()
    except csv.Error as exc:
        raise BadFile(
            f"Файл {label} не прочитан: CSV повреждён ({exc}). Откройте его в Excel или "
            "LibreOffice Calc и сохраните заново."
        ) from exc
    grid = sheet_grid(rows, [], "таблица CSV")
    return build_plan([grid], label, progress)
