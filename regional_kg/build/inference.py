"""Materialise what the ontology implies, into ``rkgg:inferred`` and nowhere else.

Why materialise: every engine (rdflib, Oxigraph, a remote endpoint) then answers the same queries
the same way, with no reasoner of its own. Why so few rules: only what the ontology *states* is
used -- ``rdfs:subClassOf`` (types), ``rdfs:subPropertyOf``, ``owl:inverseOf`` (both ways),
``owl:SymmetricProperty``, two-step ``owl:propertyChainAxiom`` -- plus one fixed chain,
``prov:qualifiedDerivation / prov:entity`` ⇒ ``prov:wasDerivedFrom``. No RDFS axiomatic triples,
no ``rdfs:Resource`` types, no domain/range typing: the inferred graph stays small and legible.

The rules run to a fixpoint (semi-naive: each round only looks at the previous round's new
triples). The axioms are read from the dataset itself, so a user file that declares a subclass or
an inverse extends the inference too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS
from rdflib.term import Node

from regional_kg.namespaces import INFERRED_GRAPH

Triple = tuple[Node, Node, Node]

#: Property chains always applied (``p1 / p2 ⇒ p``), whatever the ontology says.
FIXED_CHAINS: tuple[tuple[URIRef, URIRef, URIRef], ...] = (
    (PROV.qualifiedDerivation, PROV.entity, PROV.wasDerivedFrom),
)


@dataclass
class Axioms:
    """The ontology's statements the rules use (closures computed once)."""

    superclasses: dict[Node, set[Node]] = field(default_factory=dict)  # strict, transitive
    superproperties: dict[Node, set[Node]] = field(default_factory=dict)
    inverses: dict[Node, set[Node]] = field(default_factory=dict)
    symmetric: set[Node] = field(default_factory=set)
    chains: list[tuple[Node, Node, Node]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.superclasses)} classes with superclasses, "
            f"{len(self.superproperties)} sub-properties, {len(self.inverses)} inverses, "
            f"{len(self.symmetric)} symmetric properties, {len(self.chains)} chains"
        )


def _closure(edges: dict[Node, set[Node]]) -> dict[Node, set[Node]]:
    result: dict[Node, set[Node]] = {}
    for start in edges:
        seen: set[Node] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node in seen or node == start:
                continue
            seen.add(node)
            stack.extend(edges.get(node, ()))
        if seen:
            result[start] = seen
    return result


def _list_items(first: dict[Node, Node], rest: dict[Node, Node], head: Node) -> list[Node]:
    """The members of the RDF list starting at ``head`` ([] when it is malformed)."""
    items: list[Node] = []
    node = head
    while node != RDF.nil and len(items) < 100:
        if node not in first:
            return []
        items.append(first[node])
        node = rest.get(node, RDF.nil)
    return items


#: The only axiom predicate whose object may be a literal (a list member); the others' literal
#: objects are ignored.
_LITERAL_OBJECTS = {RDF.first}
_SYMMETRIC = OWL.SymmetricProperty  # (namespace lookups are slow, and rdf:type is everywhere)


class _AxiomReader:
    """Collects the axiom statements of a stream of triples, one handler per watched predicate
    (table-driven: a triple whose predicate has no handler costs one dictionary lookup)."""

    def __init__(self) -> None:
        self.sub_class: dict[Node, set[Node]] = defaultdict(set)
        self.sub_prop: dict[Node, set[Node]] = defaultdict(set)
        self.inverses: dict[Node, set[Node]] = defaultdict(set)
        self.symmetric: set[Node] = set()
        self.first: dict[Node, Node] = {}
        self.rest: dict[Node, Node] = {}
        self.chain_heads: list[tuple[Node, Node]] = []
        self.handlers: dict[Node, Callable[[Node, Node], None]] = {
            RDF.first: self._first,
            RDFS.subClassOf: self._sub_class,
            RDFS.subPropertyOf: self._sub_property,
            OWL.inverseOf: self._inverse,
            RDF.type: self._type,
            OWL.propertyChainAxiom: self._chain,
            RDF.rest: self._rest,
        }

    def read(self, triples: Iterable[Triple]) -> None:
        handlers = self.handlers
        for s, p, o in triples:
            handler = handlers.get(p)
            if handler is None:
                continue
            if isinstance(o, Literal) and p not in _LITERAL_OBJECTS:
                continue
            handler(s, o)

    def _first(self, s: Node, o: Node) -> None:
        self.first[s] = o

    def _sub_class(self, s: Node, o: Node) -> None:
        if s != o:
            self.sub_class[s].add(o)

    def _sub_property(self, s: Node, o: Node) -> None:
        if s != o:
            self.sub_prop[s].add(o)

    def _inverse(self, s: Node, o: Node) -> None:
        self.inverses[s].add(o)
        self.inverses[o].add(s)

    def _type(self, s: Node, o: Node) -> None:
        if o == _SYMMETRIC:
            self.symmetric.add(s)

    def _chain(self, s: Node, o: Node) -> None:
        self.chain_heads.append((s, o))

    def _rest(self, s: Node, o: Node) -> None:
        self.rest[s] = o

    def chains(self) -> list[tuple[Node, Node, Node]]:
        """The fixed chains, then every two-step ``owl:propertyChainAxiom`` (longer chains and
        malformed lists are left out)."""
        chains: list[tuple[Node, Node, Node]] = [(p1, p2, q) for p1, p2, q in FIXED_CHAINS]
        for prop, head in self.chain_heads:
            items = _list_items(self.first, self.rest, head)
            if len(items) == 2:
                chains.append((items[0], items[1], prop))
        return chains


