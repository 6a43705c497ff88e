"""Small hand-made projections for the page tests, shaped like ``regional_kg.network.project``."""

from __future__ import annotations

import networkx as nx

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(1)</script>"


def sample_graph() -> nx.MultiGraph:
    """Five states and a leader; Kazakhstan–Uzbekistan carries three relations in three layers."""
    g = nx.MultiGraph()
    for code, name in [
        ("KZ", "Kazakhstan"),
        ("UZ", "Uzbekistan"),
        ("KG", "Kyrgyzstan"),
        ("TJ", "Tajikistan"),
        ("TM", "Turkmenistan"),
    ]:
        g.add_node(f"https://w3id.org/regional-kg/id/state/{code}", label=name, kind="state")
    g.add_node(
        "https://w3id.org/regional-kg/id/person/shavkat-mirziyoyev",
        label="Shavkat Mirziyoyev",
        kind="person",
    )
    s = "https://w3id.org/regional-kg/id/state/"
    d = "https://w3id.org/regional-kg/id/"
    g.add_edge(
        s + "KZ",
        s + "UZ",
        layer="trade",
        kind="turnover",
        year=2017,
        weight=2000,
        fact=d + "obs/kz-turnover-uz-2017",
    )
    g.add_edge(
        s + "KZ",
        s + "UZ",
        layer="agreement",
        kind="party",
        date="2017-03-23",
        weight=1,
        fact=d + "agreement/2017-03-23-kz-uz-strategic-partnership",
    )
    g.add_edge(
        s + "KZ",
        s + "UZ",
        layer="visit",
        kind="state-visit",
        date="2017-03-22",
        weight=1,
        fact=d + "visit/2017-03-22-uz-kz-state",
    )
    g.add_edge(
        s + "KZ",
        s + "KG",
        layer="agreement",
        kind="party",
        date="2017-12-25",
        weight=1,
        fact=d + "agreement/2017-12-25-kz-kg-border-demarcation",
    )
    g.add_edge(
        s + "KZ",
        s + "TJ",
        layer="meeting",
        kind="participant",
        date="2018-03-15",
        weight=1,
        fact=d + "event/2018-03-15-ca-heads-of-state-meeting",
    )
    g.add_edge(
        s + "UZ",
        s + "TJ",
        layer="meeting",
        kind="participant",
        date="2018-03-15",
        weight=1,
        fact=d + "event/2018-03-15-ca-heads-of-state-meeting",
    )
    g.add_edge(
        s + "KZ",
        s + "TM",
        layer="trade",
        kind="turnover",
        year=2017,
        weight=400,
        fact=d + "obs/kz-turnover-tm-2017",
    )
    g.add_edge(
        d + "person/shavkat-mirziyoyev",
        s + "KZ",
        layer="visit",
        kind="visitor",
        date="2017-03-22",
        weight=1,
        fact=d + "visit/2017-03-22-uz-kz-state",
    )
    return g


def probe_graph() -> nx.MultiGraph:
    """Labels, kinds, layers and facts that would run script if any reached the page as HTML."""
    g = nx.MultiGraph()
    g.add_node("a", label=XSS_IMG, kind=XSS_IMG)
    g.add_node("b", label=XSS_SCRIPT, kind="state")
    g.add_node(XSS_SCRIPT, label="plain", kind="state")
    g.add_edge("a", "b", layer=XSS_IMG, kind=XSS_SCRIPT, fact=XSS_SCRIPT, weight=1)
    g.add_edge("a", XSS_SCRIPT, layer="trade", kind=XSS_IMG, fact=XSS_IMG, weight=2)
    return g
