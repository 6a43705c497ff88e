"""The W3C SPARQL 1.1 result formats (JSON, XML, CSV, TSV), written and read in one place.

Why one home: ``rkg query --format json|xml|csv|tsv`` and ``rkg serve`` answer the same query
with the same bytes, and the two places that read SPARQL JSON results back into rdflib terms
(the remote store, the server's engine store) read them the same way.

The writers stream: they take an iterable of rows (a mapping of variable name to rdflib term;
an unbound variable is absent or ``None``) and write each row as it comes, so the server can
check its deadline and row cap between rows. Their bytes are those of Oxigraph's own writers
(``oxigraph serve``, ``QuerySolutions.serialize``), which answer most of the server's queries:
compact JSON, XML without indentation, and in TSV the Turtle short forms of integers, decimals,
doubles and booleans. Oxigraph's CSV leaves an IRI with a comma unquoted; here the csv module
quotes it, as the format requires.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TextIO

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

#: a row of a SELECT answer: variable name -> term (unbound: absent or None)
Row = Mapping[str, Node | None]


class UnsupportedTerm(ValueError):
    """A SPARQL JSON value whose ``type`` is none of ``uri``, ``bnode``, ``literal``."""


# --- terms as text -------------------------------------------------------------------------


def literal_datatype(term: Literal) -> str | None:
    """The datatype a result format names: none for a plain or language-tagged string."""
    if term.language or term.datatype is None or str(term.datatype) == XSD_STRING:
        return None
    return str(term.datatype)


def plain_text(term: Node) -> str:
    """A term as the CSV format writes it: IRIs and literals bare, blank nodes as ``_:id``."""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


#: lexical forms Turtle writes without quotes, by datatype (the grammar's INTEGER, DECIMAL, ...)
_TURTLE_BARE = {
    XSD + "integer": re.compile(r"[+-]?\d+\Z"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+\Z"),
    XSD + "double": re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+\Z"),
    XSD + "boolean": re.compile(r"(true|false)\Z"),
}
#: N-Triples string escapes; other characters are written as they are (as Oxigraph does)
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def turtle_text(term: Node) -> str:
    """A term in Turtle syntax, as the TSV format writes it (one line, no tab inside)."""
    if isinstance(term, Literal):
        return _turtle_literal(term)
    return f"_:{term}" if isinstance(term, BNode) else f"<{term}>"


def _turtle_literal(term: Literal) -> str:
    value = str(term)
    datatype = literal_datatype(term)
    bare = _TURTLE_BARE.get(datatype or "")
    if bare is not None and bare.match(value):
        return value
    quoted = '"' + value.translate(_TSV_ESCAPES) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    return f"{quoted}^^<{datatype}>" if datatype else quoted


def json_term(term: Node) -> dict[str, str]:
    """A term as a SPARQL JSON value (``type``, ``value``, ``xml:lang`` or ``datatype``)."""
    if not isinstance(term, Literal):
        return {"type": _node_kind(term), "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    else:
        datatype = literal_datatype(term)
        if datatype:
            out["datatype"] = datatype
    return out


def _node_kind(term: Node) -> str:
    """``bnode`` or ``uri``: the results formats' name for a term that is not a literal."""
    return "bnode" if isinstance(term, BNode) else "uri"


_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})
_EDGE_SPACES = re.compile(r"^ +| +$")


def xml_text(text: str) -> str:
    """``text`` escaped for XML content or a double-quoted attribute; leading and trailing
    spaces as ``&#32;`` so that no XML reader trims them (Oxigraph's spelling)."""
    escaped = text.translate(_XML_TEXT)
    if escaped.startswith(" ") or escaped.endswith(" "):
        escaped = _EDGE_SPACES.sub(lambda m: "&#32;" * len(m.group(0)), escaped)
    return escaped


def xml_term(term: Node) -> str:
    """A term as the XML format's ``<uri>``, ``<bnode>`` or ``<literal>`` element."""
    if not isinstance(term, Literal):
        kind = _node_kind(term)
        return f"<{kind}>{xml_text(str(term))}</{kind}>"
    datatype = literal_datatype(term)
    if term.language:
        attribute = f' xml:lang="{xml_text(term.language)}"'
    elif datatype:
        attribute = f' datatype="{xml_text(datatype)}"'
    else:
        attribute = ""
    return f"<literal{attribute}>{xml_text(str(term))}</literal>"


# --- writers ---------------------------------------------------------------------------------


def _bound(variables: Sequence[str], row: Row) -> Iterable[tuple[str, Node]]:
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
    cell: Callable[[Node], str] = plain_text,
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


def _cell(term: Node | None, text: Callable[[Node], str]) -> str:
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
