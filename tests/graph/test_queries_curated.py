"""Every catalogue query against the curated graph: the rows the source document implies.

Each test runs on both local engines (rdflib ``memory`` and ``oxigraph``), and every catalogue
example must give the same rows on both.
"""

from __future__ import annotations

import shlex
from decimal import Decimal
from functools import cache

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from regional_kg.catalogue import QuerySpec, catalogue, run_query
from regional_kg.stores.base import SelectResult, Store
from tests.support.paths import FIXTURES

D = "https://w3id.org/regional-kg/id/"
C = "https://w3id.org/regional-kg/concept/"


# --- helpers (also imported by test_query_engines) -------------------------------------------


@cache
def curated_store(kind: str) -> Store:
    """The curated graph (ontology, reference, Koishybayev 2018, inferences) in a store."""
    from regional_kg.build import build

    return build(store=kind, validate=False).store


#: Beside the seed, the examples run over two made-up web pages that corroborate one visit and
#: disagree on one election, so that the corroboration and conflicts examples have rows too.
CORROBORATION_FIXTURE = FIXTURES / "corroboration" / "two-pages.trig"


@cache
def examples_store(kind: str) -> Store:
    from regional_kg.build import build

    return build([CORROBORATION_FIXTURE], store=kind, validate=False).store


def comparable(result: SelectResult) -> list[dict[str, tuple]]:
    """Rows as values: ``"1980.0"``/``"1980"`` (decimal) and ``"a"``/``"a"^^xsd:string`` match."""
    out = []
    for row in result.rows:
        converted: dict[str, tuple] = {}
        for name, term in row.items():
            if isinstance(term, Literal):
                value = term.toPython()
                if isinstance(value, Literal):
                    value = str(term)
                if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    value = Decimal(str(value)).normalize()
                datatype = "" if term.datatype in (None, XSD.string) else str(term.datatype)
                converted[name] = ("literal", datatype, term.language, value)
            elif isinstance(term, URIRef):
                converted[name] = ("iri", str(term))
            elif isinstance(term, BNode):
                converted[name] = ("bnode",)
        out.append(converted)
    return out


def example_cases() -> list[tuple[QuerySpec, dict[str, str]]]:
    """Every ``# example:`` of every catalogue query as (spec, params)."""
    cases = []
    for spec in catalogue():
        for example in spec.examples or ("",):
            args = shlex.split(example)
            params = {}
            for i, arg in enumerate(args[:-1]):
                if arg in ("--param", "-p"):
                    key, _, value = args[i + 1].partition("=")
                    params[key] = value
            cases.append((spec, params))
    return cases


def col(result: SelectResult, name: str) -> list[str | None]:
    return [None if v is None else str(v) for v in result.values(name)]


def num(term) -> Decimal:
    return Decimal(str(term.toPython()))


@pytest.fixture(params=["memory", "oxigraph"], scope="module")
def store(request) -> Store:
    return curated_store(request.param)


# --- same rows on both engines ----------------------------------------------------------------

CASES = example_cases()


@pytest.mark.parametrize(
    "spec,params", CASES, ids=[f"{s.name}-{i}" for i, (s, _) in enumerate(CASES)]
)
def test_memory_and_oxigraph_give_the_same_rows(spec, params):
    memory = run_query(examples_store("memory"), spec.name, params)
    oxigraph = run_query(examples_store("oxigraph"), spec.name, params)
    assert memory.variables == oxigraph.variables
    assert comparable(memory) == comparable(oxigraph)
    assert memory.rows, f"example of {spec.name} {params} gives no rows"


def test_every_query_has_an_example():
    assert {s.name for s in catalogue()} >= {
        "agreements",
        "visits",
        "meetings",
        "leaders",
        "memberships",
        "trade-turnover",
        "trade-targets",
        "partners",
        "provenance",
        "timeline",
    }
    assert all(spec.examples for spec in catalogue())


# --- the rows the source implies ---------------------------------------------------------------


