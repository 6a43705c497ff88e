"""SHACL validation that scales: the shapes compiled to SPARQL and run by Oxigraph.

Why: pySHACL walks every focus node in Python over an rdflib graph. On the curated graph that is
fine; on a synthetic region of 1M triples it takes many minutes (see docs/benchmarks.md), longer
than everything else in a build together. Here each shape of ``ontology/shapes.ttl`` becomes a
handful of SPARQL ``SELECT`` queries that return the *violating* focus nodes, and Oxigraph
answers them in Rust over its indexes.

What is compiled (the SHACL Core subset the project's shapes use, plus SPARQL constraints):
targets ``sh:targetClass`` (instances, including by materialised subclass types),
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``; paths (IRI, sequence, ``sh:inversePath``);
``sh:minCount``, ``sh:maxCount`` (up to 2 and 1), ``sh:datatype``, ``sh:class``,
``sh:nodeKind``, ``sh:pattern``, ``sh:in``, ``sh:hasValue``, ``sh:languageIn``,
``sh:uniqueLang``, ``sh:minInclusive``, ``sh:minExclusive``, ``sh:maxInclusive``,
``sh:maxExclusive``, ``sh:node``, ``sh:or``, ``sh:xone``, ``sh:qualifiedValueShape`` with
``sh:qualifiedMinCount``/``MaxCount`` (up to 1),
``sh:severity``, ``sh:message``, and ``sh:sparql`` constraints (their ``SELECT`` with ``$this``,
prefixes from ``sh:declare``). A shape using anything else raises :class:`Unsupported`, so a
new kind of constraint never passes silently.

Results are one per focus node and property shape (pySHACL reports one per constraint and value):
the same focus nodes and paths, fewer duplicate lines. ``tests/build/test_fastvalidate.py``
checks both validators flag the same (focus, path, severity) on a fixture with injected faults.

The data must hold the inferred graph (subclass types): run on what the build materialised.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from regional_kg.build.validation import SEVERITY_NAMES, ValidationReport, Violation, shapes_path
from regional_kg.stores.base import Store
from regional_kg.stores.oxigraph import to_rdflib


class Unsupported(Exception):
    """The shapes use a SHACL feature this compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """One compiled query: ``SELECT ?this [?value]`` returns the violating focus nodes."""

    query: str
    shape: Node
    path: Node | None
    message: str
    severity: str


_SEVERITY = SEVERITY_NAMES
_VALUE_KEYS = {
    SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH["in"], SH.languageIn, SH.minInclusive,
    SH.minExclusive, SH.maxInclusive, SH.maxExclusive, SH.node, SH["or"], SH.xone, SH.hasValue,
}  # fmt: skip
_KNOWN = _VALUE_KEYS | {
    SH.path, SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape,
    SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.message, SH.severity, SH.property,
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.sparql, SH.flags, SH.name,
    SH.description, SH.declare, SH.deactivated, SH.order, SH.group, RDF.type,
}  # fmt: skip


def _n3(term: Node) -> str:
    if isinstance(term, BNode):
        raise Unsupported(f"a blank node cannot appear as a constant: {term}")
    return term.n3()


#: XSD datatypes whose lexical forms the engine checks by casting: a literal such as
#: ``"yesterday"^^xsd:date`` has the right datatype but is ill-typed, and ``sh:datatype`` rejects
#: it (as pySHACL does). The cast fails on an ill-formed value; ``COALESCE`` turns the failure into
#: a blank node, which the check then tells apart from a value.
_CASTABLE = frozenset(
    XSD[name]
    for name in (
        "date", "dateTime", "time", "gYear", "gYearMonth", "decimal", "integer", "boolean",
        "double", "float",
    )
)  # fmt: skip


