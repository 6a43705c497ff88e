"""The scalable path: shapes compiled to SPARQL catch what pySHACL catches; the Oxigraph-native
build gives the loader's graphs, inference included."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

import regional_kg as rkg
from regional_kg import synth
from regional_kg.build import fastvalidate, prepare
from regional_kg.build.validation import validate
from regional_kg.errors import ValidationFailed
from tests.support.paths import FIXTURES

FAULTS = FIXTURES / "synth-faults.nq"
RKGD = "https://w3id.org/regional-kg/id/"


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fast") / "region.nq"
    synth.write_file(path, 5, 2, seed=4)
    return path


def _keys(report) -> set[tuple[str, str | None, str]]:
    return {
        (str(r.focus), str(r.path) if r.path is not None else None, r.severity)
        for r in report.results
        # pySHACL also lists the nested results of sh:node (focus: the concept the role points
        # to); SHACL reports the outer (focus, path), which both validators give
        if not str(r.focus).startswith("https://w3id.org/regional-kg/concept/")
    }


def test_same_violations_as_pyshacl_on_injected_faults(region):
    dataset, *_ = prepare([region, FAULTS], validate_data=False)
    slow, fast = validate(dataset), fastvalidate.validate_dataset(dataset)
    assert not fast.conforms
    assert _keys(fast) == _keys(slow)
    focus = {str(r.focus) for r in fast.violations}
    for node in ("state/QQ", "visit/bad", "obs/bad", "term/bad", "target/bad"):
        assert RKGD + node in focus
    assert RKGD + "participation/orphan" in focus  # through sh:targetObjectsOf + inverse path
    # the SPARQL constraints: paragraph beyond the document, a term ending before it begins
    messages = " ".join(r.message for r in fast.violations)
    assert "Paragraph 9999 is cited" in messages
    assert "ends (2015) before it begins (2019)" in messages
    assert {r.severity for r in fast.results if str(r.focus) == RKGD + "person/nobody"} == {
        "warning"
    }


def test_clean_region_conforms_in_both(region):
    dataset, *_ = prepare([region], validate_data=False)
    assert fastvalidate.validate_dataset(dataset).conforms
    assert validate(dataset).conforms


def test_unsupported_constraints_are_refused():
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
             sh:property [ sh:path ex:p ; sh:equals ex:q ] .""",
        format="turtle",
    )
    with pytest.raises(fastvalidate.Unsupported, match="equals"):
        fastvalidate.compile_shapes(shapes)


def _named(store) -> set:
    return {
        q
        for q in store.native
        if q.graph_name != ox.DefaultGraph()
        and not isinstance(q.subject, ox.BlankNode)
        and not isinstance(q.object, ox.BlankNode)
    }


def test_fast_build_gives_the_loaders_graphs(region):
    fast = rkg.build([region], store="oxigraph", validate=True, use_cache=False)
    slow = rkg.build([region], store="oxigraph", validate=True, validator="pyshacl")  # rdflib
    assert fast.report.conforms and slow.report.conforms
    assert fast.counts == slow.counts
    assert fast.inferred == slow.inferred > 1000
    assert _named(fast.store) == _named(slow.store)
    rows = rkg.run_query(fast.store, "visits", synth.catalogue_params(fast.store)["visits"])
    assert len(rows) > 0


def test_fast_build_refuses_violations(region):
    with pytest.raises(ValidationFailed) as caught:
        rkg.build([region, FAULTS], store="oxigraph", use_cache=False)
    assert any(r.focus == URIRef(RKGD + "obs/bad") for r in caught.value.report.violations)


def test_checks_in_threads_report_what_one_thread_reports(region, monkeypatch):
    """The pool (one thread per core) keeps every result and the checks' order."""
    dataset, *_ = prepare([region, FAULTS], validate_data=False)
    store = ox.Store()
    store.load(dataset.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    monkeypatch.setattr(fastvalidate.os, "cpu_count", lambda: 4)
    timings: dict[fastvalidate.Check, float] = {}
    pooled = fastvalidate.validate_store(store, timings=timings)
    monkeypatch.setattr(fastvalidate.os, "cpu_count", lambda: 1)
    alone = fastvalidate.validate_store(store)
    assert not pooled.conforms and len(pooled.results) > 10
    assert pooled.results == alone.results
    assert len(timings) == len(fastvalidate.compile_shapes())  # each check timed
    assert all(seconds >= 0 for seconds in timings.values())
