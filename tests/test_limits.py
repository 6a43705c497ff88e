"""The pre-parse scanner (:mod:`regional_kg.limits`) on each kind of token it reacts to.

The server tests drive it through HTTP; these pin each branch of the walk itself: declarations
(``PREFIX``, ``BASE``) that resolve later targets, ``SILENT``, a clause cut off at the end of
the text, the query form, and the two limits with their messages.
"""

from __future__ import annotations

import pytest

from regional_kg.errors import QueryLimitError
from regional_kg.limits import MAX_QUERY_CHARS, Scan, scan


def test_base_and_prefixes_resolve_service_and_load_targets() -> None:
    found = scan(
        "BASE <http://h/a/> PREFIX p: <sub/> PREFIX q: <http://q/>\n"
        "SELECT * { SERVICE SILENT p:x {} SERVICE <../b> {} SERVICE ?v {} SERVICE u:y {} }"
    )
    assert found == Scan(
        form="select",
        depth=2,
        services=("http://h/a/sub/x", "http://h/b", None, "u:y"),
        loads=(),
    )


def test_load_silent_and_load_of_a_prefixed_name() -> None:
    found = scan(
        "PREFIX d: <http://d/> LOAD SILENT d:one INTO GRAPH <urn:g> ; LOAD <http://e/two>",
        update=True,
    )
    assert found == Scan(form=None, depth=0, services=(), loads=("http://d/one", "http://e/two"))


def test_a_clause_cut_off_at_the_end_is_refused_rather_than_guessed() -> None:
    assert scan("SELECT * {} SERVICE").services == (None,)
    assert scan("SELECT * {} SERVICE SILENT").services == (None,)
    assert scan("LOAD", update=True).loads == ("",)
    assert scan("LOAD ?x", update=True).loads == ("?x",)


def test_form_is_the_first_query_keyword_and_updates_have_none() -> None:
    assert scan("ASK { ?s ?p ?o }").form == "ask"
    assert scan("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").form == "graph"
    assert scan("DESCRIBE <urn:x>").form == "graph"
    assert scan("SELECT * { { SELECT ?s { ?s ?p ?o } } ASK }").form == "select"
    assert scan("INSERT { ?s ?p ?o } WHERE { SELECT * { ?s ?p ?o } }", update=True).form is None


def test_a_keyword_waiting_for_its_argument_still_counts_brackets() -> None:
    # PREFIX followed by a bracket: the bracket is counted, the declaration dropped
    found = scan("PREFIX ( ) SELECT * { BASE { } }")
    assert found.depth == 2
    assert found.form == "select"
    # the prefix name without its IRI declares nothing
    assert scan("PREFIX p: ?x SELECT * { SERVICE p:a {} }").services == ("p:a",)


def test_depth_limit_names_the_line_and_the_kind_of_text() -> None:
    with pytest.raises(QueryLimitError) as info:
        scan("SELECT *\n{\n{ { } }\n}", max_depth=2)
    assert str(info.value) == (
        "the query nests brackets more than 2 levels deep (at line 3); no real query needs "
        "that many, so it is refused before parsing"
    )
    with pytest.raises(QueryLimitError, match="^the update nests brackets more than 1 levels"):
        scan("INSERT DATA { [ ] }", update=True, max_depth=1)
    assert scan("SELECT * { { } } ( )", max_depth=2).depth == 2


def test_size_limit_per_kind_and_given() -> None:
    with pytest.raises(QueryLimitError) as info:
        scan("ASK {}", max_chars=5)
    assert str(info.value) == "the query is 6 characters long; the limit is 5"
    assert info.value.code == "query-too-large"
    with pytest.raises(QueryLimitError, match="^the update is 524,289 characters long"):
        scan("#" * (MAX_QUERY_CHARS + 1), update=True, max_chars=MAX_QUERY_CHARS)
    with pytest.raises(QueryLimitError, match="; the limit is 524,288$"):
        scan("#" * (MAX_QUERY_CHARS + 1))
    assert scan("#" * (MAX_QUERY_CHARS + 1), update=True) == Scan()