def _well_formed(datatype: Node, v: str) -> str:
    """`` && <the lexical form of v is valid for datatype>``, or ``""`` when none is checked."""
    if datatype not in _CASTABLE:
        return ""
    return f" && !isBlank(COALESCE({_n3(datatype)}(STR({v})), BNODE()))"


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.fresh = count()

    def var(self) -> str:
        return f"?v{next(self.fresh)}"

    def items(self, head: Node) -> list[Node]:
        return list(Collection(self.g, head))

    # --- paths ---------------------------------------------------------------------------
    def path(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return _n3(node)
        inverse = self.g.value(node, SH.inversePath)
        if inverse is not None:
            return f"^({self.path(inverse)})"
        if (node, RDF.first, None) in self.g:
            return "/".join(f"({self.path(p)})" for p in self.items(node))
        raise Unsupported(f"path {node} (only IRIs, sequences and sh:inversePath)")

    # --- conditions: SPARQL boolean expressions true when ``v`` conforms ----------------
    def check_keys(self, shape: Node) -> None:
        unknown = {
            p for p in self.g.predicates(shape) if p not in _KNOWN and str(p).startswith(str(SH))
        }
        if unknown:
            raise Unsupported(f"shape {shape}: {', '.join(sorted(map(str, unknown)))}")

    def value_conditions(self, shape: Node, v: str) -> list[str]:
        """What ``shape``'s value-type constraints require of the node ``v`` itself."""
        g, out = self.g, []
        for d in g.objects(shape, SH.datatype):
            if d == RDF.langString:
                out.append(f'(isLiteral({v}) && LANG({v}) != "")')
            else:
                out.append(
                    f'(isLiteral({v}) && LANG({v}) = "" && DATATYPE({v}) = {_n3(d)}'
                    f"{_well_formed(d, v)})"
                )
        for c in g.objects(shape, SH["class"]):
            out.append(f"EXISTS {{ {v} a {_n3(c)} }}")
        for k in g.objects(shape, SH.nodeKind):
            kinds: dict[Node, str] = {
                SH.IRI: f"isIRI({v})",
                SH.Literal: f"isLiteral({v})",
                SH.BlankNode: f"isBlank({v})",
                SH.BlankNodeOrIRI: f"(isIRI({v}) || isBlank({v}))",
                SH.IRIOrLiteral: f"(isIRI({v}) || isLiteral({v}))",
                SH.BlankNodeOrLiteral: f"(isBlank({v}) || isLiteral({v}))",
            }
            out.append(kinds[k])
        for p in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            args = f"{Literal(str(p)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags else "")
            out.append(f"(!isBlank({v}) && REGEX(STR({v}), {args}))")
        for head in g.objects(shape, SH["in"]):
            out.append(f"({v} IN ({', '.join(_n3(x) for x in self.items(head))}))")
        for head in g.objects(shape, SH.languageIn):
            tests = " || ".join(
                f"LANGMATCHES(LANG({v}), {Literal(str(x)).n3()})" for x in self.items(head)
            )
            out.append(f"(isLiteral({v}) && ({tests}))")
        for key, op in (
            (SH.minInclusive, ">="),
            (SH.minExclusive, ">"),
            (SH.maxInclusive, "<="),
            (SH.maxExclusive, "<"),
        ):
            for bound in g.objects(shape, key):
                out.append(f"({v} {op} {_n3(bound)})")
        for other in g.objects(shape, SH.node):
            out.append(self.conforms(other, v))
        for head in g.objects(shape, SH["or"]):
            out.append("(" + " || ".join(self.conforms(s, v) for s in self.items(head)) + ")")
        for head in g.objects(shape, SH.xone):
            ones = " + ".join(f"IF({self.conforms(s, v)}, 1, 0)" for s in self.items(head))
            out.append(f"(({ones}) = 1)")
        if (shape, SH.path, None) not in g:
            for h in g.objects(shape, SH.hasValue):
                out.append(f"({v} = {_n3(h)})")
        # every condition is wrapped so that an evaluation error (e.g. comparing a string with a
        # number) counts as "does not conform", as in SHACL
        return [f"COALESCE({c}, false)" for c in out]

    def property_conditions(self, prop: Node, focus: str) -> list[str]:
        """What the property shape ``prop`` requires of the focus node ``focus``."""
        g = self.g
        self.check_keys(prop)
        if g.value(prop, SH.sparql) is not None:
            raise Unsupported(f"sh:sparql inside property shape {prop}")
        path_node = g.value(prop, SH.path)
        if path_node is None:
            raise Unsupported(f"property shape {prop} without sh:path")
        path = self.path(path_node)
        out = []
        min_count = g.value(prop, SH.minCount)
        if min_count is not None:
            out.append(self.at_least(focus, path, int(str(min_count)), None))
        max_count = g.value(prop, SH.maxCount)
        if max_count is not None:
            out.append(self.at_most(focus, path, int(str(max_count)), None))
        values = self.value_conditions(prop, "?VALUE")
        if values:
            v = self.var()
            cond = " && ".join(values).replace("?VALUE", v)
            out.append(f"NOT EXISTS {{ {focus} {path} {v} . FILTER(!({cond})) }}")
        for h in g.objects(prop, SH.hasValue):
            out.append(f"EXISTS {{ {focus} {path} {_n3(h)} }}")
        if g.value(prop, SH.uniqueLang) == Literal(True):
            a, b = self.var(), self.var()
            out.append(
                f"NOT EXISTS {{ {focus} {path} {a}, {b} . "
                f'FILTER({a} != {b} && LANG({a}) != "" && LANG({a}) = LANG({b})) }}'
            )
        qualified = g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            qmin, qmax = g.value(prop, SH.qualifiedMinCount), g.value(prop, SH.qualifiedMaxCount)
            if qmin is not None:
                out.append(self.at_least(focus, path, int(str(qmin)), qualified))
            if qmax is not None:
                out.append(self.at_most(focus, path, int(str(qmax)), qualified))
        return out

    def at_least(self, focus: str, path: str, n: int, shape: Node | None) -> str:
        a, b = self.var(), self.var()
        qa = f" FILTER({self.conforms(shape, a)})" if shape is not None else ""
        qb = f" FILTER({self.conforms(shape, b)})" if shape is not None else ""
        if n <= 0:
            return "true"
        if n == 1:
            return f"EXISTS {{ {focus} {path} {a} .{qa} }}"
        if n == 2:
            return (
                f"EXISTS {{ {focus} {path} {a} .{qa} {focus} {path} {b} .{qb} FILTER({a} != {b}) }}"
            )
        raise Unsupported(f"minCount {n} > 2")

    def at_most(self, focus: str, path: str, n: int, shape: Node | None) -> str:
        a, b = self.var(), self.var()
        qa = f" FILTER({self.conforms(shape, a)})" if shape is not None else ""
        qb = f" FILTER({self.conforms(shape, b)})" if shape is not None else ""
        if n == 0:
            return f"NOT EXISTS {{ {focus} {path} {a} .{qa} }}"
        if n == 1:
            return (
                f"NOT EXISTS {{ {focus} {path} {a} .{qa} {focus} {path} {b} .{qb} "
                f"FILTER({a} != {b}) }}"
            )
        raise Unsupported(f"maxCount {n} > 1")

    def conforms(self, shape: Node, v: str) -> str:
        """A SPARQL expression: ``v`` conforms to ``shape`` (node or property shape)."""
        self.check_keys(shape)
        if self.g.value(shape, SH.sparql) is not None:
            raise Unsupported(f"sh:sparql in nested shape {shape}")
        parts = (
            list(self.value_conditions(shape, v)) if (shape, SH.path, None) not in self.g else []
        )
        if (shape, SH.path, None) in self.g:
            parts += self.property_conditions(shape, v)
        for prop in self.g.objects(shape, SH.property):
            parts += self.property_conditions(prop, v)
        return "(" + (" && ".join(parts) or "true") + ")"

    # --- top level -----------------------------------------------------------------------
    def target(self, shape: Node) -> str | None:
        parts = []
        for c in self.g.objects(shape, SH.targetClass):
            parts.append(f"{{ ?this a {_n3(c)} }}")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_n3(p)} ?any }} }}")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?any {_n3(p)} ?this }} }}")
        return " UNION ".join(parts) if parts else None

    def prefixes(self, shape: Node) -> str:
        lines = []
        for ontology in self.g.objects(shape, SH.prefixes):
            for decl in self.g.objects(ontology, SH.declare):
                prefix, ns = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
                lines.append(f"PREFIX {prefix}: <{ns}>")
        return "\n".join(lines)

    def checks(self) -> list[Check]:
        g, out = self.g, []
        shapes = {
            s
            for key in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
            for s in g.subjects(key)
        }
        for shape in sorted(shapes, key=str):
            if g.value(shape, SH.deactivated) == Literal(True):
                continue
            self.check_keys(shape)
            target = self.target(shape)
            node_severity = _SEVERITY.get(g.value(shape, SH.severity), "violation")
            node_message = str(g.value(shape, SH.message) or f"does not conform to {shape}")
            own = self.value_conditions(shape, "?this")
            if own:
                out.append(self.make(shape, target, None, own, node_message, node_severity))
            for prop in sorted(g.objects(shape, SH.property), key=str):
                conds = self.property_conditions(prop, "?this")
                if not conds:
                    continue
                severity = _SEVERITY.get(g.value(prop, SH.severity), node_severity)
                message = str(g.value(prop, SH.message) or node_message)
                path = g.value(prop, SH.path)
                out.append(self.make(shape, target, path, conds, message, severity))
            for constraint in g.objects(shape, SH.sparql):
                select = str(g.value(constraint, SH.select))
                message = str(g.value(constraint, SH.message) or node_message)
                query = (
                    f"{self.prefixes(constraint)}\n"
                    f"SELECT DISTINCT * WHERE {{ {target} {{ "
                    f"{select.replace('$this', '?this')} }} }}"
                )
                out.append(Check(query, shape, None, message, node_severity))
        return out

    def make(self, shape, target, path, conds, message, severity) -> Check:
        query = f"SELECT DISTINCT ?this WHERE {{ {target} FILTER(!({' && '.join(conds)})) }}"
        return Check(query, shape, path, message, severity)


