"""Built stores kept on disk, so that a reading command over an unchanged graph does not build it
again: ``rkg query`` on the curated graph opens what an earlier command built.

Why: ``rkg query agreements --param state=KZ`` spent 0.43 s of its 0.75 s building the curated
graph in memory (parsing 249 files, inferring, checking, committing) -- the same graph, every
time -- and importing the build (rdflib's SPARQL engine, the sheet compiler) for it. The
validation result was already remembered (:mod:`regional_kg.build.validation`); this remembers
the store itself.

**What is kept.** One *entry* per set of inputs: the store the build made (its named graphs and
the de-duplicated union in the default graph, :mod:`regional_kg.stores.oxigraph`) as an Oxigraph
(RocksDB) folder, and ``entry.json``: the key, the size of every file of the folder, and what
the build said on stderr (warnings about the user's sources), which is said again on each hit so
the output stays what a build gives. Only the default store (``oxigraph``, built in memory from
files) of a *reading* command is cached; ``memory``, ``oxigraph:DIR`` and ``sparql:`` are used
as they always were, and ``rkg build`` always builds.

**The key** is a hash of everything the build reads: every file under the ontology and curated
graph folders and of each ``--source`` (their paths as given, since graph names and messages
come from them), validation on or off, the package's own code (every ``.py`` and ``.json`` file
of ``regional_kg``) and the installed pyoxigraph, rdflib and sheet libraries. Hashing the bytes
of ~350 files costs ~5 ms, so a cheaper *stat key* (path, size, mtime, inode of each file) is
tried first: a small memo maps it to the content key it was found to have. A memo is written
only when every file is older than :data:`RACY_SECONDS` (git's "racy" rule: a file changed again
within the clock's granularity keeps its mtime, so a fresh stat proves nothing); a ``touch`` or
a checkout of the same content costs one content hash, not a build.

**Safe for concurrent processes.** An entry is written into a temporary folder beside the others
and renamed into place only when complete (a second writer of the same key finds it there and
drops its own); entries are never written after that, and are opened read-only
(``Store.read_only``: no lock, any number of readers). An entry whose files are missing, of
another size than recorded (truncated) or that RocksDB will not open is removed and built again,
never served. A cache that cannot be written only makes commands slower.

**Bounded:** the :data:`KEEP` most recently used entries are kept (about 10 MB each for the
curated graph); older ones, and what killed writers left, are removed when an entry is added.

**Off:** ``RKG_NO_STORE_CACHE=1`` (this cache) or ``RKG_NO_CACHE=1`` (every cache). Where:
``$RKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/regional-kg``, else ``~/.cache/regional-kg``
(:func:`cache_dir`), in ``stores/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from regional_kg.resources import graph_dir, ontology_dir
from regional_kg.stores.base import StoreError
from regional_kg.stores.oxigraph import OxigraphStore

#: Bumped when an entry's layout or meaning changes: older entries are then never read.
FORMAT = 1
#: Entries kept (the most recently used).
KEEP = 4
#: Files changed less than this long ago make the stat key untrustworthy (see the module notes).
RACY_SECONDS = 2.0
#: Memos (stat key -> content key) kept: they are a few bytes each.
KEEP_MEMOS = 64
#: Set to 1 to turn this cache off (``RKG_NO_CACHE=1`` turns off every cache).
OFF_VARIABLE = "RKG_NO_STORE_CACHE"

_PACKAGE = Path(__file__).resolve().parent
#: Third-party code the build runs, whose installed version is part of the key.
_LIBRARIES = ("rdflib", "yaml", "jsonschema", "countrynames")
_KEY = re.compile(r"[0-9a-f]{64}\Z")
_LEFTOVER = re.compile(r"\.(?:building|trash)-(\d+)-")
#: Files of a RocksDB folder that are not its data (and may change while it is read).
_NOT_DATA = re.compile(r"LOCK\Z|LOG")


def _switched_on(variable: str) -> bool:
    return os.environ.get(variable, "").strip() not in ("", "0")


def cache_dir() -> Path | None:
    """Where rkg remembers things between runs (``RKG_NO_CACHE=1`` turns it off): clean
    validations (:mod:`regional_kg.build.validation`) and built stores (this module)."""
    if _switched_on("RKG_NO_CACHE"):
        return None
    explicit = os.environ.get("RKG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "regional-kg"


def stores_dir() -> Path | None:
    """The folder of the built-store entries, ``None`` when this cache is off."""
    root = cache_dir()
    if root is None or _switched_on(OFF_VARIABLE):
        return None
    return root / "stores"


class Hit(NamedTuple):
    """A cached store, opened read-only, and what its build said on stderr."""

    store: OxigraphStore
    messages: str


@dataclass(frozen=True)
class Entry:
    """The cache entry for one set of build inputs (there or not yet)."""

    folder: Path  # stores/<key>
    key: str

    def open(self) -> Hit | None:
        """The entry's store, read-only, if the entry is there and whole; a broken one is
        removed (it is built again, never served)."""
        manifest = self._manifest()
        if manifest is None:
            return None
        try:
            store = OxigraphStore(self.folder / "store", read_only=True)
        except (StoreError, OSError, RuntimeError, ValueError):  # RocksDB refused it
            _remove(self.folder)
            return None
        store.spec, store.persistent = "oxigraph", False  # what it stands for: the built store
        _touch(self.folder / "entry.json")
        return Hit(store, str(manifest.get("messages", "")))

    def _manifest(self) -> dict[str, object] | None:
        """``entry.json`` when the entry is whole (every recorded file there, at its size)."""
        path = self.folder / "entry.json"
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            if self.folder.exists():
                _remove(self.folder)  # a folder without its manifest is no entry
            return None
        except (OSError, ValueError):
            _remove(self.folder)
            return None
        if not _whole(self.folder / "store", manifest, self.key):
            _remove(self.folder)
            return None
        return manifest  # type: ignore[no-any-return]

    def save(self, store: ox.Store, messages: str = "") -> bool:
        """Keep ``store`` (a built store, its union default graph included) as this entry;
        ``False`` when it cannot be written (the cache is then only slower)."""
        parent = self.folder.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            building = Path(tempfile.mkdtemp(prefix=f".building-{os.getpid()}-", dir=parent))
        except OSError:
            return False
        try:
            files = _write_store(store, building / "store")
            manifest = {"format": FORMAT, "key": self.key, "files": files, "messages": messages}
            (building / "entry.json").write_text(json.dumps(manifest), encoding="utf-8")
            os.rename(building, self.folder)
        except (OSError, RuntimeError, ValueError):  # (OSError too when another process put
            # the same entry in place first: theirs is as good)
            shutil.rmtree(building, ignore_errors=True)
            return self.folder.is_dir()
        prune(parent)
        return True


def entry_for(sources: Sequence[str | Path], *, validate: bool) -> Entry | None:
    """The entry for a build of the curated graph plus ``sources``; ``None`` when the cache is
    off or an input cannot be read (the build then says what is wrong with it)."""
    folder = stores_dir()
    if folder is None:
        return None
    try:
        files = _input_files(sources)
        extras = _extras(sources, validate)
        key = _key(folder, files, extras)
    except OSError:
        return None
    return Entry(folder / key, key)


# --- the key --------------------------------------------------------------------------------


def _input_files(sources: Sequence[str | Path]) -> list[Path]:
    """Every file the build may read: ontology, curated graph, sources, code, libraries."""
    folders = [ontology_dir(), graph_dir(), *(Path(s).expanduser() for s in sources)]
    files = [file for folder in folders for file in _tree(folder)]
    files += [p for p in _tree(_PACKAGE) if p.suffix in (".py", ".json")]
    for name in _LIBRARIES:
        spec = find_spec(name)
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    return files


def _tree(path: Path) -> list[Path]:
    """``path`` itself, or the files under it in a stable order (``__pycache__`` left out); a
    missing path raises OSError. (``os.walk``, not ``Path.rglob``: a third of the stat calls.)"""
    if not path.is_dir():
        path.stat()
        return [path]
    files = []
    for top, folders, names in os.walk(path):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        files += [Path(top, name) for name in sorted(names)]
    return files


def _extras(sources: Sequence[str | Path], validate: bool) -> bytes:
    """What the key holds beyond the files: the format, the options, pyoxigraph's version and
    the sources as given (their order names their graphs)."""
    words = [f"format={FORMAT}", f"validate={validate}", f"pyoxigraph={ox.__version__}"]
    words += [f"source={s}" for s in sources]
    return "\0".join(words).encode()


def _key(folder: Path, files: list[Path], extras: bytes) -> str:
    """The content key of ``files``, found through the stat memo when it can be trusted."""
    stats = [file.stat() for file in files]
    digest = hashlib.sha256(extras)
    for file, stat in zip(files, stats, strict=True):
        digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())
    memo = folder / "memo" / digest.hexdigest()
    try:
        key = memo.read_text(encoding="ascii").strip()
        if _KEY.match(key):
            return key
    except (OSError, ValueError):  # none yet, or not ours to read: hash the bytes
        pass
    key = content_key(files, extras)
    if time.time() - max(stat.st_mtime for stat in stats) > RACY_SECONDS:
        _write_memo(memo, key)
    return key


def content_key(files: Iterable[Path], extras: bytes) -> str:
    """A hash of ``extras`` and each file's path and bytes."""
    digest = hashlib.sha256(extras)
    for file in files:
        digest.update(f"{file}\0".encode())
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _write_memo(memo: Path, key: str) -> None:
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo.with_name(f".{memo.name}.{os.getpid()}")
        tmp.write_text(key, encoding="ascii")
        os.replace(tmp, memo)
    except OSError:
        pass


