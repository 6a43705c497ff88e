"""The shared SPARQL result writers and reader (:mod:`regional_kg.sparql_results`).

The writers are held to the bytes of Oxigraph's own writers (``QuerySolutions.serialize``, the
code ``oxigraph serve`` answers the server's queries with), term by term, including the text a
writer has to escape, for rdflib terms (the CLI) and pyoxigraph terms (the server in-process).
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from regional_kg.sparql_results import (
    WRITERS,
    UnsupportedTerm,
    boolean_text,
    json_term,
    read_bindings,
    read_term,
    turtle_text,
    write_csv,
    write_tsv,
    xml_text,
)

X = "http://www.w3.org/2001/XMLSchema#"


def _typed(value: str, datatype: str) -> tuple[ox.Literal, Literal]:
    """A typed literal in both libraries, rdflib's lexical form kept as given."""
    iri = datatype if ":" in datatype else X + datatype
    return (
        ox.Literal(value, datatype=ox.NamedNode(iri)),
        Literal(value, datatype=URIRef(iri), normalize=False),
    )


def _text(value: str) -> tuple[ox.Literal, Literal]:
    return ox.Literal(value), Literal(value)


#: (pyoxigraph term, the same in rdflib): lexical forms Oxigraph keeps as they are
TERMS = [
    (ox.NamedNode("http://ex.org/a"), URIRef("http://ex.org/a")),
    (ox.BlankNode("b1"), BNode("b1")),
    _text("plain"),
    _text("tab\there\nnew \"q\" \\ <&> 'a'"),
    _text("  lead and trail "),
    _text("cr\rlf"),
    _text("é \u2028 ✓ \x7f"),
    _text("ctl \x01"),  # not allowed in XML 1.0, written as it is (as Oxigraph does)
    (ox.Literal("hi", language="en-gb"), Literal("hi", lang="en-gb")),
    _typed("5", "integer"),
    _typed("-2.5", "decimal"),
    _typed("1980", "decimal"),
    _typed("1000", "double"),
    _typed("true", "boolean"),
    _typed("2019", "gYear"),
    _typed("x", "http://ex.org/dt"),
]
NATIVE = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _oxigraph_bytes(fmt: str) -> bytes:
    """Each term bound to ``?o`` in a row of its own (``?s`` its index, ``?none`` unbound)."""
    store = ox.Store()
    index, value = ox.NamedNode("http://ex.org/index"), ox.NamedNode("http://ex.org/value")
    for i, (term, _) in enumerate(TERMS):
        row = ox.NamedNode(f"http://ex.org/row{i}")
        store.add(ox.Quad(row, index, ox.Literal(str(i), datatype=ox.NamedNode(X + "integer"))))
        store.add(ox.Quad(row, value, term))
    query = (
        "SELECT ?s ?o ?none WHERE { ?r <http://ex.org/index> ?s ; <http://ex.org/value> ?o } "
        "ORDER BY ?s"
    )
    return store.query(query).serialize(format=NATIVE[fmt])


def _rows(library: str = "rdflib") -> list[dict]:
    """The rows of :func:`_oxigraph_bytes` as rdflib or as pyoxigraph terms."""
    side = 0 if library == "pyoxigraph" else 1
    return [
        {"s": Literal(str(i), datatype=XSD.integer), "o": pair[side], "none": None}
        for i, pair in enumerate(TERMS)
    ]


def _same(read: object, term: object) -> bool:
    """The same term; rdflib writes a double read back in its own lexical form ("1000.0")."""
    if read == term:
        return True
    return isinstance(read, Literal) and isinstance(term, Literal) and read.eq(term)


