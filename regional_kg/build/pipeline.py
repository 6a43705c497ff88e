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

import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TypeGuard

from rdflib import Dataset, URIRef

from regional_kg import vocabulary
from regional_kg.buildresult import BuildResult
from regional_kg.errors import UserError
from regional_kg.fastbuild import build_native
from regional_kg.inference import materialise
from regional_kg.ondisk import (
    StoreUnavailable,
    _is_oxigraph_dir,
    building_folder,
    check_disk_target,
    clean_leftovers,
    swap_in,
)
from regional_kg.sources import (
    CURATED_EXTENSIONS,
    FORMATS,
    USER_NS,
    ParsedSource,
    Progress,
    curated_sources,
    format_of,
    parse_sources,
    select_files,
)
from regional_kg.stores import kind_of, open_store
from regional_kg.stores.base import Store, StoreError
from regional_kg.validation import (
    ValidationReport,
    validate,
    validate_once,
    validation_key,
)

#: Re-exported: the build's API grew here before its parts had homes of their own.
__all__ = [
    "CURATED_EXTENSIONS",
    "USER_NS",
    "BuildResult",
    "StoreUnavailable",
    "build",
    "building_folder",
    "check_disk_target",
    "choose_validator",
    "clean_leftovers",
    "curated_sources",
    "obtain_store",
    "prepare",
    "read_dataset",
    "swap_in",
    "validate_once",
    "validation_key",
]

def read_dataset(
    sources: Iterable[str | Path] = (),
    *,
    include_curated: bool = True,
    progress: Progress | None = None,
) -> tuple[Dataset, list[ParsedSource]]:
    """Parse the curated files and ``sources`` into one Dataset (no inference, no validation)."""
    return parse_sources(select_files(sources, include_curated), progress=progress)


def prepare(
    sources: Iterable[str | Path] = (),
    *,
    validate_data: bool = True,
    include_curated: bool = True,
    progress: Progress | None = None,
    use_cache: bool = True,
    validator: str = "pyshacl",
    strict: bool = False,
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
        vocabulary.check_dataset(dataset, parsed, strict=strict, warn=progress or _stderr)
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
    strict: bool = False,
) -> BuildResult:
    """Build the curated graph plus ``sources`` into ``store`` and return what was made.

    ``store`` is a spec (``memory``, ``oxigraph``, ``oxigraph:DIR``, ``sparql:URL``) or a
    :class:`Store`; its previous content is replaced. Raises
    :class:`~regional_kg.errors.SourceSyntaxError` (file and line) on a file that does not
    parse and :class:`~regional_kg.errors.ValidationFailed` (with the report) on shape
    violations -- in both cases before the store is touched. ``use_cache=False`` validates even
    inputs that validated clean before (see :func:`regional_kg.validation.validate`).
    Validation also looks for terms of the project's namespaces the ontology does not define
    (:mod:`regional_kg.vocabulary`): errors in the curated graph, warnings in ``sources``, or
    errors there too with ``strict``.

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
        return build_native(
            sources,
            store,
            validate=validate,
            include_curated=include_curated,
            progress=progress,
            use_cache=use_cache,
            strict=strict,
        )
    dataset, parsed, report, timings = prepare(
        sources,
        validate_data=validate,
        include_curated=include_curated,
        progress=progress,
        use_cache=use_cache,
        validator=validator,
        strict=strict,
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


def _named(identifier: object) -> TypeGuard[URIRef]:
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    return isinstance(identifier, URIRef) and identifier != DATASET_DEFAULT_GRAPH_ID


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
