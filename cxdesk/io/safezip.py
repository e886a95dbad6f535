"""Opening a Word or Excel file safely, before any part of it is parsed.

A .docx or .xlsx file is a zip archive of XML parts. A file that arrives by email may be something
else under that name (an old .doc, a password-protected file, a PDF, a picture), may be cut short,
or may be built to harm the reader: a «zip bomb» that inflates to gigabytes, members with paths
like ``../../x``, XML with a DTD that expands entities («billion laughs») or pulls in local files
(XXE). :class:`SafeZip` checks all of that first and raises :class:`~cxdesk.errors.BadFile` with a
message in Russian that says what the file is and what to do.

Every member is read through a streaming cap, so the size actually inflated is enforced as well as
the declared one; XML is parsed by feeding those chunks to lxml with entity resolution, network
access and DTD loading switched off, and any part that declares a DTD is refused outright (Office
never writes one).
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from lxml import etree

from cxdesk.errors import BadFile, NotFound
from cxdesk.io.file_kinds import describe_foreign, ole_directory

MB = 1024 * 1024
#: Upper bound for all members together, uncompressed.
MAX_TOTAL_BYTES = 200 * MB
#: Upper bound for a single member, uncompressed.
MAX_MEMBER_BYTES = 150 * MB
#: Compression ratio above which a member (bigger than :data:`RATIO_FLOOR_BYTES`) is refused.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 10 * MB
#: Upper bound for the number of members.
MAX_MEMBERS = 10_000
CHUNK = 64 * 1024

_DRIVE_RE = re.compile(r"^[A-Za-z]:")

KIND_NAMES = {
    "docx": "документ Word (.docx)",
    "xlsx": "книга Excel (.xlsx)",
    "odt": "документ OpenDocument (.odt)",
    "ods": "таблица OpenDocument (.ods)",
}
#: The mimetype member of OpenDocument files, by kind.
ODF_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
_MAIN_PART = {"docx": "word/", "xlsx": "xl/"}


class SafeZip:
    """An Office file opened for reading, with every limit checked before anything is parsed.

    Use as a context manager. ``kind`` is ``"docx"`` or ``"xlsx"``: the file must hold the main
    part of that kind, otherwise the message says what it holds instead.
    """

    def __init__(self, path: str | Path, kind: str) -> None:
        self.path = Path(path)
        self.kind = kind
        self.label = f"«{self.path.name}»"
        self._zip = self._open()
        try:
            self._infos = {info.filename: info for info in self._zip.infolist()}
            self._check_members()
            self._check_kind()
        except BaseException:
            self._zip.close()
            raise

    # -- opening -----------------------------------------------------------------------------
    def _fail(self, what: str) -> BadFile:
        return BadFile(f"Файл {self.label} не прочитан: {what}.")

    def _open(self) -> zipfile.ZipFile:
        name = self.path.name
        try:
            size = self.path.stat().st_size
            with self.path.open("rb") as fh:
                whole = fh.read(64 * 1024)
                whole += ole_directory(fh, whole)
        except FileNotFoundError as exc:
            raise NotFound(f"Файл {self.label} не найден: проверьте путь к нему.") from exc
        except IsADirectoryError as exc:
            raise BadFile(f"{self.label} — это папка, а не файл: выберите сам документ.") from exc
        except OSError as exc:
            raise BadFile(
                f"Файл {self.label} не открывается ({exc.strerror or exc}). Закройте его в других "
                "программах и проверьте права доступа."
            ) from exc
        if size == 0:
            raise self._fail(
                "он пуст (0 байт). Вероятно, он не сохранился или передан не полностью: "
                "попросите прислать его ещё раз"
            )
        if name.startswith("~$"):
            raise self._fail(
                "это служебный файл, который Word или Excel создают, пока документ открыт. "
                "Выберите сам документ (его имя без «~$» в начале)"
            )
        if size > MAX_TOTAL_BYTES:
            raise self._fail(
                f"он занимает {size // MB} МБ, а планы мероприятий не бывают больше "
                f"{MAX_TOTAL_BYTES // MB} МБ. Проверьте, тот ли это файл"
            )
        if not whole.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            what = describe_foreign(whole[:16], whole, self.kind)
            if what is None:
                what = (
                    f"это не {KIND_NAMES.get(self.kind, 'документ Office')}. Откройте файл в "
                    "Word или Excel и сохраните его как .docx или .xlsx"
                )
            raise self._fail(what)
        try:
            return zipfile.ZipFile(self.path)
        except NotImplementedError as exc:  # «zip file version 6.8», unknown compression
            raise self._fail(
                "он упакован способом, который не используют Word, Excel и LibreOffice "
                f"({exc}). Откройте его в своей программе и сохраните заново"
            ) from exc
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
            raise self._fail(
                "он повреждён или передан не полностью (архив обрывается). Попросите прислать "
                "его ещё раз или откройте в Word/Excel и сохраните заново"
            ) from exc

    def _check_members(self) -> None:
        infos = list(self._infos.values())
        if len(infos) > MAX_MEMBERS:
            raise self._fail(
                f"в нём {len(infos)} частей, а в документах Office их не бывает больше "
                f"{MAX_MEMBERS}. Файл испорчен или создан, чтобы вывести программу из строя"
            )
        total = 0
        for info in infos:
            name = info.filename
            parts = re.split(r"[\\/]", name)
            if (
                name.startswith(("/", "\\"))
                or _DRIVE_RE.match(name)
                or ".." in parts
                or "\x00" in name
            ):
                raise self._fail(
                    f"в архиве есть часть с недопустимым путём «{name}». В файлах Word и Excel "
                    "таких не бывает; файл испорчен или создан для атаки"
                )
            if info.flag_bits & 0x1:
                raise self._fail(
                    "его части зашифрованы. Снимите пароль в Word или Excel и сохраните файл заново"
                )
            self._check_size(name, info.file_size, info.compress_size)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise self._fail(
                    f"при распаковке он занял бы больше {MAX_TOTAL_BYTES // MB} МБ. Настоящие "
                    "планы в сотни раз меньше: файл испорчен или создан, чтобы вывести программу "
                    "из строя (zip-бомба)"
                )

    def _check_size(self, name: str, size: int, compressed: int) -> None:
        if size > MAX_MEMBER_BYTES:
            raise self._fail(
                f"часть «{name}» при распаковке заняла бы {size // MB} МБ (допустимо не более "
                f"{MAX_MEMBER_BYTES // MB} МБ). Файл испорчен или создан, чтобы вывести программу "
                "из строя (zip-бомба)"
            )
        if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(compressed, 1):
            raise self._fail(
                f"часть «{name}» сжата в {size // max(compressed, 1)} раз; так сильно сжимаются "
                "только файлы, созданные, чтобы вывести программу из строя (zip-бомба)"
            )

    def _check_kind(self) -> None:
        names = self._infos
        if self.kind in ODF_TYPES:
            mimetype = self._peek("mimetype").strip() if "mimetype" in names else b""
            if mimetype == ODF_TYPES[self.kind] and "content.xml" in names:
                return
            other = next((k for k, t in ODF_TYPES.items() if mimetype == t), None)
            if other is not None:
                raise self._fail(
                    f"это {KIND_NAMES[other]}, а не {KIND_NAMES[self.kind]}. Исправьте "
                    f"расширение имени файла на .{other} и импортируйте снова"
                )
            raise self._fail(
                f"это не {KIND_NAMES[self.kind]}: в нём нет содержимого OpenDocument. Откройте "
                "файл в LibreOffice и сохраните заново"
            )
        want = _MAIN_PART.get(self.kind, "")
        if any(n.startswith(want) for n in names) and "[Content_Types].xml" in names:
            return
        if "mimetype" in names and self._peek("mimetype").startswith(b"application/vnd.oasis"):
            raise self._fail(
                "это документ OpenDocument (LibreOffice). Исправьте расширение имени файла на "
                ".odt (текст) или .ods (таблица) и импортируйте снова"
            )
        for other, prefix in _MAIN_PART.items():
            if other != self.kind and any(n.startswith(prefix) for n in names):
                raise self._fail(
                    f"это {KIND_NAMES[other]}, а не {KIND_NAMES[self.kind]}. Исправьте "
                    f"расширение имени файла на .{other} и импортируйте снова"
                )
        raise self._fail(
            f"это zip-архив, а не {KIND_NAMES.get(self.kind, 'документ Office')}. Если план "
            "лежит в архиве, распакуйте его и импортируйте сам файл"
        )

    def _peek(self, name: str) -> bytes:
        try:
            with self._zip.open(self._infos[name]) as fh:
                return bytes(fh.read(1024))
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            NotImplementedError,
            RuntimeError,
            OSError,
            ValueError,
            struct.error,
        ):
            return b""

    # -- reading -----------------------------------------------------------------------------
    @property
    def zip(self) -> zipfile.ZipFile:
        """The checked archive (declared sizes already within limits)."""
        return self._zip

    def names(self) -> list[str]:
        """The member names, in archive order."""
        return list(self._infos)

    def has(self, name: str) -> bool:
        """Whether the archive holds a member of exactly this name."""
        return name in self._infos

    def iter_chunks(self, name: str, limit: int = MAX_MEMBER_BYTES) -> Iterator[bytes]:
        """Inflates one member chunk by chunk, stopping at its declared size or ``limit``."""
        info = self._infos.get(name)
        if info is None:
            raise self._fail(f"в нём нет части «{name}»; файл повреждён")
        if info.file_size > limit:
            raise self._fail(
                f"часть «{name}» слишком велика ({info.file_size // MB} МБ) для документа плана"
            )
        cap = info.file_size
        seen = 0
        try:
            with self._zip.open(info) as fh:
                while True:
                    block = fh.read(CHUNK)
                    if not block:
                        return
                    seen += len(block)
                    if seen > cap:
                        self._check_size(name, seen, info.compress_size)
                        raise self._fail(f"часть «{name}» больше, чем заявлено в архиве")
                    yield block
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error) as exc:
            # a damaged local header (an offset before the file's start, a short read)
            raise self._fail(
                f"часть «{name}» повреждена (не сходится контрольная сумма или архив обрывается). "
                "Попросите прислать файл ещё раз"
            ) from exc
        except (NotImplementedError, RuntimeError) as exc:
            raise self._fail(
                f"часть «{name}» сжата неизвестным способом. Откройте файл в Word или Excel и "
                "сохраните заново"
            ) from exc

    def read(self, name: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        """The whole member, inflated under the streaming cap."""
        return b"".join(self.iter_chunks(name, limit))

    def parse_xml(self, name: str) -> Any:
        """Parses one XML member safely and returns its root element."""
        parser = safe_parser()
        first = True
        try:
            for block in self.iter_chunks(name):
                if first and _declares_dtd(block):
                    raise self._dtd_error(name)
                first = False
                parser.feed(block)
            root = parser.close()
        except etree.XMLSyntaxError as exc:
            raise self._xml_error(name, exc) from exc
        if root.getroottree().docinfo.internalDTD is not None:
            raise self._dtd_error(name)
        return root

    def check_no_dtd(self) -> None:
        """Refuses the file if any of its XML parts declares a DTD (only the prolog is read)."""
        for name in self._infos:
            if not name.lower().endswith((".xml", ".rels", ".vml")):
                continue
            parser = etree.XMLPullParser(
                events=("start",),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            )
            try:
                for block in self.iter_chunks(name):
                    if _declares_dtd(block):
                        raise self._dtd_error(name)
                    parser.feed(block)
                    found = next(iter(parser.read_events()), None)
                    if found is not None:
                        if found[1].getroottree().docinfo.internalDTD is not None:
                            raise self._dtd_error(name)
                        break
            except etree.XMLSyntaxError as exc:
                raise self._xml_error(name, exc) from exc

    def _xml_error(self, name: str, exc: Any) -> BadFile:
        where = f", строка {exc.lineno}" if getattr(exc, "lineno", None) else ""
        return self._fail(
            f"часть «{name}» не является правильным XML{where}. Откройте файл в Word или Excel "
            "и сохраните заново"
        )

    def _dtd_error(self, name: str) -> BadFile:
        return self._fail(
            f"часть «{name}» содержит объявление DTD (<!DOCTYPE …>). В файлах Word и Excel его "
            "не бывает; так устраивают атаки на программы (подстановка чужих файлов, «миллиард "
            "смешков»). Если файл прислали вам как обычный документ, сообщите отправителю"
        )

    def main_part(self, default: str) -> str:
        """The main part named by ``_rels/.rels`` (``officeDocument``), else ``default``."""
        if not self.has("_rels/.rels"):
            return default
        for rel in self.parse_xml("_rels/.rels"):
            if str(rel.get("Type", "")).endswith("/officeDocument"):
                target = resolve_target("", str(rel.get("Target", "")))
                if self.has(target):
                    return target
        return default

    def relationships(self, part: str) -> dict[str, str]:
        """Relationship type (last path segment) → resolved target, for one part."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels):
            return {}
        out: dict[str, str] = {}
        for rel in self.parse_xml(rels):
            kind = str(rel.get("Type", "")).rsplit("/", 1)[-1]
            if rel.get("TargetMode") == "External":
                continue
            out.setdefault(kind, resolve_target(folder, str(rel.get("Target", ""))))
        return out

    # -- context manager ---------------------------------------------------------------------
    def close(self) -> None:
        """Closes the archive."""
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


_DOCTYPE_MARKS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))


def _declares_dtd(block: bytes) -> bool:
    """Whether a chunk holds a DOCTYPE declaration (text cannot: «<» is escaped in XML text)."""
    return any(mark in block for mark in _DOCTYPE_MARKS)


def resolve_target(folder: str, target: str) -> str:
    """A relationship target resolved against the folder of its source part."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


def safe_parser() -> Any:
    """An lxml parser that never resolves entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
