"""Spot checks of batch "fill-a": headline facts added after an independent check."""

from __future__ import annotations

from regional_kg.catalogue import run_query

D = "https://w3id.org/regional-kg/id/"
VT = "https://w3id.org/regional-kg/concept/visit-type/"


def _visit(store, host, slug):
    return [r for r in run_query(store, "visits", {"state": host}) if str(r["visit"]) == D + "visit/" + slug]


def test_tokayev_state_visit_uzbekistan_2019(full_graph_store):
    rows = _visit(full_graph_store, "UZ", "2019-04-14-kz-uz-state")
    assert rows
    assert {str(r["start"]) for r in rows} == {"2019-04-14"}
    assert {str(r["end"]) for r in rows} == {"2019-04-15"}
    assert {str(r["type"]) for r in rows} == {VT + "state"}
    assert {str(r["visitingState"]) for r in rows} == {D + "state/KZ"}


def test_uz_kz_turnover_2018(full_graph_store):
    rows = run_query(full_graph_store, "trade-turnover", {"reporter": "UZ", "partner": "KZ"})
    values = {float(r["value"]) for r in rows if str(r["period"]) == "2018" and str(r["partner"]) == D + "state/KZ"}
    assert values == {2100.0}


def test_kz_tj_declaration_allied_interaction(full_graph_store):
    rows = {str(r["agreement"]): r for r in run_query(full_graph_store, "agreements", {"state": "KZ", "partner": "TJ"})}
    key = D + "agreement/2023-05-04-kz-tj-declaration-allied-interaction"
    assert key in rows


def test_mirziyoyev_state_visit_turkmenistan_2017(full_graph_store):
    rows = _visit(full_graph_store, "TM", "2017-03-06-uz-tm-state")
    assert rows
    assert {str(r["start"]) for r in rows} == {"2017-03-06"}
    assert {str(r["type"]) for r in rows} == {VT + "state"}
    assert {str(r["visitingState"]) for r in rows} == {D + "state/UZ"}


def test_berdimuhamedow_state_visit_uzbekistan_2018(full_graph_store):
    rows = _visit(full_graph_store, "UZ", "2018-04-23-tm-uz-state")
    assert rows
    assert {str(r["start"]) for r in rows} == {"2018-04-23"}
    assert {str(r["end"]) for r in rows} == {"2018-04-24"}
    assert {str(r["type"]) for r in rows} == {VT + "state"}
    assert {str(r["visitingState"]) for r in rows} == {D + "state/TM"}


def test_consultative_meetings_initiative(full_graph_store):
    rows = [r for r in run_query(full_graph_store, "initiatives", {})
            if str(r["initiative"]) == D + "initiative/2017-09-ca-regular-consultative-meetings"]
    assert rows
    assert {str(r["proposedBy"]) for r in rows} == {D + "person/shavkat-mirziyoyev"}
    assert {str(r["status"]) for r in rows} == {"https://w3id.org/regional-kg/concept/status/proposed"}
