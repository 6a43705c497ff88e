"""SHACL validation of the data against ``ontology/shapes.ttl``, with a report people can read.

pySHACL runs with ``inference='none'``: the build materialises the ontology's consequences
(:mod:`regional_kg.build.inference`) before validating, so subclass types and inverses are already
in the data graph. That is both faster than pySHACL's own RDFS pass and exactly what the stores will
answer later. The ontology (with its concept schemes) is merged into the data graph so that
``sh:class skos:Concept`` and similar checks see the concepts.

Only ``sh:Violation`` results fail a build; warnings and infos are reported and let it pass.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version  # (free: rdflib, imported above, imports it)
from importlib.util import find_spec
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from regional_kg.errors import ValidationFailed
from regional_kg.extras import require
from regional_kg.namespaces import PREFIXES
from regional_kg.resources import ontology_dir as default_ontology_dir
from regional_kg.store_cache import cache_dir

#: What pySHACL, the ``shacl`` extra, is needed for (:func:`regional_kg.extras.require`).
PYSHACL_NEEDED_FOR = "validating with pySHACL (--validator pyshacl, --store memory)"

#: SHACL severities by the names reports use (one map for both validators).
SEVERITY_NAMES: dict[Node | None, str] = {
    SH.Violation: "violation",
    SH.Warning: "warning",
    SH.Info: "info",
}


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which path, what is wrong, how bad, which shape said so."""

    focus: Node
    path: Node | None
    message: str
    severity: str  # violation | warning | info
    shape: Node | None
    value: Node | None = None
    #: For a blank focus node: where it hangs, e.g. ``prov:qualifiedDerivation of rkgd:state/KZ``.
    context: str = ""

    @property
    def focus_text(self) -> str:
        return f"{short(self.focus)} ({self.context})" if self.context else short(self.focus)


