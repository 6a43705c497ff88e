"""Serialise a store's content: Turtle, TriG, N-Triples, N-Quads or JSON-LD.

Triples-only formats (``ttl``, ``nt``) get the union of the named graphs (a triple said in two
graphs appears once); quad formats keep the graphs. ``inferred=False`` leaves out
``rkgg:inferred``, giving back what the sources stated. Line-based formats are sorted so that
exports diff cleanly; files are written to a temporary name and renamed, so a reader never sees
half a file.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import NamespaceManager

from regional_kg.atomic import write_atomically
from regional_kg.errors import ExportFormatError
from regional_kg.namespaces import INFERRED_GRAPH, PREFIXES
from regional_kg.stores.base import Store

#: Format name → (rdflib serializer, keeps graphs, file extension).
EXPORT_FORMATS: dict[str, tuple[str, bool, str]] = {
    "ttl": ("turtle", False, ".ttl"),
    "trig": ("trig", True, ".trig"),
    "nt": ("nt", False, ".nt"),
    "nq": ("nquads", True, ".nq"),
    "jsonld": ("json-ld", True, ".jsonld"),
}
ALIASES = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "json-ld": "jsonld"}


def normalise_format(format: str) -> str:
    name = ALIASES.get(format.lower(), format.lower())
    if name not in EXPORT_FORMATS:
        raise ExportFormatError(
            f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}"
        )
    return name


#: Prefixes the shipped files use beyond the project's own list.
EXTRA_PREFIXES = {"vann": "http://purl.org/vocab/vann/"}


def _bind(graph: Graph) -> None:
    for prefix, namespace in {**PREFIXES, **EXTRA_PREFIXES}.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def export(
    store: Store, format: str = "trig", inferred: bool = True, output: str | Path | None = None
) -> bytes:
    """The store's content in ``format`` (``ttl``, ``trig``, ``nt``, ``nq``, ``jsonld``).

    With ``output``, the bytes are also written there (atomically). Example::

        >>> from regional_kg import build, export
        >>> data = export(build(store="memory").store, "ttl", inferred=False)
        >>> data.startswith(b"@prefix")
        True
    """
    name = normalise_format(format)
    serializer, keeps_graphs, _ = EXPORT_FORMATS[name]
    source = Dataset()
    source.parse(data=store.dump("nquads"), format="nquads")
    graphs = [
        g
        for g in source.graphs()
        if len(g) and (inferred or g.identifier != INFERRED_GRAPH) and _is_named(g)
    ]
    if keeps_graphs:
        dataset = Dataset()
        dataset.namespace_manager = NamespaceManager(dataset, bind_namespaces="core")
        for graph in graphs:
            into = dataset.graph(graph.identifier)
            into.addN((s, p, o, into) for s, p, o in graph)
        target: Graph | Dataset = dataset
    else:
        target = Graph(bind_namespaces="core")
        for graph in graphs:
            target.addN((s, p, o, target) for s, p, o in graph)
    _bind(target)
    if serializer == "json-ld":
        context = {p: str(ns) for p, ns in {**PREFIXES, **EXTRA_PREFIXES}.items()}
        data = target.serialize(format="json-ld", context=context, indent=2, encoding="utf-8")
    else:
        data = target.serialize(format=serializer, encoding="utf-8")
    if name in ("nt", "nq"):
        lines = sorted(set(line for line in data.splitlines() if line.strip()))
        data = b"\n".join(lines) + (b"\n" if lines else b"")
    if output is not None:
        write_atomically(Path(output), data)
    return data


def _is_named(graph: Graph) -> bool:
    return isinstance(graph.identifier, URIRef) and graph.identifier != DATASET_DEFAULT_GRAPH_ID
