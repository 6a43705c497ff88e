"""Running a catalogue query: parameters bound, the engine asked, list columns made engine-free."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from rdflib import Literal

from regional_kg.catalogue.files import resolve_spec, user_positions
from regional_kg.catalogue.resolve import bind_params
from regional_kg.catalogue.spec import LIST_SEPARATOR, QuerySpec
from regional_kg.stores.base import QueryError, SelectResult, Store


def run_query(
    store: Store,
    name_or_text: str | QuerySpec,
    params: Mapping[str, object] | None = None,
) -> SelectResult:
    """Run a catalogue query (by name) or a SELECT text on ``store`` with ``params`` bound.

    Raises :class:`~regional_kg.errors.ParameterError` for unknown queries and bad parameters,
    and the store's ``QueryError`` when the engine rejects the query.
    """
    spec = name_or_text if isinstance(name_or_text, QuerySpec) else resolve_spec(name_or_text)
    bindings = bind_params(store, spec, params)
    try:
        result = store.select(spec.text, bindings)
    except QueryError as exc:
        if not spec.prologue_lines:
            raise
        raise type(exc)(user_positions(str(exc), spec)) from None
    return normalise_lists(result, spec.list_columns)


def normalise_lists(result: SelectResult, columns: tuple[str, ...]) -> SelectResult:
    """Make ``GROUP_CONCAT`` list columns engine-independent by sorting their items.

    SPARQL leaves the order of a group's values undefined, so items are sorted (numerically, in
    canonical form, when all are numbers); nothing is removed: a query that means a set says
    ``GROUP_CONCAT(DISTINCT ...)`` itself, so the same text gives the same rows on any engine.
    An empty list is left unbound (rdflib gives ``""`` where Oxigraph gives no value).
    """
    if not columns:
        return result
    done: dict[str, Literal | None] = {}  # list text → its normal form (lists repeat in rows)
    rows = []
    for row in result.rows:
        new = dict(row)
        for column in columns:
            term = row.get(column)
            if not isinstance(term, Literal):
                continue
            text = str(term)
            if text not in done:
                done[text] = _normal_list(text)
            normal = done[text]
            if normal is None:
                del new[column]
            else:
                new[column] = normal
        rows.append(new)
    return replace(result, rows=rows)


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def _normal_list(text: str) -> Literal | None:
    """The items of one list column's text, sorted (numbers in canonical form); None: empty."""
    items = [i for i in text.split(LIST_SEPARATOR) if i != ""]
    if not items:
        return None
    if all(_NUMBER.fullmatch(i) for i in items):
        items = [_canonical(n) for n in sorted(Decimal(i) for i in items)]
    else:
        items.sort()
    return Literal(LIST_SEPARATOR.join(items))


def _canonical(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
