"""The W3C SPARQL 1.1 result formats (JSON, XML, CSV, TSV), written and read in one place.

Why one home: ``rkg query --format json|xml|csv|tsv`` and ``rkg serve`` answer the same query
with the same bytes, and the two places that read SPARQL JSON results back into rdflib terms
(the remote store, the server's engine store) read them the same way.

The writers stream: they take an iterable of rows (a mapping of variable name to an rdflib or
a pyoxigraph term; an unbound variable is absent or ``None``) and write each row as it comes,
so the server can check its deadline and row cap between rows. Their bytes are those of
Oxigraph's own writers (``oxigraph serve``, ``QuerySolutions.serialize``), which answer most
of the server's queries: compact JSON, XML without indentation, and in TSV the Turtle short
forms of integers, decimals, doubles and booleans. Oxigraph's CSV leaves an IRI with a comma
unquoted; here the csv module quotes it, as the format requires. Like Oxigraph's, the XML
writer passes a CR and C0 control characters through as they are (an XML reader turns the CR
into LF and refuses U+0001).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TextIO

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

#: a term the writers take: rdflib's or pyoxigraph's
Term = Node | ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: a row of a SELECT answer: variable name -> term (unbound: absent or None)
Row = Mapping[str, Term | None]


class UnsupportedTerm(ValueError):
    """A SPARQL JSON value whose ``type`` is none of ``uri``, ``bnode``, ``literal``."""


# --- terms as text -------------------------------------------------------------------------

#: a term as the formats see it: kind (``uri``, ``bnode``, ``literal``), value, language, and
#: datatype (``None`` for a plain or language-tagged string)
Parts = tuple[str, str, str | None, str | None]


def term_parts(term: Term) -> Parts:
    """What a result format writes of ``term``, an rdflib or a pyoxigraph term.

    Why both: the server's in-process path reads pyoxigraph solutions, and making an rdflib
    ``Literal`` of each value (which parses it into a Python value) doubled its time.
    """
    if isinstance(term, Literal):
        if term.language:
            return "literal", str(term), term.language, None
        datatype = None if term.datatype is None else str(term.datatype)
        return "literal", str(term), None, None if datatype == XSD_STRING else datatype
    if isinstance(term, URIRef):
        return "uri", str(term), None, None
    if isinstance(term, BNode):
        return "bnode", str(term), None, None
    return _oxigraph_parts(term)


def _oxigraph_parts(term: Term) -> Parts:
    if isinstance(term, ox.Literal):
        if term.language:
            return "literal", term.value, term.language, None
        datatype = term.datatype.value
        return "literal", term.value, None, None if datatype == XSD_STRING else datatype
    if isinstance(term, ox.NamedNode):
        return "uri", term.value, None, None
    if isinstance(term, ox.BlankNode):
        return "bnode", term.value, None, None
    return "literal", str(term), None, None  # RDF 1.2 triple terms: shown as text


def plain_text(term: Term) -> str:
    """A term as the CSV format writes it: IRIs and literals bare, blank nodes as ``_:id``."""
    kind, value, _, _ = term_parts(term)
    return f"_:{value}" if kind == "bnode" else value


#: lexical forms Turtle writes without quotes, by datatype (the grammar's INTEGER, DECIMAL, ...)
_TURTLE_BARE = {
    XSD + "integer": re.compile(r"[+-]?\d+\Z"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+\Z"),
    XSD + "double": re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+\Z"),
    XSD + "boolean": re.compile(r"(true|false)\Z"),
}
#: N-Triples string escapes; other characters are written as they are (as Oxigraph does)
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def turtle_text(term: Term) -> str:
    """A term in Turtle syntax, as the TSV format writes it (one line, no tab inside)."""
    kind, value, language, datatype = term_parts(term)
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    bare = _TURTLE_BARE.get(datatype or "")
    if bare is not None and bare.match(value):
        return value
    quoted = '"' + value.translate(_TSV_ESCAPES) + '"'
    if language:
        return f"{quoted}@{language}"
    return f"{quoted}^^<{datatype}>" if datatype else quoted


def json_term(term: Term) -> dict[str, str]:
    """A term as a SPARQL JSON value (``type``, ``value``, ``xml:lang`` or ``datatype``)."""
    kind, value, language, datatype = term_parts(term)
    if language:
        return {"type": kind, "value": value, "xml:lang": language}
    if datatype:
        return {"type": kind, "value": value, "datatype": datatype}
    return {"type": kind, "value": value}


_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})
_EDGE_SPACES = re.compile(r"^ +| +$")


def xml_text(text: str) -> str:
    """``text`` escaped for XML content or a double-quoted attribute; leading and trailing
    spaces as ``&#32;`` so that no XML reader trims them (Oxigraph's spelling)."""
    escaped = text.translate(_XML_TEXT)
    if escaped.startswith(" ") or escaped.endswith(" "):
        escaped = _EDGE_SPACES.sub(lambda m: "&#32;" * len(m.group(0)), escaped)
    return escaped


