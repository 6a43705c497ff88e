"""Build the knowledge graph: read sources → infer → validate → load into a store.

The order matters: inference first, so SHACL sees subclass types and inverses exactly as queries
will; validation before anything reaches the store, so a failing build leaves the store as it was.
On disk (``oxigraph:DIR``) the build goes into a fresh folder beside ``DIR`` which then takes
``DIR``'s place: a failed or interrupted build never leaves a half-written store behind.

Two pipelines, one contract (same errors, same :class:`BuildResult`):

* **Oxigraph-native** (``oxigraph``, ``oxigraph:DIR``, ``sparql:URL``; validator ``sparql``, the
  default there): Oxigraph parses each file straight into a store, the inference rules run as
  SPARQL updates and the shapes run compiled to SPARQL (:mod:`regional_kg.fastbuild`,
  :mod:`regional_kg.fastvalidate`). No rdflib copy of the data: at 1M triples several times
  faster and leaner (docs/benchmarks.md). A remote store gets the finished build loaded into it.
* **rdflib** (``memory``, or ``validator="pyshacl"`` anywhere): rdflib Dataset, Python inference
  (:mod:`regional_kg.inference`) and pySHACL, kept so results can be cross-checked.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, URIRef

from regional_kg.errors import UserError
from regional_kg.inference import materialise
from regional_kg.namespaces import INFERRED_GRAPH, RKGG
from regional_kg.sources import (
    FORMATS,
    ParsedSource,
    Progress,
    SourceFile,
    find_sources,
    format_of,
    parse_sources,
)
from regional_kg.stores import kind_of, open_store
from regional_kg.stores.base import Store, StoreError
from regional_kg.validation import ValidationReport, validate

USER_NS = str(RKGG["source/"])

#: Extensions of the shipped ontology and curated graph files.
CURATED_EXTENSIONS = (".ttl", ".trig")


class StoreUnavailable(UserError):
    """The requested store cannot be opened or written (locked, not a store, ...)."""


@dataclass
class BuildResult:
    """What :func:`build` made: the store, the validation report, counts and timings."""

    store: Store
    report: ValidationReport | None
    counts: dict[URIRef, int] = field(default_factory=dict)  # triples per named graph
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    sources: list[ParsedSource] = field(default_factory=list)
    #: True when a persistent store is read as it is (nothing built, validated or written).
    reused: bool = False

    @property
    def triples(self) -> int:
        return sum(self.counts.values())

    @property
    def inferred(self) -> int:
        return self.counts.get(INFERRED_GRAPH, 0)

    def summary(self) -> str:
        """A few lines for people: graphs, triples, validation, time per phase."""
        from regional_kg.validation import short

        lines = [f"store: {self.store.spec}"]
        lines.append(f"graphs: {len(self.counts)}, triples: {self.triples:,}")
        for name, count in sorted(self.counts.items()):
            lines.append(f"  {short(name):<40} {count:>9,}")
        if self.report is None:
            lines.append("validation: skipped")
        else:
            lines.append(f"validation: {self.report.summary()}")
            if self.report.results:
                lines.extend(self.report.text.splitlines()[1:])
        total = sum(self.timings.values())
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in self.timings.items())
        lines.append(f"time: {total:.2f} s ({phases})")
        return "\n".join(lines)


def curated_sources(used_slugs: set[str]) -> list[SourceFile]:
    """The shipped ontology (→ ``rkgg:ontology``) and curated graph files (.ttl/.trig)."""
    from regional_kg.resources import graph_dir, ontology_dir

    files: list[SourceFile] = []
    for folder, kind in ((ontology_dir, "ontology"), (graph_dir, "curated")):
        try:
            directory = folder()
        except FileNotFoundError as exc:
            raise UserError(str(exc)) from exc
        paths = sorted(
            p
            for p in directory.rglob("*")
            if p.is_file() and p.suffix in CURATED_EXTENSIONS and not p.name.startswith(".")
        )
        if paths:
            files.extend(find_sources(paths, kind=kind, used_slugs=used_slugs))
    return files


def read_dataset(
    sources: Iterable[str | Path] = (),
    *,
    include_curated: bool = True,
    progress: Progress | None = None,
) -> tuple[Dataset, list[ParsedSource]]:
    """Parse the curated files and ``sources`` into one Dataset (no inference, no validation)."""
    used: set[str] = set()
    files = curated_sources(used) if include_curated else []
    files += find_sources(list(sources), kind="user", used_slugs=used)
    if not files:
        raise UserError("nothing to build: no curated graph and no --source given")
    return parse_sources(files, progress=progress)


def prepare(
    sources: Iterable[str | Path] = (),
    *,
    validate_data: bool = True,
    include_curated: bool = True,
    progress: Progress | None = None,
    use_cache: bool = True,
    validator: str = "pyshacl",
) -> tuple[Dataset, list[ParsedSource], ValidationReport | None, dict[str, float]]:
    """Parse, infer and validate with rdflib, without touching any store (raises on bad input).

    ``validator`` ``sparql`` checks the rdflib dataset with the compiled shapes instead of pySHACL.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    dataset, parsed = read_dataset(sources, include_curated=include_curated, progress=progress)
    timings["parse"] = time.perf_counter() - start

    start = time.perf_counter()
    materialise(dataset)
    timings["infer"] = time.perf_counter() - start

    report = None
    if validate_data:
        start = time.perf_counter()
        paths = [p.source.path for p in parsed]
        key = validation_key(paths, validator) if use_cache else None
        if validator == "sparql":
            from regional_kg import fastvalidate

            report = validate_once(key, lambda: fastvalidate.validate_dataset(dataset))
        else:
            report = validate(dataset, raise_on_violation=True, cache_key=key)
        timings["validate"] = time.perf_counter() - start
    return dataset, parsed, report, timings