def test_agreements_kz_kg(store):
    result = run_query(store, "agreements", {"state": "KZ", "partner": "KG"})
    rows = {str(r["agreement"]): r for r in result}
    border = [a for a in rows if "kz-kg-border" in a]
    assert sorted(border) == [
        D + "agreement/2017-12-25-kz-kg-border-demarcation",
        D + "agreement/2017-12-25-kz-kg-border-regime",
    ]
    for agreement in border:
        row = rows[agreement]
        # the source dates the visit 25-26 December 2017, not the signing day: month precision
        assert str(row["signedOn"]) == "2017-12"
        assert str(row["occasion"]) == D + "visit/2017-12-25-kg-kz-official"
        assert str(row["type"]) == C + "agreement-type/agreement"
    assert str(rows[border[0]]["parties"]) == "Kazakhstan; Kyrgyzstan"
    assert "Government of the Kyrgyz Republic" in str(rows[border[1]]["parties"])
    # the other rows are the pentalateral documents both signed: 5 in all
    assert len(result) == 5
    assert {str(rows[a]["signedOn"]) for a in rows if a not in border} == {
        "2017-09-22",
        "2017-11-11",
        "2018-03-15",
    }


def test_agreements_period_filter_at_mixed_precision(store):
    result = run_query(store, "agreements", {"state": "KZ", "from": "2017-12-25", "to": "2017-12"})
    # "2017-12" agreements fall within from=2017-12-25 when compared at month precision
    assert sorted(col(result, "agreement")) == [
        D + "agreement/2017-12-25-kz-kg-border-demarcation",
        D + "agreement/2017-12-25-kz-kg-border-regime",
    ]


def test_agreement_groups_and_items(store):
    result = run_query(store, "agreements", {"state": "TJ"})
    documents = {str(r["name"]): int(r["documents"]) for r in result if "documents" in r}
    assert documents == {"three agreements on migration": 3, "seven interagency documents": 7}
    plan = run_query(store, "agreements", {"state": "UZ", "partner": "KZ"})
    assert 140 in [int(r["items"]) for r in plan if "items" in r]


def test_visits_to_kazakhstan(store):
    result = run_query(store, "visits", {"state": "Kazakhstan", "direction": "to"})
    assert [(str(r["visitorName"]), str(r["start"]), str(r["end"])) for r in result] == [
        ("Gurbanguly Berdimuhamedow", "2017-04-18", "2017-04-19"),
        ("Sooronbay Jeenbekov", "2017-12-25", "2017-12-26"),
        ("Emomali Rahmon", "2018-03-14", "2018-03-15"),
    ]
    assert col(result, "type") == [
        C + "visit-type/state",
        C + "visit-type/official",
        C + "visit-type/official",
    ]


def test_visits_by_kazakhstan_and_month_precision_period(store):
    by = run_query(store, "visits", {"state": "KZ", "direction": "by"})
    assert col(by, "visit") == [D + "visit/2017-09-kz-tm-working"]
    assert col(by, "start") == ["2017-09"]
    # a month-precision visit is inside a period that starts mid-month
    within = run_query(store, "visits", {"state": "KZ", "from": "2017-09-15", "to": "2017-12-25"})
    assert col(within, "visit") == [
        D + "visit/2017-09-kz-tm-working",
        D + "visit/2017-12-25-kg-kz-official",
    ]


def test_meeting_of_15_march_2018(store):
    result = run_query(store, "meetings", {"on": "2018-03-15"})
    assert len(result) == 5
    assert set(col(result, "meeting")) == {D + "event/2018-03-15-ca-heads-of-state-meeting"}
    people = {str(r["participantName"]): r for r in result}
    assert set(people) == {
        "Nursultan Nazarbayev",
        "Sooronbay Jeenbekov",
        "Emomali Rahmon",
        "Shavkat Mirziyoyev",
        "Akja Nurberdiyeva",
    }
    stand_in = people["Akja Nurberdiyeva"]
    assert str(stand_in["representing"]) == D + "state/TM"
    assert str(stand_in["onBehalfOf"]) == D + "person/gurbanguly-berdimuhamedow"
    assert str(stand_in["onBehalfOfName"]) == "Gurbanguly Berdimuhamedow"
    assert [r for r in result if "onBehalfOf" in r] == [stand_in]
    assert {str(r["representing"]) for r in result} == {
        D + f"state/{c}" for c in ("KZ", "KG", "TJ", "TM", "UZ")
    }
    assert str(people["Emomali Rahmon"]["role"]) == C + "role/president"
    assert str(result.rows[0]["locationName"]) == "Astana"


