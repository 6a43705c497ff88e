"""The ``sparql:`` store against a real ``oxigraph serve``: build, catalogue, centrality, errors.

The server (this module's own, see the fixture) runs with its default settings (no
``--union-default-graph``): the store names the dataset of every query itself, so the results
must equal the embedded Oxigraph store's.
"""

from __future__ import annotations

import shlex
import urllib.parse
import urllib.request

import pytest
from rdflib import BNode, Dataset, Literal, URIRef

from regional_kg.build import build
from regional_kg.catalogue import catalogue, run_query
from regional_kg.cli import main
from regional_kg.stores import open_store
from regional_kg.stores.base import QueryError, StoreError
from regional_kg.stores.remote import UNION_GRAPH, RemoteStore, parse_spec
from tests.support.oxigraph_server import free_port, start_oxigraph_server


@pytest.fixture(scope="module")
def oxigraph_server():
    """A server of this module's own: these tests empty and reload it, so they must not share
    the session's ``oxigraph_server`` (which conftest's ``sparql`` store kind reads)."""
    server, tmp = start_oxigraph_server()
    try:
        yield server
    finally:
        server.stop()
        tmp.cleanup()


@pytest.fixture(scope="module")
def embedded():
    return build(store="oxigraph").store


@pytest.fixture(scope="module")
def remote(oxigraph_server, embedded):
    """The curated graph loaded into the server by ``rkg build --store sparql:...``."""
    oxigraph_server.clear()
    assert main(["build", "--quiet", "--store", oxigraph_server.spec()]) == 0
    return open_store(oxigraph_server.spec())


def _counts(store) -> dict[URIRef, int]:
    result = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]: int(row["n"]) for row in result.rows}


def _rows(result) -> list[tuple]:
    """Rows comparable across engines (blank node labels differ, so they are masked)."""

    def plain(term):
        return "_:b" if isinstance(term, BNode) else term

    return sorted(
        (tuple((v, plain(row.get(v))) for v in result.variables) for row in result.rows),
        key=repr,
    )


def test_build_loads_every_named_graph(remote, embedded) -> None:
    assert remote.graph_names() == embedded.graph_names()
    assert _counts(remote) == _counts(embedded)
    assert len(remote) == len(embedded) > 1000
    # blank nodes kept together: every qualified derivation still names its document
    q = (
        "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT (COUNT(*) AS ?n) WHERE "
        "{ ?f prov:qualifiedDerivation ?d . ?d prov:entity ?doc }"
    )
    assert remote.select(q).rows[0]["n"] == embedded.select(q).rows[0]["n"]


def test_the_union_copy_is_the_default_graph_and_never_a_source(remote, embedded) -> None:
    """The build wrote the copy; it holds exactly the embedded store's default graph (the
    de-duplicated union), and ``GRAPH ?g`` (provenance) never lists it."""
    assert UNION_GRAPH in remote._all_graph_names()
    assert UNION_GRAPH not in remote.graph_names()
    sources = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert sorted(r["g"] for r in remote.select(sources).rows) == embedded.graph_names()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    expected = int(embedded.select(count).rows[0]["n"])
    assert int(remote.select(count).rows[0]["n"]) == expected
    assert expected > 1000


def test_only_queries_with_graph_patterns_name_the_named_graphs(remote) -> None:
    """Each dataset parameter costs (Virtuoso echoes it back as a header): a query that cannot
    reach a named graph sends the copy alone."""
    copy = [("default-graph-uri", str(UNION_GRAPH))]
    plain = 'SELECT ?graph WHERE { ?graph <urn:p> "GRAPH ?g" . <urn:graph> ?p ?o } # GRAPH'
    assert remote._dataset(plain) == copy
    named = remote._dataset("SELECT ?g WHERE { graph ?g { ?s ?p ?o } }")
    assert named == copy + [("named-graph-uri", str(g)) for g in remote.graph_names()]
    assert len(named) > 3
    assert remote._dataset("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }") == []


def test_union_modes_explicit_and_server_still_work(remote, embedded, oxigraph_server) -> None:
    explicit = open_store(oxigraph_server.spec() + "&union=explicit")
    for name, params in [("leaders", {"organisation": "KZ"}), ("memberships", {})]:
        assert _rows(run_query(explicit, name, params)) == _rows(run_query(embedded, name, params))
    server = open_store(oxigraph_server.spec() + "&union=server")
    # the server's own default graph: empty on a server started without --union-default-graph
    assert server.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1").rows == []
    with pytest.raises(StoreError, match="union must be one of copy, explicit, server"):
        RemoteStore("http://h/q", union="merged")


