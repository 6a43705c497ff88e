"""Make a sheet written from the graph say all that the graph says, and nothing more.

Why: ``rkg sheet from-rdf`` writes each node in the sheet form of its kind, but a kind's fields
cannot say everything a curator wrote by hand (claims, casualty figures, a second title, a
property newer than the sheet vocabulary ...). Rather than drop such triples, the writer compiles
its sheet, compares the result with the document's graph, and says what is missing as
``kind: node`` statements (:mod:`regional_kg.sheets.statements`); a fact whose sheet form says
*more* than the graph, or does not compile, is written wholly as statements instead. What is
still different after that is an error naming the document, node and predicate: a sheet never
loses a fact silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from regional_kg.errors import SheetError, UserError
from regional_kg.namespaces import RKG, RKGD
from regional_kg.sheets.compile import compile_text
from regional_kg.sheets.statements import dump_sheet, encode_statements, shorten

Triple = tuple[Node, Node, object]

#: how many rounds of compile → compare → rewrite a sheet may take (each settles a node or more)
_ROUNDS = 60


def canonical(graph: Graph) -> Counter[Triple]:
    """The triples of named subjects, blank-node objects replaced by what they say (recursively),
    counted: two graphs with the same canonical count say the same (blank nodes have no names to
    compare; two blank nodes that say the same are two, as in the graph)."""
    return Counter((s, p, _canon_in(graph, o)) for s, p, o in graph if not isinstance(s, BNode))


def compiled_graph(data: dict, display: str) -> Graph:
    """The document's graph the sheet ``data`` compiles to (raises :class:`SheetError`)."""
    result = compile_text(dump_sheet(data), display)
    graph = Graph()
    for triple in result.dataset.graph(result.graph):
        graph.add(triple)
    return graph


