"""``rkg serve`` against real clients: SPARQLWrapper, urllib and headless Chromium.

The server runs in a thread of the test process on a free loopback port, over an Oxigraph store
holding a small dataset of our own (so these tests do not depend on the curated graph) plus a few
thousand generated triples for the slow queries.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TSV, TURTLE, XML, SPARQLWrapper

from regional_kg.namespaces import RKG, RKGD, RKGG
from regional_kg.server import make_server
from regional_kg.stores.oxigraph import OxigraphStore
from tests.support.browser import browser  # noqa: F401  (session fixture)

TOKEN = "test-token-123"
EX = "http://example.org/slow/"
SLOW_N = 3000
STATES = {"KZ": "Kazakhstan", "KG": "Kyrgyzstan", "UZ": "Uzbekistan"}


def _dataset() -> Dataset:
    ds = Dataset()
    ref = ds.graph(RKGG["reference"])
    for code, name in STATES.items():
        state = RKGD[f"state/{code}"]
        ref.add((state, RDF.type, RKG.State))
        ref.add((state, SKOS.prefLabel, Literal(name, lang="en")))
        ref.add((state, RKG.isoCode, Literal(code)))
    other = ds.graph(RKGG["koishybayev-2018"])
    other.add((RKGD["state/KZ"], RKG.bordersWith, RKGD["state/KG"]))
    slow = ds.graph(URIRef(EX + "graph"))
    for i in range(SLOW_N):
        slow.add((URIRef(f"{EX}s{i}"), URIRef(EX + "p"), Literal(i)))
    return ds


@pytest.fixture(scope="module")
def server() -> Iterator:
    store = OxigraphStore()
    store.load(_dataset())
    srv = make_server(
        store, "127.0.0.1", 0, update_token=TOKEN, timeout=2.0, max_rows=1000, workers=3, quiet=True
    )
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _wrapper(server, query: str, fmt: str | None = None) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(query)
    if fmt:
        sw.setReturnFormat(fmt)
    return sw


STATE_QUERY = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code ?name WHERE { ?s rkg:isoCode ?code ; skos:prefLabel ?name } ORDER BY ?code"""


