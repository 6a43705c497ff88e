"""Multi-layer network analysis of the knowledge graph: projection, centrality, evidence, export.

Python API::

    from regional_kg.network import project, centrality, export_network
    graph = project(store, ["trade"], "partners", year=2017)      # networkx MultiGraph
    rows = centrality(store, ["diplomatic", "trade"], ["pagerank"],
                      layer_weights={"trade": 2}, year=2017)      # list of dicts
    rows.to_pandas()                                              # DataFrame, if pandas is there
    centrality(store, ["trade"], ego="KZ", year=2017)             # Kazakhstan's partners
    centrality_by_year(store, since=2017, until=2025)             # tidy rows per year
    export_network(graph, "graphml", "network.graphml")

How weights are normalised and layers aggregated: :mod:`regional_kg.network.measures` and
``docs/centrality.md``.
"""

from regional_kg.network.export import EXPORT_FORMATS, export_network
from regional_kg.network.measures import (
    BACKENDS,
    MEASURES,
    aggregate,
    collapse,
    compute,
    layer_maxima,
    layer_scores,
)
from regional_kg.network.projection import ALL, LAYERS, VIEWS, Period, make_period, project
from regional_kg.network.ranking import Rows, centrality, parse_compare, resolve_node
from regional_kg.network.timeseries import centrality_by_year

__all__ = [
    "ALL",
    "BACKENDS",
    "EXPORT_FORMATS",
    "LAYERS",
    "MEASURES",
    "VIEWS",
    "Period",
    "Rows",
    "aggregate",
    "centrality",
    "centrality_by_year",
    "collapse",
    "compute",
    "export_network",
    "layer_maxima",
    "layer_scores",
    "make_period",
    "parse_compare",
    "project",
    "resolve_node",
]
