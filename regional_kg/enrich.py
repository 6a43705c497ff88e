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
    run = _Run(store, endpoint, timeout, now or _now())
    run.match()  # 1. find each entity's item
    run.link_same_as()
    if run.states:
        run.iso_codes()  # 2.
        run.heads()  # 3.
        run.memberships()  # 4.
    run.provenance()  # 5.
    if write:
        store.load(run.dataset)
    return run.result


#: the two statements a term of office comes from: head of state (P35), of government (P6)
_HEAD_STATEMENTS = (
    '  { ?item p:P35 ?st . ?st ps:P35 ?holder . BIND("P35" AS ?prop) }\n'
    '  UNION { ?item p:P6 ?st . ?st ps:P6 ?holder . BIND("P6" AS ?prop) }\n'
)
_MEMBER_STATEMENTS = "  ?item p:P463 ?st . ?st ps:P463 ?org .\n"


def _statement_query(values: str, column: str, statements: str, extra: str = "") -> str:
    """Statements about the states ``values`` whose value is ``?column``, with their start and
    end qualifiers and the value's English label (``?columnLabel``)."""
    return (
        f"SELECT ?item {extra}?{column} ?{column}Label ?start ?end WHERE {{\n"
        f"  VALUES ?item {{ {values} }}\n"
        f"{statements}"
        "  OPTIONAL { ?st pq:P580 ?start } OPTIONAL { ?st pq:P582 ?end }\n"
        f"  OPTIONAL {{ ?{column} rdfs:label ?{column}Label "
        f'FILTER(lang(?{column}Label) = "en") }}\n'
        "}"
    )


@dataclass
class _Statement:
    """A dated statement about a state: its row, the value's item and node, its time."""

    row: dict
    state: Entity
    qid: str
    label: str | None
    node: URIRef
    start: str | None
    end: str | None
    paragraph: int  # the query it came from


