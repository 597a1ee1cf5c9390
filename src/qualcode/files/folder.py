"""The one way qualcode reads a folder: regular files inside it, nothing else.

``folder_files`` walks a folder without following links out of it: a symbolic
link is read only when it leads to a regular file inside the folder; a link
leading outside (``/etc/passwd``), a link to a folder, a broken link, a FIFO, a
device and a socket are skipped, each with one line saying why. ``file_inside``
is the same rule for one file named by a user.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from qualcode.errors import QualcodeError

__all__ = ["file_inside", "folder_files", "shown"]

_CONTROL = {c: f"\\x{c:02x}" for c in range(32) if c != 9} | {10: "\\n", 13: "\\r"}


def shown(name: str) -> str:
    """*name* with control characters (a newline in a file name) escaped: one line always."""
    return name.translate(_CONTROL)


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _why_not(path: Path, root: str) -> str | None:
    """Why *path* (inside the folder *root*) is not read, or None when it is a readable file."""
    st = path.lstat()
    if stat.S_ISREG(st.st_mode):
        return None
    if not stat.S_ISLNK(st.st_mode):
        return f"is {_kind(st.st_mode)}, not a regular file"
    target = os.path.realpath(path)
    if not _inside(target, root):
        return "is a link leading outside the folder; copy the file into the folder to read it"
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return "is a link to a file that does not exist"
    if stat.S_ISREG(mode):
        return None
    return f"is a link to {'a folder' if stat.S_ISDIR(mode) else _kind(mode)}, not to a file"


def folder_files(root: Path, *, hidden: bool = False) -> tuple[list[Path], list[str]]:
    """The regular files inside the folder *root* (recursively, in name order).

    Returns the files and one line for each entry skipped (``name: why; skipped``).
    Names starting with ``.`` or ``_`` are left out silently unless *hidden*.
    """
    real_root = os.path.realpath(root)
    files: list[Path] = []
    skipped: list[str] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in list(dirs):
            if not hidden and name.startswith((".", "_")):
                dirs.remove(name)
            elif (here / name).is_symlink():
                dirs.remove(name)
                names.append(name)  # judged below like any other link
        dirs.sort()
        for name in sorted(names):
            if not hidden and name.startswith((".", "_")):
                continue
            path = here / name
            try:
                why = _why_not(path, real_root)
            except OSError as exc:
                why = f"cannot be read ({exc.strerror})"
            if why is None:
                files.append(path)
            else:
                skipped.append(f"{shown(path.relative_to(root).as_posix())}: {why}; skipped")
    return sorted(files), skipped


def file_inside(root: Path, name: str, *, error: type[QualcodeError]) -> Path:
    """The file *name* inside the folder *root*, by the rules of ``folder_files``.

    Raises *error* (one line) when *name* leads outside *root*, is missing, or is
    not a regular file.
    """
    path = root / name
    real_root = os.path.realpath(root)
    if not _inside(os.path.realpath(path), real_root) or Path(name).is_absolute():
        raise error(
            f"{shown(name)}: is not inside {shown(str(root))}; name a file of the folder "
            f"(see 'qualcode corpus --transcripts {shown(str(root))}')"
        )
    try:
        why = _why_not(path, real_root)
    except FileNotFoundError:
        why = "no such file"
    except OSError as exc:
        why = f"cannot be read ({exc.strerror})"
    if why is not None:
        raise error(
            f"{shown(name)}: {why} in {shown(str(root))}; "
            f"see 'qualcode corpus --transcripts {shown(str(root))}'"
        )
    return path