def xml_term(term: Term) -> str:
    """A term as the XML format's ``<uri>``, ``<bnode>`` or ``<literal>`` element."""
    kind, value, language, datatype = term_parts(term)
    if language:
        attribute = f' xml:lang="{xml_text(language)}"'
    elif datatype:
        attribute = f' datatype="{xml_text(datatype)}"'
    else:
        attribute = ""
    return f"<{kind}{attribute}>{xml_text(value)}</{kind}>"


# --- writers ---------------------------------------------------------------------------------


def _bound(variables: Sequence[str], row: Row) -> Iterable[tuple[str, Term]]:
    for name in variables:
        term = row.get(name)
        if term is not None:
            yield name, term


def write_json(variables: Sequence[str], rows: Iterable[Row], out: TextIO) -> None:
    """SPARQL 1.1 Query Results JSON (compact, UTF-8 text unescaped)."""
    out.write('{"head":{"vars":' + _compact(list(variables)) + '},"results":{"bindings":[')
    separator = ""
    for row in rows:
        out.write(separator + _compact({n: json_term(t) for n, t in _bound(variables, row)}))
        separator = ","
    out.write("]}}")


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_xml(variables: Sequence[str], rows: Iterable[Row], out: TextIO) -> None:
    """SPARQL 1.1 Query Results XML (no indentation)."""
    out.write(f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head>')
    out.write("".join(f'<variable name="{xml_text(v)}"/>' for v in variables))
    out.write("</head><results>")
    for row in rows:
        bindings = "".join(
            f'<binding name="{xml_text(n)}">{xml_term(t)}</binding>'
            for n, t in _bound(variables, row)
        )
        out.write(f"<result>{bindings}</result>")
    out.write("</results></sparql>")


def write_csv(
    variables: Sequence[str],
    rows: Iterable[Row],
    out: TextIO,
    *,
    cell: Callable[[Term], str] = plain_text,
) -> None:
    """SPARQL 1.1 Query Results CSV: bare names and values, CRLF line ends. ``cell`` writes a
    bound term (the CLI's keeps spreadsheets from running a cell as a formula)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_cell(row.get(v), cell) for v in variables])


def write_tsv(variables: Sequence[str], rows: Iterable[Row], out: TextIO) -> None:
    """SPARQL 1.1 Query Results TSV: ``?name`` headings, every value in Turtle syntax."""
    out.write("\t".join(f"?{v}" for v in variables) + "\n")
    for row in rows:
        out.write("\t".join(_cell(row.get(v), turtle_text) for v in variables) + "\n")


def _cell(term: Term | None, text: Callable[[Term], str]) -> str:
    return "" if term is None else text(term)


WRITERS: dict[str, Callable[[Sequence[str], Iterable[Row], TextIO], None]] = {
    "json": write_json,
    "xml": write_xml,
    "csv": write_csv,
    "tsv": write_tsv,
}


def boolean_text(value: bool, fmt: str) -> str:
    """An ASK answer in ``fmt`` (``json``, ``xml``, ``csv`` or ``tsv``)."""
    word = "true" if value else "false"
    if fmt == "json":
        return '{"head":{},"boolean":' + word + "}"
    if fmt == "xml":
        return (
            f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head></head>'
            f"<boolean>{word}</boolean></sparql>"
        )
    if fmt in ("csv", "tsv"):
        return word
    raise ValueError(f"no boolean result format {fmt!r}")


# --- reading ---------------------------------------------------------------------------------


def read_term(value: Mapping[str, str]) -> Node:
    """A SPARQL JSON value as an rdflib term. ``typed-literal`` (the 2007 note's spelling, which
    Virtuoso still writes) is a literal; an explicit ``xsd:string`` datatype is a plain literal,
    as RDF 1.1 has it and every writer here writes it."""
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind not in ("literal", "typed-literal"):
        raise UnsupportedTerm(f"unsupported term in SPARQL results: {dict(value)!r}")
    lang = value.get("xml:lang")
    if lang:
        return Literal(value["value"], lang=lang)
    datatype = value.get("datatype")
    if datatype and datatype != XSD_STRING:
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


def read_bindings(data: Mapping) -> tuple[list[str], list[dict[str, Node]]]:
    """The variables and rows of a parsed SPARQL JSON SELECT answer."""
    variables = list(data.get("head", {}).get("vars", []))
    rows = [
        {name: read_term(value) for name, value in binding.items()}
        for binding in data.get("results", {}).get("bindings", [])
    ]
    return variables, rows
