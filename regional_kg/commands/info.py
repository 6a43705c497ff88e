"""``rkg info``: what the store holds -- graphs with triple counts, instances per rkg: class."""

from __future__ import annotations

import argparse

from regional_kg.build.validation import short
from regional_kg.commands import store_options
from regional_kg.formatting import printable
from regional_kg.namespaces import RKG

GRAPHS_QUERY = """
SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } }
GROUP BY ?g ORDER BY ?g
"""

CLASSES_QUERY = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE {{
  ?s a ?class .
  FILTER(STRSTARTS(STR(?class), "{RKG}"))
}}
GROUP BY ?class ORDER BY DESC(?instances) ?class
"""

SOURCES_QUERY = f"""
SELECT ?doc (SAMPLE(?name) AS ?title) WHERE {{
  ?doc a <{RKG}SourceDocument> .
  OPTIONAL {{ ?doc <https://schema.org/name> ?name }}
}}
GROUP BY ?doc ORDER BY ?doc
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    store_options.add_store_command(subparsers, "info", run)


def describe(store) -> str:  # type: ignore[no-untyped-def]
    """The text ``rkg info`` prints for ``store``."""
    lines = [f"store: {store.spec}"]
    graphs = store.select(GRAPHS_QUERY).rows
    total = sum(int(r["triples"]) for r in graphs)
    lines.append(f"graphs: {len(graphs)}, triples: {total:,}")
    for row in graphs:
        lines.append(f"  {short(row['g']):<40} {int(row['triples']):>9,}")
    classes = store.select(CLASSES_QUERY).rows
    lines.append(f"instances per class ({len(classes)} classes, inferred types included):")
    for row in classes:
        lines.append(f"  {short(row['class']):<40} {int(row['instances']):>9,}")
    docs = store.select(SOURCES_QUERY).rows
    if docs:
        lines.append("source documents:")
        for row in docs:
            title = f"  {printable(str(row['title']))}" if row.get("title") is not None else ""
            lines.append(f"  {short(row['doc'])}{title}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    store = store_options.store_from_args(args, read_only=True)
    try:
        print(describe(store))
    finally:
        store.close()
    return 0
