"""The one hardened zip reader, and opening a Word or Excel file safely before any part is parsed.

:class:`CheckedZip` is the zip reader for everything cxdesk reads from a zip: Office files
(:class:`SafeZip`), packages (:mod:`cxdesk.io.package_zip`) and backups
(:mod:`cxdesk.services.backup`). One set of rules, each with its :class:`ZipRules` limits: the
entry count read from the end record before :mod:`zipfile` builds an object per entry; no
member whose name escapes (absolute, drive letter, «..», backslash, control characters, empty
parts), no link, device or other non-regular member, no duplicate (also by case), no encryption,
only stored or deflated data; declared sizes and the total within the limits; and a compression
ratio no real data reaches (deflate cannot squeeze more than ~1032 to 1, and zeros reach ~1030;
a stored member is exactly its size), so a header that lies is refused while a package of a
real 2 GB file of zeros is not. Every read is streamed with the inflated size capped at the
declared one.

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
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from lxml import etree

from cxdesk.errors import BadFile, check_input
from cxdesk.io.file_kinds import describe_foreign, ole_directory

MB = 1024 * 1024
GB = 1024 * MB


@dataclass(frozen=True)
class ZipRules:
    """The limits of one kind of archive (the checks themselves are the same for all)."""

    #: Members in all.
    members: int
    #: All members together, inflated.
    total_bytes: int
    #: One member, inflated.
    member_bytes: int
    #: A deflated member bigger than ``ratio_floor_bytes`` may inflate at most this many times.
    ratio: int
    ratio_floor_bytes: int
    #: Whether folder entries («word/») are skipped rather than refused.
    allow_dirs: bool = False


#: Above what deflate can reach on any data (about 1032:1): a header claiming more lies.
DEFLATE_LIMIT = 1100
#: Backups: one member per stored file, as big as the disk.
BACKUP_RULES = ZipRules(
    members=1_000_000, total_bytes=4096 * GB, member_bytes=1024 * GB, ratio=DEFLATE_LIMIT,
    ratio_floor_bytes=1 * MB,
)  # fmt: skip
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
ZIP_READ_ERRORS = (
    zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError,
    struct.error, OSError,
)  # fmt: skip


def member_problem(info: zipfile.ZipInfo, allow_dirs: bool = False) -> str | None:
    """What is wrong with a member's name or type (in Russian), or None."""
    raw = info.orig_filename
    if "\x00" in raw or any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in raw):
        return "содержит управляющие символы"
    if "\\" in raw:
        return "содержит обратную косую черту (\\)"
    if raw.startswith("/"):
        return "это абсолютный путь"
    if _DRIVE_RE.match(raw):
        return "это путь с буквой диска"
    parts = raw.split("/")
    if ".." in parts:
        return "выходит за пределы папки («..»)"
    is_dir = raw.endswith("/") or info.is_dir()
    if is_dir and not allow_dirs:
        return "это папка"
    if any(p in ("", ".") for p in (parts[:-1] if is_dir else parts)):
        return "в пути есть пустая часть"
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "это символическая ссылка"
    if kind not in (0, stat.S_IFREG) and not (is_dir and kind == stat.S_IFDIR):
        return "это не обычный файл"
    return None


def declared_entries(path: Path, size: int) -> int | None:
    """The number of members the archive's end record declares, read before :mod:`zipfile`
    builds an object for each of them; None when the record cannot be found (zipfile decides)."""
    tail_size = min(size, 22 + 65535)
    try:
        with path.open("rb") as f:
            f.seek(size - tail_size)
            tail = f.read(tail_size)
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) < at + 22:
                return None
            entries = int(struct.unpack_from("<H", tail, at + 10)[0])
            locator = at - 20
            if entries != 0xFFFF or locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
                return entries
            f.seek(int(struct.unpack_from("<Q", tail, locator + 8)[0]))
            record = f.read(56)
    except (OSError, ValueError, struct.error):
        return None
    if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
        return None
    return int(struct.unpack_from("<Q", record, 32)[0])


def size_words(n: int) -> str:
    """A size in words: bytes, KB, MB or GB."""
    if n < 10 * 1024:
        return f"{n} байт"
    if n < 10 * MB:
        return f"{n // 1024} КБ"
    if n < 10 * GB:
        return f"{n // MB} МБ"
    return f"{n // GB} ГБ"


Fail = Callable[[str, bool], BadFile]