def build(
    sources: Iterable[str | Path] = (),
    store: str | Store = "oxigraph",
    validate: bool = True,
    include_curated: bool = True,
    progress: Progress | None = None,
    use_cache: bool = True,
    validator: str | None = None,
) -> BuildResult:
    """Build the curated graph plus ``sources`` into ``store`` and return what was made.

    ``store`` is a spec (``memory``, ``oxigraph``, ``oxigraph:DIR``, ``sparql:URL``) or a
    :class:`Store`; its previous content is replaced. Raises
    :class:`~regional_kg.errors.SourceSyntaxError` (file and line) on a file that does not
    parse and :class:`~regional_kg.errors.ValidationFailed` (with the report) on shape
    violations -- in both cases before the store is touched. ``use_cache=False`` validates even
    inputs that validated clean before (see :func:`regional_kg.validation.validate`).

    ``validator`` is ``sparql`` (the shapes compiled to SPARQL, run by Oxigraph: the default for
    Oxigraph and remote stores, which then build Oxigraph-natively) or ``pyshacl`` (the default
    for ``memory``; elsewhere it selects the rdflib pipeline, to cross-check a build).

    Example::

        >>> result = build(["my-visits.ttl"], store="oxigraph:/tmp/kg")
        >>> result.report.conforms, result.counts[RKGG["source/my-visits"]]
        (True, 42)
        >>> print(result.summary())   # graphs, triples, validation, seconds per phase
    """
    kind = kind_of(store)  # a bad spec fails before any parsing
    validator = choose_validator(validator, kind)
    if kind != "memory" and (validator == "sparql" or not validate):
        from regional_kg.fastbuild import build_native

        return build_native(
            sources,
            store,
            validate=validate,
            include_curated=include_curated,
            progress=progress,
            use_cache=use_cache,
        )
    dataset, parsed, report, timings = prepare(
        sources,
        validate_data=validate,
        include_curated=include_curated,
        progress=progress,
        use_cache=use_cache,
        validator=validator,
    )
    start = time.perf_counter()
    if isinstance(store, str) and kind_of(store) == "oxigraph-disk":
        target = _build_on_disk(Path(store[len("oxigraph:") :]), dataset)
    else:
        target = open_store(store)
        try:
            from regional_kg.stores.remote import RemoteStore

            if isinstance(target, RemoteStore):  # say which graphs go: only rkg's are replaced
                names = [g.identifier for g in dataset.graphs() if len(g) and _named(g.identifier)]
                (progress or _stderr)(target.replace_plan(names).describe())
            target.load(dataset, replace=True)
        except StoreError as exc:
            user_files = [p.source.display for p in parsed if p.source.graph.startswith(USER_NS)]
            where = f" (sources: {', '.join(user_files)})" if user_files else ""
            raise StoreUnavailable(f"{exc}{where}") from exc
    timings["load"] = time.perf_counter() - start
    counts = {g.identifier: len(g) for g in dataset.graphs() if len(g) and _named(g.identifier)}
    return BuildResult(target, report, counts, timings, parsed)


VALIDATORS = ("sparql", "pyshacl")


def _stderr(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)


def choose_validator(validator: str | None, kind: str) -> str:
    """The validator asked for, or the default for the store kind (pySHACL for ``memory``)."""
    if validator is None:
        return "pyshacl" if kind == "memory" else "sparql"
    if validator not in VALIDATORS:
        raise UserError(f"unknown validator {validator!r}; use {' or '.join(VALIDATORS)}")
    return validator


