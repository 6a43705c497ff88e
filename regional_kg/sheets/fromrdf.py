"""Write the sheet of a document already in the graph (``rkg sheet from-rdf DOC``).

Why: curated TriG files predate sheets, and a curator who wants to correct or extend one should
be able to do it in the sheet form; the round trip (TriG → sheet → TriG gives the same graph,
tests/test_sheets_roundtrip.py) is also the strongest test of the compiler.

Every fact gets an explicit ``id:`` (its IRI path), so IRIs survive even where the curated slug
differs from the one the compiler would derive; entities named in the document's own graph are
declared under ``entities:`` (with their IRIs) so the sheet compiles to them and to their
derivations. Names are written as their English label when that resolves back to the same IRI,
else as ``rkgd:`` paths. Nodes of kinds a sheet has no form for (tallies, data sets, projects)
are listed in a comment and left to the TriG.
"""

from __future__ import annotations

import yaml
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, QB, RDF, RDFS, SKOS, TIME, XSD
from rdflib.term import IdentifiedNode, Node

from regional_kg.errors import UserError
from regional_kg.namespaces import RKG, RKGC, RKGD, SCHEMA
from regional_kg.sheets.resolve import Resolver, Unresolved, lookup_store

DCTERMS_CITATION = URIRef("http://purl.org/dc/terms/bibliographicCitation")

_FACT_CLASSES = {
    RKG.Visit: "visit",
    RKG.Meeting: "meeting",
    RKG.Agreement: "agreement",
    RKG.AgreementGroup: "agreement",
    RKG.TermOfOffice: "term",
    RKG.Chairmanship: "chairmanship",
    RKG.Membership: "membership",
    RKG.Decision: "decision",
    RKG.Initiative: "initiative",
    RKG.TradeObservation: "trade",
    RKG.TradeChangeObservation: "trade",
    RKG.TradeTarget: "target",
    RKG.CulturalYear: "cultural-year",
    RKG.Election: "election",
}
_ENTITY_CLASSES = {
    RKG.State: "state",
    RKG.Person: "person",
    RKG.Place: "place",
    RKG.IntergovernmentalOrganisation: "intergovernmental-organisation",
    RKG.GovernmentBody: "government-body",
    RKG.Forum: "forum",
    RKG.WorkingGroup: "working-group",
    RKG.BusinessCouncil: "business-council",
    RKG.Organisation: "organisation",
}
_STATUS: dict[Node, str] = {
    SCHEMA.EventScheduled: "scheduled",
    SCHEMA.EventCancelled: "cancelled",
    SCHEMA.EventPostponed: "postponed",
    SCHEMA.EventRescheduled: "rescheduled",
    SCHEMA.EventMovedOnline: "moved-online",
}


def _local(iri: object) -> str:
    text = str(iri)
    return text[len(str(RKGD)) :] if text.startswith(str(RKGD)) else text


def _word(iri: object) -> str:
    """A concept's last word (``rkgc:visit-type/state`` → ``state``)."""
    return str(iri).rsplit("/", 1)[-1]


def _value(term: object) -> object:
    if isinstance(term, Literal):
        if term.datatype in (XSD.date, XSD.gYear, XSD.gYearMonth, XSD.anyURI, None, XSD.string):
            return str(term)
        if term.datatype == XSD.boolean:
            return bool(term.toPython())
        if term.datatype == XSD.integer:
            return int(term)
        return str(term)
    return str(term)


