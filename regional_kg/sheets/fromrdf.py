"""Write the sheet of a document already in the graph (``rkg sheet from-rdf DOC``).

Why: curated TriG files predate sheets, and a curator who wants to correct or extend one should
be able to do it in the sheet form; the round trip (TriG → sheet → TriG gives the same graph,
tests/sheets/test_sheets_roundtrip.py) is also the strongest test of the compiler.

Every fact gets an explicit ``id:`` (its IRI path), so IRIs survive even where the curated slug
differs from the one the compiler would derive; entities named in the document's own graph are
declared under ``entities:`` (with their IRIs) so the sheet compiles to them and to their
derivations. Names are written as their English label when that resolves back to the same IRI,
else as ``rkgd:`` paths. Nodes of kinds a sheet has no form for (tallies, data sets, projects)
are listed in a comment and left to the TriG.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, QB, RDF, RDFS, SKOS, TIME, XSD
from rdflib.term import IdentifiedNode, Node

from regional_kg.errors import UserError
from regional_kg.namespaces import RKG, RKGC, RKGD, SCHEMA
from regional_kg.sheets.lossless import complete
from regional_kg.sheets.resolve import Resolver, Unresolved, lookup_store
from regional_kg.sheets.statements import dump_sheet, encode_value, shorten
from regional_kg.sheets.values import ValueProblem, parse_amount, parse_percent

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
    RKG.Claim: "claim",
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
    RKG.Region: "region",
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


def _int(term: Node) -> int:
    return int(str(term))


def _bool(term: Node) -> bool:
    assert isinstance(term, (Literal, IdentifiedNode))  # as every term in a graph is
    return bool(term.toPython())


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


def _union(dataset: Dataset) -> Graph:
    """Every graph of ``dataset`` as one (a document no graph says it was derived from)."""
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


class SheetWriter:
    """Reads one document's graph and writes the sheet's Python structure."""

    def __init__(self, dataset: Dataset, doc: URIRef) -> None:
        self.ds, self.doc = dataset, doc
        own = Graph()  # the document's own graph(s): what it states
        owners = {g for _, _, _, g in dataset.quads((None, PROV.wasDerivedFrom, doc, None))}
        for owner in sorted(owners, key=str):
            for triple in dataset.graph(owner):
                own.add(triple)
        # how things are named is read from every graph (dataset.quads spans them all)
        self.own = own
        self.union = own if len(own) else _union(dataset)
        self.resolver = Resolver(lookup_store())
        self.left_out: list[str] = []
        self.declared: dict[Node, str] = {}

    # --- helpers ---------------------------------------------------------------------------

    def one(self, node: Node, prop: URIRef) -> Node | None:
        """The first value in a fixed order, so that a node with two values (each from its own
        source) gives the same sheet on every run, whatever the hash seed."""
        values = self.all(node, prop)
        return values[0] if values else None

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
            for o in sorted({o for _, _, o, _ in self.ds.quads((iri, p, None, None))}, key=str)
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

    def put_one(
        self, out: dict, key: str, node: Node, prop: URIRef, convert: Callable[[Node], object]
    ) -> None:
        """``out[key]``: ``node``'s value of ``prop``, converted, when it has one."""
        value = self.one(node, prop)
        self.put(out, key, None if value is None else convert(value))

    def put_name(self, out: dict, key: str, node: Node, prop: URIRef, type_: str) -> None:
        """``out[key]``: how the sheet names ``node``'s value of ``prop`` (a ``type_``)."""
        self.put_one(out, key, node, prop, lambda value: self.name(value, type_))

    def common(self, node: Node, out: dict) -> None:
        self.put_one(out, "label", node, SKOS.prefLabel, str)
        self.put_one(out, "note", node, SKOS.note, str)
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
        out["facts"] = [self.fact(k, n) for k, n in facts]
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
        self.put_one(spec, "note", node, SKOS.note, str)
        self.put_one(spec, "stage", node, RKG.status, _word)
        self.put(spec, "topics", [_word(t) for t in self.all(node, RKG.topic)])
        self.cite(node, spec)
        return name, spec

    def document(self) -> dict:
        doc = self.doc
        out: dict = {"id": _local(doc).removeprefix("doc/")}
        title = self.one(doc, SCHEMA.name)
        out["title"] = str(title)
        if isinstance(title, Literal) and title.language:
            out["title_language"] = title.language
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
        self.put_one(out, "kind", doc, RKG.documentKind, _word)
        paragraphs = self.one(doc, RKG.paragraphCount)
        assert paragraphs is not None  # int() below has always required it
        out["paragraphs"] = int(str(paragraphs))
        self.put(out, "about", self.names(doc, SCHEMA.about))
        author = self.one(doc, SCHEMA.author)
        if author is not None:
            out["author"] = self.name(author, "person")
        self.put_one(out, "label", doc, SKOS.prefLabel, str)
        self.put_one(out, "note", doc, SKOS.note, str)
        for graph in self.ds.graphs():
            if (graph.identifier, PROV.wasDerivedFrom, doc) in graph:
                graph_label = graph.value(graph.identifier, RDFS.label)
                out["graph_label"] = False if graph_label is None else str(graph_label)
        return out

    # --- facts -----------------------------------------------------------------------------

    def fact(self, kind: str, node: Node) -> dict:
        """One fact: its kind and id, the fields of its kind (``fact_<kind>``), the fields
        every fact may have, and the paragraphs it is cited from."""
        out: dict = {"kind": kind, "id": _local(node)}
        getattr(self, "fact_" + kind.replace("-", "_"))(node, out)
        self.common(node, out)
        if kind == "decision":  # its label is required: written last, after the common fields
            out["label"] = str(out.pop("label", None) or self.one(node, SKOS.prefLabel))
        return self.cite(node, out)

    def event_common(self, node: Node, out: dict) -> None:
        self.put_one(out, "name", node, SCHEMA.name, str)
        self.put_one(out, "event_status", node, SCHEMA.eventStatus, _STATUS.get)

    def event_flags(self, node: Node, out: dict) -> None:
        """``first_of_its_kind`` and ``planned``, which a meeting or cultural year may say."""
        self.put_one(out, "first_of_its_kind", node, RKG.firstOfItsKind, _bool)
        if self.one(node, RKG.status) == RKGC["status/planned"]:
            out["planned"] = True

    def fact_visit(self, node: Node, out: dict) -> None:
        self.put_name(out, "visitor", node, RKG.visitor, "person")
        self.put_name(out, "from", node, RKG.visitingState, "state")
        self.put_name(out, "to", node, RKG.hostState, "state")
        self.put_one(out, "type", node, RKG.visitType, _word)
        self.put(out, "start", self.date(node, SCHEMA.startDate))
        self.put(out, "end", self.date(node, SCHEMA.endDate))
        self.put_name(out, "place", node, SCHEMA.location, "place")
        self.put_one(out, "occasion", node, RKG.occasion, _local)
        self.event_common(node, out)

    def fact_meeting(self, node: Node, out: dict) -> None:
        self.put(out, "date", self.date(node, SCHEMA.startDate))
        self.put(out, "end", self.date(node, SCHEMA.endDate))
        self.event_common(node, out)
        self.put_name(out, "place", node, SCHEMA.location, "place")
        self.put_one(out, "format", node, RKG.meetingFormat, _word)
        self.put_one(out, "type", node, RKG.eventType, _word)
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
            self.put_one(item, "role", part, ORG.role, _word)
            self.put_name(item, "on_behalf_of", part, RKG.onBehalfOf, "person")
            self.put_one(item, "label", part, SKOS.prefLabel, str)
            self.put_one(item, "note", part, SKOS.note, str)
            participants.append(self.cite(part, item))
        self.put(out, "participants", participants)
        states = [s for s in self.all(node, RKG.participatingState) if s not in covered]
        self.put(out, "states", [self.name(s, "state") for s in states])
        self.event_flags(node, out)
        self.put_name(out, "organizer", node, SCHEMA.organizer, "org")
        self.put_one(out, "part_of", node, SCHEMA.superEvent, _local)

    def fact_agreement(self, node: Node, out: dict) -> None:
        self.put_one(out, "title", node, SCHEMA.name, str)
        self.put_one(out, "type", node, RKG.agreementType, _word)
        self.put_one(out, "count", node, RKG.documentCount, _int)
        self.put_one(out, "items", node, RKG.itemCount, _int)
        self.put(out, "parties", self.names(node, RKG.party, "agent"))
        self.put(out, "signatories", self.names(node, RKG.signatory, "person"))
        self.put(out, "signed", self.date(node, RKG.signedOn))
        self.put_name(out, "at", node, RKG.signedAt, "place")
        self.put_one(out, "occasion", node, RKG.occasion, _local)
        self.put(out, "valid_from", self.date(node, RKG.validFrom))
        self.put(out, "valid_until", self.date(node, RKG.validUntil))
        self.put(out, "alt_titles", [str(a) for a in self.all(node, SKOS.altLabel)])
        self.put_one(out, "distance", node, SCHEMA.distance, str)

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

    def fact_term(self, node: Node, out: dict) -> None:
        self.put_name(out, "person", node, ORG.member, "person")
        self.put_one(out, "office", node, ORG.role, _word)
        self.put_name(out, "of", node, ORG.organization, "agent")
        self.tenure(node, out)
        self.put(out, "planned_end", self.date(node, RKG.plannedEnd))

    def fact_membership(self, node: Node, out: dict) -> None:
        self.put_name(out, "member", node, ORG.member, "state")
        self.put_name(out, "organisation", node, ORG.organization, "org")
        self.put_one(out, "role", node, ORG.role, _word)
        self.tenure(node, out)

    def fact_chairmanship(self, node: Node, out: dict) -> None:
        self.fact_membership(node, out)
        out.pop("attested", None)  # the compiler states it from the start of the interval

    def fact_decision(self, node: Node, out: dict) -> None:
        self.put_one(out, "type", node, RKG.decisionType, _word)
        self.put(out, "by", self.names(node, RKG.decidedBy, "agent"))
        self.put_one(out, "at", node, RKG.decidedAt, _local)
        self.put(out, "concerns", self.names(node, RKG.concerns))
        self.put_one(out, "planned_event", node, RKG.plannedEvent, _local)
        self.put_one(out, "based_on", node, SCHEMA.isBasedOn, _local)

    def fact_initiative(self, node: Node, out: dict) -> None:
        self.put_one(out, "name", node, SCHEMA.name, str)
        self.put(out, "by", self.names(node, RKG.proposedBy, "agent"))
        self.put_name(out, "realised_as", node, RKG.realisedAs, "any")
        self.put_one(out, "stage", node, RKG.status, _word)
        self.put(out, "concerns", self.names(node, RKG.concerns))
        self.put(out, "parts", [_local(p) for p in self.all(node, SCHEMA.hasPart)])
        self.put(out, "period", self.date(node, RKG.periodDescription))

    def fact_trade(self, node: Node, out: dict) -> None:
        self.put_name(out, "reporter", node, RKG.reporter, "area")
        self.put_name(out, "partner", node, RKG.partner, "area")
        self.put(out, "year", self.date(node, RKG.refPeriod))
        if (node, RDF.type, RKG.TradeChangeObservation) in self.union:
            self.figure(node, out, ("change", RKG.changePercent, parse_percent), True)
        else:
            self.figure(node, out, ("value", RKG.value, parse_amount), True)
        self.put_one(out, "attribution", node, RKG.attribution, _word)
        self.put_one(out, "dataset", node, QB.dataSet, _local)

    def figure(
        self, node: Node, out: dict, field: tuple[str, URIRef, Callable], with_precision: bool
    ) -> None:
        """A figure as printed (``field``: its key, property and parser); ``number:`` and
        ``precision:`` too where the graph's figure is not what the printed text reads as."""
        key, prop, parse = field
        printed, number = self.one(node, RKG.publishedAs), self.one(node, prop)
        precision = self.one(node, RKG.precision) if with_precision else None
        text = printed if printed is not None else number
        if text is None:
            return
        out[key] = str(text)
        try:
            parsed, half, _ = parse(str(text))
        except ValueProblem:
            parsed = half = None
        if number is not None and (parsed is None or Literal(parsed) != number):
            out["number"] = str(number)
        if precision is not None and (
            half is None or Literal(half) != precision or "number" in out
        ):
            out["precision"] = str(precision)

    def fact_target(self, node: Node, out: dict) -> None:
        self.put(out, "parties", self.names(node, RKG.party, "state"))
        self.figure(node, out, ("value", RKG.targetValue, parse_amount), False)
        self.put(out, "deadline", self.date(node, RKG.deadline))
        self.put(out, "horizon", self.date(node, RKG.horizonDescription))
        self.put(out, "horizon_from", self.date(node, RKG.horizonFrom))
        self.put(out, "horizon_to", self.date(node, RKG.horizonTo))
        self.put(out, "set_by", self.names(node, RKG.setBy, "agent"))
        self.put_one(out, "occasion", node, RKG.occasion, _local)

    def fact_cultural_year(self, node: Node, out: dict) -> None:
        self.put_name(out, "featured", node, RKG.featuredState, "state")
        self.put_name(out, "host", node, RKG.hostState, "state")
        self.put(out, "year", self.date(node, RKG.year))
        self.put(out, "start", self.date(node, SCHEMA.startDate))
        self.put(out, "end", self.date(node, SCHEMA.endDate))
        self.put_one(out, "name", node, SCHEMA.name, str)
        self.put_one(out, "launch", node, RKG.launchEvent, _local)
        self.event_flags(node, out)

    def fact_claim(self, node: Node, out: dict) -> None:
        about = self.one_subject(RKG.claim, node)
        if about is not None:
            out["about"] = _local(about)
            if (about, RKG.contested, Literal(True)) not in self.union:
                out["contested"] = False
        self.put_one(out, "property", node, RKG.claimProperty, shorten)
        value = self.one(node, RKG.claimValue)
        if value is not None:
            out["value"] = encode_value(value, self.union)
        self.put_one(out, "preferred", node, RKG.preferred, _bool)

    def one_subject(self, prop: URIRef, node: Node) -> Node | None:
        """The first (in a fixed order) subject that has ``node`` as its ``prop``."""
        subjects = sorted(self.union.subjects(prop, node), key=str)
        return subjects[0] if subjects else None

    def fact_election(self, node: Node, out: dict) -> None:
        self.put_name(out, "state", node, RKG.electionFor, "state")
        self.put(out, "date", self.date(node, SCHEMA.startDate))
        self.put_one(out, "office", node, RKG.office, _word)
        self.put(out, "turnout", self.date(node, RKG.turnout))
        self.put_one(out, "name", node, SCHEMA.name, str)
        results = []
        for result in self.all(node, RKG.result):
            item: dict = {"id": _local(result)}
            item["candidate"] = self.name(self.one(result, RKG.candidate), "person")
            self.put(item, "share", self.date(result, RKG.voteShare))
            self.put_one(item, "elected", result, RKG.elected, _bool)
            results.append(self.cite(result, item))
        self.put(out, "results", results)


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
    "claim",
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
    if writer.union is writer.own:
        data, written = complete(data, writer.own, doc)
        return data, sorted(set(writer.left_out) | set(written))
    return data, writer.left_out


def sheet_for_document(document: str, dataset: Dataset) -> str:
    """The sheet for ``document`` as YAML text, with a header saying what it leaves out."""
    data, left_out = sheet_data(document, dataset)
    lines = [
        f"# Sheet written by `rkg sheet from-rdf {document}` (docs/sheets.md).",
        "# Every fact keeps its IRI as id:, so the sheet compiles back to the same nodes.",
    ]
    if left_out and any(f.get("kind") == "node" for f in data.get("facts") or []):
        lines.append(
            "# As statements (kind: node), where no sheet kind has the fields: "
            + ", ".join(sorted(left_out))
        )
    elif left_out:
        lines.append("# Left to the TriG (no sheet form for them): " + ", ".join(sorted(left_out)))
    body = dump_sheet(data)
    return "\n".join(lines) + "\n" + body


__all__ = ["sheet_data", "sheet_for_document"]