def _bomb(name: str, size: int, compressed: int) -> str:
    return (
        f"часть «{shown_member(name)}» распаковывается в {size_words(size)} из "
        f"{size_words(compressed)} (в {size // max(compressed, 1)} раз) — так устроены "
        "zip-бомбы, файл не распакован"
    )


def shown_member(name: str) -> str:
    """A member name as it may be shown: control and bidirectional characters made visible."""
    out = []
    for ch in name[:200]:
        if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in _BIDI or 0xD800 <= ord(ch) < 0xE000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(name) > 200 else "")


_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")


def check_infos(
    infos: list[zipfile.ZipInfo], rules: ZipRules, fail: Fail
) -> dict[str, zipfile.ZipInfo]:
    """The rules over the members (names, types, duplicates, encryption, method, sizes, ratio);
    returns the members by name, folder entries left out."""
    if len(infos) > rules.members:
        raise fail(f"в архиве {len(infos)} файлов (предел {rules.members})", True)
    members: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    total = 0
    for info in infos:
        problem = member_problem(info, rules.allow_dirs)
        if problem:
            raise fail(
                f"в архиве есть часть с недопустимым именем «{shown_member(info.orig_filename)}» "
                f"({problem}), файл не распакован",
                True,
            )
        key = info.filename.casefold()
        if key in folded:
            raise fail(f"имя «{shown_member(info.filename)}» встречается в архиве дважды", True)
        folded.add(key)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise fail("архив зашифрован паролем: снимите пароль и сохраните файл заново", False)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise fail(
                f"часть «{shown_member(info.filename)}» сжата неизвестным способом "
                f"({info.compress_type}). Откройте файл в своей программе и сохраните заново",
                False,
            )
        size, packed = info.file_size, info.compress_size
        if size > rules.member_bytes:
            raise fail(
                f"часть «{shown_member(info.filename)}» при распаковке заняла бы "
                f"{size_words(size)} (предел {size_words(rules.member_bytes)}) — zip-бомба?",
                True,
            )
        if info.compress_type == zipfile.ZIP_STORED and size != packed:
            raise fail(_bomb(info.filename, size, packed), True)
        if size > rules.ratio_floor_bytes and size > rules.ratio * max(packed, 1):
            raise fail(_bomb(info.filename, size, packed), True)
        total += size
        if total > rules.total_bytes:
            raise fail(
                f"при распаковке он занял бы больше {size_words(rules.total_bytes)} (предел); "
                "настоящие файлы такими не бывают — файл испорчен или создан, чтобы вывести "
                "программу из строя (zip-бомба)",
                True,
            )
        members[info.filename] = info
    return members


