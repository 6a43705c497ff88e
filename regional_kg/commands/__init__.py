"""The sub-commands of ``rkg``: the table of their names, modules and one-line help.

The table is the one place a command's one-line help is written: :mod:`regional_kg.cli` lists
every command from it (``rkg --help``) without importing any command's module, and imports only
the module of the command that runs, so a command module imports what it needs at its top and
``rkg query`` still does not pay for networkx, the page renderer or the server.
:func:`regional_kg.commands.common.add_command` takes the help from here too.
"""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    """Where a sub-command lives (``regional_kg.commands.<module>``) and its one-line help."""

    module: str
    help: str


#: Every sub-command, in the order ``rkg --help`` lists them. One module may register several
#: (``sheet`` registers ``sheet`` and ``draft``); its commands stand next to each other here.
COMMANDS: dict[str, Command] = {
    "build": Command("build", "build the curated graph (plus --source files) into a store"),
    "query": Command("query", "run a catalogue query, a .rq file or a SPARQL text"),
    "export": Command("export", "serialise the graph (ttl, trig, nt, nq, jsonld)"),
    "info": Command("info", "what the store holds: graphs, triples, instances per class"),
    "sources": Command(
        "sources", "the source documents as Markdown (docs/sources.md) and the README's counts"
    ),
    "centrality": Command(
        "centrality",
        "rank states (or actors) by network centrality, with the evidence behind each score",
    ),
    "viz": Command("viz", "draw the relation network as an offline HTML page"),
    "timeline-page": Command(
        "timeline_page",
        "draw the events (visits, meetings, agreements, terms, elections) on a time axis",
    ),
    "report": Command(
        "report",
        "write the report: network pages, centrality, query answers, validation, sources",
    ),
    "serve": Command("serve", "serve the graph as a SPARQL endpoint with a query page"),
    "enrich": Command(
        "enrich", "look entities up in Wikidata; write findings into a graph of their own"
    ),
    "synth": Command(
        "synth",
        "write a synthetic region that conforms to the model (for tests and benchmarks)",
    ),
    "sheet": Command(
        "sheet",
        "check sheets (YAML, one per source document) and convert them to and from RDF",
    ),
    "draft": Command("sheet", "draft a sheet from a document's text (every fact status: draft)"),
    "demo": Command("demo", "build the curated graph and show what it holds"),
}


def module_name(command: str) -> str:
    """The full name of the module that registers ``command``."""
    return f"regional_kg.commands.{COMMANDS[command].module}"
