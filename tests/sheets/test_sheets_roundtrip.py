"""Round trip: curated TriG → ``rkg sheet from-rdf`` → sheet → compiled RDF.

The web source (nCa, 2023) comes back as an isomorphic graph; the seed article's supported facts
come back triple for triple (modulo blank nodes), and what a sheet has no form for is listed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF

from regional_kg.build import read_dataset
from regional_kg.namespaces import RKGD, RKGG
from regional_kg.sheets import compile_text
from regional_kg.sheets.fromrdf import sheet_data, sheet_for_document
from tests.support.graphs import SHIPPED_GRAPH_DIR, full_graph_env

NCA = "nca-2023-09-15-fifth-consultative-meeting"


@pytest.fixture(autouse=True, scope="module")
def _full_graph():
    with full_graph_env():
        yield


def curated(path, name: str) -> Graph:
    dataset = Dataset()
    dataset.parse(path, format="trig")
    graph = Graph()
    for triple in dataset.graph(RKGG[name]):
        graph.add(triple)
    return graph


def compiled(text: str) -> Graph:
    result = compile_text(text, "roundtrip.yaml")
    graph = Graph()
    for triple in result.dataset.graph(result.graph):
        graph.add(triple)
    return graph


def describe(graph: Graph) -> set[tuple]:
    """Triples of named subjects, blank-node objects replaced by what they say (recursively)."""

    def canon(node):
        if isinstance(node, BNode):
            return frozenset((p, canon(o)) for p, o in graph.predicate_objects(node))
        return node

    return {(s, p, canon(o)) for s, p, o in graph if not isinstance(s, BNode)}


def _without_claims(graph):  # type: ignore[no-untyped-def]
    """The graph less its claims (sheets have no form for rkg:Claim yet: docs/sheets.md)."""
    from rdflib import Graph, Namespace

    rkg = Namespace("https://w3id.org/regional-kg/ontology#")
    claims = set(graph.subjects(RDF.type, rkg.Claim))
    out = Graph()
    for s, p, o in graph:
        if s in claims or p in (rkg.claim, rkg.contested):
            continue
        if any(graph.triples((s, None, None))) and s in {
            d for c in claims for d in graph.objects(c, PROV.qualifiedDerivation)
        }:
            continue
        out.add((s, p, o))
    return out


def test_web_source_round_trips_isomorphically():
    text = sheet_for_document(NCA, read_dataset()[0])
    original = _without_claims(curated(SHIPPED_GRAPH_DIR / "sources" / f"{NCA}.trig", NCA))
    again = compiled(text)
    assert len(again) == len(original) == 294
    assert isomorphic(again, original)
    # only the claims lack a sheet form, and the sheet says so
    left = next(line for line in text.splitlines() if line.startswith("# Left to the TriG"))
    assert all(item.strip().startswith("claim/") for item in left.split(":", 1)[1].split(","))


def test_web_source_sheet_builds_in_place_of_its_trig(tmp_path):
    """The sheet alone (no TriG) builds with the seed graph and validates (pySHACL)."""
    graph_dir = tmp_path / "graph"
    graph_dir.mkdir()
    for name in ("koishybayev-2018.trig", "reference.trig"):
        shutil.copy(SHIPPED_GRAPH_DIR / name, graph_dir / name)
    sheet = tmp_path / f"{NCA}.yaml"
    # names resolved with the TriG
    sheet.write_text(sheet_for_document(NCA, read_dataset()[0]), encoding="utf-8")
    env_cmd = [sys.executable, "-m", "regional_kg.cli", "build", "--store", "memory"]
    env = {**os.environ, "RKG_GRAPH_DIR": str(graph_dir)}
    result = subprocess.run(
        [*env_cmd, "--source", str(sheet)], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert f"rkgg:{NCA}" in result.stdout and "validation: conforms" in result.stdout


def test_seed_article_facts_round_trip():
    data, left_out = sheet_data("koishybayev-2018", read_dataset()[0])
    original = describe(curated(SHIPPED_GRAPH_DIR / "koishybayev-2018.trig", "koishybayev-2018"))
    again = describe(compiled(sheet_for_document("koishybayev-2018", read_dataset()[0])))
    assert again <= original  # the sheet says nothing the curator did not
    kinds = [f["kind"] for f in data["facts"]]
    assert {k: kinds.count(k) for k in sorted(set(kinds))} == {
        "agreement": 13,
        "chairmanship": 3,
        "cultural-year": 2,
        "decision": 18,
        "initiative": 6,
        "meeting": 6,
        "membership": 2,
        "target": 3,
        "term": 8,
        "trade": 20,
        "visit": 4,
    }
    # every fact of a kind a sheet has comes back whole
    facts = {URIRef(RKGD[f["id"]]) for f in data["facts"]}
    missing = {t for t in original - again if t[0] in facts}
    assert missing == set()
    # what is left to the TriG: kinds without a sheet form, and two entity properties
    assert sorted(left_out) == [
        "dataset/kz-ca-trade-change-text-2017",
        "dataset/kz-ca-trade-text-2017",
        "dataset/kz-ca-turnover",
        "dataset/kz-ca-turnover-change",
        "doc/kz-foreign-policy-concept-2014-2020",
        "event/2017-09-asian-indoor-martial-arts-games-opening",
        "event/2017-asian-indoor-martial-arts-games",
        "event/2018-03-15-year-of-uzbekistan-opening",
        "project/east-west-transport-corridor",
        "project/north-south-transport-corridor",
        "region/central-asia",
        "tally/kz-president-visits-to-uzbekistan",
        "tally/kz-uz-business-forums",
        "tally/kz-uz-presidential-meetings",
        "tally/kz-uz-state-visits",
        "tally/uz-president-visits-to-astana",
    ]
    left = {str(t[0]).removeprefix(str(RKGD)) for t in original - again}
    # KZ's rkg:partnerOf and the statistics committee's org:subOrganizationOf have no sheet field
    assert left - set(left_out) == {"org/kz-statistics-committee", "state/KZ"}