def compile_shapes(shapes: Graph | Path | None = None) -> list[Check]:
    """The checks for ``shapes`` (default: the shipped ``shapes.ttl``)."""
    if shapes is None:
        shapes = shapes_path()
        if shapes is None:
            return []
    if isinstance(shapes, Path | str):
        shapes = Graph().parse(str(shapes), format="turtle")
    return _Compiler(shapes).checks()


def validate_store(
    store: Store | ox.Store,
    shapes: Graph | Path | None = None,
    *,
    checks: Iterable[Check] | None = None,
    timings: dict[Check, float] | None = None,
) -> ValidationReport:
    """Run the compiled checks on a store: a :class:`~regional_kg.stores.base.Store` or a bare
    ``pyoxigraph.Store`` (its named graphs; see :func:`_union_default_graph`). ``timings``, when
    given, receives the seconds each check took (what ``benchmarks/validate.py`` reports)."""
    start = time.perf_counter()
    checks = list(checks) if checks is not None else compile_shapes(shapes)
    results: list[Violation] = []
    with _union_default_graph(store) as select:
        for check in checks:
            began = time.perf_counter()
            results += [_violation(check, row) for row in select(check.query) if "this" in row]
            if timings is not None:
                timings[check] = time.perf_counter() - began
    return ValidationReport(
        conforms=not any(r.severity == "violation" for r in results),
        results=results,
        seconds=time.perf_counter() - start,
        shapes_file="(compiled to SPARQL)",
    )


