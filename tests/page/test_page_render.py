"""The network page as HTML text: self-contained, escaped, every relation kept, cut with a note."""

from __future__ import annotations

import json
import re
from collections import Counter

import networkx as nx
import pytest

from regional_kg.errors import ParameterError
from regional_kg.page import FactInfo, build_page, render_network, show
from tests.support.page_graphs import XSS_IMG, XSS_SCRIPT, probe_graph, sample_graph


def _json_block(html: str, block: str) -> list[dict]:
    m = re.search(rf'<script type="application/json" id="rkg-{block}">(.*?)</script>', html, re.S)
    assert m, block
    return json.loads(m.group(1))


def test_page_has_no_remote_reference_and_inlines_vis_network():
    html = render_network(sample_graph())
    # no src/href attribute points anywhere (scripts and styles are inline)
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=""", html, re.I)
    assert "cdnjs" not in html and "jsdelivr" not in html and "unpkg" not in html
    assert "bootstrap" not in html.lower()
    assert "vis.Network" in html and "vis-network" in html  # the library is inline
    assert html.count("</script>") == 6  # 4 JSON blocks, vis-network, our code
    assert "sourceMappingURL" not in html


def test_every_relation_is_kept_with_unique_ids_and_visible_parallel_curves():
    g = sample_graph()
    page = build_page(g)
    assert len(page.nodes) == g.number_of_nodes() == 6
    assert len(page.edges) == g.number_of_edges() == 8
    ids = [e["id"] for e in page.edges]
    assert len(set(ids)) == len(ids)
    kz_uz = [
        e
        for e in page.edges
        if {e["from"], e["to"]}
        == {"https://w3id.org/regional-kg/id/state/KZ", "https://w3id.org/regional-kg/id/state/UZ"}
    ]
    assert sorted(e["layer"] for e in kz_uz) == ["agreement", "trade", "visit"]
    # each of the three parallel edges bends differently
    assert len({(e["smooth"]["type"], e["smooth"]["roundness"]) for e in kz_uz}) == 3
    # the JSON in the page carries the same edges
    assert Counter(e["id"] for e in _json_block(page.html, "edges")) == Counter(ids)


def test_style_by_kind_size_by_measure_colour_by_layer_width_by_weight():
    g = sample_graph()
    kz, tm = "https://w3id.org/regional-kg/id/state/KZ", "https://w3id.org/regional-kg/id/state/TM"
    measures = {n: {"degree": float(d), "betweenness": 0.0} for n, d in g.degree()}
    measures[tm]["betweenness"] = 0.9
    page = build_page(g, measures=measures, size_by="betweenness")
    nodes = {n["id"]: n for n in page.nodes}
    assert nodes[tm]["size"] > nodes[kz]["size"]
    assert nodes[kz]["shape"] == "dot"
    mirz = nodes["https://w3id.org/regional-kg/id/person/shavkat-mirziyoyev"]
    assert mirz["shape"] == "diamond" and mirz["color"] != nodes[kz]["color"]
    colours = {e["layer"]: e["color"]["color"] for e in page.edges}
    assert len(set(colours.values())) == 4
    trade = sorted((e for e in page.edges if e["layer"] == "trade"), key=lambda e: -e["width"])
    assert trade[0]["width"] > trade[1]["width"] > 1.5  # 2000 vs 400
    assert "betweenness" in page.html and "node size: betweenness" in page.html


def test_tooltips_carry_fact_details_and_source():
    g = sample_graph()
    fact = "https://w3id.org/regional-kg/id/agreement/2017-12-25-kz-kg-border-demarcation"
    evidence = {
        fact: FactInfo(
            label="Treaty on the state border",
            type="Agreement",
            document="Koishybayev 2018",
            paragraphs=(21,),
            paraphrase="border treaty",
        )
    }
    page = build_page(g, evidence=evidence)
    edge = next(e for e in page.edges if e["tip"]["heading"] == "Treaty on the state border")
    rows = dict(edge["tip"]["rows"])
    assert rows["Source"] == "Koishybayev 2018, paragraph 21"
    assert rows["Date"] == "2017-12-25" and rows["Layer"] == "agreement"
    assert rows["Between"] == "Kazakhstan — Kyrgyzstan"
    node = next(n for n in page.nodes if n["label"] == "Kazakhstan")
    assert dict(node["tip"]["rows"])["Kind"] == "state"


def test_top_n_cut_keeps_the_largest_and_says_so():
    g = sample_graph()
    page = build_page(g, top=2)
    labels = sorted(n["label"] for n in page.nodes)
    assert labels == ["Kazakhstan", "Uzbekistan"]  # highest degree
    assert len(page.edges) == 3
    assert "Showing the top 2 of 6 nodes by degree; 5 of 8 relations are not drawn." in page.html
    with pytest.raises(ParameterError):
        build_page(g, top=0)


def test_data_text_is_escaped_everywhere():
    html = render_network(probe_graph(), title=XSS_IMG, note=XSS_SCRIPT)
    assert XSS_IMG not in html
    assert "<script>alert" not in html
    assert html.count("</script>") == 6  # only our own six script elements end
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # heading, legend: escaped text
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html  # JSON: escaped
    nodes = _json_block(html, "nodes")
    assert {n["label"] for n in nodes} == {XSS_IMG, XSS_SCRIPT, "plain"}  # data intact


def test_notebook_view_is_an_escaped_iframe():
    view = show(probe_graph())
    out = view._repr_html_()
    assert out.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts' in out
    assert "<script" not in out and "&lt;script" in out
    assert len(view.rendered.edges) == 2


def test_rejects_what_is_not_a_graph():
    with pytest.raises(ParameterError):
        render_network({"a": 1})  # type: ignore[arg-type]
    assert isinstance(sample_graph(), nx.MultiGraph)
