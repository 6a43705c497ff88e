"""The network queries' text ORDER BY, applied in Python, gives the engine's order row for row.

The projection sends each query without its ``ORDER BY`` and sorts the rows itself
(:mod:`regional_kg.network.row_order`), because on Oxigraph the clause cost more than the rest of
the query; these tests hold it to the order the engines give with the clause.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from regional_kg.network.projection import select_ordered
from regional_kg.network.row_order import sort_rows, split_order
from regional_kg.resources import queries_dir
from regional_kg.stores.base import NativeResult
from regional_kg.stores.oxigraph import OxigraphStore

NETWORK = sorted((queries_dir() / "network").glob("*.rq"))


def test_split_order_reads_the_text_keys_and_takes_the_clause_off():
    query = (
        'SELECT ?a ?b WHERE { ?a ?p ?b }\n# a comment\nORDER BY STR(?a)\n  COALESCE(STR(?b), "")\n'
    )
    text, keys = split_order(query)
    assert keys == [("a", False), ("b", True)]
    assert text == "SELECT ?a ?b WHERE { ?a ?p ?b }\n# a comment\n"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?a WHERE { ?a ?p ?b }",  # no ORDER BY: the engine's order stands
        "SELECT ?a WHERE { ?a ?p ?b }\nORDER BY ?a",  # by value, not text
        "SELECT ?a WHERE { ?a ?p ?b }\nORDER BY DESC(STR(?a))",
        "SELECT ?a WHERE { ?a ?p ?b }\nORDER BY STR(?a)\nLIMIT 3",  # the clause must end it
    ],
)
def test_other_queries_go_to_the_engine_as_written(query):
    assert split_order(query) == (query, None)


def test_every_network_query_but_provenance_is_sorted_here():
    split = {path.stem: split_order(path.read_text(encoding="utf-8"))[1] for path in NETWORK}
    assert [name for name, keys in split.items() if keys is None] == ["provenance"]
    assert split["nodes"] == [("node", False), ("class", False), ("label", True), ("iso", True)]


@pytest.mark.parametrize("path", NETWORK, ids=lambda p: p.stem)
def test_the_rows_come_in_the_engines_order(full_graph_store, path):
    text = path.read_text(encoding="utf-8")
    engine = full_graph_store.select_native(text).rows
    ours = select_ordered(full_graph_store, text).rows
    assert len(ours) == len(engine)
    if path.stem != "provenance":  # unordered: read into sets
        assert ours == engine


def test_unbound_and_blank_nodes_sort_as_the_engine_sorts_them():
    store = ox.Store()
    data = """<http://x/g> {
        <http://x/1> <http://x/p> "b" .      <http://x/2> <http://x/p> "" .
        <http://x/3> <http://x/p> _:blank .  <http://x/4> <http://x/q> "z" .
        <http://x/5> <http://x/p> "Ä" .      <http://x/6> <http://x/p> "a"@en .
        <http://x/7> <http://x/p> <http://x/b> .
    }"""
    store.load(data.encode(), format=ox.RdfFormat.TRIG)
    ours = OxigraphStore().adopt(store)
    where = "SELECT ?s ?o WHERE { ?s ?any ?z OPTIONAL { ?s <http://x/p> ?o } }\n"
    for order in ("ORDER BY STR(?o) STR(?s)", 'ORDER BY COALESCE(STR(?o), "") STR(?s)'):
        engine = ours.select_native(where + order).rows
        assert [row[0].value for row in engine] != sorted(row[0].value for row in engine)
        assert select_ordered(ours, where + order).rows == engine, order


def test_a_key_the_query_does_not_project_leaves_the_rows_as_they_came():
    result = NativeResult(["a"], [(ox.Literal("b"),), (ox.Literal("a"),)])
    assert sort_rows(result, [("missing", False)]).rows == result.rows
    assert [r[0].value for r in sort_rows(result, [("a", False)]).rows] == ["a", "b"]