def validation_key(paths: Iterable[Path], validator: str = "pyshacl") -> str:
    """A hash of everything a validation result depends on: every input file's bytes, the
    shapes, the code that infers and validates, the validator and the library versions."""
    import hashlib

    from regional_kg import fastbuild, fastvalidate, inference, validation
    from regional_kg.validation import shapes_path

    digest = hashlib.sha256(validator.encode() + b"\0")
    files = sorted({Path(p).resolve() for p in paths})
    shapes = shapes_path()
    code = [inference, validation] if validator == "pyshacl" else [fastbuild, fastvalidate]
    extra = [Path(m.__file__) for m in code] + ([shapes] if shapes else [])  # type: ignore[arg-type]
    for path in files + extra:
        digest.update(str(path.name).encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    packages = ("pyshacl", "rdflib") if validator == "pyshacl" else ("pyoxigraph", "rdflib")
    for package in packages:
        digest.update(f"{package}={_package_version(package)}".encode())
    return digest.hexdigest()


def _package_version(package: str) -> str:
    """The installed version; the module's own ``__version__`` when it has one (already
    imported: no ``importlib.metadata``, 12 ms of every command's start-up)."""
    import importlib
    import sys

    module = sys.modules.get(package) or importlib.import_module(package)
    found = getattr(module, "__version__", None)
    if isinstance(found, str):
        return found
    from importlib.metadata import version

    return version(package)


def validate_once(key: str | None, check: Callable[[], ValidationReport]) -> ValidationReport:
    """Run ``check`` unless a clean validation of the same inputs (``key``) is remembered;
    remember a clean result, raise :class:`ValidationFailed` on violations."""
    report = _cached(key) or check()
    _settle(report, key)
    return report


def _cached(key: str | None) -> ValidationReport | None:
    """The report of an earlier clean validation of the same inputs, if one is remembered."""
    from regional_kg.validation import _cache_marker, shapes_path

    marker = _cache_marker(key)
    if marker is None or not marker.is_file():
        return None
    return ValidationReport(conforms=True, shapes_file=str(shapes_path()), cached=True)


def _settle(report: ValidationReport, key: str | None) -> None:
    """Remember a clean report (nothing at all to show); raise on violations."""
    from regional_kg.errors import ValidationFailed
    from regional_kg.validation import _cache_marker, _remember

    marker = _cache_marker(key)
    if marker is not None and not report.cached and report.conforms and not report.results:
        _remember(marker, report)
    if not report.conforms:
        raise ValidationFailed("SHACL validation failed: " + report.text, report)


def _named(identifier: object) -> bool:
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    return isinstance(identifier, URIRef) and identifier != DATASET_DEFAULT_GRAPH_ID


def _is_oxigraph_dir(path: Path) -> bool:
    return (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))


def check_disk_target(path: Path) -> Path:
    """``path`` made absolute, once it is sure a build may replace it (else StoreUnavailable)."""
    from regional_kg.stores.oxigraph import in_use

    path = path.expanduser().absolute()
    spec = f"oxigraph:{path}"
    if path.exists():
        if not path.is_dir():
            raise StoreUnavailable(f"{spec}: {path} is a file, not a folder")
        if any(path.iterdir()) and not _is_oxigraph_dir(path):
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
    from regional_kg.stores.oxigraph import in_use

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
    olds = [e for e in leftovers if ".old-" in e.name and _is_oxigraph_dir(e)]
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


def swap_in(building: Path, path: Path) -> Store:
    """Put the finished ``building`` folder in ``path``'s place and open it."""
    from regional_kg.stores.oxigraph import OxigraphStore

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


def _build_on_disk(path: Path, dataset: Dataset) -> Store:
    """Load into a new folder beside ``path``, then put it in ``path``'s place."""
    from regional_kg.stores.oxigraph import OxigraphStore

    path = check_disk_target(path)
    building = building_folder(path)
    try:
        fresh = OxigraphStore(building)
        try:
            fresh.load(dataset)
        finally:
            fresh.close()  # drops the RocksDB handle before the folder moves
    except BaseException as exc:
        shutil.rmtree(building, ignore_errors=True)
        if isinstance(exc, StoreError):
            raise StoreUnavailable(str(exc)) from exc
        raise
    return swap_in(building, path)


