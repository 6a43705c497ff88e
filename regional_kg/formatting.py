"""Render a :class:`~regional_kg.stores.base.SelectResult` as text: table, CSV, TSV, JSON, Markdown.

* ``table`` and ``md`` are for people: IRIs compacted with the project prefixes
  (``rkgd:state/KZ``), literals as their plain text.
* ``csv`` and ``tsv`` follow the W3C "SPARQL 1.1 Query Results CSV and TSV Formats": CSV has bare
  variable names and plain values (IRIs in full, CRLF line ends); TSV has ``?var`` headings and
  every value in Turtle syntax, so it round-trips.
* ``json`` is a list of objects, one per row, with typed values: numbers and booleans as JSON
  numbers/booleans, IRIs in full, everything else as its lexical form; unbound variables are left
  out of their row.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from regional_kg.namespaces import PREFIXES
from regional_kg.stores.base import SelectResult

FORMATS = ("table", "csv", "tsv", "json", "md")

_NUMERIC = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.byte,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.negativeInteger,
    XSD.nonPositiveInteger,
    XSD.unsignedInt,
    XSD.unsignedLong,
    XSD.unsignedShort,
    XSD.unsignedByte,
    XSD.decimal,
    XSD.double,
    XSD.float,
}
# Longest namespace first, so rkgd: wins over a shorter namespace that also matches.
_NAMESPACES = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def compact(iri: str) -> str:
    """``rkgd:state/KZ`` for a project IRI, the full IRI in angle brackets otherwise."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def display(term: Node | None) -> str:
    """A term as people read it (table, Markdown)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def json_value(term: Node) -> object:
    if isinstance(term, Literal):
        if term.datatype in _NUMERIC:
            value = term.toPython()
            if isinstance(value, Decimal):
                return int(value) if value == value.to_integral_value() else float(value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return value
            return str(term)
        if term.datatype == XSD.boolean:
            return str(term).strip().lower() in ("true", "1")
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_table(result: SelectResult) -> str:
    headings = list(result.variables)
    cells = [[display(row.get(v)).replace("\n", " ") for v in headings] for row in result.rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headings)]
    numeric = [
        bool(result.rows)
        and all(
            isinstance(row.get(v), Literal) and row[v].datatype in _NUMERIC
            for row in result.rows
            if row.get(v) is not None
        )
        for v in headings
    ]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(headings), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    return "\n".join(out) + "\n"


def to_markdown(result: SelectResult) -> str:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    headings = list(result.variables)
    out = ["| " + " | ".join(cell(h) for h in headings) + " |"]
    out.append("|" + "|".join(" --- " for _ in headings) + "|")
    for row in result.rows:
        out.append("| " + " | ".join(cell(display(row.get(v))) for v in headings) + " |")
    return "\n".join(out) + "\n"


def to_csv(result: SelectResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(row.get(v)) for v in result.variables])
    return buffer.getvalue()


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_tsv(result: SelectResult) -> str:
    out = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        out.append("\t".join(_tsv_value(row.get(v)) for v in result.variables))
    return "\n".join(out) + "\n"


def _tsv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    text = term.n3()  # escapes quotes, tabs and newlines
    return text.replace("\t", "\\t")


def to_json(result: SelectResult) -> str:
    rows = [
        {v: json_value(row[v]) for v in result.variables if row.get(v) is not None}
        for row in result.rows
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def render(result: SelectResult, fmt: str = "table") -> str:
    """``result`` in format ``fmt`` (one of :data:`FORMATS`)."""
    renderers = {
        "table": to_table,
        "csv": to_csv,
        "tsv": to_tsv,
        "json": to_json,
        "md": to_markdown,
    }
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return renderers[fmt](result)
