"""``rkg query --format F`` and ``rkg serve`` answer the same query with the same bytes.

Both write through :mod:`regional_kg.sparql_results`; the server's engine (``oxigraph serve``)
writes with Oxigraph's own code, which those writers follow. The data holds what the writers
escape or spell differently: quotes, tabs, newlines, markup characters, spaces at the edges,
language tags, integers, decimals, booleans, other datatypes, an unbound variable.

Left out, where the two differ: a CSV cell the CLI defuses against spreadsheet formulas (on
purpose, README), an IRI with a comma in CSV (Oxigraph leaves it unquoted), and an xsd:double,
whose lexical form rdflib rewrites ("1000" -> "1000.0") when the CLI's store hands it over.
"""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from regional_kg.cli import main
from regional_kg.server import make_server
from regional_kg.server.app import SparqlServer
from regional_kg.stores.oxigraph import OxigraphStore

EX = "http://example.org/"
QUERY = f"""SELECT ?s ?value ?missing WHERE {{
  ?s <{EX}value> ?value OPTIONAL {{ ?s <{EX}none> ?missing }}
}} ORDER BY ?s"""
VALUES = [
    URIRef(EX + "other"),
    Literal("plain"),
    Literal('quote " backslash \\ tab\tnewline\nend'),
    Literal("<markup> & 'apostrophe'"),
    Literal("  spaces at the edges "),
    Literal("Казахстан", lang="ru"),
    Literal("Kazakhstan", lang="en-gb"),
    Literal("42", datatype=XSD.integer),
    Literal("-27.7", datatype=XSD.decimal),
    Literal("1980", datatype=XSD.decimal),
    Literal("true", datatype=XSD.boolean),
    Literal("2019-11", datatype=XSD.gYearMonth),
    Literal("x", datatype=URIRef(EX + "type")),
]


def _dataset() -> Dataset:
    ds = Dataset()
    graph = ds.graph(URIRef("https://w3id.org/regional-kg/graph/test"))
    for i, value in enumerate(VALUES):
        graph.add((URIRef(f"{EX}s{i:02d}"), URIRef(EX + "value"), value))
    return ds


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bytes") / "store"
    store = OxigraphStore(folder)
    store.load(_dataset())
    store.close()
    return folder


def _cli(capsys: pytest.CaptureFixture[str], folder: Path, fmt: str) -> bytes:
    code = main(["query", "--store", f"oxigraph:{folder}", QUERY, "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out.encode("utf-8")


@pytest.fixture(params=["engine", "in-process"])
def server(request: pytest.FixtureRequest, store_dir: Path) -> Iterator[SparqlServer]:
    """``rkg serve`` over the same store: its ``oxigraph serve`` engine, or (as for a remote
    store) evaluated in the server's own process."""
    if request.param == "engine":
        store = OxigraphStore(store_dir, read_only=True)
    else:
        store = OxigraphStore()
        store.load(_dataset())
    srv = make_server(store, "127.0.0.1", 0, quiet=True, use_engine=request.param == "engine")
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _served(srv: SparqlServer, fmt: str) -> bytes:
    url = srv.url + "/sparql?" + urllib.parse.urlencode({"query": QUERY, "format": fmt})
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_cli_and_server_write_the_same_bytes(
    capsys: pytest.CaptureFixture[str], store_dir: Path, server: SparqlServer, fmt: str
) -> None:
    cli = _cli(capsys, store_dir, fmt)
    assert cli == _served(server, fmt)
    assert cli.count(b"plain") == 1 and "Казахстан".encode() in cli  # the rows are there
