"""Enrichment from a Wikidata-compatible SPARQL endpoint, into a named graph of its own.

For the graph's states, people and organisations the endpoint is asked for their items (matched
by a known ``schema:sameAs`` link, by ISO code for states, else by English label and type), their
ISO codes (P297), heads of state and government with their terms (P35 / P6 with P580 / P582
qualifiers) and memberships (P463). What comes back goes into ``rkgg:enrichment/<timestamp>``:

* **Only additive.** Curated facts are never changed: a value that differs from a curated one
  (another ISO code, another Wikidata item) is reported as a conflict and not written; a value the
  graph already has is skipped. New people and organisations get new IRIs, never a curated one.
* **Provenance.** The run is a ``prov:Activity`` (start and end time, the endpoint it used); each
  query sent is a sub-activity with its text (``schema:query``) and retrieval time. The answers
  form one ``rkg:SourceDocument`` whose "paragraphs" are the numbered queries, so every new fact
  cites ``prov:qualifiedDerivation [ prov:entity <that document> ; rkg:paragraph N ]`` exactly
  like a curated fact cites its article, and passes the same SHACL shapes.
* Wikidata dates are ``xsd:dateTime`` at midnight; they become ``xsd:date`` (Wikidata's precision
  is not in the simple values, so a year-precision start shows as 1 January).

With no network the run stops before writing anything, with a message naming the endpoint.
"""

from __future__ import annotations

import re
import urllib.error
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, TIME, XSD
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from regional_kg.errors import EnrichmentError
from regional_kg.namespaces import RKG, RKGC, RKGD, RKGG, SCHEMA, WD
from regional_kg.stores.base import Store

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = "regional-kg-enrich/0.1 (https://w3id.org/regional-kg; SPARQLWrapper)"

WD_PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: Wikidata classes an item must be an instance of (wdt:P31) to match a graph entity by label.
TYPES = {
    "state": ("Q6256", "Q3624078"),  # country, sovereign state
    "person": ("Q5",),  # human
    "organisation": (
        "Q43229",  # organization
        "Q484652",  # international organization
        "Q245065",  # intergovernmental organization
        "Q1335818",  # supranational union
        "Q4120211",  # regional organization
    ),
}
ROLES = {"P35": RKGC["role/head-of-state"], "P6": RKGC["role/head-of-government"]}
ROLE_WORDS = {"P35": "head of state", "P6": "head of government"}


@dataclass
class Entity:
    iri: URIRef
    kind: str  # state | person | organisation
    labels: set[str] = field(default_factory=set)
    qid: str | None = None  # curated schema:sameAs
    iso: str | None = None
    match: str | None = None  # how the item was found: sameAs | iso | label


@dataclass
class EnrichmentResult:
    """What a run found and wrote."""

    graph: URIRef
    dataset: Dataset
    endpoint: str
    matched: dict[URIRef, str] = field(default_factory=dict)  # entity → QID
    unmatched: list[URIRef] = field(default_factory=list)
    ambiguous: dict[URIRef, list[str]] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    queries: int = 0

    @property
    def triples(self) -> int:
        return len(self.dataset.graph(self.graph))

    def summary(self) -> str:
        parts = [
            f"{len(self.matched)} entities matched in {self.endpoint} "
            f"({len(self.unmatched)} not found, {len(self.ambiguous)} ambiguous)",
            f"{self.triples} triples into <{self.graph}> from {self.queries} queries",
        ]
        if self.added:
            parts.append(", ".join(f"{n} {what}" for what, n in sorted(self.added.items())))
        parts.append(f"{len(self.conflicts)} conflicts with curated facts (not written)")
        return "; ".join(parts)


