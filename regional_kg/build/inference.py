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
from collections.abc import Iterable
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


def read_axioms(triples: Iterable[Triple]) -> Axioms:
    """The axioms stated in ``triples`` (any graph but the inferred one)."""
    sub_class: dict[Node, set[Node]] = defaultdict(set)
    sub_prop: dict[Node, set[Node]] = defaultdict(set)
    inverses: dict[Node, set[Node]] = defaultdict(set)
    symmetric: set[Node] = set()
    first: dict[Node, Node] = {}
    rest: dict[Node, Node] = {}
    chain_heads: list[tuple[Node, Node]] = []
    first_p, rest_p, type_p = RDF.first, RDF.rest, RDF.type  # (namespace lookups are slow)
    sub_class_p, sub_prop_p, inverse_p = RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf
    symmetric_c, chain_p = OWL.SymmetricProperty, OWL.propertyChainAxiom
    watched = {first_p, rest_p, type_p, sub_class_p, sub_prop_p, inverse_p, chain_p}
    for s, p, o in triples:
        if p not in watched:
            continue
        if p == first_p:
            first[s] = o
        elif isinstance(o, Literal):
            continue
        elif p == sub_class_p and s != o:
            sub_class[s].add(o)
        elif p == sub_prop_p and s != o:
            sub_prop[s].add(o)
        elif p == inverse_p:
            inverses[s].add(o)
            inverses[o].add(s)
        elif p == type_p and o == symmetric_c:
            symmetric.add(s)
        elif p == chain_p:
            chain_heads.append((s, o))
        elif p == rest_p:
            rest[s] = o
    chains: list[tuple[Node, Node, Node]] = [(p1, p2, q) for p1, p2, q in FIXED_CHAINS]
    for prop, head in chain_heads:
        items = _list_items(first, rest, head)
        if len(items) == 2:
            chains.append((items[0], items[1], prop))
    return Axioms(
        superclasses=_closure(sub_class),
        superproperties=_closure(sub_prop),
        inverses=dict(inverses),
        symmetric=symmetric,
        chains=chains,
    )


def infer_triples(asserted: set[Triple], axioms: Axioms) -> set[Triple]:
    """Every triple the rules derive from ``asserted`` that ``asserted`` does not hold."""
    known = set(asserted)
    # Indexes for the chains: subject → objects for each chain's first and second property.
    chain_props = {p for chain in axioms.chains for p in chain[:2]}
    by_pred_subject: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    by_pred_object: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))

    def index(triple: Triple) -> None:
        s, p, o = triple
        if p in chain_props:
            by_pred_subject[p][s].add(o)
            by_pred_object[p][o].add(s)

    for triple in known:
        index(triple)

    inferred: set[Triple] = set()
    delta = known
    rdf_type = RDF.type
    superclasses, superproperties = axioms.superclasses, axioms.superproperties
    inverses, symmetric, chains = axioms.inverses, axioms.symmetric, axioms.chains
    while delta:
        new: set[Triple] = set()
        for s, p, o in delta:
            if p == rdf_type:
                for cls in superclasses.get(o, ()):
                    new.add((s, rdf_type, cls))
            for sup in superproperties.get(p, ()):
                new.add((s, sup, o))
            if p in inverses and not isinstance(o, Literal):
                for inv in inverses[p]:
                    new.add((o, inv, s))
            if p in symmetric and not isinstance(o, Literal):
                new.add((o, p, s))
            if p in chain_props:
                for p1, p2, q in chains:
                    if p == p1:
                        for target in by_pred_subject[p2].get(o, ()):
                            new.add((s, q, target))
                    if p == p2:
                        for origin in by_pred_object[p1].get(s, ()):
                            new.add((origin, q, o))
        new -= known
        for triple in new:
            known.add(triple)
            index(triple)
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
