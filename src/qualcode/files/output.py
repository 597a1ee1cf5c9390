"""The one way qualcode writes an output file: whole or not at all, and never over an input.

Rules, checked before anything is written:

- An output that is one of the command's inputs is refused: the same file is found
  through ``(device, inode)``, so another spelling (``./x.db``, ``../dir/x.db``), a
  hard link or a symbolic link to an input are all caught.
- Only a regular file is ever replaced: an output path that is a folder, a device,
  a FIFO or a socket is refused.
- A symbolic link is written *through*: the file it points to is replaced and the
  link stays a link (as the shell's ``>`` does). Every rule above applies to that
  target. A link whose target does not exist creates the target.

The data goes to a temporary file beside the target, which is moved into place when
complete; a failure (a full disk, no permission) removes the temporary file, leaves
any earlier file as it was and raises ``OutputError`` in one line.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from qualcode.errors import OutputError

__all__ = ["check_output", "check_suffix", "open_output", "write_failure", "write_output"]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def check_output(path: str | Path, *, inputs: Iterable[str | Path] = ()) -> Path:
    """The file that writing *path* would replace, after checking it may be replaced.

    Raises ``OutputError`` when *path* (or what it links to) is one of *inputs*, or
    exists and is not a regular file.
    """
    shown = Path(path)
    target = Path(os.path.realpath(shown))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write here ({exc.strerror})") from None
    if st is not None:
        for source in inputs:
            if _identity(source) == (st.st_dev, st.st_ino):
                same = "" if Path(source) == shown else f" (the same file as {source})"
                raise OutputError(
                    f"{shown}: is an input of this command{same}; writing it would destroy "
                    "the input, choose another output file name"
                )
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(
                f"{shown}: is {_kind(st.st_mode)}, not a regular file; "
                "only a file is ever replaced, choose a file name"
            )
    return target


def check_suffix(path: str | Path, suffixes: Iterable[str], what: str) -> str:
    """The lower-case suffix of *path* when it is one of *suffixes*; else ``OutputError``.

    *what* names the output in the message (``a matrix``, ``memos``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    choices = tuple(suffixes)
    if suffix not in choices:
        raise OutputError(
            f"{path.name}: cannot write {what} as {suffix or 'a file without extension'}; "
            f"name it {', '.join(choices)}"
        )
    return suffix


def write_failure(path: str | Path, exc: OSError) -> OutputError:
    """The one-line ``OutputError`` for an ``OSError`` met while writing *path*."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full (no space left on device); free some space and run it again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = f"no permission to write there ({exc.strerror}); choose another place"
    else:
        why = f"{exc.strerror or exc}; choose another place"
    return OutputError(f"{path}: could not be written, nothing was changed: {why}")


@contextmanager
def open_output(
    path: str | Path,
    *,
    inputs: Iterable[str | Path] = (),
    text: bool = False,
    encoding: str = "utf-8",
) -> Iterator[IO[Any]]:
    """A handle to write the output *path* into; the file appears whole when the block ends.

    See the module docstring for what is refused. *text* opens the handle in text
    mode (*encoding*, no newline translation). An exception inside the block leaves
    any earlier file untouched.
    """
    inputs = tuple(inputs)
    target = check_output(path, inputs=inputs)
    if not target.parent.is_dir():
        raise OutputError(f"{path}: folder {target.parent} does not exist; create it first")
    try:
        old_mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        old_mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise write_failure(path, exc) from None
    try:
        handle = os.fdopen(fd, "w", encoding=encoding, newline="") if text else os.fdopen(fd, "wb")
        with handle:
            yield handle
        os.chmod(tmp, old_mode)
        check_output(path, inputs=inputs)  # nothing was swapped in meanwhile
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise write_failure(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(path: str | Path, data: bytes, *, inputs: Iterable[str | Path] = ()) -> None:
    """Write *data* as the output file *path*, by the rules of ``open_output``."""
    with open_output(path, inputs=inputs) as handle:
        handle.write(data)
