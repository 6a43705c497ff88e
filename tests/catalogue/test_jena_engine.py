"""Every catalogue query gives the same rows under Apache Jena ARQ as under ``rkg query``.

The graph (seed plus the two-page corroboration fixture) is exported as N-Triples, the union of
its named graphs; each example's parameters are resolved once and bound as a ``VALUES`` block in
the query text, which Jena then runs as it is. Only the catalogue's documented list treatment
(sort the items of ``list-columns``, drop empty ones) is applied to Jena's rows too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from regional_kg.catalogue import bind_params, normalise_lists, run_query
from regional_kg.resources import queries_dir
from regional_kg.stores.base import SelectResult, inject_values
from tests.graph.test_queries_curated import CASES, comparable, examples_store
from tests.support.jena import available, select

REASON = available()
if REASON and os.environ.get("CI"):
    raise RuntimeError(f"CI needs Apache Jena for the cross-engine test: {REASON}")
pytestmark = [
    pytest.mark.skipif(REASON is not None, reason=REASON or ""),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def jena_data(tmp_path_factory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("jena")
    quads = examples_store("oxigraph").dump("nquads")
    triples = sorted({
        f"{q.subject} {q.predicate} {q.object} ."
        for q in ox.parse(quads, format=ox.RdfFormat.N_QUADS)
    })  # fmt: skip
    data = work / "graph.nt"
    data.write_text("\n".join(triples) + "\n", encoding="utf-8")
    return work, data


def test_jena_reads_the_whole_graph(jena_data):
    work, data = jena_data
    _, rows = select(work, data, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(rows[0]["n"]) == len(data.read_text(encoding="utf-8").splitlines()) > 5000


@pytest.mark.parametrize(
    "spec,params", CASES, ids=[f"{s.name}-{i}" for i, (s, _) in enumerate(CASES)]
)
def test_same_rows_under_jena(spec, params, jena_data):
    work, data = jena_data
    ours = examples_store("oxigraph")
    expected = comparable(run_query(ours, spec.name, params))
    assert expected
    text = inject_values(spec.text, bind_params(ours, spec, params))
    names, rows = select(work, data, text)
    theirs = normalise_lists(SelectResult(names, rows), spec.list_columns)
    assert comparable(theirs) == expected


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (queries_dir() / "network").glob("*.rq") if p.stem != "provenance"),
    ids=lambda p: p.stem,
)
def test_network_rows_in_the_same_order_under_jena(path, jena_data):
    # the projection's float sums follow the row order (tests/network/test_network_query_order.py)
    work, data = jena_data
    text = path.read_text(encoding="utf-8")
    names, rows = select(work, data, text)
    assert comparable(SelectResult(names, rows)) == comparable(
        examples_store("oxigraph").select(text)
    )
