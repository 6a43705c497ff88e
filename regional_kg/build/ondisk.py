"""Atomic on-disk build targets: build beside the store, swap it in, clean what a killed build left.

A build of ``oxigraph:DIR`` goes into a fresh hidden folder beside ``DIR`` that takes ``DIR``'s
place only once it is complete, so a failed or interrupted build never leaves a half-written store;
the next build removes the leftovers of one that was killed outright.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from regional_kg.errors import StoreUnavailable
from regional_kg.stores.base import StoreError
from regional_kg.stores.oxigraph import OxigraphStore, in_use
from regional_kg.stores.spec import StoreSpec


def is_oxigraph_dir(path: Path) -> bool:
    """True when ``path`` holds a RocksDB folder of Oxigraph's (a store, whole or left over)."""
    return (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))


def check_disk_target(path: Path) -> Path:
    """``path`` made absolute, once it is sure a build may replace it (else StoreUnavailable)."""
    path = path.expanduser().absolute()
    spec = StoreSpec.on_disk(path).text
    if path.exists():
        if not path.is_dir():
            raise StoreUnavailable(f"{spec}: {path} is a file, not a folder")
        if any(path.iterdir()) and not is_oxigraph_dir(path):
            raise StoreUnavailable(
                f"{spec}: {path} is not empty and holds no Oxigraph store; "
                "refusing to replace it (choose a new or empty folder)"
            )
        if in_use(path):
            raise StoreUnavailable(
                f"{spec}: another process (or an open store in this one) is using {path}; "
                "stop it (e.g. `rkg serve`) and build again"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def building_folder(path: Path) -> Path:
    """A new empty folder beside ``path`` to build into (hidden, removed if the build fails).

    Its name carries this process's id, so the next build can tell an interrupted build's
    leftovers (its process is gone) from a build still running (:func:`clean_leftovers`).
    """
    clean_leftovers(path)
    prefix = f".{path.name}.building-{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=path.parent))


_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?:building|old)-(?:(?P<pid>\d+)-)?.*\Z")


def clean_leftovers(path: Path) -> list[Path]:
    """Remove what interrupted builds of ``path`` left beside it; return what was removed.

    A build killed outright (SIGKILL, power loss) cannot clean up after itself: it leaves its
    hidden ``.NAME.building-*`` folder, its N-Quads dump ``.NAME.building-*.nq`` (as large as
    the data: hundreds of MB) or the ``.NAME.old-*`` folder of a swap half done. Each is removed
    unless the process named in it still runs, or a process holds the folder's RocksDB lock.
    ``path`` itself is never touched, and when it is missing because a build was killed between
    moving the old store aside and the new one in, the old store is moved back first.
    """
    removed: list[Path] = []
    parent = path.parent
    if not parent.is_dir():
        return removed
    leftovers = []
    for entry in sorted(parent.iterdir()):
        match = _LEFTOVER.match(entry.name)
        if match is None or match.group("name") != path.name or entry == path:
            continue
        pid = match.group("pid")
        if pid is None or not _running(int(pid)):
            leftovers.append(entry)
    olds = [e for e in leftovers if ".old-" in e.name and is_oxigraph_dir(e)]
    if olds and not path.exists():
        # killed between the two renames of swap_in: the old store is the store; put it back
        newest = max(olds, key=lambda e: e.stat().st_mtime_ns)
        os.rename(newest, path)
        leftovers.remove(newest)
    for entry in leftovers:
        try:
            if entry.is_dir() and not entry.is_symlink():
                if in_use(entry):
                    continue
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue  # not ours to remove (permissions): leave it
        removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    """True when process ``pid`` exists (this one included: a build may still be running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OverflowError:
        return False
    return True


def swap_in(building: Path, path: Path) -> OxigraphStore:
    """Put the finished ``building`` folder in ``path``'s place and open it."""
    old = None
    if path.exists():
        old = path.parent / f".{path.name}.old-{os.getpid()}-{time.time_ns()}"
        os.rename(path, old)
    os.rename(building, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    try:
        return OxigraphStore(path)
    except StoreError as exc:
        raise StoreUnavailable(str(exc)) from exc
