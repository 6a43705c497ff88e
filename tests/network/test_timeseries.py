"""Centrality through the years (``rkg centrality --by-year``, ``regional_kg.centrality_by_year``).

Values are worked out by hand from ``tests/fixtures/network/small.trig`` (see its header) and from
the seed article's turnover table: in 2016 Kazakhstan visits nobody but receives Kyrgyzstan's
visit and reports trade with UZ 1500, KG 668 and TJ 590.3 (USD million); the largest trade edge
of the whole span is UZ 2017, 1980.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

import regional_kg
from regional_kg.cli import main
from regional_kg.network import centrality, centrality_by_year, project
from regional_kg.network.projection import Period
from regional_kg.network.timeseries import period_subgraph, span_years
from tests.support.network_support import fixture_store

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def small():
    return fixture_store()


def _score(rows, year, iso, measure):
    [row] = [r for r in rows if r["year"] == year and r["iso"] == iso and r["measure"] == measure]
    return row


def test_years_and_hand_checked_scores(small):
    rows = centrality_by_year(small, measures=["strength", "degree"])
    assert rows.meta["years"] == [2016, 2017, 2018]
    # 5 states x 3 years x 2 measures: every node in every year, 0 when it had no relation
    assert len(rows) == 30
    kz = _score(rows, 2016, "KZ", "degree")
    # diplomatic: 1 neighbour (KG's visit), trade: 3 (UZ, KG, TJ), treaty and institutional: 0
    assert kz["score"] == pytest.approx((1 + 3) / 4)
    assert kz["rank"] == 1
    strength = _score(rows, 2016, "KZ", "strength")["score"]
    # one scale over the span: trade divided by the largest trade edge of 2016-2018 (1980)
    assert strength == pytest.approx((1 + (1500 + 668 + 590.3) / 1980) / 4)
    tm = _score(rows, 2016, "TM", "strength")
    assert (tm["score"], tm["edges"], tm["rank"]) == (0.0, 0, 5)
    kz17 = _score(rows, 2017, "KZ", "strength")
    assert kz17["edges"] == 9
    assert kz17["relations"] == {"turnover": 4, "agreement": 2, "visit": 2, "agreement-group": 1}
    assert kz17["trade_usd_million"] == pytest.approx(1980 + 758.4 + 776.3 + 99.2)
    assert kz17["documents"] == 2 + 27
    # 2018: the meeting of four (KZ, UZ, KG, TJ) and KZ-UZ in the SCO; TM has nothing
    assert _score(rows, 2018, "TM", "degree")["score"] == 0.0
    assert _score(rows, 2018, "KG", "degree")["score"] == pytest.approx(3 / 4)


def test_degree_per_year_equals_the_single_year_ranking(small):
    """Degree ignores weights, so the common scale cannot change it: the series must agree
    with ``rkg centrality --year Y`` year by year."""
    rows = centrality_by_year(small, measures=["degree"])
    for year in rows.meta["years"]:
        single = {r["node"]: r["degree"] for r in centrality(small, measures=["degree"], year=year)}
        series = {r["node"]: r["score"] for r in rows if r["year"] == year}
        assert {n: v for n, v in series.items() if v} == pytest.approx(
            {n: v for n, v in single.items() if v}
        )


def test_cumulative_and_since_until(small):
    rows = centrality_by_year(small, measures=["degree"], cumulative=True, since=2017)
    assert rows.meta["years"] == [2017, 2018]
    # up to 2017 (2016 included): KZ's diplomatic neighbours KG and UZ, treaty UZ and KG,
    # trade UZ, KG, TJ, TM -> (2 + 2 + 4 + 0) / 4
    assert _score(rows, 2017, "KZ", "degree")["score"] == pytest.approx(8 / 4)
    assert _score(rows, 2017, "KZ", "degree")["edges"] == 4 + 9
    only = centrality_by_year(small, since=2018, until=2018)
    assert only.meta["years"] == [2018]
    assert {r["measure"] for r in only} == {"strength"}


def test_top_keeps_the_highest_totals(small):
    rows = centrality_by_year(small, measures=["degree"], top=2)
    assert {r["iso"] for r in rows} == {"KZ", "UZ"}


def test_to_pandas(small):
    pd = pytest.importorskip("pandas")
    frame = regional_kg.centrality_by_year(small, measures=["degree"]).to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns[:8]) == [
        "year",
        "node",
        "label",
        "iso",
        "kind",
        "measure",
        "score",
        "rank",
    ]


def test_period_subgraph_matches_a_projection_of_that_period(small):
    full = project(small)
    for year in (2016, 2017, 2018):
        cut = period_subgraph(full, Period(year, year))
        direct = project(small, year=year)

        def edges(graph):
            return sorted((*sorted((u, v)), key) for u, v, key in graph.edges(keys=True))

        assert edges(cut) == edges(direct)
    assert span_years(full) == [2016, 2017, 2018]
    assert span_years(full, since=2017) == [2017, 2018]


def test_seed_graph_series():
    """On the seed article only: 2015 and 2016 hold nothing but Kazakhstan's turnover table."""
    store = regional_kg.build(validate=False).store
    rows = centrality_by_year(store, measures=["degree"])
    assert rows.meta["years"] == [2015, 2016, 2017, 2018, 2019]
    assert _score(rows, 2015, "KZ", "degree")["score"] == pytest.approx(4 / 4)
    for iso in ("UZ", "KG", "TJ", "TM"):
        assert _score(rows, 2015, iso, "degree")["score"] == pytest.approx(1 / 4)
    assert _score(rows, 2016, "KZ", "degree")["relations"] == {"turnover": 4}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["centrality", "--no-validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_by_year_csv_json_table_chart(capsys, tmp_path):
    code, out, err = run(capsys, "--by-year", "--measure", "degree", "--format", "csv")
    assert code == 0, err
    table = list(csv.DictReader(io.StringIO(out)))
    assert list(table[0])[:8] == [
        "year",
        "node",
        "label",
        "iso",
        "kind",
        "measure",
        "score",
        "rank",
    ]
    first = table[0]
    assert (first["year"], first["iso"], first["score"], first["relations"]) == (
        "2015",
        "KZ",
        "1.0",
        "turnover=4",
    )
    assert {row["year"] for row in table} == {"2015", "2016", "2017", "2018", "2019"}

    code, out, _ = run(capsys, "--by-year", "--since", "2018", "--format", "json")
    data = json.loads(out)
    assert {row["year"] for row in data} == {2018, 2019}
    assert {row["measure"] for row in data} == {"strength"}

    code, out, _ = run(capsys, "--by-year", "--until", "2016", "--measure", "degree")
    lines = out.splitlines()
    assert lines[0].startswith("degree by year")
    assert lines[1].split()[:4] == ["year", "label", "iso", "measure"]
    assert len(lines) == 3 + 2 * 5

    chart = tmp_path / "years.png"
    code, _, err = run(capsys, "--by-year", "--chart", str(chart))
    assert code == 0 and "chart written" in err
    assert chart.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--by-year", "--year", "2017"], "--year does not go with it"),
        (["--by-year", "--ego", "KZ"], "--ego does not go with it"),
        (["--cumulative"], "--cumulative goes with --by-year"),
    ],
)
def test_cli_by_year_errors(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err and out == ""


def test_chart_labels_are_shortened_and_titles_wrapped():
    from regional_kg.network.chart import short_label, wrap_title

    name = "Consultative meeting of the heads of state of Central Asia, Astana, 15 March 2018"
    short = short_label(name)
    assert short == "Consultative meeting of the…" and len(short) <= 28
    assert short_label("Kazakhstan") == "Kazakhstan"
    title = wrap_title("strength — actors network: people, organisations, events, all years", 40)
    assert all(len(line) <= 40 for line in title.splitlines()) and "\n" in title
