"""Render a relation network (a networkx MultiGraph) as one self-contained, offline, safe HTML page.

pyvis draws the page, but three of its defaults would hurt our users, so this module works around
them (see docs in ``/work/shared/docs/research-notes.md``):

* its templates reach for Bootstrap and vis-network on CDNs: we use our own ``template.html`` with
  vis-network's JS and CSS, taken from pyvis's own package, inlined;
* its Jinja environment does not escape, and it puts node titles into ``innerHTML``: our
  environment autoescapes, data travels as JSON in a ``<script type="application/json">`` block
  with ``<``, ``>`` and ``&`` escaped (so ``</script>`` in a label cannot end the block), and
  tooltips are built in the browser as DOM elements filled with ``textContent``;
* an undirected pyvis network drops a second edge between the same two nodes: we use a directed
  network (arrows off for undirected relations), give every edge its own id and bend parallel
  edges by different amounts so each is visible.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network as PyvisNetwork

from regional_kg.errors import ParameterError
from regional_kg.page.style import kind_symbol, layer_colours, node_colour

PAGE_DIR = Path(__file__).resolve().parent
VIS_VERSION = "9.1.2"

MIN_SIZE, MAX_SIZE = 10.0, 42.0


@dataclass(frozen=True)
class FactInfo:
    """What the page tells about the fact behind an edge: what it is, where the source says so."""

    label: str | None = None
    type: str | None = None
    date: str | None = None
    paraphrase: str | None = None
    document: str | None = None
    paragraphs: tuple[int, ...] = ()


@dataclass
class Rendered:
    """A rendered page and what went into it (the tests and the report read these figures)."""

    html: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    total_nodes: int
    total_edges: int
    note: str | None
    layers: dict[str, str] = field(default_factory=dict)
    #: years, per-period node sizes, collapsed edges, start period (what the page's JS reads)
    time: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- assets


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside the pyvis package (no CDN, no network)."""
    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    # A source-map comment would make developer tools fetch a file that is not there.
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.M)
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # Inlined verbatim, so they must not be able to close their own element.
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError(f"vis-network assets in {lib} cannot be inlined safely")
    return js, css