def _get(server, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(server.url + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _post(server, body: bytes, ctype: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        server.url + "/sparql", data=body, headers={"Content-Type": ctype, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# --- result formats through SPARQLWrapper ------------------------------------------------------


def test_select_json_and_xml_via_sparqlwrapper(server) -> None:
    data = _wrapper(server, STATE_QUERY, JSON).query().convert()
    assert data["head"]["vars"] == ["code", "name"]
    rows = [
        (b["code"]["value"], b["name"]["value"], b["name"]["xml:lang"])
        for b in data["results"]["bindings"]
    ]
    assert rows == [
        ("KG", "Kyrgyzstan", "en"),
        ("KZ", "Kazakhstan", "en"),
        ("UZ", "Uzbekistan", "en"),
    ]

    doc = _wrapper(server, STATE_QUERY, XML).query().convert()  # an xml.dom Document
    names = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert names == ["KG", "Kyrgyzstan", "KZ", "Kazakhstan", "UZ", "Uzbekistan"]


def test_select_csv_and_tsv_via_sparqlwrapper(server) -> None:
    csv_text = _wrapper(server, STATE_QUERY, CSV).query().convert().decode()
    assert csv_text.splitlines() == ["code,name", "KG,Kyrgyzstan", "KZ,Kazakhstan", "UZ,Uzbekistan"]
    tsv_text = _wrapper(server, STATE_QUERY, TSV).query().convert().decode()
    assert tsv_text.splitlines()[0] == "?code\t?name"
    assert tsv_text.splitlines()[2] == '"KZ"\t"Kazakhstan"@en'


def test_ask_json(server) -> None:
    q = "PREFIX rkg: <https://w3id.org/regional-kg/ontology#> ASK { ?a rkg:bordersWith ?b }"
    assert _wrapper(server, q, JSON).query().convert() == {"head": {}, "boolean": True}


CONSTRUCT = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
CONSTRUCT { ?s rkg:isoCode ?c } WHERE { ?s rkg:isoCode ?c }"""


def _expected_graph() -> set:
    return {(RKGD[f"state/{c}"], RKG.isoCode, Literal(c)) for c in STATES}


def test_construct_turtle_ntriples_jsonld(server) -> None:
    turtle = _wrapper(server, CONSTRUCT, TURTLE).query()
    assert turtle.response.headers["Content-Type"].startswith("text/turtle")
    assert set(Graph().parse(data=turtle.response.read().decode(), format="turtle")) == (
        _expected_graph()
    )

    nt = _wrapper(server, CONSTRUCT)
    nt.addCustomHttpHeader("Accept", "application/n-triples")
    response = nt.query().response
    assert response.headers["Content-Type"].startswith("application/n-triples")
    assert set(Graph().parse(data=response.read().decode(), format="nt")) == _expected_graph()

    jsonld = _wrapper(server, CONSTRUCT, JSONLD).query()
    assert jsonld.response.headers["Content-Type"].startswith("application/ld+json")
    body = jsonld.response.read().decode()
    assert set(Graph().parse(data=body, format="json-ld")) == _expected_graph()


def test_post_direct_body_and_get(server) -> None:
    status, body = _post(
        server, STATE_QUERY.encode(), "application/sparql-query", {"Accept": "text/csv"}
    )
    assert status == 200 and body.decode().splitlines()[1] == "KG,Kyrgyzstan"
    status, headers, body = _get(
        server, "/sparql?" + urllib.parse.urlencode({"query": STATE_QUERY, "format": "json"})
    )
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    assert len(json.loads(body)["results"]["bindings"]) == 3


def test_service_description(server) -> None:
    status, headers, body = _get(server, "/sparql", {"Accept": "text/turtle"})
    assert status == 200
    graph = Graph().parse(data=body.decode(), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    services = list(graph.subjects(RDF.type, URIRef(sd + "Service")))
    assert services == [URIRef(server.url + "/sparql")]
    assert (services[0], URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph


# --- updates -------------------------------------------------------------------------------------

INSERT = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
INSERT DATA { GRAPH <https://w3id.org/regional-kg/graph/test> {
  <https://w3id.org/regional-kg/id/state/TJ> rkg:isoCode "TJ" } }"""
HAS_TJ = 'PREFIX rkg: <https://w3id.org/regional-kg/ontology#> ASK { ?s rkg:isoCode "TJ" }'


def test_update_needs_the_token(server) -> None:
    body = urllib.parse.urlencode({"update": INSERT}).encode()
    status, answer = _post(server, body, "application/x-www-form-urlencoded")
    assert status == 403 and json.loads(answer)["error"] == "forbidden"
    status, _ = _post(
        server, INSERT.encode(), "application/sparql-update", {"Authorization": "Bearer wrong"}
    )
    assert status == 403
    assert _wrapper(server, HAS_TJ, JSON).query().convert()["boolean"] is False

    sw = SPARQLWrapper(server.url + "/sparql", updateEndpoint=server.url + "/sparql")
    sw.setMethod(POST)
    sw.setQuery(INSERT)
    sw.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    sw.query()
    assert _wrapper(server, HAS_TJ, JSON).query().convert()["boolean"] is True
    sw.setQuery("DROP GRAPH <https://w3id.org/regional-kg/graph/test>")
    sw.query()
    assert _wrapper(server, HAS_TJ, JSON).query().convert()["boolean"] is False


def test_read_only_server_refuses_updates() -> None:
    store = OxigraphStore()
    srv = make_server(store, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        status, answer = _post(
            srv, INSERT.encode(), "application/sparql-update", {"Authorization": f"Bearer {TOKEN}"}
        )
        assert status == 403 and "read-only" in json.loads(answer)["message"]
        assert len(store) == 0
    finally:
        srv.shutdown()
        srv.server_close()


# --- errors, limits ------------------------------------------------------------------------------


def test_syntax_error_is_400_without_traceback(server) -> None:
    for query in ("SELECT ?x WHERE { ?x ?y }", "SELEC * WHERE {}"):
        status, headers, body = _get(server, "/sparql?" + urllib.parse.urlencode({"query": query}))
        assert status == 400
        error = json.loads(body)
        assert error["error"] == "syntax" and "error at" in error["message"]
        assert "Traceback" not in body.decode() and 'File "' not in body.decode()


def test_row_cap(server) -> None:
    q = f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}"
    status, _, body = _get(server, "/sparql?" + urllib.parse.urlencode({"query": q}))
    assert status == 413
    assert "more than 1000 rows" in json.loads(body)["message"]
    status, headers, body = _get(
        server, "/sparql?" + urllib.parse.urlencode({"query": q + " LIMIT 1000"})
    )
    assert status == 200 and headers["X-Result-Count"] == "1000"
    assert len(json.loads(body)["results"]["bindings"]) == 1000


CROSS_JOIN = f"SELECT ?a ?b WHERE {{ ?a <{EX}p> ?x . ?b <{EX}p> ?y }}"  # 9 million rows
CROSS_COUNT = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}p> ?x . ?b <{EX}p> ?y . FILTER(STR(?x) < STR(?y)) }}"
)


