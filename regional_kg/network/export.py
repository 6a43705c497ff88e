"""The projected network as GraphML or GEXF, for Gephi and Cytoscape.

Every relation stays its own edge (the ``MultiGraph`` keys ``layer/kind/fact`` are written as
edge ids), with ``layer``, ``kind``, ``weight``, ``date``, ``year`` and ``fact`` as edge attributes
and ``label``, ``kind``, ``iso`` on nodes. The writers accept only strings, numbers and booleans,
so missing values become empty strings (GraphML/GEXF have no null) and tuples are joined.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import networkx as nx

from regional_kg.errors import ParameterError

EXPORT_FORMATS: tuple[str, ...] = ("graphml", "gexf")


def _plain(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list | set | frozenset):
        return " ".join(str(v) for v in value)
    return str(value)


def writable(graph: nx.MultiGraph) -> nx.MultiGraph:
    """A copy with only writer-friendly attribute values, every attribute on every element.

    The same attribute set on every edge and node keeps GraphML key types stable (an attribute
    that is an int on one edge and missing on another would otherwise be typed per first use).
    """
    out = nx.MultiGraph()
    node_keys = sorted({k for _, d in graph.nodes(data=True) for k in d})
    for node, data in graph.nodes(data=True):
        out.add_node(str(node), **{k: _plain(data.get(k)) for k in node_keys})
    edge_keys = sorted({k for _, _, d in graph.edges(data=True) for k in d})
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _plain(data.get(k)) for k in edge_keys}
        for k in ("year", "end_year"):  # a missing year is -1 (GraphML wants one type per key)
            if k in attrs and attrs[k] == "":
                attrs[k] = -1
        out.add_edge(str(u), str(v), key=str(key), **attrs)
    return out


def export_network(graph: nx.MultiGraph, format: str, path: str | os.PathLike) -> Path:
    """Write ``graph`` as ``graphml`` or ``gexf`` to ``path`` (atomically: all or nothing)."""
    fmt = format.lower()
    if fmt not in EXPORT_FORMATS:
        raise ParameterError(
            f"unknown network format {format!r} (choose from: {', '.join(EXPORT_FORMATS)})"
        )
    target = Path(path)
    data = writable(graph)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    os.close(fd)
    _umask = os.umask(0)
    os.umask(_umask)
    os.chmod(tmp, 0o666 & ~_umask)  # mkstemp makes 0600; a written file should not be
    try:
        if fmt == "graphml":
            nx.write_graphml(data, tmp, edge_id_from_attribute=None, named_key_ids=True)
        else:
            nx.write_gexf(data, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
