"""Exports re-parse to the same triples, per format; --no-inferred drops rkgg:inferred."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from regional_kg.build import build
from regional_kg.cli import main
from regional_kg.errors import UserError
from regional_kg.export import EXPORT_FORMATS, export
from regional_kg.namespaces import INFERRED_GRAPH, RKGG

RDFLIB_FORMAT = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}


def graph_counts(store) -> dict:  # type: ignore[no-untyped-def]
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]: int(row["n"]) for row in rows}


def union_size(store, inferred: bool = True) -> int:  # type: ignore[no-untyped-def]
    skip = "" if inferred else f"FILTER(?g != <{INFERRED_GRAPH}>)"
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
        f"GRAPH ?g {{ ?s ?p ?o }} {skip} }} }}"
    )
    return int(store.select(query).rows[0]["n"])


def parse(data: bytes, name: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=data, format=RDFLIB_FORMAT[name])
    return ds


@pytest.mark.parametrize("name", sorted(EXPORT_FORMATS))
@pytest.mark.parametrize("inferred", [True, False])
def test_round_trip(curated_oxigraph, name: str, inferred: bool) -> None:
    store = curated_oxigraph
    data = export(store, name, inferred=inferred)
    parsed = parse(data, name)
    expected = graph_counts(store)
    if not inferred:
        expected.pop(INFERRED_GRAPH)
    if EXPORT_FORMATS[name][1]:  # keeps graphs
        got = {g.identifier: len(g) for g in parsed.graphs() if len(g)}
        assert got == expected
    else:
        assert sum(len(g) for g in parsed.graphs()) == union_size(store, inferred)


def test_turtle_uses_the_project_prefixes(curated_oxigraph) -> None:
    text = export(curated_oxigraph, "ttl").decode()
    assert "@prefix rkg: <https://w3id.org/regional-kg/ontology#> ." in text
    assert "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ." in text
    assert "ns1:" not in text and "brick:" not in text


def test_line_formats_are_sorted(curated_oxigraph) -> None:
    lines = export(curated_oxigraph, "nq", inferred=False).decode().splitlines()
    assert lines == sorted(lines) and len(lines) > 1000
    assert not any(line.endswith(f"<{INFERRED_GRAPH}> .") for line in lines)


def test_rebuilding_from_an_export_gives_the_same_graphs(curated_oxigraph, tmp_path: Path) -> None:
    path = tmp_path / "kg.trig"
    export(curated_oxigraph, "trig", inferred=False, output=path)
    rebuilt = build([path], store="memory", validate=False, include_curated=False)
    assert rebuilt.counts == graph_counts(curated_oxigraph)


def test_cli_export_to_stdout_and_file(tmp_path: Path, capsys) -> None:
    assert main(["export", "--no-validate", "--format", "nt"]) == 0
    out = capsys.readouterr().out
    graph = Graph().parse(data=out, format="nt")
    assert len(graph) > 3000
    target = tmp_path / "kg.jsonld"
    assert (
        main(["export", "--no-validate", "-f", "jsonld", "--no-inferred", "-o", str(target)]) == 0
    )
    assert "wrote" in capsys.readouterr().err
    ds = Dataset().parse(target, format="json-ld")
    names = {g.identifier for g in ds.graphs() if len(g)}
    assert RKGG["koishybayev-2018"] in names and INFERRED_GRAPH not in names
    assert [p.name for p in tmp_path.iterdir()] == ["kg.jsonld"]  # no temporary left behind


def test_cli_export_errors(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "no-such-folder" / "out.ttl"
    assert main(["export", "--no-validate", "-f", "ttl", "-o", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not missing.parent.exists()
    with pytest.raises(UserError, match="unknown export format 'xml'"):
        export(build(store="memory", validate=False).store, "xml")


def test_export_from_an_on_disk_store(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "kg"
    assert main(["build", "-q", "--no-validate", "--store", f"oxigraph:{folder}"]) == 0
    assert main(["export", "--store", f"oxigraph:{folder}", "-f", "nq"]) == 0
    out = capsys.readouterr().out
    ds = Dataset().parse(data=out, format="nquads")
    assert {g.identifier for g in ds.graphs() if len(g)} >= {INFERRED_GRAPH, RKGG["reference"]}
