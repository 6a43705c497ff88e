"""Atomic file writes: the one way the package replaces a file.

Why: a file written in place is half-written if the process dies or the disk fills, and a reader
(a browser, a spreadsheet, another ``rkg`` command) can see it so. Here the content goes to a
temporary file beside the target, which takes the target's place by one rename only once it is
complete. ``mkstemp`` makes the temporary file private (0600); a written file is an ordinary
one, so its mode is what the umask says, as for any file the user creates.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from regional_kg.errors import UserError


@contextmanager
def replacing(path: str | os.PathLike[str], suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; it replaces ``path`` when the block ends
    without an error, and is removed when it raises (``path`` is then left as it was)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=folder)
    tmp = Path(name)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        os.close(fd)
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    A missing folder or a failed write is a :class:`~regional_kg.errors.UserError` naming the
    path (the CLI prints it without a traceback).
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{path}: the folder {folder} does not exist")
    try:
        with replacing(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise UserError(f"{path}: cannot write: {exc.strerror or exc}") from exc
