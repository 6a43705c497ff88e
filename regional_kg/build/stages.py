"""Where a build holds the data while it is parsed, inferred and validated, and how it is handed
to the target store: one :class:`Stage` per engine.

Why two engines: Oxigraph (:class:`OxigraphStage`) is the fast path -- Rust parsers, the rules
as SPARQL updates, the shapes compiled to SPARQL, no rdflib copy of the data -- and the default
for every store but ``memory``. rdflib (:class:`RdflibStage`) is the reference: Python rules and
pySHACL (``validator="pyshacl"``), and what an rdflib ``memory`` store is loaded from. The
pipeline (:mod:`regional_kg.build.pipeline`) runs the same phases on either; only the steps
below differ, and each stage commits to every kind of target (:class:`Target`).
"""

from __future__ import annotations

import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from regional_kg.build import fastvalidate, native, vocabulary
from regional_kg.build.inference import materialise
from regional_kg.build.ondisk import StoreUnavailable, building_folder, check_disk_target, swap_in
from regional_kg.build.sources import USER_NS, ParsedSource, Progress, SourceFile, parse_sources
from regional_kg.build.validation import ValidationReport, validate
from regional_kg.stores import open_store
from regional_kg.stores.base import Store, StoreError
from regional_kg.stores.oxigraph import OxigraphStore, union_update
from regional_kg.stores.remote import RemoteStore
from regional_kg.stores.spec import Kind, StoreSpec

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Target:
    """What a build writes: a spec (``store`` is ``None``) or a :class:`Store` given as it is.

    An on-disk target is checked when the target is made (:meth:`of`), before any parsing: a
    folder that may not be replaced fails the build at once.
    """

    kind: Kind
    spec: StoreSpec | None = None
    store: Store | None = None
    folder: Path | None = None  # the checked folder of an ``oxigraph:DIR`` spec

    @classmethod
    def of(cls, store: str | StoreSpec | Store) -> Target:
        if isinstance(store, Store):
            return cls(store.kind, store=store)
        spec = StoreSpec.parse(store)
        folder = check_disk_target(spec.path) if spec.path is not None else None
        return cls(spec.kind, spec=spec, folder=folder)

    def adoptable(self) -> OxigraphStore | None:
        """The Oxigraph store in memory that may take over a staged store, if this is one."""
        if self.store is None:
            return OxigraphStore() if self.kind == "oxigraph" else None
        if isinstance(self.store, OxigraphStore) and self.store.path is None:
            return None if self.store.read_only else self.store
        return None

    def open(self) -> Store:
        if self.store is not None:
            return self.store
        assert self.spec is not None  # (one of the two is always set)
        return open_store(self.spec)


class Stage(ABC):
    """The data of one build on one engine, from the first file parsed to the target loaded."""

    #: ``oxigraph`` or ``rdflib``, for messages and benchmarks.
    engine: str = ""

    @abstractmethod
    def parse(self, files: list[SourceFile], progress: Progress | None) -> list[ParsedSource]:
        """Each file into its graph; raises :class:`~regional_kg.errors.SourceSyntaxError`."""

    @abstractmethod
    def infer(self) -> int:
        """Fill ``rkgg:inferred`` (replacing it); return its size."""

    @abstractmethod
    def check_terms(self, parsed: list[ParsedSource], *, strict: bool, warn: Warn) -> None:
        """Undefined project terms (:mod:`regional_kg.build.vocabulary`): raise or warn."""

    @abstractmethod
    def validate(self, validator: str) -> ValidationReport:
        """The SHACL report, by ``sparql`` (compiled shapes) or ``pyshacl``; never raises."""

    @abstractmethod
    def counts(self) -> dict[URIRef, int]:
        """Triples per named graph."""

    @abstractmethod
    def commit(self, target: Target, parsed: list[ParsedSource], warn: Warn) -> Store:
        """The data into ``target`` (replacing what it held); the stage is spent afterwards."""


