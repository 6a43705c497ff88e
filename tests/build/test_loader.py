"""The loader: the curated graph builds, inference stays in its graph, bad input fails cleanly."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from regional_kg.build import StoreUnavailable, build, obtain_store
from regional_kg.build.inference import materialise
from regional_kg.build.validation import validate
from regional_kg.cli import main
from regional_kg.errors import SourceSyntaxError, UserError, ValidationFailed
from regional_kg.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, RKG, RKGD, RKGG
from tests.support.paths import FIXTURES

FIXTURES = FIXTURES / "core"
KZ = RKGD["state/KZ"]
PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX rkgg: <https://w3id.org/regional-kg/graph/>
"""


@pytest.fixture(scope="module")
def validated_build():  # type: ignore[no-untyped-def]
    return build(store="oxigraph", validate=True, use_cache=False)


def test_curated_graph_builds_and_conforms(validated_build) -> None:
    result = validated_build
    assert result.report is not None and result.report.conforms, result.report.text
    assert result.report.violations == []
    graphs = set(result.counts)
    assert {ONTOLOGY_GRAPH, RKGG["koishybayev-2018"], RKGG["reference"], INFERRED_GRAPH} <= graphs
    assert result.counts[ONTOLOGY_GRAPH] > 1000
    assert result.counts[RKGG["koishybayev-2018"]] > 1000
    assert result.inferred > 100
    assert len(result.store) == result.triples
    assert result.store.graph_names() == sorted(result.counts)
    assert set(result.timings) == {"parse", "infer", "validate", "load"}
    summary = result.summary()
    assert "validation: conforms" in summary and "rkgg:inferred" in summary


def test_same_counts_in_every_store_kind(curated_build, validated_build) -> None:
    assert curated_build.counts == validated_build.counts
    store = curated_build.store
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert {row["g"]: int(row["n"]) for row in rows} == {
        g: n for g, n in curated_build.counts.items()
    }


def test_inferred_graph_holds_the_rule_consequences(curated_oxigraph) -> None:
    store = curated_oxigraph

    def inferred(pattern: str) -> bool:
        return store.ask(PREFIXES + f"ASK {{ GRAPH rkgg:inferred {{ {pattern} }} }}")

    # owl:inverseOf, both directions, and rdfs:subPropertyOf (rkg:visitor ⊑ rkg:involves)
    visit = store.select(PREFIXES + "SELECT ?v ?p WHERE { ?v rkg:visitor ?p } LIMIT 1").rows[0]
    v, p = visit["v"].n3(), visit["p"].n3()
    assert inferred(f"{p} rkg:madeVisit {v}")
    assert inferred(f"{v} rkg:involves {p}")
    # subclass types: every Visit is an Event (asserted nowhere but in rkgg:inferred)
    assert inferred(f"{v} a rkg:Event")
    assert not store.ask(
        PREFIXES + f"ASK {{ GRAPH ?g {{ {v} a rkg:Event }} FILTER(?g != rkgg:inferred) }}"
    )
    # prov:qualifiedDerivation/prov:entity ⇒ prov:wasDerivedFrom
    assert inferred(f"{v} prov:wasDerivedFrom <{RKGD}doc/koishybayev-2018>")
    # org:member ⇒ org:hasMembership (an inverse declared on an aligned vocabulary)
    assert store.ask(
        PREFIXES + "ASK { ?m <http://www.w3.org/ns/org#member> ?x . "
        "GRAPH rkgg:inferred { ?x <http://www.w3.org/ns/org#hasMembership> ?m } }"
    )


