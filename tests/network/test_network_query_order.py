"""The network queries return their rows in one order, the same on every engine.

The projection adds edges in row order and the measures sum floats in edge order, so two engines
that return the same rows in different orders give centrality scores that differ in the last
digit (Virtuoso did, against Oxigraph). Each query therefore ends with an ``ORDER BY`` over every
column as text (``COALESCE(STR(?x), "")`` where a column may be unbound): a total order that
Oxigraph, rdflib, Jena and Virtuoso agree on. ``provenance.rq`` is read into sets and has none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal

from regional_kg.resources import queries_dir
from regional_kg.stores.base import Store
from tests.graph.test_queries_curated import comparable, examples_store

ORDERED = sorted(p for p in (queries_dir() / "network").glob("*.rq") if p.stem != "provenance")


def order_keys(path: Path) -> list[str]:
    """The variables of the file's ``ORDER BY``, in order."""
    text = path.read_text(encoding="utf-8")
    clause = text[text.rindex("ORDER BY"):]
    return re.findall(r"STR\(\?(\w+)\)", clause)


def as_text(row: dict, names: list[str]) -> tuple[str, ...]:
    return tuple(str(row[n]) if n in row else "" for n in names)


@pytest.mark.parametrize("path", ORDERED, ids=lambda p: p.stem)
def test_order_by_names_every_column(path):
    text = path.read_text(encoding="utf-8")
    projected = re.search(r"^SELECT (?:DISTINCT )?(.*?) WHERE", text, re.M)
    assert projected is not None
    columns = [c.lstrip("?") for c in projected.group(1).split()]
    assert sorted(order_keys(path)) == sorted(columns)


@pytest.mark.parametrize("path", ORDERED, ids=lambda p: p.stem)
def test_rows_come_in_the_same_order_on_rdflib_and_oxigraph(path):
    text = path.read_text(encoding="utf-8")
    oxigraph = comparable(examples_store("oxigraph").select(text))
    assert comparable(examples_store("memory").select(text)) == oxigraph


def _strictly_ordered(store: Store, path: Path) -> tuple[int, list[tuple[str, ...]]]:
    """(rows, pairs of neighbouring rows out of order or tied) of ``path`` on ``store``."""
    keys = order_keys(path)
    rows = [as_text(r, keys) for r in store.select(path.read_text(encoding="utf-8")).rows]
    return len(rows), [a for a, b in zip(rows, rows[1:], strict=False) if not a < b]


def test_the_order_is_total_on_the_whole_graph(full_graph_store):
    # strictly increasing: no two rows tie, so no engine is free to swap them
    counts = {}
    for path in ORDERED:
        counts[path.stem], wrong = _strictly_ordered(full_graph_store, path)
        assert wrong == [], path.stem
    assert sum(counts.values()) > 1000 and sum(n > 0 for n in counts.values()) >= len(ORDERED) - 1


def test_dates_of_mixed_precision_sort_as_text(full_graph_store):
    path = queries_dir() / "network" / "diplomatic-partners.rq"
    dates = {
        r["date"].datatype
        for r in full_graph_store.select(path.read_text(encoding="utf-8")).rows
        if isinstance(r.get("date"), Literal)
    }
    assert len(dates) >= 2  # xsd:date and xsd:gYear (or gYearMonth): no common value order