class WikidataClient:
    """Sends queries (POST, JSON) and records each one for provenance."""

    def __init__(self, endpoint: str, timeout: float = 60.0) -> None:
        self.endpoint, self.timeout = endpoint, timeout
        self.log: list[tuple[str, datetime, datetime]] = []  # text, started, ended

    def select(self, query: str) -> list[dict[str, dict[str, str]]]:
        text = WD_PREFIXES + query
        wrapper = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        wrapper.setQuery(text)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(int(self.timeout))
        started = _now()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                data = wrapper.query().convert()
        except urllib.error.HTTPError as exc:
            raise EnrichmentError(
                f"{self.endpoint} answered HTTP {exc.code} {exc.reason}; nothing was written"
            ) from None
        except urllib.error.URLError as exc:
            raise EnrichmentError(
                f"cannot reach the SPARQL endpoint {self.endpoint} ({exc.reason}); enrichment "
                "needs network access to a Wikidata-compatible endpoint (--endpoint URL); "
                "nothing was written"
            ) from None
        except (TimeoutError, ConnectionError, OSError) as exc:
            raise EnrichmentError(f"{self.endpoint} failed: {exc}; nothing was written") from None
        except SPARQLWrapperException as exc:
            message = " ".join(str(exc).split())[:300]
            raise EnrichmentError(f"{self.endpoint} refused a query: {message}") from None
        if not isinstance(data, dict) or "results" not in data:
            raise EnrichmentError(f"{self.endpoint} did not answer with SPARQL JSON results")
        self.log.append((text, started, _now()))
        return data["results"]["bindings"]

    @property
    def paragraph(self) -> int:
        """The number of the last query sent (the "paragraph" its answers are cited by)."""
        return len(self.log)


# --- reading the graph ----------------------------------------------------------------------------

_ENTITIES = """
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?kind ?label ?same ?iso WHERE {
  VALUES (?class ?kind) {
    (rkg:State "state") (rkg:Person "person") (rkg:Organisation "organisation") }
  ?e a ?class .
  OPTIONAL { ?e skos:prefLabel|skos:altLabel|schema:name|rdfs:label ?label
             FILTER(lang(?label) = "en" || lang(?label) = "") }
  OPTIONAL { ?e schema:sameAs ?same
             FILTER(STRSTARTS(STR(?same), "http://www.wikidata.org/entity/Q")) }
  OPTIONAL { ?e rkg:isoCode ?iso }
}"""


def graph_entities(store: Store) -> dict[URIRef, Entity]:
    entities: dict[URIRef, Entity] = {}
    for row in store.select(_ENTITIES):
        iri = row["e"]
        if not isinstance(iri, URIRef):
            continue
        entity = entities.setdefault(iri, Entity(iri, str(row["kind"])))
        if row.get("label") is not None:
            entity.labels.add(str(row["label"]))
        if row.get("same") is not None:
            entity.qid = _qid(row["same"])
        if row.get("iso") is not None:
            entity.iso = str(row["iso"])
    return entities


# --- the run --------------------------------------------------------------------------------------


