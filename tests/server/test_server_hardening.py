"""``rkg serve`` against hostile or careless input: no outbound requests, no crash, real timeouts.

Everything runs for real: the server with its ``oxigraph serve`` engine on free loopback ports,
a plain listening socket standing in for an address the server must never contact, the ``rkg``
command in subprocesses for exit codes and messages.
"""

from __future__ import annotations

import http.client
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from regional_kg.limits import MAX_DEPTH, QueryLimitError, RemoteClauseError, check_remote, scan
from regional_kg.server import make_server
from regional_kg.stores.oxigraph import OxigraphStore
from tests.server.test_server import EX, STATE_QUERY, TOKEN, _dataset, _get, _post
from tests.support.oxigraph_server import start_oxigraph_server


def _serve(store=None, **options) -> object:
    if store is None:
        store = OxigraphStore()
        store.load(_dataset())
    options.setdefault("quiet", True)
    srv = make_server(store, "127.0.0.1", 0, **options)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def _stop(srv) -> None:
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def server() -> Iterator:
    srv = _serve(update_token=TOKEN, timeout=5.0, max_rows=1000)
    yield srv
    _stop(srv)


@pytest.fixture()
def listener() -> Iterator[tuple[socket.socket, int]]:
    """A loopback port that listens and must receive nothing."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock, sock.getsockname()[1]
    sock.close()


def _nothing_connected(sock: socket.socket, wait: float = 1.0) -> bool:
    readable, _, _ = select.select([sock], [], [], wait)
    return not readable


def _query(srv, query: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    return _get(srv, "/sparql?" + urllib.parse.urlencode({"query": query}), headers)


# --- 1. no outbound requests -------------------------------------------------------------------


def test_service_and_load_are_refused_and_nothing_is_sent(server, listener) -> None:
    sock, port = listener
    target = f"http://127.0.0.1:{port}/sparql"
    refused = [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX remote: <http://127.0.0.1:{port}/>\n"
        "SELECT * WHERE { SERVICE remote:sparql {} }",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ service <sparql> {{ ?s ?p ?o }} }}",
        # the keyword after a prefixed name with an escaped '#', which is not a comment
        f"PREFIX e: <http://e/> SELECT * WHERE {{ ?s e:a\\#b ?o SERVICE <{target}> {{}} }}",
        # one on a line after a comment that mentions a string quote
        f'SELECT * WHERE {{ ?s ?p ?o # a "comment\n SERVICE <{target}> {{}} }}',
    ]
    for query in refused:
        status, _, body = _query(server, query)
        error = json.loads(body)
        assert status == 403, (query, status, body)
        assert error["error"] == "service-not-allowed" and target in error["message"]
        assert "--allow-service" in error["message"]
    status, _, body = _query(server, "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }")
    assert status == 400 and json.loads(body)["error"] == "service-not-allowed"
    assert "variable" in json.loads(body)["message"]

    for update in (
        f"LOAD <http://127.0.0.1:{port}/data.ttl>",
        f"LOAD SILENT <http://127.0.0.1:{port}/data.ttl> INTO GRAPH <urn:g>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
    ):
        status, body = _post(
            server,
            update.encode(),
            "application/sparql-update",
            {"Authorization": f"Bearer {TOKEN}"},
        )
        assert status == 403, (update, status, body)
        assert json.loads(body)["error"] in ("load-not-allowed", "service-not-allowed")
    assert _nothing_connected(sock), "the server connected to the listener"


def test_service_text_inside_strings_iris_and_comments_is_no_service(server) -> None:
    query = (
        "SELECT ?x WHERE { # SERVICE <http://127.0.0.1:9/> { }\n"
        '  BIND("SERVICE <http://127.0.0.1:9/> {}" AS ?x)\n'
        "  FILTER(?x != <http://example.org/SERVICE>)\n"
        "}"
    )
    status, _, body = _query(server, query)
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"].startswith("SERVICE <")


def test_allow_service_lets_one_endpoint_through(tmp_path) -> None:
    remote, tmp = start_oxigraph_server()
    try:
        data = b'<http://example.org/a> <http://example.org/p> "from the remote" .\n'
        request = urllib.request.Request(
            remote.store_url + "?default",
            data=data,
            method="POST",
            headers={"Content-Type": "application/n-triples"},
        )
        urllib.request.urlopen(request, timeout=30)
        srv = _serve(allow_service=(remote.query_url,))
        try:
            query = f"SELECT ?o WHERE {{ SERVICE <{remote.query_url}> {{ ?s ?p ?o }} }}"
            status, _, body = _query(srv, query)
            assert status == 200, body
            assert [b["o"]["value"] for b in json.loads(body)["results"]["bindings"]] == [
                "from the remote"
            ]
            other = query.replace("/query", "/update")
            status, _, body = _query(srv, other)
            assert status == 403 and remote.query_url in json.loads(body)["message"]
        finally:
            _stop(srv)
    finally:
        remote.stop()
        tmp.cleanup()


def test_scanner_finds_remote_clauses_in_the_token_stream() -> None:
    found = scan("PREFIX x: <http://h/> SELECT * { SERVICE x:q\\.1 {} SERVICE <rel> {} }")
    assert found.services == ("http://h/q.1", "rel") and found.form == "select"
    assert scan("LOAD <http://h/d> INTO GRAPH <urn:g>", update=True).loads == ("http://h/d",)
    assert scan("SELECT ('''SERVICE <x> { }''' AS ?a) {}").services == ()
    with pytest.raises(RemoteClauseError):
        check_remote(scan("SELECT * { SERVICE <http://h/q> {} }"), ["http://other/"])
    check_remote(scan("SELECT * { SERVICE <http://h/q> {} }"), ["http://h/q"])
    # a character that starts no SPARQL token stops the scan instead of being skipped
    with pytest.raises(QueryLimitError, match="unexpected"):
        scan("SELECT * { ?s ?p 'unterminated SERVICE <http://h/> {} }")


# --- 2. bad queries cannot crash anything ----------------------------------------------------


def _nested(levels: int) -> str:
    return "SELECT * WHERE " + "{" * levels + "}" * levels


@pytest.mark.parametrize("levels", [3_000, 100_000])
def test_deep_nesting_is_refused_and_the_server_lives(server, levels) -> None:
    status, body = _post(server, _nested(levels).encode(), "application/sparql-query")
    error = json.loads(body)
    assert status == 400 and error["error"] == "query-too-complex"
    assert f"more than {MAX_DEPTH} levels" in error["message"]
    status, body = _post(
        server,
        _nested(levels).replace("SELECT * WHERE", "INSERT {} WHERE").encode(),
        "application/sparql-update",
        {"Authorization": f"Bearer {TOKEN}"},
    )
    assert status == 400 and "levels" in json.loads(body)["message"]
    status, _, body = _query(server, STATE_QUERY)  # still alive and answering
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
    assert server.config.engine.alive()


def test_moderate_nesting_still_runs(server) -> None:
    status, _, body = _query(server, _nested(MAX_DEPTH - 1))
    assert status == 200 and json.loads(body)["results"]["bindings"] == [{}]


def test_huge_query_is_refused(server) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 600_000
    status, body = _post(server, query.encode(), "application/sparql-query")
    assert status == 400 and json.loads(body)["error"] == "query-too-large"


def _rkg(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "regional_kg.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("levels", [3_000, 100_000])
def test_rkg_query_refuses_deep_nesting(tmp_path, levels) -> None:
    # 100,000 levels is 200 KB, over Linux's limit for one argument: through --file
    path = tmp_path / "deep.rq"
    path.write_text(_nested(levels))
    args = ["query", "--file", str(path)] if levels > 5000 else ["query", _nested(levels)]
    done = _rkg(*args, "--store", "memory")
    assert done.returncode == 2, done.stderr
    assert f"more than {MAX_DEPTH} levels" in done.stderr
    assert "Traceback" not in done.stderr


# --- 3. a timeout stops the work ---------------------------------------------------------------

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_timeout_stops_the_work_and_others_are_answered() -> None:
    """Four cross joins past a 1 s timeout: 503 each, a cheap query answered meanwhile, and
    the engine process that ran them is gone, its replacement idle."""
    srv = _serve(timeout=1.0, max_rows=10**6)
    backend = srv.config.engine
    first_pid = backend.pid
    outcome: list[tuple] = []
    try:
        heavy = [
            threading.Thread(target=lambda: outcome.append(_query(srv, CROSS))) for _ in range(4)
        ]
        for t in heavy:
            t.start()
        for _ in range(500):
            if srv.active == 4:
                break
            time.sleep(0.01)
        assert srv.active == 4, "the cross joins did not start"
        status, _, body = _query(srv, STATE_QUERY)  # a cheap query meanwhile
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
        for t in heavy:
            t.join(60)
        assert [o[0] for o in outcome] == [503] * 4, [o[2] for o in outcome]
        assert {json.loads(o[2])["error"] for o in outcome} == {"timeout"}
        # the process that evaluated them was killed (and reaped); a fresh one took over
        assert backend.restarts >= 1 and backend.pid != first_pid
        assert not Path(f"/proc/{first_pid}").exists()
        before = _cpu_ticks(backend.pid)
        time.sleep(1.0)
        spent = _cpu_ticks(backend.pid) - before
        ticks = os.sysconf("SC_CLK_TCK")
        assert spent < 0.1 * ticks, (
            f"the engine used {spent / ticks:.2f} s of CPU after the timeout"
        )
        status, _, body = _query(srv, STATE_QUERY)  # and it answers
        assert status == 200, body
        assert len(json.loads(body)["results"]["bindings"]) == 3
        last_pid = backend.pid
    finally:
        _stop(srv)
    assert not Path(f"/proc/{last_pid}").exists()  # the server stops its engine


# --- 6. smaller items --------------------------------------------------------------------------


def test_bad_paths_bodies_and_formats_are_client_errors(server) -> None:
    status, _, body = _get(server, "/report/%00")
    assert status == 400 and "NUL" in json.loads(body)["message"]
    status, _, body = _get(server, "/queries/%ff%fe")
    assert status == 400
    status, body = _post(server, b"SELECT * WHERE { ?s ?p '\xff' }", "application/sparql-query")
    assert status == 400 and "UTF-8" in json.loads(body)["message"]
    status, body = _post(server, b"query=\xff", "application/x-www-form-urlencoded")
    assert status == 400
    status, _, body = _get(
        server, "/sparql?" + urllib.parse.urlencode({"query": STATE_QUERY, "format": "turtle"})
    )
    assert status == 406 and "turtle" in json.loads(body)["message"]
    # a fitting format still wins, and a SPARQLWrapper-style format=json with Accept falls back
    status, headers, _ = _get(
        server, "/sparql?" + urllib.parse.urlencode({"query": STATE_QUERY, "format": "csv"})
    )
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    construct = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"
    status, headers, _ = _get(
        server,
        "/sparql?" + urllib.parse.urlencode({"query": construct, "format": "json"}),
        {"Accept": "text/turtle"},
    )
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")


def _raw(srv, method: str, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=30)
    conn.putrequest(method, path, skip_host="Host" in headers)
    for key, value in headers.items():
        conn.putheader(key, value)
    conn.endheaders()
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_host_allow_list_stops_dns_rebinding(server) -> None:
    port = server.server_address[1]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "[::1]", "10.1.2.3:80"):
        assert _raw(server, "GET", "/health", {"Host": host}).status == 200, host
    response = _raw(server, "GET", "/health", {"Host": f"rebound.example:{port}"})
    assert response.status == 421
    srv = _serve(allow_hosts=("kg.example.org",))
    try:
        assert _raw(srv, "GET", "/health", {"Host": "kg.example.org"}).status == 200
        assert _raw(srv, "GET", "/health", {"Host": "other.example.org"}).status == 421
    finally:
        _stop(srv)


def test_cors_headers_and_preflight() -> None:
    origin = "https://yasgui.example"
    srv = _serve(cors=(origin,))
    try:
        pre = _raw(
            srv,
            "OPTIONS",
            "/sparql",
            {
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert pre.status == 204
        assert pre.getheader("Access-Control-Allow-Origin") == origin
        assert "POST" in pre.getheader("Access-Control-Allow-Methods")
        assert "Content-Type" in pre.getheader("Access-Control-Allow-Headers")
        status, headers, _ = _query(srv, STATE_QUERY, {"Origin": origin})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == origin
        status, headers, _ = _query(srv, STATE_QUERY, {"Origin": "https://evil.example"})
        assert status == 200 and "Access-Control-Allow-Origin" not in headers
        other = _raw(
            srv,
            "OPTIONS",
            "/sparql",
            {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert other.getheader("Access-Control-Allow-Origin") is None
    finally:
        _stop(srv)
    status, headers, _ = _query(_no_cors := _serve(), STATE_QUERY, {"Origin": origin})
    _stop(_no_cors)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_rkg_serve_bad_port_and_port_in_use() -> None:
    done = _rkg("serve", "--port", "70000")
    assert done.returncode == 2 and "70000" in done.stderr and "Traceback" not in done.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = _rkg("serve", "--port", str(port), "--no-validate")
    assert done.returncode == 2, done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_rkg_query_beside_a_server_on_the_same_folder(tmp_path) -> None:
    folder = tmp_path / "kg"
    store = OxigraphStore(folder)
    store.load(_dataset())
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o }}"
    srv = _serve(store)  # read-only: the engine takes no lock
    try:
        done = _rkg("query", query, "--store", f"oxigraph:{folder}", "--format", "csv")
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == ["n", "3000"]
    finally:
        _stop(srv)
    srv = _serve(OxigraphStore(folder), update_token=TOKEN)  # writable: the engine holds the lock
    try:
        done = _rkg("query", query, "--store", f"oxigraph:{folder}")
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "open for writing" in done.stderr and "--store sparql:" in done.stderr
        url = f"{srv.url}/sparql"
        done = _rkg("query", query, "--store", f"sparql:{url}#union=server", "--format", "csv")
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == ["n", "3000"]
    finally:
        _stop(srv)


def test_a_crashed_engine_is_replaced() -> None:
    """Whatever kills the engine (a crash in the parser, the OOM killer), the server lives on."""
    import signal

    srv = _serve()
    try:
        backend = srv.config.engine
        first = backend.pid
        os.kill(first, signal.SIGKILL)
        backend.process.wait(10)
        status, _, body = _query(srv, STATE_QUERY)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
        assert backend.alive() and backend.pid != first
    finally:
        _stop(srv)


def test_an_rdflib_memory_store_is_served_by_the_engine() -> None:
    from regional_kg.stores.memory import MemoryStore

    store = MemoryStore()
    store.load(_dataset())
    srv = _serve(store)
    try:
        assert srv.config.engine is not None
        status, _, body = _query(srv, STATE_QUERY)
        rows = json.loads(body)["results"]["bindings"]
        assert status == 200 and [r["code"]["value"] for r in rows] == ["KG", "KZ", "UZ"]
        # the default graph is the union, de-duplicated like the stores' own
        status, _, body = _query(srv, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o }}")
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "3000"
    finally:
        _stop(srv)


def test_scanner_never_misses_a_service_oxigraph_would_call(listener) -> None:
    """Differential: SERVICE clauses wrapped in comments, strings with escapes, prefixed names
    with escapes, IRIs and filters, each text run by pyoxigraph itself against a listener. Any
    text that made Oxigraph connect must have been flagged by the scanner."""
    import random

    import pyoxigraph as ox

    sock, port = listener
    calls: list[int] = []

    def answer_nothing() -> None:  # Oxigraph waits for an answer: close at once instead
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            calls.append(1)
            conn.close()

    threading.Thread(target=answer_nothing, daemon=True).start()
    target = f"<http://127.0.0.1:{port}/s>"
    services = [f"SERVICE {target} {{ }}", f"service{target}{{}}", "SERVICE ex:s { ?a ?b ?c }"]
    escapes = ["", '\\"', "\\'", "\\\\", "\\n", "#", "}", "{", "\n"]
    plx = ["\\#", "\\.", ".", "", "\\'"]

    def hide(rng: random.Random, inner: str) -> str:
        kind = rng.randrange(6)
        if kind == 0:
            return "# " + inner.replace("\n", " ") + "\n"
        if kind == 1:
            quote = rng.choice(['"', "'", '"""', "'''"])
            e1, e2 = rng.choice(escapes), rng.choice(escapes)
            return f"BIND({quote}{e1}{inner}{e2}{quote} AS ?v{rng.randrange(99)})"
        if kind == 2:
            return "?s ex:a" + rng.choice(plx) + "b ?o . " + inner
        if kind == 3:
            return "FILTER(?x < ?y) " + inner
        if kind == 4:
            return "<http://e/" + rng.choice(["", "#", "x"]) + "> ?p ?o . " + inner
        return inner

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    rng = random.Random(20261201)
    called = 0
    for _ in range(1500):
        body = rng.choice(services)
        for _ in range(rng.randint(1, 3)):
            body = hide(rng, body)
        query = f"PREFIX ex: <http://127.0.0.1:{port}/> SELECT * WHERE {{ {body} }}"
        try:
            flagged = bool(scan(query).services)
        except QueryLimitError:
            continue  # refused outright: nothing could be sent
        before = len(calls)
        try:
            list(store.query(query))
        except (SyntaxError, OSError, ValueError, RuntimeError):
            pass
        if len(calls) == before:
            continue
        called += 1
        assert flagged, f"the scanner missed a SERVICE that Oxigraph called: {query!r}"
    assert called > 100  # the generator does produce texts Oxigraph runs