class SheetWriter:
    """Reads one document's graph and writes the sheet's Python structure."""

    def __init__(self, dataset: Dataset, doc: URIRef) -> None:
        self.ds, self.doc = dataset, doc
        self.labels = Graph()  # every graph: how things are named
        own = Graph()  # the document's own graph(s): what it states
        owners = {g for _, _, _, g in dataset.quads((None, PROV.wasDerivedFrom, doc, None))}
        for s, p, o, g in dataset.quads((None, None, None, None)):
            self.labels.add((s, p, o))
            if g in owners:
                own.add((s, p, o))
        self.union = own if len(own) else self.labels
        self.resolver = Resolver(lookup_store())
        self.left_out: list[str] = []
        self.declared: dict[Node, str] = {}

    # --- helpers ---------------------------------------------------------------------------

    def one(self, node: Node, prop: URIRef) -> Node | None:
        return self.union.value(node, prop)

    def all(self, node: Node, prop: URIRef) -> list[Node]:
        return sorted(self.union.objects(node, prop), key=str)

    def name(self, iri: object, type_: str = "any") -> str:
        """How the sheet names ``iri``: a label that resolves back to it, else ``rkgd:`` path."""
        iri = URIRef(str(iri))
        if iri in self.declared:  # an entity the sheet declares: its own name
            return self.declared[iri]
        if str(iri).startswith(str(RKGD) + "state/"):
            code = str(iri).rsplit("/", 1)[-1]
            if self._resolves(code, iri, type_):
                return code
        for label in self._labels(iri):
            if self._resolves(label, iri, type_):
                return label
        return f"rkgd:{_local(iri)}"

    def _labels(self, iri: URIRef) -> list[str]:
        labels = [
            str(o)
            for p in (SKOS.prefLabel, SCHEMA.name, RDFS.label, SKOS.altLabel)
            for o in sorted(self.labels.objects(iri, p), key=str)
            if not isinstance(o, Literal) or o.language in (None, "en")
        ]
        return list(dict.fromkeys(labels))

    def _resolves(self, label: str, iri: URIRef, type_: str) -> bool:
        try:
            return self.resolver.resolve(label, type_) == iri
        except Unresolved:
            return False

    def names(self, node: Node, prop: URIRef, type_: str = "any") -> list[str]:
        return [self.name(o, type_) for o in self.all(node, prop)]

    def cites(self, node: Node) -> tuple[list[int], dict[int, str]]:
        numbers, texts = [], {}
        for derivation in self.union.objects(node, PROV.qualifiedDerivation):
            if self.one(derivation, PROV.entity) != self.doc:
                continue
            number = self.one(derivation, RKG.paragraph)
            if number is None:
                continue
            numbers.append(int(str(number)))
            text = self.one(derivation, RKG.paraphrase)
            if text is not None:
                texts[int(str(number))] = str(text)
        return sorted(set(numbers)), texts

    def cite(self, node: Node, out: dict) -> dict:
        numbers, texts = self.cites(node)
        if numbers:
            out["paragraphs"] = numbers
        if texts:
            out["paraphrase"] = dict(sorted(texts.items()))
        return out

    def put(self, out: dict, key: str, value: object) -> None:
        if value is None or value == [] or value == "":
            return
        out[key] = value

    def common(self, node: Node, out: dict) -> None:
        label = self.one(node, SKOS.prefLabel)
        self.put(out, "label", label and str(label))
        note = self.one(node, SKOS.note)
        self.put(out, "note", note and str(note))
        self.put(out, "topics", [_word(t) for t in self.all(node, RKG.topic)])

    def date(self, node: Node, prop: URIRef) -> object:
        value = self.one(node, prop)
        return None if value is None else str(value)

    # --- the sheet -------------------------------------------------------------------------

    def sheet(self) -> dict:
        cited = self.cited_nodes()
        facts, entities = [], {}
        participations = {p for m in cited for p in self.union.objects(m, RKG.participation)} | {
            r for m in cited for r in self.union.objects(m, RKG.result)
        }
        for node in cited:
            if not isinstance(node, BNode) and self.kind_of(node) is None:
                if self.entity_type(node) is not None:
                    self.declared[node] = self.entity_name(node)
        for node in sorted(cited, key=str):
            if node in participations or isinstance(node, BNode):
                continue
            kind = self.kind_of(node)
            if kind is not None:
                facts.append((kind, node))
                continue
            entity = self.entity_type(node)
            if entity is not None:
                name, spec = self.entity(node, entity)
                entities[name] = spec
                continue
            self.left_out.append(_local(node))
        order = {k: i for i, k in enumerate(_ORDER)}
        facts.sort(key=lambda f: (order[f[0]], self._sort_date(f[1]), str(f[1])))
        out: dict = {"document": self.document()}
        if entities:
            out["entities"] = entities
        out["facts"] = [getattr(self, "fact_" + k.replace("-", "_"))(n) for k, n in facts]
        return out

    def _sort_date(self, node: Node) -> str:
        for prop in (SCHEMA.startDate, RKG.signedOn, RKG.refPeriod, RKG.attestedOn):
            value = self.one(node, prop)
            if value is not None:
                return str(value)
        return ""

    def cited_nodes(self) -> set[Node]:
        return {
            s
            for s, derivation in self.union.subject_objects(PROV.qualifiedDerivation)
            if self.one(derivation, PROV.entity) == self.doc
        }

    def kind_of(self, node: Node) -> str | None:
        types = set(self.union.objects(node, RDF.type))
        for cls in (RKG.AgreementGroup, RKG.Chairmanship, RKG.CulturalYear, *_FACT_CLASSES):
            if cls in types:
                return _FACT_CLASSES[cls]
        return None

    def entity_type(self, node: Node) -> str | None:
        types = set(self.union.objects(node, RDF.type))
        for cls, name in _ENTITY_CLASSES.items():
            if cls in types:
                if name == "organisation" and (None, SCHEMA.publisher, node) in self.union:
                    return "publisher"
                return name
        return None

    def entity_name(self, node: Node) -> str:
        english = [
            o
            for p in (SKOS.prefLabel, RDFS.label, SCHEMA.name)
            for o in self.all(node, p)
            if isinstance(o, Literal) and o.language in (None, "en")
        ]
        return str(english[0]) if english else _local(node)

    def entity(self, node: Node, type_: str) -> tuple[str, dict]:
        name = self.declared[node]
        spec: dict = {"type": type_, "id": _local(node)}
        also = [str(a) for a in self.all(node, SKOS.altLabel)]
        self.put(spec, "also", also)
        if type_ == "state" and self.one(node, RKG.isoCode) is not None:
            spec["code"] = str(self.one(node, RKG.isoCode))
        inside = self.one(node, SCHEMA.containedInPlace) or self.one(node, RKG.basedIn)
        if inside is not None:
            spec["in"] = self.name(inside, "state")
        nationality = self.one(node, SCHEMA.nationality)
        if nationality is not None:
            spec["nationality"] = self.name(nationality, "state")
        note = self.one(node, SKOS.note)
        self.put(spec, "note", note and str(note))
        stage = self.one(node, RKG.status)
        self.put(spec, "stage", stage and _word(stage))
        self.put(spec, "topics", [_word(t) for t in self.all(node, RKG.topic)])
        self.cite(node, spec)
        return name, spec

    def document(self) -> dict:
        doc = self.doc
        out: dict = {"id": _local(doc).removeprefix("doc/")}
        out["title"] = str(self.one(doc, SCHEMA.name))
        self.put(out, "url", self.date(doc, SCHEMA.url))
        self.put(out, "citation", self.date(doc, DCTERMS_CITATION))
        publisher = self.one(doc, SCHEMA.publisher)
        if publisher is not None:
            out["publisher"] = self.name(publisher, "org")
        original = self.one(doc, RKG.originalPublisher)
        if original is not None:
            out["original_publisher"] = self.name(original, "org")
        self.put(
            out,
            "published",
            self.date(doc, SCHEMA.datePublished) or self.date(doc, SCHEMA.dateCreated),
        )
        self.put(out, "modified", self.date(doc, SCHEMA.dateModified))
        self.put(out, "language", self.date(doc, SCHEMA.inLanguage))
        kind = self.one(doc, RKG.documentKind)
        self.put(out, "kind", kind and _word(kind))
        paragraphs = self.one(doc, RKG.paragraphCount)
        assert paragraphs is not None  # int() below has always required it
        out["paragraphs"] = int(str(paragraphs))
        self.put(out, "about", self.names(doc, SCHEMA.about))
        author = self.one(doc, SCHEMA.author)
        if author is not None:
            out["author"] = self.name(author, "person")
        label = self.one(doc, SKOS.prefLabel)
        self.put(out, "label", label and str(label))
        for graph in self.ds.graphs():
            if (graph.identifier, PROV.wasDerivedFrom, doc) in graph:
                graph_label = graph.value(graph.identifier, RDFS.label)
                self.put(out, "graph_label", graph_label and str(graph_label))
        return out

    # --- facts -----------------------------------------------------------------------------

    def head(self, kind: str, node: Node) -> dict:
        return {"kind": kind, "id": _local(node)}

    def event_common(self, node: Node, out: dict) -> None:
        name = self.one(node, SCHEMA.name)
        self.put(out, "name", name and str(name))
        status = self.one(node, SCHEMA.eventStatus)
        self.put(out, "event_status", status and _STATUS.get(status))

    def fact_visit(self, node: Node) -> dict:
        out = self.head("visit", node)
        out["visitor"] = self.name(self.one(node, RKG.visitor), "person")
        out["from"] = self.name(self.one(node, RKG.visitingState), "state")
        out["to"] = self.name(self.one(node, RKG.hostState), "state")
        out["type"] = _word(self.one(node, RKG.visitType))
        out["start"] = self.date(node, SCHEMA.startDate)
        self.put(out, "end", self.date(node, SCHEMA.endDate))
        place = self.one(node, SCHEMA.location)
        self.put(out, "place", place and self.name(place, "place"))
        occasion = self.one(node, RKG.occasion)
        self.put(out, "occasion", occasion and _local(occasion))
        self.event_common(node, out)
        self.common(node, out)
        return self.cite(node, out)

    def fact_meeting(self, node: Node) -> dict:
        out = self.head("meeting", node)
        self.put(out, "date", self.date(node, SCHEMA.startDate))
        self.put(out, "end", self.date(node, SCHEMA.endDate))
        self.event_common(node, out)
        place = self.one(node, SCHEMA.location)
        self.put(out, "place", place and self.name(place, "place"))
        fmt = self.one(node, RKG.meetingFormat)
        self.put(out, "format", fmt and _word(fmt))
        event_type = self.one(node, RKG.eventType)
        self.put(out, "type", event_type and _word(event_type))
        covered = set()
        participants = []
        for part in self.all(node, RKG.participation):
            item: dict = {"id": _local(part)}
            who = self.one(part, RKG.participant)
            state = self.one(part, RKG.representing)
            if who is not None:
                item["who"] = self.name(who, "agent")
            if state is not None:
                item["for"] = self.name(state, "state")
                covered.add(state)
            role = self.one(part, ORG.role)
            self.put(item, "role", role and _word(role))
            behalf = self.one(part, RKG.onBehalfOf)
            self.put(item, "on_behalf_of", behalf and self.name(behalf, "person"))
            label = self.one(part, SKOS.prefLabel)
            self.put(item, "label", label and str(label))
            note = self.one(part, SKOS.note)
            self.put(item, "note", note and str(note))
            participants.append(self.cite(part, item))
        self.put(out, "participants", participants)
        states = [s for s in self.all(node, RKG.participatingState) if s not in covered]
        self.put(out, "states", [self.name(s, "state") for s in states])
        first = self.one(node, RKG.firstOfItsKind)
        if first is not None:
            assert isinstance(first, (Literal, IdentifiedNode))  # as every term in a graph is
            out["first_of_its_kind"] = bool(first.toPython())
        if self.one(node, RKG.status) == RKGC["status/planned"]:
            out["planned"] = True
        organizer = self.one(node, SCHEMA.organizer)
        self.put(out, "organizer", organizer and self.name(organizer, "org"))
        part_of = self.one(node, SCHEMA.superEvent)
        self.put(out, "part_of", part_of and _local(part_of))
        self.common(node, out)
        return self.cite(node, out)

    def fact_agreement(self, node: Node) -> dict:
        out = self.head("agreement", node)
        out["title"] = str(self.one(node, SCHEMA.name))
        kind = self.one(node, RKG.agreementType)
        self.put(out, "type", kind and _word(kind))
        count = self.one(node, RKG.documentCount)
        self.put(out, "count", count and int(str(count)))
        items = self.one(node, RKG.itemCount)
        self.put(out, "items", items and int(str(items)))
        self.put(out, "parties", self.names(node, RKG.party, "agent"))
        self.put(out, "signatories", self.names(node, RKG.signatory, "person"))
        self.put(out, "signed", self.date(node, RKG.signedOn))
        at = self.one(node, RKG.signedAt)
        self.put(out, "at", at and self.name(at, "place"))
        occasion = self.one(node, RKG.occasion)
        self.put(out, "occasion", occasion and _local(occasion))
        self.put(out, "valid_from", self.date(node, RKG.validFrom))
        self.put(out, "valid_until", self.date(node, RKG.validUntil))
        self.put(out, "alt_titles", [str(a) for a in self.all(node, SKOS.altLabel)])
        self.common(node, out)
        return self.cite(node, out)

    def tenure(self, node: Node, out: dict) -> None:
        self.put(out, "attested", self.date(node, RKG.attestedOn))
        interval = self.one(node, ORG.memberDuring)
        if interval is not None:
            for key, prop in (("from", TIME.hasBeginning), ("until", TIME.hasEnd)):
                instant = self.one(interval, prop)
                if instant is None:
                    continue
                for p in (TIME.inXSDDate, TIME.inXSDgYear, TIME.inXSDgYearMonth):
                    if self.one(instant, p) is not None:
                        out[key] = str(self.one(instant, p))

    def fact_term(self, node: Node) -> dict:
        out = self.head("term", node)
        out["person"] = self.name(self.one(node, ORG.member), "person")
        out["office"] = _word(self.one(node, ORG.role))
        out["of"] = self.name(self.one(node, ORG.organization), "agent")
        self.tenure(node, out)
        self.common(node, out)
        return self.cite(node, out)

    def fact_membership(self, node: Node) -> dict:
        out = self.head("membership", node)
        out["member"] = self.name(self.one(node, ORG.member), "state")
        out["organisation"] = self.name(self.one(node, ORG.organization), "org")
        role = self.one(node, ORG.role)
        self.put(out, "role", role and _word(role))
        self.tenure(node, out)
        self.common(node, out)
        return self.cite(node, out)

    def fact_chairmanship(self, node: Node) -> dict:
        out = self.fact_membership(node)
        out["kind"] = "chairmanship"
        out.pop("attested", None)  # the compiler states it from the start of the interval
        return out

    def fact_decision(self, node: Node) -> dict:
        out = self.head("decision", node)
        out["label"] = str(self.one(node, SKOS.prefLabel))
        out["type"] = _word(self.one(node, RKG.decisionType))
        self.put(out, "by", self.names(node, RKG.decidedBy, "agent"))
        at = self.one(node, RKG.decidedAt)
        self.put(out, "at", at and _local(at))
        self.put(out, "concerns", self.names(node, RKG.concerns))
        planned = self.one(node, RKG.plannedEvent)
        self.put(out, "planned_event", planned and _local(planned))
        based = self.one(node, SCHEMA.isBasedOn)
        self.put(out, "based_on", based and _local(based))
        self.common(node, out)
        out.pop("label", None)
        out["label"] = str(self.one(node, SKOS.prefLabel))
        return self.cite(node, out)

    def fact_initiative(self, node: Node) -> dict:
        out = self.head("initiative", node)
        out["name"] = str(self.one(node, SCHEMA.name))
        self.put(out, "by", self.names(node, RKG.proposedBy, "agent"))
        realised = self.one(node, RKG.realisedAs)
        self.put(out, "realised_as", realised and self.name(realised))
        stage = self.one(node, RKG.status)
        self.put(out, "stage", stage and _word(stage))
        self.put(out, "concerns", self.names(node, RKG.concerns))
        self.put(out, "parts", [_local(p) for p in self.all(node, SCHEMA.hasPart)])
        self.put(out, "period", self.date(node, RKG.periodDescription))
        self.common(node, out)
        return self.cite(node, out)

    def fact_trade(self, node: Node) -> dict:
        out = self.head("trade", node)
        out["reporter"] = self.name(self.one(node, RKG.reporter), "state")
        out["partner"] = self.name(self.one(node, RKG.partner), "area")
        out["year"] = self.date(node, RKG.refPeriod)
        printed = self.one(node, RKG.publishedAs)
        if (node, RDF.type, RKG.TradeChangeObservation) in self.union:
            out["change"] = str(printed or self.one(node, RKG.changePercent))
        else:
            out["value"] = str(printed)
        attribution = self.one(node, RKG.attribution)
        self.put(out, "attribution", attribution and _word(attribution))
        dataset = self.one(node, QB.dataSet)
        self.put(out, "dataset", dataset and _local(dataset))
        self.common(node, out)
        return self.cite(node, out)

    def fact_target(self, node: Node) -> dict:
        out = self.head("target", node)
        out["parties"] = self.names(node, RKG.party, "state")
        out["value"] = str(self.one(node, RKG.publishedAs))
        self.put(out, "deadline", self.date(node, RKG.deadline))
        self.put(out, "horizon", self.date(node, RKG.horizonDescription))
        self.put(out, "horizon_from", self.date(node, RKG.horizonFrom))
        self.put(out, "horizon_to", self.date(node, RKG.horizonTo))
        self.put(out, "set_by", self.names(node, RKG.setBy, "agent"))
        occasion = self.one(node, RKG.occasion)
        self.put(out, "occasion", occasion and _local(occasion))
        self.common(node, out)
        return self.cite(node, out)

    def fact_cultural_year(self, node: Node) -> dict:
        out = self.head("cultural-year", node)
        out["featured"] = self.name(self.one(node, RKG.featuredState), "state")
        out["host"] = self.name(self.one(node, RKG.hostState), "state")
        out["year"] = self.date(node, RKG.year)
        self.put(out, "start", self.date(node, SCHEMA.startDate))
        self.put(out, "end", self.date(node, SCHEMA.endDate))
        name = self.one(node, SCHEMA.name)
        self.put(out, "name", name and str(name))
        launch = self.one(node, RKG.launchEvent)
        self.put(out, "launch", launch and _local(launch))
        first = self.one(node, RKG.firstOfItsKind)
        if first is not None:
            assert isinstance(first, (Literal, IdentifiedNode))  # as every term in a graph is
            out["first_of_its_kind"] = bool(first.toPython())
        if self.one(node, RKG.status) == RKGC["status/planned"]:
            out["planned"] = True
        self.common(node, out)
        return self.cite(node, out)

    def fact_election(self, node: Node) -> dict:
        out = self.head("election", node)
        out["state"] = self.name(self.one(node, RKG.electionFor), "state")
        out["date"] = self.date(node, SCHEMA.startDate)
        office = self.one(node, RKG.office)
        self.put(out, "office", office and _word(office))
        self.put(out, "turnout", self.date(node, RKG.turnout))
        name = self.one(node, SCHEMA.name)
        self.put(out, "name", name and str(name))
        results = []
        for result in self.all(node, RKG.result):
            item: dict = {"id": _local(result)}
            item["candidate"] = self.name(self.one(result, RKG.candidate), "person")
            self.put(item, "share", self.date(result, RKG.voteShare))
            elected = self.one(result, RKG.elected)
            if elected is not None:
                assert isinstance(elected, (Literal, IdentifiedNode))  # as every term in a graph is
                item["elected"] = bool(elected.toPython())
            results.append(self.cite(result, item))
        self.put(out, "results", results)
        self.common(node, out)
        return self.cite(node, out)


