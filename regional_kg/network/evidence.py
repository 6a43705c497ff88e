"""The evidence behind a score: which relations, how much trade, how many facts and sources.

A centrality number alone does not answer "why"; each ranked row carries, over the edges that
produced it (the node's edges in the chosen layers and period, or for an ego ranking the edges
between the ego and that partner):

* ``relations`` — number of relations per kind (``visit``, ``meeting``, ``agreement``, …);
* ``edges`` — their total;
* ``trade_usd_million`` — the sum of the turnover values among them (several years add up);
* ``documents`` — the agreement documents among them (an agreement group counts its documents);
* ``facts`` — distinct fact nodes (a meeting of four states is one fact, six edges);
* ``sources`` — distinct (document, paragraph) locators those facts are derived from;
* ``publishers`` — distinct independent publishers of those documents (a repost counts for its
  original publisher): how well corroborated the score's evidence is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx


def summarise(graph: nx.MultiGraph, edges: Iterable[dict]) -> dict[str, object]:
    """Evidence over the given edge attribute dicts (see the module docstring)."""
    kinds: Counter[str] = Counter()
    trade = 0.0
    documents = 0
    facts: set[str] = set()
    locators: set[tuple[str, int | None]] = set()
    provenance = graph.graph.get("provenance", {})
    publisher_of = graph.graph.get("publishers", {})
    for data in edges:
        kinds[data["kind"]] += 1
        if data["layer"] == "trade":
            trade += float(data.get("weight", 0.0))
        if data["kind"] in ("agreement", "agreement-group"):
            documents += int(data.get("weight", 1))
        for fact in data.get("facts") or (data.get("fact"),):
            if fact:
                facts.add(fact)
                locators |= provenance.get(fact, set())
    return {
        "edges": sum(kinds.values()),
        "relations": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        "trade_usd_million": round(trade, 6),
        "documents": documents,
        "facts": len(facts),
        "sources": len(locators),
        "publishers": len({publisher_of.get(doc, doc) for doc, _ in locators}),
    }


def no_evidence() -> dict[str, object]:
    """The evidence of a node with no edges in the span: every count zero, the same keys."""
    return summarise(nx.MultiGraph(), ())


def node_evidence(graph: nx.MultiGraph, node: str) -> dict[str, object]:
    """Evidence over every edge of ``node`` in the projection."""
    return summarise(graph, (data for _, _, data in graph.edges(node, data=True)))


def pair_evidence(graph: nx.MultiGraph, ego: str, other: str) -> dict[str, object]:
    """Evidence over the edges between ``ego`` and ``other``."""
    edges = graph.get_edge_data(ego, other) or {}
    return summarise(graph, edges.values())


def format_relations(relations: dict[str, int]) -> str:
    """``visit 2, meeting 1`` for tables and CSV."""
    return ", ".join(f"{kind} {count}" for kind, count in relations.items())