def test_default_graph_is_the_union_without_server_settings(remote, oxigraph_server) -> None:
    q = (
        "PREFIX rkg: <https://w3id.org/regional-kg/ontology#> "
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a rkg:State ; rkg:isoCode ?c }"
    )
    assert int(remote.select(q).rows[0]["n"]) >= 5
    # the server's own default graph is empty: a plain protocol query sees nothing
    url = oxigraph_server.query_url + "?" + urllib.parse.urlencode({"query": q})
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request) as response:
        assert response.read().decode().splitlines()[1] == "0"


def test_bindings_ask_construct(remote) -> None:
    q = (
        "PREFIX rkg: <https://w3id.org/regional-kg/ontology#> "
        "SELECT ?s WHERE { ?s rkg:isoCode ?code }"
    )
    rows = remote.select(q, {"code": Literal("KZ")}).rows
    assert rows == [{"s": URIRef("https://w3id.org/regional-kg/id/state/KZ")}]
    assert remote.ask(
        'PREFIX rkg: <https://w3id.org/regional-kg/ontology#> ASK { ?s rkg:isoCode "KG" }'
    )
    graph = remote.construct(
        "PREFIX rkg: <https://w3id.org/regional-kg/ontology#> "
        "CONSTRUCT { ?s rkg:isoCode ?c } WHERE { ?s rkg:isoCode ?c }"
    )
    assert (URIRef("https://w3id.org/regional-kg/id/state/UZ"), None, Literal("UZ")) in {
        (s, None, o) for s, _, o in graph
    }


def _catalogue_calls():
    calls = []
    for spec in catalogue():
        required = [p for p in spec.params if p.required]
        params = {}
        for example in spec.examples:
            args = shlex.split(example)
            params = {
                args[i + 1].split("=", 1)[0]: args[i + 1].split("=", 1)[1]
                for i, a in enumerate(args[:-1])
                if a in ("--param", "-p") and "=" in args[i + 1]
            }
            break
        if all(p.name in params for p in required):
            calls.append((spec.name, params))
    return calls


def test_catalogue_gives_the_same_rows(remote, embedded) -> None:
    calls = _catalogue_calls()
    assert len(calls) >= 5
    nonempty = 0
    for name, params in calls:
        a = run_query(embedded, name, params)
        b = run_query(remote, name, params)
        assert a.variables == b.variables, name
        assert _rows(b) == _rows(a), name
        nonempty += bool(a.rows)
    assert nonempty >= 5


def test_centrality_gives_the_same_ranking(remote, embedded) -> None:
    from regional_kg.network import centrality

    a = centrality(embedded)
    b = centrality(remote)
    assert len(a) > 3
    pick = [("node", "rank", "score")]
    assert [{k: r[k] for k in pick[0]} for r in b] == [{k: r[k] for k in pick[0]} for r in a]


def test_native_rows_equal_the_embedded_store(remote, embedded) -> None:
    """The remote store's ``select_native`` (its rdflib rows converted) gives Oxigraph's rows."""
    from regional_kg.network.projection import layer_query, network_query

    for query in (network_query("nodes"), layer_query("treaty", "actors")):
        a, b = embedded.select_native(query), remote.select_native(query)
        assert a.variables == b.variables
        assert len(a) > 10
        assert sorted(map(repr, b.rows)) == sorted(map(repr, a.rows))


def test_cli_query_through_the_remote_store(remote, oxigraph_server, capsys) -> None:
    spec = oxigraph_server.spec(update=False)
    assert main(["query", "--store", spec, "leaders", "--param", "organisation=KZ"]) == 0
    out = capsys.readouterr().out
    assert "Nursultan Nazarbayev" in out


