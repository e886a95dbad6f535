"""Old and foreign formats (.doc, .xls, .rtf) converted through the LibreOffice on the machine.

cxdesk reads .docx, .xlsx, .odt, .ods and .csv itself. Files of the older formats are converted
by LibreOffice when it is installed (it is the standard office suite on Astra Linux and RED OS):
headless, with a profile of its own in a temporary folder (so that a LibreOffice the user has
open is neither disturbed nor blocking), within a time limit. The converted file is then read
like any incoming file, with every check. Where no LibreOffice is found, the message says
exactly how to convert the file by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cxdesk.errors import BadFile

#: Seconds a conversion may take before it is stopped.
TIMEOUT = 120
#: What each old format is converted to, and how the user converts it by hand.
TARGETS = {
    ".doc": ("docx", "Word", "Документ Word (*.docx)"),
    ".rtf": ("docx", "Word", "Документ Word (*.docx)"),
    ".xls": ("xlsx", "Excel", "Книга Excel (*.xlsx)"),
}
_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/usr/local/bin/soffice",
    "C:/Program Files/LibreOffice/program/soffice.exe",
    "C:/Program Files (x86)/LibreOffice/program/soffice.exe",
)


def find_office() -> str | None:
    """The LibreOffice program (``soffice``), or None; ``CXDESK_SOFFICE`` names one explicitly."""
    named = os.environ.get("CXDESK_SOFFICE", "")
    if named:
        return named if Path(named).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    for folder in sorted(Path("/opt").glob("libreoffice*"), reverse=True):
        program = folder / "program" / "soffice"
        if program.is_file():
            return str(program)
    return None


def how_to_convert(path: Path) -> str:
    """The message for an old-format file when no converter is present."""
    target, program, kind = TARGETS[path.suffix.lower()]
    return (
        f"Файл «{path.name}» — в формате {path.suffix.lower()}, который cxdesk читает только "
        f"через LibreOffice, а LibreOffice на этом компьютере не найден. Откройте файл в "
        f"{program} или LibreOffice, выберите «Файл → Сохранить как», тип файла «{kind}» "
        f"(в LibreOffice — «{_lo_type(target)}»), и загрузите получившийся файл .{target}."
    )


def _plain_stem(path: Path) -> str:
    """The file's name without what a command line or LibreOffice's own parser could misread
    (leading dashes, control characters); «plan» if nothing is left."""
    stem = "".join(ch for ch in path.stem if ch.isprintable()).lstrip("-. ")
    return stem[:100] or "plan"


def _lo_type(target: str) -> str:
    return "Word 2007–365 (.docx)" if target == "docx" else "Excel 2007–365 (.xlsx)"


def convert(path: Path, out_dir: Path) -> Path:
    """Converts an old-format file into ``out_dir`` and returns the new file's path.

    Raises BadFile with what to do when there is no LibreOffice, when it fails or takes too long,
    or when it writes nothing.
    """
    office = find_office()
    if office is None:
        raise BadFile(how_to_convert(path))
    target = TARGETS[path.suffix.lower()][0]
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=out_dir))
    source = out_dir / f"{_plain_stem(path)}{path.suffix.lower()}"
    shutil.copyfile(path, source)
    command = [
        office,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless", "--norestore", "--nolockcheck", "--nodefault",
        "--convert-to", target, "--outdir", str(out_dir), str(source),
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        raise BadFile(
            f"LibreOffice не успел преобразовать файл «{path.name}» за {TIMEOUT} с. Откройте "
            f"его в LibreOffice сами и сохраните как .{target}."
        ) from exc
    except OSError as exc:
        raise BadFile(
            f"LibreOffice не запустился ({exc.strerror or exc}). {how_to_convert(path)}"
        ) from exc
    result = out_dir / f"{source.stem}.{target}"
    if not result.is_file() or result.stat().st_size == 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise BadFile(
            f"LibreOffice не смог преобразовать файл «{path.name}»"
            + (f" ({said[0][:200]})" if said[0] else "")
            + f". Файл повреждён или это не документ {path.suffix.lower()}: откройте его сами "
            f"и сохраните как .{target}."
        )
    return result