@pytest.mark.parametrize("library", ["rdflib", "pyoxigraph"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_writers_give_oxigraphs_bytes(fmt: str, library: str) -> None:
    out = io.StringIO()
    WRITERS[fmt](["s", "o", "none"], iter(_rows(library)), out)
    assert out.getvalue().encode("utf-8") == _oxigraph_bytes(fmt)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_no_variables_and_no_rows(fmt: str) -> None:
    out = io.StringIO()
    WRITERS[fmt]([], iter([]), out)
    native = ox.Store().query("SELECT * WHERE { } LIMIT 0").serialize(format=NATIVE[fmt])
    assert out.getvalue().encode("utf-8") == native


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("value", [True, False])
def test_boolean_as_oxigraph_writes_it(fmt: str, value: bool) -> None:
    native = ox.Store().query("ASK { }" if value else "ASK { FILTER(false) }")
    assert boolean_text(value, fmt).encode("utf-8") == native.serialize(format=NATIVE[fmt])


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_json_and_xml_read_back_by_rdflib_to_the_same_terms(fmt: str) -> None:
    # XML, as Oxigraph writes it, cannot carry U+0001 (a reader refuses it) nor a CR (a reader
    # reads it as LF)
    terms = [t for _, t in TERMS if fmt == "json" or not {"\x01", "\r"} & set(t)]
    out = io.StringIO()
    WRITERS[fmt](["o"], iter([{"o": term} for term in terms]), out)
    parsed = Result.parse(io.BytesIO(out.getvalue().encode("utf-8")), format=fmt)
    assert all(_same(row["o"], term) for row, term in zip(parsed, terms, strict=True))


def test_tsv_uses_turtle_short_forms_only_for_their_grammar() -> None:
    assert turtle_text(Literal("5", datatype=XSD.integer)) == "5"
    assert turtle_text(Literal("-2.5", datatype=XSD.decimal)) == "-2.5"
    assert turtle_text(Literal("1980", datatype=XSD.decimal)) == f'"1980"^^<{X}decimal>'
    assert turtle_text(_typed("1.5E3", "double")[1]) == "1.5E3"
    assert turtle_text(_typed("INF", "double")[1]) == f'"INF"^^<{X}double>'
    assert turtle_text(_typed("1", "boolean")[1]) == f'"1"^^<{X}boolean>'
    assert turtle_text(Literal("x", datatype=XSD.string)) == '"x"'
    assert turtle_text(Literal("a\tb\nc", lang="ru")) == '"a\\tb\\nc"@ru'


def test_tsv_keeps_one_line_per_row() -> None:
    out = io.StringIO()
    write_tsv(["a", "b"], [{"a": Literal("x\ny\tz"), "b": URIRef("http://ex.org/b")}], out)
    assert out.getvalue() == '?a\t?b\n"x\\ny\\tz"\t<http://ex.org/b>\n'


def test_csv_quotes_an_iri_with_a_comma_and_takes_a_cell_writer() -> None:
    out = io.StringIO()
    rows = [{"a": URIRef("http://ex.org/a,b"), "b": Literal("=1+1")}]
    write_csv(["a", "b"], rows, out, cell=lambda term: f"[{term}]")
    assert out.getvalue() == 'a,b\r\n"[http://ex.org/a,b]",[=1+1]\r\n'
    table = list(csv.reader(io.StringIO(out.getvalue())))
    assert table == [["a", "b"], ["[http://ex.org/a,b]", "[=1+1]"]]


def test_xml_text_escapes_markup_and_edge_spaces() -> None:
    assert xml_text("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;"
    assert xml_text("  x y ") == "&#32;&#32;x y&#32;"


def test_writers_stream_row_by_row() -> None:
    """A writer asks for the next row only after writing the one before (the server checks
    its deadline and row cap in between)."""
    out = io.StringIO()
    seen = []

    def rows():
        for i in range(3):
            seen.append(out.getvalue().count('"type"'))
            yield {"n": Literal(i)}

    WRITERS["json"](["n"], rows(), out)
    assert seen == [0, 1, 2]


def test_read_term_round_trips_every_written_term() -> None:
    for _, term in TERMS:
        assert _same(read_term(json_term(term)), term)


def test_read_term_spellings_of_other_servers() -> None:
    typed = {"type": "typed-literal", "value": "7", "datatype": X + "integer"}
    assert read_term(typed) == Literal("7", datatype=XSD.integer)
    explicit_string = {"type": "literal", "value": "x", "datatype": X + "string"}
    assert read_term(explicit_string) == Literal("x")
    with pytest.raises(UnsupportedTerm, match="triple"):
        read_term({"type": "triple", "value": "?"})


def test_read_bindings_of_a_real_answer() -> None:
    data = json.loads(_oxigraph_bytes("json"))
    variables, rows = read_bindings(data)
    assert variables == ["s", "o", "none"]
    assert all(_same(row["o"], term) for row, (_, term) in zip(rows, TERMS, strict=True))
    assert all("none" not in row for row in rows)
    assert read_bindings({"head": {}, "boolean": True}) == ([], [])
