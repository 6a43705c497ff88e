"""Hardening (issue #9, item 1): stores are never lost.

* A reading command (``query``, ``centrality``, ``viz``, ``report``, ``info``, ``export``) never
  writes a persistent store: with ``--source`` it answers over an in-memory copy of the store plus
  the sources (the overlay), and the store keeps every triple it had.
* ``rkg build`` on a remote store replaces only the graphs rkg owns
  (``https://w3id.org/regional-kg/graph/...``), says which, and never runs ``DROP ALL``: a graph
  another tool wrote (``<urn:precious>``) survives.
* A store that does not exist is an error for every command but ``build``.
* What a SIGKILLed on-disk build leaves behind is cleaned up by the next build.

Everything runs for real: on-disk Oxigraph stores in ``tmp_path`` and a real ``oxigraph serve``
on a free loopback port (tests/support/oxigraph_server.py).
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import URIRef

from regional_kg.build import StoreUnavailable, build, clean_leftovers, obtain_store
from regional_kg.cli import main
from regional_kg.namespaces import RKG, RKGG
from regional_kg.stores import open_store
from regional_kg.stores.remote import UNION_GRAPH
from tests.support.oxigraph_server import start_oxigraph_server

PRECIOUS = URIRef("urn:precious")
MARK = RKGG["source/mark"]
MINE = """@prefix schema: <https://schema.org/> .
<urn:mine> schema:name "mine" .
"""
MINE_QUERY = "SELECT ?n WHERE { <urn:mine> <https://schema.org/name> ?n }"
MARK_QUERY = "SELECT ?o WHERE { <urn:mark> <urn:says> ?o }"


def rkg(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def snapshot(spec: str) -> tuple[int, dict[URIRef, int]]:
    """Triples and per-graph counts of a persistent store, read without a lock."""
    store = obtain_store(spec, read_only=True)
    try:
        rows = store.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        ).rows
        return len(store), {row["g"]: int(row["n"]) for row in rows}
    finally:
        store.close()
        gc.collect()


@pytest.fixture
def disk_store(tmp_path: Path) -> str:
    """``oxigraph:DIR`` built by ``rkg build`` plus a marker graph only that store holds."""
    folder = tmp_path / "kg"
    assert main(["build", "-q", "--no-validate", "--store", f"oxigraph:{folder}"]) == 0
    store = open_store(f"oxigraph:{folder}")
    store.update(f'INSERT DATA {{ GRAPH <{MARK}> {{ <urn:mark> <urn:says> "kept" }} }}')
    store.close()
    del store
    gc.collect()
    return f"oxigraph:{folder}"


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    path = tmp_path / "mine.ttl"
    path.write_text(MINE, encoding="utf-8")
    return path


# --- reading commands never write a persistent store ------------------------------------------


def test_query_with_source_answers_over_store_and_source_without_writing(
    capsys, disk_store: str, mine: Path
) -> None:
    before = snapshot(disk_store)
    assert before[0] > 5000 and MARK in before[1]
    code, out, err = rkg(
        capsys, "query", "visits", "--param", "state=UZ", "--store", disk_store,
        "--source", str(mine), "--no-validate",
    )  # fmt: skip
    assert code == 0
    assert "in-memory copy of " + disk_store in err and "is not changed" in err
    # the answer sees the store's own data (the marker) and the source's
    for query, value in ((MINE_QUERY, "mine"), (MARK_QUERY, "kept")):
        code, out, _ = rkg(
            capsys, "query", query, "--store", disk_store, "--source", str(mine),
            "--no-validate", "--format", "csv",
        )  # fmt: skip
        assert code == 0 and out.splitlines()[1] == value
    assert snapshot(disk_store) == before  # not one triple replaced, added or lost
    code, out, _ = rkg(capsys, "query", MINE_QUERY, "--store", disk_store, "--format", "csv")
    assert code == 0 and out.splitlines() == ["n"]  # the source never reached the store


@pytest.mark.parametrize(
    "command",
    [
        ["info"],
        ["export", "-f", "nq"],
        ["centrality", "--top", "3"],
        ["viz", "-o", "{tmp}/net.html"],
        ["report", "-o", "{tmp}/report", "--top", "10"],
    ],
    ids=lambda c: c[0],
)
def test_reading_commands_with_source_leave_the_disk_store_alone(
    capsys, disk_store: str, mine: Path, tmp_path: Path, command: list[str]
) -> None:
    before = snapshot(disk_store)
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    code, out, err = rkg(
        capsys, *args, "--store", disk_store, "--source", str(mine), "--no-validate"
    )
    assert code == 0, err
    assert "is not changed" in err
    assert snapshot(disk_store) == before
    if command[0] == "info":
        assert "rkgg:source/mine" in out and "rkgg:source/mark" in out


def test_nonexistent_store_is_an_error_for_reading_commands(capsys, tmp_path: Path) -> None:
    typo = tmp_path / "TYPO"
    for args in (
        ["info"],
        ["query", "visits", "--param", "state=UZ"],
        ["export", "-f", "ttl"],
        ["centrality"],
        ["viz", "-o", str(tmp_path / "v.html")],
        ["report", "-o", str(tmp_path / "r")],
        ["serve", "--port", "0"],
    ):
        code, out, err = rkg(capsys, *args, "--store", f"oxigraph:{typo}")
        assert code == 2, (args, err)
        assert f"oxigraph:{typo}: no such store" in err, err
        assert f"rkg build --store oxigraph:{typo}" in err
        assert not typo.exists(), args  # nothing created
    # ... and for the API the commands use
    with pytest.raises(StoreUnavailable, match="no such store"):
        obtain_store(f"oxigraph:{typo}")
    assert not typo.exists()
    # a folder that is not a store: named, not built into
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("mine")
    code, _, err = rkg(capsys, "info", "--store", f"oxigraph:{tmp_path / 'notes'}")
    assert code == 2 and "holds no Oxigraph store" in err
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == ["a.txt"]
    # build is the one command that creates a store
    code, out, _ = rkg(capsys, "build", "-q", "--no-validate", "--store", f"oxigraph:{typo}")
    assert code == 0 and (typo / "CURRENT").is_file()


# --- remote stores: only rkg's graphs -----------------------------------------------------------


@pytest.fixture(scope="module")
def server():
    """A server of this module's own (these tests load and empty it)."""
    srv, tmp = start_oxigraph_server()
    try:
        yield srv
    finally:
        srv.stop()
        tmp.cleanup()


