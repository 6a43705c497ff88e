"""The rdflib and Oxigraph stores give the same rows for the same queries (real values)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from regional_kg.stores import BadStoreSpec, StoreSpec, kind_of, open_store
from regional_kg.stores.base import QueryError, Store, StoreError, to_native
from regional_kg.stores.memory import MemoryStore
from regional_kg.stores.oxigraph import OxigraphStore
from tests.support.paths import FIXTURES

FIXTURE = FIXTURES / "core" / "parity.trig"
EX = "http://example.org/"
PREFIX = f"PREFIX ex: <{EX}>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"


def fixture_dataset() -> Dataset:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    return ds


@pytest.fixture(scope="module")
def stores() -> dict[str, Store]:
    result = {"memory": MemoryStore(), "oxigraph": OxigraphStore()}
    for store in result.values():
        store.load(fixture_dataset())
    return result


def as_multiset(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted((k, v.n3()) for k, v in row.items())) for row in rows)


PARITY_SELECTS = {
    "labels with languages": "SELECT ?s ?label WHERE { ?s ex:label ?label }",
    "typed values": "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }",
    "optional and unbound": """
        SELECT ?s ?founded ?area WHERE {
          ?s a ex:State . OPTIONAL { ?s ex:founded ?founded } OPTIONAL { ?s ex:area ?area } }""",
    "aggregates": """
        SELECT ?g (COUNT(*) AS ?n) (SUM(?pop) AS ?total) (MAX(?pop) AS ?max) WHERE {
          GRAPH ?g { ?s ex:population ?pop } } GROUP BY ?g""",
    "union default graph": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ex:State }",
    "string functions": """
        SELECT ?s (STR(?label) AS ?text) (LANG(?label) AS ?lang) (UCASE(?code) AS ?uc) WHERE {
          ?s ex:label ?label ; ex:code ?code }""",
    "graph names": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
    "filter on number": "SELECT ?s WHERE { ?s ex:population ?p FILTER(?p > 10000000) }",
}


@pytest.mark.parametrize("name", sorted(PARITY_SELECTS))
def test_select_rows_equal_across_stores(stores: dict[str, Store], name: str) -> None:
    query = PREFIX + PARITY_SELECTS[name]
    memory = stores["memory"].select(query)
    oxigraph = stores["oxigraph"].select(query)
    assert memory.variables == oxigraph.variables
    assert len(memory) > 0
    if name == "typed values":  # blank node labels differ between engines; compare the rest
        memory.rows = [r for r in memory.rows if "s" in r and isinstance(r["s"], URIRef)]
        oxigraph.rows = [r for r in oxigraph.rows if "s" in r and isinstance(r["s"], URIRef)]
    assert as_multiset(memory.rows) == as_multiset(oxigraph.rows)


@pytest.mark.parametrize("name", sorted(PARITY_SELECTS))
def test_native_rows_are_the_select_rows_as_pyoxigraph_terms(
    stores: dict[str, Store], name: str
) -> None:
    """``select_native``: Oxigraph's own terms, the others' converted; the same rows either way."""
    query = PREFIX + PARITY_SELECTS[name]
    native = {kind: store.select_native(query) for kind, store in stores.items()}
    for kind, store in stores.items():
        rows = store.select(query)
        assert native[kind].variables == rows.variables, kind
        expected = [
            tuple(to_native(row[v]) if v in row else None for v in rows.variables)
            for row in rows.rows
        ]
        assert sorted(map(repr, native[kind].rows)) == sorted(map(repr, expected)), kind
    if name != "typed values":  # (blank node labels differ between engines)
        assert sorted(map(repr, native["memory"].rows)) == sorted(
            map(repr, native["oxigraph"].rows)
        )


def test_native_terms_keep_datatype_language_and_unbound(stores: dict[str, Store]) -> None:
    query = (
        PREFIX
        + """SELECT ?o ?missing WHERE { { ex:trade ex:value ?o } UNION
        { ex:kz ex:label ?o FILTER(LANG(?o) = "ru") } UNION { ex:kz ex:code ?o } }"""
    )
    for kind, store in stores.items():
        result = store.select_native(query)
        assert result.variables == ["o", "missing"] and result.index("missing") == 1, kind
        assert result.index("nothing") is None
        assert {row[1] for row in result.rows} == {None}, kind
        assert sorted(repr(row[0]) for row in result.rows) == sorted(
            [
                repr(ox.Literal("1.5", datatype=ox.NamedNode(str(XSD.decimal)))),
                repr(ox.Literal("Казахстан", language="ru")),
                repr(ox.Literal("KZ")),
            ]
        ), kind


def test_typed_literals_come_back_exactly(stores: dict[str, Store]) -> None:
    query = PREFIX + "SELECT ?o WHERE { ex:%s ex:%s ?o }"
    for kind, store in stores.items():

        def value(s: str, p: str, store: Store = store) -> object:
            return store.select(query % (s, p)).rows[0]["o"]

        assert value("kz", "founded") == Literal("1991-12-16", datatype=XSD.date), kind
        assert value("kz", "year") == Literal("1991", datatype=XSD.gYear), kind
        assert value("kg", "founded") == Literal("1991-08", datatype=XSD.gYearMonth), kind
        assert value("kz", "population") == Literal(18000000), kind
        assert value("trade", "value") == Literal("1.5", datatype=XSD.decimal), kind
        assert value("kz", "member") == Literal(True), kind
        assert value("kz", "code") == Literal("KZ"), kind  # plain: no xsd:string datatype
        assert value("trade", "weird") == Literal("x", datatype=URIRef(EX + "custom")), kind
        ru = store.select(PREFIX + 'SELECT ?o WHERE { ex:kz ex:label ?o FILTER(LANG(?o)="ru") }')
        assert ru.rows == [{"o": Literal("Казахстан", lang="ru")}], kind


def test_optional_leaves_variable_out_of_the_row(stores: dict[str, Store]) -> None:
    query = PREFIX + "SELECT ?s ?f WHERE { ?s ex:code 'UZ' OPTIONAL { ?s ex:founded ?f } }"
    for store in stores.values():
        result = store.select(query)
        assert result.variables == ["s", "f"]
        assert result.rows == [{"s": URIRef(EX + "uz")}]
        assert result.values("f") == [None]


def test_bindings_substitute_terms(stores: dict[str, Store]) -> None:
    query = (
        PREFIX
        + """
        SELECT ?s (COUNT(?label) AS ?n) WHERE { ?s ex:label ?label ; ex:code ?code } GROUP BY ?s"""
    )
    for kind, store in stores.items():
        result = store.select(query, {"code": Literal("KZ")})
        assert result.rows == [{"s": URIRef(EX + "kz"), "n": Literal(2)}], kind  # merged union
        by_iri = store.select(
            PREFIX + "SELECT ?code WHERE { ?s ex:code ?code }", {"s": URIRef(EX + "kg")}
        )
        assert by_iri.rows == [{"code": Literal("KG")}], kind
        lang = store.select(
            PREFIX + "SELECT ?s WHERE { ?s ex:label ?l }", {"l": Literal("Казахстан", lang="ru")}
        )
        assert lang.rows == [{"s": URIRef(EX + "kz")}], kind
        # a value that would break out of a pasted string stays a value
        evil = Literal('KZ" } ?s ?p ?o { "')
        assert (
            store.select(PREFIX + "SELECT ?s WHERE { ?s ex:code ?code }", {"code": evil}).rows == []
        )


def test_ask_and_construct(stores: dict[str, Store]) -> None:
    for kind, store in stores.items():
        assert store.ask(PREFIX + "ASK { ex:kz ex:borders ex:uz }") is True, kind
        assert store.ask(PREFIX + "ASK { ex:uz ex:borders ex:kz }") is False, kind
        assert store.ask(PREFIX + "ASK { ?s ex:code ?c }", {"c": Literal("KG")}) is True, kind
        graph = store.construct(
            PREFIX + "CONSTRUCT { ?b ex:bordered ?a } WHERE { ?a ex:borders ?b }"
        )
        assert set(graph) == {
            (URIRef(EX + "kg"), URIRef(EX + "bordered"), URIRef(EX + "kz")),
            (URIRef(EX + "uz"), URIRef(EX + "bordered"), URIRef(EX + "kz")),
        }, kind
        typed = store.construct(PREFIX + "CONSTRUCT { ex:x ex:y ?f } WHERE { ex:kz ex:founded ?f }")
        assert list(typed.objects()) == [Literal("1991-12-16", datatype=XSD.date)], kind


def test_graph_names_len_and_dump(stores: dict[str, Store]) -> None:
    expected = [URIRef(EX + "graph/a"), URIRef(EX + "graph/b")]
    sizes = set()
    for kind, store in stores.items():
        assert store.graph_names() == expected, kind
        sizes.add(len(store))
        dumped = Dataset()
        dumped.parse(data=store.dump("nquads"), format="nquads")
        assert sum(len(g) for g in dumped.graphs()) == len(store), kind
        trig = Dataset()
        trig.parse(data=store.dump("trig"), format="trig")
        assert sum(len(g) for g in trig.graphs()) == len(store), kind
    assert sizes == {len(fixture_dataset())} or len(sizes) == 1
    assert sizes.pop() == 27


def test_wrong_query_kind_and_syntax_errors(stores: dict[str, Store]) -> None:
    for store in stores.values():
        with pytest.raises(QueryError):
            store.select("SELEC ?x WHERE { ?x ?y ?z }")
        with pytest.raises(QueryError):
            store.select("ASK { ?s ?p ?o }")
        with pytest.raises(QueryError):
            store.ask("SELECT * WHERE { ?s ?p ?o }")
        with pytest.raises(QueryError):
            store.update("INSERT DATA { oops }")


def test_load_is_all_or_nothing_and_replace() -> None:
    for store in (MemoryStore(), OxigraphStore()):
        store.load(fixture_dataset())
        before = len(store)
        bad = Dataset()
        bad.graph(URIRef(EX + "graph/c")).add((URIRef(EX + "a"), URIRef(EX + "b"), Literal("c")))
        bad.add((URIRef(EX + "outside"), URIRef(EX + "b"), Literal("no graph")))
        with pytest.raises(StoreError, match="outside any named graph"):
            store.load(bad)
        assert len(store) == before, store.spec
        small = Dataset()
        small.graph(URIRef(EX + "graph/c")).add((URIRef(EX + "a"), URIRef(EX + "b"), Literal("c")))
        store.load(small, replace=True)
        assert len(store) == 1 and store.graph_names() == [URIRef(EX + "graph/c")], store.spec
        store.update(f"INSERT DATA {{ GRAPH <{EX}graph/d> {{ <{EX}x> <{EX}y> 1 }} }}")
        assert len(store) == 2, store.spec


def test_on_disk_store_persists_and_locks(tmp_path: Path) -> None:
    folder = tmp_path / "kg"
    store = open_store(f"oxigraph:{folder}")
    assert store.persistent and store.spec == f"oxigraph:{folder}"
    store.load(fixture_dataset())
    store.close()
    del store
    gc.collect()
    # another process opens the store for writing (and so holds its lock) and waits
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(folder)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "27"
        with pytest.raises(StoreError, match="another process is using this store"):
            open_store(f"oxigraph:{folder}")
    finally:
        holder.kill()
        holder.wait()
    # read-only opens take no lock: two at once, and a writer beside them
    first = open_store(f"oxigraph:{folder}", read_only=True)
    second = open_store(f"oxigraph:{folder}", read_only=True)
    assert isinstance(first, OxigraphStore) and first.read_only and len(first) == 27
    assert second.ask("ASK { ?s <http://example.org/code> 'KZ' }")
    with pytest.raises(StoreError, match="read-only"):
        second.load(fixture_dataset())
    with pytest.raises(StoreError, match="read-only"):
        second.update("CLEAR ALL")
    first.close()
    second.close()
    again = open_store(f"oxigraph:{folder}")
    assert not again.read_only and len(again) == 27
    again.close()


HOLD_LOCK = """
import sys, time
from regional_kg.stores.oxigraph import OxigraphStore
store = OxigraphStore(sys.argv[1])
print(len(store), flush=True)
time.sleep(60)
"""


def test_store_specs() -> None:
    assert kind_of("memory") == "memory"
    assert kind_of("oxigraph") == "oxigraph"
    assert kind_of("oxigraph:/tmp/x") == "oxigraph-disk"
    assert kind_of("sparql:http://localhost:1/q") == "sparql"
    with pytest.raises(BadStoreSpec, match="unknown store spec 'postgres'"):
        open_store("postgres")
    with pytest.raises(BadStoreSpec, match="needs a folder"):
        open_store("oxigraph:")
    memory = open_store("memory")
    assert open_store(memory) is memory


def test_curated_graph_same_rows_in_both_stores(curated_memory, curated_oxigraph) -> None:
    queries = [
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
           SELECT ?s ?label ?iso WHERE { ?s a rkg:State ; skos:prefLabel ?label
                                          OPTIONAL { ?s rkg:isoCode ?iso } }""",
    ]
    for query in queries:
        memory = curated_memory.select(query)
        oxigraph = curated_oxigraph.select(query)
        assert len(memory) > 0
        assert as_multiset(memory.rows) == as_multiset(oxigraph.rows)


