"""The ``.qdpx`` container: a zip read as untrusted input, and written atomically.

Reading never extracts to disk: members are read into memory by name, after every
member name has been checked (no absolute path, no ``..``, no drive letter: a
zip-slip archive is refused whole) and the archive has been measured against
``Limits`` (member count, uncompressed bytes, compression ratio). ``zipfile``
never returns more bytes than a member declares, so the declared sizes bound
what is read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType

from qualcode.errors import InteropError
from qualcode.files.output import open_output

__all__ = ["Archive", "Limits", "SOURCES_FOLDER", "write_archive"]

SOURCES_FOLDER = "sources"
QDE_NAME = "project.qde"
_DRIVE = re.compile(r"^[A-Za-z]:")
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How large a ``.qdpx`` may be before it is refused as a likely zip bomb.

    ``max_ratio`` applies to members larger than ``ratio_floor`` bytes uncompressed
    (small members legitimately compress very well).
    """

    max_members: int = 10_000
    max_total_bytes: int = 1024 * _MIB
    max_ratio: float = 100.0
    ratio_floor: int = _MIB


def _unsafe(name: str) -> bool:
    if "\x00" in name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    parts = re.split(r"[/\\]", name)
    return ".." in parts


class Archive:
    """An opened ``.qdpx``: its ``.qde`` document and its embedded source files.

    Use as a context manager; raises ``InteropError`` for anything that makes the
    archive unusable or unsafe.
    """

    def __init__(self, path: str | Path, *, limits: Limits | None = None) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.warnings: list[str] = []
        limits = limits or Limits()
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise InteropError(f"{self.name}: no such file") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise InteropError(
                f"{self.name}: not a zip archive or damaged ({exc}); a .qdpx is a zip file, "
                "export the project again"
            ) from None
        try:
            self._members = self._check(limits)
            self.qde_name = self._find_qde()
        except InteropError:
            self._zip.close()
            raise
        self._folder_warned = False

    def _check(self, limits: Limits) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > limits.max_members:
            raise InteropError(
                f"{self.name}: {len(infos)} members in the archive, more than the limit of "
                f"{limits.max_members}; refused as a possible zip bomb"
            )
        total = 0
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if _unsafe(info.filename):
                raise InteropError(
                    f"{self.name}: member {info.filename!r} points outside the archive folder "
                    "(absolute path or '..'); the file is refused as unsafe"
                )
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
                raise InteropError(
                    f"{self.name}: member {info.filename!r} expands {ratio:.0f} times "
                    f"(limit {limits.max_ratio:.0f}); refused as a possible zip bomb"
                )
            if not info.is_dir():
                members[info.filename] = info
        if total > limits.max_total_bytes:
            raise InteropError(
                f"{self.name}: {total:,} bytes uncompressed, more than the limit of "
                f"{limits.max_total_bytes:,}; refused as a possible zip bomb"
            )
        return members

    def _find_qde(self) -> str:
        if QDE_NAME in self._members:
            return QDE_NAME
        found = sorted(n for n in self._members if n.lower().endswith(".qde"))
        if not found:
            raise InteropError(
                f"{self.name}: no project.qde in the archive; this is not a REFI-QDA project "
                "(.qdpx) file"
            )
        if len(found) > 1:
            raise InteropError(
                f"{self.name}: several .qde documents ({', '.join(found)}) and no project.qde; "
                "cannot tell which one is the project"
            )
        self.warnings.append(
            f"{self.name}: the project document is {found[0]!r}, not 'project.qde'"
        )
        return found[0]

    @property
    def names(self) -> tuple[str, ...]:
        """The file members of the archive (folders left out)."""
        return tuple(self._members)

    def read(self, member: str) -> bytes:
        """The bytes of *member*; ``InteropError`` when it is missing or damaged."""
        if member not in self._members:
            raise InteropError(f"{self.name}: no member {member!r} in the archive")
        try:
            return self._zip.read(self._members[member])
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise InteropError(
                f"{self.name}: member {member!r} is damaged ({exc}); export the project again"
            ) from None
        except (NotImplementedError, RuntimeError) as exc:
            raise InteropError(
                f"{self.name}: member {member!r} cannot be read ({exc}); "
                "export it again without encryption, using ordinary zip compression"
            ) from None

    def read_qde(self) -> bytes:
        """The bytes of the project document."""
        return self.read(self.qde_name)

    def resolve(self, path: str) -> tuple[str | None, str]:
        """The member that a ``plainTextPath``-style *path* refers to, and why not when None.

        Accepts ``internal://NAME``, a bare ``NAME`` (with a warning), and a
        ``Sources/`` folder spelled in another case (with a warning, once).
        """
        if path.startswith(("relative://", "absolute://")):
            return None, f"external file {path!r} is not inside the archive"
        if path.startswith("internal://"):
            file = path[len("internal://") :]
        else:
            file = path
            self.warnings.append(f"{self.name}: path {path!r} lacks the internal:// scheme")
        if _unsafe(file) or not file:
            return None, f"path {path!r} is not a file name inside sources/"
        wanted = f"{SOURCES_FOLDER}/{file}"
        if wanted in self._members:
            return wanted, ""
        for member in self._members:
            if member.lower() == wanted.lower():
                self._warn_folder(member)
                return member, ""
        for member in self._members:
            if PurePosixPath(member).name == file:
                self._warn_folder(member)
                return member, ""
        return None, f"{path!r} is not in the archive"

    def _warn_folder(self, member: str) -> None:
        if not self._folder_warned:
            folder = str(PurePosixPath(member).parent)
            self.warnings.append(
                f"{self.name}: source files are in {folder + '/'!r}, not in 'sources/'"
            )
            self._folder_warned = True

    def close(self) -> None:
        """Close the zip file."""
        self._zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _entry(name: str) -> zipfile.ZipInfo:
    # A fixed timestamp, so that exporting the same project twice gives the same bytes.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_archive(
    path: str | Path,
    *,
    qde: bytes,
    sources: Iterable[tuple[str, bytes]],
    extra: Iterable[tuple[str, bytes]] = (),
    inputs: Iterable[str | Path] = (),
) -> None:
    """Write a ``.qdpx`` at *path*: ``project.qde`` and each ``(file name, bytes)`` in ``sources/``.

    *extra* are ``(member name, bytes)`` written after them, as they are named.

    The archive is written by :func:`qualcode.files.output.open_output`: it appears
    whole or not at all, and never replaces one of *inputs*.
    """
    with (
        open_output(path, inputs=inputs) as handle,
        zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as zf,
    ):
        zf.writestr(_entry(QDE_NAME), qde)
        for file, data in sources:
            zf.writestr(_entry(f"{SOURCES_FOLDER}/{file}"), data)
        for member, data in extra:
            zf.writestr(_entry(member), data)