def script_json(value: Any) -> Markup:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` become ``\\u003c`` etc.

    This is stricter than escaping ``</`` as ``<\\/``: it also defuses ``<!--`` and ``]]>``.
    JSON text that is already a string (pyvis's options) is re-escaped the same way.
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(text)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(PAGE_DIR)), autoescape=True)
    env.filters["script_json"] = script_json
    return env


class RkgNetwork(PyvisNetwork):
    """pyvis's Network with our template, an autoescaping environment and inlined vis-network."""

    def __init__(self, heading: str, height: str = "100%") -> None:
        super().__init__(height=height, width="100%", directed=True, heading=heading)
        self.templateEnv = _environment()
        self.path = "template.html"
        self.page_context: dict[str, Any] = {}

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False):
        js, css = vis_assets()
        self.templateEnv.globals.update(
            vis_js=Markup(js), vis_css=Markup(css), page=self.page_context
        )
        return super().generate_html(name=name, local=local, notebook=False)


# --------------------------------------------------------------------------- model -> page data


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _num(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return _text(value)


def select_top(
    graph: nx.MultiGraph, top: int | None, sizes: Mapping[Any, float] | None
) -> list[Any]:
    """The nodes to draw: all of them, or the ``top`` by size (then degree, then label)."""
    nodes = list(graph.nodes)
    if top is None or len(nodes) <= top:
        return nodes
    if top < 1:
        raise ParameterError(f"--top must be at least 1, got {top}")

    def rank(n: Any) -> tuple[float, int, str]:
        size = float((sizes or {}).get(n, 0.0) or 0.0)
        return (-size, -graph.degree(n), _text(graph.nodes[n].get("label", n)))

    return sorted(nodes, key=rank)[:top]


def _scale(values: Mapping[Any, float]) -> dict[Any, float]:
    """Map measure values to node sizes (sqrt, so area grows with the value)."""
    if not values:
        return {}
    lo, hi = min(values.values()), max(values.values())
    span = hi - lo
    out = {}
    for node, value in values.items():
        frac = 0.5 if span <= 0 else (value - lo) / span
        out[node] = MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(max(frac, 0.0))
    return out


def _weight(attrs: Mapping[str, Any]) -> float:
    try:
        w = float(attrs.get("weight", 1.0))
    except (TypeError, ValueError):
        return 1.0
    return w if math.isfinite(w) and w > 0 else 1.0


def _widths(edges: list[Mapping[str, Any]]) -> list[float]:
    """Edge widths from weights, scaled within each layer (a layer's weights share one unit:
    US$ million for trade, counts elsewhere), from 1.5 to 6.5 pixels by the square root."""
    top: dict[str, float] = defaultdict(float)
    low: dict[str, float] = defaultdict(lambda: math.inf)
    for attrs in edges:
        layer = _text(attrs.get("layer") or "other")
        top[layer] = max(top[layer], _weight(attrs))
        low[layer] = min(low[layer], _weight(attrs))
    out = []
    for attrs in edges:
        layer = _text(attrs.get("layer") or "other")
        if top[layer] <= low[layer]:
            out.append(2.5)  # one weight throughout the layer: nothing to tell apart
            continue
        out.append(round(1.5 + 5.0 * math.sqrt(_weight(attrs) / top[layer]), 2))
    return out


def _source_text(info: FactInfo | None, attrs: Mapping[str, Any]) -> str | None:
    document = (info.document if info else None) or attrs.get("document") or attrs.get("source")
    paragraphs: tuple[Any, ...] = info.paragraphs if info else ()
    if not paragraphs:
        p = attrs.get("paragraph")  # (the projection's "paragraphs" is a count, not a list)
        if p is not None:
            paragraphs = tuple(p) if isinstance(p, list | tuple | set) else (p,)
    if not document and not paragraphs:
        return None
    parts = [_text(document) or "source document"]
    if paragraphs:
        label = "paragraph" if len(paragraphs) == 1 else "paragraphs"
        ordered = sorted(paragraphs, key=lambda p: (len(_text(p)), _text(p)))  # 9 before 10
        parts.append(f"{label} {', '.join(_text(p) for p in ordered)}")
    return ", ".join(parts)


def _edge_tip(
    attrs: Mapping[str, Any], a_label: str, b_label: str, info: FactInfo | None
) -> dict[str, Any]:
    fact = attrs.get("fact")
    heading = (info.label if info else None) or attrs.get("label") or attrs.get("kind")
    rows: list[list[str]] = [["Between", f"{a_label} — {b_label}"]]
    for key, name in (("layer", "Layer"), ("kind", "Relation")):
        if attrs.get(key) is not None:
            rows.append([name, _text(attrs[key])])
    if info and info.type:
        rows.append(["Type", info.type])
    date = attrs.get("date") or (info.date if info else None) or attrs.get("year")
    if date is not None:
        rows.append(["Date", _text(date)])
    if attrs.get("detail") is not None:
        detail = _text(attrs["detail"])
        rows.append(
            ["Detail", detail.rstrip("/").rsplit("/", 1)[-1] if "://" in detail else detail]
        )
    if attrs.get("weight") is not None:
        rows.append(["Weight", _num(attrs["weight"])])
    if info and info.paraphrase:
        rows.append(["Details", info.paraphrase])
    source = _source_text(info, attrs)
    if source:
        rows.append(["Source", source])
    if fact is not None:
        rows.append(["Fact", _text(fact)])
    return {"heading": _text(heading or attrs.get("layer") or "relation"), "rows": rows}


def _node_tip(
    node: Any,
    attrs: Mapping[str, Any],
    measures: Mapping[str, Any] | None,
    drawn_degree: int,
    degree: int,
) -> dict[str, Any]:
    rows: list[list[str]] = []
    if attrs.get("kind") is not None:
        rows.append(["Kind", _text(attrs["kind"])])
    rows.append(["Relations", f"{drawn_degree} drawn of {degree}"])
    for name, value in (measures or {}).items():
        if value is not None and name not in ("node", "label", "kind", "id"):
            rows.append([str(name), _num(value)])
    rows.append(["Identifier", _text(node)])
    return {"heading": _text(attrs.get("label") or node), "rows": rows}


def build_page(
    graph: nx.MultiGraph,
    *,
    title: str = "Relations in Central Asia",
    size_by: str | None = None,
    sizes: Mapping[Any, float] | None = None,
    measures: Mapping[Any, Mapping[str, Any]] | None = None,
    top: int | None = None,
    evidence: Mapping[str, FactInfo] | None = None,
    note: str | None = None,
    subtitle: str | None = None,
    height: str = "100%",
    collapse: bool = False,
    period_sizes: Mapping[str, Mapping[Any, float]] | None = None,
    start: Mapping[str, Any] | None = None,
) -> Rendered:
    """Render ``graph`` and return the page with the node and edge records that went into it.

    ``sizes`` (node -> value) sizes the nodes; if absent, ``measures[node][size_by]`` is used, and
    if that is absent too, the degree. ``measures`` (node -> {measure: value}) also feeds the node
    tooltips. ``evidence`` maps a fact IRI (edge attribute ``fact``) to what the tooltip shows about
    it. ``top`` cuts the graph to the N largest nodes and says so on the page.

    Time: every edge carries its ``year``/``end_year``; when the drawn edges span two years or
    more the page gets a year control (slider, play button, "in year" / "up to year") and a
    caption of the period shown. ``period_sizes`` maps ``"year:2018"`` / ``"upto:2018"`` to node
    values for that period (recomputed centrality; scaled here like ``sizes``), so node sizes
    follow the period; ``start`` (``{"mode": "year"|"upto"|"all", "year": 2018}``) is the period
    the page opens on.

    ``collapse``: the relations of one layer between the same pair are drawn as one edge labelled
    with their number (the count follows the period); a click expands it into its relations,
    each with its own tooltip and source, and a click on one of those folds them back.
    """
    if not isinstance(graph, nx.Graph):
        raise ParameterError("render_network needs a networkx graph")
    sizes, measure_name = _node_values(graph, sizes, measures, size_by)
    keep = select_top(graph, top, sizes)
    sub = graph.subgraph(keep)
    total_nodes, total_edges = graph.number_of_nodes(), graph.number_of_edges()
    full_note = _page_note(
        note, (len(keep), total_nodes), (sub.number_of_edges(), total_edges), measure_name
    )
    layers = sorted({_text(d.get("layer") or "other") for _, _, d in graph.edges(data=True)})
    colours = layer_colours(layers)
    kinds: Counter[str] = Counter(_text(graph.nodes[n].get("kind") or "other") for n in keep)

    net = RkgNetwork(heading=title, height=height)
    drawn = _add_nodes(net, graph, sub, keep, sizes, measures or {})
    aggregates = _add_edges(net, sub, drawn, colours, evidence or {}, collapse)

    years = _drawn_years(net.edges)
    time_data = {
        "years": years,
        "sizes": _period_node_sizes(period_sizes or {}, drawn),
        "start": dict(start or {"mode": "all"}),
        "aggregates": aggregates,
        "collapse": bool(collapse),
    }
    net.options = _options(len(keep))
    net.page_context = {
        "title": title,
        "subtitle": subtitle,
        "note": full_note,
        "size_by": measure_name,
        "kinds": _kind_legend(kinds),
        "layers": _layer_legend(layers, colours, Counter(e["layer"] for e in net.edges)),
        "time": time_data,
        "has_years": len(years) > 1,
        "counts": {
            "nodes": len(net.nodes),
            "edges": len(net.edges),
            "total_nodes": total_nodes,
            "total_edges": total_edges,
        },
    }
    html = net.generate_html()
    return Rendered(
        html=html,
        nodes=net.nodes,
        edges=net.edges,
        total_nodes=total_nodes,
        total_edges=total_edges,
        note=full_note,
        layers=colours,
        time=time_data,
    )


def _node_values(
    graph: nx.MultiGraph,
    sizes: Mapping[Any, float] | None,
    measures: Mapping[Any, Mapping[str, Any]] | None,
    size_by: str | None,
) -> tuple[Mapping[Any, float], str | None]:
    """The value each node is sized by, and the name of that value: ``sizes`` as given, else
    ``measures[node][size_by]``, else the degree."""
    if sizes is None and measures and size_by:
        sizes = {n: float(m.get(size_by) or 0.0) for n, m in measures.items() if n in graph}
    if sizes is not None:
        return sizes, size_by
    return {n: float(d) for n, d in graph.degree()}, "degree"


def _page_note(
    note: str | None, nodes: tuple[int, int], edges: tuple[int, int], measure: str | None
) -> str | None:
    """The caller's note, then what the cut to the top nodes left out (drawn, total)."""
    notes = [note] if note else []
    if nodes[0] < nodes[1]:
        notes.append(
            f"Showing the top {nodes[0]} of {nodes[1]} nodes by {measure}; "
            f"{edges[1] - edges[0]} of {edges[1]} relations are not drawn."
        )
    return " ".join(notes) or None


@dataclass(frozen=True)
class _DrawnNodes:
    """The nodes on the page, in drawing order, with their page ids and labels."""

    keep: list[Any]
    ids: dict[Any, str]
    labels: dict[Any, str]


def _add_nodes(
    net: RkgNetwork,
    graph: nx.MultiGraph,
    sub: nx.MultiGraph,
    keep: list[Any],
    sizes: Mapping[Any, float],
    measures: Mapping[Any, Mapping[str, Any]],
) -> _DrawnNodes:
    scaled = _scale({n: float(sizes.get(n, 0.0) or 0.0) for n in keep})
    ids = {n: _text(n) for n in keep}
    if len(set(ids.values())) != len(ids):
        raise ParameterError("two graph nodes have the same text identifier")
    labels = {n: _text(graph.nodes[n].get("label") or n) for n in keep}
    for n in keep:
        attrs = graph.nodes[n]
        shape, _, hollow = kind_symbol(attrs.get("kind"))
        net.add_node(
            ids[n],
            label=labels[n],
            shape=shape,
            color=node_colour(attrs.get("kind")),
            borderWidth=2.5 if hollow else 1,
            size=round(scaled.get(n, MIN_SIZE), 2),
            kind=_text(attrs.get("kind") or "other"),
            measure=sizes.get(n),
            tip=_node_tip(n, attrs, measures.get(n), sub.degree(n), graph.degree(n)),
        )
    return _DrawnNodes(keep, ids, labels)


Edge = tuple[Any, Any, Mapping[str, Any]]


def _ordered_edges(sub: nx.MultiGraph, keep: list[Any]) -> list[Edge]:
    """The edges with their ends in drawing order, so parallel edges of a pair line up."""
    order = {n: i for i, n in enumerate(keep)}
    edge_list = []
    for u, v, attrs in sub.edges(data=True):
        if order[u] > order[v]:
            u, v = v, u
        edge_list.append((u, v, attrs))
    return edge_list


class _Pairs:
    """How many edges join each pair of page ids, in all and per layer, and the layers each
    pair has (sorted: a layer's index picks its curve when the pair's relations collapse)."""

    def __init__(self, edge_list: list[Edge], ids: Mapping[Any, str]) -> None:
        self.edges = Counter((ids[u], ids[v]) for u, v, _ in edge_list)
        self.per_layer = Counter(
            (ids[u], ids[v], _text(attrs.get("layer") or "other")) for u, v, attrs in edge_list
        )
        self.layers: dict[tuple[str, str], list[str]] = defaultdict(list)
        for a, b, la in sorted(self.per_layer):
            self.layers[(a, b)].append(la)


def _add_edges(
    net: RkgNetwork,
    sub: nx.MultiGraph,
    drawn: _DrawnNodes,
    colours: Mapping[str, str],
    evidence: Mapping[str, FactInfo],
    collapse: bool,
) -> list[dict[str, Any]]:
    """Draw every edge of ``sub``; return the groups collapsed edges belong to.

    Parallel edges: the k-th edge between a pair bends by its own roundness, alternating sides,
    spread over (0.06, 0.5] however many there are, so each stays visible and none loops wildly.
    """
    ids, labels = drawn.ids, drawn.labels
    edge_list = _ordered_edges(sub, drawn.keep)
    pairs = _Pairs(edge_list, ids)
    aggregates: dict[tuple[str, str, str], dict[str, Any]] = {}
    seen_pairs: dict[tuple[str, str], int] = defaultdict(int)
    widths = _widths([attrs for _, _, attrs in edge_list])
    for number, (u, v, attrs) in enumerate(edge_list):
        pair = (ids[u], ids[v])
        k, n = seen_pairs[pair], pairs.edges[pair]
        seen_pairs[pair] += 1
        layer = _text(attrs.get("layer") or "other")
        fact = attrs.get("fact")
        tip = _edge_tip(attrs, labels[u], labels[v], _evidence_of(evidence, fact))
        group = None
        if collapse and pairs.per_layer[(*pair, layer)] > 1:
            group = _join_aggregate(
                aggregates,
                (*pair, layer),
                f"{labels[u]} — {labels[v]}",
                colours[layer],
                pairs.layers[pair].index(layer),
                f"e{number}",
            )
        net.add_edge(
            ids[u],
            ids[v],
            id=f"e{number}",
            layer=layer,
            color={
                "color": colours[layer],
                "highlight": colours[layer],
                "hover": colours[layer],
                "opacity": 0.85,
            },
            width=widths[number],
            smooth=_curve(k, n),
            arrows={"to": {"enabled": bool(attrs.get("directed"))}},
            tip=tip,
            year=_year(attrs.get("year")),
            end_year=_year(attrs.get("end_year")),
            agg=group,
            line=_tip_line(tip),
        )
    return list(aggregates.values())


def _evidence_of(evidence: Mapping[str, FactInfo], fact: Any) -> FactInfo | None:
    return evidence.get(_text(fact)) if fact is not None else None


def _join_aggregate(
    aggregates: dict[tuple[str, str, str], dict[str, Any]],
    key: tuple[str, str, str],
    between: str,
    colour: str,
    layer_index: int,
    edge_id: str,
) -> str:
    """Put ``edge_id`` in the group of its pair and layer (``key``), made on first use; return
    the group's id."""
    agg = aggregates.setdefault(
        key,
        {
            "id": f"a{len(aggregates)}",
            "from": key[0],
            "to": key[1],
            "layer": key[2],
            "between": between,
            "color": {"color": colour, "highlight": colour},
            "members": [],
            "smooth": _layer_curve(layer_index),
        },
    )
    agg["members"].append(edge_id)
    return str(agg["id"])


def _period_node_sizes(
    period_sizes: Mapping[str, Mapping[Any, float]], drawn: _DrawnNodes
) -> dict[str, dict[str, float]]:
    """Each period's node values, scaled like the page's sizes, by page id."""
    return {
        key: {
            drawn.ids[n]: round(size, 2)
            for n, size in _scale(
                {n: float(values.get(n, 0.0) or 0.0) for n in drawn.keep if n in values}
            ).items()
        }
        for key, values in period_sizes.items()
    }


def _kind_legend(kinds: Counter[str]) -> list[dict[str, Any]]:
    return [
        {
            "name": k,
            "shape": kind_symbol(k)[0],
            "colour": kind_symbol(k)[1],
            "hollow": kind_symbol(k)[2],
            "count": c,
        }
        for k, c in sorted(kinds.items())
    ]


def _layer_legend(
    layers: list[str], colours: Mapping[str, str], counts: Counter[str]
) -> list[dict[str, Any]]:
    return [
        {"name": name, "colour": colours[name], "count": counts.get(name, 0)} for name in layers
    ]


def _layer_curve(index: int) -> dict[str, Any]:
    """The curve of a pair's ``index``-th layer when its relations are collapsed: one gentle
    bend per layer, alternating sides, so two layers between one pair never coincide."""
    if index == 0:
        return {"enabled": True, "type": "continuous", "roundness": 0.2}
    return {
        "enabled": True,
        "type": "curvedCW" if index % 2 else "curvedCCW",
        "roundness": round(0.12 * ((index + 1) // 2), 3),
    }


def _year(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _drawn_years(edges: list[Mapping[str, Any]]) -> list[int]:
    """Every year from the first dated edge to the last (span ends included), consecutive."""
    found: set[int] = set()
    for edge in edges:
        start, end = edge.get("year"), edge.get("end_year")
        if start is None:
            continue
        found.add(start)
        if end is not None and end > start:
            found.add(min(end, max(start, datetime.date.today().year)))
    return list(range(min(found), max(found) + 1)) if found else []


def _tip_line(tip: Mapping[str, Any]) -> dict[str, str]:
    """``{date, text: "what — source"}``: one relation's line in a collapsed edge's tooltip.

    An object, not a pair: vis-network's option merging rejects arrays on an edge."""
    rows = dict((r[0], r[1]) for r in tip.get("rows", []))
    what = _text(tip.get("heading"))
    source = rows.get("Source")
    return {"date": rows.get("Date", "undated"), "text": f"{what} — {source}" if source else what}


def _curve(k: int, n: int) -> dict[str, Any]:
    """The ``smooth`` option of the k-th of n edges between one pair of nodes."""
    if n == 1:
        return {"enabled": True, "type": "continuous", "roundness": 0.2}
    levels = (n + 1) // 2
    level = k // 2 + 1
    return {
        "enabled": True,
        "type": "curvedCW" if k % 2 == 0 else "curvedCCW",
        "roundness": round(0.06 + 0.44 * level / levels, 3),
    }


def _options(n_nodes: int) -> dict[str, Any]:
    """vis-network options: physics that stabilises (then the page switches it off)."""
    iterations = 400 if n_nodes <= 300 else 200 if n_nodes <= 1000 else 100
    spring = 320 if n_nodes <= 12 else 170 if n_nodes <= 80 else 120
    return {
        # vis-network's "improved layout" clusters the graph before physics starts; past a few
        # hundred nodes it costs more than the layout it saves (measured on 2,000-node pages)
        "layout": {"improvedLayout": n_nodes <= 300},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": spring,
                "springConstant": 0.06,
                "avoidOverlap": 0.4,
            },
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 50},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "nodes": {
            "font": {"size": 14 if n_nodes <= 40 else 12, "face": "sans-serif"},
            "borderWidth": 1,
        },
        "edges": {"selectionWidth": 2, "hoverWidth": 1.5},
    }


def render_network(graph: nx.MultiGraph, **kwargs: Any) -> str:
    """The page for ``graph`` as an HTML string (keyword arguments: see :func:`build_page`)."""
    return build_page(graph, **kwargs).html


def write_page(html: str, path: str | Path) -> Path:
    """Write a page as UTF-8 (pyvis's own ``write_html`` uses the locale's encoding)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
