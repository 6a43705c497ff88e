"""Content negotiation of ``rkg serve`` and the HTTP reader it talks to its engine with.

The reader (:class:`regional_kg.server.backend._Connection`) is driven by a real loopback
socket that answers with fixed bytes: chunked (with trailers), with a Content-Length, and to the
end of the connection, each also past the byte cap.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest

from regional_kg.server import make_server
from regional_kg.server.app import _count_json_rows
from regional_kg.server.backend import AnswerTooLarge, _Connection
from regional_kg.server.engine import RequestFailed, negotiate
from regional_kg.stores.oxigraph import OxigraphStore

# --- negotiate -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept,form,explicit,expected",
    [
        (None, "select", None, "json"),
        (None, "graph", None, "turtle"),
        ("text/csv", "select", None, "csv"),
        ("text/csv;q=0.5, application/sparql-results+xml", "select", None, "xml"),
        ("text/csv;q=0.9, text/tab-separated-values;q=0.9", "select", None, "csv"),  # in order
        ("text/csv;q=0, */*;q=0.1", "select", None, "json"),  # q=0: not acceptable
        ("text/csv;q=oops, text/turtle", "graph", None, "turtle"),  # a bad q counts as 0
        ("text/*", "graph", None, "turtle"),
        ("image/png, application/*", "ask", None, "json"),
        ("application/n-triples", "graph", None, "ntriples"),
        # ?format= wins when it fits the form ...
        ("text/csv", "select", "TSV", "tsv"),
        ("text/turtle", "graph", "nt", "ntriples"),
        # ... else a specific Accept type decides (SPARQLWrapper sends format=json for all forms)
        ("text/turtle", "graph", "json", "turtle"),
        ("application/ld+json;q=0.8", "graph", "json", "jsonld"),
    ],
)
def test_negotiate(accept: str | None, form: str, explicit: str | None, expected: str) -> None:
    assert negotiate(accept, form, explicit) == expected


@pytest.mark.parametrize(
    "accept,form,explicit,message",
    [
        ("image/png", "select", None, "none of the accepted types (image/png)"),
        ("text/csv;q=0", "select", None, "fits a select query"),
        (
            None,
            "graph",
            "csv",
            "graph query; use one of: json-ld, jsonld, n-triples",
        ),
        ("*/*", "select", "turtle", "use one of: csv, json, tsv, xml"),
    ],
)
def test_negotiate_refuses_with_406(
    accept: str | None, form: str, explicit: str | None, message: str
) -> None:
    with pytest.raises(RequestFailed) as caught:
        negotiate(accept, form, explicit)
    assert caught.value.status == 406 and caught.value.code == "not-acceptable"
    assert message in caught.value.message


# --- the engine connection -------------------------------------------------------------------


@pytest.fixture
def answering() -> Iterator:
    """``answer(raw)``: a connection to a loopback server that reads one request and sends
    ``raw`` (then closes if ``close``)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    threads: list[threading.Thread] = []

    def answer(raw: bytes, close: bool = False) -> _Connection:
        def serve() -> None:
            peer, _ = listener.accept()
            with peer:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += peer.recv(65536)
                peer.sendall(raw)
                if not close:
                    peer.recv(1)  # until the client hangs up

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        threads.append(thread)
        return _Connection(listener.getsockname()[1])

    yield answer
    listener.close()


def _exchange(conn: _Connection, max_bytes: int = 1 << 20) -> tuple[int, str, bytes, bool]:
    try:
        return conn.exchange("POST", "/query", b"ASK {}", {"Accept": "text/csv"}, 5.0, max_bytes)
    finally:
        conn.close()


CHUNKED = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"4;ext=1\r\nab,c\r\n3\r\n\r\nd\r\n0\r\nX-Trailer: yes\r\n\r\n"
)


def test_chunked_answer_with_extensions_and_trailers(answering) -> None:  # type: ignore[no-untyped-def]
    assert _exchange(answering(CHUNKED)) == (200, "text/csv", b"ab,c\r\nd", True)


def test_chunked_answer_past_the_cap(answering) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AnswerTooLarge):
        _exchange(answering(CHUNKED), max_bytes=5)


