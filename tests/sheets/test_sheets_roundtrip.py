"""Round trip: curated TriG → ``rkg sheet from-rdf`` → sheet → compiled RDF.

Every document's graph comes back as an isomorphic graph (tests/sheets/test_sheets_roundtrip_all.py
tries each one); here the nCa web source and the seed article in detail: which nodes their sheets
write in a kind's form and which as statements (``kind: node``), and that the sheet alone builds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from regional_kg.build import read_dataset
from regional_kg.namespaces import RKGG
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


def test_web_source_round_trips_isomorphically():
    text = sheet_for_document(NCA, read_dataset()[0])
    original = curated(SHIPPED_GRAPH_DIR / "sources" / f"{NCA}.trig", NCA)
    again = compiled(text)
    assert len(again) == len(original) == 314
    assert isomorphic(again, original)
    # every node in its kind's form: the two claims too, none as statements
    assert "# As statements" not in text
    data, statements = sheet_data(NCA, read_dataset()[0])
    assert statements == []
    claims = [f for f in data["facts"] if f["kind"] == "claim"]
    assert [(c["about"], c["property"], c["value"], c["preferred"]) for c in claims] == [
        (
            "event/2023-09-14-ca-heads-of-state-meeting",
            "schema:endDate",
            {"value": "2023-09-14", "type": "xsd:date"},
            True,
        ),
        (
            "agreement/2023-09-14-ca-health-roadmap",
            "rkg:validFrom",
            {"value": "2022", "type": "xsd:gYear"},
            True,
        ),
    ]


def test_web_source_sheet_builds_in_place_of_its_trig(tmp_path):
    """The sheet in place of its TriG builds with the rest of the graph and validates (pySHACL):
    its claims meet the other sources' claims on the same contested facts."""
    graph_dir = tmp_path / "graph"
    shutil.copytree(SHIPPED_GRAPH_DIR, graph_dir, ignore=shutil.ignore_patterns(f"{NCA}.trig"))
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


def test_seed_article_round_trips_with_its_facts_in_their_kinds():
    data, statements = sheet_data("koishybayev-2018", read_dataset()[0])
    original = curated(SHIPPED_GRAPH_DIR / "koishybayev-2018.trig", "koishybayev-2018")
    again = compiled(sheet_for_document("koishybayev-2018", read_dataset()[0]))
    assert isomorphic(again, original)
    kinds = [f["kind"] for f in data["facts"]]
    # every fact of a kind a sheet has is written in that kind's form, none as statements
    assert {k: kinds.count(k) for k in sorted(set(kinds))} == {
        "agreement": 13,
        "chairmanship": 3,
        "cultural-year": 2,
        "decision": 18,
        "initiative": 6,
        "meeting": 6,
        "membership": 2,
        "node": 18,
        "target": 3,
        "term": 8,
        "trade": 20,
        "visit": 4,
    }
    # the statements: kinds without a sheet form, and two entity properties
    assert statements == [
        "dataset/kz-ca-trade-change-text-2017",
        "dataset/kz-ca-trade-text-2017",
        "dataset/kz-ca-turnover",
        "dataset/kz-ca-turnover-change",
        "doc/kz-foreign-policy-concept-2014-2020",
        "event/2017-09-asian-indoor-martial-arts-games-opening",
        "event/2017-asian-indoor-martial-arts-games",
        "event/2018-03-15-year-of-uzbekistan-opening",
        "org/kz-statistics-committee",  # org:subOrganizationOf has no entity field
        "project/east-west-transport-corridor",
        "project/north-south-transport-corridor",
        "region/central-asia",
        "state/KZ",  # rkg:partnerOf has no entity field
        "tally/kz-president-visits-to-uzbekistan",
        "tally/kz-uz-business-forums",
        "tally/kz-uz-presidential-meetings",
        "tally/kz-uz-state-visits",
        "tally/uz-president-visits-to-astana",
    ]
