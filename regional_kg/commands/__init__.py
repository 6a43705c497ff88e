"""The sub-commands of ``rkg``: the table of their names, modules, one-line help and
description -- all the command line says about a command apart from its options.

:mod:`regional_kg.cli` lists every command from the table (``rkg --help``) without importing
any command's module, and imports only the module of the command that runs, so a command module
imports what it needs at its top and ``rkg query`` still does not pay for networkx, the page
renderer or the server. :func:`regional_kg.commands.common.add_command` takes the help and the
description from here, so each is written once.
"""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    """Where a sub-command lives (``regional_kg.commands.<module>``), its one-line help (what
    ``rkg --help`` lists) and its description (what ``rkg COMMAND --help`` says first; a
    ``{field}`` in it is filled in by the module, from names only it imports)."""

    module: str
    help: str
    description: str


#: Every sub-command, in the order ``rkg --help`` lists them. One module may register several
#: (``sheet`` registers ``sheet`` and ``draft``); its commands stand next to each other here.
COMMANDS: dict[str, Command] = {
    "build": Command(
        "build",
        "build the curated graph (plus --source files) into a store",
        "Parse the ontology, the curated graph and any --source files, materialise "
        "inferences into rkgg:inferred, validate against the SHACL shapes and load the "
        "result into the store. With --store oxigraph:DIR the store is kept on disk for "
        "later commands; a failed build leaves the previous store untouched.",
    ),
    "query": Command(
        "query",
        "run a catalogue query, a .rq file or a SPARQL text",
        "Run a catalogue query by name (see --list), a .rq file, or SPARQL text. "
        "Parameters are bound as RDF terms, never pasted into the query.",
    ),
    "export": Command(
        "export",
        "serialise the graph (ttl, trig, nt, nq, jsonld)",
        "Write every named graph of the store. ttl and nt hold the union of the "
        "graphs; trig, nq and jsonld keep them apart.",
    ),
    "info": Command(
        "info",
        "what the store holds: graphs, triples, instances per class",
        "List the named graphs with their triple counts and the number of "
        "instances of each rkg: class (inferred types included).",
    ),
    "sources": Command(
        "sources",
        "the source documents as Markdown (docs/sources.md) and the README's counts",
        "Write every source document with its publisher, kind, date and number of "
        "facts as a Markdown page, counted from the graph. With --readme FILE, rewrite the "
        "generated 'What is in the graph' block of that README instead.",
    ),
    "centrality": Command(
        "centrality",
        "rank states (or actors) by network centrality, with the evidence behind each score",
        "Project the graph onto a network (layers: {layers}, or all) and rank its nodes. Edge "
        "weights are divided by the largest edge of their layer, summed per pair, and scores "
        "are averaged over layers with the --layer-weight weights (docs/centrality.md).",
    ),
    "viz": Command(
        "viz",
        "draw the relation network as an offline HTML page",
        "Draw the relation network (pyvis, no CDN: the page works offline).",
    ),
    "timeline-page": Command(
        "timeline_page",
        "draw the events (visits, meetings, agreements, terms, elections) on a time axis",
        "Write an offline HTML page of the catalogue's timeline: one lane per kind "
        "of event, each event's sources (document and paragraph) on hover or click.",
    ),
    "report": Command(
        "report",
        "write the report: network pages, centrality, query answers, validation, sources",
        "Build the graph and write an offline HTML report with CSV files.",
    ),
    "serve": Command(
        "serve",
        "serve the graph as a SPARQL endpoint with a query page",
        "Serve the graph over HTTP: a SPARQL 1.1 Protocol endpoint at /sparql, a query page "
        "at /, the query catalogue at /queries, the network page and report, /health. "
        "Read-only unless started with an update token.",
    ),
    "enrich": Command(
        "enrich",
        "look entities up in Wikidata; write findings into a graph of their own",
        "Match the graph's states, people and organisations with items of a "
        "Wikidata-compatible SPARQL endpoint (by sameAs link, ISO code, or English label and "
        "type) and add their identifiers, heads of state and government with terms, and "
        "memberships into a new named graph rkgg:enrichment/<timestamp> with provenance. "
        "Curated facts are never changed; conflicts are reported. Needs network access.",
    ),
    "synth": Command(
        "synth",
        "write a synthetic region that conforms to the model (for tests and benchmarks)",
        "Write a synthetic region -- states, leaders and terms, organisations and "
        "memberships, agreements, visits, meetings, trade observations and targets, every fact "
        "citing a synthetic source document -- that passes the shapes. The same seed gives the "
        "same bytes. About 249 triples per state and year plus 47 per state.",
    ),
    "sheet": Command(
        "sheet",
        "check sheets (YAML, one per source document) and convert them to and from RDF",
        "Sheets record the facts of one source document in YAML (docs/sheets.md). "
        "`check` reads and compiles them without building; `to-rdf` prints the TriG a sheet "
        "compiles to; `from-rdf` writes a sheet for a document already in the graph.",
    ),
    "draft": Command(
        "sheet",
        "draft a sheet from a document's text (every fact status: draft)",
        "Number the paragraphs of a text file as sheets cite them (the N-th "
        "non-empty line), link names to the graph, read dates and amounts, and propose visits, "
        "meetings, agreements, trade figures and elections where cue words stand. Every fact "
        "is marked status: draft; rkg build refuses it until a person has checked it.",
    ),
    "demo": Command(
        "demo",
        "build the curated graph and show what it holds",
        "Build the curated graph, print the graphs, classes and sources, and run a "
        "few catalogue queries.",
    ),
}


def module_name(command: str) -> str:
    """The full name of the module that registers ``command``."""
    return f"regional_kg.commands.{COMMANDS[command].module}"
