"""The ontology and concept schemes are complete, documented and agree with docs/model.md.

docs/model.md is the contract between the ontology, the curated graph, the queries and the code:
every `rkg:` term it names must exist here with an English label and definition, and the
inverse and symmetric properties it lists must be declared so that the loader can infer them.
"""

from __future__ import annotations

import re

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SH, SKOS

from tests.support.paths import REPO

ROOT = REPO  # the checkout
ONTOLOGY_DIR = ROOT / "ontology"
MODEL_MD = ROOT / "docs" / "model.md"

RKG = "https://w3id.org/regional-kg/ontology#"
RKGC = "https://w3id.org/regional-kg/concept/"
ONTOLOGY_IRI = URIRef("https://w3id.org/regional-kg/ontology")
SCHEMA = "https://schema.org/"
VANN = "http://purl.org/vocab/vann/"
WDT = "http://www.wikidata.org/prop/direct/"
# Not rdflib's XSD namespace object: pytest probes module globals and that one warns.
XSD = "http://www.w3.org/2001/XMLSchema#"

# The concept list the project started from (concepts may be added, never removed or renamed).
CONCEPTS = {
    "visit-type": "state official working",
    "agreement-type": "agreement joint-statement programme-of-cooperation joint-plan "
    "interagency-document trade-contract investment-agreement bilateral-document",
    "role": "president first-president deputy-foreign-minister foreign-minister speaker "
    "head-of-state member non-permanent-member chair council-president vice-prime-minister "
    "representative",
    "event-type": "visit summit ministerial-meeting ceremony business-forum sports-event "
    "cultural-year signing",
    "format": "pentalateral bilateral",
    "flow": "turnover",
    "unit": "usd-million",
    "attribution": "stated inferred",
    "status": "proposed agreed-to-establish established planned implemented",
    "decision-type": "establish-body hold-event coordinate intend set-target adopt-document",
    "tallied-kind": "meeting visit state-visit business-forum",
    "topic": "security terrorism religious-extremism extremism drug-trafficking organised-crime "
    "border-security illegal-migration nuclear-weapon-free-zone water-energy trade investment "
    "culture migration transport-corridors environment digital-economy tariff-policy "
    "transit-transport border-delimitation strategic-partnership foreign-policy-coordination "
    "economic-cooperation cultural-humanitarian-cooperation cross-border-cooperation",
}
CAMEO = {
    "visit": "042",
    "summit": "044",
    "ministerial-meeting": "044",
    "business-forum": "061",
    "signing": "057",
}


def rkg(local: str) -> URIRef:
    return URIRef(RKG + local)


def concept(scheme: str, code: str) -> URIRef:
    return URIRef(f"{RKGC}{scheme}/{code}")


@pytest.fixture(scope="module")
def ont() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "regional-kg.ttl")


@pytest.fixture(scope="module")
def concepts() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "concepts.ttl")


@pytest.fixture(scope="module")
def model_text() -> str:
    return MODEL_MD.read_text(encoding="utf-8")


def rkg_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(RKG)}


def english(g: Graph, s: URIRef, p: URIRef) -> list[Literal]:
    return [o for o in g.objects(s, p) if isinstance(o, Literal) and o.language == "en"]


# ------------------------------------------------------------------ parsing and header
@pytest.mark.parametrize("name", ["regional-kg.ttl", "concepts.ttl", "shapes.ttl"])
def test_files_parse_in_both_engines(name):
    """The loader may read them with rdflib or with Oxigraph; both must accept the Turtle."""
    rdflib_count = len(Graph().parse(ONTOLOGY_DIR / name))
    store = pyoxigraph.Store()
    store.load(path=str(ONTOLOGY_DIR / name), format=pyoxigraph.RdfFormat.TURTLE)
    assert rdflib_count == len(store) > 100


