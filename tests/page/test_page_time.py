"""The network page over time: the year slider, per-period node sizes, collapsed relations.

Expected counts come from the projection itself: in year Y the page must draw exactly the
relations whose span covers Y (``period_subgraph``), folded into one edge per pair and layer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import regional_kg
from regional_kg.network.projection import Period
from regional_kg.network.timeseries import period_subgraph
from regional_kg.page import write_page
from regional_kg.page.from_store import network_page
from tests.support.browser import ARTIFACTS, browser, open_page  # noqa: F401


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory):
    store = regional_kg.build(validate=False).store
    result = network_page(store, title="Partners through the years")
    path = write_page(result.rendered.html, tmp_path_factory.mktemp("time") / "network.html")
    return result, path


def _expected(graph, year: int, *, cumulative: bool = False) -> tuple[int, int]:
    """(relations in the period, edges drawn once each pair's relations of a layer are folded)."""
    cut = period_subgraph(graph, Period(None if cumulative else year, year))
    pairs = {(*sorted((u, v)), d["layer"]) for u, v, d in cut.edges(data=True)}
    return cut.number_of_edges(), len(pairs)


def test_page_data_has_years_sizes_and_aggregates(drawn):
    result, _ = drawn
    time = result.rendered.time
    assert time["years"] == [2015, 2016, 2017, 2018, 2019]
    assert time["collapse"] is True  # the partners view folds parallel relations by default
    # sizes per period come from that period's strength: in 2015 only the turnover table exists
    # (UZ 1600, KG 700.5, TJ 583.7, TM 178.2 USD million), Kazakhstan trades with all four
    sizes = time["sizes"]["year:2015"]
    ranked = sorted(sizes, key=lambda n: -sizes[n])
    assert [n.rsplit("/", 1)[1] for n in ranked] == ["KZ", "UZ", "KG", "TJ", "TM"]
    assert (max(sizes.values()), min(sizes.values())) == (42.0, 10.0)
    members = sum(len(a["members"]) for a in time["aggregates"])
    assert members <= len(result.rendered.edges)
    assert all(len(a["members"]) > 1 for a in time["aggregates"])


def test_year_slider_draws_the_relations_of_the_year(browser, drawn):  # noqa: F811
    result, path = drawn
    log = open_page(browser, path)
    try:
        page = log.page
        total = result.graph.number_of_edges()
        assert page.inner_text("#period-caption").startswith(f"All years: {total} relations")
        ARTIFACTS.mkdir(exist_ok=True)
        for year in (2017, 2018):
            page.locator("#year-slider").fill(str(year))
            relations, edges = _expected(result.graph, year)
            assert page.evaluate("rkg.relations") == relations
            assert page.evaluate("rkg.network.body.edgeIndices.length") == edges
            assert page.inner_text("#period-caption") == (
                f"{year}: {relations} relations, {edges} edges drawn"
            )
            page.screenshot(path=str(ARTIFACTS / f"network-year-{year}.png"))
        assert _expected(result.graph, 2017) != _expected(result.graph, 2018)
        # a period's node sizes are that period's, embedded by Python
        kz = "https://w3id.org/regional-kg/id/state/KZ"
        want = result.rendered.time["sizes"]["year:2018"][kz]
        assert page.evaluate(f"rkg.nodes.get('{kz}').size") == want
        # up to the year: every relation since the first
        page.select_option("#period-mode", "upto")
        relations, edges = _expected(result.graph, 2018, cumulative=True)
        assert page.evaluate("rkg.relations") == relations
        assert page.evaluate("rkg.network.body.edgeIndices.length") == edges
        assert "2015–2018 (up to 2018)" in page.inner_text("#period-caption")
        page.select_option("#period-mode", "all")
        assert page.evaluate("rkg.relations") == total
        assert log.console_errors == [] and log.page_errors == []
    finally:
        log.page.context.close()


def test_collapsed_edge_expands_on_click_and_folds_back(browser, drawn):  # noqa: F811
    result, path = drawn
    log = open_page(browser, path)
    try:
        page = log.page
        # the aggregate with the most relations over all years
        agg = max(result.rendered.time["aggregates"], key=lambda a: len(a["members"]))
        n = len(agg["members"])
        before = page.evaluate("rkg.network.body.edgeIndices.length")
        label = page.evaluate(f"rkg.edges.get('{agg['id']}').label")
        assert label == str(n)
        tip = page.evaluate(f"rkg.edges.get('{agg['id']}').title.textContent")
        assert f"{n} {agg['layer']} relations" in tip and "paragraph" in tip
        # nodes still drifting under load moved the edge away from the point clicked (seen once
        # in CI with a benchmark running beside it): hold the layout still first
        page.evaluate("rkg.network.stopSimulation()")
        point = page.evaluate(
            """id => { const e = rkg.network.body.edges[id];
                       const p = e.edgeType.getPoint(0.5);
                       return rkg.network.canvasToDOM(p); }""",
            agg["id"],
        )
        box = page.locator("#mynetwork").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_function(f"rkg.expanded.has('{agg['id']}')", timeout=10_000)
        assert page.evaluate("rkg.network.body.edgeIndices.length") == before - 1 + n
        shown = set(page.evaluate("rkg.edgeView.getIds()"))
        assert set(agg["members"]) <= shown and agg["id"] not in shown
        # every relation is reachable with its source in its own tooltip
        tips = page.evaluate(
            "ids => ids.map(id => rkg.edges.get(id).title.textContent)", agg["members"]
        )
        assert all("Source" in t for t in tips)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "network-expanded.png"))
        page.locator("#collapse-toggle").uncheck()
        assert page.evaluate("rkg.network.body.edgeIndices.length") == (
            result.graph.number_of_edges()
        )
        page.locator("#collapse-toggle").check()
        assert page.evaluate("rkg.network.body.edgeIndices.length") == before
        assert log.console_errors == [] and log.page_errors == []
    finally:
        log.page.context.close()


def test_play_button_steps_through_the_years(browser, drawn):  # noqa: F811
    _, path = drawn
    log = open_page(browser, path)
    try:
        page = log.page
        page.click("#play")
        assert page.evaluate("[rkg.period.mode, rkg.period.year]") == ["year", 2015]
        page.wait_for_timeout(1500)
        assert page.evaluate("rkg.period.year") >= 2016
        page.click("#play")  # pause
        stopped = page.evaluate("rkg.period.year")
        page.wait_for_timeout(1500)
        assert page.evaluate("rkg.period.year") == stopped
    finally:
        log.page.context.close()


def test_by_year_opens_on_the_first_year(tmp_path: Path):
    store = regional_kg.build(validate=False).store
    result = network_page(store, by_year=True)
    assert result.rendered.time["start"] == {"mode": "year", "year": 2015}
    single = network_page(store, year=2017)
    assert single.rendered.time["years"] == [2017] and single.rendered.time["sizes"] == {}