class CheckedZip:
    """A zip archive opened for reading with every rule checked first (see the module).

    ``fail(what, dangerous)`` makes the refusal for this kind of file; ``foreign(head)`` says
    what a file that is not a zip seems to be.
    """

    def __init__(
        self,
        path: str | Path,
        rules: ZipRules,
        fail: Fail | None = None,
        foreign: Callable[[bytes], str] | None = None,
    ) -> None:
        self.path = Path(path)
        self.rules = rules
        self._fail_with = fail or self._default_fail
        self._foreign = foreign
        self._zip = self._open_checked()
        try:
            self._infos = check_infos(self._zip.infolist(), rules, self._fail_with)
        except BaseException:
            self._zip.close()
            raise

    def _default_fail(self, what: str, _dangerous: bool) -> BadFile:
        return BadFile(f"Архив «{shown_member(self.path.name)}» не прочитан: {what}.")

    def _head(self) -> tuple[int, bytes]:
        check_input(self.path)
        try:
            size = self.path.stat().st_size
            with self.path.open("rb") as fh:
                return size, fh.read(64 * 1024)
        except OSError as exc:
            raise BadFile(
                f"Файл «{self.path.name}» не открывается ({exc.strerror or exc}). Закройте его в "
                "других программах и проверьте права доступа."
            ) from exc

    def _open_checked(self) -> zipfile.ZipFile:
        size, head = self._head()
        if size == 0:
            raise self._fail_with("файл пуст (0 байт): вероятно, он передан не полностью", False)
        if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            what = self._foreign(head) if self._foreign else "это не zip-архив"
            raise self._fail_with(what, False)
        return self._zip_file(size)

    def _zip_file(self, size: int) -> zipfile.ZipFile:
        entries = declared_entries(self.path, size)
        if entries is not None and entries > self.rules.members:
            raise self._fail_with(f"в архиве {entries} файлов (предел {self.rules.members})", True)
        try:
            return zipfile.ZipFile(self.path)
        except NotImplementedError as exc:  # «zip file version 6.8», unknown compression
            raise self._fail_with(
                "он упакован способом, который не используют Word, Excel, LibreOffice и cxdesk "
                f"({exc}). Откройте его в своей программе и сохраните заново",
                False,
            ) from exc
        except ZIP_READ_ERRORS as exc:
            raise self._fail_with(
                "архив обрезан или повреждён (вероятно, передан не полностью). Попросите "
                "прислать его ещё раз",
                False,
            ) from exc

    @property
    def zip(self) -> zipfile.ZipFile:
        """The checked archive (declared sizes already within limits)."""
        return self._zip

    def infos(self) -> dict[str, zipfile.ZipInfo]:
        """The checked members by name."""
        return dict(self._infos)

    def names(self) -> list[str]:
        """The member names, in archive order."""
        return list(self._infos)

    def has(self, name: str) -> bool:
        """Whether the archive holds a member of exactly this name."""
        return name in self._infos

    def iter_chunks(self, name: str, limit: int | None = None) -> Iterator[bytes]:
        """Inflates one member chunk by chunk, stopping at its declared size or ``limit``."""
        info = self._infos.get(name)
        if info is None:
            raise self._fail_with(f"в нём нет части «{shown_member(name)}»; файл повреждён", False)
        limit = self.rules.member_bytes if limit is None else limit
        if info.file_size > limit:
            raise self._fail_with(
                f"часть «{shown_member(name)}» слишком велика ({size_words(info.file_size)})", True
            )
        seen = 0
        try:
            with self._zip.open(info) as fh:
                while block := fh.read(CHUNK):
                    seen += len(block)
                    if seen > info.file_size:
                        raise self._fail_with(
                            f"часть «{shown_member(name)}» больше, чем заявлено в архиве", True
                        )
                    yield block
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error) as exc:
            # a damaged local header (an offset before the file's start, a short read)
            raise self._fail_with(
                f"часть «{shown_member(name)}» повреждена (не сходится контрольная сумма или "
                "архив обрывается). Попросите прислать файл ещё раз",
                False,
            ) from exc
        except (NotImplementedError, RuntimeError) as exc:
            raise self._fail_with(
                f"часть «{shown_member(name)}» сжата неизвестным способом. Откройте файл в своей "
                "программе и сохраните заново",
                False,
            ) from exc

    def read(self, name: str, limit: int | None = None) -> bytes:
        """The whole member, inflated under the streaming cap."""
        return b"".join(self.iter_chunks(name, limit))

    def close(self) -> None:
        """Closes the archive."""
        self._zip.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


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
#: Word and Excel files: a plan is never more than a few MB of XML.
OFFICE_RULES = ZipRules(
    members=MAX_MEMBERS, total_bytes=MAX_TOTAL_BYTES, member_bytes=MAX_MEMBER_BYTES,
    ratio=MAX_RATIO, ratio_floor_bytes=RATIO_FLOOR_BYTES, allow_dirs=True,
)  # fmt: skip

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


class SafeZip(CheckedZip):
    """An Office file opened for reading, with every limit checked before anything is parsed.

    Use as a context manager. ``kind`` is ``"docx"`` or ``"xlsx"``: the file must hold the main
    part of that kind, otherwise the message says what it holds instead.
    """

    def __init__(self, path: str | Path, kind: str) -> None:
        self.kind = kind
        self.label = f"«{shown_member(Path(path).name)}»"
        super().__init__(path, OFFICE_RULES, self._refuse)
        try:
            self._check_kind()
        except BaseException:
            self._zip.close()
            raise

    # -- opening -----------------------------------------------------------------------------
    def _fail(self, what: str) -> BadFile:
        return BadFile(f"Файл {self.label} не прочитан: {what}.")

    def _refuse(self, what: str, dangerous: bool) -> BadFile:
        if dangerous:
            what += ". Если файл прислали вам как обычный документ, сообщите отправителю"
        return self._fail(what)

    def _open_checked(self) -> zipfile.ZipFile:
        size, whole = self._head()
        try:
            with self.path.open("rb") as fh:
                fh.seek(len(whole))
                whole += ole_directory(fh, whole)
        except OSError:
            pass
        if size == 0:
            raise self._fail(
                "он пуст (0 байт). Вероятно, он не сохранился или передан не полностью: "
                "попросите прислать его ещё раз"
            )
        if self.path.name.startswith("~$"):
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
        return self._zip_file(size)

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
        except ZIP_READ_ERRORS:
            return b""

    # -- reading -----------------------------------------------------------------------------
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
