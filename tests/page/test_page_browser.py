"""The network page in a real headless Chromium: offline, quiet, complete, interactive, safe."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from regional_kg.page import FactInfo, build_page, write_page
from tests.support.browser import ARTIFACTS, browser, open_page, wait_for  # noqa: F401
from tests.support.page_graphs import XSS_IMG, XSS_SCRIPT, probe_graph, sample_graph

KZ_KG = "https://w3id.org/regional-kg/id/agreement/2017-12-25-kz-kg-border-demarcation"


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    evidence = {
        KZ_KG: FactInfo(
            label="Border demarcation treaty", document="Koishybayev 2018", paragraphs=(21,)
        )
    }
    page = build_page(sample_graph(), evidence=evidence, title="Sample network")
    return write_page(page.html, tmp_path_factory.mktemp("page") / "network.html")


def _node_point(page, node_id: str) -> tuple[float, float]:
    """Where on the screen a node is drawn (canvas position -> DOM -> page coordinates)."""
    dom = page.evaluate(
        """id => { const p = rkg.network.getPositions([id])[id];
                   return rkg.network.canvasToDOM(p); }""",
        node_id,
    )
    box = page.locator("#mynetwork").bounding_box()
    return box["x"] + dom["x"], box["y"] + dom["y"]


def test_loads_offline_without_errors_and_draws_the_projection(browser, sample_page):  # noqa: F811
    log = open_page(browser, sample_page)
    try:
        page = log.page
        assert log.console_errors == [] and log.page_errors == []
        assert log.foreign_requests(sample_page) == []
        g = sample_graph()
        drawn_nodes = page.evaluate("rkg.nodes.getIds()")
        assert sorted(drawn_nodes) == sorted(g.nodes)
        drawn = page.evaluate("rkg.edges.get().map(e => [e.from, e.to, e.layer])")
        want = Counter((*sorted((u, v)), d["layer"]) for u, v, d in g.edges(data=True))
        assert Counter((*sorted(e[:2]), e[2]) for e in drawn) == want
        # vis-network really draws them all (parallel edges included), and physics stopped
        assert page.evaluate("rkg.network.body.edgeIndices.length") == g.number_of_edges()
        assert page.evaluate("rkg.network.body.nodeIndices.length") == g.number_of_nodes()
        assert page.evaluate("rkg.network.physics.physicsEnabled") is False
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "network-sample.png"))
    finally:
        log.page.context.close()


def test_hover_shows_tooltip_and_hiding_a_layer_hides_its_edges(browser, sample_page):  # noqa: F811
    log = open_page(browser, sample_page)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page = log.page
        x, y = _node_point(page, "https://w3id.org/regional-kg/id/state/TM")
        page.mouse.move(x, y)
        tip = page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5000)
        text = tip.inner_text()
        assert "Turkmenistan" in text and "state" in text and "1 drawn of 1" in text
        page.screenshot(path=str(ARTIFACTS / "network-tooltip.png"))

        before = page.evaluate("rkg.network.body.edgeIndices.length")
        page.locator('input.layer-toggle[value="trade"]').uncheck()
        after = page.evaluate("rkg.network.body.edgeIndices.length")
        assert (before, after) == (8, 6)
        layers = page.evaluate("rkg.edgeView.get().map(e => e.layer)")
        assert "trade" not in layers and len(layers) == 6
        page.locator('input.layer-toggle[value="trade"]').check()
        assert page.evaluate("rkg.network.body.edgeIndices.length") == 8

        page.fill("#find-input", "kyrgyz")
        page.click("#find button")
        assert page.evaluate("rkg.network.getSelectedNodes()") == [
            "https://w3id.org/regional-kg/id/state/KG"
        ]
        page.fill("#find-input", "Atlantis")
        page.click("#find button")
        assert "No node named" in page.inner_text("#find-status")
        assert log.console_errors == [] and log.page_errors == []
    finally:
        log.page.context.close()


def test_xss_probe_never_executes(browser, tmp_path):  # noqa: F811
    page_file = write_page(
        build_page(probe_graph(), title=XSS_IMG, note=XSS_SCRIPT).html, tmp_path / "probe.html"
    )
    log = open_page(browser, page_file)
    try:
        page = log.page
        for node in ("a", "b", XSS_SCRIPT):
            x, y = _node_point(page, node)
            page.mouse.move(x, y)
            page.locator("div.vis-tooltip").wait_for(state="visible", timeout=5000)
            page.mouse.move(5, 5)
        page.wait_for_timeout(300)  # let any injected onerror handler have its chance
        assert log.dialogs == []
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.scripts.length") == 6  # + the rkg-time block
        # the probe text shows as text where it belongs
        assert page.inner_text("h1") == XSS_IMG
        assert page.inner_text("#note") == XSS_SCRIPT
        assert XSS_IMG in page.evaluate("rkg.nodes.get('a').title.textContent")
        assert log.page_errors == [] and log.console_errors == []
        assert log.foreign_requests(page_file) == []
    finally:
        log.page.context.close()


def test_notebook_iframe_draws_the_network(browser):  # noqa: F811
    """What Jupyter shows for ``show(graph)``: the page inside an iframe's srcdoc, working."""
    from regional_kg.page import show

    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_content(show(sample_graph())._repr_html_())
        frame = page.frames[1]
        wait_for(frame, "window.rkg !== undefined && window.rkg.stabilized === true")
        assert frame.evaluate("rkg.network.body.edgeIndices.length") == 8
        assert errors == []
    finally:
        context.close()