def test_catalogue_labels_follow_updates(server) -> None:
    """The label index behind /queries/NAME is rebuilt after an update."""
    status, _, body = _get(server, "/queries/partners?state=Tajikistan")
    assert status == 400 and "no state called 'Tajikistan'" in json.loads(body)["message"]
    status, _, body = _get(server, "/queries/partners?state=kazakhstan")  # any case
    assert status == 200 and json.loads(body)["query"] == "partners"
    insert = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    INSERT DATA { GRAPH <https://w3id.org/regional-kg/graph/test-tj> {
      <https://w3id.org/regional-kg/id/state/TJ> a rkg:State ; skos:prefLabel "Tajikistan"@en } }"""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status, _ = _post(server, insert.encode(), "application/sparql-update", auth)
    assert status == 204
    try:
        status, _, body = _get(server, "/queries/partners?state=Tajikistan")
        assert status == 200, body
    finally:
        drop = b"DROP GRAPH <https://w3id.org/regional-kg/graph/test-tj>"
        assert _post(server, drop, "application/sparql-update", auth)[0] == 204
    status, _, _ = _get(server, "/queries/partners?state=Tajikistan")
    assert status == 400


def test_a_remote_store_is_served_in_process_with_the_same_checks(listener) -> None:
    """``--store sparql:URL``: no engine process, the queries go to that endpoint, and the
    request checks (remote clauses, nesting) apply all the same."""
    from regional_kg.stores import open_store

    sock, port = listener
    remote, tmp = start_oxigraph_server()
    try:
        store = open_store(remote.spec())
        store.load(_dataset())
        srv = _serve(store)
        try:
            assert srv.config.engine is None
            status, _, body = _query(srv, STATE_QUERY)
            rows = json.loads(body)["results"]["bindings"]
            assert status == 200 and [r["code"]["value"] for r in rows] == ["KG", "KZ", "UZ"]
            service = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
            assert _query(srv, service)[0] == 403
            assert _query(srv, _nested(3000))[0] == 400
        finally:
            _stop(srv)
    finally:
        remote.stop()
        tmp.cleanup()
    assert _nothing_connected(sock)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_the_engine_dies_with_rkg_serve_even_on_kill_9(tmp_path) -> None:
    import shutil
    import signal

    from tests.support.oxigraph_server import free_port

    port = free_port()
    cmd = [sys.executable, "-m", "regional_kg.cli", "serve", "--port", str(port), "--quiet"]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    engine_pid = None
    try:
        for _ in range(1200):
            children = [
                int(c)
                for task in Path(f"/proc/{proc.pid}/task").iterdir()
                for c in (task / "children").read_text().split()
            ]
            engines = [c for c in children if "oxigraph" in _cmdline(c)]
            if engines and _serving(port):
                engine_pid = engines[0]
                break
            assert proc.poll() is None, "rkg serve exited"
            time.sleep(0.05)
        assert engine_pid is not None, "rkg serve did not start its engine"
        location = _cmdline(engine_pid).split("\0")
        folder = Path(location[location.index("--location") + 1])
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        for _ in range(200):
            if not Path(f"/proc/{engine_pid}").exists():
                break
            time.sleep(0.05)
        assert not Path(f"/proc/{engine_pid}").exists(), "the engine outlived rkg serve"
        shutil.rmtree(folder.parent, ignore_errors=True)  # kill -9 leaves the temporary copy
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


def _serving(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/health")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False
