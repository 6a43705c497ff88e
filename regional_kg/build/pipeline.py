"""Build the knowledge graph: sources → stage → infer → validate → commit, for every target.

The order matters: inference first, so SHACL sees subclass types and inverses exactly as queries
will; validation before anything reaches the store, so a failing build leaves the store as it was.
On disk (``oxigraph:DIR``) the build goes into a fresh folder beside ``DIR`` which then takes
``DIR``'s place: a failed or interrupted build never leaves a half-written store behind.

One pipeline, one contract (same phases and timings, same errors, same :class:`BuildResult`),
whatever the target: ``memory``, ``oxigraph`` (in memory), ``oxigraph:DIR``, ``sparql:URL``,
or an in-memory overlay of a persistent store (:func:`overlay`). What differs is where the data
is staged (:mod:`regional_kg.build.stages`):

* **Oxigraph** (every store but ``memory``; validator ``sparql``, the default there): Oxigraph
  parses each file straight into a store, the inference rules run as SPARQL updates and the
  shapes run compiled to SPARQL. No rdflib copy of the data: at 1M triples several times faster
  and leaner (docs/benchmarks.md).
* **rdflib** (``memory``, or ``validator="pyshacl"`` anywhere): an rdflib Dataset, Python
  inference (:mod:`regional_kg.build.inference`) and pySHACL, the reference to cross-check with.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset

from regional_kg.build.ondisk import StoreUnavailable, is_oxigraph_dir
from regional_kg.build.result import BuildResult
from regional_kg.build.sources import (
    ParsedSource,
    Progress,
    SourceFile,
    find_sources,
    parse_sources,
    select_files,
)
from regional_kg.build.stages import OxigraphStage, RdflibStage, Stage, Target
from regional_kg.build.validation import ValidationReport, validate_once, validation_key
from regional_kg.errors import UserError
from regional_kg.stores import open_store
from regional_kg.stores.base import Store, StoreError
from regional_kg.stores.remote import OWNED_NAMESPACE, owned
from regional_kg.stores.spec import Kind, StoreSpec

VALIDATORS = ("sparql", "pyshacl")


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
    """The build's phases on an rdflib stage, without touching any store (raises on bad input).

    ``validator`` ``sparql`` checks the rdflib dataset with the compiled shapes instead of pySHACL.
    """
    stage = RdflibStage()
    timings: dict[str, float] = {}
    parsed, report = _check(
        stage,
        select_files(sources, include_curated),
        timings,
        validate=validate_data,
        validator=validator,
        use_cache=use_cache,
        strict=strict,
        progress=progress,
    )
    return stage.dataset, parsed, report, timings


def build(
    sources: Iterable[str | Path] = (),
    store: str | StoreSpec | Store = "oxigraph",
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
    inputs that validated clean before (see :func:`regional_kg.build.validation.validate_once`).
    Validation also looks for terms of the project's namespaces the ontology does not define
    (:mod:`regional_kg.build.vocabulary`): errors in the curated graph, warnings in ``sources``,
    or errors there too with ``strict``.

    ``validator`` is ``sparql`` (the shapes compiled to SPARQL, run by Oxigraph: the default for
    Oxigraph and remote stores, which then build Oxigraph-natively) or ``pyshacl`` (the default
    for ``memory``; elsewhere it selects the rdflib stage, to cross-check a build).

    Example::

        >>> result = build(["my-visits.ttl"], store="oxigraph:/tmp/kg")
        >>> result.report.conforms, result.counts[RKGG["source/my-visits"]]
        (True, 42)
        >>> print(result.summary())   # graphs, triples, validation, seconds per phase
    """
    target = Target.of(store)  # a bad spec or folder fails before any parsing
    validator = choose_validator(validator, target.kind)
    files = select_files(sources, include_curated)
    rdflib = target.kind == "memory" or (validate and validator == "pyshacl")
    stage: Stage = RdflibStage() if rdflib else OxigraphStage()
    timings: dict[str, float] = {}
    parsed, report = _check(
        stage,
        files,
        timings,
        validate=validate,
        validator=validator,
        use_cache=use_cache,
        strict=strict,
        progress=progress,
    )
    with _phase(timings, "load"):
        counts = stage.counts()
        result = stage.commit(target, parsed, progress or _stderr)
    return BuildResult(result, report, counts, timings, parsed)