def test_meetings_of_turkmenistan_include_ministerial_ones(store):
    result = run_query(store, "meetings", {"state": "TM"})
    meetings = list(dict.fromkeys(col(result, "meeting")))
    assert meetings == [
        D + "event/2017-ca-foreign-ministers-tashkent",
        D + "event/2017-09-22-ca-foreign-ministers-new-york",
        D + "event/2017-11-11-ca-foreign-ministers-samarkand",
        D + "event/2018-03-15-ca-heads-of-state-meeting",
        D + "event/2019-ca-heads-of-state-meeting-tashkent",
    ]


def test_leaders(store):
    result = run_query(store, "leaders", {"organisation": "KZ"})
    assert sorted(col(result, "role")) == [C + "role/first-president", C + "role/president"]
    assert set(col(result, "name")) == {"Nursultan Nazarbayev"}
    tm = run_query(store, "leaders", {"person": "gurbanguly berdimuhamedov"})  # an alt spelling
    assert col(tm, "organisation") == [D + "state/TM"]
    koishybayev = run_query(store, "leaders", {"person": "Galymzhan Koishybayev"})
    assert col(koishybayev, "role") == [C + "role/deputy-foreign-minister"]


def test_memberships_and_chairmanships(store):
    result = run_query(store, "memberships", {"member": "KZ"})
    got = [
        (str(r["kind"]), str(r["organisation"])[len(D) :], str(r.get("begin", ""))) for r in result
    ]
    assert ("chairmanship", "org/osce", "2010") in got
    assert ("chairmanship", "org/oic", "2011") in got
    assert ("chairmanship", "org/unsc", "2018-01") in got
    assert ("membership", "org/unsc", "") in got
    roles = {str(r["role"]) for r in result if str(r["organisation"]) == D + "org/unsc"}
    assert roles == {C + "role/council-president", C + "role/non-permanent-member"}
    osce = run_query(store, "memberships", {"organisation": "OSCE"})
    assert col(osce, "membership") == [D + "membership/kz-osce-chair-2010"]


def test_trade_turnover_kz_uz(store):
    result = run_query(store, "trade-turnover", {"reporter": "KZ", "partner": "UZ"})
    assert col(result, "period") == ["2015", "2016", "2017"]
    assert [num(v) for v in result.values("value")] == [1600, 1500, 1980]
    assert col(result, "publishedAs") == ["$1.6 billion", "$1.5 billion", "$1.98 billion"]
    last = result.rows[2]
    assert num(last["previousValue"]) == 1500
    assert num(last["change"]) == 480
    assert num(last["changePercent"]) == Decimal("32")
    assert num(last["precision"]) == 5
    assert str(last["attribution"]) == C + "attribution/inferred"
    assert "previousValue" not in result.rows[0]
    assert num(result.rows[1]["changePercent"]) == Decimal("-6.2")


def test_trade_turnover_total_with_published_change(store):
    result = run_query(store, "trade-turnover", {"partner": "Central Asia", "year": "2017"})
    assert {num(v) for v in result.values("value")} == {3600}
    # computed from the rounded totals (3050 -> 3600) vs what the source prints (+18.4 %, 19 %)
    assert {num(v) for v in result.values("changePercent")} == {Decimal("18")}
    # each figure carries the change published with it: the table's +18.4 %, the text's 19 %
    published = {
        str(row["attribution"]).rsplit("/", 1)[-1]: str(row["publishedChange"])
        for row in result.rows
    }
    assert published == {"inferred": "18.4", "stated": "19"}


def test_trade_targets_gaps(store):
    result = run_query(store, "trade-targets", {"state": "KZ"})
    got = {
        str(r["target"])[len(D) :]: (num(r["targetValue"]), num(r["latestValue"]), num(r["gap"]))
        for r in result
    }
    assert got == {
        "target/kz-uz-trade-2020": (5000, 1980, 3020),
        "target/kz-kg-trade-2020": (1000, Decimal("758.4"), Decimal("241.6")),
        "target/kz-tj-trade-2bn": (2000, Decimal("776.3"), Decimal("1223.7")),
    }
    assert set(col(result, "latestPeriod")) == {"2017"}
    ratios = {str(r["target"])[len(D) :]: num(r["ratio"]) for r in result}
    assert ratios["target/kz-uz-trade-2020"] == Decimal("2.53")
    tj = next(r for r in result if str(r["target"]).endswith("kz-tj-trade-2bn"))
    assert (str(tj["horizonFrom"]), str(tj["horizonTo"])) == ("2021", "2022")
    assert "deadline" not in tj
    # who set each target, by name (para 24: the two presidents; para 15 names nobody)
    setters = {str(r["target"])[len(D) :]: str(r.get("setBy", "")) for r in result}
    assert setters["target/kz-tj-trade-2bn"] == "Emomali Rahmon; Nursultan Nazarbayev"
    assert setters["target/kz-uz-trade-2020"] == ""