def read_axioms(triples: Iterable[Triple]) -> Axioms:
    """The axioms stated in ``triples`` (any graph but the inferred one)."""
    reader = _AxiomReader()
    reader.read(triples)
    return Axioms(
        superclasses=_closure(reader.sub_class),
        superproperties=_closure(reader.sub_prop),
        inverses=dict(reader.inverses),
        symmetric=reader.symmetric,
        chains=reader.chains(),
    )


class _Rules:
    """The rules over one growing set of triples: the axioms, and the indexes the chains join
    on (subject → objects and object → subjects of each property a chain starts or ends with)."""

    def __init__(self, axioms: Axioms) -> None:
        self.axioms = axioms
        self.chain_props = {p for chain in axioms.chains for p in chain[:2]}
        # per property: the chains it is the first step of, as (second step, result), and the
        # chains it is the second step of, as (first step, result)
        self.firsts: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        self.seconds: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        for p1, p2, q in axioms.chains:
            self.firsts[p1].append((p2, q))
            self.seconds[p2].append((p1, q))
        self.by_pred_subject: dict[Node, dict[Node, set[Node]]] = defaultdict(
            lambda: defaultdict(set)
        )
        self.by_pred_object: dict[Node, dict[Node, set[Node]]] = defaultdict(
            lambda: defaultdict(set)
        )

    def index(self, triples: Iterable[Triple]) -> None:
        chain_props = self.chain_props
        for s, p, o in triples:
            if p in chain_props:
                self.by_pred_subject[p][s].add(o)
                self.by_pred_object[p][o].add(s)

    def derive(self, delta: Iterable[Triple]) -> set[Triple]:
        """What the triples of ``delta`` yield by each rule, joined (for the chains) with the
        triples indexed so far. One loop here rather than a call per triple: this is the hot
        path of the rdflib build."""
        new: set[Triple] = set()
        chained: list[Triple] = []
        rdf_type, chain_props = RDF.type, self.chain_props
        superclasses, superproperties = self.axioms.superclasses, self.axioms.superproperties
        inverses, symmetric = self.axioms.inverses, self.axioms.symmetric
        for s, p, o in delta:
            if p == rdf_type:
                for cls in superclasses.get(o, ()):
                    new.add((s, rdf_type, cls))
            for sup in superproperties.get(p, ()):
                new.add((s, sup, o))
            if not isinstance(o, Literal):
                for inv in inverses.get(p, ()):
                    new.add((o, inv, s))
                if p in symmetric:
                    new.add((o, p, s))
            if p in chain_props:
                chained.append((s, p, o))
        self._join(chained, new)
        return new

    def _join(self, chained: list[Triple], new: set[Triple]) -> None:
        """Add to ``new`` what the chains make of ``chained`` as first or as second step."""
        firsts, seconds = self.firsts, self.seconds
        by_subject, by_object = self.by_pred_subject, self.by_pred_object
        for s, p, o in chained:
            for p2, q in firsts.get(p, ()):
                for target in by_subject[p2].get(o, ()):
                    new.add((s, q, target))
            for p1, q in seconds.get(p, ()):
                for origin in by_object[p1].get(s, ()):
                    new.add((origin, q, o))


def infer_triples(asserted: set[Triple], axioms: Axioms) -> set[Triple]:
    """Every triple the rules derive from ``asserted`` that ``asserted`` does not hold."""
    known = set(asserted)
    rules = _Rules(axioms)
    rules.index(known)
    inferred: set[Triple] = set()
    delta = known
    while delta:  # semi-naive: each round looks only at the previous round's new triples
        new = rules.derive(delta)
        new -= known
        known |= new
        rules.index(new)
        inferred |= new
        delta = new
    return inferred


def materialise(dataset: Dataset) -> int:
    """Replace ``rkgg:inferred`` in ``dataset`` with what the rules derive; return its size."""
    dataset.remove_graph(INFERRED_GRAPH)
    asserted: set[Triple] = set()
    # One pass over all quads: iterating graph by graph costs rdflib a pass over everything each.
    for s, p, o, graph in dataset.quads((None, None, None, None)):
        if graph != INFERRED_GRAPH:
            asserted.add((s, p, o))
    axioms = read_axioms(asserted)
    inferred = infer_triples(asserted, axioms)
    target = dataset.graph(INFERRED_GRAPH)
    target.addN((s, p, o, target) for s, p, o in inferred)
    return len(inferred)
