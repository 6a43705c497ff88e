"""The catalogue machinery: headers, parameter types, resolution of names, errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from regional_kg.catalogue import (
    Param,
    QueryHeaderError,
    UnknownQueryError,
    bind_params,
    catalogue,
    convert_literal,
    get_query,
    parse_query,
    resolve_spec,
    run_query,
)
from regional_kg.errors import ParameterError, UserError
from regional_kg.stores.base import QueryError
from tests.graph.test_queries_curated import curated_store

KZ = URIRef("https://w3id.org/regional-kg/id/state/KZ")

HEADER = """# title: Demo
# description: First line
# description: second line.
# param: state state required The state
# param: year  year  optional default=2017  A year
# param: label string optional default="two words"  Quoted default
# list-columns: a, b
# example: rkg query demo --param state=KZ
SELECT ?a ?b WHERE { ?a ?p ?state . BIND(?year AS ?y) BIND(?label AS ?l) }
"""


def test_header_parses_into_a_spec():
    spec = parse_query(HEADER, "demo")
    assert spec.title == "Demo"
    assert spec.description == "First line second line."
    assert [(p.name, p.type, p.required, p.default) for p in spec.params] == [
        ("state", "state", True, None),
        ("year", "year", False, "2017"),
        ("label", "string", False, "two words"),
    ]
    assert spec.params[0].description == "The state"
    assert spec.list_columns == ("a", "b")
    assert spec.examples == ("rkg query demo --param state=KZ",)
    assert spec.header.startswith("# title: Demo") and "SELECT" not in spec.header


@pytest.mark.parametrize(
    "bad,message",
    [
        (
            "# title: T\n# description: D\n# param: x colour required X\nSELECT ?x {}",
            "unknown type",
        ),
        ("# title: T\n# description: D\n# param: x string maybe X\nSELECT ?x {}", "required"),
        ("# title: T\n# description: D\n# param: x-y string optional X\nSELECT * {}", "variable"),
        ("# title: T\n# description: D\n# param: z string optional X\nSELECT ?x {}", "not used"),
        ("# title: T\n# description: D\n# colour: red\nSELECT ?x {}", "unknown header key"),
        ("# description: D\nSELECT ?x {}", "title"),
        (
            "# title: T\n# description: D\n# param: y year optional default=20x Y\nSELECT ?y {}",
            "default",
        ),
    ],
)
def test_bad_headers_name_file_and_problem(bad, message):
    with pytest.raises(QueryHeaderError, match=message) as info:
        parse_query(bad, "bad")
    assert "bad" in str(info.value)


def test_every_catalogue_file_is_well_formed():
    specs = catalogue()
    assert len(specs) >= 14
    for spec in specs:
        assert spec.title and spec.description and spec.path.suffix == ".rq"
        assert spec.text.lstrip().startswith("# title:")
        assert "PREFIX" in spec.text  # self-contained: runs in any engine as it is


@pytest.mark.parametrize(
    "type_,value,expected",
    [
        ("integer", "42", Literal(42, datatype=XSD.integer)),
        ("decimal", "1.50", Literal(Decimal("1.50"), datatype=XSD.decimal)),
        ("year", "2017", Literal("2017", datatype=XSD.gYear)),
        ("date", "2017-12-25", Literal("2017-12-25", datatype=XSD.date)),
        ("date", "2017-12", Literal("2017-12", datatype=XSD.gYearMonth)),
        ("date", "2017", Literal("2017", datatype=XSD.gYear)),
        ("boolean", "yes", Literal(True)),
        ("string", "Astana", Literal("Astana")),
        ("iri", "rkgd:state/KZ", KZ),
        ("iri", "<https://w3id.org/regional-kg/id/state/KZ>", KZ),
    ],
)
def test_values_convert_to_typed_terms(type_, value, expected):
    term = convert_literal(Param("p", type_, False), value)
    assert term == expected and type(term) is type(expected)
    if isinstance(expected, Literal):
        assert term.datatype == expected.datatype


@pytest.mark.parametrize(
    "type_,value",
    [
        ("year", "abc"),
        ("year", "17"),
        ("integer", "4.2"),
        ("decimal", "1e5"),
        ("date", "2017-02-30"),
        ("date", "2017-13"),
        ("boolean", "maybe"),
        ("iri", "not an iri"),
        ("iri", "nope:thing"),
    ],
)
def test_wrong_types_are_parameter_errors(type_, value):
    with pytest.raises(ParameterError, match="parameter 'p'"):
        convert_literal(Param("p", type_, False), value)


# --- against the curated graph ----------------------------------------------------------------


@pytest.fixture(scope="module")
def store():
    return curated_store("oxigraph")


@pytest.mark.parametrize(
    "value",
    [
        "KZ",
        "kz",
        "Kazakhstan",
        "KAZAKHSTAN",
        "Казахстан",
        "Republic of Kazakhstan",
        "rkgd:state/KZ",
        "https://w3id.org/regional-kg/id/state/KZ",
    ],
)
def test_state_accepts_labels_codes_and_iris(store, value):
    spec = get_query("partners")
    assert bind_params(store, spec, {"state": value}) == {"state": KZ}


def test_unknown_state_lists_close_matches(store):
    with pytest.raises(ParameterError) as info:
        run_query(store, "partners", {"state": "Kazakstan"})
    message = str(info.value)
    assert "parameter 'state'" in message and "'Kazakstan'" in message
    assert "Kazakhstan" in message.split("close matches:")[1]


def test_iri_of_something_that_is_not_a_state(store):
    with pytest.raises(ParameterError, match="no state"):
        run_query(store, "partners", {"state": "rkgd:person/nursultan-nazarbayev"})


def test_parameter_errors(store):
    with pytest.raises(ParameterError, match="needs parameter 'state'"):
        run_query(store, "partners", {})
    with pytest.raises(ParameterError, match="no parameter 'colour'.*its parameters: state"):
        run_query(store, "partners", {"state": "KZ", "colour": "red"})
    with pytest.raises(ParameterError, match="parameter 'year'"):
        run_query(store, "trade-turnover", {"year": "abc"})


def test_unknown_query_suggests_close_names(store):
    with pytest.raises(UnknownQueryError, match="did you mean agreements"):
        run_query(store, "agreement")
    assert isinstance(UnknownQueryError("x"), UserError)


def test_adhoc_text_gets_prefixes_and_untyped_params(store):
    spec = resolve_spec("SELECT ?code WHERE { ?s rkg:isoCode ?code }")
    assert spec.adhoc and "PREFIX rkg:" in spec.text
    result = run_query(store, spec, {"s": "rkgd:state/KZ"})
    assert [str(r["code"]) for r in result] == ["KZ"]
    with pytest.raises(ParameterError, match=r"no variable \?nope"):
        run_query(store, spec, {"nope": "1"})


def test_syntax_error_is_a_query_error(store):
    with pytest.raises(QueryError):
        run_query(store, "SELECT ?x WHERE { ?x ?y }")


def test_default_is_applied(store):
    spec = get_query("visits")
    bindings = bind_params(store, spec, {"state": "KZ"})
    assert bindings["direction"] == Literal("any")
    assert "from" not in bindings  # optional, not given: left unbound


# --- random values never produce a traceback ---------------------------------------------------

NAMES = ["agreements", "visits", "trade-turnover", "entities", "meetings", "leaders"]
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["KZ", "2017", "2017-12", "2017-12-25", "rkgd:state/KG", "<x>", "true", ""]),
    st.integers().map(str),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(NAMES), data=st.data())
def test_random_parameter_values_give_rows_or_a_parameter_error(store, name, data):
    spec = get_query(name)
    chosen = data.draw(st.lists(st.sampled_from([p.name for p in spec.params]), unique=True))
    params = {key: data.draw(values) for key in chosen}
    try:
        result = run_query(store, name, params)
    except ParameterError as exc:
        assert str(exc)
    else:
        assert isinstance(result.rows, list)