def test_serve_a_remote_store(remote) -> None:
    """``rkg serve --store sparql:...``: the Store-protocol path answers in every format."""
    import threading

    from SPARQLWrapper import CSV, JSON, TURTLE, SPARQLWrapper

    from regional_kg.server import make_server

    srv = make_server(remote, "127.0.0.1", 0, max_rows=50, quiet=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    q = (
        "PREFIX rkg: <https://w3id.org/regional-kg/ontology#> "
        "SELECT ?code WHERE { ?s rkg:isoCode ?code } ORDER BY ?code"
    )
    try:
        sw = SPARQLWrapper(srv.url + "/sparql")
        sw.setQuery(q)
        sw.setReturnFormat(JSON)
        codes = [b["code"]["value"] for b in sw.query().convert()["results"]["bindings"]]
        assert codes == [str(r["code"]) for r in remote.select(q).rows]
        assert {"KZ", "KG", "TJ", "TM", "UZ"} <= set(codes)
        sw.setReturnFormat(CSV)
        assert sw.query().convert().decode().splitlines() == ["code", *codes]
        sw.setQuery(
            q.replace("SELECT ?code WHERE", "CONSTRUCT WHERE").replace(" ORDER BY ?code", "")
        )
        sw.setReturnFormat(TURTLE)
        turtle = sw.query().convert().decode()
        assert '"KZ"' in turtle
        sw.setQuery("SELECT * WHERE { ?s ?p ?o }")
        sw.setReturnFormat(JSON)
        with pytest.raises(Exception, match="413|Too Large"):
            sw.query()
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.mark.parametrize("gsp", [False, True], ids=["insert-data", "graph-store"])
def test_native_build_loads_without_rdflib(oxigraph_server, embedded, gsp, monkeypatch) -> None:
    """``rkg build --store sparql:`` sends Oxigraph's N-Triples (no rdflib Dataset in between),
    through INSERT DATA or the Graph Store Protocol: the same graphs and counts either way."""
    import regional_kg.build.native as native

    def refuse(store):  # type: ignore[no-untyped-def]
        raise AssertionError("the remote load went through an rdflib Dataset")

    monkeypatch.setattr(native, "to_dataset", refuse)
    monkeypatch.setattr("regional_kg.stores.remote.INSERT_CHUNK", 500)  # many chunks
    oxigraph_server.clear()
    spec = oxigraph_server.spec(store=gsp)
    assert main(["build", "--quiet", "--store", spec]) == 0
    loaded = open_store(spec)
    assert loaded.graph_names() == embedded.graph_names()
    assert _counts(loaded) == _counts(embedded)
    q = (
        "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT (COUNT(*) AS ?n) WHERE "
        "{ ?f prov:qualifiedDerivation ?d . ?d prov:entity ?doc }"
    )
    assert loaded.select(q).rows[0]["n"] == embedded.select(q).rows[0]["n"]
    oxigraph_server.clear()


@pytest.mark.parametrize("gsp", [False, True], ids=["insert-data", "graph-store"])
def test_load_nquads_keeps_blank_nodes_and_replaces(oxigraph_server, gsp, monkeypatch) -> None:
    monkeypatch.setattr("regional_kg.stores.remote.INSERT_CHUNK", 2)
    oxigraph_server.clear()
    store = open_store(oxigraph_server.spec(store=gsp))
    ex = "http://example.org/"
    data = (
        f"<{ex}a> <{ex}p> _:b1 <{ex}g1> .\n"
        f'_:b1 <{ex}q> "x _:b9 \\" y"@en <{ex}g1> .\n'
        f"_:b1 <{ex}r> _:b2 <{ex}g1> .\n"
        f'<{ex}c> <{ex}p> "1" <{ex}g1> .\n'
        f'_:b2 <{ex}q> "z" <{ex}g1> .\n'
        f'<{ex}a> <{ex}p> "2" <{ex}g2> .\n'
    ).encode()
    store.load_nquads(data)
    assert store.graph_names() == [URIRef(ex + "g1"), URIRef(ex + "g2")]
    assert _counts(store) == {URIRef(ex + "g1"): 5, URIRef(ex + "g2"): 1}
    rows = store.select(
        f"SELECT ?l ?z WHERE {{ <{ex}a> <{ex}p> ?b . ?b <{ex}q> ?l ; <{ex}r> ?c . ?c <{ex}q> ?z }}"
    ).rows
    assert rows == [{"l": Literal('x _:b9 " y', lang="en"), "z": Literal("z")}]
    store.load_nquads(f'<{ex}c> <{ex}p> "3" <{ex}g3> .\n'.encode(), replace=True)
    # graphs rkg does not own survive a replacing load (tests/stores/test_store_safety.py)
    assert store.graph_names() == [URIRef(ex + "g1"), URIRef(ex + "g2"), URIRef(ex + "g3")]
    owned = "https://w3id.org/regional-kg/graph/source/"
    store.load_nquads(f'<{ex}c> <{ex}p> "4" <{owned}x> .\n'.encode())
    store.load_nquads(f'<{ex}c> <{ex}p> "5" <{owned}y> .\n'.encode(), replace=True)
    assert store.graph_names() == [
        *(URIRef(ex + g) for g in ("g1", "g2", "g3")),
        URIRef(owned + "y"),
    ]
    with pytest.raises(StoreError, match="1 triple\\(s\\) are outside any named graph"):
        store.load_nquads(f'<{ex}c> <{ex}p> "3" .\n'.encode())
    with pytest.raises(StoreError, match="read-only"):
        open_store(oxigraph_server.spec(update=False)).load_nquads(b"")
    oxigraph_server.clear()


def test_graph_store_protocol_load_and_replace(oxigraph_server) -> None:
    oxigraph_server.clear()
    store = open_store(oxigraph_server.spec(store=True))
    ds = Dataset()
    g1 = ds.graph(URIRef("http://example.org/g1"))
    b = BNode()
    g1.add((URIRef("http://example.org/a"), URIRef("http://example.org/p"), b))
    g1.add((b, URIRef("http://example.org/q"), Literal("x", lang="en")))
    ds.graph(URIRef("http://example.org/g2")).add(
        (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal(2))
    )
    store.load(ds)
    assert store.graph_names() == [URIRef("http://example.org/g1"), URIRef("http://example.org/g2")]
    rows = store.select(
        "SELECT ?l WHERE { <http://example.org/a> <http://example.org/p> ?b . "
        "?b <http://example.org/q> ?l }"
    ).rows
    assert rows == [{"l": Literal("x", lang="en")}]
    only = Dataset()
    only.graph(URIRef("http://example.org/g3")).add(
        (URIRef("http://example.org/c"), URIRef("http://example.org/p"), Literal(3))
    )
    store.load(only, replace=True)
    assert store.graph_names() == [URIRef(f"http://example.org/g{i}") for i in (1, 2, 3)]
    assert b"<http://example.org/g3>" in store.dump("nquads")


def test_clear_errors(oxigraph_server) -> None:
    port = free_port()
    with pytest.raises(
        StoreError, match=f"cannot reach the SPARQL endpoint http://127.0.0.1:{port}"
    ):
        RemoteStore(f"http://127.0.0.1:{port}/query").select("SELECT * WHERE { ?s ?p ?o }")
    store = open_store(oxigraph_server.spec(update=False))
    with pytest.raises(QueryError, match="rejected the query: error at"):
        store.select("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(StoreError, match="read-only"):
        store.update("DROP ALL")
    with pytest.raises(StoreError, match="nothing-here .*(404|not supported)"):
        RemoteStore(oxigraph_server.base + "/nothing-here").select("SELECT * WHERE {}")


def test_spec_parsing(monkeypatch) -> None:
    monkeypatch.setenv("RKG_SPARQL_USER", "alice")
    monkeypatch.setenv("RKG_SPARQL_PASSWORD", "secret")
    monkeypatch.delenv("RKG_SPARQL_UPDATE_URL", raising=False)
    options = parse_spec("sparql:http://h/q#update=http://h/u&union=server")
    assert options["query_url"] == "http://h/q" and options["update_url"] == "http://h/u"
    assert options["union"] == "server" and options["user"] == "alice"
    assert options["password"] == "secret"
    with pytest.raises(StoreError, match="unknown option"):
        parse_spec("sparql:http://h/q#password=x")
    with pytest.raises(StoreError, match="http"):
        RemoteStore("ftp://h/q")


# --- union=copy: the de-duplicated union the server reads as the default graph ----------------

EX = "http://example.org/"


def _two_graphs_stating_one_triple() -> Dataset:
    ds = Dataset()
    for name in ("g1", "g2"):
        ds.graph(URIRef(EX + name)).add((URIRef(EX + "a"), URIRef(EX + "p"), Literal(1)))
    ds.graph(URIRef(EX + "g2")).add((URIRef(EX + "a"), URIRef(EX + "q"), Literal(2)))
    return ds


@pytest.mark.parametrize(
    "update,gsp,replace",
    [(True, False, False), (True, True, False), (True, True, True), (False, True, True)],
    ids=["insert-data", "graph-store", "graph-store-replace", "graph-store-only"],
)
def test_a_triple_in_two_graphs_is_one_triple_of_the_default_graph(
    oxigraph_server, update, gsp, replace
) -> None:
    """The copy made by the server (an update URL at hand) or sent as one more graph (the
    Graph Store alone)."""
    oxigraph_server.clear()
    store = open_store(oxigraph_server.spec(update=update, store=gsp))
    store.load(_two_graphs_stating_one_triple(), replace=replace)
    assert UNION_GRAPH in store._all_graph_names()
    join = f"SELECT ?o ?o2 WHERE {{ ?a <{EX}p> ?o . ?a <{EX}p> ?o2 . ?a <{EX}q> ?x }}"
    assert store.select(join).rows == [{"o": Literal(1), "o2": Literal(1)}]
    in_graphs = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}a> <{EX}p> 1 }} }} ORDER BY ?g"
    assert [r["g"] for r in store.select(in_graphs).rows] == [URIRef(EX + "g1"), URIRef(EX + "g2")]
    oxigraph_server.clear()