_ORDER = (
    "visit",
    "meeting",
    "agreement",
    "term",
    "membership",
    "chairmanship",
    "election",
    "cultural-year",
    "decision",
    "initiative",
    "trade",
    "target",
)


def _document_iri(name: str) -> URIRef:
    text = name.strip()
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    text = text.removeprefix("rkgd:").removeprefix("doc/")
    return RKGD[f"doc/{text}"]


def sheet_data(document: str, dataset: Dataset) -> tuple[dict, list[str]]:
    """The sheet (as Python data) for ``document`` in ``dataset`` (the graph as read by
    :func:`regional_kg.build.read_dataset`), and the nodes it leaves to the TriG."""
    doc = _document_iri(document)
    if not any(dataset.quads((doc, RDF.type, RKG.SourceDocument, None))):
        raise UserError(f"no source document {_local(doc)} in the graph")
    writer = SheetWriter(dataset, doc)
    data = writer.sheet()
    return data, writer.left_out


def sheet_for_document(document: str, dataset: Dataset) -> str:
    """The sheet for ``document`` as YAML text, with a header saying what it leaves out."""
    data, left_out = sheet_data(document, dataset)
    lines = [
        f"# Sheet written by `rkg sheet from-rdf {document}` (docs/sheets.md).",
        "# Every fact keeps its IRI as id:, so the sheet compiles back to the same nodes.",
    ]
    if left_out:
        lines.append("# Left to the TriG (no sheet form for them): " + ", ".join(sorted(left_out)))
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(lines) + "\n" + body


__all__ = ["sheet_data", "sheet_for_document"]