class Completer:
    """Rewrites a sheet until it compiles to exactly ``own`` (the document's graph)."""

    def __init__(self, data: dict, own: Graph, doc: URIRef, paragraphs: int) -> None:
        self.data, self.own, self.doc, self.paragraphs = data, own, doc, paragraphs
        self.display = f"{shorten(doc)}.yaml"
        self.written: list[str] = []  # nodes written as statements, for the sheet's header
        self.reasons: list[tuple[str, str]] = []  # (node, why): what the round trip test lists

    # --- where a node stands in the sheet ---------------------------------------------------

    def facts(self) -> list[dict]:
        facts: list[dict] = self.data.setdefault("facts", [])
        return facts

    def fact_of(self, subject: Node) -> int | None:
        """The index of the fact that describes ``subject`` (itself or a nested item)."""
        local = str(subject).removeprefix(str(RKGD))
        for index, fact in enumerate(self.facts()):
            if fact.get("kind") == "node":
                continue
            nested = [
                item.get("id")
                for key in ("participants", "results", "agreements")
                for item in fact.get(key) or []
            ]
            if fact.get("id") == local or local in nested:
                return index
        return None

    def entity_of(self, subject: Node) -> str | None:
        local = str(subject).removeprefix(str(RKGD))
        for name, spec in (self.data.get("entities") or {}).items():
            if spec.get("id") == local:
                return str(name)
        return None

    # --- rewriting --------------------------------------------------------------------------

    def node_item(self, subject: Node, triples: Iterable[tuple[Node, Node]]) -> dict:
        """A ``kind: node`` item stating ``subject``'s ``(predicate, object)`` pairs; the usual
        derivations (document, paragraph, English paraphrase) as paragraphs: and paraphrase:."""
        pairs = set(triples)
        cited: dict[int, str | None] = {}
        for p, o in sorted(pairs, key=str):
            if p == PROV.qualifiedDerivation and isinstance(o, BNode):
                found = self.plain_derivation(o)
                if found is not None and found[0] not in cited:
                    cited[found[0]] = found[1]
                    pairs.discard((p, o))
        item: dict = {"kind": "node", "id": shorten(subject)}
        statements = encode_statements(
            subject, self.own, only=frozenset((subject, p, o) for p, o in pairs)
        )
        if statements:
            item["statements"] = statements
        if cited:
            item["paragraphs"] = sorted(cited)
            texts = {n: t for n, t in sorted(cited.items()) if t is not None}
            if texts:
                item["paraphrase"] = texts
        return item

    def plain_derivation(self, derivation: BNode) -> tuple[int, str | None] | None:
        """``(paragraph, paraphrase)`` of a derivation a sheet's paragraphs: would write."""
        said = dict(self.own.predicate_objects(derivation))
        if len(said) != len(list(self.own.predicate_objects(derivation))):
            return None  # a property given twice: not the usual shape
        paragraph, paraphrase = said.get(RKG.paragraph), said.get(RKG.paraphrase)
        usual = {RDF.type: PROV.Derivation, PROV.entity: self.doc}
        if any(said.get(k) != v for k, v in usual.items()) or set(said) - {
            *usual,
            RKG.paragraph,
            RKG.paraphrase,
        }:
            return None
        if not (isinstance(paragraph, Literal) and isinstance(paragraph.toPython(), int)):
            return None
        number = int(paragraph.toPython())
        if not 1 <= number <= self.paragraphs or str(paragraph) != str(number):
            return None
        if paraphrase is None:
            return number, None
        if not isinstance(paraphrase, Literal) or paraphrase.language != "en":
            return None
        return number, str(paraphrase)

    def whole(self, subject: Node) -> dict:
        return self.node_item(subject, self.own.predicate_objects(subject))

    def replace_fact(self, index: int) -> None:
        """Write fact ``index`` (and its nested items) wholly as statements."""
        fact = self.facts()[index]
        ids = [fact.get("id")] + [
            item.get("id")
            for key in ("participants", "results", "agreements")
            for item in fact.get(key) or []
        ]
        items = [self.whole(RKGD[str(i)]) for i in ids if i]
        self.facts()[index : index + 1] = items
        self.drop_statements({str(i) for i in ids if i}, keep=items)
        self.written.extend(str(i) for i in ids if i)

    def replace_entity(self, name: str) -> None:
        """Write a declared entity as statements; the sheet names it by its IRI path instead."""
        spec = self.data["entities"].pop(name)
        if not self.data["entities"]:
            del self.data["entities"]
        iri = RKGD[str(spec["id"])]
        self.data["facts"] = _renamed(self.facts(), name, f"rkgd:{spec['id']}")
        self.data["document"] = _renamed(self.data["document"], name, f"rkgd:{spec['id']}")
        item = self.whole(iri)
        self.facts().insert(0, item)
        self.drop_statements({str(spec["id"])}, keep=[item])
        self.written.append(str(spec["id"]))

    def drop_statements(self, ids: set[str], keep: list[dict]) -> None:
        """Remove the statements written earlier for ``ids``: the ``keep`` items say it all."""
        self.data["facts"] = [
            f
            for f in self.facts()
            if any(f is k for k in keep) or not (f.get("kind") == "node" and f.get("id") in ids)
        ]

    def settle(self, subject: Node) -> bool:
        """First ``defaults: false`` on the fact describing ``subject``; then that fact or the
        entity describing it written as statements (False: nothing in the sheet describes it)."""
        index = self.fact_of(subject)
        if index is not None:
            fact = self.facts()[index]
            if fact.get("id") == shorten(subject) and fact.get("defaults") is not False:
                fact["defaults"] = False
                return True
            self.replace_fact(index)
            return True
        name = self.entity_of(subject)
        if name is not None:
            self.replace_entity(name)
            return True
        return False

    def on_error(self, error: SheetError) -> None:
        where = error.field or ""
        match = re.match(r"facts\[(\d+)\]", where)
        if match and self.facts()[int(match.group(1))].get("kind") != "node":
            self.reasons.append(
                (str(self.facts()[int(match.group(1))].get("id")), str(error.reason))
            )
            self.replace_fact(int(match.group(1)))
            return
        for name in sorted(self.data.get("entities") or {}, key=len, reverse=True):
            if where.startswith(f"entities.{name}"):
                self.reasons.append((name, str(error.reason)))
                self.replace_entity(name)
                return
        raise UserError(
            f"rkg sheet from-rdf: {shorten(self.doc)}: the sheet does not compile: {error}"
        )

    # --- the loop ---------------------------------------------------------------------------

    def run(self) -> dict:
        orphans = sorted(
            {(s, p) for s, p, _ in self.own if isinstance(s, BNode)}
            - {(s, p) for s, p, _ in self.own if any(self.own.subjects(None, s))},
            key=str,
        )
        if orphans:  # no named node leads to them: a sheet can only say what a node says
            raise self.unsayable(((s, p, None) for s, p in orphans), "the graph has blank nodes")
        wanted = canonical(self.own)
        for _ in range(_ROUNDS):
            try:
                got = canonical(compiled_graph(self.data, self.display))
            except SheetError as error:
                self.on_error(error)
                continue
            extra = got - wanted
            if extra:
                self.settle_extra(extra)
                continue
            missing = wanted - got
            if not missing:
                return self.data
            self.add_missing(missing)
        raise UserError(f"rkg sheet from-rdf: {shorten(self.doc)}: the sheet does not settle")

    def settle_extra(self, extra: Counter[Triple]) -> None:
        """The sheet says more than the graph: write the nodes it says it of as statements."""
        for s, p, _ in sorted(extra, key=str):
            self.reasons.append((shorten(s), f"would add {shorten(p)}"))
        subjects = sorted({s for s, _, _ in extra}, key=str)
        if not any(self.settle(s) for s in subjects):
            raise self.unsayable(extra, "the sheet would add what the graph does not say")

    def add_missing(self, missing: Counter[Triple]) -> None:
        """The graph says more than the sheet: say the rest as statements, node by node."""
        by_subject: dict[Node, list[tuple[Node, Node]]] = {}
        for s, p in sorted({(s, p) for s, p, _ in missing}, key=str):
            for o in self.own.objects(s, p):
                if (s, p, _canon_in(self.own, o)) in missing:
                    by_subject.setdefault(s, []).append((p, o))
        for subject in sorted(by_subject, key=str):
            for p, _ in by_subject[subject]:
                self.reasons.append((shorten(subject), f"no field for {shorten(p)}"))
            self.facts().append(self.node_item(subject, by_subject[subject]))
            self.written.append(shorten(subject))

    def unsayable(self, triples: Iterable[Triple], what: str) -> UserError:
        named = sorted(f"{shorten(s)} {shorten(p)}" for s, p, _ in triples)
        return UserError(
            f"rkg sheet from-rdf: {shorten(self.doc)}: {what}, which no sheet can say: "
            + "; ".join(named[:10])
            + (f" (and {len(named) - 10} more)" if len(named) > 10 else "")
        )


def _canon_in(graph: Graph, node: Node) -> object:
    """``node``, or for a blank node what it says (a multiset: frozenset of counted pairs)."""
    if isinstance(node, BNode):
        said = Counter((p, _canon_in(graph, o)) for p, o in graph.predicate_objects(node))
        return frozenset(said.items())
    return node


def _renamed(value: object, old: str, new: str) -> object:
    """``value`` with every string equal to ``old`` replaced by ``new`` (recursively)."""
    if isinstance(value, str):
        return new if value == old else value
    if isinstance(value, list):
        return [_renamed(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _renamed(v, old, new) for k, v in value.items()}
    return value


def complete(data: dict, own: Graph, doc: URIRef) -> tuple[dict, list[str]]:
    """``data`` rewritten to compile to exactly ``own``, and the nodes written as statements."""
    completer = Completer(data, own, doc, int(data["document"]["paragraphs"]))
    out = completer.run()
    return out, sorted(set(completer.written))


__all__ = ["canonical", "complete", "compiled_graph"]