def test_a_spec_is_read_once_into_its_parts():
    disk = StoreSpec.parse(" oxigraph:/tmp/kg ")
    assert (disk.kind, disk.path, disk.persistent, str(disk)) == (
        "oxigraph-disk",
        Path("/tmp/kg"),
        True,
        "oxigraph:/tmp/kg",
    )
    remote = StoreSpec.parse("sparql:http://h/q#union=server")
    assert (remote.kind, remote.location) == ("sparql", "http://h/q#union=server")
    assert StoreSpec.parse("memory").persistent is False
    assert StoreSpec.parse(disk) is disk


def test_an_oxigraph_store_adopts_a_staged_store_without_a_copy(tmp_path):
    staged = ox.Store()
    name = ox.NamedNode("https://w3id.org/regional-kg/graph/x")
    staged.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), name))
    store = OxigraphStore()
    before = store.generation
    assert store.adopt(staged) is store
    assert store.native is staged and store.union_ready and store.generation > before
    assert store.ask("ASK { <urn:s> <urn:p> 'o' }")  # the union default graph was made
    assert len(store) == 1 and store.kind == "oxigraph"
    on_disk = OxigraphStore(tmp_path / "kg")
    try:
        with pytest.raises(StoreError, match="cannot adopt"):
            on_disk.adopt(ox.Store())
        assert on_disk.kind == "oxigraph-disk" and on_disk.is_empty()
    finally:
        on_disk.close()
