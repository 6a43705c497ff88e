"""Terms the ontology does not define: errors in the curated graph, warnings in user sources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from regional_kg.build import build, obtain_build
from regional_kg.build.vocabulary import UndefinedTerms

TYPOS = """@prefix rkg: <https://w3id.org/regional-kg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/regional-kg/id/visit/2019-01-01-kg-uz-official> a rkg:Vist ;
    rkg:hostStat <https://w3id.org/regional-kg/id/state/UZ> ;
    rkg:visitType <https://w3id.org/regional-kg/concept/visit-type/offical> ;
    schema:startDate "2019-01-01"^^xsd:date .
"""
EXPECTED = {
    ("rkg:Vist", "rkg:Visit"),
    ("rkg:hostStat", "rkg:hostState"),
    ("rkgc:visit-type/offical", "rkgc:visit-type/official"),
}


def _rkg(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "regional_kg.cli", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def typos(tmp_path) -> Path:
    path = tmp_path / "mine.ttl"
    path.write_text(TYPOS, encoding="utf-8")
    return path


def test_typos_in_a_user_source_are_warnings_with_a_did_you_mean(typos):
    done = _rkg("build", "--source", str(typos))
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3
    for term, suggestion in EXPECTED:
        line = next(w for w in warnings if f" {term} is not defined" in w)
        assert str(typos) in line and f"did you mean {suggestion}" in line
        assert "visit/2019-01-01-kg-uz-official" in line  # a node that uses it


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_strict_makes_them_errors(typos, store):
    done = _rkg("build", "--strict", "--store", store, "--source", str(typos))
    assert done.returncode == 3
    assert "3 undefined terms" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_typos_in_the_curated_graph_are_errors(tmp_path, typos, store, monkeypatch):
    curated = tmp_path / "graph"
    curated.mkdir()
    shutil.copy(Path(os.environ["RKG_GRAPH_DIR"]) / "koishybayev-2018.trig", curated)
    shutil.copy(Path(os.environ["RKG_GRAPH_DIR"]) / "reference.trig", curated)
    shutil.copy(typos, curated / "typos.ttl")
    monkeypatch.setenv("RKG_GRAPH_DIR", str(curated))
    with pytest.raises(UndefinedTerms) as caught:
        build(store=store)
    found = {(t.term.rsplit("#", 1)[-1], t.suggestions[0]) for t in caught.value.terms}
    assert found == {
        ("Vist", "rkg:Visit"),
        ("hostStat", "rkg:hostState"),
        ("https://w3id.org/regional-kg/concept/visit-type/offical", "rkgc:visit-type/official"),
    }
    assert all(t.curated and t.file.endswith("typos.ttl") for t in caught.value.terms)


def test_the_shipped_graph_uses_only_defined_terms():
    # the seed build (conftest) and the whole graph: no undefined term, no warning
    done = _rkg("build", env={k: v for k, v in os.environ.items() if k != "RKG_GRAPH_DIR"})
    assert done.returncode == 0, done.stderr
    assert "not defined by the ontology" not in done.stderr


def test_an_overlay_checks_its_sources_like_a_build(typos, tmp_path):
    """``--store oxigraph:DIR --source`` answers over a copy plus the sources; the copy goes
    through the same phases as a build, so the typos warn there too (they once passed)."""
    spec = f"oxigraph:{tmp_path / 'kg'}"
    build(store=spec, validate=False).store.close()
    said: list[str] = []
    result = obtain_build(spec, [typos], progress=said.append)
    warnings = [line for line in said if line.startswith("warning:")]
    assert len(warnings) == 3
    for term, suggestion in EXPECTED:
        line = next(w for w in warnings if f" {term} is not defined" in w)
        assert str(typos) in line and f"did you mean {suggestion}" in line
    assert set(result.timings) == {"copy", "parse", "infer", "validate", "load"}
    assert result.report is not None and result.report.conforms
