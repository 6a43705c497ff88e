"""The loader's default path for Oxigraph stores is Oxigraph-native (parse, SPARQL inference,
shapes compiled to SPARQL) and keeps the loader's contract: file:line errors, violation reports,
the same graphs as the rdflib/pySHACL pipeline, atomic on-disk builds, progress, the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode

from regional_kg.build import build
from regional_kg.cli import main
from regional_kg.errors import SourceSyntaxError, UserError, ValidationFailed
from regional_kg.namespaces import RKG, RKGD, RKGG
from tests.support.paths import FIXTURES

FIXTURES = FIXTURES / "core"


def _quads(store) -> set:  # type: ignore[no-untyped-def]
    rows = store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    return {
        (r["s"], r["p"], r["o"], r["g"])
        for r in rows
        if not isinstance(r["s"], BNode) and not isinstance(r["o"], BNode)
    }


def test_native_build_matches_the_pyshacl_pipeline() -> None:
    fast = build([FIXTURES / "extra.ttl"], store="oxigraph", use_cache=False)
    slow = build([FIXTURES / "extra.ttl"], store="oxigraph", validator="pyshacl", use_cache=False)
    assert fast.report is not None and fast.report.conforms
    assert fast.report.shapes_file == "(compiled to SPARQL)"
    assert slow.report is not None and slow.report.conforms
    assert slow.report.shapes_file is not None and slow.report.shapes_file.endswith("shapes.ttl")
    assert fast.counts == slow.counts and fast.counts[RKGG["source/extra"]] == 4
    assert _quads(fast.store) == _quads(slow.store)
    assert len(fast.store) == fast.triples
    assert set(fast.timings) == {"parse", "infer", "validate", "load"}
    assert [p.source.display for p in fast.sources] == [p.source.display for p in slow.sources]
    assert [p.triples for p in fast.sources] == [p.triples for p in slow.sources]


@pytest.mark.parametrize(
    ("ext", "content", "line"),
    [
        (".ttl", "@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b \n .\n", 4),
        (".trig", "<http://g> {\n<http://a> <http://b> <http://c> .\n<http://a> <http://b> }\n", 3),
        (".nt", '<http://a> <http://b> <http://c> .\n<http://a> <http://b> "x .\n', 2),
        (".nq", "<http://a> <http://b> <http://c> <http://g> .\nfoo bar baz .\n", 2),
        (".jsonld", '{"@id": "http://a",\n "http://b": [}', 2),
    ],
)
def test_syntax_errors_name_file_and_line(tmp_path: Path, ext: str, content: str, line: int):
    path = tmp_path / f"bad{ext}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceSyntaxError) as info:
        build([path], store="oxigraph", include_curated=False)
    assert (info.value.path, info.value.line) == (str(path), line)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert "Parser error" not in str(info.value)


@pytest.mark.parametrize("on_disk", [False, True])
def test_violations_list_focus_node_path_and_message(tmp_path: Path, capsys, on_disk) -> None:
    store = f"oxigraph:{tmp_path / 'kg'}" if on_disk else "oxigraph"
    with pytest.raises(ValidationFailed) as info:
        build([FIXTURES / "bad-state.ttl"], store=store)
    report = info.value.report
    assert not report.conforms
    assert {v.focus for v in report.violations} == {RKGD["state/XX"]}
    paths = {str(v.path) for v in report.violations}
    assert {f"{RKG}isoCode", "http://www.w3.org/2004/02/skos/core#prefLabel"} <= paths
    assert all(v.message for v in report.violations)
    assert report.text.startswith(f"{len(report.violations)} violation")
    assert list(tmp_path.iterdir()) == []  # nothing half-built left behind
    assert main(["build", "--store", store, "--source", str(FIXTURES / "bad-state.ttl")]) == 3
    err = capsys.readouterr().err
    assert "rkgd:state/XX" in err and "isoCode" in err and "two capital letters" in err
    assert "Traceback" not in err


def test_validator_option(capsys) -> None:
    source = str(FIXTURES / "extra.ttl")
    assert main(["build", "--validator", "pyshacl", "--source", source]) == 0
    assert "validation: conforms" in capsys.readouterr().out
    assert main(["build", "--store", "memory", "--validator", "sparql", "--source", source]) == 0
    with pytest.raises(UserError, match="unknown validator"):
        build(store="oxigraph", validator="nope")
    # the memory store with the compiled shapes still refuses violations
    with pytest.raises(ValidationFailed) as info:
        build([FIXTURES / "bad-state.ttl"], store="memory", validator="sparql", use_cache=False)
    assert {v.focus for v in info.value.report.violations} == {RKGD["state/XX"]}


def test_progress_lines_per_file() -> None:
    lines: list[str] = []
    build([FIXTURES / "extra.ttl"], store="oxigraph", validate=False, progress=lines.append)
    assert any(line.startswith(f"read {FIXTURES / 'extra.ttl'}: 4 triples") for line in lines)


def test_clean_native_validation_is_remembered(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RKG_NO_CACHE", raising=False)
    source = tmp_path / "mine.ttl"
    source.write_text((FIXTURES / "extra.ttl").read_text())
    first = build([source], store="oxigraph")
    assert first.report is not None and first.report.conforms and not first.report.cached
    second = build([source], store="oxigraph")
    assert second.report is not None and second.report.cached
    # a pySHACL result is not taken for a SPARQL one (nor the reverse)
    third = build([source], store="oxigraph", validator="pyshacl")
    assert third.report is not None and not third.report.cached
    source.write_text((FIXTURES / "bad-state.ttl").read_text())
    with pytest.raises(ValidationFailed):
        build([source], store="oxigraph")


def test_in_memory_store_object_is_filled_in_place() -> None:
    from regional_kg.stores.oxigraph import OxigraphStore

    target = OxigraphStore()
    result = build([FIXTURES / "extra.ttl"], store=target, validate=False)
    assert result.store is target and len(target) == result.triples
    assert RKGG["source/extra"] in target.graph_names()