def test_content_length_answer_and_connection_close(answering) -> None:  # type: ignore[no-untyped-def]
    raw = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 5\r\nConnection: close\r\n\r\nnope!"
    assert _exchange(answering(raw)) == (400, "", b"nope!", False)
    with pytest.raises(AnswerTooLarge):
        _exchange(answering(raw), max_bytes=4)


def test_answer_to_the_end_of_the_connection(answering) -> None:  # type: ignore[no-untyped-def]
    raw = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it"
    assert _exchange(answering(raw, close=True)) == (200, "text/plain", b"all of it", False)
    with pytest.raises(AnswerTooLarge):
        _exchange(answering(raw, close=True), max_bytes=3)


def test_no_body_for_204(answering) -> None:  # type: ignore[no-untyped-def]
    raw = b"HTTP/1.1 204 No Content\r\n\r\n"
    assert _exchange(answering(raw)) == (204, "", b"", True)


def test_an_engine_that_does_not_answer_times_out() -> None:
    """The kernel's receive timeout is the deadline: a silent engine ends the exchange with a
    TimeoutError (which replaces the process), not a wait for ever nor a retried OSError."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    conn = _Connection(listener.getsockname()[1])
    try:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            conn.exchange("POST", "/query", b"ASK {}", {}, 0.3, 1 << 20)
        assert 0.25 < time.monotonic() - started < 5.0
        # a later request with a shorter deadline gets the shorter timeout, not the 0.3 s set
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            conn.exchange("POST", "/query", b"ASK {}", {}, 0.1, 1 << 20)
        assert time.monotonic() - started < 0.28
    finally:
        conn.close()
        listener.close()


# --- counting the rows of the engine's JSON ---------------------------------------------------

TRICKY = [
    "},{",
    '[{"x":1}]',
    'a "quoted" word',
    "back\\slash \\\\ and \\",
    "new\nline\ttab",
    "ünïcødé ☃ 𝄞",
    "",
    "{:{:[",
]


def _bindings(rows: list[dict]) -> bytes:
    body = {"head": {"vars": ["x", "y"]}, "results": {"bindings": rows}}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [{}],
        [{}, {}, {}],
        [{"x": {"type": "literal", "value": v}} for v in TRICKY],
        [
            {
                "x": {"type": "literal", "value": v, "xml:lang": "en"},
                "y": {"type": "literal", "value": "1", "datatype": "http://x/},{"},
            }
            for v in TRICKY
        ],
        [  # an RDF-star triple term nests objects inside a binding
            {
                "x": {
                    "type": "triple",
                    "value": {
                        "subject": {"type": "uri", "value": "http://a"},
                        "predicate": {"type": "uri", "value": "http://b"},
                        "object": {"type": "literal", "value": "},{"},
                    },
                }
            },
            {"y": {"type": "bnode", "value": "b0"}},
        ],
    ],
)
def test_json_rows_counted_without_parsing(rows: list[dict]) -> None:
    assert _count_json_rows(_bindings(rows)) == len(rows)


def test_json_rows_of_another_layout_are_parsed() -> None:
    """White space (or any layout the structural reading does not know) falls back to json."""
    pretty = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{}, {}]}}, indent=2)
    assert _count_json_rows(pretty.encode()) == 2


def test_engine_json_rows_counted_like_the_parser() -> None:
    """Through the real engine: X-Result-Count is the number of bindings in the body."""
    values = " ".join(json.dumps(v, ensure_ascii=False) for v in TRICKY)  # SPARQL escapes too
    query = f"SELECT ?x ?y WHERE {{ VALUES ?x {{ {values} UNDEF }} }}"
    srv = make_server(OxigraphStore(), "127.0.0.1", 0, quiet=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        request = urllib.request.Request(
            srv.url + "/sparql",
            data=query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body, count = response.read(), response.headers["X-Result-Count"]
    finally:
        srv.shutdown()
        srv.server_close()
    bindings = json.loads(body)["results"]["bindings"]
    assert [b.get("x", {}).get("value") for b in bindings] == [*TRICKY, None]
    assert count == str(len(TRICKY) + 1)
