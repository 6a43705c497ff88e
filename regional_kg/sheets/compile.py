"""Compile a sheet into the RDF a curator would write by hand.

The output follows graph/sources/*.trig: one named graph ``rkgg:<document id>`` that says
``prov:wasDerivedFrom`` its ``rkgd:doc/<id>``; one node per fact, typed with the classes of
docs/model.md, under an IRI derived from its content (``visit/2021-12-06-uz-kz-state``: start,
visiting and host state, type) so that two sheets reporting the same visit meet on one node; and a
``prov:qualifiedDerivation`` per cited paragraph. Why derive IRIs rather than number facts: the
README's rule is "one node per real-world fact", and a stable content key is what lets the next
document about the same visit add its derivation to the same node.

Checks happen here, before SHACL, because only here the YAML line is known: the JSON Schema
(fields, types, vocabularies), names that resolve to nothing or to several things, dates, amounts,
paragraphs beyond the document's count, two facts with one IRI, and drafts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

from regional_kg.extras import require
from regional_kg.namespaces import PREFIXES, RKG, RKGC, RKGD, RKGG, SCHEMA, SDMX_ATTRIBUTE
from regional_kg.sheets.reader import Lines, SheetError, read_sheet, read_text
from regional_kg.sheets.resolve import Declared, Resolver, Unresolved, lookup_store
from regional_kg.sheets.statements import (
    StatementProblem,
    decode_statements,
    decode_value,
    expand,
)
from regional_kg.sheets.values import (
    ValueProblem,
    date_literal,
    month_of,
    parse_amount,
    parse_decimal,
    parse_percent,
    year_literal,
)
from regional_kg.sheets.vocabulary import ENTITY_TYPES, SCHEMA_PATH

if TYPE_CHECKING:  # jsonschema is optional (the sheets extra); only its types here
    from jsonschema import ValidationError

T = TypeVar("T")

DCTERMS_CITATION = URIRef("http://purl.org/dc/terms/bibliographicCitation")
CA_STATES = {"KZ", "KG", "TJ", "TM", "UZ"}
_EVENT_STATUS = {
    "scheduled": SCHEMA.EventScheduled,
    "cancelled": SCHEMA.EventCancelled,
    "postponed": SCHEMA.EventPostponed,
    "rescheduled": SCHEMA.EventRescheduled,
    "moved-online": SCHEMA.EventMovedOnline,
}

Path_ = tuple[str | int, ...]

#: the folder (and prefix) of a declared entity's IRI by its type; other types are under org/
_DECLARED_FOLDERS = {
    "person": "person/",
    "place": "place/",
    "publisher": "org/pub-",
    "region": "region/",
}

_DATA_KINDS = (
    "state",
    "region",
    "person",
    "org",
    "place",
    "event",
    "visit",
    "agreement",
    "term",
    "membership",
    "obs",
    "target",
    "doc",
    "decision",
    "initiative",
    "participation",
    "dataset",
    "election",
    "result",
)
_CONCEPT_KINDS = {
    "visit-type": "visittype",
    "agreement-type": "agrtype",
    "role": "role",
    "event-type": "evtype",
    "format": "format",
    "flow": "flow",
    "unit": "unit",
    "attribution": "attribution",
    "status": "status",
    "decision-type": "dectype",
    "topic": "topic",
    "document-kind": "dockind",
}


def slug(text: str, words: int = 0) -> str:
    """Lower-case ASCII words joined by dashes (``words``: keep at most that many)."""
    parts = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    if words:
        stop = {
            "the",
            "of",
            "on",
            "and",
            "between",
            "for",
            "in",
            "a",
            "an",
            "to",
            "from",
            "with",
            "at",
            "republic",
        }
        parts = [p for p in parts if p not in stop][:words] or parts[:words]
    return "-".join(parts) or "x"


@cache
def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def check_schema(data: object, lines: Lines) -> None:
    """The sheet's shape against ``schema.json``; the first error names its line and field."""
    # jsonschema is the optional ``sheets`` extra: imported only when a sheet is read
    jsonschema = require("jsonschema", "reading a source sheet")
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), str(e)))
    if not errors:
        return
    error = _most_specific(errors)
    path = tuple(error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", message.split("(", 1)[-1])
        if extra:
            assert isinstance(error.schema, Mapping)  # set, as on every error a validator makes
            allowed = sorted(error.schema.get("properties", {}))
            path = (*path, extra[0])
            message = f"unknown field (allowed here: {', '.join(allowed)})"
    elif error.validator == "enum":
        assert isinstance(error.validator_value, list)  # an enum in schema.json is an array
        message = f"{error.instance!r} is not one of: {', '.join(map(str, error.validator_value))}"
    elif error.validator == "required":
        message = message.replace("is a required property", "is required here")
    raise lines.error(path, message)


def _most_specific(errors: list[ValidationError]) -> ValidationError:
    """Descend into ``allOf``/``if``/``oneOf`` errors to the one that says what is wrong."""
    best = errors[-1]
    while best.context:
        best = sorted(best.context, key=lambda e: (len(e.absolute_path), str(e)))[-1]
    deepest = max(errors, key=lambda e: len(e.absolute_path))
    return best if len(best.absolute_path) >= len(deepest.absolute_path) else deepest


@dataclass
class Fact:
    """One fact of the sheet: its kind, fields, path in the YAML and the IRI it compiles to."""

    kind: str
    data: dict
    path: Path_
    iri: URIRef | None = None


@dataclass
class Compiled:
    """A compiled sheet: the dataset (one named graph), its graph IRI, and its facts' IRIs."""

    dataset: Dataset
    graph: URIRef
    document: URIRef
    facts: list[Fact] = field(default_factory=list)

    def trig(self) -> str:
        """The TriG a curator would write: project prefixes, one prefix per data kind."""
        out = Dataset()
        for prefix, namespace in PREFIXES.items():
            out.bind(prefix, namespace, replace=True)
        for kind in _DATA_KINDS:
            out.bind(kind.replace("org", "orgn") if kind == "org" else kind, RKGD[f"{kind}/"])
        for concept in _CONCEPT_KINDS:
            out.bind(_CONCEPT_KINDS[concept], RKGC[f"{concept}/"])
        target = out.graph(self.graph)
        for triple in self.dataset.graph(self.graph):
            target.add(triple)
        return out.serialize(format="trig")


class Compiler:
    """Compiles one sheet; each method emits one kind of node into ``self.g``."""

    def __init__(self, data: dict, lines: Lines, resolver: Resolver, allow_drafts: bool) -> None:
        self.data, self.lines, self.resolver = data, lines, resolver
        self.allow_drafts = allow_drafts
        document = data["document"]
        self.doc_slug = str(document["id"])
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", self.doc_slug):
            raise lines.error(("document", "id"), "write lower-case letters, digits and dashes")
        self.doc = RKGD[f"doc/{self.doc_slug}"]
        self.graph_iri = RKGG[self.doc_slug]
        self.paragraph_count = int(document["paragraphs"])
        self.dataset = Dataset()
        self.g: Graph = self.dataset.graph(self.graph_iri)
        self.facts: list[Fact] = []
        self.ids: dict[str, URIRef] = {}
        self.seen: dict[URIRef, Path_] = {}
        self.datasets: dict[URIRef, tuple[URIRef, list[int]]] = {}

    # --- small helpers ---------------------------------------------------------------------

    def err(self, path: Path_, message: str) -> SheetError:
        return self.lines.error(path, message)

    def add(self, s: URIRef | BNode, p: URIRef, o: object) -> None:
        if o is None:
            return
        self.g.add((s, p, o if isinstance(o, URIRef | BNode | Literal) else Literal(o)))

    def entity(self, value: object, type_: str, path: Path_) -> URIRef:
        try:
            return self.resolver.resolve(str(value), type_)
        except Unresolved as exc:
            raise self.err(path, str(exc)) from None

    def named(self, item: dict, key: str, type_: str, path: Path_) -> URIRef | None:
        """The entity ``item[key]`` names; ``None`` when the fact leaves it out (a fact with an
        ``id:`` may: another document states the rest)."""
        value = item.get(key)
        return None if value is None else self.entity(value, type_, (*path, key))

    def entities(self, value: object, type_: str, path: Path_) -> list[URIRef]:
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        return [
            self.entity(v, type_, (*path, i) if isinstance(value, list) else path)
            for i, v in enumerate(items)
        ]

    def read(self, parse: Callable[[object], T], value: object, path: Path_) -> T:
        """``parse(value)``; a value it cannot read is an error at ``path`` of the sheet."""
        try:
            return parse(value)
        except (ValueProblem, StatementProblem) as exc:
            raise self.err(path, str(exc)) from None

    def date(self, value: object, path: Path_) -> Literal | None:
        return None if value is None else self.read(date_literal, value, path)

    def year(self, value: object, path: Path_) -> Literal | None:
        return None if value is None else self.read(year_literal, value, path)

    def concept(self, scheme: str, word: object) -> URIRef | None:
        return None if word is None else RKGC[f"{scheme}/{word}"]

    def ref(self, value: object, path: Path_) -> URIRef | None:
        """Another fact of this sheet (by ``id``), a data IRI path, or an event in the graph."""
        if value is None:
            return None
        text = str(value).strip()
        if text in self.ids:
            return self.ids[text]
        if re.fullmatch(r"[a-z]+/[A-Za-z0-9._-]+", text):
            iri = RKGD[text]
            if self.resolver.store.ask("ASK { ?x ?p ?o }", {"x": iri}):
                return iri
            raise self.err(path, f"{text!r} is neither a fact id of this sheet nor in the graph")
        return self.entity(text, "any", path)

    def paragraphs(self, value: object, path: Path_) -> list[int]:
        items = value if isinstance(value, list) else [value]
        out = []
        for i, number in enumerate(items):
            where = (*path, i) if isinstance(value, list) else path
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                raise self.err(where, f"{number!r} is not a paragraph number")
            if number > self.paragraph_count:
                raise self.err(
                    where,
                    f"paragraph {number} is outside the document, which has "
                    f"{self.paragraph_count} paragraphs (document.paragraphs)",
                )
            out.append(number)
        return out

    def derive(
        self, node: URIRef, item: dict, path: Path_, default: list[int] | None = None
    ) -> None:
        """One ``prov:qualifiedDerivation`` per paragraph, with the paraphrase where it belongs."""
        raw = item.get("paragraphs")
        numbers = self.paragraphs(raw, (*path, "paragraphs")) if raw is not None else default
        if not numbers:
            raise self.err(path, "paragraphs: is required (the paragraphs the fact comes from)")
        paraphrase = item.get("paraphrase")
        texts: dict[int, str] = {}
        if isinstance(paraphrase, str):
            texts[numbers[0]] = paraphrase
        elif isinstance(paraphrase, dict):
            for key, text in paraphrase.items():
                number = int(key)
                if number not in numbers:
                    raise self.err(
                        (*path, "paraphrase", key),
                        f"paragraph {number} is not among the fact's paragraphs {numbers}",
                    )
                texts[number] = text
        for number in dict.fromkeys(numbers):
            derivation = BNode()
            self.add(node, PROV.qualifiedDerivation, derivation)
            self.add(derivation, RDF.type, PROV.Derivation)
            self.add(derivation, PROV.entity, self.doc)
            self.add(derivation, RKG.paragraph, Literal(number))
            if number in texts:
                self.add(derivation, RKG.paraphrase, Literal(texts[number], lang="en"))

    def common(self, node: URIRef, item: dict, path: Path_) -> None:
        if item.get("label"):
            self.add(node, SKOS.prefLabel, Literal(item["label"], lang="en"))
        if item.get("note"):
            self.add(node, SKOS.note, Literal(item["note"], lang="en"))
        topics = item.get("topics")
        for topic in topics if isinstance(topics, list) else ([topics] if topics else []):
            self.add(node, RKG.topic, self.concept("topic", topic))

    def interval(self, node: URIRef, start: Literal | None, end: Literal | None) -> None:
        if start is None and end is None:
            return
        interval = BNode()
        self.add(node, ORG.memberDuring, interval)
        self.add(interval, RDF.type, TIME.Interval)
        for prop, value in ((TIME.hasBeginning, start), (TIME.hasEnd, end)):
            if value is None:
                continue
            instant = BNode()
            self.add(interval, prop, instant)
            self.add(instant, RDF.type, TIME.Instant)
            self.add(instant, _instant_property(value), value)

    # --- the sheet -------------------------------------------------------------------------

    def run(self) -> Compiled:
        self.declare_entities()
        facts = self.data.get("facts") or []
        for index, item in enumerate(facts):
            path: Path_ = ("facts", index)
            if item.get("status") == "draft" and not self.allow_drafts:
                cue = f" (drafted from {item['cue']!r})" if item.get("cue") else ""
                raise self.err(
                    (*path, "status"),
                    f"a draft {item['kind']} fact{cue}: check it against the document, then "
                    "remove 'status: draft' (drafts are never built)",
                )
            fact = Fact(item["kind"], item, path)
            fact.iri = self.fact_iri(fact)
            if fact.kind != "node":  # statements may add to a node another item describes
                self.claim(fact.iri, path)
            if item.get("id"):
                self.ids[str(item["id"])] = fact.iri
            self.facts.append(fact)
        self.document()
        for fact in self.facts:
            getattr(self, "emit_" + fact.kind.replace("-", "_"))(fact.iri, fact.data, fact.path)
        for dataset, (structure, paragraphs) in self.datasets.items():
            if self.resolver.store.ask("ASK { ?x a ?type }", {"x": dataset}):
                continue  # a data set the graph already has
            self.add(dataset, RDF.type, QB.DataSet)
            self.add(dataset, QB.structure, structure)
            self.add(
                dataset, SKOS.prefLabel, Literal(f"Trade figures in {self.doc_slug}", lang="en")
            )
            self.derive(dataset, {"paragraphs": sorted(set(paragraphs))}, ("facts",))
        return Compiled(self.dataset, self.graph_iri, self.doc, self.facts)

    def claim(self, iri: URIRef, path: Path_) -> None:
        if iri in self.seen:
            first = self.lines.line(self.seen[iri])
            raise self.err(
                path,
                f"duplicate fact: it compiles to {_short(iri)}, as the fact on line {first} does "
                "(merge the two, or give one an id:)",
            )
        self.seen[iri] = path

    def declare_entities(self) -> None:
        """Declare every entity first (a description may name another), then describe each."""
        declared = self.data.get("entities") or {}
        for name, spec in declared.items():
            iri = self.declared_iri(name, spec, ("entities", name))
            label = str(spec.get("name") or name)
            names = [str(name), label, *[str(a) for a in spec.get("also") or []]]
            if spec.get("code"):
                names.append(str(spec["code"]))
            self.resolver.declare(Declared(iri, spec["type"], names))
        for name, spec in declared.items():
            self.describe_entity(name, spec, ("entities", name))

    def declared_iri(self, name: str, spec: dict, path: Path_) -> URIRef:
        """``id:`` as given, a state by its code, anything else by its name's slug."""
        if spec.get("id"):
            return RKGD[str(spec["id"])]
        if spec["type"] == "state":
            if not spec.get("code"):
                raise self.err(path, "a declared state needs code: (its ISO 3166-1 alpha-2)")
            return RKGD[f"state/{str(spec['code']).upper()}"]
        label = str(spec.get("name") or name)
        return RKGD[_DECLARED_FOLDERS.get(spec["type"], "org/") + slug(label)]

    def describe_entity(self, name: str, spec: dict, path: Path_) -> None:
        iri = self.resolver.declared[_norm(name)].iri
        type_ = spec["type"]
        label = str(spec.get("name") or name)
        self.add(iri, RDF.type, RKG[ENTITY_TYPES[type_]])
        self.add(iri, SKOS.prefLabel, Literal(label, lang="en"))
        for alt in [name, *(spec.get("also") or [])]:
            if str(alt) != label:
                self.add(iri, SKOS.altLabel, Literal(str(alt), lang="en"))
        self.describe_by_type(iri, type_, label, spec, path)
        if spec.get("in"):
            state = self.entity(spec["in"], "state", (*path, "in"))
            self.add(iri, SCHEMA.containedInPlace if type_ == "place" else RKG.basedIn, state)
        if spec.get("note"):
            self.add(iri, SKOS.note, Literal(str(spec["note"]), lang="en"))
        self.add(iri, RKG.status, self.concept("status", spec.get("stage")))
        topics = spec.get("topics") or []
        for topic in topics if isinstance(topics, list) else [topics]:
            self.add(iri, RKG.topic, self.concept("topic", topic))
        if spec.get("paragraphs") is not None:
            self.derive(iri, spec, path)

    def describe_by_type(
        self, iri: URIRef, type_: str, label: str, spec: dict, path: Path_
    ) -> None:
        """What only a person (name, nationality), a place or a state (ISO code) has."""
        if type_ == "person":
            self.add(iri, SCHEMA.name, Literal(label))
            if spec.get("nationality"):
                state = self.entity(spec["nationality"], "state", (*path, "nationality"))
                self.add(iri, SCHEMA.nationality, state)
        elif type_ == "place":
            self.add(iri, RDFS.label, Literal(label, lang="en"))
        elif type_ == "state" and spec.get("code"):
            self.add(iri, RKG.isoCode, Literal(str(spec["code"]).upper()))

    def document(self) -> None:
        spec, path = self.data["document"], ("document",)
        doc = self.doc
        self.add(self.graph_iri, PROV.wasDerivedFrom, doc)
        graph_label = (
            spec.get("graph_label") or f"Facts compiled from the sheet for {spec['title']}"
        )
        if spec.get("graph_label") is not False:  # false: the graph has no label
            self.add(self.graph_iri, RDFS.label, Literal(str(graph_label), lang="en"))
        self.add(doc, RDF.type, RKG.SourceDocument)
        # a title printed in another language than the document's keeps its tag (title_language)
        self.add(doc, SCHEMA.name, Literal(str(spec["title"]), lang=spec.get("title_language")))
        if spec.get("label"):
            self.add(doc, SKOS.prefLabel, Literal(spec["label"], lang="en"))
        if spec.get("note"):
            self.add(doc, SKOS.note, Literal(str(spec["note"]), lang="en"))
        url = self.document_source(spec, path)
        self.document_publishers(spec, path)
        published = self.date(spec.get("published"), (*path, "published"))
        self.add(doc, SCHEMA.datePublished if url else SCHEMA.dateCreated, published)
        self.add(doc, SCHEMA.dateModified, self.date(spec.get("modified"), (*path, "modified")))
        self.add(doc, SCHEMA.inLanguage, Literal(str(spec.get("language") or "en")))
        for about in self.entities(spec.get("about"), "any", (*path, "about")):
            self.add(doc, SCHEMA.about, about)
        if spec.get("author"):
            self.add(doc, SCHEMA.author, self.entity(spec["author"], "person", (*path, "author")))
        self.add(doc, RKG.paragraphCount, Literal(self.paragraph_count))
        self.published = published

    def document_source(self, spec: dict, path: Path_) -> object:
        """Where the document is found: a web page (url:, with publisher: and kind:) or print
        (citation: or author:). Returns the url (``None`` for print)."""
        url, citation = spec.get("url"), spec.get("citation")
        if not url and not citation and not spec.get("author"):
            raise self.err(
                path, "give the document's url: (a web page), or citation: or author: (print)"
            )
        if url:
            if not re.match(r"https?://\S+\Z", str(url)):
                raise self.err((*path, "url"), f"{url!r} is not an http(s) address")
            for needed in ("publisher", "kind"):
                if not spec.get(needed):
                    raise self.err(path, f"{needed}: is required for a document with a url")
            self.add(self.doc, SCHEMA.url, Literal(str(url), datatype=XSD.anyURI))
            self.add(self.doc, RKG.documentKind, self.concept("document-kind", spec["kind"]))
        if citation:
            self.add(self.doc, DCTERMS_CITATION, Literal(str(citation)))
        return url

    def document_publishers(self, spec: dict, path: Path_) -> None:
        for key, prop in (
            ("publisher", SCHEMA.publisher),
            ("original_publisher", RKG.originalPublisher),
        ):
            if spec.get(key):
                self.add(self.doc, prop, self.entity(spec[key], "org", (*path, key)))

    # --- IRIs ------------------------------------------------------------------------------

    def fact_iri(self, fact: Fact) -> URIRef:
        item, path = fact.data, fact.path
        if fact.kind == "node":
            return self.read(expand, item["id"], (*path, "id"))
        if item.get("id"):
            text = str(item["id"])
            if not re.fullmatch(r"[a-z]+/[A-Za-z0-9._-]+", text):
                raise self.err(
                    (*path, "id"),
                    "write the IRI path under rkgd:, e.g. visit/2021-12-06-uz-kz-state",
                )
            return RKGD[text]
        key = getattr(self, "key_" + fact.kind.replace("-", "_"))(item, path)
        return RKGD[key]

    def code(self, iri: URIRef) -> str:
        text = str(iri)
        for folder in ("state/", "region/", "org/", "person/", "place/"):
            if text.startswith(str(RKGD) + folder):
                local = text[len(str(RKGD) + folder) :]
                if folder == "region/" and local == "central-asia":
                    return "ca"
                return local.lower() if folder == "state/" else local
        return slug(text.rsplit("/", 1)[-1])

    def codes(self, iris: Iterable[URIRef]) -> str:
        states = [str(i).rsplit("/", 1)[-1] for i in iris if "/state/" in str(i)]
        if CA_STATES <= set(states):
            rest = sorted(s for s in set(states) - CA_STATES)
            return "-".join(["ca", *[s.lower() for s in rest]])
        return "-".join(dict.fromkeys(self.code(i) for i in iris)) or "x"

    def key_visit(self, item: dict, path: Path_) -> str:
        start = self.date(item["start"], (*path, "start"))
        a = self.code(self.entity(item["from"], "state", (*path, "from")))
        b = self.code(self.entity(item["to"], "state", (*path, "to")))
        return f"visit/{start}-{a}-{b}-{item['type']}"

    def key_meeting(self, item: dict, path: Path_) -> str:
        if item.get("date") is None:
            raise self.err(path, "a meeting without date: needs an id: (its IRI path)")
        day = self.date(item["date"], (*path, "date"))
        states = [*self.meeting_states(item, path)]
        return f"event/{day}-{self.codes(states)}-meeting"

    def key_agreement(self, item: dict, path: Path_, parent: tuple[dict, str] | None = None) -> str:
        signed = self.date(item.get("signed"), (*path, "signed"))
        if signed is None and parent is not None:
            signed = self.parent_date(parent[0], parent[1])
        parties = self.entities(item.get("parties"), "agent", (*path, "parties"))
        head = "-".join(
            x for x in (str(signed) if signed else "", self.codes(parties) if parties else "") if x
        )
        return f"agreement/{head + '-' if head else ''}{slug(str(item['title']), 3)}"

    def key_term(self, item: dict, path: Path_) -> str:
        person = self.entity(item["person"], "person", (*path, "person"))
        of = self.entity(item["of"], "agent", (*path, "of"))
        surname = str(person).rsplit("/", 1)[-1].rsplit("-", 1)[-1]
        return f"term/{surname}-{self.code(of)}-{item['office']}"

    def key_membership(self, item: dict, path: Path_) -> str:
        member = self.code(self.entity(item["member"], "state", (*path, "member")))
        org = self.code(self.entity(item["organisation"], "org", (*path, "organisation")))
        role = item.get("role") or "member"
        return f"membership/{member}-{org}" + ("" if role == "member" else f"-{role}")

    def key_chairmanship(self, item: dict, path: Path_) -> str:
        member = self.code(self.entity(item["member"], "state", (*path, "member")))
        org = self.code(self.entity(item["organisation"], "org", (*path, "organisation")))
        start = self.date(item["from"], (*path, "from"))
        return f"membership/{member}-{org}-chair-{start}"

    def key_decision(self, item: dict, path: Path_) -> str:
        return f"decision/{slug(str(item['label']), 6)}"

    def key_initiative(self, item: dict, path: Path_) -> str:
        return f"initiative/{slug(str(item['name']), 6)}"

    def key_trade(self, item: dict, path: Path_) -> str:
        reporter = self.code(self.entity(item["reporter"], "area", (*path, "reporter")))
        partner = self.code(self.entity(item["partner"], "area", (*path, "partner")))
        year = self.year(item["year"], (*path, "year"))
        if (item.get("value") is None) == (item.get("change") is None):
            raise self.err(
                path, "a trade fact gives either value: (an amount) or change: (a percentage)"
            )
        middle = "turnover" if item.get("value") is not None else "turnover-change"
        if middle == "turnover-change":
            return f"obs/{reporter}-turnover-{partner}-change-{year}"
        return f"obs/{reporter}-{middle}-{partner}-{year}"

    def key_target(self, item: dict, path: Path_) -> str:
        parties = self.entities(item["parties"], "state", (*path, "parties"))
        horizon = item.get("deadline") or item.get("horizon_to")
        if horizon is None:
            raise self.err(path, "a target needs deadline: or horizon_to: (a year)")
        return f"target/{self.codes(parties)}-trade-{horizon}"

    def key_cultural_year(self, item: dict, path: Path_) -> str:
        featured = self.entity(item["featured"], "state", (*path, "featured"))
        host = self.entity(item["host"], "state", (*path, "host"))
        year = self.year(item["year"], (*path, "year"))
        return f"event/{year}-year-of-{slug(self.label(featured))}-in-{slug(self.label(host))}"

    def key_election(self, item: dict, path: Path_) -> str:
        state = self.code(self.entity(item["state"], "state", (*path, "state")))
        day = self.date(item["date"], (*path, "date"))
        return f"election/{day}-{state}-{item.get('office') or 'president'}"

    def label(self, iri: URIRef) -> str:
        for entity in self.resolver.declared.values():
            if entity.iri == iri:
                return entity.names[1]
        rows = self.resolver.store.select(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT ?l WHERE { ?x skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), 'en')) }",
            {"x": iri},
        ).rows
        return str(rows[0]["l"]) if rows else str(iri).rsplit("/", 1)[-1]

    # --- emitters --------------------------------------------------------------------------

    @staticmethod
    def default(item: dict, value: T) -> T | None:
        """``value``, what the fact states when the sheet gives nothing, unless the fact says
        ``defaults: false`` (it states only what it gives: a graph written by hand may leave
        such a value out, and ``rkg sheet from-rdf`` then says so)."""
        return value if item.get("defaults", True) else None

    def parent_date(self, parent: dict, kind: str) -> Literal | None:
        """When an agreement signed during a visit or meeting was signed, as far as known:
        the day of a one-day event, else the month (graph/README.md, fidelity conventions)."""
        raw = parent.get("start" if kind == "visit" else "date")
        if raw is None:
            return None
        start = date_literal(raw)
        end = parent.get("end")
        if end is None or str(end) == str(start):
            return start
        return month_of(start)

    def event(self, node: URIRef, item: dict, path: Path_, cls: URIRef, type_: object) -> None:
        """What every event says: its class, name, common fields and event type (a word)."""
        self.add(node, RDF.type, cls)
        if item.get("name"):
            self.add(node, SCHEMA.name, Literal(str(item["name"])))
        self.common(node, item, path)
        self.add(node, RKG.eventType, self.concept("event-type", type_))

    def emit_visit(self, node: URIRef, item: dict, path: Path_) -> None:
        self.event(node, item, path, RKG.Visit, self.default(item, "visit"))
        self.add(node, RKG.visitType, self.concept("visit-type", item.get("type")))
        self.add(node, RKG.visitor, self.named(item, "visitor", "person", path))
        self.add(node, RKG.visitingState, self.named(item, "from", "state", path))
        self.add(node, RKG.hostState, self.named(item, "to", "state", path))
        place = self.named(item, "place", "place", path) if item.get("place") else None
        self.add(node, SCHEMA.location, place)
        self.add(node, SCHEMA.startDate, self.date(item.get("start"), (*path, "start")))
        self.add(node, SCHEMA.endDate, self.date(item.get("end"), (*path, "end")))
        self.add(node, RKG.occasion, self.ref(item.get("occasion"), (*path, "occasion")))
        self.event_status(node, item)
        self.derive(node, item, path)
        self.nested_agreements(node, item, path, "visit", place)

    def event_status(self, node: URIRef, item: dict) -> None:
        if item.get("event_status"):
            self.add(node, SCHEMA.eventStatus, _EVENT_STATUS[item["event_status"]])

    def meeting_states(self, item: dict, path: Path_) -> list[URIRef]:
        states: list[URIRef] = []
        for i, part in enumerate(item.get("participants") or []):
            where = (*path, "participants", i)
            if part.get("for"):
                states.append(self.entity(part["for"], "state", (*where, "for")))
            elif part.get("who"):
                who = self.entity(part["who"], "agent", (*where, "who"))
                if "State" in self.resolver.classes(who):
                    states.append(who)
        states += self.entities(item.get("states"), "state", (*path, "states"))
        return list(dict.fromkeys(states))

    def emit_meeting(self, node: URIRef, item: dict, path: Path_) -> None:
        self.event(node, item, path, RKG.Meeting, item.get("type"))
        self.add(node, RKG.meetingFormat, self.concept("format", item.get("format")))
        place = self.named(item, "place", "place", path) if item.get("place") else None
        self.add(node, SCHEMA.location, place)
        self.add(node, SCHEMA.startDate, self.date(item.get("date"), (*path, "date")))
        self.add(node, SCHEMA.endDate, self.date(item.get("end"), (*path, "end")))
        if item.get("first_of_its_kind") is not None:
            self.add(node, RKG.firstOfItsKind, Literal(bool(item["first_of_its_kind"])))
        if item.get("planned"):
            self.add(node, RKG.status, RKGC["status/planned"])
        if item.get("organizer"):
            organizer = self.named(item, "organizer", "org", path)
            self.add(node, SCHEMA.organizer, organizer)
        self.add(node, SCHEMA.superEvent, self.ref(item.get("part_of"), (*path, "part_of")))
        self.event_status(node, item)
        for listed in self.meeting_states(item, path):
            self.add(node, RKG.participatingState, listed)
        own = self.paragraphs(item["paragraphs"], (*path, "paragraphs"))
        for i, part in enumerate(item.get("participants") or []):
            self.participation(node, part, (*path, "participants", i), own[:1])
        self.derive(node, item, path)
        self.nested_agreements(node, item, path, "meeting", place)

    def participation(self, meeting: URIRef, part: dict, where: Path_, default: list[int]) -> None:
        """One participant of a meeting: who, for which state, in what role (cited by the
        meeting's first paragraph unless it gives its own)."""
        if not part.get("who") and not part.get("for"):
            raise self.err(where, "a participant needs who: or for:")
        who = self.entity(part["who"], "agent", (*where, "who")) if part.get("who") else None
        state = self.entity(part["for"], "state", (*where, "for")) if part.get("for") else None
        if part.get("id"):
            pnode = RKGD[str(part["id"])]
        else:
            agent = state or who
            assert agent is not None  # a participant without who: or for: is refused above
            local = str(meeting).rsplit("/", 1)[-1]
            pnode = RKGD[f"participation/{local}-{self.code(agent)}"]
        self.claim(pnode, where)
        self.add(meeting, RKG.participation, pnode)
        self.add(pnode, RDF.type, RKG.Participation)
        if part.get("label"):
            self.add(pnode, SKOS.prefLabel, Literal(part["label"], lang="en"))
        self.add(pnode, RKG.participant, who or state)
        if who is not None:
            self.add(pnode, RKG.representing, state)
        self.add(pnode, ORG.role, self.concept("role", part.get("role")))
        if part.get("on_behalf_of"):
            behalf = self.entity(part["on_behalf_of"], "person", (*where, "on_behalf_of"))
            self.add(pnode, RKG.onBehalfOf, behalf)
        if part.get("note"):
            self.add(pnode, SKOS.note, Literal(part["note"], lang="en"))
        self.derive(pnode, part, where, default=default)

    def nested_agreements(
        self, occasion: URIRef, item: dict, path: Path_, kind: str, place: URIRef | None
    ) -> None:
        for i, agreement in enumerate(item.get("agreements") or []):
            where = (*path, "agreements", i)
            if "title" not in agreement:
                raise self.err(where, "an agreement needs title: (as the document prints it)")
            merged = dict(agreement)
            merged.setdefault("paragraphs", item["paragraphs"])
            if "signed" not in merged:
                merged["_signed"] = self.parent_date(item, kind)
            if "at" not in merged and place is not None and "Place" in self.resolver.classes(place):
                merged["_at"] = place
            merged.setdefault("occasion", None)
            merged["_occasion"] = occasion
            if merged.get("id"):
                node = RKGD[str(merged["id"])]
            else:
                node = RKGD[self.key_agreement(merged, where, parent=(item, kind))]
            self.claim(node, where)
            self.emit_agreement(node, merged, where)

    def emit_agreement(self, node: URIRef, item: dict, path: Path_) -> None:
        group = item.get("count") is not None
        self.add(node, RDF.type, RKG.AgreementGroup if group else RKG.Agreement)
        if item.get("title") is not None:
            self.add(node, SCHEMA.name, Literal(str(item["title"])))
        for alt in item.get("alt_titles") or []:
            self.add(node, SKOS.altLabel, Literal(str(alt), lang="en"))
        self.common(node, item, path)
        self.add(
            node,
            RKG.agreementType,
            self.concept("agreement-type", item.get("type") or self.default(item, "agreement")),
        )
        if group:
            self.add(node, RKG.documentCount, Literal(int(item["count"])))
        if item.get("items") is not None:
            self.add(node, RKG.itemCount, Literal(int(item["items"])))
        for party in self.entities(item.get("parties"), "agent", (*path, "parties")):
            self.add(node, RKG.party, party)
        for person in self.entities(item.get("signatories"), "person", (*path, "signatories")):
            self.add(node, RKG.signatory, person)
        signed = self.date(item.get("signed"), (*path, "signed")) or item.get("_signed")
        self.add(node, RKG.signedOn, signed)
        at = self.named(item, "at", "place", path) if item.get("at") else item.get("_at")
        self.add(node, RKG.signedAt, at)
        occasion = self.ref(item.get("occasion"), (*path, "occasion")) or item.get("_occasion")
        self.add(node, RKG.occasion, occasion)
        self.add(node, RKG.validFrom, self.year(item.get("valid_from"), (*path, "valid_from")))
        self.add(node, RKG.validUntil, self.year(item.get("valid_until"), (*path, "valid_until")))
        if item.get("distance"):
            self.add(node, SCHEMA.distance, Literal(str(item["distance"])))
        self.derive(node, item, path)

    def emit_term(self, node: URIRef, item: dict, path: Path_) -> None:
        self.add(node, RDF.type, RKG.TermOfOffice)
        self.common(node, item, path)
        self.add(node, ORG.member, self.named(item, "person", "person", path))
        self.add(node, ORG.organization, self.named(item, "of", "agent", path))
        self.add(node, ORG.role, self.concept("role", item.get("office")))
        self.add(node, RKG.plannedEnd, self.date(item.get("planned_end"), (*path, "planned_end")))
        self.attested(node, item, path)
        self.derive(node, item, path)

    def attested(self, node: URIRef, item: dict, path: Path_) -> None:
        start = self.date(item.get("from"), (*path, "from"))
        end = self.date(item.get("until"), (*path, "until"))
        attested = self.date(item.get("attested"), (*path, "attested"))
        if attested is None and start is None and end is None and self.default(item, True):
            attested = self.published  # the document's date: the post was held then
            if attested is None:
                raise self.err(path, "give attested:, from: or until: (no document date to use)")
        self.add(node, RKG.attestedOn, attested)
        self.interval(node, start, end)

    def member_of(self, node: URIRef, item: dict, path: Path_, cls: URIRef, role: str) -> None:
        """A state's place in an organisation (``role`` when the sheet names none)."""
        self.add(node, RDF.type, cls)
        self.common(node, item, path)
        self.add(node, ORG.member, self.named(item, "member", "state", path))
        org = self.named(item, "organisation", "org", path)
        self.add(node, ORG.organization, org)
        self.add(node, ORG.role, self.concept("role", item.get("role") or self.default(item, role)))

    def emit_membership(self, node: URIRef, item: dict, path: Path_) -> None:
        self.member_of(node, item, path, RKG.Membership, "member")
        self.attested(node, item, path)
        self.derive(node, item, path)

    def emit_chairmanship(self, node: URIRef, item: dict, path: Path_) -> None:
        self.member_of(node, item, path, RKG.Chairmanship, "chair")
        start = self.date(item.get("from"), (*path, "from"))
        end = self.date(item.get("until"), (*path, "until")) or start
        self.interval(node, start, end)
        self.add(node, RKG.attestedOn, start)
        self.derive(node, item, path)

    def emit_decision(self, node: URIRef, item: dict, path: Path_) -> None:
        self.add(node, RDF.type, RKG.Decision)
        self.common(node, item, path)
        self.add(node, RKG.decisionType, self.concept("decision-type", item.get("type")))
        for who in self.entities(item.get("by"), "agent", (*path, "by")):
            self.add(node, RKG.decidedBy, who)
        self.add(node, RKG.decidedAt, self.ref(item.get("at"), (*path, "at")))
        for thing in self.entities(item.get("concerns"), "any", (*path, "concerns")):
            self.add(node, RKG.concerns, thing)
        self.add(
            node, RKG.plannedEvent, self.ref(item.get("planned_event"), (*path, "planned_event"))
        )
        self.add(node, SCHEMA.isBasedOn, self.ref(item.get("based_on"), (*path, "based_on")))
        self.derive(node, item, path)

    def emit_initiative(self, node: URIRef, item: dict, path: Path_) -> None:
        self.add(node, RDF.type, RKG.Initiative)
        if item.get("name") is not None:
            self.add(node, SCHEMA.name, Literal(str(item["name"])))
        self.common(node, item, path)
        for who in self.entities(item.get("by"), "agent", (*path, "by")):
            self.add(node, RKG.proposedBy, who)
        if item.get("realised_as"):
            self.add(
                node,
                RKG.realisedAs,
                self.named(item, "realised_as", "any", path),
            )
        self.add(node, RKG.status, self.concept("status", item.get("stage")))
        for thing in self.entities(item.get("concerns"), "any", (*path, "concerns")):
            self.add(node, RKG.concerns, thing)
        for i, part in enumerate(item.get("parts") or []):
            self.add(node, SCHEMA.hasPart, self.ref(part, (*path, "parts", i)))
        if item.get("period"):
            self.add(node, RKG.periodDescription, Literal(str(item["period"])))
        self.derive(node, item, path)

    def emit_trade(self, node: URIRef, item: dict, path: Path_) -> None:
        change = item.get("value") is None
        self.add(node, RDF.type, RKG.TradeChangeObservation if change else RKG.TradeObservation)
        self.common(node, item, path)
        if item.get("dataset"):
            dataset = RKGD[str(item["dataset"])]
        else:
            dataset = RKGD[f"dataset/{self.doc_slug}-trade" + ("-change" if change else "")]
        structure = RKG.tradeChangeStructure if change else RKG.tradeStructure
        entry = self.datasets.setdefault(dataset, (structure, []))
        entry[1].extend(self.paragraphs(item["paragraphs"], (*path, "paragraphs")))
        self.add(node, QB.dataSet, dataset)
        self.add(node, RKG.reporter, self.named(item, "reporter", "area", path))
        self.add(node, RKG.partner, self.named(item, "partner", "area", path))
        self.add(node, RKG.refPeriod, self.year(item.get("year"), (*path, "year")))
        self.add(node, RKG.flow, RKGC[f"flow/{item.get('flow') or 'turnover'}"])
        if change:
            number, precision, printed = self.figure(item, "change", parse_percent, path)
            self.add(node, RKG.changePercent, Literal(number))
        else:
            number, precision, printed = self.figure(item, "value", parse_amount, path)
            self.add(node, RKG.value, Literal(number))
            self.add(node, SDMX_ATTRIBUTE.unitMeasure, RKGC["unit/usd-million"])
        self.add(node, RKG.publishedAs, Literal(printed))
        self.add(node, RKG.precision, None if precision is None else Literal(precision))
        self.add(
            node, RKG.attribution, self.concept("attribution", item.get("attribution") or "stated")
        )
        self.derive(node, item, path)

    def figure(
        self,
        item: dict,
        key: str,
        parse: Callable[[object], tuple[Decimal, Decimal, str]],
        path: Path_,
    ) -> tuple[Decimal, Decimal | None, str]:
        """A published figure: number, half-width and text as printed. ``number:`` and
        ``precision:`` state them where the curator did not read them off the printed digits
        ("nearly $5 billion" is 5000 ± 0.5 in the graph); then ``key`` is kept as printed."""
        if item.get(key) is None:
            raise self.err(path, f"{key}: is required here (the figure as printed)")
        printed = str(item[key]).strip()
        given = item.get("precision")
        precision = None if given is None else self.read(parse_decimal, given, (*path, "precision"))
        if item.get("number") is not None:
            return self.read(parse_decimal, item["number"], (*path, "number")), precision, printed
        number, read, printed = self.read(parse, item[key], (*path, key))
        return number, read if precision is None else precision, printed

    def emit_target(self, node: URIRef, item: dict, path: Path_) -> None:
        self.add(node, RDF.type, RKG.TradeTarget)
        self.common(node, item, path)
        for party in self.entities(item.get("parties"), "state", (*path, "parties")):
            self.add(node, RKG.party, party)
        number, _, printed = self.figure(item, "value", parse_amount, path)
        self.add(node, RKG.targetValue, Literal(number))
        self.add(node, SDMX_ATTRIBUTE.unitMeasure, RKGC["unit/usd-million"])
        self.add(node, RKG.publishedAs, Literal(printed))
        self.add(node, RKG.deadline, self.year(item.get("deadline"), (*path, "deadline")))
        if item.get("horizon"):
            self.add(node, RKG.horizonDescription, Literal(str(item["horizon"])))
        self.add(
            node, RKG.horizonFrom, self.year(item.get("horizon_from"), (*path, "horizon_from"))
        )
        self.add(node, RKG.horizonTo, self.year(item.get("horizon_to"), (*path, "horizon_to")))
        for who in self.entities(item.get("set_by"), "agent", (*path, "set_by")):
            self.add(node, RKG.setBy, who)
        self.add(node, RKG.occasion, self.ref(item.get("occasion"), (*path, "occasion")))
        self.derive(node, item, path)

    def emit_cultural_year(self, node: URIRef, item: dict, path: Path_) -> None:
        self.event(node, item, path, RKG.CulturalYear, self.default(item, "cultural-year"))
        self.add(node, RKG.featuredState, self.named(item, "featured", "state", path))
        host = self.named(item, "host", "state", path)
        self.add(node, RKG.hostState, host)
        self.add(node, RKG.year, self.year(item.get("year"), (*path, "year")))
        self.add(node, SCHEMA.startDate, self.date(item.get("start"), (*path, "start")))
        self.add(node, SCHEMA.endDate, self.date(item.get("end"), (*path, "end")))
        self.add(node, SCHEMA.location, host)
        self.add(node, RKG.launchEvent, self.ref(item.get("launch"), (*path, "launch")))
        if item.get("first_of_its_kind") is not None:
            self.add(node, RKG.firstOfItsKind, Literal(bool(item["first_of_its_kind"])))
        if item.get("planned"):
            self.add(node, RKG.status, RKGC["status/planned"])
        self.derive(node, item, path)

    def key_claim(self, item: dict, path: Path_) -> str:
        about = self.ref(item["about"], (*path, "about"))
        prop = self.read(expand, item["property"], (*path, "property"))
        subject = slug(_short(about)) if about is not None else "x"
        return f"claim/{subject}-{slug(re.split('[#/]', str(prop))[-1])}-{self.doc_slug}"

    def emit_claim(self, node: URIRef, item: dict, path: Path_) -> None:
        """One source's value for one property of a fact the sources disagree on: the fact is
        marked contested (unless ``contested: false``) and points to the claim."""
        about = self.ref(item.get("about"), (*path, "about"))
        if about is not None:
            self.add(about, RKG.claim, node)
            if item.get("contested") is not False:
                self.add(about, RKG.contested, Literal(True))
        self.add(node, RDF.type, RKG.Claim)
        self.common(node, item, path)
        if item.get("property") is not None:
            self.add(
                node, RKG.claimProperty, self.read(expand, item["property"], (*path, "property"))
            )
        if "value" in item:
            value = self.read(lambda v: decode_value(v, self.g), item["value"], (*path, "value"))
            self.add(node, RKG.claimValue, value)
        if item.get("preferred") is not None:
            self.add(node, RKG.preferred, Literal(bool(item["preferred"])))
        self.derive(node, item, path)

    def emit_node(self, node: URIRef, item: dict, path: Path_) -> None:
        """Statements in general form (:mod:`regional_kg.sheets.statements`), as given."""
        self.common(node, item, path)
        if item.get("statements"):
            self.read(
                lambda given: decode_statements(node, given, self.g),
                item["statements"],
                (*path, "statements"),
            )
        if item.get("paragraphs") is not None:
            self.derive(node, item, path)

    def emit_election(self, node: URIRef, item: dict, path: Path_) -> None:
        self.event(node, item, path, RKG.Election, self.default(item, "election"))
        state = self.named(item, "state", "state", path)
        self.add(node, RKG.electionFor, state)
        office = item.get("office") or self.default(item, "president")
        self.add(node, RKG.office, self.concept("role", office))
        self.add(node, SCHEMA.startDate, self.date(item.get("date"), (*path, "date")))
        self.add(node, SCHEMA.location, state)
        if item.get("turnout") is not None:
            number, _, _ = self.read(parse_percent, item["turnout"], (*path, "turnout"))
            self.add(node, RKG.turnout, Literal(number))
        own = self.paragraphs(item["paragraphs"], (*path, "paragraphs"))
        local = str(node).rsplit("/", 1)[-1]
        for i, result in enumerate(item.get("results") or []):
            where = (*path, "results", i)
            if not result.get("candidate"):
                raise self.err(where, "a result needs candidate:")
            person = self.entity(result["candidate"], "person", (*where, "candidate"))
            surname = str(person).rsplit("/", 1)[-1].rsplit("-", 1)[-1]
            rnode = (
                RKGD[str(result["id"])] if result.get("id") else RKGD[f"result/{local}-{surname}"]
            )
            self.claim(rnode, where)
            self.add(node, RKG.result, rnode)
            self.add(rnode, RDF.type, RKG.ElectionResult)
            self.add(rnode, RKG.candidate, person)
            if result.get("share") is not None:
                number, _, _ = self.read(parse_percent, result["share"], (*where, "share"))
                self.add(rnode, RKG.voteShare, Literal(number))
            if result.get("elected") is not None:
                self.add(rnode, RKG.elected, Literal(bool(result["elected"])))
            self.derive(rnode, result, where, default=own)
        self.derive(node, item, path)