def overlay(
    base: Store,
    sources: Iterable[str | Path],
    *,
    validate: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """``base`` plus ``sources``, answered from an in-memory copy: ``base`` is only read.

    Why: ``rkg query --store oxigraph:DIR --source mine.ttl`` used to *build* the curated graph
    and the source into ``DIR``, replacing a store of 396,375 triples with 5,220 (and on a
    remote store it ran ``DROP ALL``). A reading command must leave a persistent store as it
    was, so here the store's named graphs are copied into a fresh Oxigraph stage (one N-Quads
    dump, parsed in Rust: fine for stores of up to a few million triples), each source is
    parsed into the graph it would get in a build (replacing a graph of that name in the copy:
    a source given again wins over the version built earlier), and the build's phases run as
    for any target -- inference, the undefined-term check and validation (never cached) -- over
    rkg's graphs and the sources. Graphs rkg does not own take no part in that (a build never
    includes them), but are answered over. The result is over a non-persistent store.
    """
    timings: dict[str, float] = {}
    warn = progress or _stderr
    with _phase(timings, "copy"):
        raw = _copy(base)
        copied = len(raw)
        foreign = _set_aside_foreign(raw)
        files = find_sources(list(sources), kind="user", used_slugs=set())
        replaced = _drop_replaced(raw, files)
    stage = OxigraphStage(raw)
    parsed, report = _check(
        stage,
        files,
        timings,
        validate=validate,
        validator="sparql",
        use_cache=False,
        strict=False,
        progress=progress,
    )
    with _phase(timings, "load"):
        raw.extend(foreign)  # (the same blank nodes: sources' blank nodes are fresh per file)
        counts = stage.counts()
        store = stage.commit(Target("oxigraph"), parsed, warn)
    store.spec = f"oxigraph (in-memory copy of {base.spec} + --source)"
    note = (
        f"rkg: answering over an in-memory copy of {base.spec} ({copied:,} triples) plus "
        f"{len(files)} source file(s); {base.spec} itself is not changed"
    )
    if replaced:
        note += f" (in the copy, the source replaces {', '.join(map(_short, replaced))})"
    warn(note)
    return BuildResult(store, report, counts, timings, parsed)


def _check(
    stage: Stage,
    files: list[SourceFile],
    timings: dict[str, float],
    *,
    validate: bool,
    validator: str,
    use_cache: bool,
    strict: bool,
    progress: Progress | None,
) -> tuple[list[ParsedSource], ValidationReport | None]:
    """The phases every build shares: parse, infer, then (``validate``) the undefined-term check
    and SHACL, a clean result remembered unless ``use_cache`` is false. Raises on bad input."""
    with _phase(timings, "parse"):
        parsed = stage.parse(files, progress)
    with _phase(timings, "infer"):
        stage.infer()
    report = None
    if validate:
        with _phase(timings, "validate"):
            stage.check_terms(parsed, strict=strict, warn=progress or _stderr)
            paths = [p.source.path for p in parsed]
            key = validation_key(paths, validator) if use_cache else None
            report = validate_once(key, lambda: stage.validate(validator))
    return parsed, report


@contextmanager
def _phase(timings: dict[str, float], name: str) -> Iterator[None]:
    """Time the block as phase ``name`` (seconds; a phase that fails records nothing)."""
    start = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


def _copy(base: Store) -> ox.Store:
    """The named graphs of ``base`` in a new in-memory Oxigraph store."""
    raw = ox.Store()
    try:
        raw.load(base.dump("nquads"), format=ox.RdfFormat.N_QUADS)
    except StoreError as exc:
        raise StoreUnavailable(str(exc)) from exc
    except (SyntaxError, ValueError) as exc:
        raise StoreUnavailable(f"{base.spec}: cannot copy the store: {exc}") from exc
    return raw


def _set_aside_foreign(raw: ox.Store) -> ox.Store:
    """Graphs rkg does not own (another tool's, on a shared server), moved out of ``raw``: data
    to answer over but never part of a build, so their content cannot fail a query."""
    foreign = ox.Store()
    for name in list(raw.named_graphs()):
        if isinstance(name, ox.NamedNode) and not owned(name.value):
            foreign.extend(raw.quads_for_pattern(None, None, None, name))
            raw.remove_graph(name)
    return foreign


def _drop_replaced(raw: ox.Store, files: list[SourceFile]) -> list[str]:
    """Remove the graphs of ``raw`` that ``files`` are about to fill again; return their names."""
    present = {name.value for name in raw.named_graphs() if isinstance(name, ox.NamedNode)}
    replaced = [str(source.graph) for source in files if str(source.graph) in present]
    for name in replaced:
        raw.remove_graph(ox.NamedNode(name))
    return replaced


def _short(iri: str) -> str:
    return "rkgg:" + iri[len(OWNED_NAMESPACE) :]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def choose_validator(validator: str | None, kind: Kind) -> str:
    """The validator asked for, or the default for the store kind (pySHACL for ``memory``)."""
    if validator is None:
        return "pyshacl" if kind == "memory" else "sparql"
    if validator not in VALIDATORS:
        raise UserError(f"unknown validator {validator!r}; use {' or '.join(VALIDATORS)}")
    return validator


def obtain_store(spec: str | StoreSpec | Store = "oxigraph", *args: Any, **options: Any) -> Store:
    """The store a command reads from: :func:`obtain_build`'s store (same arguments; read there
    what happens to each kind of store)."""
    return obtain_build(spec, *args, **options).store


def obtain_build(
    spec: str | StoreSpec | Store = "oxigraph",
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
    * A persistent store with ``sources``: an in-memory :func:`overlay`: the store's graphs
      copied into an in-memory Oxigraph store, the sources added, inferred and validated there.
      The store itself is only read, so a query with ``--source`` can never replace it.

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
        parsed = StoreSpec.parse(spec)
        if not parsed.persistent:
            return build(
                sources, store=parsed, validate=validate, progress=progress, validator=validator
            )
        base = open_existing(parsed, read_only=read_only or bool(sources))
    if not sources:
        return BuildResult(base, None, reused=True)
    try:
        return overlay(base, sources, validate=validate, progress=progress)
    finally:
        if base is not spec:
            base.close()


def open_existing(spec: str | StoreSpec, *, read_only: bool = False) -> Store:
    """The persistent store ``spec`` (``oxigraph:DIR``, ``sparql:URL``), which must exist and
    hold data: reading commands never create a store (``rkg info --store oxigraph:TYPO`` once
    made an empty one) nor build into one. Any problem is a :class:`StoreUnavailable`."""
    spec = StoreSpec.parse(spec)
    hint = f"build it first: rkg build --store {spec}"
    if spec.path is not None:
        _check_folder(spec, spec.path.expanduser(), hint)
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
        if spec.kind == "sparql":  # (the spec as given may hold a token: not repeated)
            hint = f"build it first: rkg build --store {store.spec}#update=UPDATE_URL"
        raise StoreUnavailable(f"{store.spec} holds no data; {hint}")
    return store


def _check_folder(spec: StoreSpec, path: Path, hint: str) -> None:
    """``path`` holds an Oxigraph store, or a :class:`StoreUnavailable` says what it holds."""
    if not path.exists():
        olds = sorted(path.parent.glob(f".{path.name}.old-*")) if path.parent.is_dir() else []
        olds = [o for o in olds if is_oxigraph_dir(o)]
        if olds:  # a build killed between its two renames: the old store is still there
            hint = (
                f"an interrupted build left the previous store in {olds[-1]}: move it "
                f"back to {path}, or {hint}"
            )
        raise StoreUnavailable(f"{spec}: no such store ({path} does not exist); {hint}")
    if not path.is_dir():
        raise StoreUnavailable(f"{spec}: {path} is a file, not an Oxigraph store folder")
    if not is_oxigraph_dir(path):
        raise StoreUnavailable(f"{spec}: {path} holds no Oxigraph store; {hint}")