def test_inferred_graph_holds_nothing_else(curated_oxigraph) -> None:
    store = curated_oxigraph
    unjustified = store.select(
        PREFIXES
        + """
        SELECT ?s ?p ?o WHERE {
          GRAPH rkgg:inferred { ?s ?p ?o }
          FILTER NOT EXISTS { FILTER(?p = rdf:type) ?s a ?d . ?d rdfs:subClassOf+ ?o }
          FILTER NOT EXISTS { ?s ?q ?o . ?q rdfs:subPropertyOf+ ?p }
          FILTER NOT EXISTS { ?o ?q ?s . { ?q owl:inverseOf ?p } UNION { ?p owl:inverseOf ?q } }
          FILTER NOT EXISTS { ?p a owl:SymmetricProperty . ?o ?p ?s }
          FILTER NOT EXISTS {
            FILTER(?p = prov:wasDerivedFrom) ?s prov:qualifiedDerivation/prov:entity ?o }
        } LIMIT 20"""
    )
    assert unjustified.rows == []
    # nothing inferred is also stated elsewhere, and no axiomatic noise
    assert not store.ask(
        PREFIXES + "ASK { GRAPH rkgg:inferred { ?s ?p ?o } "
        "GRAPH ?g { ?s ?p ?o } FILTER(?g != rkgg:inferred) }"
    )
    assert not store.ask(
        PREFIXES + "ASK { GRAPH rkgg:inferred { ?s a ?c "
        "VALUES ?c { rdfs:Resource owl:Thing rdfs:Class rdf:Property } } }"
    )
    assert not store.ask(PREFIXES + "ASK { GRAPH rkgg:inferred { ?s rdfs:subClassOf ?o } }")


def test_inference_rules_on_a_small_ontology() -> None:
    ex = "http://example.org/"
    ds = Dataset()
    onto = ds.graph(ONTOLOGY_GRAPH)
    e = lambda n: URIRef(ex + n)  # noqa: E731
    onto.add((e("Capital"), RDFS.subClassOf, e("City")))
    onto.add((e("City"), RDFS.subClassOf, e("Place")))
    onto.add((e("hosts"), OWL.inverseOf, e("hostedBy")))
    onto.add((e("hostedBy"), RDFS.subPropertyOf, e("involves")))
    onto.add((e("near"), RDF.type, OWL.SymmetricProperty))
    chain = Graph()
    head, rest = URIRef(ex + "l1"), URIRef(ex + "l2")
    onto.add((e("grandparent"), OWL.propertyChainAxiom, head))
    onto.add((head, RDF.first, e("parent")))
    onto.add((head, RDF.rest, rest))
    onto.add((rest, RDF.first, e("parent")))
    onto.add((rest, RDF.rest, RDF.nil))
    data = ds.graph(RKGG["source/x"])
    data.add((e("astana"), RDF.type, e("Capital")))
    data.add((e("kz"), e("hosts"), e("summit")))
    data.add((e("a"), e("near"), e("b")))
    data.add((e("a"), e("near"), Literal("not a node")))
    data.add((e("x"), e("parent"), e("y")))
    data.add((e("y"), e("parent"), e("z")))
    doc = URIRef(ex + "doc")
    data.add((e("fact"), PROV.qualifiedDerivation, e("d1")))
    data.add((e("d1"), PROV.entity, doc))
    assert len(chain) == 0
    count = materialise(ds)
    got = set(ds.graph(INFERRED_GRAPH))
    expected = {
        (e("astana"), RDF.type, e("City")),
        (e("astana"), RDF.type, e("Place")),
        (e("summit"), e("hostedBy"), e("kz")),
        (e("summit"), e("involves"), e("kz")),  # fixpoint: inverse, then subproperty
        (e("b"), e("near"), e("a")),
        (e("x"), e("grandparent"), e("z")),
        (e("fact"), PROV.wasDerivedFrom, doc),
    }
    assert got == expected and count == len(expected)
    # running again replaces, never accumulates
    assert materialise(ds) == len(expected)


def test_user_source_gets_its_own_graph_and_inference(tmp_path: Path) -> None:
    result = build([FIXTURES / "extra.ttl"], store="memory")
    assert result.report is not None and result.report.conforms
    source_graph = RKGG["source/extra"]
    assert result.counts[source_graph] == 4
    assert result.store.ask(
        f"ASK {{ GRAPH <{INFERRED_GRAPH}> {{ <{KZ}> <{RKG}bordersWith> <{RKGD}state/MN> }} }}"
    )