def _update(server, text: str) -> None:
    data = urllib.parse.urlencode({"update": text}).encode()
    urllib.request.urlopen(urllib.request.Request(server.update_url, data=data), timeout=30)


def _server_graphs(server) -> dict[str, int]:
    """Every graph on the server with its size, asked over plain HTTP (not through rkg)."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    url = server.query_url + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as response:
        lines = response.read().decode().splitlines()[1:]
    return {line.split(",")[0]: int(line.split(",")[1]) for line in lines if line}


@pytest.fixture
def shared_server(server):
    """The server holding a graph rkg never wrote, and an old rkg graph of an earlier build."""
    server.clear()
    _update(
        server,
        f'INSERT DATA {{ GRAPH <{PRECIOUS}> {{ <urn:a> <urn:b> "do not delete" . '
        f'<urn:a> <urn:c> "me" }} GRAPH <{RKGG["source/old"]}> {{ <urn:o> <urn:p> 1 }} }}',
    )
    return server


@pytest.mark.parametrize(
    "gsp,update",
    [(False, True), (True, True), (True, False)],
    ids=["update", "graph-store+update", "graph-store-only"],
)
def test_build_on_remote_replaces_only_rkg_graphs(
    capsys, shared_server, gsp: bool, update: bool
) -> None:
    spec = shared_server.spec(store=gsp, update=update)
    code, out, err = rkg(capsys, "build", "-q", "--no-validate", "--store", spec)
    assert code == 0, err
    graphs = _server_graphs(shared_server)
    assert graphs[str(PRECIOUS)] == 2  # the foreign graph survives, whole
    assert str(RKGG["source/old"]) not in graphs  # rkg's own old graph is replaced
    assert graphs[str(RKGG["ontology"])] > 1000
    assert not [g for g in graphs if "staging" in g]
    assert f"rkg: loading into sparql:{shared_server.query_url}" in err
    assert "keeping (not rkg's) 1: <urn:precious>" in err
    assert "dropping 1: rkgg:source/old" in err
    assert "adding" in err  # the curated graphs, new on this server
    # a second build replaces the graphs it wrote, still keeping the foreign one
    code, _, err = rkg(capsys, "build", "-q", "--no-validate", "--store", spec)
    assert code == 0 and "replacing" in err and "keeping (not rkg's) 1: <urn:precious>" in err
    assert _server_graphs(shared_server) == graphs


def test_staging_graphs_of_a_killed_load_are_hidden_then_dropped(capsys, shared_server) -> None:
    """A load killed before its final request leaves staging graphs (rkg's own): readers do
    not see them and the next build drops them."""
    spec = shared_server.spec()
    assert main(["build", "-q", "--no-validate", "--store", spec]) == 0
    staged = f"{RKGG}x-rkg-staging/0123abcd/{urllib.parse.quote(str(RKGG['ontology']), safe='')}"
    _update(shared_server, f"INSERT DATA {{ GRAPH <{staged}> {{ <urn:x> <urn:y> 1 }} }}")
    capsys.readouterr()
    code, out, _ = rkg(capsys, "info", "--store", spec)
    assert code == 0 and "staging" not in out
    assert open_store(spec).graph_names() == sorted(
        URIRef(g) for g in _server_graphs(shared_server) if "staging" not in g
        and g != str(UNION_GRAPH)  # the union copy is the store's machinery too
    )
    assert main(["build", "-q", "--no-validate", "--store", spec]) == 0
    graphs = _server_graphs(shared_server)
    assert staged not in graphs and str(PRECIOUS) in graphs


def test_rdflib_build_on_remote_keeps_foreign_graphs(capsys, shared_server) -> None:
    """The rdflib pipeline (``--validator pyshacl``) loads through the same replacing path."""
    spec = shared_server.spec()
    code, _, err = rkg(capsys, "build", "-q", "--validator", "pyshacl", "--store", spec)
    assert code == 0, err
    graphs = _server_graphs(shared_server)
    assert graphs[str(PRECIOUS)] == 2 and str(RKGG["source/old"]) not in graphs
    assert "keeping (not rkg's) 1: <urn:precious>" in err


def test_query_with_source_on_remote_writes_nothing(capsys, shared_server, mine: Path) -> None:
    spec = shared_server.spec()
    assert main(["build", "-q", "--no-validate", "--store", spec]) == 0
    capsys.readouterr()
    before = _server_graphs(shared_server)
    code, out, err = rkg(
        capsys, "query", MINE_QUERY, "--store", spec, "--source", str(mine), "--no-validate",
        "--format", "csv",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == ["n", "mine"]
    code, out, err = rkg(
        capsys, "query", "visits", "--param", "state=UZ", "--store", spec, "--source",
        str(mine), "--no-validate",
    )  # fmt: skip
    assert code == 0, err
    assert _server_graphs(shared_server) == before  # no DROP ALL, no graph added
    # the foreign graph is data too: the copy answers over it
    code, out, _ = rkg(
        capsys, "query", "SELECT ?o WHERE { <urn:a> <urn:b> ?o }", "--store", spec,
        "--source", str(mine), "--no-validate", "--format", "csv",
    )  # fmt: skip
    assert out.splitlines() == ["o", "do not delete"]


def test_foreign_graphs_take_no_part_in_overlay_validation(capsys, shared_server, mine) -> None:
    """A shared server's foreign graph breaks the shapes (a state with nothing): validating the
    overlay checks rkg's graphs and the sources, as a build does, and still answers over it."""
    spec = shared_server.spec()
    assert main(["build", "-q", "--no-validate", "--store", spec]) == 0
    _update(
        shared_server,
        f"INSERT DATA {{ GRAPH <{PRECIOUS}> {{ <urn:a> a <{RKG}State> }} }}",
    )
    capsys.readouterr()
    query = f"SELECT ?s WHERE {{ ?s a <{RKG}State> FILTER(?s = <urn:a>) }}"
    code, out, err = rkg(
        capsys, "query", query, "--store", spec, "--source", str(mine), "--format", "csv"
    )
    assert code == 0, err
    assert out.splitlines() == ["s", "urn:a"]
    bad = mine.with_name("bad.ttl")
    bad.write_text(f"<urn:b> a <{RKG}State> .\n", encoding="utf-8")
    code, _, err = rkg(capsys, "query", query, "--store", spec, "--source", str(bad))
    assert code == 3 and "<urn:b>" in err and "<urn:a>" not in err  # the source is checked


def test_reading_an_empty_remote_store_is_an_error_not_a_build(capsys, server) -> None:
    server.clear()
    spec = server.spec()
    code, _, err = rkg(capsys, "info", "--store", spec)
    assert code == 2
    assert f"sparql:{server.query_url} holds no data; build it first: rkg build" in err
    assert _server_graphs(server) == {}


def test_failed_remote_load_leaves_old_graphs(shared_server) -> None:
    """A load the server rejects half-way (a chunk with a bad term): the old graphs stay."""
    from rdflib import Dataset, Literal

    from regional_kg.stores.base import StoreError
    from regional_kg.stores.remote import RemoteStore

    spec = shared_server.spec()
    assert main(["build", "-q", "--no-validate", "--store", spec]) == 0
    before = _server_graphs(shared_server)
    store = open_store(spec)
    assert isinstance(store, RemoteStore)
    dataset = Dataset()
    good = dataset.graph(RKGG["source/a"])
    for i in range(50):
        good.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(i)))
    bad = dataset.graph(RKGG["source/z"])
    bad.add((URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:%zz")))  # the server refuses it
    import regional_kg.stores.remote as remote

    old_chunk = remote.INSERT_CHUNK
    remote.INSERT_CHUNK = 10  # several requests: the first ones succeed
    try:
        with pytest.raises(StoreError):
            store.load(dataset, replace=True)
    finally:
        remote.INSERT_CHUNK = old_chunk
    assert _server_graphs(shared_server) == before  # nothing replaced, no staging left


# --- interrupted on-disk builds ---------------------------------------------------------------


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_next_build_cleans_leftovers_of_interrupted_builds(tmp_path: Path) -> None:
    folder = tmp_path / "kg"
    build(store=f"oxigraph:{folder}", validate=False).store.close()
    gc.collect()
    dead = _dead_pid()
    leftovers = [
        tmp_path / f".kg.building-{dead}-abc123",  # a build folder (RocksDB files in it)
        tmp_path / ".kg.building-x7_k2q",  # a build folder of an older version (no pid)
        tmp_path / f".kg.old-{dead}-1700000000",  # a swap half done
    ]
    for entry in leftovers:
        entry.mkdir()
        (entry / "000001.sst").write_bytes(b"\0" * 1024)
    dump = tmp_path / f".kg.building-{dead}-abc123.nq"
    with open(dump, "wb") as handle:  # the N-Quads dump of a big build
        handle.truncate(120 * 1024 * 1024)
    running = tmp_path / f".kg.building-{os.getpid()}-live"  # a build still running: kept
    running.mkdir()
    other = tmp_path / ".other.building-zzz"  # another store's: not ours to judge
    other.mkdir()
    build(store=f"oxigraph:{folder}", validate=False).store.close()
    gc.collect()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["kg", running.name, other.name])


def test_killed_between_swap_renames_restores_the_old_store(tmp_path: Path) -> None:
    folder = tmp_path / "kg"
    result = build(store=f"oxigraph:{folder}", validate=False)
    size = len(result.store)
    result.store.close()
    del result
    gc.collect()
    # the state a SIGKILL between swap_in's two renames leaves: DIR moved aside, no new one
    old = tmp_path / f".kg.old-{_dead_pid()}-1"
    os.rename(folder, old)
    with pytest.raises(StoreUnavailable, match=f"left the previous store in {old}: move it back"):
        obtain_store(f"oxigraph:{folder}")  # a reading command names it (and moves nothing)
    assert old.is_dir() and not folder.exists()
    assert clean_leftovers(folder) == []  # the next build puts it back
    assert (folder / "CURRENT").is_file()
    store = open_store(f"oxigraph:{folder}", read_only=True)
    assert len(store) == size
    store.close()


def test_sigkilled_build_leftovers_are_cleaned_by_the_next_build(tmp_path: Path) -> None:
    folder = tmp_path / "kg"
    big = tmp_path / "big.nt"
    with open(big, "w", encoding="utf-8") as handle:
        for i in range(150_000):
            handle.write(f'<urn:s{i}> <urn:p> "value {i}" .\n')
    rkg_bin = Path(sys.executable).with_name("rkg")
    cmd = [str(rkg_bin), "build", "-q", "--no-validate", "--store", f"oxigraph:{folder}"]
    process = subprocess.Popen([*cmd, "--source", str(big)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    seen: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None and not seen:
        seen = [p for p in tmp_path.iterdir() if p.name.startswith(".kg.building-")]
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert seen, "the build ended before it could be killed"
    assert any(p.name.startswith(".kg.building-") for p in tmp_path.iterdir())
    assert not folder.exists()  # killed before the swap: no store, only leftovers
    done = subprocess.run([*cmd], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.nt", "kg"]
