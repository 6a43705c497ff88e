"""The namespaces of the project, in one place (see docs/model.md)."""

from rdflib import Namespace
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
)

RKG = Namespace("https://w3id.org/regional-kg/ontology#")
RKGC = Namespace("https://w3id.org/regional-kg/concept/")
RKGD = Namespace("https://w3id.org/regional-kg/id/")
RKGG = Namespace("https://w3id.org/regional-kg/graph/")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")

ONTOLOGY_GRAPH = RKGG["ontology"]
INFERRED_GRAPH = RKGG["inferred"]
REFERENCE_GRAPH = RKGG["reference"]

#: Prefix -> namespace (rdflib's closed namespaces such as ``SKOS`` are ``DefinedNamespace``
#: classes, the project's are ``Namespace`` objects; both give IRIs by attribute and index).
PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "rkg": RKG,
    "rkgc": RKGC,
    "rkgd": RKGD,
    "rkgg": RKGG,
    "schema": SCHEMA,
    "org": ORG,
    "prov": PROV,
    "qb": QB,
    "skos": SKOS,
    "time": TIME,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "foaf": FOAF,
    "dcterms": DCTERMS,
    "sh": SH,
    "wd": WD,
    "wdt": WDT,
    "sdmx-attribute": SDMX_ATTRIBUTE,
    "sdmx-dimension": SDMX_DIMENSION,
}


def sparql_prologue() -> str:
    """PREFIX lines for every namespace above, for queries written without their own."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
