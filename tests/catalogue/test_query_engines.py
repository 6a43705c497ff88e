"""The catalogue on the N-Quads export under engines we do not wrap: same rows everywhere.

The export is loaded into a bare ``pyoxigraph.Store`` and a bare ``rdflib.Dataset`` (no store
classes of ours). Parameters are resolved once, then bound the two ways the SPARQL world does:
a ``VALUES`` block injected into the query (both engines) and rdflib's own ``initBindings``
(pre-bound variables, the substitution semantics). Every way must give the rows our stores give.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from regional_kg.catalogue import bind_params, normalise_lists, run_query
from regional_kg.stores.base import SelectResult, inject_values
from tests.graph.test_queries_curated import CASES, comparable, examples_store


@pytest.fixture(scope="module")
def export() -> bytes:
    return examples_store("oxigraph").dump("nquads")


@pytest.fixture(scope="module")
def bare_oxigraph(export) -> ox.Store:
    store = ox.Store()
    store.load(export, format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def bare_rdflib(export) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(data=export, format="nquads")
    return dataset


def _from_oxigraph(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise AssertionError(f"unexpected term {term!r}")


def run_bare_oxigraph(store: ox.Store, text: str, bindings) -> SelectResult:
    solutions = store.query(inject_values(text, bindings), use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    rows = [{n: _from_oxigraph(s[n]) for n in names if s[n] is not None} for s in solutions]
    return SelectResult(names, rows)


def run_bare_rdflib(dataset: Dataset, text: str, bindings, *, values: bool) -> SelectResult:
    if values:
        result = dataset.query(inject_values(text, bindings))
    else:
        result = dataset.query(text, initBindings=bindings)
    names = [str(v) for v in result.vars]
    rows = [{n: row[i] for i, n in enumerate(names) if row[i] is not None} for row in result]
    return SelectResult(names, rows)


def test_export_holds_the_curated_graph(export, bare_oxigraph, bare_rdflib):
    # count quads: the fixture repeats some triples in a second named graph
    quads = sum(1 for _ in bare_rdflib.quads((None, None, None, None)))
    assert len(bare_oxigraph) == quads > 1000


@pytest.mark.parametrize(
    "spec,params", CASES, ids=[f"{s.name}-{i}" for i, (s, _) in enumerate(CASES)]
)
def test_same_rows_under_bare_engines(spec, params, bare_oxigraph, bare_rdflib):
    ours = examples_store("oxigraph")
    expected = comparable(run_query(ours, spec.name, params))
    assert expected
    bindings = bind_params(ours, spec, params)
    runs = {
        "pyoxigraph+VALUES": run_bare_oxigraph(bare_oxigraph, spec.text, bindings),
        "rdflib+VALUES": run_bare_rdflib(bare_rdflib, spec.text, bindings, values=True),
        "rdflib+initBindings": run_bare_rdflib(bare_rdflib, spec.text, bindings, values=False),
    }
    for how, result in runs.items():
        got = comparable(normalise_lists(result, spec.list_columns))
        assert got == expected, f"{spec.name} {params}: {how} differs"


def test_optional_parameters_left_out_under_bare_engines(bare_oxigraph, bare_rdflib):
    """No binding at all: the optional-parameter idioms keep every row on every engine."""
    ours = examples_store("oxigraph")
    from regional_kg.catalogue import catalogue

    for spec in catalogue():
        if any(p.required for p in spec.params):
            continue
        expected = comparable(run_query(ours, spec.name, {}))
        bindings = bind_params(ours, spec, {})
        got_ox = run_bare_oxigraph(bare_oxigraph, spec.text, bindings)
        got_rdflib = run_bare_rdflib(bare_rdflib, spec.text, bindings, values=False)
        assert comparable(normalise_lists(got_ox, spec.list_columns)) == expected, spec.name
        assert comparable(normalise_lists(got_rdflib, spec.list_columns)) == expected, spec.name
