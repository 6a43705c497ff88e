"""The report's "The region through the years" (regional_kg/years.py): series, charts, HTML.

The seed article gives the turnover table 2015-2017 (reported by Kazakhstan) and presidents
named on a day; ``fixtures/years/terms.trig`` adds two terms dated with ``org:memberDuring``
(Jeenbekov 2017-11-24 to 2020-10-15, Tokayev from 2019-03-20, open) and a contested 2018 figure.
"""

from __future__ import annotations

import pytest

import regional_kg
from regional_kg.years import presidents, trade_points, write_years
from tests.support.paths import FIXTURES

FIXTURE = FIXTURES / "years" / "terms.trig"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def store():
    return regional_kg.build([FIXTURE], validate=False).store


def test_trade_points_carry_precision_and_contested(store):
    points = trade_points(store)
    assert len(points) == 13  # 12 figures of the seed table between states, 1 from the fixture
    by_key = {(p.pair, p.year): p for p in points}
    uz15 = by_key[("KZ–UZ", 2015)]
    assert (uz15.value, uz15.precision, uz15.published) == (1600.0, 50.0, "$1.6 billion")
    assert not uz15.contested
    assert by_key[("KZ–UZ", 2018)].contested is True
    assert [p for p in points if p.contested] == [by_key[("KZ–UZ", 2018)]]


def test_presidents_merge_dated_and_attested_terms(store):
    terms = {t.name: t for t in presidents(store)}
    jeenbekov = terms["Sooronbay Jeenbekov"]
    assert (jeenbekov.begin, jeenbekov.end, jeenbekov.attested) == (
        "2017-11-24",
        "2020-10-15",
        ["2018-03-15"],
    )
    tokayev = terms["Kassym-Jomart Tokayev"]
    assert (tokayev.begin, tokayev.end) == ("2019-03-20", None)
    assert terms["Nursultan Nazarbayev"].attested == ["2018-06-08"]
    assert terms["Nursultan Nazarbayev"].begin is None  # attested only: no span is drawn
    assert len(terms) == 6


def test_write_years_draws_four_charts_and_csvs(store, tmp_path):
    section = write_years(store, tmp_path)
    assert set(section.charts) == {"centrality", "trade", "events", "terms"}
    for path in section.charts.values():
        assert path.read_bytes().startswith(PNG)
    assert section.centrality.meta["years"] == [2015, 2016, 2017, 2018, 2019]
    # the seed's 2017 events, and Jeenbekov's term from the fixture (the timeline query lists it)
    assert section.per_year[2017] == {
        "agreement": 6,
        "visit": 3,
        "event": 2,
        "meeting": 2,
        "term of office": 1,
    }
    terms_csv = (tmp_path / "years-terms.csv").read_text(encoding="utf-8").splitlines()
    assert "Kassym-Jomart Tokayev,KZ,2019-03-20,," in terms_csv
    assert (tmp_path / "timeline.html").is_file()


def test_report_has_the_section(tmp_path):
    store = regional_kg.build(validate=False).store
    from regional_kg.report import write_report

    result = write_report(tmp_path / "report", store=store)
    html = result.index.read_text(encoding="utf-8")
    assert "<h2 id='years'>The region through the years</h2>" in html
    assert "href='timeline.html'" in html
    for name in ("years-centrality.png", "years-trade.png", "years-events.png", "timeline.html"):
        assert (tmp_path / "report" / name).is_file()
    # the table beside the centrality chart: Kazakhstan's 2017 strength (3.313 on the seed)
    assert "<td>Kazakhstan (KZ)</td><td>0.387</td><td>0.384</td><td>3.313</td>" in html