def test_timeout_and_a_fast_query_meanwhile(tmp_path) -> None:
    """A slow query times out with a 503 JSON error; a fast query sent while it runs answers."""
    store = OxigraphStore()
    store.load(_dataset())
    # 0.5 s: the aggregate below takes about 1.7 s on a small CI machine, the lazy join far more
    srv = make_server(store, "127.0.0.1", 0, timeout=0.5, max_rows=10**8, workers=3, quiet=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    events: list[str] = []
    outcome: dict[str, tuple] = {}

    def slow(name: str, query: str) -> None:
        outcome[name] = _get(srv, "/sparql?" + urllib.parse.urlencode({"query": query}))
        events.append(name)

    try:
        threads = [
            threading.Thread(target=slow, args=("lazy", CROSS_JOIN)),
            threading.Thread(target=slow, args=("aggregate", CROSS_COUNT)),
        ]
        for t in threads:
            t.start()
        # wait until both slow queries are being evaluated by workers
        for _ in range(500):
            if srv.active == 2:
                break
            time.sleep(0.01)
        assert srv.active == 2, "the slow queries did not start"
        status, _, body = _get(srv, "/sparql?" + urllib.parse.urlencode({"query": STATE_QUERY}))
        events.append("fast")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
        for t in threads:
            t.join(60)
        assert events[0] == "fast", events
        for name in ("lazy", "aggregate"):
            status, _, body = outcome[name]
            assert status == 503, (name, status, body[:200])
            assert json.loads(body)["error"] == "timeout"
    finally:
        srv.shutdown()
        srv.server_close()


def test_health_and_unknown_route(server) -> None:
    status, _, body = _get(server, "/health")
    assert status == 200
    health = json.loads(body)
    # O(1): no count of the data (it took seconds on a big store), the engine's state instead
    assert health == {
        "status": "ok",
        "store": "oxigraph",
        "running_queries": 0,
        "engine": "oxigraph serve",
        "read_only": False,
    }
    status, _, body = _get(server, "/nope")
    assert status == 404 and json.loads(body)["error"] == "not-found"


# --- the query page in Chromium ------------------------------------------------------------------


def test_query_page_runs_a_query_offline(server, browser) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(server.url + "/")
        page.fill("#query", STATE_QUERY)
        page.click("#run")
        page.wait_for_selector("#results table tbody tr")
        cells = page.locator("#results table tbody tr").all_inner_texts()
        assert [c.split("\t") for c in cells] == [
            ["KG", "Kyrgyzstan"],
            ["KZ", "Kazakhstan"],
            ["UZ", "Uzbekistan"],
        ]
        assert page.locator("#status").inner_text().startswith("3 rows")
        # an error shows the server's message, not a blank page
        page.fill("#query", "SELECT ?x WHERE { ?x }")
        page.click("#run")
        page.wait_for_selector("#status.error")
        assert "400" in page.locator("#status").inner_text()
    finally:
        context.close()
    foreign = [
        u for u in requests if not u.startswith(server.url + "/") and not u.startswith("data:")
    ]
    assert foreign == []
    assert server.url + "/sparql" in requests
    assert [e for e in errors if "400" not in e] == []


# --- the curated graph: catalogue API, network page, report, the CLI ------------------------------


@pytest.fixture(scope="module")
def curated() -> Iterator:
    from regional_kg.build import build

    srv = make_server(build(store="oxigraph").store, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_catalogue_api(curated) -> None:
    from regional_kg.catalogue import catalogue

    status, _, body = _get(curated, "/queries")
    entries = json.loads(body)
    assert status == 200
    assert [e["name"] for e in entries] == [spec.name for spec in catalogue()]
    leaders = next(e for e in entries if e["name"] == "leaders")
    assert {p["name"] for p in leaders["params"]} == {"organisation", "person", "on", "office"}

    status, headers, body = _get(curated, "/queries/leaders?organisation=KZ")
    assert status == 200 and headers["Content-Type"] == "application/json"
    answer = json.loads(body)
    assert answer["query"] == "leaders" and answer["rows"]
    assert any("Nursultan Nazarbayev" in json.dumps(row) for row in answer["rows"])

    status, headers, body = _get(curated, "/queries/leaders?organisation=KZ&format=csv")
    lines = body.decode().splitlines()
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert lines[0].split(",") == answer["variables"] and len(lines) == len(answer["rows"]) + 1
    status, _, body = _get(curated, "/queries/leaders", {"Accept": "text/csv"})
    assert status == 200 and body.decode().splitlines()[0].split(",") == answer["variables"]

    status, _, body = _get(curated, "/queries/leaderz")
    assert status == 404 and "leaders" in json.loads(body)["message"]
    status, _, body = _get(curated, "/queries/leaders?colour=red")
    assert status == 400 and "colour" in json.loads(body)["message"]


def test_network_page_and_report(curated) -> None:
    status, headers, body = _get(curated, "/network")
    html = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Kazakhstan" in html
    assert "cdn." not in html and "https://cdnjs" not in html
    status, headers, _ = _get(curated, "/report")
    assert status == 200  # urllib followed the redirect to /report/
    status, headers, body = _get(curated, "/report/")
    assert status == 200 and b"<html" in body.lower()
    status, _, body = _get(curated, "/report/..%2F..%2Fetc%2Fpasswd")
    assert status == 404


def test_page_lists_and_runs_catalogue_queries(curated, browser) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(curated.url + "/")
        page.click("#catalogue button[data-name='entities']")
        assert "SELECT" in page.input_value("#query")
        page.click("#run")
        page.wait_for_selector("#results table tbody tr")
        assert page.locator("#results table tbody tr").count() > 5
    finally:
        context.close()
    assert [u for u in requests if not u.startswith(curated.url + "/")] == []


def test_rkg_serve_command(tmp_path) -> None:
    """The real command in a subprocess: it serves until stopped, read-only by default."""
    import subprocess
    import sys

    from tests.support.oxigraph_server import free_port

    port = free_port()
    cmd = [sys.executable, "-m", "regional_kg.cli", "serve", "--port", str(port), "--quiet"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as response:
                    health = json.loads(response.read())
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"rkg serve exited: {proc.stderr.read()}")
                time.sleep(0.05)
        else:
            pytest.fail("rkg serve did not come up")
        assert health["status"] == "ok" and health["read_only"] is True
        sw = SPARQLWrapper(base + "/sparql")
        sw.setQuery(STATE_QUERY)
        sw.setReturnFormat(JSON)
        codes = [b["code"]["value"] for b in sw.query().convert()["results"]["bindings"]]
        assert {"KZ", "KG", "TJ", "TM", "UZ"} <= set(codes)
        request = urllib.request.Request(
            base + "/sparql",
            data=INSERT.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stderr.close()