def enrich(
    store: Store,
    endpoint: str = DEFAULT_ENDPOINT,
    *,
    timeout: float = 60.0,
    write: bool = True,
    now: datetime | None = None,
) -> EnrichmentResult:
    """Look the graph's entities up in ``endpoint``; write the findings into a new named graph."""
    started = now or _now()
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    graph_iri = RKGG[f"enrichment/{stamp}"]
    doc = RKGD[f"doc/enrichment-{stamp}"]
    run = RKGD[f"activity/enrichment-{stamp}"]
    dataset = Dataset()
    g = dataset.graph(graph_iri)
    result = EnrichmentResult(graph_iri, dataset, endpoint)
    client = WikidataClient(endpoint, timeout)
    entities = graph_entities(store)
    taken = {str(e.iri) for e in entities.values()}

    # 1. find each entity's item
    for entity in entities.values():
        if entity.qid:
            entity.match = "sameAs"
    _match_states_by_iso(client, entities)
    _match_by_label(client, entities, result)
    by_qid: dict[str, URIRef] = {}
    for entity in entities.values():
        if entity.qid:
            result.matched[entity.iri] = entity.qid
            by_qid.setdefault(entity.qid, entity.iri)
        elif entity.iri not in result.ambiguous:
            result.unmatched.append(entity.iri)

    def cite(node: URIRef, paragraph: int) -> None:
        derivation = BNode()
        g.add((node, PROV.qualifiedDerivation, derivation))
        g.add((derivation, RDF.type, PROV.Derivation))
        g.add((derivation, PROV.entity, doc))
        g.add((derivation, RKG.paragraph, Literal(paragraph, datatype=XSD.integer)))

    # sameAs links found by ISO code or label (curated links are already there)
    for entity in entities.values():
        if entity.qid and entity.match in ("iso", "label"):
            g.add((entity.iri, SCHEMA.sameAs, WD[entity.qid]))
            result.added["sameAs links"] += 1

    states = {e.qid: e for e in entities.values() if e.kind == "state" and e.qid}
    if states:
        values = " ".join(f"wd:{q}" for q in sorted(states))
        # 2. ISO codes
        rows = client.select(
            f"SELECT ?item ?iso WHERE {{ VALUES ?item {{ {values} }} ?item wdt:P297 ?iso }}"
        )
        for row in rows:
            state = states.get(_qid(row["item"]["value"]))
            iso = row["iso"]["value"]
            if state is None:
                continue
            if state.iso is None:
                g.add((state.iri, RKG.isoCode, Literal(iso)))
                result.added["ISO codes"] += 1
                state.iso = iso
            elif state.iso != iso:
                result.conflicts.append(
                    f"{state.iri}: the graph has ISO code {state.iso!r}, "
                    f"{endpoint} says {iso!r} (wd:{state.qid})"
                )

        # 3. heads of state and government
        rows = client.select(
            "SELECT ?item ?prop ?holder ?holderLabel ?start ?end WHERE {\n"
            f"  VALUES ?item {{ {values} }}\n"
            '  { ?item p:P35 ?st . ?st ps:P35 ?holder . BIND("P35" AS ?prop) }\n'
            '  UNION { ?item p:P6 ?st . ?st ps:P6 ?holder . BIND("P6" AS ?prop) }\n'
            "  OPTIONAL { ?st pq:P580 ?start } OPTIONAL { ?st pq:P582 ?end }\n"
            '  OPTIONAL { ?holder rdfs:label ?holderLabel FILTER(lang(?holderLabel) = "en") }\n'
            "}"
        )
        paragraph = client.paragraph
        for row, state, holder_qid, label, start, end in _dated(rows, states, "holder"):
            person = _node_for(
                holder_qid, label, "person", RKG.Person, by_qid, taken, g, result, cite, paragraph
            )
            prop = row["prop"]["value"]
            term = RKGD[f"term/wikidata-{holder_qid}-{state.qid}-{prop}-{start or 'undated'}"]
            state_name = _english(entities[state.iri].labels) or state.qid
            g.add((term, RDF.type, RKG.TermOfOffice))
            g.add(
                (
                    term,
                    SKOS.prefLabel,
                    Literal(
                        f"{label or holder_qid}, {ROLE_WORDS[prop]} of {state_name} (Wikidata)",
                        lang="en",
                    ),
                )
            )
            g.add((term, ORG.member, person))
            g.add((term, ORG.organization, state.iri))
            g.add((term, ORG.role, ROLES[prop]))
            _interval(g, term, start, end)
            cite(term, paragraph)
            result.added["terms of office"] += 1

        # 4. memberships
        rows = client.select(
            "SELECT ?item ?org ?orgLabel ?start ?end WHERE {\n"
            f"  VALUES ?item {{ {values} }}\n"
            "  ?item p:P463 ?st . ?st ps:P463 ?org .\n"
            "  OPTIONAL { ?st pq:P580 ?start } OPTIONAL { ?st pq:P582 ?end }\n"
            '  OPTIONAL { ?org rdfs:label ?orgLabel FILTER(lang(?orgLabel) = "en") }\n'
            "}"
        )
        paragraph = client.paragraph
        for _row, state, org_qid, label, start, end in _dated(rows, states, "org"):
            organisation = _node_for(
                org_qid, label, "org", RKG.Organisation, by_qid, taken, g, result, cite, paragraph
            )
            node = RKGD[f"membership/wikidata-{state.qid}-{org_qid}-{start or 'undated'}"]
            g.add((node, RDF.type, RKG.Membership))
            g.add((node, ORG.member, state.iri))
            g.add((node, ORG.organization, organisation))
            g.add((node, ORG.role, RKGC["role/member"]))
            _interval(g, node, start, end)
            cite(node, paragraph)
            result.added["memberships"] += 1

    # 5. provenance of the run
    ended = _now()
    result.queries = len(client.log)
    g.add((graph_iri, PROV.wasGeneratedBy, run))
    g.add((graph_iri, PROV.wasDerivedFrom, doc))
    g.add((graph_iri, RDFS.label, Literal(f"Wikidata enrichment of {stamp}", lang="en")))
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDFS.label, Literal(f"Enrichment run {stamp} against {endpoint}", lang="en")))
    g.add((run, PROV.used, URIRef(endpoint)))
    g.add((run, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    g.add((run, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)))
    g.add((doc, RDF.type, RKG.SourceDocument))
    g.add((doc, RDF.type, PROV.Entity))
    g.add((doc, SCHEMA.name, Literal(f"Answers of {endpoint} to the enrichment run {stamp}")))
    g.add((doc, SKOS.prefLabel, Literal(f"Wikidata answers, run {stamp}", lang="en")))
    g.add((doc, SCHEMA.url, URIRef(endpoint)))
    g.add((doc, PROV.wasGeneratedBy, run))
    g.add((doc, RKG.paragraphCount, Literal(max(1, len(client.log)), datatype=XSD.integer)))
    for number, (text, q_started, q_ended) in enumerate(client.log, start=1):
        step = RKGD[f"activity/enrichment-{stamp}/query-{number}"]
        g.add((step, RDF.type, PROV.Activity))
        g.add((step, RDF.type, SCHEMA.SearchAction))
        g.add((step, DCTERMS.isPartOf, run))
        g.add((step, PROV.used, URIRef(endpoint)))
        g.add((step, SCHEMA.query, Literal(text)))
        g.add((step, RKG.paragraph, Literal(number, datatype=XSD.integer)))
        g.add((step, PROV.startedAtTime, Literal(q_started.isoformat(), datatype=XSD.dateTime)))
        g.add((step, PROV.endedAtTime, Literal(q_ended.isoformat(), datatype=XSD.dateTime)))

    if write:
        store.load(dataset)
    return result


def _match_states_by_iso(client: WikidataClient, entities: dict[URIRef, Entity]) -> None:
    wanted = {e.iso: e for e in entities.values() if e.kind == "state" and not e.qid and e.iso}
    if not wanted:
        return
    values = " ".join(_string(code) for code in sorted(wanted))
    rows = client.select(
        f"SELECT ?item ?iso WHERE {{ VALUES ?iso {{ {values} }} ?item wdt:P297 ?iso }}"
    )
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        found[row["iso"]["value"]].add(_qid(row["item"]["value"]))
    for code, qids in found.items():
        if len(qids) == 1 and code in wanted:
            wanted[code].qid, wanted[code].match = next(iter(qids)), "iso"


def _match_by_label(
    client: WikidataClient, entities: dict[URIRef, Entity], result: EnrichmentResult
) -> None:
    pending = [e for e in entities.values() if not e.qid and e.labels]
    if not pending:
        return
    rows_values = []
    for entity in pending:
        for label in sorted(entity.labels):
            rows_values.append(f'({_string(label, "en")} "{entity.kind}")')
    types = " ".join(f'("{kind}" wd:{q})' for kind, qids in TYPES.items() for q in qids)
    rows = client.select(
        "SELECT DISTINCT ?label ?kind ?item WHERE {\n"
        f"  VALUES (?label ?kind) {{ {' '.join(rows_values)} }}\n"
        f"  VALUES (?kind ?type) {{ {types} }}\n"
        "  { ?item rdfs:label ?label } UNION { ?item skos:altLabel ?label }\n"
        "  ?item wdt:P31 ?type .\n"
        "}"
    )
    hits: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        hits[(row["label"]["value"], row["kind"]["value"])].add(_qid(row["item"]["value"]))
    for entity in pending:
        qids = set().union(*(hits.get((label, entity.kind), set()) for label in entity.labels))
        if len(qids) == 1:
            entity.qid, entity.match = next(iter(qids)), "label"
        elif len(qids) > 1:
            result.ambiguous[entity.iri] = sorted(qids)


def _node_for(
    qid: str,
    label: str | None,
    folder: str,
    cls: URIRef,
    by_qid: dict[str, URIRef],
    taken: set[str],
    g,
    result: EnrichmentResult,
    cite,
    paragraph: int,
) -> URIRef:
    """The graph's node for item ``qid``, or a new one (``rkgd:<folder>/<slug>``) described."""
    if qid in by_qid:
        return by_qid[qid]
    slug = re.sub(r"[^a-z0-9]+", "-", (label or "").lower()).strip("-")
    iri = RKGD[f"{folder}/{slug}"] if slug else RKGD[f"{folder}/wikidata-{qid}"]
    if str(iri) in taken:
        iri = RKGD[f"{folder}/{slug}-wikidata-{qid}"]
    taken.add(str(iri))
    by_qid[qid] = iri
    name = label or qid
    g.add((iri, RDF.type, cls))
    g.add((iri, SKOS.prefLabel, Literal(name, lang="en")))
    if cls == RKG.Person:
        g.add((iri, SCHEMA.name, Literal(name)))
    g.add((iri, SCHEMA.sameAs, WD[qid]))
    cite(iri, paragraph)
    result.added["people" if cls == RKG.Person else "organisations"] += 1
    return iri


def _interval(g, node: URIRef, start: str | None, end: str | None) -> None:
    interval = URIRef(f"{node}/interval")
    g.add((node, ORG.memberDuring, interval))
    g.add((interval, RDF.type, TIME.Interval))
    for prop, value, suffix in ((TIME.hasBeginning, start, "start"), (TIME.hasEnd, end, "end")):
        if value:
            instant = URIRef(f"{node}/{suffix}")
            g.add((interval, prop, instant))
            g.add((instant, RDF.type, TIME.Instant))
            g.add((instant, TIME.inXSDDate, Literal(value, datatype=XSD.date)))


def _dated(
    rows: Iterable[dict], states: dict[str, Entity], column: str
) -> Iterator[tuple[dict, Entity, str, str | None, str | None, str | None]]:
    """The rows of a statement query about one of ``states`` that carry a start or an end.

    Yields ``(row, state, qid of column, its English label, start, end)``; a term of office or a
    membership needs a time in this model, so an undated statement is skipped.
    """
    for row in rows:
        state = states.get(_qid(row["item"]["value"]))
        if state is None:
            continue
        start, end = _date(row.get("start")), _date(row.get("end"))
        if start is None and end is None:
            continue
        label = row.get(f"{column}Label", {}).get("value")
        yield row, state, _qid(row[column]["value"]), label, start, end


def _qid(value: object) -> str:
    return str(value).rsplit("/", 1)[-1]


def _date(value: dict | None) -> str | None:
    if not value:
        return None
    match = re.match(r"(-?\d{4,}-\d\d-\d\d)", value.get("value", ""))
    return match.group(1) if match else None


def _string(text: str, lang: str | None = None) -> str:
    escaped = Literal(text).n3()
    return f"{escaped}@{lang}" if lang else escaped


def _english(labels: Iterable[str]) -> str | None:
    return min(labels, key=lambda s: (len(s), s)) if labels else None


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


__all__ = ["DEFAULT_ENDPOINT", "EnrichmentError", "EnrichmentResult", "enrich"]
