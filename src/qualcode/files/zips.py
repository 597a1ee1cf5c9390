"""The one way qualcode opens a zip archive (``.docx``, ``.odt``, ``.xlsx``, ``.qdpx``): as hostile.

Opening checks the headers before any member is decompressed: the archive must be
a regular file (a FIFO or device is refused unread); every member name must stay
inside the archive (no absolute path, no ``..``, no drive letter, no NUL); no
member may be encrypted or use a compression method other than stored, deflate,
bzip2 or LZMA; and the declared sizes must stay within ``Limits`` (member count,
total uncompressed bytes, compression ratio per member). A zip bomb is therefore
refused from its directory alone, before a byte of it is inflated.

Reading then enforces the same limits on the bytes actually produced: a member
is read in chunks, never more than it declares (``zipfile`` stops there and then
checks the CRC, so a member whose header lies about its size is refused as
damaged), and the bytes read from all members together are counted against the
total (``SafeZip.bytes_read``).

XML members of office files are checked by ``check_xml``: a streaming pass that
refuses a document type declaration (entities: "billion laughs") and nesting
deeper than ``MAX_XML_DEPTH``, so no later tree walk can reach Python's recursion
limit.

Every refusal is one line naming the file, raised as the caller's error class.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO
from xml.parsers import expat

from qualcode.errors import QualcodeError

__all__ = ["MAX_XML_DEPTH", "Limits", "SafeZip", "check_xml", "open_regular", "unsafe_name"]

_MIB = 1024 * 1024
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
}
#: Deeper XML than this is refused (real office documents stay far below it).
MAX_XML_DEPTH = 200


@dataclass(frozen=True)
class Limits:
    """How large an archive may be before it is refused as a likely zip bomb.

    ``max_ratio`` applies to members larger than ``ratio_floor`` bytes uncompressed
    (small members legitimately compress very well).
    """

    max_members: int = 10_000
    max_total_bytes: int = 1024 * _MIB
    max_ratio: float = 100.0
    ratio_floor: int = _MIB


def unsafe_name(name: str) -> bool:
    """Whether the member *name* could point outside the folder it is extracted into."""
    if "\x00" in name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    return ".." in re.split(r"[/\\]", name)


def open_regular(path: Path, error: type[QualcodeError]) -> BinaryIO:
    """*path* opened for reading, refused (one line, *error*) unless it is a regular file.

    Opened without blocking, so a FIFO never hangs the reader.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise error(f"{path.name}: no such file") from None
    except OSError as exc:
        raise error(f"{path.name}: cannot be opened ({exc.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO, device or socket"
        raise error(f"{path.name}: is {kind}, not a regular file; pass a file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


class SafeZip:
    """A zip archive opened as untrusted input (see the module docstring).

    *source* is a path or the archive's bytes; *name* is how messages call it
    (default: the file name); *error* is the ``QualcodeError`` subclass raised;
    *kind* says what the file should be (".docx") in the "not a zip" message, *fix*
    how to mend a damaged file.
    Use as a context manager.
    """

    def __init__(
        self,
        source: str | Path | bytes,
        *,
        limits: Limits | None = None,
        error: type[QualcodeError] = QualcodeError,
        name: str | None = None,
        kind: str = "zip archive",
        fix: str = "save the file again",
    ) -> None:
        self.name = name or (Path(source).name if not isinstance(source, bytes) else "archive")
        self.limits = limits or Limits()
        self.error = error
        self.fix = fix
        self.bytes_read = 0
        handle: BinaryIO = (
            io.BytesIO(source) if isinstance(source, bytes) else open_regular(Path(source), error)
        )
        try:
            self._zip = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            handle.close()
            raise error(
                f"{self.name}: not a readable {kind} file (not a zip archive or damaged: "
                f"{_short(exc)}); {fix}"
            ) from None
        self._handle = handle
        try:
            self.members = self._check()
        except QualcodeError:
            self.close()
            raise

    def _check(self) -> dict[str, zipfile.ZipInfo]:
        limits = self.limits
        infos = self._zip.infolist()
        if len(infos) > limits.max_members:
            raise self.error(
                f"{self.name}: {len(infos)} members in the archive, more than the limit of "
                f"{limits.max_members}; refused as a possible zip bomb"
            )
        total = 0
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if unsafe_name(info.filename):
                raise self.error(
                    f"{self.name}: member {info.filename!r} points outside the archive folder "
                    "(absolute path or '..'); the file is refused as unsafe"
                )
            if info.flag_bits & 0x1:
                raise self.error(
                    f"{self.name}: member {info.filename!r} is encrypted; save the file "
                    "without a password (or encryption) and try again"
                )
            if info.compress_type not in _METHODS:
                raise self.error(
                    f"{self.name}: member {info.filename!r} uses zip compression method "
                    f"{info.compress_type}, which cannot be read; save it again with ordinary "
                    "(deflate) compression"
                )
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
                raise self.error(
                    f"{self.name}: member {info.filename!r} expands {ratio:.0f} times "
                    f"(limit {limits.max_ratio:.0f}); refused as a possible zip bomb"
                )
            if not info.is_dir():
                members[info.filename] = info
        if total > limits.max_total_bytes:
            raise self.error(
                f"{self.name}: {total:,} bytes uncompressed, more than the limit of "
                f"{limits.max_total_bytes:,}; refused as a possible zip bomb"
            )
        return members

    @property
    def names(self) -> tuple[str, ...]:
        """The file members of the archive (folders left out)."""
        return tuple(self.members)

    def chunks(self, member: str) -> Iterator[bytes]:
        """The bytes of *member*, in chunks, counted against the total limit."""
        if member not in self.members:
            raise self.error(f"{self.name}: no member {member!r} in the archive")
        try:
            with self._zip.open(self.members[member]) as stream:
                while chunk := stream.read(_CHUNK):
                    self.bytes_read += len(chunk)
                    if self.bytes_read > self.limits.max_total_bytes:
                        raise self.error(
                            f"{self.name}: more than {self.limits.max_total_bytes:,} bytes "
                            "uncompressed; refused as a possible zip bomb"
                        )
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise self.error(
                f"{self.name}: member {member!r} is damaged ({_short(exc)}); {self.fix}"
            ) from None
        except (NotImplementedError, RuntimeError) as exc:
            raise self.error(
                f"{self.name}: member {member!r} cannot be read ({_short(exc)}); save it "
                "again without encryption, using ordinary zip compression"
            ) from None

    def read(self, member: str) -> bytes:
        """The bytes of *member* (see ``chunks``)."""
        return b"".join(self.chunks(member))

    def check_xml(self, member: str, *, max_depth: int = MAX_XML_DEPTH) -> None:
        """Refuse the XML *member* if it declares a DTD or nests deeper than *max_depth*."""
        check_xml(self.chunks(member), name=f"{self.name}: member {member!r}", error=self.error,
                  max_depth=max_depth)  # fmt: skip

    def close(self) -> None:
        """Close the archive."""
        self._zip.close()
        self._handle.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _Refused(Exception):
    pass


def check_xml(
    chunks: Iterator[bytes] | bytes,
    *,
    name: str,
    error: type[QualcodeError],
    max_depth: int = MAX_XML_DEPTH,
) -> None:
    """Stream through an XML document; refuse a DTD, nesting beyond *max_depth*, bad syntax.

    *name* starts every message. Memory stays flat: nothing is kept.
    """
    parser = expat.ParserCreate()
    depth = 0

    def start(tag: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > max_depth:
            raise _Refused(
                f"{name} nests elements more than {max_depth} deep; refused (a real "
                "document does not), save it again from its program"
            )

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(*args: object) -> None:
        raise _Refused(
            f"{name} declares a document type (entities), which these files never do; "
            "refused as unsafe"
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Refused as exc:
        raise error(str(exc)) from None
    except expat.ExpatError as exc:
        raise error(f"{name} is not well-formed XML ({_short(exc)}); save the file again") from None


def _short(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:80]