def obtain_store(
    spec: str | Store = "oxigraph",
    sources: Iterable[str | Path] = (),
    validate: bool = True,
    progress: Progress | None = None,
    read_only: bool = False,
    validator: str | None = None,
) -> Store:
    """The store a command reads from (see :func:`regional_kg.commands.common.store_from_args`).

    :func:`obtain_build`'s store; read there what happens to each kind of store.
    """
    return obtain_build(
        spec,
        sources,
        validate=validate,
        progress=progress,
        read_only=read_only,
        validator=validator,
    ).store


def obtain_build(
    spec: str | Store = "oxigraph",
    sources: Iterable[str | Path] = (),
    validate: bool = True,
    progress: Progress | None = None,
    read_only: bool = False,
    validator: str | None = None,
) -> BuildResult:
    """The store a reading command answers from, and how it came about. **Never writes a
    persistent store** (``oxigraph:DIR``, ``sparql:URL``): only ``rkg build`` replaces one.

    * ``memory``, ``oxigraph`` (or a non-persistent :class:`Store`): the curated graph plus
      ``sources`` is built on the fly, in this process.
    * A persistent store without ``sources``: used as it is (``reused``; what ``rkg build``
      loaded). It must exist and hold data: a typo in ``oxigraph:DIR`` is an error, not a new
      empty store, and nothing is built into an empty one.
    * A persistent store with ``sources``: an in-memory *overlay*
      (:func:`regional_kg.fastbuild.overlay`): the store's graphs copied into an in-memory
      Oxigraph store, the sources added, inferred and validated there. The store itself is
      only read, so a query with ``--source`` can never replace it.

    ``read_only`` opens an on-disk store without taking its lock (for commands that never
    write), so it can be read while e.g. ``rkg serve`` has it open.
    """
    sources = list(sources)
    if isinstance(spec, Store):
        if not spec.persistent:
            if not sources and not spec.is_empty():
                return BuildResult(spec, None, reused=True)
            return build(
                sources, store=spec, validate=validate, progress=progress, validator=validator
            )
        base = spec
    else:
        kind = kind_of(spec)
        if kind not in ("oxigraph-disk", "sparql"):
            return build(
                sources, store=spec, validate=validate, progress=progress, validator=validator
            )
        base = open_existing(spec, read_only=read_only or bool(sources))
    if not sources:
        return BuildResult(base, None, reused=True)
    from regional_kg.fastbuild import overlay

    try:
        return overlay(base, sources, validate=validate, progress=progress)
    finally:
        if base is not spec:
            base.close()


def open_existing(spec: str, *, read_only: bool = False) -> Store:
    """The persistent store ``spec`` (``oxigraph:DIR``, ``sparql:URL``), which must exist and
    hold data: reading commands never create a store (``rkg info --store oxigraph:TYPO`` once
    made an empty one) nor build into one. Any problem is a :class:`StoreUnavailable`."""
    hint = f"build it first: rkg build --store {spec}"
    if kind_of(spec) == "oxigraph-disk" and spec[len("oxigraph:") :]:
        path = Path(spec[len("oxigraph:") :]).expanduser()
        if not path.exists():
            olds = sorted(path.parent.glob(f".{path.name}.old-*")) if path.parent.is_dir() else []
            olds = [o for o in olds if _is_oxigraph_dir(o)]
            if olds:  # a build killed between its two renames: the old store is still there
                hint = (
                    f"an interrupted build left the previous store in {olds[-1]}: move it "
                    f"back to {path}, or {hint}"
                )
            raise StoreUnavailable(f"{spec}: no such store ({path} does not exist); {hint}")
        if not path.is_dir():
            raise StoreUnavailable(f"{spec}: {path} is a file, not an Oxigraph store folder")
        if not _is_oxigraph_dir(path):
            raise StoreUnavailable(f"{spec}: {path} holds no Oxigraph store; {hint}")
    try:
        store = open_store(spec, read_only=read_only)
    except StoreError as exc:
        raise StoreUnavailable(str(exc)) from exc
    try:
        empty = store.is_empty()
    except StoreError as exc:
        store.close()
        raise StoreUnavailable(str(exc)) from exc
    if empty:
        store.close()
        if kind_of(spec) == "sparql":  # (the spec as given may hold a token: not repeated)
            hint = f"build it first: rkg build --store {store.spec}#update=UPDATE_URL"
        raise StoreUnavailable(f"{store.spec} holds no data; {hint}")
    return store


def supported_extensions() -> list[str]:
    return sorted(FORMATS)


__all__ = [
    "BuildResult",
    "StoreUnavailable",
    "VALIDATORS",
    "build",
    "obtain_build",
    "obtain_store",
    "open_existing",
    "prepare",
    "read_dataset",
    "format_of",
]
