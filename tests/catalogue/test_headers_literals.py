"""Every refusal of a ``.rq`` header and of a parameter value, message for message.

The catalogue tests check that each problem is caught; these pin the exact text a catalogue
author or a caller reads (file, line, parameter and what was expected), and the conversions
that keep a value's spelling: a string's spaces, the header's spelling of a ``values=`` entry.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from regional_kg.catalogue import Param, QueryHeaderError, convert_literal, parse_query
from regional_kg.errors import ParameterError

HEAD = "# title: T\n# description: D\n"
BODY = "SELECT ?x { BIND(1 AS ?x) }"


@pytest.mark.parametrize(
    "lines,message",
    [
        ("# param: x\n", "q.rq:3: a param line reads 'NAME TYPE required|optional "
         "[default=VALUE] DESCRIPTION'"),
        ("# param: 1x string optional d\n", "q.rq:3: '1x' is not a SPARQL variable name"),
        ("# param: x colour optional d\n", "q.rq:3: parameter 'x' has unknown type 'colour' "
         "(one of: state, entity, iri, string, integer, decimal, year, date, boolean)"),
        ("# param: x string maybe d\n",
         "q.rq:3: parameter 'x': write 'required' or 'optional', not 'maybe'"),
        ("# param: x string optional default=a default=b d\n",
         "q.rq:3: parameter 'x': default= given twice"),
        ("# param: x iri optional values=a|b d\n", "q.rq:3: parameter 'x': values= lists plain "
         "values (a|b|c) of a string, number, year, date or boolean parameter"),
        ("# param: x string optional values=a||b d\n", "q.rq:3: parameter 'x': values= lists "
         "plain values (a|b|c) of a string, number, year, date or boolean parameter"),
        ("# param: x year optional values=2017|17 d\n", "q.rq:3: bad value in values=: "
         "parameter 'x': '17' is not a year (YYYY)"),
        ("# param: x integer optional default=4.5 d\n",
         "q.rq:3: bad default: parameter 'x': '4.5' is not an integer"),
        ("# param: x string optional default=c values=a|b d\n", "q.rq:3: bad default: "
         "parameter 'x': 'c' is not allowed; use one of: a, b"),
        ("# param: x string optional\n# param: x year optional\n",
         "q.rq: parameter(s) declared twice: x"),
        ("# colour: red\n", "q.rq:3: unknown header key 'colour'"),
        ("# param: y string optional d\n", "q.rq: parameter 'y' is not used as ?y"),
    ],
)  # fmt: skip
def test_header_errors_read_exactly(lines: str, message: str) -> None:
    with pytest.raises(QueryHeaderError) as info:
        parse_query(HEAD + lines + BODY, "q", Path("q.rq"))
    assert str(info.value) == message


def test_missing_title_or_description_only_matters_when_strict() -> None:
    with pytest.raises(QueryHeaderError) as info:
        parse_query("# description: D\n" + BODY, "q")
    assert str(info.value) == "q: the header has no '# title:' line"
    with pytest.raises(QueryHeaderError) as info:
        parse_query("# title: T\n" + BODY, "q")
    assert str(info.value) == "q: the header has no '# description:' line"
    spec = parse_query("# param: unused string optional\n" + BODY, "adhoc", strict=False)
    assert spec.title == "adhoc" and spec.adhoc and spec.params[0].name == "unused"


def test_header_stops_at_the_first_line_that_is_not_a_comment() -> None:
    text = HEAD + "# a free comment: with a colon? no, a key needs lower case\n\n" + BODY
    text += "\n# colour: red\n"
    spec = parse_query(text, "q")
    assert spec.title == "T" and spec.params == ()
    spec = parse_query(
        "# title: T\n# title: more\n# description: D\n# list-columns: a, b c\n"
        '# param: x string optional values="p q|r" default="p q" the x\n' + BODY,
        "q",
    )
    assert spec.title == "T more" and spec.list_columns == ("a", "b", "c")
    assert spec.params == (Param("x", "string", False, "the x", "p q", ("p q", "r")),)


def test_a_state_default_is_a_label_left_to_the_store() -> None:
    spec = parse_query(HEAD + "# param: x state optional default=Kazakhstan d\n" + BODY, "q")
    assert spec.params[0].default == "Kazakhstan"


@pytest.mark.parametrize(
    "type_,value,expected",
    [
        ("string", "  two words ", Literal("  two words ")),
        ("string", 12, Literal("12")),
        ("integer", 7, Literal(7, datatype=XSD.integer)),
        ("integer", " -3 ", Literal(-3, datatype=XSD.integer)),
        ("decimal", Decimal("2.50"), Literal(Decimal("2.50"), datatype=XSD.decimal)),
        ("decimal", ".5", Literal(Decimal(".5"), datatype=XSD.decimal)),
        ("boolean", True, Literal(True)),
        ("boolean", "NO", Literal(False)),
        ("boolean", "0", Literal(False)),
        ("date", date(2019, 11, 29), Literal("2019-11-29", datatype=XSD.date)),
        ("year", Literal("2017"), Literal("2017", datatype=XSD.gYear)),
        ("state", "https://w3id.org/regional-kg/id/state/KZ",
         URIRef("https://w3id.org/regional-kg/id/state/KZ")),
        ("entity", URIRef("urn:x:y"), URIRef("urn:x:y")),
    ],
)  # fmt: skip
def test_values_keep_their_meaning(type_: str, value: object, expected: object) -> None:
    term = convert_literal(Param("p", type_, False), value)
    assert term == expected and type(term) is type(expected)
    if isinstance(expected, Literal):
        assert isinstance(term, Literal) and term.datatype == expected.datatype


def test_values_lists_match_case_insensitively_and_give_the_header_spelling() -> None:
    param = Param("d", "string", False, values=("By", "to"))
    assert convert_literal(param, " bY ") == Literal("By")
    with pytest.raises(ParameterError) as info:
        convert_literal(param, "from")
    assert str(info.value) == "parameter 'd': 'from' is not allowed; use one of: By, to"


@pytest.mark.parametrize(
    "type_,value,message",
    [
        ("string", ["a"], "parameter 'p': cannot use a list"),
        ("string", None, "parameter 'p': cannot use a NoneType"),
        ("string", "a\x00b", "parameter 'p': the value contains a NUL character"),
        ("string", "\ud800", "parameter 'p': the value is not valid text"),
        ("integer", "1" * 31, f"parameter 'p': {'1' * 31!r} is not an integer"),
        ("decimal", "1.2.3", "parameter 'p': '1.2.3' is not a decimal number"),
        ("year", "2017-01", "parameter 'p': '2017-01' is not a year (YYYY)"),
        ("date", "2017-02-30", "parameter 'p': '2017-02-30' is not a valid date"),
        ("date", "next week", "parameter 'p': 'next week' is not a date (YYYY-MM-DD, YYYY-MM "
         "or YYYY)"),
        ("boolean", "maybe", "parameter 'p': 'maybe' is not a boolean (true/false)"),
        ("iri", "two words", "parameter 'p': 'two words' is not an IRI"),
    ],
)  # fmt: skip
def test_refused_values_read_exactly(type_: str, value: object, message: str) -> None:
    with pytest.raises(ParameterError) as info:
        convert_literal(Param("p", type_, False), value)
    assert str(info.value) == message


def test_a_datetime_is_a_date_and_its_time_is_refused() -> None:
    with pytest.raises(ParameterError, match="is not a"):
        convert_literal(Param("p", "date", False), datetime(2019, 11, 29, 10, 30))
