"""Render a :class:`~regional_kg.stores.base.SelectResult` as text: table, CSV, TSV, JSON, Markdown.

* ``table`` and ``md`` are for people: IRIs compacted with the project prefixes
  (``rkgd:state/KZ``), literals as their plain text.
* ``csv`` and ``tsv`` follow the W3C "SPARQL 1.1 Query Results CSV and TSV Formats": CSV has bare
  variable names and plain values (IRIs in full, CRLF line ends); TSV has ``?var`` headings and
  every value in Turtle syntax, so it round-trips.
* Text from the data is not trusted: in ``table`` and ``md`` control characters (terminal escape
  codes, bidi overrides) are shown escaped (``\\x1b``), never sent to the terminal
  (:func:`printable`); in ``csv`` a text cell a spreadsheet would run as a formula (starting with
  ``=``, ``+``, ``-``, ``@``, tab or CR) gets a leading ``'`` (:func:`csv_safe`), while numbers
  such as ``-27.7`` stay numbers.
* ``json`` and ``xml`` are the W3C "SPARQL 1.1 Query Results JSON / XML Formats" (``head`` with
  the variables, every value with its term type, datatype and language), what any SPARQL client
  reads. ``json``, ``xml``, ``csv`` and ``tsv`` are written by :mod:`regional_kg.sparql_results`,
  the writers of ``rkg serve`` too, so both give the same bytes for the same answer (``csv``
  differs only where a cell is defused).
* ``rows`` is a plain list of objects, one per row, with typed values: numbers and booleans as
  JSON numbers/booleans, IRIs in full, everything else as its lexical form; unbound variables are
  left out of their row (handy for scripts; not a standard).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from regional_kg import sparql_results
from regional_kg.stores.base import SelectResult
from regional_kg.terms import compact

FORMATS = ("table", "csv", "tsv", "json", "xml", "rows", "md")

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

#: C0/C1 control characters and the bidi embeddings/overrides/isolates that reorder what a
#: terminal shows: escaped in text meant for people, so data cannot drive the terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE_CONTROL = re.compile("[\t\n\r\v\f]")
#: Cells starting like this are formulas (or DDE commands) to Excel, LibreOffice, Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")


def printable(text: str) -> str:
    """``text`` safe to print: line breaks and tabs as spaces, other control characters
    escaped (``"\\x1b[31m"`` shows as ``\\x1b[31m``), so a value cannot recolour, move or
    clear the user's terminal, nor reorder what it shows."""
    text = _WHITESPACE_CONTROL.sub(" ", text)
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def csv_safe(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: ``'`` before a non-numeric value starting with
    ``=``, ``+``, ``-``, ``@``, tab or CR (CSV injection); numbers (``-27.7``) are left alone."""
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


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
    cells = [[printable(display(row.get(v))) for v in headings] for row in result.rows]
    numeric = [
        bool(result.rows)
        and all(
            isinstance(term, Literal) and term.datatype in _NUMERIC
            for term in result.values(v)
            if term is not None
        )
        for v in headings
    ]
    return text_table(headings, cells, numeric)


def terminal_width(stream: object = None) -> int | None:
    """The width of the terminal ``stream`` (default stdout) writes to; ``None`` when it is not
    a terminal (a pipe, a file, a test's capture), so piped output stays plain and unwrapped."""
    stream = sys.stdout if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    try:
        if not (isatty and isatty()):
            return None
    except ValueError:  # a closed stream
        return None
    return shutil.get_terminal_size(fallback=(100, 24)).columns


def text_table(
    headings: Sequence[str],
    cells: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    *,
    title: str | None = None,
    width: int | None = None,
) -> str:
    """An aligned text table; fitted to ``width`` (default: the terminal's, when stdout is one).

    Piped, the table is plain (every cell whole, two spaces between columns) so scripts and
    ``grep`` see the values; on a terminal a table wider than the window is drawn by Rich, which
    wraps long text cells (labels, relation lists) inside their column and shortens, with an
    ellipsis, the ones that still do not fit, instead of letting every line wrap around the
    window. Cells reach Rich as ``Text`` objects, never as markup, so ``[bold]`` in data stays
    text.
    """
    width = terminal_width() if width is None else width
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headings)]
    plain_width = sum(widths) + 2 * max(len(widths) - 1, 0)
    if width is None or plain_width <= width:
        return _plain_table(headings, cells, numeric, widths, title)
    try:
        return _rich_table(headings, cells, numeric, title, width)
    except ModuleNotFoundError as exc:  # rich is the optional ``pretty`` extra
        if exc.name != "rich":
            raise
        return _plain_table(headings, cells, numeric, widths, title)


def _plain_table(
    headings: Sequence[str],
    cells: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    widths: Sequence[int],
    title: str | None,
) -> str:
    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [title] if title else []
    out += [line(headings), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    return "\n".join(out) + "\n"


def _rich_table(
    headings: Sequence[str],
    cells: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    title: str | None,
    width: int,
) -> str:
    # rich is optional (the ``pretty`` extra) and only draws tables wider than a terminal, so it
    # is imported here, not by every command that formats a result
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    for heading, num in zip(headings, numeric, strict=True):
        table.add_column(
            Text(heading),
            justify="right" if num else "left",
            overflow="fold" if num else "ellipsis",
            no_wrap=num,
            min_width=min(len(heading), 6),
        )
    for row in cells:
        table.add_row(*(Text(c) for c in row))
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, highlight=False, emoji=False, markup=False
    )
    if title:
        console.print(Text(title), overflow="fold")
    console.print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def to_markdown(result: SelectResult) -> str:
    def cell(text: str) -> str:
        return printable(text.replace("\\", "\\\\").replace("|", "\\|"))

    headings = list(result.variables)
    out = ["| " + " | ".join(cell(h) for h in headings) + " |"]
    out.append("|" + "|".join(" --- " for _ in headings) + "|")
    for row in result.rows:
        out.append("| " + " | ".join(cell(display(row.get(v))) for v in headings) + " |")
    return "\n".join(out) + "\n"


def to_csv(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results CSV, with formula-like text cells defused (:func:`csv_safe`)."""
    return _written(sparql_results.write_csv, result, cell=_csv_value)


def _csv_value(term: Node) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.datatype in _NUMERIC:
        return str(term)  # a number, even "-27.7": never a formula
    return csv_safe(str(term))


def to_tsv(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results TSV."""
    return _written(sparql_results.write_tsv, result)


def to_json(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results JSON, the bytes ``rkg serve`` answers."""
    return _written(sparql_results.write_json, result)


def to_xml(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results XML, the bytes ``rkg serve`` answers."""
    return _written(sparql_results.write_xml, result)


def _written(writer: Callable[..., None], result: SelectResult, **options: Any) -> str:
    buffer = io.StringIO()
    writer(result.variables, result.rows, buffer, **options)
    return buffer.getvalue()


def to_rows(result: SelectResult) -> str:
    """A plain JSON list of objects, one per row (values typed as JSON where they can be)."""
    rows = [
        {v: json_value(row[v]) for v in result.variables if row.get(v) is not None}
        for row in result.rows
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def render(result: SelectResult, fmt: str = "table") -> str:
    """``result`` in format ``fmt`` (one of :data:`FORMATS`).

    ``json`` and ``xml`` are the server's bytes, which end without a line break; on a terminal
    one is added, so that the shell's prompt starts on a line of its own.
    """
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    text = _RENDERERS[fmt](result)
    if fmt in ("json", "xml") and terminal_width() is not None:
        text += "\n"
    return text


_RENDERERS: dict[str, Callable[[SelectResult], str]] = {
    "table": to_table,
    "csv": to_csv,
    "tsv": to_tsv,
    "json": to_json,
    "xml": to_xml,
    "rows": to_rows,
    "md": to_markdown,
}
