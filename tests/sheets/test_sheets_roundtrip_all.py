"""Every document of the curated graph round trips: its graph → ``rkg sheet from-rdf`` → sheet →
compiled graph is the same graph (isomorphic: the same triples, blank nodes aside).

Why every one: a sheet is how a curator edits a document's facts without writing RDF, so a sheet
that drops a claim, a paragraph or a second title would lose it for good at the next edit. The
sheet says what a kind's fields cannot as ``kind: node`` statements; this file checks that
nothing needs more than that, and that most of the graph is written in the kinds' own forms.
"""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from regional_kg.build import read_dataset
from regional_kg.namespaces import RKG, RKGD, RKGG
from regional_kg.sheets import compile_text
from regional_kg.sheets.fromrdf import sheet_for_document
from tests.support.graphs import SHIPPED_GRAPH_DIR, full_graph_env


def _documents() -> list[str]:
    """The documents with a graph of their own: graph/sources/*.trig and the seed article."""
    names = [path.stem for path in sorted((SHIPPED_GRAPH_DIR / "sources").glob("*.trig"))]
    return ["koishybayev-2018", *names]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    with full_graph_env():
        yield read_dataset()[0]


def _own(dataset: Dataset, name: str) -> Graph:
    graph = Graph()
    for triple in dataset.graph(RKGG[name]):
        graph.add(triple)
    return graph


def _compiled(text: str, name: str) -> Graph:
    result = compile_text(text, f"{name}.yaml")
    assert result.graph == RKGG[name]
    graph = Graph()
    for triple in result.dataset.graph(result.graph):
        graph.add(triple)
    return graph


def test_the_documents_are_those_of_the_graph(dataset):
    documents = {
        str(s).removeprefix(str(RKGD) + "doc/")
        for s, _, _, g in dataset.quads((None, RDF.type, RKG.SourceDocument, None))
        if g == RKGG[str(s).removeprefix(str(RKGD) + "doc/")]
    }
    assert documents == set(_documents())
    assert len(documents) >= 243


#: the sheets written so far (document → YAML), so the summary below need not write them again
_SHEETS: dict[str, str] = {}


def _sheet(dataset: Dataset, name: str) -> str:
    if name not in _SHEETS:
        with full_graph_env():
            _SHEETS[name] = sheet_for_document(name, dataset)
    return _SHEETS[name]


@pytest.mark.parametrize("name", _documents())
def test_document_round_trips(dataset, name):
    text = _sheet(dataset, name)
    assert ": None\n" not in text and "'None'" not in text  # no value written from nothing
    with full_graph_env():
        again = _compiled(text, name)
    original = _own(dataset, name)
    assert len(original) > 0
    assert len(again) == len(original)
    assert isomorphic(again, original)


def test_most_nodes_are_written_in_their_kinds_form(dataset):
    """Statements are the fallback, not the rule: more items in a kind's form than as
    statements, and the claims, visits, meetings and agreements in their kinds' forms."""
    kinds: Counter[str] = Counter()
    for name in _documents():
        data = yaml.safe_load(_sheet(dataset, name))
        kinds.update(f["kind"] for f in data["facts"])
    in_form = sum(n for kind, n in kinds.items() if kind != "node")
    assert in_form > kinds["node"]
    assert kinds["claim"] >= 130 and kinds["agreement"] >= 170
    assert kinds["visit"] >= 60 and kinds["meeting"] >= 90 and kinds["election"] >= 25
