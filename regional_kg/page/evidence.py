"""What a tooltip says about the fact behind an edge, read from the store.

Every fact node carries a qualified derivation (document + paragraph, docs/model.md); the page
shows it so that a reader can check each line in the source. Three small queries (names, asserted
types, derivations) instead of one wide join, which would multiply rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, cast

from rdflib import Literal, URIRef

from regional_kg.namespaces import sparql_prologue
from regional_kg.page.render import FactInfo
from regional_kg.stores.base import Store

CHUNK = 200

_NAMES = """
SELECT ?fact ?name WHERE {
  VALUES ?fact { %s }
  ?fact schema:name|skos:prefLabel|rdfs:label ?name .
}"""

_TYPES = """
SELECT ?fact ?typeLabel ?date WHERE {
  VALUES ?fact { %s }
  OPTIONAL { GRAPH ?g { ?fact a ?type } FILTER(?g != rkgg:inferred)
             ?type rdfs:label ?typeLabel . FILTER(LANG(?typeLabel) IN ("en", "")) }
  OPTIONAL { ?fact schema:startDate|rkg:signedOn|rkg:refPeriod|rkg:attestedOn ?date }
}"""

_SOURCES = """
SELECT ?fact ?docName ?doc ?paragraph ?paraphrase WHERE {
  VALUES ?fact { %s }
  ?fact prov:qualifiedDerivation ?d .
  ?d prov:entity ?doc .
  OPTIONAL { ?doc schema:name ?docName }
  OPTIONAL { ?d rkg:paragraph ?paragraph }
  OPTIONAL { ?d rkg:paraphrase ?paraphrase }
}"""


def _english_first(values: list[Literal | URIRef]) -> str | None:
    """One text for a list of labels: English, then untagged, then anything (sorted: stable)."""
    if not values:
        return None

    def rank(v: object) -> tuple[int, str]:
        lang = getattr(v, "language", None)
        return (0 if lang == "en" else 1 if not lang else 2, str(v))

    return str(sorted(values, key=rank)[0])


def _checked_iris(facts: Iterable[str]) -> list[URIRef]:
    """The distinct fact IRIs, sorted; what is not an IRI is left out."""
    iris: list[URIRef] = []
    for fact in sorted({str(f) for f in facts if f}):
        try:
            URIRef(fact).n3()  # rdflib refuses IRIs that would break out of <...>
        except Exception:  # noqa: BLE001 - not an IRI: no evidence to look up
            continue
        iris.append(URIRef(fact))
    return iris


class _Found:
    """What the three queries found, per fact IRI, until it is folded into one FactInfo."""

    def __init__(self) -> None:
        self.names: dict[str, list] = defaultdict(list)
        self.types: dict[str, list] = defaultdict(list)
        self.dates: dict[str, list] = defaultdict(list)
        self.docs: dict[str, list] = defaultdict(list)
        self.paragraphs: dict[str, set[int]] = defaultdict(set)
        self.paraphrases: dict[str, list] = defaultdict(list)

    def add_names(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.names[str(row["fact"])].append(row["name"])

    def add_types(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            key = str(row["fact"])
            if row.get("typeLabel") is not None:
                self.types[key].append(row["typeLabel"])
            if row.get("date") is not None:
                self.dates[key].append(row["date"])

    def add_sources(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            key = str(row["fact"])
            self.docs[key].append(row.get("docName") or row["doc"])
            if row.get("paragraph") is not None:
                try:
                    self.paragraphs[key].add(int(cast(Any, row["paragraph"])))
                except (TypeError, ValueError):
                    pass
            if row.get("paraphrase") is not None:
                self.paraphrases[key].append(row["paraphrase"])

    def info(self, key: str) -> FactInfo | None:
        """The tooltip's facts about ``key``; None when no query found a name, type or source."""
        if not (self.names[key] or self.types[key] or self.docs[key]):
            return None
        return FactInfo(
            label=_english_first(self.names[key]),
            type=", ".join(sorted({str(t) for t in self.types[key]})) or None,
            date=min((str(d) for d in self.dates[key]), default=None),
            paraphrase=_english_first(self.paraphrases[key]),
            document=_english_first(self.docs[key]),
            paragraphs=tuple(sorted(self.paragraphs[key])),
        )


def fact_evidence(store: Store, facts: Iterable[str]) -> dict[str, FactInfo]:
    """FactInfo for each fact IRI the store knows (others are left out; bad IRIs are skipped)."""
    iris = _checked_iris(facts)
    found = _Found()
    prologue = sparql_prologue()
    for start in range(0, len(iris), CHUNK):
        values = " ".join(i.n3() for i in iris[start : start + CHUNK])
        found.add_names(store.select(prologue + _NAMES % values))
        found.add_types(store.select(prologue + _TYPES % values))
        found.add_sources(store.select(prologue + _SOURCES % values))
    out: dict[str, FactInfo] = {}
    for iri in iris:
        info = found.info(str(iri))
        if info is not None:
            out[str(iri)] = info
    return out
