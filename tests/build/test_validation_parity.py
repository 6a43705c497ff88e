"""The compiled validator rejects what pySHACL rejects: a differential test on generated faults.

(It may reject more: the engine checks the lexical form of every XSD date and number it casts,
rdflib does not check all of them.)

Hypothesis draws one to three faults -- the broken cases of ``test_shapes`` plus ill-typed literals
(right datatype, impossible value) -- applies them to the valid shapes fixture, builds the result
with the ontology, and compares the (focus, path, severity) of every result of the two validators.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from regional_kg.build import fastvalidate, prepare
from regional_kg.build.validation import validate
from tests.build.test_fastvalidate import _keys as _all_keys
from tests.graph.test_shapes import (
    AGREEMENT,
    CASES,
    ELECTION,
    MEETING,
    OBS,
    PREFIXES,
    TALLY,
    VISIT,
    replace,
)
from tests.support.paths import FIXTURES

VALID = FIXTURES / "shapes" / "valid.ttl"

ILL_TYPED = [
    replace(VISIT, "schema:startDate", '"yesterday"^^xsd:date'),
    replace(VISIT, "schema:endDate", '"2017-02-30"^^xsd:date'),
    replace(MEETING, "schema:startDate", '"2018-13"^^xsd:gYearMonth'),
    replace(OBS, "rkg:value", '"1.5 billion"^^xsd:decimal'),
    replace(TALLY, "rkg:count", '"five"^^xsd:integer'),
    replace(AGREEMENT, "rkg:validFrom", '"20x8"^^xsd:gYear'),
    replace(ELECTION, "rkg:turnout", '"high"^^xsd:decimal'),
]
FAULTS = [case.values[0].update for case in CASES] + ILL_TYPED


def _keys(report) -> set:  # type: ignore[no-untyped-def]
    """The results both validators give: pySHACL also lists the nested results of ``sh:node``
    on blank derivation nodes, under the outer (fact, prov:qualifiedDerivation) both report."""
    return {key for key in _all_keys(report) if key[0].startswith("http")}


def _both_reports(update: str):  # type: ignore[no-untyped-def]
    data = Graph().parse(VALID)
    data.update(PREFIXES + update)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "faulty.nt"  # N-Triples keeps ill-typed literals quoted
        data.serialize(path, format="nt", encoding="utf-8")
        empty = Path(folder) / "no-curated-graph"
        empty.mkdir()
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("RKG_GRAPH_DIR", str(empty))  # the ontology and this file only
            dataset, *_ = prepare([path], validate_data=False)
    return validate(dataset), fastvalidate.validate_dataset(dataset)


@pytest.mark.parametrize("update", ILL_TYPED, ids=[f"ill-typed-{i}" for i in range(len(ILL_TYPED))])
def test_ill_typed_literals_are_rejected(update):
    slow, fast = _both_reports(update)
    assert not fast.conforms
    # everything pySHACL rejects, and more: rdflib does not check every lexical form (it
    # accepts "2018-13"^^xsd:gYearMonth), the engine's casts do
    assert _keys(slow) <= _keys(fast)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FAULTS), min_size=1, max_size=3, unique=True))
def test_compiled_validator_agrees_with_pyshacl(faults):
    slow, fast = _both_reports(" ; ".join(faults))
    assert not fast.conforms
    if any(f in ILL_TYPED for f in faults):
        assert _keys(slow) <= _keys(fast)
    else:
        assert _keys(fast) == _keys(slow)
