"""Every kind of entity has its own legend symbol; labels never overlap at the default zoom."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest

from regional_kg.network.projection import _CLASS_ORDER
from regional_kg.page import build_page, write_page
from regional_kg.page.style import OTHER_SYMBOL, kind_symbol, node_colour
from tests.support.browser import ARTIFACTS, browser, open_page  # noqa: F401


def test_every_kind_of_the_ontology_has_a_symbol_of_its_own():
    symbols = {kind: kind_symbol(kind) for kind in _CLASS_ORDER}
    assert OTHER_SYMBOL not in symbols.values()
    assert len(set(symbols.values())) == len(_CLASS_ORDER), symbols
    # the pairs the issue names, told apart
    for a, b in (
        ("Agreement", "AgreementGroup"),
        ("GovernmentBody", "IntergovernmentalOrganisation"),
        ("CulturalYear", "Meeting"),
        ("Meeting", "Visit"),
        ("CulturalYear", "Visit"),
    ):
        assert kind_symbol(a) != kind_symbol(b)
    assert node_colour("AgreementGroup") == {
        "background": "#ffffff",
        "border": "#8C564B",
        "highlight": {"background": "#ffffff", "border": "#8C564B"},
        "hover": {"background": "#ffffff", "border": "#8C564B"},
    }
    assert node_colour("Agreement") == "#8C564B"


def crowd(n: int = 200, seed: int = 7) -> nx.MultiGraph:
    """``n`` nodes of every kind with long, meeting-like names, in a few dense clusters."""
    rng = random.Random(seed)
    g = nx.MultiGraph()
    for i in range(n):
        kind = _CLASS_ORDER[i % len(_CLASS_ORDER)]
        g.add_node(
            f"n{i}",
            label=f"Consultative meeting number {i} of the heads of state, city {i % 7}",
            kind=kind,
        )
    for i in range(1, n):
        g.add_edge(f"n{i}", f"n{rng.randrange(0, max(1, i // 3))}", layer="treaty", weight=1)
    for _ in range(n // 2):
        a, b = rng.sample(range(n), 2)
        g.add_edge(f"n{a}", f"n{b}", layer="diplomatic", weight=1)
    return g


def _label_boxes(page) -> list[list[float]]:
    """Where vis-network drew each shown label (canvas units), after a fresh frame; only the
    nodes inside the view, the ones vis-network draws (and so measures)."""
    page.evaluate("() => { rkg.network.redraw(); return null; }")
    page.wait_for_timeout(250)
    return page.evaluate(
        """() => {
             const box = document.getElementById('mynetwork').getBoundingClientRect();
             return rkg.nodeView.get().filter(n => {
               if (!n.label) { return false; }
               const p = rkg.network.canvasToDOM(rkg.network.getPosition(n.id));
               return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height;
             }).map(n => {
               const s = rkg.network.body.nodes[n.id].labelModule.size;
               return [s.left, s.top, s.left + s.width, s.top + s.height]; }); }"""
    )


def _overlaps(boxes: list[list[float]]) -> list[tuple[int, int]]:
    hits = []
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                hits.append((i, j))
    return hits


def test_labels_do_not_overlap_at_default_zoom_and_zooming_in_shows_more(
    browser,  # noqa: F811
    tmp_path: Path,
):
    page_file = write_page(build_page(crowd(), title="Crowd").html, tmp_path / "crowd.html")
    log = open_page(browser, page_file)
    try:
        page = log.page
        page.wait_for_timeout(300)
        boxes = _label_boxes(page)
        assert len(boxes) >= 5  # the largest nodes are labelled
        assert len(boxes) < 200  # ... not all of them
        assert _overlaps(boxes) == []
        # the shown labels are readable: at least 10 screen pixels high
        font = page.evaluate("rkg.labelFont * rkg.network.getScale()")
        assert font >= 9.99
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "network-200-labels.png"))
        before = len(boxes)
        page.evaluate("rkg.network.moveTo({ scale: rkg.network.getScale() * 3 })")
        page.evaluate("() => { rkg.network.emit('zoom', {}); return null; }")
        page.wait_for_timeout(400)
        zoomed = _label_boxes(page)
        assert _overlaps(zoomed) == []
        assert page.evaluate("rkg.labelled") > before  # labels appear as the view zooms in
        assert log.console_errors == [] and log.page_errors == []
    finally:
        log.page.context.close()


@pytest.mark.parametrize("kinds", [("Agreement", "AgreementGroup", "Meeting", "CulturalYear")])
def test_legend_draws_distinct_symbols(browser, tmp_path: Path, kinds):  # noqa: F811
    g = nx.MultiGraph()
    for i, kind in enumerate(kinds):
        g.add_node(kind, label=kind, kind=kind)
        if i:
            g.add_edge(kinds[0], kind, layer="treaty", weight=1)
    page_file = write_page(build_page(g).html, tmp_path / "legend.html")
    log = open_page(browser, page_file)
    try:
        rows = log.page.evaluate(
            """[...document.querySelectorAll('.row.kind')].map(r =>
                 [r.dataset.shape, r.dataset.colour, r.dataset.hollow,
                  r.querySelector('svg *').getAttribute('fill')])"""
        )
        assert len(rows) == len(kinds) and len({tuple(r[:3]) for r in rows}) == len(kinds)
        hollow = [r for r in rows if r[2] == "yes"]
        assert hollow and all(r[3] == "#ffffff" for r in hollow)
    finally:
        log.page.context.close()