class OxigraphStage(Stage):
    """A pyoxigraph store in memory (in memory even for ``oxigraph:DIR``: RocksDB is 5x slower
    to infer and query in; the finished build is bulk-loaded into the folder)."""

    engine = "oxigraph"

    def __init__(self, raw: ox.Store | None = None) -> None:
        self.raw: ox.Store | None = raw if raw is not None else ox.Store()

    @property
    def store(self) -> ox.Store:
        assert self.raw is not None, "the stage was committed"
        return self.raw

    def parse(self, files: list[SourceFile], progress: Progress | None) -> list[ParsedSource]:
        return native.parse_into(self.store, files, progress)

    def infer(self) -> int:
        return native.materialise_store(self.store)

    def check_terms(self, parsed: list[ParsedSource], *, strict: bool, warn: Warn) -> None:
        vocabulary.check_oxigraph(self.store, parsed, strict=strict, warn=warn)

    def validate(self, validator: str) -> ValidationReport:
        if validator == "pyshacl":
            return validate(native.to_dataset(self.store))
        return fastvalidate.validate_store(self.store)

    def counts(self) -> dict[URIRef, int]:
        return native.counts(self.store)

    def commit(self, target: Target, parsed: list[ParsedSource], warn: Warn) -> Store:
        raw = self.store
        adopting = target.adoptable()
        if adopting is not None:
            raw.update(union_update(raw))  # the store's de-duplicated union default graph
            self.raw = None
            return adopting.adopt(raw, union_ready=True)
        if target.folder is not None:  # (the union is written with the named graphs)
            return self._commit_to_folder(target.folder)
        store = target.open()
        try:
            if isinstance(store, RemoteStore):  # N-Triples straight from Oxigraph
                warn(store.replace_plan(self.counts()).describe())  # before any graph is touched
                store.load_from_oxigraph(raw, replace=True)
            else:
                store.load(native.to_dataset(raw), replace=True)
        except StoreError as exc:
            raise _unavailable(exc, parsed) from exc
        return store

    def _commit_to_folder(self, folder: Path) -> Store:
        """Bulk-load into a new folder beside ``folder``, then swap it in: a failed or
        interrupted build never leaves a half-written store (:mod:`regional_kg.build.ondisk`)."""
        building = building_folder(folder)
        try:
            try:
                native.write_folder(self.store, building)
            except OSError as exc:
                raise StoreUnavailable(f"oxigraph:{folder}: cannot write: {exc}") from exc
            finally:
                self.raw = None
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)  # the old store stays
            raise
        return swap_in(building, folder)


class RdflibStage(Stage):
    """An rdflib Dataset: the reference engine (Python rules, pySHACL)."""

    engine = "rdflib"

    def __init__(self) -> None:
        self.dataset = Dataset()

    def parse(self, files: list[SourceFile], progress: Progress | None) -> list[ParsedSource]:
        self.dataset, parsed = parse_sources(files, progress=progress)
        return parsed

    def infer(self) -> int:
        return materialise(self.dataset)

    def check_terms(self, parsed: list[ParsedSource], *, strict: bool, warn: Warn) -> None:
        vocabulary.check_dataset(self.dataset, parsed, strict=strict, warn=warn)

    def validate(self, validator: str) -> ValidationReport:
        if validator == "sparql":
            return fastvalidate.validate_dataset(self.dataset)
        return validate(self.dataset)

    def counts(self) -> dict[URIRef, int]:
        return {
            g.identifier: len(g)
            for g in self.dataset.graphs()
            if len(g) and isinstance(g.identifier, URIRef)
            and g.identifier != DATASET_DEFAULT_GRAPH_ID
        }

    def commit(self, target: Target, parsed: list[ParsedSource], warn: Warn) -> Store:
        if target.folder is not None:
            return self._commit_to_folder(target.folder)
        store = target.open()
        try:
            if isinstance(store, RemoteStore):  # say which graphs go: only rkg's are replaced
                warn(store.replace_plan(list(self.counts())).describe())
            store.load(self.dataset, replace=True)
        except StoreError as exc:
            raise _unavailable(exc, parsed) from exc
        return store

    def _commit_to_folder(self, folder: Path) -> Store:
        """Load into a new folder beside ``folder``, then put it in ``folder``'s place."""
        building = building_folder(folder)
        try:
            fresh = OxigraphStore(building)
            try:
                fresh.load(self.dataset)
            finally:
                fresh.close()  # drops the RocksDB handle before the folder moves
        except BaseException as exc:
            shutil.rmtree(building, ignore_errors=True)
            if isinstance(exc, StoreError):
                raise StoreUnavailable(str(exc)) from exc
            raise
        return swap_in(building, folder)


def _unavailable(exc: StoreError, parsed: list[ParsedSource]) -> StoreUnavailable:
    """A store that failed to load, with the user's sources named (the build was fine)."""
    user_files = [p.source.display for p in parsed if p.source.graph.startswith(USER_NS)]
    where = f" (sources: {', '.join(user_files)})" if user_files else ""
    return StoreUnavailable(f"{exc}{where}")