class _Run:
    """One enrichment run: the entities, the client, and the graph being written."""

    def __init__(self, store: Store, endpoint: str, timeout: float, started: datetime) -> None:
        self.endpoint, self.started = endpoint, started
        self.stamp = started.strftime("%Y%m%dT%H%M%SZ")
        graph_iri = RKGG[f"enrichment/{self.stamp}"]
        self.doc = RKGD[f"doc/enrichment-{self.stamp}"]
        self.activity = RKGD[f"activity/enrichment-{self.stamp}"]
        self.dataset = Dataset()
        self.g = self.dataset.graph(graph_iri)
        self.result = EnrichmentResult(graph_iri, self.dataset, endpoint)
        self.client = WikidataClient(endpoint, timeout)
        self.entities = graph_entities(store)
        self.taken = {str(e.iri) for e in self.entities.values()}
        self.by_qid: dict[str, URIRef] = {}
        self.states: dict[str, Entity] = {}
        self.values = ""

    def match(self) -> None:
        """Each entity's item: curated sameAs, then ISO code (states), then label."""
        for entity in self.entities.values():
            if entity.qid:
                entity.match = "sameAs"
        _match_states_by_iso(self.client, self.entities)
        _match_by_label(self.client, self.entities, self.result)
        for entity in self.entities.values():
            if entity.qid:
                self.result.matched[entity.iri] = entity.qid
                self.by_qid.setdefault(entity.qid, entity.iri)
            elif entity.iri not in self.result.ambiguous:
                self.result.unmatched.append(entity.iri)
        self.states = {e.qid: e for e in self.entities.values() if e.kind == "state" and e.qid}
        self.values = " ".join(f"wd:{q}" for q in sorted(self.states))

    def cite(self, node: URIRef, paragraph: int) -> None:
        derivation = BNode()
        self.g.add((node, PROV.qualifiedDerivation, derivation))
        self.g.add((derivation, RDF.type, PROV.Derivation))
        self.g.add((derivation, PROV.entity, self.doc))
        self.g.add((derivation, RKG.paragraph, Literal(paragraph, datatype=XSD.integer)))

    def link_same_as(self) -> None:
        """sameAs links found by ISO code or label (curated links are already there)."""
        for entity in self.entities.values():
            if entity.qid and entity.match in ("iso", "label"):
                self.g.add((entity.iri, SCHEMA.sameAs, WD[entity.qid]))
                self.result.added["sameAs links"] += 1

    def iso_codes(self) -> None:
        """ISO codes the graph lacks; a different one is a conflict, reported not written."""
        rows = self.client.select(
            f"SELECT ?item ?iso WHERE {{ VALUES ?item {{ {self.values} }} ?item wdt:P297 ?iso }}"
        )
        for row in rows:
            state = self.states.get(_qid(row["item"]["value"]))
            iso = row["iso"]["value"]
            if state is None:
                continue
            if state.iso is None:
                self.g.add((state.iri, RKG.isoCode, Literal(iso)))
                self.result.added["ISO codes"] += 1
                state.iso = iso
            elif state.iso != iso:
                self.result.conflicts.append(
                    f"{state.iri}: the graph has ISO code {state.iso!r}, "
                    f"{self.endpoint} says {iso!r} (wd:{state.qid})"
                )

    def statements(
        self, column: str, statements: str, folder: str, cls: URIRef, extra: str = ""
    ) -> Iterator[_Statement]:
        """The dated statements of one query, each value's item as a node of the graph."""
        rows = self.client.select(_statement_query(self.values, column, statements, extra))
        paragraph = self.client.paragraph
        for row, state, qid, label, start, end in _dated(rows, self.states, column):
            node = _node_for(
                qid, label, folder, cls, self.by_qid, self.taken, self.g, self.result,
                self.cite, paragraph,
            )  # fmt: skip
            yield _Statement(row, state, qid, label, node, start, end, paragraph)

    def heads(self) -> None:
        """Heads of state and government, as terms of office."""
        for st in self.statements("holder", _HEAD_STATEMENTS, "person", RKG.Person, "?prop "):
            prop = st.row["prop"]["value"]
            term = RKGD[f"term/wikidata-{st.qid}-{st.state.qid}-{prop}-{st.start or 'undated'}"]
            state_name = _english(self.entities[st.state.iri].labels) or st.state.qid
            name = f"{st.label or st.qid}, {ROLE_WORDS[prop]} of {state_name} (Wikidata)"
            self.g.add((term, SKOS.prefLabel, Literal(name, lang="en")))
            self.dated_fact(term, RKG.TermOfOffice, st.node, st.state.iri, ROLES[prop], st)
            self.result.added["terms of office"] += 1

    def memberships(self) -> None:
        for st in self.statements("org", _MEMBER_STATEMENTS, "org", RKG.Organisation):
            node = RKGD[f"membership/wikidata-{st.state.qid}-{st.qid}-{st.start or 'undated'}"]
            self.dated_fact(node, RKG.Membership, st.state.iri, st.node, RKGC["role/member"], st)
            self.result.added["memberships"] += 1

    def dated_fact(
        self,
        node: URIRef,
        cls: URIRef,
        member: URIRef,
        organisation: URIRef,
        role: URIRef,
        st: _Statement,
    ) -> None:
        """A term of office or a membership: who, in what, as what, when, cited."""
        self.g.add((node, RDF.type, cls))
        self.g.add((node, ORG.member, member))
        self.g.add((node, ORG.organization, organisation))
        self.g.add((node, ORG.role, role))
        _interval(self.g, node, st.start, st.end)
        self.cite(node, st.paragraph)

    def provenance(self) -> None:
        """The run, its answers as a source document, and each query as a step citing it."""
        g, run, doc, stamp, endpoint = self.g, self.activity, self.doc, self.stamp, self.endpoint
        graph_iri = self.result.graph
        ended = _now()
        self.result.queries = len(self.client.log)
        g.add((graph_iri, PROV.wasGeneratedBy, run))
        g.add((graph_iri, PROV.wasDerivedFrom, doc))
        g.add((graph_iri, RDFS.label, Literal(f"Wikidata enrichment of {stamp}", lang="en")))
        g.add((run, RDF.type, PROV.Activity))
        g.add((run, RDFS.label, Literal(f"Enrichment run {stamp} against {endpoint}", lang="en")))
        g.add((run, PROV.used, URIRef(endpoint)))
        _times(g, run, self.started, ended)
        g.add((doc, RDF.type, RKG.SourceDocument))
        g.add((doc, RDF.type, PROV.Entity))
        g.add((doc, SCHEMA.name, Literal(f"Answers of {endpoint} to the enrichment run {stamp}")))
        g.add((doc, SKOS.prefLabel, Literal(f"Wikidata answers, run {stamp}", lang="en")))
        g.add((doc, SCHEMA.url, URIRef(endpoint)))
        g.add((doc, PROV.wasGeneratedBy, run))
        count = Literal(max(1, len(self.client.log)), datatype=XSD.integer)
        g.add((doc, RKG.paragraphCount, count))
        for number, (text, q_started, q_ended) in enumerate(self.client.log, start=1):
            step = RKGD[f"activity/enrichment-{stamp}/query-{number}"]
            g.add((step, RDF.type, PROV.Activity))
            g.add((step, RDF.type, SCHEMA.SearchAction))
            g.add((step, DCTERMS.isPartOf, run))
            g.add((step, PROV.used, URIRef(endpoint)))
            g.add((step, SCHEMA.query, Literal(text)))
            g.add((step, RKG.paragraph, Literal(number, datatype=XSD.integer)))
            _times(g, step, q_started, q_ended)


def _times(g, node: URIRef, started: datetime, ended: datetime) -> None:
    g.add((node, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    g.add((node, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)))


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