def _instant_property(value: Literal) -> URIRef:
    if value.datatype == XSD.gYear:
        return TIME.inXSDgYear
    if value.datatype == XSD.gYearMonth:
        return TIME.inXSDgYearMonth
    return TIME.inXSDDate


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().replace("\u2013", "-").split())


def _short(iri: URIRef) -> str:
    text = str(iri)
    return text[len(str(RKGD)) :] if text.startswith(str(RKGD)) else text


def compile_data(
    data: object, lines: Lines, *, allow_drafts: bool = False, resolver: Resolver | None = None
) -> Compiled:
    """Check a sheet read by :mod:`~regional_kg.sheets.reader` and compile it."""
    check_schema(data, lines)
    assert isinstance(data, dict)
    resolver = resolver or Resolver(lookup_store())
    return Compiler(data, lines, resolver, allow_drafts).run()


def compile_sheet(
    path: str | Path, *, display: str | None = None, allow_drafts: bool = False
) -> Compiled:
    """The sheet at ``path``, checked and compiled (raises :class:`SheetError`)."""
    data, lines = read_sheet(path, display)
    return compile_data(data, lines, allow_drafts=allow_drafts)


def compile_text(text: str, display: str = "<sheet>", *, allow_drafts: bool = False) -> Compiled:
    """A sheet given as YAML text, checked and compiled."""
    data, lines = read_text(text, display)
    return compile_data(data, lines, allow_drafts=allow_drafts)