Rows = list[dict[str, Node]]
#: The union of the named graphs, each triple once, as the default graph.
_FILL_UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


@contextmanager
def _union_default_graph(store: Store | ox.Store) -> Iterator[Callable[[str], Rows]]:
    """A function running a ``SELECT`` over the union of ``store``'s named graphs.

    Why not Oxigraph's union mode (``use_default_graph_as_union``): it yields a triple once per
    graph that states it, and the curated and synthetic graphs restate the same states, people
    and labels many times over (at 300k triples, 82 states are typed 718 times). The checks that
    compare two values of a path (``sh:maxCount 1``, ``sh:uniqueLang``, qualified counts) join
    the repeats with each other: StateShape's label pair checks took 7.6 s there, 0.01 s over
    the same triples stated once. So the union is written into the default graph (what the
    build's commit does anyway), the checks read it, and it is dropped again afterwards, leaving
    the store as it was. A store whose default graph already holds data is queried in union
    mode as before; a :class:`~regional_kg.stores.base.Store` answers over its own union.
    """
    if isinstance(store, Store):
        yield lambda query: store.select(query).rows
        return
    if store.query("ASK { ?s ?p ?o }"):  # the caller's own default graph: leave it alone
        yield lambda query: _rows(store, query, union=True)
        return
    store.update(_FILL_UNION)
    try:
        yield lambda query: _rows(store, query, union=False)
    finally:
        store.update("DROP SILENT DEFAULT")


def _rows(store: ox.Store, query: str, *, union: bool) -> Rows:
    solutions = store.query(query, use_default_graph_as_union=union)
    assert isinstance(solutions, ox.QuerySolutions)  # every check is a SELECT
    names = [v.value for v in solutions.variables]
    return [{n: to_rdflib(s[n]) for n in names if s[n] is not None} for s in solutions]


def _violation(check: Check, row: dict[str, Node]) -> Violation:
    """One result row of ``check`` as a report entry (a row without ``?this`` reports nothing:
    the caller skips it)."""
    path = row.get("path", check.path)
    return Violation(
        focus=row["this"],
        # like pySHACL's report as read by validation.py: complex paths as None
        path=path if isinstance(path, URIRef) else None,
        message=_fill(check.message, row),
        severity=check.severity,
        shape=check.shape,
        value=row.get("value"),
    )


def _fill(message: str, row: dict) -> str:
    """``{?name}`` / ``{$name}`` in a SPARQL constraint's message: the row's value (SHACL)."""
    for name, term in row.items():
        text = str(term)
        message = message.replace(f"{{?{name}}}", text).replace(f"{{${name}}}", text)
    return message


def validate_dataset(dataset, shapes: Graph | Path | None = None) -> ValidationReport:
    """Load an rdflib ``Dataset`` into a scratch Oxigraph store and validate it there."""
    store = ox.Store()
    data = dataset.serialize(format="nquads", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return validate_store(store, shapes)


__all__ = ["Check", "Unsupported", "compile_shapes", "validate_store", "validate_dataset", "XSD"]