@dataclass
class ValidationReport:
    conforms: bool
    results: list[Violation] = field(default_factory=list)
    seconds: float = 0.0
    shapes_file: str | None = None
    #: True when the same inputs were validated clean before and not validated again.
    cached: bool = False

    @property
    def violations(self) -> list[Violation]:
        return [r for r in self.results if r.severity == "violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [r for r in self.results if r.severity != "violation"]

    def summary(self) -> str:
        if self.shapes_file is None:
            return "not validated (no shapes)"
        n, w = len(self.violations), len(self.warnings)
        head = "conforms" if self.conforms else f"{n} violation{'s' * (n != 1)}"
        if self.cached:
            head += " (same inputs as an earlier clean validation)"
        return head + (f", {w} warning{'s' * (w != 1)}" if w else "")

    @property
    def text(self) -> str:
        """``N violations`` then one line per result, grouped by focus node."""
        lines = [self.summary()]
        groups: dict[str, list[Violation]] = defaultdict(list)
        for result in self.violations + self.warnings:
            groups[result.focus_text].append(result)
        for focus in sorted(groups):
            lines.append(f"  {focus}")
            for r in groups[focus]:
                where = short(r.path) if r.path is not None else "(node)"
                value = f" [value: {short(r.value)}]" if r.value is not None else ""
                shape = f" (shape {short(r.shape)})" if isinstance(r.shape, URIRef) else ""
                lines.append(f"    {r.severity}: {where}: {r.message}{value}{shape}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text


def short(term: Node | None) -> str:
    """A term as people read it: ``rkgd:state/KZ``, ``"text"@en``, ``[]`` for a blank node."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        best = None
        for prefix, ns in PREFIXES.items():
            if text.startswith(str(ns)) and (best is None or len(str(ns)) > len(best[1])):
                best = (prefix, str(ns))
        return f"{best[0]}:{text[len(best[1]) :]}" if best else f"<{text}>"
    if isinstance(term, Literal):
        if term.datatype is not None and term.language is None:
            return f"{Literal(str(term)).n3()}^^{short(term.datatype)}"[:80]
        return term.n3()[:80]
    if isinstance(term, BNode):
        return "[]"
    return str(term)


def shapes_path(ontology_dir: Path | None = None) -> Path | None:
    """The shapes file of ``ontology_dir`` (default: the shipped ontology), if there is one."""
    path = (ontology_dir or default_ontology_dir()) / "shapes.ttl"
    return path if path.is_file() else None


def validate(
    dataset: Dataset,
    shapes: Graph | Path | None = None,
    *,
    raise_on_violation: bool = False,
) -> ValidationReport:
    """Validate every triple of ``dataset`` (all graphs, the inferred one included) with pySHACL,
    the reference validator.

    ``shapes`` defaults to the shipped ``shapes.ttl``. With ``raise_on_violation``, a failing
    report is raised as :class:`~regional_kg.errors.ValidationFailed` carrying it. Builds
    remember clean results through :func:`validate_once`, whatever the validator.
    """
    start = time.perf_counter()
    shapes_file = None
    if shapes is None:
        shapes = shapes_path()
    if shapes is None:
        return ValidationReport(conforms=True, shapes_file=None)
    if isinstance(shapes, Path):
        shapes_file = str(shapes)
        shapes_graph = Graph()
        shapes_graph.parse(shapes, format="turtle")
    else:
        shapes_file = "(shapes graph)"
        shapes_graph = shapes

    # imported here: slow to import (~1 s), only the reference validator, and optional
    pyshacl = require("pyshacl", PYSHACL_NEEDED_FOR)

    data = Graph()
    data.addN((s, p, o, data) for s, p, o, _ in dataset.quads((None, None, None, None)))
    with _prepared_sparql_constraints():
        _, results_graph, _ = pyshacl.validate(
            data,
            shacl_graph=shapes_graph,
            inference="none",
            abort_on_first=False,
            allow_warnings=True,
            allow_infos=True,
            advanced=True,
        )
    results = _read_results(results_graph, data)
    report = ValidationReport(
        conforms=not any(r.severity == "violation" for r in results),
        results=results,
        seconds=time.perf_counter() - start,
        shapes_file=shapes_file,
    )
    if raise_on_violation:
        _settle(report, None)
    return report


def _cache_marker(key: str | None) -> Path | None:
    folder = cache_dir() if key else None
    return folder / "validated" / key if folder is not None and key else None


def _remember(marker: Path, report: ValidationReport) -> None:
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        tmp = marker.with_name(f".{marker.name}.{os.getpid()}")
        tmp.write_text(f"conforms; validated in {report.seconds:.2f} s\n", encoding="utf-8")
        os.replace(tmp, marker)
    except OSError:
        pass  # a cache we cannot write is only slower


_PATCH_LOCK = threading.Lock()


@contextmanager
def _prepared_sparql_constraints() -> Iterator[None]:
    """Parse each ``sh:sparql`` query once, not once per focus node.

    pySHACL hands rdflib the same query text with a different ``$this`` binding for every focus
    node, and rdflib parses it afresh each time: on the curated graph that parsing was ~80 % of
    the validation time. A prepared (parsed and translated) query gives the same results, so we
    prepare each text once for the duration of one validation.
    """
    from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint

    original = getattr(SPARQLBasedConstraint, "_validate_sparql_query", None)
    if original is None:  # a pySHACL release without this hook: validate unpatched, only slower
        yield
        return
    prepared: dict[str, object] = {}

    def validate_prepared(self, query, init_binds, target_graph):  # type: ignore[no-untyped-def]
        if isinstance(query, str):
            if query not in prepared:
                try:
                    prepared[query] = prepareQuery(query)
                except Exception:  # noqa: BLE001 - let pySHACL report it its own way
                    prepared[query] = query
            query = prepared[query]
        return original(self, query, init_binds, target_graph)

    with _PATCH_LOCK:
        SPARQLBasedConstraint._validate_sparql_query = validate_prepared  # type: ignore[method-assign]
        try:
            yield
        finally:
            SPARQLBasedConstraint._validate_sparql_query = original  # type: ignore[method-assign]


def _context(data: Graph, node: Node, depth: int = 0) -> str:
    """Where a blank node hangs: ``<predicate> of <named subject>`` (following up to 3 links)."""
    for subject, predicate in data.subject_predicates(node):
        if isinstance(subject, URIRef):
            return f"{short(predicate)} of {short(subject)}"
        if isinstance(subject, BNode) and depth < 3:
            outer = _context(data, subject, depth + 1)
            if outer:
                return f"{short(predicate)} of [] {outer}"
    return ""


def _read_results(graph: Graph, data: Graph | None = None) -> list[Violation]:
    results = []
    for node in graph.subjects(RDF.type, SH.ValidationResult):
        severity = graph.value(node, SH.resultSeverity)
        messages = sorted(str(m) for m in graph.objects(node, SH.resultMessage))
        path = graph.value(node, SH.resultPath)
        focus = graph.value(node, SH.focusNode)
        if focus is None:
            continue  # a result without a focus node names nothing to fix
        results.append(
            Violation(
                focus=focus,
                path=None if isinstance(path, BNode) else path,
                message="; ".join(messages) or "constraint not met",
                severity=SEVERITY_NAMES.get(severity, "violation")
                if severity is not None
                else "violation",
                shape=graph.value(node, SH.sourceShape),
                value=graph.value(node, SH.value),
                context=(
                    _context(data, focus) if data is not None and isinstance(focus, BNode) else ""
                ),
            )
        )
    order = {"violation": 0, "warning": 1, "info": 2}
    results.sort(key=lambda r: (order[r.severity], r.focus_text, short(r.path), r.message))
    return results


# --- remembering clean validations (shared by both build paths) --------------------

def validation_key(paths: Iterable[Path], validator: str = "pyshacl") -> str:
    """A hash of everything a validation result depends on: every input file's bytes, the
    shapes, the code that infers and validates, the validator and the library versions."""
    digest = hashlib.sha256(validator.encode() + b"\0")
    files = sorted({Path(p).resolve() for p in paths})
    shapes = shapes_path()
    pipeline = {
        "pyshacl": ("build.inference", "build.validation"),
        "sparql": ("build.native", "build.fastvalidate"),
    }
    modules = pipeline.get(validator, pipeline["sparql"])
    extra = [_module_file(m) for m in modules] + ([shapes] if shapes else [])
    if any(p.suffix.lower() in (".yaml", ".yml") for p in files):  # sheets: the compiler too
        extra += sorted(_module_file("sheets").parent.glob("*.py"))
    for path in files + extra:
        digest.update(str(path.name).encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    if validator == "pyshacl":
        require("pyshacl", PYSHACL_NEEDED_FOR)  # the key holds its version: say what is missing
    packages = ("pyshacl", "rdflib") if validator == "pyshacl" else ("pyoxigraph", "rdflib")
    for package in packages:
        digest.update(f"{package}={_package_version(package)}".encode())
    return digest.hexdigest()


def validate_once(key: str | None, check: Callable[[], ValidationReport]) -> ValidationReport:
    """Run ``check`` unless a clean validation of the same inputs (``key``) is remembered;
    remember a clean result, raise :class:`ValidationFailed` on violations."""
    report = _cached(key) or check()
    _settle(report, key)
    return report


def _cached(key: str | None) -> ValidationReport | None:
    """The report of an earlier clean validation of the same inputs, if one is remembered."""
    marker = _cache_marker(key)
    if marker is None or not marker.is_file():
        return None
    return ValidationReport(conforms=True, shapes_file=str(shapes_path()), cached=True)


def _settle(report: ValidationReport, key: str | None) -> None:
    """Remember a clean report (nothing at all to show); raise on violations."""
    marker = _cache_marker(key)
    if marker is not None and not report.cached and report.conforms and not report.results:
        _remember(marker, report)
    if not report.conforms:
        raise ValidationFailed("SHACL validation failed: " + report.text, report)


def _package_version(package: str) -> str:
    """The installed version; the module's own ``__version__`` when it has one (already
    imported: no ``importlib.metadata`` lookup, 12 ms of every command's start-up)."""
    module = sys.modules.get(package) or importlib.import_module(package)
    found = getattr(module, "__version__", None)
    if isinstance(found, str):
        return found
    return version(package)


def _module_file(name: str) -> Path:
    """The source file of ``regional_kg.<name>``, found without importing it."""
    spec = find_spec(f"regional_kg.{name}")
    assert spec is not None and spec.origin is not None, name
    return Path(spec.origin)
