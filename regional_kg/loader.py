"""Build the knowledge graph: read sources → infer → validate → load into a store.

The order matters: inference first, so SHACL sees subclass types and inverses exactly as queries
will; validation before anything reaches the store, so a failing build leaves the store as it was.
On disk (``oxigraph:DIR``) the build goes into a fresh folder beside ``DIR`` which then takes
``DIR``'s place: a failed or interrupted build never leaves a half-written store behind.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
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
) -> tuple[Dataset, list[ParsedSource], ValidationReport | None, dict[str, float]]:
    """Parse, infer and validate, without touching any store (raises on bad input)."""
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
        key = validation_key([p.source.path for p in parsed]) if use_cache else None
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
) -> BuildResult:
    """Build the curated graph plus ``sources`` into ``store`` and return what was made.

    ``store`` is a spec (``memory``, ``oxigraph``, ``oxigraph:DIR``, ``sparql:URL``) or a
    :class:`Store`; its previous content is replaced. Raises
    :class:`~regional_kg.errors.SourceSyntaxError` (file and line) on a file that does not
    parse and :class:`~regional_kg.errors.ValidationFailed` (with the report) on shape
    violations -- in both cases before the store is touched. ``use_cache=False`` validates even
    inputs that validated clean before (see :func:`regional_kg.validation.validate`).

    Example::

        >>> result = build(["my-visits.ttl"], store="oxigraph:/tmp/kg")
        >>> result.report.conforms, result.counts[RKGG["source/my-visits"]]
        (True, 42)
        >>> print(result.summary())   # graphs, triples, validation, seconds per phase
    """
    if isinstance(store, str):
        kind_of(store)  # a bad spec fails before any parsing
    dataset, parsed, report, timings = prepare(
        sources,
        validate_data=validate,
        include_curated=include_curated,
        progress=progress,
        use_cache=use_cache,
    )
    start = time.perf_counter()
    if isinstance(store, str) and kind_of(store) == "oxigraph-disk":
        target = _build_on_disk(Path(store[len("oxigraph:") :]), dataset)
    else:
        target = open_store(store)
        try:
            target.load(dataset, replace=True)
        except StoreError as exc:
            user_files = [p.source.display for p in parsed if p.source.graph.startswith(USER_NS)]
            where = f" (sources: {', '.join(user_files)})" if user_files else ""
            raise StoreUnavailable(f"{exc}{where}") from exc
    timings["load"] = time.perf_counter() - start
    counts = {g.identifier: len(g) for g in dataset.graphs() if len(g) and _named(g.identifier)}
    return BuildResult(target, report, counts, timings, parsed)


def validation_key(paths: Iterable[Path]) -> str:
    """A hash of everything a validation result depends on: every input file's bytes, the
    shapes, the code that infers and validates, and the library versions."""
    import hashlib
    from importlib.metadata import version

    from regional_kg import inference, validation
    from regional_kg.validation import shapes_path

    digest = hashlib.sha256()
    files = sorted({Path(p).resolve() for p in paths})
    shapes = shapes_path()
    extra = [Path(inference.__file__), Path(validation.__file__)] + ([shapes] if shapes else [])
    for path in files + extra:
        digest.update(str(path.name).encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    for package in ("pyshacl", "rdflib"):
        digest.update(f"{package}={version(package)}".encode())
    return digest.hexdigest()


def _named(identifier: object) -> bool:
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    return isinstance(identifier, URIRef) and identifier != DATASET_DEFAULT_GRAPH_ID


def _is_oxigraph_dir(path: Path) -> bool:
    return (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))


def _build_on_disk(path: Path, dataset: Dataset) -> Store:
    """Load into a new folder beside ``path``, then put it in ``path``'s place."""
    from regional_kg.stores.oxigraph import OxigraphStore, in_use

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
    building = Path(tempfile.mkdtemp(prefix=f".{path.name}.building-", dir=path.parent))
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


def obtain_store(
    spec: str | Store = "oxigraph",
    sources: Iterable[str | Path] = (),
    validate: bool = True,
    progress: Progress | None = None,
    read_only: bool = False,
) -> Store:
    """The store a command reads from (see :func:`regional_kg.commands.common.store_from_args`).

    A persistent store (``oxigraph:DIR``, ``sparql:URL``) that holds data is used as it is when
    no ``sources`` are given; otherwise the curated graph plus ``sources`` is built into the
    requested store (on the fly, in memory, for ``memory`` and ``oxigraph``). ``read_only``
    opens an existing on-disk store without taking its lock (for commands that never write).
    """
    sources = list(sources)
    if isinstance(spec, Store):
        if not sources and not spec.is_empty():
            return spec
        return build(sources, store=spec, validate=validate, progress=progress).store
    kind = kind_of(spec)
    if kind in ("oxigraph-disk", "sparql") and not sources:
        path = Path(spec[len("oxigraph:") :]) if kind == "oxigraph-disk" else None
        if path is None or _is_oxigraph_dir(path):
            try:
                store = open_store(spec, read_only=read_only)
            except StoreError as exc:
                raise StoreUnavailable(str(exc)) from exc
            try:
                empty = store.is_empty()
            except StoreError as exc:
                raise StoreUnavailable(str(exc)) from exc
            if not empty:
                return store
            store.close()
        print(f"rkg: {spec} holds no data; building the curated graph into it", file=sys.stderr)
    return build(sources, store=spec, validate=validate, progress=progress).store


def supported_extensions() -> list[str]:
    return sorted(FORMATS)


__all__ = [
    "BuildResult",
    "StoreUnavailable",
    "build",
    "obtain_store",
    "prepare",
    "read_dataset",
    "format_of",
]
