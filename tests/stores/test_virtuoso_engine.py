"""Virtuoso (Debian's ``virtuoso-opensource``) as a second real remote engine.

A fresh Virtuoso is started on free loopback ports (``tests/support/virtuoso.py``); ``rkg build
--store sparql:…`` loads the curated seed graph plus the corroboration fixture through the Graph
Store Protocol at ``/sparql-graph-crud-auth`` (digest authentication), and every catalogue
example is compared row for row with the embedded Oxigraph store. The remote store names the
dataset with ``default-graph-uri`` / ``named-graph-uri`` (every named graph the server lists),
so Virtuoso's own system graphs take no part.

Queries Virtuoso 7.2.5 answers differently are marked ``xfail(strict=True)`` with the server's
own error: they document the gap, and turn into failures the day they pass.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from regional_kg.catalogue import run_query
from regional_kg.stores import open_store
from tests.graph.test_queries_curated import (
    CASES,
    CORROBORATION_FIXTURE,
    comparable,
    examples_store,
)

virtuoso = pytest.importorskip("tests.support.virtuoso")
if not virtuoso.available():  # .ci/run installs it; a bare checkout may lack it
    pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource)",
                allow_module_level=True)

#: catalogue queries Virtuoso 7.2.5 answers wrongly or refuses, with what it says
VIRTUOSO_GAPS = {
    "agreements": "no rows (property paths rkg:party/rkg:basedIn? and a/rdfs:subClassOf*; "
    "rewriting the first as an alternative path did not help)",
    "corroboration": "SQ156 Internal Optimized compiler error (sqlo.c:1075)",
    "decisions": "wrong rows under nested OPTIONALs (1 instead of 12)",
    "partners": "agreement counts 0 (the same paths as agreements)",
    "timeline": "SP031 sparp_gp_deprecate(): equiv replaces filter but under deprecation",
}


@pytest.fixture(scope="module")
def server():
    started = virtuoso.start_virtuoso()
    saved = os.environ.get("RKG_SPARQL_PASSWORD")
    os.environ["RKG_SPARQL_PASSWORD"] = virtuoso.PASSWORD
    try:
        yield started
    finally:
        if saved is None:
            os.environ.pop("RKG_SPARQL_PASSWORD", None)
        else:
            os.environ["RKG_SPARQL_PASSWORD"] = saved
        started.stop()


@pytest.fixture(scope="module")
def remote(server):
    done = subprocess.run(
        [sys.executable, "-m", "regional_kg.cli", "build", "--source", str(CORROBORATION_FIXTURE),
         "--store", server.spec],
        capture_output=True, text=True, timeout=300, env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stderr
    return open_store(server.spec)


def test_build_loads_every_graph_with_its_triples(remote):
    local = examples_store("oxigraph")
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ours = {str(r["g"]): int(r["n"]) for r in local.select(query)}
    theirs = {str(r["g"]): int(r["n"]) for r in remote.select(query)}
    rkg = {g: n for g, n in theirs.items() if g.startswith("https://w3id.org/regional-kg/graph/")}
    assert ours and rkg == ours and sum(ours.values()) > 5000
    # the rest are Virtuoso's own graphs, kept (and part of the remote store's dataset)
    assert set(theirs) - set(rkg) >= {"http://www.openlinksw.com/schemas/virtrdf#"}


def test_a_second_build_replaces_rkgs_graphs_and_keeps_virtuosos(server, remote):
    before = set(remote.graph_names())
    assert any("openlinksw.com" in str(g) for g in before)  # Virtuoso's own system graph
    done = subprocess.run(
        [sys.executable, "-m", "regional_kg.cli", "build", "--store", server.spec],
        capture_output=True, text=True, timeout=300, env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stderr
    after = set(open_store(server.spec).graph_names())
    dropped = {str(g).rsplit("/", 1)[1] for g in before - after}
    assert dropped == {"test-corroboration-a", "test-corroboration-b"}
    assert any("openlinksw.com" in str(g) for g in after)
    # the fixture back, for the query tests that follow
    done = subprocess.run(
        [sys.executable, "-m", "regional_kg.cli", "build", "--source", str(CORROBORATION_FIXTURE),
         "--store", server.spec],
        capture_output=True, text=True, timeout=300, env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stderr


def _case(spec, params):
    reason = VIRTUOSO_GAPS.get(spec.name)
    marks = [pytest.mark.xfail(strict=True, reason=f"Virtuoso 7.2.5: {reason}")] if reason else []
    return pytest.param(spec, params, marks=marks, id=f"{spec.name}-{sorted(params.items())}")


@pytest.mark.parametrize("spec,params", [_case(s, p) for s, p in CASES])
def test_catalogue_rows_equal_the_embedded_store(remote, spec, params):
    expected = comparable(run_query(examples_store("oxigraph"), spec.name, params))
    assert expected
    assert comparable(run_query(remote, spec.name, params)) == expected


def _edges(graph):
    return sorted(
        (min(u, v), max(u, v), d.get("layer"), d.get("kind"), str(d.get("date")), d.get("fact"))
        for u, v, d in graph.edges(data=True)
    )


def test_projection_equals_the_embedded_store(remote):
    from regional_kg.network.projection import project

    local = examples_store("oxigraph")
    ours, theirs = project(local, None, "partners"), project(remote, None, "partners")
    assert ours.number_of_edges() > 50
    assert sorted(theirs.nodes(data="label")) == sorted(ours.nodes(data="label"))
    assert _edges(theirs) == _edges(ours)


def test_centrality_equals_the_embedded_store(remote):
    # (differed while the layer graphs followed the order of the rows, which Virtuoso returns
    # differently; since they come in a fixed order, sorted nodes and pairs and exactly rounded
    # pair sums, the rows are equal)
    from regional_kg.network.ranking import centrality

    local = examples_store("oxigraph")
    expected = centrality(local, top=20)
    assert len(expected) >= 5 and expected[0]["score"] > 0
    assert centrality(remote, top=20) == expected


@pytest.mark.xfail(
    strict=True,
    reason="Virtuoso 7.2.5: the page's node measures differ (Kyrgyzstan's strength and "
    "betweenness), although the projection and centrality above are equal: one of the "
    "page's own queries (evidence, counts) answers differently; not found yet",
)
def test_network_page_equals_the_embedded_store(remote):
    from regional_kg.page.from_store import network_page

    local = examples_store("oxigraph")
    ours, theirs = network_page(local), network_page(remote)
    assert len(ours.rendered.html) > 10_000
    assert theirs.rendered.html == ours.rendered.html
