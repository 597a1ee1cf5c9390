"""The ``.qdpx`` container: a zip read as untrusted input, and written atomically.

Reading never extracts to disk: members are read into memory by name, through
:class:`qualcode.files.zips.SafeZip`, which has checked every member name (no
absolute path, no ``..``, no drive letter: a zip-slip archive is refused whole),
refused encrypted and unsupported members, and measured the archive against
``Limits`` (member count, uncompressed bytes, compression ratio) before anything
is inflated.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from types import TracebackType

from qualcode.errors import InteropError
from qualcode.files.output import open_output
from qualcode.files.zips import Limits, SafeZip, unsafe_name

__all__ = ["Archive", "Limits", "SOURCES_FOLDER", "write_archive"]

SOURCES_FOLDER = "sources"
QDE_NAME = "project.qde"


class Archive:
    """An opened ``.qdpx``: its ``.qde`` document and its embedded source files.

    Opened by :class:`qualcode.files.zips.SafeZip` (names, encryption, compression
    methods and sizes checked before anything is read). Use as a context manager;
    raises ``InteropError`` for anything that makes the archive unusable or unsafe.
    """

    def __init__(self, path: str | Path, *, limits: Limits | None = None) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.warnings: list[str] = []
        self._zip = SafeZip(
            self.path, limits=limits, error=InteropError, kind=".qdpx",
            fix="export the project again",
        )  # fmt: skip
        self._members = self._zip.members
        try:
            self.qde_name = self._find_qde()
        except InteropError:
            self._zip.close()
            raise
        self._folder_warned = False

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
        return self._zip.read(member)

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
        if unsafe_name(file) or not file:
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