def test_partners_of_kazakhstan(store):
    result = run_query(store, "partners", {"state": "KZ"})
    rows = {str(r["partner"])[len(D) :]: r for r in result}
    assert set(rows) == {"state/KG", "state/TJ", "state/TM", "state/UZ"}
    assert all(int(r["tradeYears"]) == 3 for r in result)
    assert int(rows["state/TM"]["targets"]) == 0
    assert int(rows["state/UZ"]["targets"]) == 1
    assert int(rows["state/TM"]["visits"]) == 2
    assert int(rows["state/UZ"]["visits"]) == 0  # the source only tallies the seven meetings
    for r in result:
        parts = ("agreements", "visits", "meetings", "tradeYears", "targets", "sharedOrganisations")
        assert int(r["total"]) == sum(int(r[p]) for p in parts)
    totals = [int(r["total"]) for r in result]
    assert totals == sorted(totals, reverse=True)


def test_provenance_of_jeenbekov(store):
    result = run_query(store, "provenance", {"entity": "Sooronbay Jeenbekov"})
    rows = {str(r["fact"])[len(D) :]: r for r in result}
    assert str(rows["visit/2017-12-25-kg-kz-official"]["paragraphs"]) == "19"
    assert "visitor" in str(rows["visit/2017-12-25-kg-kz-official"]["relations"])
    assert str(rows["person/sooronbay-jeenbekov"]["relations"]) == "(itself)"
    assert str(rows["participation/2018-03-15-ca-summit-kg"]["paragraphs"]) == "53"
    assert set(col(result, "document")) == {D + "doc/koishybayev-2018"}


def test_timeline_of_kazakhstan_is_ordered(store):
    result = run_query(store, "timeline", {"state": "KZ"})
    dates = col(result, "date")
    assert dates == sorted(dates)
    assert dates[0] == "2010" and dates[-1] == "2019"
    items = col(result, "item")
    assert (
        items.index(D + "visit/2017-04-18-tm-kz-state")
        < items.index(D + "visit/2017-09-kz-tm-working")
        < items.index(D + "visit/2017-12-25-kg-kz-official")
    )
    assert (
        "2018-03-15",
        "meeting",
        D + "event/2018-03-15-ca-heads-of-state-meeting",
    ) in zip(dates, col(result, "kind"), items, strict=True)
    later = run_query(store, "timeline", {"state": "KZ", "from": "2018-03-15"})
    # month-precision items of March 2018 overlap a period starting on 15 March
    assert min(col(later, "date")) == "2018-03"
    assert not [d for d in col(later, "date") if d < "2018"]


def test_cultural_years(store):
    result = run_query(store, "cultural-years", {"state": "UZ"})
    assert col(result, "year") == ["2018", "2019"]
    first = result.rows[0]
    assert str(first["featuredState"]) == D + "state/UZ"
    assert str(first["launchDate"]) == "2018-03-15"
    assert int(first["planItems"]) == 140


def test_entities_search(store):
    result = run_query(store, "entities", {"text": "berdi"})
    assert col(result, "label") == ["Akja Nurberdiyeva", "Gurbanguly Berdimuhamedow"]
    states = run_query(store, "entities", {"class": "rkg:State"})
    assert len(states) == 8


def test_sources(store):
    result = run_query(store, "sources")
    row = next(r for r in result if str(r["document"]) == D + "doc/koishybayev-2018")
    assert int(row["paragraphCount"]) == 67
    assert str(row["author"]) == "Galymzhan Koishybayev"
    assert int(row["facts"]) > 100


def test_decisions_and_initiatives(store):
    decisions = run_query(
        store, "decisions", {"at": D + "event/2018-03-15-ca-heads-of-state-meeting"}
    )
    kinds = set(col(decisions, "decisionType"))
    assert C + "decision-type/establish-body" in kinds
    tashkent = [r for r in decisions if "plannedEvent" in r]
    assert [str(r["plannedDate"]) for r in tashkent] == ["2019"]
    initiatives = run_query(store, "initiatives", {"by": "Nursultan Nazarbayev"})
    assert "Conference on Interaction and Confidence-Building Measures in Asia" in col(
        initiatives, "name"
    )
