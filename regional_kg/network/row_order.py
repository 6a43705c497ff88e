"""The network queries' ``ORDER BY``, applied in Python instead of in the engine.

Every file of ``queries/network/`` ends with an ``ORDER BY`` over its columns as text
(``STR(?x)``, or ``COALESCE(STR(?x), "")`` where ``?x`` may be unbound), so that every engine
returns its rows in one order and the projection is the same everywhere
(``tests/network/test_network_query_order.py``). On Oxigraph that clause is most of the time of
these queries: at 1M triples on disk the seven queries of the actor view take about 28 s with it
and about 11 s without, the engine evaluating ``STR`` of both terms (a string read back from its
dictionary) at every comparison of its sort. Python sorts the same rows by the same text keys in
a fraction of a second.

So :func:`split_order` takes the clause off a query when it has that text-only form, and
:func:`sort_rows` sorts the rows by it into the order an engine gives: Unicode code point order
of the texts (how SPARQL compares simple literals); under a plain ``STR`` key an unbound cell, or
a blank node (whose ``STR`` is an error), comes before every text; under ``COALESCE(…, "")`` it
is ``""``. A query whose ``ORDER BY`` is anything else (a user's edited layer file, say) is sent
as written and its rows kept in the engine's order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pyoxigraph as ox

from regional_kg.stores.base import NativeResult, NativeTerm

#: One key of a text-only ``ORDER BY``: ``COALESCE(STR(?x), "")`` or ``STR(?x)``.
_KEY = re.compile(r'COALESCE\(\s*STR\(\s*\?(\w+)\s*\)\s*,\s*""\s*\)|STR\(\s*\?(\w+)\s*\)', re.I)
#: An ``ORDER BY`` starting a line, and everything after it (the clause must end the query).
_CLAUSE = re.compile(r"^[ \t]*ORDER[ \t]+BY\b(?P<keys>.*)\Z", re.I | re.M | re.S)

#: ``(variable, coalesced)``: the column a key sorts by, and whether unbound reads as ``""``.
OrderKey = tuple[str, bool]
Row = tuple[NativeTerm | None, ...]


def split_order(query: str) -> tuple[str, list[OrderKey] | None]:
    """``(query without its ORDER BY, the keys)`` when the query ends with a text-only
    ``ORDER BY``; else ``(query, None)``: the engine orders (or not) as the text says."""
    match = _CLAUSE.search(query)
    if match is None:
        return query, None
    clause = match.group("keys")
    if _KEY.sub("", clause).strip():  # something besides STR keys: leave it to the engine
        return query, None
    keys = [(plain or coalesced, bool(coalesced)) for coalesced, plain in _KEY.findall(clause)]
    if not keys:
        return query, None
    return query[: match.start()], keys


def sort_rows(result: NativeResult, keys: Sequence[OrderKey]) -> NativeResult:
    """``result`` with its rows in the order of ``keys`` (see the module docstring); unchanged
    when a key names a column the query does not project (the engine's order then stands)."""
    slots = [(result.index(name), coalesced) for name, coalesced in keys]
    if any(i is None for i, _ in slots):
        return result
    ordered = sorted(result.rows, key=_row_key(slots))  # type: ignore[arg-type]
    return NativeResult(result.variables, ordered)


def _row_key(slots: Sequence[tuple[int, bool]]) -> Callable[[Row], list[object]]:
    """The sort key of a row: per ``COALESCE`` slot its text (``""`` for an error), per plain
    ``STR`` slot ``0, ""`` for an error and ``1, text`` otherwise, so an error comes before
    every text. One flat list per row: a call and a tuple per cell took 40 % longer."""

    def key(row: Row) -> list[object]:
        out: list[object] = []
        for i, coalesced in slots:
            term = row[i]
            if term is None or type(term) is ox.BlankNode:
                out += ("",) if coalesced else (0, "")
            elif coalesced:
                out.append(term.value)
            else:
                out += (1, term.value)
        return out

    return key
