"""Store → networkx ``MultiGraph``: every relation of the chosen layers kept as its own edge.

The layers are SPARQL files in ``queries/network/`` (``<layer>-<view>.rq``), so a user can change
what a layer means without touching Python. Each returns one row per relation with the columns
``source target kind date endDate weight fact`` and optional layer-specific ones (``detail``,
``published``, ``organisation``, ``fact2``). Nothing is merged here: two states linked by a visit,
a meeting, an agreement and a trade figure get four edges, each with its ``layer``, ``kind``,
``date``/``year``, ``weight`` and the ``fact`` node it comes from (kglab's bridge kept one edge per
pair and dropped the predicate; that is what this module avoids).

Time: an edge covers the years ``year`` (of ``date``) to ``end_year`` (of ``endDate``, else
``year``), read from the lexical form, so ``2017``, ``2017-09`` and ``2017-09-14`` all give 2017.
With a time filter an edge is kept when that span meets ``[since, until]``; an edge without a
start date (an undated membership, a tally "since independence") is kept only when no time filter
is given, because nothing says in which year it falls.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from regional_kg.errors import ParameterError
from regional_kg.network.row_order import sort_rows, split_order
from regional_kg.resources import queries_dir
from regional_kg.stores.base import NativeResult, NativeTerm, Store

#: The layers a user can ask for; ``all`` is their union.
LAYERS: tuple[str, ...] = ("diplomatic", "treaty", "trade", "institutional")
ALL = "all"
#: ``partners``: states only; ``actors``: states, people, organisations, agreements, events.
VIEWS: tuple[str, ...] = ("partners", "actors")

#: Most specific class first: a node typed Visit and Event (by inference) is a Visit.
_CLASS_ORDER = (
    "Visit",
    "Meeting",
    "CulturalYear",
    "BusinessForum",
    "EventTally",
    "Event",
    "AgreementGroup",
    "Agreement",
    "IntergovernmentalOrganisation",
    "GovernmentBody",
    "Forum",
    "WorkingGroup",
    "BusinessCouncil",
    "Organisation",
    "Person",
    "State",
    "Region",
    "Place",
)
_CLASS_RANK = {name: i for i, name in enumerate(_CLASS_ORDER)}
_YEAR = re.compile(r"\s*(-?\d{4,})")
_EXTRA_COLUMNS = ("detail", "published", "organisation")
_XSD_INTEGER = str(XSD.integer)


@dataclass(frozen=True)
class Period:
    """An inclusive range of years; ``None`` on a side means open."""

    since: int | None = None
    until: int | None = None

    @property
    def filtered(self) -> bool:
        return self.since is not None or self.until is not None

    def label(self) -> str:
        if not self.filtered:
            return "all years"
        if self.since == self.until:
            return str(self.since)
        return f"{self.since if self.since is not None else '…'}–{self.until or '…'}"

    def covers(self, year: int | None, end_year: int | None) -> bool:
        if not self.filtered:
            return True
        if year is None:
            return False
        end = end_year if end_year is not None and end_year >= year else year
        if self.since is not None and end < self.since:
            return False
        return not (self.until is not None and year > self.until)


def make_period(
    year: int | None = None, since: int | None = None, until: int | None = None
) -> Period:
    """``year`` alone, or ``since``/``until``; a reversed range is a :class:`ParameterError`."""
    if year is not None:
        if since is not None or until is not None:
            raise ParameterError("give either --year or --since/--until, not both")
        return Period(int(year), int(year))
    if since is not None and until is not None and int(since) > int(until):
        raise ParameterError(f"--since {since} is after --until {until}")
    return Period(
        int(since) if since is not None else None, int(until) if until is not None else None
    )


def split_names(items: Iterable[object] | None) -> list[str]:
    """``["Trade,treaty", " all "]`` → ``["trade", "treaty", "all"]``: options may repeat and
    hold comma lists; names are trimmed and lower-cased, blanks dropped, order kept."""
    parts = (part.strip().lower() for raw in items or () for part in str(raw).split(","))
    return [name for name in parts if name]


def check_layers(layers: Iterable[str] | None) -> list[str]:
    """The layers asked for, checked; none → the four layers; ``all`` → the four layers too."""
    chosen: list[str] = []
    for name in split_names(layers):
        if name == ALL:
            chosen.extend(layer for layer in LAYERS if layer not in chosen)
        elif name not in LAYERS:
            raise ParameterError(_unknown("layer", name, (*LAYERS, ALL)))
        elif name not in chosen:
            chosen.append(name)
    return chosen or list(LAYERS)


def check_view(view: str) -> str:
    if view not in VIEWS:
        raise ParameterError(_unknown("view", view, VIEWS))
    return view


def _unknown(what: str, name: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown {what} {name!r}{hint} (choose from: {', '.join(choices)})"


def network_query(name: str, directory: Path | None = None) -> str:
    """The SPARQL text of ``queries/network/<name>.rq`` (or of ``directory/<name>.rq``)."""
    path = (directory or queries_dir() / "network") / f"{name}.rq"
    return path.read_text(encoding="utf-8")


def layer_query(layer: str, view: str, directory: Path | None = None) -> str:
    """The SPARQL text of one layer in one view (``<layer>-<view>.rq``)."""
    return network_query(f"{layer}-{view}", directory)


def year_of(term: object) -> int | None:
    """The year of a date at any precision (``2017``, ``2017-09``, ``2017-09-14``, dateTime)."""
    if term is None:
        return None
    match = _YEAR.match(str(term))
    return int(match.group(1)) if match else None


#: Datatypes whose lexical form ``float()`` reads exactly as rdflib's ``toPython()`` would (the
#: weights the layer queries bind); any other literal goes through rdflib (:func:`_rdflib_value`).
_FLOAT_LEXICAL = frozenset(
    str(XSD[name]) for name in ("string", "integer", "decimal", "double", "float")
) | {str(RDF.langString)}


def _rdflib_value(term: ox.Literal) -> object:
    """The Python value rdflib gives this literal (booleans, dates, unusual numeric types)."""
    datatype = term.datatype.value
    if datatype in (str(XSD.string), str(RDF.langString)):
        return term.value
    return Literal(term.value, datatype=URIRef(datatype)).toPython()


def _number(term: NativeTerm | None) -> float:
    """An edge weight: the literal's number, else the text's, else 1 (as if unweighted)."""
    if term is None:
        return 1.0
    if isinstance(term, ox.Literal) and term.datatype.value not in _FLOAT_LEXICAL:
        value = _rdflib_value(term)
        if isinstance(value, int | float | Decimal):
            return float(value)
    try:
        return float(term.value)
    except ValueError:
        return 1.0


def _text(term: NativeTerm | None) -> str | None:
    """The IRI, lexical form or blank node id of a term (what ``str`` gives for rdflib's)."""
    return None if term is None else term.value


def select_ordered(store: Store, query: str) -> NativeResult:
    """The rows of ``query`` in the order of its ``ORDER BY``, the sorting done here when the
    clause sorts by text only (:mod:`~regional_kg.network.row_order`: on Oxigraph the clause
    took more time than the rest of the query)."""
    text, keys = split_order(query)
    result = store.select_native(text)
    return result if keys is None else sort_rows(result, keys)


def project(
    store: Store,
    layers: Iterable[str] | None = None,
    view: str = "partners",
    *,
    year: int | None = None,
    since: int | None = None,
    until: int | None = None,
    period: Period | None = None,
    queries: Path | None = None,
) -> nx.MultiGraph:
    """Project the store onto a ``MultiGraph`` of the chosen layers, view and period.

    Nodes are IRIs (strings) with ``label``, ``kind`` (most specific class) and ``iso``; edges have
    ``layer``, ``kind``, ``date``, ``year``, ``end_year``, ``weight``, ``fact``, ``origin`` (the
    row's source, for directed relations such as visits), ``detail``, ``paragraphs`` (distinct
    document paragraphs the fact is derived from). Edge keys are ``layer/kind/fact``.

    ``graph.graph`` carries ``layers``, ``view``, ``period``, ``provenance`` (fact → locators),
    ``publishers`` (document → the publisher that counts for corroboration) and ``known``
    (every node the store types as an actor, for resolving names).
    """
    chosen = check_layers(layers)
    view = check_view(view)
    period = period or make_period(year, since, until)
    provenance = _provenance(store, queries)
    known = _nodes(store, queries)
    graph = nx.MultiGraph(
        layers=tuple(chosen),
        view=view,
        period=period,
        provenance=provenance,
        publishers=_publishers(store, queries),
        known=known,
    )
    keys: set[tuple[str, str, str]] = set()
    for layer in chosen:
        result = select_ordered(store, layer_query(layer, view, queries))
        graph.add_edges_from(_layer_edges(result, layer, period, provenance, keys))
    for node in graph.nodes:
        info = known.get(node) or {"label": _local_name(node), "kind": None, "iso": None}
        graph.nodes[node].update(info)
    return graph


#: The columns of a layer query that the projection reads, in the order :func:`_edge` takes.
_ROW_COLUMNS = ("source", "target", "kind", "date", "endDate", "weight", "fact", "fact2")
Provenance = dict[str, set[tuple[str, int | None]]]


def _layer_edges(
    result: NativeResult,
    layer: str,
    period: Period,
    provenance: Provenance,
    keys: set[tuple[str, str, str]],
) -> list[tuple[str, str, str, dict[str, object]]]:
    """The ``(u, v, key, attrs)`` edges of one layer's rows, in row order (which fixes the node
    order, hence the sampled sources). ``keys`` holds the keys used so far, across layers."""
    slots = [result.index(column) for column in _ROW_COLUMNS]
    extras = [(column, i) for column in _EXTRA_COLUMNS if (i := result.index(column)) is not None]
    edges = []
    for row in result.rows:
        cells = [None if i is None else row[i] for i in slots]
        attrs = _edge_attrs(layer, cells, period, provenance)
        if attrs is None:
            continue
        for column, i in extras:
            if row[i] is not None:
                attrs[column] = row[i].value  # type: ignore[union-attr]
        u, v = str(attrs["origin"]), _text(cells[1]) or ""
        edges.append(
            (u, v, _unique_key(keys, u, v, f"{layer}/{attrs['kind']}/{attrs['fact']}"), attrs)
        )
    return edges


def _edge_attrs(
    layer: str, cells: list[NativeTerm | None], period: Period, provenance: Provenance
) -> dict[str, object] | None:
    """One relation's edge attributes, or ``None`` for a loop, a missing end or another period."""
    source, target, kind, date, end_date, weight, fact_term, fact2 = cells
    if source is None or target is None or source == target:
        return None
    start, end = year_of(_text(date)), year_of(_text(end_date))
    if not period.covers(start, end):
        return None
    fact = _text(fact_term) or ""
    facts = (fact,) if fact2 is None else (fact, fact2.value)
    locators: set[tuple[str, int | None]] = set()
    for item in facts:
        locators |= provenance.get(item, set())
    return {
        "layer": layer,
        "kind": _text(kind) or layer,
        "date": _text(date),
        "end_date": _text(end_date),
        "year": start,
        "end_year": end,
        "weight": _number(weight),
        "fact": fact,
        "facts": facts,
        "origin": source.value,
        "paragraphs": len(locators),
    }


def _unique_key(keys: set[tuple[str, str, str]], u: str, v: str, key: str) -> str:
    """``key``, or ``key#2``, ``key#3`` … when the pair already has an edge with that key."""
    pair = (u, v) if u < v else (v, u)
    found, n = key, 2
    while (*pair, found) in keys:
        found, n = f"{key}#{n}", n + 1
    keys.add((*pair, found))
    return found


def _provenance(store: Store, queries: Path | None) -> Provenance:
    result = select_ordered(store, network_query("provenance", queries))
    fact, doc, paragraph = (result.index(name) for name in ("fact", "doc", "paragraph"))
    found: Provenance = defaultdict(set)
    for row in result.rows:
        number = _paragraph(row[paragraph] if paragraph is not None else None)
        found[row[fact].value].add((row[doc].value, number))  # type: ignore[index, union-attr]
    return dict(found)


def _paragraph(term: NativeTerm | None) -> int | None:
    if not isinstance(term, ox.Literal):
        return None
    if term.datatype.value == _XSD_INTEGER:
        return int(term.value)
    return int(_rdflib_value(term))  # type: ignore[call-overload]


def _publishers(store: Store, queries: Path | None) -> dict[str, str]:
    result = select_ordered(store, network_query("publishers", queries))
    doc, publisher = result.index("doc"), result.index("publisher")
    return {row[doc].value: row[publisher].value for row in result.rows}  # type: ignore[index, union-attr]


def _nodes(store: Store, queries: Path | None) -> dict[str, dict[str, object]]:
    result = select_ordered(store, network_query("nodes", queries))
    slots = [result.index(name) for name in ("node", "class", "label", "iso")]
    best: dict[str, dict[str, Any]] = {}
    for row in result.rows:
        node, cls_term, label, iso = (None if i is None else row[i] for i in slots)
        if not isinstance(node, ox.NamedNode):
            continue
        cls = cls_term.value.rsplit("#", 1)[-1]  # type: ignore[union-attr]
        current = best.get(node.value)
        rank = _CLASS_RANK.get(cls, len(_CLASS_RANK))
        if current is None:
            best[node.value] = current = {"label": None, "kind": cls, "iso": None, "_rank": rank}
        elif rank < current["_rank"]:
            current["kind"], current["_rank"] = cls, rank
        if label is not None and (
            current["label"] is None or _label_rank(label) < current["_label_rank"]
        ):
            current["label"], current["_label_rank"] = label.value, _label_rank(label)
        if iso is not None:
            current["iso"] = iso.value
    for iri, info in best.items():
        info.pop("_rank", None)
        info.pop("_label_rank", None)
        if info["label"] is None:
            info["label"] = _local_name(iri)
    return best


def _label_rank(label: NativeTerm) -> tuple[int, str]:
    """Prefer an English label, then a plain one; ties broken by text so every store agrees."""
    lang = getattr(label, "language", None)
    return (0 if lang == "en" else 1 if not lang else 2, label.value)


def _local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