# --- entries on disk ------------------------------------------------------------------------


def _write_store(store: ox.Store, folder: Path) -> dict[str, int]:
    """``store``'s quads into a new RocksDB folder (bulk loader); its data files' sizes."""
    disk = ox.Store(str(folder))
    disk.bulk_extend(store)
    disk.flush()
    del disk  # closes RocksDB: the files are final
    return {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if _is_data(p)}


def _is_data(path: Path) -> bool:
    return path.is_file() and not _NOT_DATA.match(path.name)


def _whole(folder: Path, manifest: object, key: str) -> bool:
    """True when ``manifest`` is this format's, for ``key``, and every file it lists is in
    ``folder`` at its recorded size (a truncated or half-deleted entry is not)."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return False
    files = manifest.get("files")
    if manifest.get("key") != key or not isinstance(files, dict) or not files:
        return False
    try:
        return all((folder / name).stat().st_size == size for name, size in files.items())
    except OSError:
        return False


def _last_used(entry: Path) -> float:
    try:
        return (entry / "entry.json").stat().st_mtime
    except OSError:
        return 0.0


def prune(folder: Path, keep: int | None = None) -> list[Path]:
    """Remove all but the ``keep`` (default :data:`KEEP`) most recently used entries of
    ``folder``, what killed writers left there, and old memos; return what was removed."""
    keep = KEEP if keep is None else keep
    removed: list[Path] = []
    try:
        children = list(folder.iterdir())
    except OSError:
        return removed
    entries = sorted(
        (p for p in children if _KEY.match(p.name) and p.is_dir()), key=_last_used, reverse=True
    )
    removed += [p for p in entries[keep:] if _remove(p)]
    for child in children:
        match = _LEFTOVER.match(child.name)
        if match and not _running(int(match.group(1))):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    _prune_memos(folder / "memo")
    return removed


def _prune_memos(folder: Path) -> None:
    try:
        memos = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
        for memo in memos[KEEP_MEMOS:]:
            memo.unlink(missing_ok=True)
    except OSError:
        pass


def _remove(entry: Path) -> bool:
    """Take ``entry`` out of use by one rename, then delete it; ``False`` if it cannot be."""
    trash = entry.with_name(f".trash-{os.getpid()}-{entry.name}-{time.time_ns()}")
    try:
        os.rename(entry, trash)
    except OSError:
        return False
    shutil.rmtree(trash, ignore_errors=True)
    return True


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


def _running(pid: int) -> bool:
    """True when process ``pid`` exists (this one included)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # someone else's process
    return True
