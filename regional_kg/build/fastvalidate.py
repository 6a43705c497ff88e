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

import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import TypeVar

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


_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isIRI({v}) || isBlank({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
}


def _not_a(v: str, classes: list[Node]) -> str:
    """A pattern keeping ``v`` only when it is an instance of none of ``classes``."""
    return " ".join(f"MINUS {{ {v} a {_n3(c)} }}" for c in classes)


def _bound(op: str) -> Callable[[object, Node, Node, str], str]:
    """The rule of a range constraint: ``v op bound``."""
    return lambda _compiler, _shape, bound, v: f"({v} {op} {_n3(bound)})"


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
        """What ``shape``'s value-type constraints require of the node ``v`` itself.

        Every condition is wrapped so that an evaluation error (e.g. comparing a string with a
        number) counts as "does not conform", as in SHACL."""
        return [f"COALESCE({c}, false)" for c in self.value_terms(shape, v)]

    def value_terms(self, shape: Node, v: str, *, joined: bool = False) -> list[str]:
        """The condition of each value-type constraint of ``shape`` on ``v``, in the order of
        :data:`_VALUE_RULES`; ``joined`` leaves out those :meth:`value_violations` finds by
        patterns (``sh:node``, ``sh:class``, a ``sh:or`` of classes)."""
        out = []
        for key, rule in _VALUE_RULES:
            if joined and key in (SH.node, SH["class"]):
                continue
            for obj in self.g.objects(shape, key):
                if joined and key == SH["or"] and self.class_alternatives(obj) is not None:
                    continue
                condition = rule(self, shape, obj, v)
                if condition is not None:
                    out.append(condition)
        return out

    def class_alternatives(self, head: Node) -> list[Node] | None:
        """The classes of a ``sh:or`` list whose every member is ``[ sh:class C ]`` alone."""
        classes = []
        for member in self.items(head):
            found = list(self.g.objects(member, SH["class"]))
            if set(self.g.predicates(member)) != {SH["class"]} or len(found) != 1:
                return None
            classes += found
        return classes

    def datatype(self, _shape: Node, d: Node, v: str) -> str:
        if d == RDF.langString:
            return f'(isLiteral({v}) && LANG({v}) != "")'
        return f'(isLiteral({v}) && LANG({v}) = "" && DATATYPE({v}) = {_n3(d)}{_well_formed(d, v)})'

    def node_kind(self, _shape: Node, kind: Node, v: str) -> str:
        return _NODE_KINDS[kind].format(v=v)

    def pattern(self, shape: Node, p: Node, v: str) -> str:
        flags = self.g.value(shape, SH.flags)
        args = f"{Literal(str(p)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags else "")
        return f"(!isBlank({v}) && REGEX(STR({v}), {args}))"

    def one_of(self, _shape: Node, head: Node, v: str) -> str:
        return f"({v} IN ({', '.join(_n3(x) for x in self.items(head))}))"

    def language_in(self, _shape: Node, head: Node, v: str) -> str:
        tests = " || ".join(
            f"LANGMATCHES(LANG({v}), {Literal(str(x)).n3()})" for x in self.items(head)
        )
        return f"(isLiteral({v}) && ({tests}))"

    def any_of(self, _shape: Node, head: Node, v: str) -> str:
        return "(" + " || ".join(self.conforms(s, v) for s in self.items(head)) + ")"

    def exactly_one_of(self, _shape: Node, head: Node, v: str) -> str:
        ones = " + ".join(f"IF({self.conforms(s, v)}, 1, 0)" for s in self.items(head))
        return f"(({ones}) = 1)"

    def node_value(self, shape: Node, h: Node, v: str) -> str | None:
        """``sh:hasValue`` on a node shape (on a property shape it is a condition of the path)."""
        return None if (shape, SH.path, None) in self.g else f"({v} = {_n3(h)})"

    def property_path(self, prop: Node) -> str:
        """The SPARQL path of the property shape ``prop``, once its keys are known supported."""
        self.check_keys(prop)
        if self.g.value(prop, SH.sparql) is not None:
            raise Unsupported(f"sh:sparql inside property shape {prop}")
        path_node = self.g.value(prop, SH.path)
        if path_node is None:
            raise Unsupported(f"property shape {prop} without sh:path")
        return self.path(path_node)

    def count(self, prop: Node, key: Node) -> int | None:
        value = self.g.value(prop, key)
        return None if value is None else int(str(value))

    def property_conditions(self, prop: Node, focus: str) -> list[str]:
        """What the property shape ``prop`` requires of the focus node ``focus``."""
        path = self.property_path(prop)
        out = self.count_conditions(prop, focus, path, SH.minCount, SH.maxCount, None)
        values = self.value_conditions(prop, "?VALUE")
        if values:
            v = self.var()
            cond = " && ".join(values).replace("?VALUE", v)
            out.append(f"NOT EXISTS {{ {focus} {path} {v} . FILTER(!({cond})) }}")
        out += self.has_values(prop, focus, path)
        if self.g.value(prop, SH.uniqueLang) == Literal(True):
            out.append(f"NOT EXISTS {{ {self.same_language(focus, path)} }}")
        return out + self.qualified_conditions(prop, focus, path)

    def has_values(self, prop: Node, focus: str, path: str) -> list[str]:
        return [f"EXISTS {{ {focus} {path} {_n3(h)} }}" for h in self.g.objects(prop, SH.hasValue)]

    def same_language(self, focus: str, path: str) -> str:
        """A pattern matching two values of ``path`` in the same language (``sh:uniqueLang``)."""
        a, b = self.var(), self.var()
        return (
            f"{focus} {path} {a}, {b} . "
            f'FILTER({a} != {b} && LANG({a}) != "" && LANG({a}) = LANG({b}))'
        )

    def qualified_conditions(self, prop: Node, focus: str, path: str) -> list[str]:
        qualified = self.g.value(prop, SH.qualifiedValueShape)
        if qualified is None:
            return []
        return self.count_conditions(
            prop, focus, path, SH.qualifiedMinCount, SH.qualifiedMaxCount, qualified
        )

    def count_conditions(
        self, prop: Node, focus: str, path: str, least: Node, most: Node, shape: Node | None
    ) -> list[str]:
        """The ``least``/``most`` counts of ``prop`` (plain or qualified by ``shape``)."""
        out = []
        low, high = self.count(prop, least), self.count(prop, most)
        if low is not None:
            out.append(self.at_least(focus, path, low, shape))
        if high is not None:
            out.append(self.at_most(focus, path, high, shape))
        return out

    # --- violations: group patterns that match when ``v`` does not conform ----------------
    # Why: a check written as FILTER(!(EXISTS {...} && NOT EXISTS {...})) makes Oxigraph run
    # each nested pattern once per focus node; the same check as a UNION of patterns that
    # each find one way to fail is a handful of joins (CitationShape at 300k triples: 4.7 s
    # -> 0.9 s). Each pattern is written to follow one that binds ``v`` in the same group.
    def value_violations(self, shape: Node, v: str) -> list[str]:
        """Patterns matching when ``v`` breaks a value-type constraint of ``shape``: a
        ``sh:node`` as the nested shape's own violations, ``sh:class`` (alone or as a ``sh:or``
        of classes) as ``MINUS`` (Oxigraph computes the class once, not an ``EXISTS`` per value:
        TradeObservationShape's partner check 0.085 -> 0.016 s at 300k), the rest as one
        ``FILTER``."""
        plain = [f"COALESCE({c}, false)" for c in self.value_terms(shape, v, joined=True)]
        branches = [f"FILTER(!({' && '.join(plain)}))"] if plain else []
        branches += [_not_a(v, [c]) for c in self.g.objects(shape, SH["class"])]
        for head in self.g.objects(shape, SH["or"]):
            classes = self.class_alternatives(head)
            if classes is not None:
                branches.append(_not_a(v, classes))
        for other in self.g.objects(shape, SH.node):
            branches += self.node_violations(other, v)
        return branches

    def node_violations(self, shape: Node, v: str) -> list[str]:
        """Patterns matching when ``v`` does not conform to ``shape`` (as :meth:`conforms`)."""
        self.check_keys(shape)
        if self.g.value(shape, SH.sparql) is not None:
            raise Unsupported(f"sh:sparql in nested shape {shape}")
        if (shape, SH.path, None) in self.g:
            out = self.property_violations(shape, v)
        else:
            out = self.value_violations(shape, v)
        for prop in self.g.objects(shape, SH.property):
            out += self.property_violations(prop, v)
        return out

    def property_violations(self, prop: Node, focus: str) -> list[str]:
        """Patterns matching when ``focus`` breaks the property shape ``prop``: too many values
        as counts (:meth:`more_than`), the value constraints through a pattern binding the
        value, the rest (``sh:minCount``, ``sh:hasValue``, qualified minimum) as one
        ``FILTER``."""
        path = self.property_path(prop)
        plain, branches = [], []
        min_count, max_count = self.count(prop, SH.minCount), self.count(prop, SH.maxCount)
        if min_count is not None:
            plain.append(self.at_least(focus, path, min_count, None))
        if max_count is not None:
            branches.append(self.more_than(focus, path, max_count, None))
        v = self.var()
        branches += [f"{focus} {path} {v} . {w}" for w in self.value_violations(prop, v)]
        plain += self.has_values(prop, focus, path)
        if self.g.value(prop, SH.uniqueLang) == Literal(True):
            branches.append(self.more_than(focus, path, 1, None, per_language=True))
        qualified = self.g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            qmin, qmax = (
                self.count(prop, SH.qualifiedMinCount),
                self.count(prop, SH.qualifiedMaxCount),
            )
            if qmin is not None:
                plain.append(self.at_least(focus, path, qmin, qualified))
            if qmax is not None:
                branches.append(self.more_than(focus, path, qmax, qualified))
        return ([f"FILTER(!({' && '.join(plain)}))"] if plain else []) + branches

    def more_than(
        self, focus: str, path: str, n: int, shape: Node | None, *, per_language: bool = False
    ) -> str:
        """A pattern matching when ``focus`` has more than ``n`` values of ``path`` (conforming
        to ``shape`` if given; ``per_language``: in one language, for ``sh:uniqueLang``).

        Why counted, not joined as two values that differ: Oxigraph's union of the named graphs
        yields a value once per graph stating it, and a pair join squares those repeats (the
        curated and synthetic graphs restate each state's labels dozens of times: StateShape's
        label checks took 7.6 s of a 24 s validation at 300k triples). A ``COUNT(DISTINCT)``
        over the same rows is linear in them. The subquery is not correlated: it counts for
        every node with values of ``path`` and the join with ``focus``'s binding picks one.
        """
        a = self.var()
        if n == 0 and not per_language:
            return f"{focus} {path} {a} .{self.conforming(shape, a)}"
        if n != 1:
            raise Unsupported(f"maxCount {n} > 1")
        where = f"{focus} {path} {a} .{self.conforming(shape, a)}"
        group = focus
        if per_language:
            where += f' FILTER(LANG({a}) != "")'
            group += f" (LANG({a}) AS {self.var()})"
        return (
            f"{{ SELECT {focus} WHERE {{ {where} }} GROUP BY {group} "
            f"HAVING (COUNT(DISTINCT {a}) > 1) }}"
        )

    def conforming(self, shape: Node | None, v: str) -> str:
        return f" FILTER({self.conforms(shape, v)})" if shape is not None else ""

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

    def anchor(self, shape: Node) -> str | None:
        """``?this <P> `` when the one target of ``shape`` is ``sh:targetSubjectsOf P``: a
        violation pattern that starts so binds only focus nodes and needs no target (which
        Oxigraph would compute again for each pattern: CitationShape 0.5 -> 0.3 s at 300k)."""
        keys = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
        targets = [(key, o) for key in keys for o in self.g.objects(shape, key)]
        if len(targets) == 1 and targets[0][0] == SH.targetSubjectsOf:
            return f"?this {_n3(targets[0][1])} "
        return None

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
            own = self.value_violations(shape, "?this")
            if own:
                out.append(self.make(shape, target, None, own, node_message, node_severity))
            for prop in sorted(g.objects(shape, SH.property), key=str):
                conds = self.property_violations(prop, "?this")
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

    def make(
        self,
        shape: Node,
        target: str | None,
        path: Node | None,
        violations: list[str],
        message: str,
        severity: str,
    ) -> Check:
        """One check: the focus nodes of ``target`` that match any of the ``violations``."""
        anchor = self.anchor(shape)
        union = " UNION ".join(
            f"{{ {'' if anchor and w.startswith(anchor) else target} {w} }}" for w in violations
        )
        return Check(f"SELECT DISTINCT ?this WHERE {{ {union} }}", shape, path, message, severity)


#: The value-type constraints, in the order their conditions are written: each key's rule
#: gives the condition on ``v`` for one object of the key (None: nothing to check).
_VALUE_RULES: tuple[tuple[Node, Callable[..., str | None]], ...] = (
    (SH.datatype, _Compiler.datatype),
    (SH["class"], lambda _c, _s, cls, v: f"EXISTS {{ {v} a {_n3(cls)} }}"),
    (SH.nodeKind, _Compiler.node_kind),
    (SH.pattern, _Compiler.pattern),
    (SH["in"], _Compiler.one_of),
    (SH.languageIn, _Compiler.language_in),
    (SH.minInclusive, _bound(">=")),
    (SH.minExclusive, _bound(">")),
    (SH.maxInclusive, _bound("<=")),
    (SH.maxExclusive, _bound("<")),
    (SH.node, lambda c, _s, other, v: c.conforms(other, v)),
    (SH["or"], _Compiler.any_of),
    (SH.xone, _Compiler.exactly_one_of),
    (SH.hasValue, _Compiler.node_value),
)


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
    ``pyoxigraph.Store`` (queried with the union of named graphs as default graph).
    ``timings``, when given, receives the seconds each check took (``benchmarks/validate.py``
    reports the slowest)."""
    start = time.perf_counter()
    checks = list(checks) if checks is not None else compile_shapes(shapes)
    select = _selector(store)

    def run(check: Check) -> tuple[list[Violation], float]:
        began = time.perf_counter()
        found = [_violation(check, row) for row in select(check.query) if "this" in row]
        return found, time.perf_counter() - began

    results: list[Violation] = []
    for check, (found, seconds) in zip(checks, _map(run, checks, store), strict=True):
        results += found
        if timings is not None:
            timings[check] = seconds
    return ValidationReport(
        conforms=not any(r.severity == "violation" for r in results),
        results=results,
        seconds=time.perf_counter() - start,
        shapes_file="(compiled to SPARQL)",
    )


Rows = list[dict[str, Node]]
_Result = TypeVar("_Result")


def _map(
    run: Callable[[Check], _Result], checks: list[Check], store: Store | ox.Store
) -> Iterator[_Result]:
    """``run`` over ``checks``, in their order. On a bare ``pyoxigraph.Store`` (a build's stage)
    in a pool of one thread per core: Oxigraph releases the GIL while it evaluates a query, and
    the checks are independent reads, so wall time drops while CPU time stays the same. A
    :class:`~regional_kg.stores.base.Store` is run one check at a time (its callers may be
    threads already, like the server's)."""
    workers = os.cpu_count() or 1
    if not isinstance(store, ox.Store) or workers == 1 or len(checks) < 2:
        return map(run, checks)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rkg-validate") as pool:
        return iter(list(pool.map(run, checks)))


def _selector(store: Store | ox.Store) -> Callable[[str], Rows]:
    """A function running a ``SELECT`` over the union of ``store``'s named graphs: a bare
    ``pyoxigraph.Store`` in Oxigraph's union mode, a :class:`~regional_kg.stores.base.Store`
    over its own union default graph."""
    if isinstance(store, Store):
        return lambda query: store.select(query).rows
    return lambda query: _rows(store, query)


def _rows(store: ox.Store, query: str) -> Rows:
    solutions = store.query(query, use_default_graph_as_union=True)
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


def validate_dataset(
    dataset, shapes: Graph | Path | None = None, *, timings: dict[Check, float] | None = None
) -> ValidationReport:
    """Load an rdflib ``Dataset`` into a scratch Oxigraph store and validate it there."""
    store = ox.Store()
    data = dataset.serialize(format="nquads", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return validate_store(store, shapes, timings=timings)


__all__ = ["Check", "Unsupported", "compile_shapes", "validate_store", "validate_dataset", "XSD"]