def test_an_update_through_the_store_remakes_the_copy(oxigraph_server) -> None:
    oxigraph_server.clear()
    store = open_store(oxigraph_server.spec())
    store.load(_two_graphs_stating_one_triple(), replace=True)
    store.update(f"INSERT DATA {{ GRAPH <{EX}g3> {{ <{EX}b> <{EX}p> 3 }} }}")
    default = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"
    assert store.select(default).rows == [
        {"s": URIRef(EX + "a"), "o": Literal(1)},
        {"s": URIRef(EX + "b"), "o": Literal(3)},
    ]
    store.update(f"DROP GRAPH <{EX}g1> ; DROP GRAPH <{EX}g2>")
    assert store.select(default).rows == [{"s": URIRef(EX + "b"), "o": Literal(3)}]
    assert UNION_GRAPH not in store.graph_names()
    oxigraph_server.clear()


def test_without_a_copy_the_store_names_every_graph_and_says_so(oxigraph_server, tmp_path) -> None:
    """Graphs another tool loaded (no copy): the rows are still the union's, slower."""
    oxigraph_server.clear()
    data = tmp_path / "two.trig"
    data.write_bytes(_two_graphs_stating_one_triple().serialize(format="trig", encoding="utf-8"))
    oxigraph_server.load_file(data)
    store = open_store(oxigraph_server.spec())
    with pytest.warns(UserWarning, match="no union copy"):
        rows = store.select(f"SELECT DISTINCT ?o WHERE {{ <{EX}a> ?p ?o }} ORDER BY ?o").rows
    assert rows == [{"o": Literal(1)}, {"o": Literal(2)}]
    # adding graphs makes no partial copy that would hide the others
    more = Dataset()
    more.graph(URIRef(EX + "g9")).add((URIRef(EX + "c"), URIRef(EX + "p"), Literal(9)))
    store.load(more)
    assert UNION_GRAPH not in store._all_graph_names()
    subjects = store.select(f"SELECT DISTINCT ?s WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s").rows
    assert subjects == [{"s": URIRef(EX + "a")}, {"s": URIRef(EX + "c")}]
    oxigraph_server.clear()


def test_a_failed_load_leaves_the_old_copy(oxigraph_server, monkeypatch) -> None:
    oxigraph_server.clear()
    store = open_store(oxigraph_server.spec())
    store.load(_two_graphs_stating_one_triple(), replace=True)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(store.select(count).rows[0]["n"]) == 2
    bad = Dataset()
    good = bad.graph(URIRef(EX + "g5"))
    for i in range(30):
        good.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(i)))
    bad.graph(URIRef(EX + "g6")).add((URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:%zz")))
    monkeypatch.setattr("regional_kg.stores.remote.INSERT_CHUNK", 10)
    with pytest.raises(StoreError):
        store.load(bad, replace=True)
    assert int(store.select(count).rows[0]["n"]) == 2
    assert store._all_graph_names() == [URIRef(EX + "g1"), URIRef(EX + "g2"), UNION_GRAPH]
    oxigraph_server.clear()
