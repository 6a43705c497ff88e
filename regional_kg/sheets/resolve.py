"""Turn names as a person writes them (``Tokayev``, ``KG``, ``Tashkent``) into graph IRIs.

Why the query resolver: a sheet should accept exactly what ``rkg query --param state=…`` accepts
(labels, alt labels, names, ISO codes, IRIs, any case), so the lookup is
:func:`regional_kg.catalogue.resolve_entity`, run against a light store holding only the
ontology and the curated graph (parsed by Oxigraph, no inference, no validation: a fraction of a
second). Two additions a sheet needs and a query does not: a person may be named by surname alone
(``Tokayev``), unique or else ambiguous; and the resolved entity must be of the type the field
expects (a visitor is a person), which also settles labels shared by, say, a state and a forum.

Entities the graph does not know are declared in the sheet's ``entities:`` section and win over
the graph.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from regional_kg.catalogue import Param, resolve_entity
from regional_kg.errors import ParameterError
from regional_kg.namespaces import RKG, RKGD
from regional_kg.resources import graph_dir, ontology_dir
from regional_kg.sheets.vocabulary import ENTITY_TYPES
from regional_kg.stores.base import Store
from regional_kg.stores.oxigraph import OxigraphStore

#: Field entity types → the classes an entity of that type may have (any of them).
TYPE_CLASSES: dict[str, tuple[str, ...]] = {
    "state": ("State",),
    "person": ("Person",),
    "place": ("Place", "State", "Region"),
    "org": ("Organisation", "State"),
    "agent": ("Person", "State", "Organisation", "Region"),
    "area": ("State", "Region"),
    "any": (),
}


class Unresolved(Exception):
    """A name matches nothing, or more than one thing; ``message`` says which and why."""


@lru_cache(maxsize=4)
def _lookup_store(graph_folder: str) -> Store:
    """The ontology and curated graph in an in-memory Oxigraph store (cached per folder)."""
    store = OxigraphStore()
    raw = store.native
    formats = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG}
    for folder in (ontology_dir(), Path(graph_folder)):  # this cache entry's folder
        for path in sorted(folder.rglob("*")):
            if path.suffix in formats and path.is_file() and not path.name.startswith("."):
                # into the default graph: a lookup needs no graph names
                quads = ox.parse(path.read_bytes(), format=formats[path.suffix])
                raw.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    return store


def lookup_store() -> Store:
    """The store sheet names resolve against (the curated graph of ``$RKG_GRAPH_DIR``)."""
    return _lookup_store(str(graph_dir()))


_SURNAMES = """
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?s ?label WHERE {
  ?s a rkg:Person . { ?s skos:prefLabel ?label } UNION { ?s skos:altLabel ?label }
  UNION { ?s schema:name ?label }
  FILTER(isIRI(?s))
}
"""

_TYPES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?class WHERE { ?x a/rdfs:subClassOf* ?class }
"""


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace("\u2013", "-").split())


@dataclass
class Declared:
    """An entity a sheet declares: its IRI, type, labels."""

    iri: URIRef
    type: str
    names: list[str]


@dataclass
class Resolver:
    """Resolves a sheet's names: declared entities first, then the graph."""

    store: Store
    declared: dict[str, Declared] = field(default_factory=dict)  # normalised name → entity
    _cache: dict[tuple[str, str], URIRef] = field(default_factory=dict)

    def declare(self, entity: Declared) -> None:
        for name in entity.names:
            self.declared[_normal(name)] = entity

    def classes(self, iri: URIRef) -> set[str]:
        """The local names of the ``rkg:`` classes ``iri`` belongs to (with superclasses)."""
        for entity in self.declared.values():
            if entity.iri == iri:
                declared = {ENTITY_TYPES.get(entity.type, "Organisation")}
                if entity.type not in ("state", "person", "place", "region"):
                    declared.add("Organisation")  # every other declared type is one
                return declared
        rows = self.store.select(_TYPES, {"x": iri}).rows
        prefix = str(RKG)
        return {str(r["class"])[len(prefix) :] for r in rows if str(r["class"]).startswith(prefix)}

    def resolve(self, name: str, type_: str = "any") -> URIRef:
        """The IRI ``name`` stands for, of a class fitting ``type_``; :class:`Unresolved` else."""
        key = (_normal(str(name)), type_)
        if key in self._cache:
            return self._cache[key]
        iri = self._resolve(str(name).strip(), type_)
        self._cache[key] = iri
        return iri

    def _resolve(self, name: str, type_: str) -> URIRef:
        wanted = TYPE_CLASSES.get(type_, ())
        declared = self.declared.get(_normal(name))
        if declared is not None:
            return self._typed(declared.iri, name, wanted)
        param = Param("name", "state" if type_ == "state" else "entity", True)
        try:
            iri = resolve_entity(self.store, param, name)
        except ParameterError as exc:
            message = str(exc).removeprefix("parameter 'name': ")
            if "ambiguous" in message:
                iri = self._pick_typed(name, message, wanted)
            else:
                surname = self._by_surname(name) if type_ in ("person", "agent", "any") else None
                if surname is None:
                    raise Unresolved(self._hint(message, name)) from None
                iri = surname
        return self._typed(iri, name, wanted)

    def _typed(self, iri: URIRef, name: str, wanted: tuple[str, ...]) -> URIRef:
        if wanted and not (self.classes(iri) & set(wanted)):
            kinds = " or ".join(w.lower() for w in wanted)
            raise Unresolved(f"{name!r} is {_short(iri)}, which is not a {kinds}")
        return iri

    def _pick_typed(self, name: str, message: str, wanted: tuple[str, ...]) -> URIRef:
        """Of several matches, the one of the wanted type (if exactly one is)."""
        iris = [URIRef(p.strip()) for p in message.split("ambiguous: ", 1)[1].split(",")]
        fitting = [i for i in iris if not wanted or self.classes(i) & set(wanted)]
        if len(fitting) == 1:
            return fitting[0]
        listed = ", ".join(_short(i) for i in (fitting or iris))
        raise Unresolved(
            f"{name!r} is ambiguous: it names {listed}; write it in full or use the IRI"
        )

    def _by_surname(self, name: str) -> URIRef | None:
        """A person named by the last word(s) of a label (``Tokayev``): one person or an error."""
        needle = _normal(name)
        if not needle or " " in needle and len(needle.split()) > 2:
            return None
        found: dict[URIRef, str] = {}
        for row in self.store.select(_SURNAMES).rows:
            label = _normal(str(row["label"]))
            if label.endswith(" " + needle) or label.split("-")[-1] == needle:
                person = row["s"]
                assert isinstance(person, URIRef)  # FILTER(isIRI(?s))
                found.setdefault(person, str(row["label"]))
        for entity in self.declared.values():
            if entity.type == "person" and any(
                _normal(n).endswith(" " + needle) for n in entity.names
            ):
                found.setdefault(entity.iri, entity.names[0])
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            listed = ", ".join(f"{label} ({_short(iri)})" for iri, label in sorted(found.items()))
            raise Unresolved(f"{name!r} is ambiguous: it names {listed}; write the full name")
        return None

    def _hint(self, message: str, name: str) -> str:
        close = difflib.get_close_matches(_normal(name), list(self.declared), n=3, cutoff=0.6)
        extra = f"; declared in the sheet: {', '.join(close)}" if close else ""
        return f"{message}{extra} (name it as the graph does, or declare it under entities:)"


def _short(iri: URIRef) -> str:
    text = str(iri)
    return text[len(str(RKGD)) :] if text.startswith(str(RKGD)) else text