def test_ontology_header(ont):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ont
    assert ont.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        "https://w3id.org/regional-kg/ontology/0.1.0"
    )
    assert str(ont.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.1.0"
    assert english(ont, ONTOLOGY_IRI, DCTERMS.title)
    assert len(str(english(ont, ONTOLOGY_IRI, DCTERMS.description)[0])) > 100
    assert isinstance(ont.value(ONTOLOGY_IRI, DCTERMS.license), URIRef)
    assert ont.value(ONTOLOGY_IRI, DCTERMS.created).datatype == URIRef(XSD + "date")
    assert str(ont.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespacePrefix"))) == "rkg"
    assert str(ont.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespaceUri"))) == RKG


def test_ontology_holds_no_instance_data(ont):
    """Instances belong in graph/; the ontology graph only describes terms."""
    classes = set(ont.subjects(RDF.type, OWL.Class))
    assert [s for c in classes for s in ont.subjects(RDF.type, c)] == []


# ------------------------------------------------------------------ terms
def test_every_term_has_english_label_definition_and_is_defined_by(ont):
    terms = rkg_terms(ont)
    assert len(terms) > 100
    problems = []
    for t in sorted(terms):
        labels, definitions = english(ont, t, RDFS.label), english(ont, t, SKOS.definition)
        if len(labels) != 1 or len(definitions) != 1:
            problems.append((t, "label/definition count", len(labels), len(definitions)))
        elif len(definitions[0]) < 20 or str(definitions[0]) == str(labels[0]):
            problems.append((t, "definition too thin"))
        if ont.value(t, RDFS.isDefinedBy) != ONTOLOGY_IRI:
            problems.append((t, "rdfs:isDefinedBy"))
    assert problems == []


def test_every_term_is_typed_once_as_class_property_or_structure(ont):
    kinds = {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        QB.DataStructureDefinition,
    }
    for t in rkg_terms(ont):
        assert len(set(ont.objects(t, RDF.type)) & kinds) == 1, t


def test_ranges_match_the_kind_of_property(ont):
    for p in ont.subjects(RDF.type, OWL.DatatypeProperty):
        for r in ont.objects(p, RDFS.range):
            assert str(r).startswith(XSD) or r == RDF.langString, (p, r)
    for p in ont.subjects(RDF.type, OWL.ObjectProperty):
        for r in ont.objects(p, RDFS.range):
            assert not str(r).startswith(XSD), (p, r)


def _model_rkg_terms(text: str) -> set[str]:
    """Every rkg: name in model.md, in backticks, tables or the code example alike."""
    return set(re.findall(r"(?<![\w-])rkg:([A-Za-z]+)", text))


def _model_classes(text: str) -> set[str]:
    """Bare class names in the first column of the classes table."""
    section = text.split("## Classes", 1)[1].split("\n\n", 2)[1]
    names = set()
    for line in section.splitlines():
        cells = line.split("|")
        if len(cells) > 2:
            names |= set(re.findall(r"`([A-Z][A-Za-z]+)`", cells[1]))
    return names


def test_every_rkg_term_in_model_md_exists(ont, model_text):
    used = _model_rkg_terms(model_text)
    assert {"visitor", "paragraph", "paraphrase", "precision", "tradeStructure"} <= used
    missing = sorted(t for t in used if (rkg(t), None, None) not in ont)
    assert missing == []


def test_every_class_in_model_md_is_an_owl_class(ont, model_text):
    names = _model_classes(model_text)
    assert len(names) >= 27  # State … TradeTarget, five Organisation subclasses included
    assert sorted(n for n in names if (rkg(n), RDF.type, OWL.Class) not in ont) == []


def test_inverse_pairs_listed_in_model_md_are_declared(ont, model_text):
    sentence = model_text.split("Inverse pairs declared:", 1)[1].split(". Symmetric", 1)[0]
    pairs = re.findall(r"`([\w-]+:\w+)`/`([\w-]+:\w+)`", sentence)
    assert len(pairs) == 4
    prefixes = {"rkg": RKG, "org": str(ORG)}

    def expand(curie):
        prefix, local = curie.split(":")
        return URIRef(prefixes[prefix] + local)

    for a, b in pairs:
        a, b = expand(a), expand(b)
        assert (a, OWL.inverseOf, b) in ont or (b, OWL.inverseOf, a) in ont, (a, b)


def test_symmetric_properties_listed_in_model_md_are_declared(ont, model_text):
    sentence = model_text.split("Symmetric:", 1)[1].split("\n\n", 1)[0]
    names = re.findall(r"`rkg:(\w+)`", sentence)
    assert names == ["bordersWith", "partnerOf"]
    for n in names:
        assert (rkg(n), RDF.type, OWL.SymmetricProperty) in ont


ALIGNMENTS = (
    [
        ("State", URIRef(SCHEMA + "Country")),
        ("State", FOAF.Agent),
        ("Region", URIRef(SCHEMA + "Place")),
        ("Place", URIRef(SCHEMA + "City")),
        ("Person", URIRef(SCHEMA + "Person")),
        ("Person", FOAF.Person),
        ("Organisation", ORG.FormalOrganization),
        ("GovernmentBody", URIRef(SCHEMA + "GovernmentOrganization")),
        ("TermOfOffice", ORG.Membership),
        ("Membership", ORG.Membership),
        ("Chairmanship", rkg("Membership")),
        ("SourceDocument", PROV.Entity),
        ("SourceDocument", URIRef(SCHEMA + "Article")),
        ("Event", URIRef(SCHEMA + "Event")),
        ("Agreement", URIRef(SCHEMA + "CreativeWork")),
        ("AgreementGroup", rkg("Agreement")),
        ("Decision", PROV.Entity),
        ("TradeObservation", QB.Observation),
        ("TradeChangeObservation", QB.Observation),
    ]
    + [
        (c, rkg("Organisation"))
        for c in (
            "IntergovernmentalOrganisation",
            "GovernmentBody",
            "Forum",
            "WorkingGroup",
            "BusinessCouncil",
        )
    ]
    + [(c, rkg("Event")) for c in ("Visit", "Meeting", "CulturalYear", "BusinessForum")]
)


@pytest.mark.parametrize(("cls", "parent"), ALIGNMENTS)
def test_class_alignment(ont, cls, parent):
    assert (rkg(cls), RDFS.subClassOf, parent) in ont


def test_event_is_not_a_prov_activity(ont):
    """model.md: events are schema:Event only."""
    assert (rkg("Event"), RDFS.subClassOf, PROV.Activity) not in ont


def test_sub_properties_point_to_existing_rkg_terms(ont):
    for p, parent in ont.subject_objects(RDFS.subPropertyOf):
        if str(parent).startswith(RKG):
            assert (parent, RDF.type, OWL.ObjectProperty) in ont, (p, parent)
    actors = set(ont.subjects(RDFS.subPropertyOf, rkg("involves")))
    assert actors == {
        rkg(n)
        for n in ("visitor", "visitingState", "hostState", "participatingState", "featuredState")
    }


# ------------------------------------------------------------------ data cube
def test_trade_components_are_typed(ont):
    for n in ("reporter", "partner", "refPeriod", "flow"):
        assert (rkg(n), RDF.type, QB.DimensionProperty) in ont
    for n in ("value", "changePercent"):
        assert (rkg(n), RDF.type, QB.MeasureProperty) in ont
    for n in ("precision", "attribution", "publishedAs", "unit"):
        assert (rkg(n), RDF.type, QB.AttributeProperty) in ont


@pytest.mark.parametrize(
    ("structure", "measure"),
    [("tradeStructure", "value"), ("tradeChangeStructure", "changePercent")],
)
def test_data_structure_definitions(ont, structure, measure):
    dsd = rkg(structure)
    assert (dsd, RDF.type, QB.DataStructureDefinition) in ont
    components = list(ont.objects(dsd, QB.component))
    dims = {ont.value(c, QB.dimension): ont.value(c, QB.order) for c in components}
    dims.pop(None, None)
    assert {str(k)[len(RKG) :]: v.toPython() for k, v in dims.items()} == {
        "reporter": 1,
        "partner": 2,
        "refPeriod": 3,
        "flow": 4,
    }
    measures = [ont.value(c, QB.measure) for c in components if ont.value(c, QB.measure)]
    assert measures == [rkg(measure)]
    attributes = {ont.value(c, QB.attribute) for c in components} - {None}
    assert {rkg("precision"), rkg("attribution")} <= attributes


# ------------------------------------------------------------------ wikidata annotations
def test_wikidata_annotations(ont, concepts):
    both = ont + concepts
    props = {str(o)[len(WDT) :] for o in both.objects(None, rkg("wikidataProperty"))}
    assert all(re.fullmatch(r"P\d+", p) for p in props), props
    wanted = "P35 P6 P39 P580 P582 P463 P488 P530 P1891 P710 P276 P585".split()
    assert set(wanted) <= props
    assert (
        rkg("State"),
        rkg("wikidataClass"),
        URIRef("http://www.wikidata.org/entity/Q6256"),
    ) in ont
    assert (rkg("signatory"), rkg("wikidataProperty"), URIRef(WDT + "P1891")) in ont
    # Annotations only: no owl:sameAs or skos:exactMatch that would merge or type entities.
    assert list(both.triples((None, OWL.sameAs, None))) == []


# ------------------------------------------------------------------ concepts
def test_every_listed_concept_is_in_its_scheme(concepts):
    count = 0
    for scheme, codes in CONCEPTS.items():
        scheme_iri = URIRef(RKGC + scheme)
        assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in concepts
        assert english(concepts, scheme_iri, SKOS.prefLabel)
        assert english(concepts, scheme_iri, SKOS.definition)
        for code in codes.split():
            c = concept(scheme, code)
            assert (c, RDF.type, SKOS.Concept) in concepts, c
            assert (c, SKOS.inScheme, scheme_iri) in concepts, c
            count += 1
    assert count == 77


def test_every_concept_is_documented_and_well_placed(concepts):
    all_concepts = set(concepts.subjects(RDF.type, SKOS.Concept))
    assert len(all_concepts) >= 77
    for c in all_concepts:
        schemes = list(concepts.objects(c, SKOS.inScheme))
        assert len(schemes) == 1, c
        assert str(c).startswith(str(schemes[0]) + "/"), c
        assert len(english(concepts, c, SKOS.prefLabel)) == 1, c
        assert len(english(concepts, c, SKOS.definition)) == 1, c
        languages = [o.language for o in concepts.objects(c, SKOS.prefLabel)]
        assert len(languages) == len(set(languages)), c
        broader = list(concepts.objects(c, SKOS.broader))
        if broader:
            # A narrower concept is reached through its broader one, in the same scheme.
            assert (c, SKOS.topConceptOf, None) not in concepts, c
            assert all((b, SKOS.inScheme, schemes[0]) in concepts for b in broader), c
        else:
            assert (c, SKOS.topConceptOf, schemes[0]) in concepts, c


def test_cameo_notations(concepts):
    for code, notation in CAMEO.items():
        assert str(concepts.value(concept("event-type", code), SKOS.notation)) == notation
    assert concepts.value(concept("event-type", "ceremony"), SKOS.notation) is None


# ------------------------------------------------------------------ cross-file consistency
def test_terms_used_in_shapes_exist(ont, concepts):
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    known = set(ont.subjects()) | set(concepts.subjects())
    used = {
        t
        for triple in shapes
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith((RKG, RKGC))
    }
    assert len(used) > 50
    assert sorted(used - known) == []
    targets = set(shapes.objects(None, SH.targetClass))
    assert all((t, RDF.type, OWL.Class) in ont for t in targets if str(t).startswith(RKG))


def test_terms_used_by_graph_and_queries_exist(ont, concepts):
    """The curated graph and the query catalogue may only use terms defined here."""
    known = {str(s) for s in set(ont.subjects()) | set(concepts.subjects())}
    ds = Dataset()
    trig_files = sorted((ROOT / "graph").rglob("*.trig"))
    assert trig_files
    for f in trig_files:
        ds.parse(f, format="trig")
    iris = {str(t) for q in ds.quads() for t in q[:3] if isinstance(t, URIRef)}
    unknown = sorted(i for i in iris if i.startswith((RKG, RKGC)) and i not in known)
    for f in sorted((ROOT / "queries").rglob("*.rq")):
        for local in re.findall(r"(?<![\w-])rkg:([A-Za-z]\w*)", f.read_text(encoding="utf-8")):
            if RKG + local not in known:
                unknown.append(f"{f.name}: rkg:{local}")
    assert unknown == []