def test_syntax_error_names_file_and_line(capsys) -> None:
    bad = FIXTURES / "syntax-error.ttl"
    with pytest.raises(SourceSyntaxError) as info:
        build([bad], store="memory")
    assert info.value.path == str(bad) and info.value.line == 4
    assert str(info.value).startswith(f"{bad}:4: ")
    assert main(["build", "--store", "memory", "--source", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:4:" in err and "Traceback" not in err


def test_shape_violation_lists_focus_node(capsys) -> None:
    bad = FIXTURES / "bad-state.ttl"
    with pytest.raises(ValidationFailed) as info:
        build([bad], store="memory")
    report = info.value.report
    assert not report.conforms
    focus = {v.focus for v in report.violations}
    assert focus == {RKGD["state/XX"]}
    paths = {str(v.path) for v in report.violations}
    assert {f"{RKG}isoCode", "http://www.w3.org/2004/02/skos/core#prefLabel"} <= paths
    assert report.text.startswith(f"{len(report.violations)} violation")
    assert main(["build", "--store", "memory", "--source", str(bad)]) == 3
    err = capsys.readouterr().err
    assert "rkgd:state/XX" in err and "violation" in err and "isoCode" in err
    # --no-validate builds it anyway
    assert main(["build", "--store", "memory", "--no-validate", "--source", str(bad)]) == 0


def test_prepared_sparql_constraints_give_pyshacl_results() -> None:
    """Our prepared-query speed-up must not change what SHACL-SPARQL constraints report."""
    import contextlib

    import regional_kg.build.validation as validation

    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:T ;
          sh:sparql [ sh:message "too many names" ;
            sh:select '''SELECT $this ?value WHERE {
                $this <http://example.org/name> ?value , ?other FILTER(?value != ?other) }''' ] .
        """,
        format="turtle",
    )
    ds = Dataset()
    g = ds.graph(RKGG["source/t"])
    ex = "http://example.org/"
    for i, names in enumerate([["a"], ["b", "c"], ["d", "e", "f"]]):
        node = URIRef(f"{ex}n{i}")
        g.add((node, RDF.type, URIRef(ex + "T")))
        for name in names:
            g.add((node, URIRef(ex + "name"), Literal(name)))
    fast = validate(ds, shapes)
    original = validation._prepared_sparql_constraints
    validation._prepared_sparql_constraints = contextlib.nullcontext
    try:
        slow = validate(ds, shapes)
    finally:
        validation._prepared_sparql_constraints = original
    assert fast.results == slow.results
    assert {v.focus for v in fast.violations} == {URIRef(ex + "n1"), URIRef(ex + "n2")}
    assert len(fast.violations) == 5


def test_failed_build_leaves_previous_store_intact(tmp_path: Path) -> None:
    folder = tmp_path / "kg"
    first = build([FIXTURES / "extra.ttl"], store=f"oxigraph:{folder}", validate=False)
    size = len(first.store)
    first.store.close()
    del first
    gc.collect()
    for bad, error in (
        (FIXTURES / "syntax-error.ttl", SourceSyntaxError),
        (FIXTURES / "bad-state.ttl", ValidationFailed),
    ):
        with pytest.raises(error):
            build([bad], store=f"oxigraph:{folder}")
    assert main(["build", "--store", f"oxigraph:{folder}", "--source", str(bad)]) == 3
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "kg"]
    assert leftovers == []
    store = obtain_store(f"oxigraph:{folder}", read_only=True)
    assert len(store) == size
    assert store.ask(f"ASK {{ GRAPH <{RKGG['source/extra']}> {{ ?s ?p ?o }} }}")
    store.close()


def test_build_replaces_store_on_disk_and_reuses_it(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "kg"
    assert main(["build", "--store", f"oxigraph:{folder}", "--no-validate"]) == 0
    out = capsys.readouterr().out
    assert f"store: oxigraph:{folder}" in out and "rkgg:koishybayev-2018" in out
    assert (folder / "CURRENT").is_file()
    store = obtain_store(f"oxigraph:{folder}")
    curated_size = len(store)
    store.update(f"INSERT DATA {{ GRAPH <{RKGG['source/mark']}> {{ <urn:a> <urn:b> 1 }} }}")
    store.close()
    del store
    gc.collect()
    # no --source: the persistent store is reused as it is (the marker survives)
    again = obtain_store(f"oxigraph:{folder}", read_only=True)
    assert len(again) == curated_size + 1
    again.close()
    # a second build replaces it
    assert (
        main(
            [
                "build",
                "-q",
                "--store",
                f"oxigraph:{folder}",
                "--source",
                str(FIXTURES / "extra.ttl"),
            ]
        )
        == 0
    )
    rebuilt = obtain_store(f"oxigraph:{folder}", read_only=True)
    assert RKGG["source/mark"] not in rebuilt.graph_names()
    assert RKGG["source/extra"] in rebuilt.graph_names()
    rebuilt.close()


def test_refuses_to_replace_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(StoreUnavailable, match="not empty and holds no Oxigraph store"):
        build(store=f"oxigraph:{folder}", validate=False)
    assert (folder / "notes.txt").read_text() == "keep me"


def test_bad_store_spec_fails_before_parsing() -> None:
    with pytest.raises(UserError, match="unknown store spec"):
        build([FIXTURES / "syntax-error.ttl"], store="nonsense")


def test_missing_and_unknown_sources(tmp_path: Path, capsys) -> None:
    with pytest.raises(UserError, match="no such file or folder"):
        build([tmp_path / "nope.ttl"], store="memory")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UserError, match="holds no RDF file"):
        build([empty], store="memory")
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    assert main(["build", "--store", "memory", "--source", str(odd)]) == 2
    assert "unknown file type '.csv'" in capsys.readouterr().err
    shutil.rmtree(empty)


def test_build_refuses_a_store_another_process_holds(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "kg"
    build([FIXTURES / "extra.ttl"], store=f"oxigraph:{folder}", validate=False).store.close()
    hold = (
        "import sys, time\nfrom regional_kg.stores.oxigraph import OxigraphStore\n"
        "s = OxigraphStore(sys.argv[1])\nprint(len(s), flush=True)\ntime.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold, str(folder)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and int(holder.stdout.readline()) > 0
        with pytest.raises(StoreUnavailable, match="another process"):
            build(store=f"oxigraph:{folder}", validate=False)
    finally:
        holder.kill()
        holder.wait()
    # once released, the build goes through
    build(store=f"oxigraph:{folder}", validate=False).store.close()
    # and a store open in this process is noticed too
    mine = build(store=f"oxigraph:{folder}", validate=False).store
    with pytest.raises(StoreUnavailable, match="open store in this one"):
        build(store=f"oxigraph:{folder}", validate=False)
    mine.close()


def test_clean_validation_is_remembered_per_input(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RKG_NO_CACHE", raising=False)
    source = tmp_path / "mine.ttl"
    source.write_text((FIXTURES / "extra.ttl").read_text())
    first = build([source], store="memory")
    assert first.report is not None and first.report.conforms and not first.report.cached
    second = build([source], store="memory")
    assert second.report is not None and second.report.cached
    assert "same inputs as an earlier clean validation" in second.summary()
    # any change to an input validates again -- and a violation is never hidden by the cache
    source.write_text((FIXTURES / "bad-state.ttl").read_text())
    with pytest.raises(ValidationFailed):
        build([source], store="memory")
    monkeypatch.setenv("RKG_NO_CACHE", "1")
    source.write_text((FIXTURES / "extra.ttl").read_text())
    assert not build([source], store="memory").report.cached
