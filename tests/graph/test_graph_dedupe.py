"""After the five curation batches were merged: one document node per web page, one publisher node per
organisation (registrable domain; Kazinform's inform.kz and qazinform.com are one), one qb:DataSet per
reporter/partner series, and the merged nodes carry every source's claim."""
from __future__ import annotations

import collections
import re

import rdflib
from rdflib import URIRef

from tests.support.paths import REPO

SOURCES = REPO / "graph" / "sources"
SCHEMA = rdflib.Namespace("https://schema.org/")
D = "https://w3id.org/regional-kg/id/"
PREFIXES = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX qb: <http://purl.org/linked-data/cube#>
"""


def _norm(url: str) -> str:
    u = re.sub(r"^https?://", "", url.strip().lower())
    u = re.sub(r"^(www|amp)\.", "", u).split("#")[0].rstrip("/")
    return re.sub(r"/amp$", "", u).rstrip("/")


def test_one_document_per_page():
    by_url = collections.defaultdict(set)
    for path in SOURCES.glob("*.trig"):
        ds = rdflib.Dataset()
        ds.parse(path, format="trig")
        for doc, _, url, _ in ds.quads((None, SCHEMA.url, None, None)):
            by_url[_norm(str(url))].add(str(doc))
    dupes = {u: d for u, d in by_url.items() if len(d) > 1}
    assert not dupes


def test_merged_documents_are_gone_and_their_facts_kept(full_graph_store):
    gone = ["mirror-akorda-kz-2022-07-21-tokayev-speech-fourth-consultative-meeting",
            "akorda-kz-2023-09-14-tokayev-fifth-consultative-meeting",
            "azernews-2024-06-16-uzbekistan-tajikistan-trade-2019-2023",
            "tajikistannewsgazette-2020-statistics-tajikistan-uzbekistan-differ",
            "inform-2024-08-09-building-strong-economic-base"]
    for slug in gone:
        assert not full_graph_store.select("SELECT ?p WHERE { ?d ?p ?o } LIMIT 1", {"d": URIRef(D + "doc/" + slug)}).rows
    # the summits batch's meeting and the outside batch's trade figure now cite the same Akorda page
    rows = full_graph_store.select(PREFIXES + """SELECT DISTINCT ?f WHERE { ?f prov:qualifiedDerivation/prov:entity ?doc }""",
                                   {"doc": URIRef(D + "doc/akorda-2022-07-21-speech-fourth-consultative-meeting")}).rows
    facts = {str(r["f"]).removeprefix(D) for r in rows}
    assert {"event/2022-07-21-ca-heads-of-state-meeting", "obs/ca-intraregional-turnover-2021"} <= facts


def test_one_publisher_per_organisation(full_graph_store):
    rows = full_graph_store.select(PREFIXES + """SELECT DISTINCT ?pub ?label WHERE {
        ?d a rkg:SourceDocument . { ?d schema:publisher ?pub } UNION { ?d rkg:originalPublisher ?pub }
        ?pub skos:prefLabel ?label }""").rows
    labels = {str(r["pub"]).removeprefix(D): str(r["label"]) for r in rows}
    for sub in ("en.inform.kz", "cn.inform.kz", "qazinform.com", "en.trend.az", "mirror.akorda.kz", "eng.khovar.tj"):
        assert sub not in labels.values()
    assert labels["org/pub-inform-kz"] == "inform.kz"
    assert labels["org/pub-trend-az"] == "trend.az"
    assert labels["org/pub-akorda-kz"] == "akorda.kz"
    alt = {str(r["a"]) for r in full_graph_store.select(
        PREFIXES + "SELECT ?a WHERE { ?p skos:altLabel ?a }", {"p": URIRef(D + "org/pub-inform-kz")}).rows}
    assert {"qazinform.com", "en.inform.kz", "Kazinform"} <= alt


def test_one_data_set_per_series(full_graph_store):
    rows = full_graph_store.select(PREFIXES + """SELECT ?r ?p ?t (COUNT(DISTINCT ?ds) AS ?n) WHERE {
        ?o a ?t ; rkg:reporter ?r ; rkg:partner ?p ; qb:dataSet ?ds .
        VALUES ?t { rkg:TradeObservation rkg:TradeChangeObservation }
        FILTER(?p != <https://w3id.org/regional-kg/id/region/central-asia>)
        # the seed article's table is a data set of its own (inferred reading, stable slugs)
        FILTER(?ds != <https://w3id.org/regional-kg/id/dataset/kz-ca-turnover>) } GROUP BY ?r ?p ?t""").rows
    assert rows and all(int(r["n"]) == 1 for r in rows)
