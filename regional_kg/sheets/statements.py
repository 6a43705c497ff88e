"""Statements a sheet gives in general form: ``kind: node`` (docs/sheets.md, "Statements").

Why: the sheet kinds cover the facts curators record most, but the model keeps growing (claims,
casualty figures, pledged amounts, interval trade figures ...). A graph node or property no kind
has a field for is written as statements (predicate → values) so that ``rkg sheet from-rdf``
never drops a fact, and the sheet compiles back to the same triples. This module only encodes
and decodes such values; the compiler and ``from-rdf`` decide where they go.

A value is one of::

    some text                         a plain literal (xsd:string)
    12 / true                         xsd:integer / xsd:boolean
    {text: Central Asia, lang: en}    a literal with a language
    {value: "2021-04-28", type: xsd:date}   a literal with a datatype
    {ref: state/KG}                   an IRI: a path under rkgd:, a prefixed name, or a full IRI
    {node: {predicate: values}}       a blank node and what it says

A predicate is a prefixed name (``rkg:involves``, ``schema:name``, ``rdf:type``).
"""

from __future__ import annotations

import re

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from regional_kg.namespaces import PREFIXES, RKGD


class StatementProblem(ValueError):
    """A statement the sheet gives cannot be read (the message says why)."""


class FlowValue(dict):
    """A value written on one line, ``{ref: state/KG}``: YAML's block style would take three."""


class SheetDumper(yaml.SafeDumper):
    """YAML as sheets are written: safe, with :class:`FlowValue` mappings on one line."""


SheetDumper.add_representer(
    FlowValue,
    lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True),
)


def dump_sheet(data: object) -> str:
    """The YAML text of a sheet (``rkg sheet from-rdf``)."""
    return yaml.dump(data, Dumper=SheetDumper, sort_keys=False, allow_unicode=True, width=100)


_PATH = re.compile(r"[a-z]+/[A-Za-z0-9._~%-]+")
_CURIE = re.compile(r"([a-z][a-z0-9-]*):(\S*)")


def expand(name: object) -> URIRef:
    """``state/KG`` → rkgd IRI; ``rkg:Event`` → its IRI; ``https://…`` as it is."""
    text = str(name).strip()
    if _PATH.fullmatch(text):
        return RKGD[text]
    if text.startswith(("http://", "https://", "urn:")):
        return URIRef(text)
    match = _CURIE.fullmatch(text)
    if match and match.group(1) in PREFIXES:
        return URIRef(str(PREFIXES[match.group(1)]) + match.group(2))
    raise StatementProblem(
        f"{text!r} is not an IRI (write a path under rkgd: such as state/KG, a prefixed name "
        "such as rkg:Event, or a full http(s) IRI)"
    )


def shorten(iri: object) -> str:
    """The inverse of :func:`expand`: the shortest name that expands back to ``iri``."""
    text = str(iri)
    base = str(RKGD)
    if text.startswith(base) and _PATH.fullmatch(text[len(base) :]):
        return text[len(base) :]
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        local = text[len(str(namespace)) :]
        if prefix != "rkgd" and text.startswith(str(namespace)) and "/" not in local:
            candidate = f"{prefix}:{local}"
            if local and expand(candidate) == URIRef(text):
                return candidate
    return text


def decode_value(value: object, graph: Graph) -> Node:
    """The RDF term a sheet value stands for (a blank node's statements go into ``graph``)."""
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value)
    if isinstance(value, str):
        return Literal(value)
    if isinstance(value, dict):
        if set(value) == {"ref"}:
            return expand(str(value["ref"]))
        if set(value) <= {"text", "lang"} and "text" in value:
            return Literal(str(value["text"]), lang=value.get("lang"))
        if set(value) == {"value", "type"}:
            return Literal(str(value["value"]), datatype=expand(str(value["type"])))
        if set(value) == {"node"} and isinstance(value["node"], dict):
            node = BNode()
            decode_statements(node, value["node"], graph)
            return node
    raise StatementProblem(
        f"{value!r} is not a value (write text, a number, true/false, {{ref: …}}, "
        "{text: …, lang: …}, {value: …, type: …} or {node: {…}})"
    )


def decode_statements(subject: URIRef | BNode, statements: object, graph: Graph) -> None:
    """Add ``subject``'s statements (predicate → value or list of values) to ``graph``."""
    if not isinstance(statements, dict):
        raise StatementProblem("statements: is a mapping of predicates to values")
    for predicate, values in statements.items():
        prop = expand(str(predicate))
        for value in values if isinstance(values, list) else [values]:
            graph.add((subject, prop, decode_value(value, graph)))


def encode_value(term: Node, graph: Graph) -> object:
    """How a sheet writes ``term`` (a blank node with what ``graph`` says of it)."""
    if isinstance(term, BNode):
        return {"node": encode_statements(term, graph)}
    if isinstance(term, URIRef):
        return FlowValue(ref=shorten(term))
    assert isinstance(term, Literal)  # the only other kind of term in a graph
    lexical = str(term)
    if term.language:
        return FlowValue(text=lexical, lang=term.language)
    if term.datatype in (None, XSD.string):
        return lexical
    if term.datatype == XSD.integer and re.fullmatch(r"-?[1-9]\d*|0", lexical):
        return int(lexical)
    if term.datatype == XSD.boolean and lexical in ("true", "false"):
        return lexical == "true"
    return FlowValue(value=lexical, type=shorten(term.datatype))


def _sort_key(value: object) -> str:
    return repr(value)


def encode_statements(subject: Node, graph: Graph, only: frozenset | None = None) -> dict:
    """What ``graph`` says of ``subject`` (of those triples in ``only``, when given), as sheet
    statements."""
    out: dict[str, list] = {}
    for p, o in graph.predicate_objects(subject):
        if only is not None and (subject, p, o) not in only:
            continue
        out.setdefault(shorten(p), []).append(encode_value(o, graph))
    return {
        p: (sorted(v, key=_sort_key) if len(v) > 1 else v[0])
        for p, v in sorted(out.items(), key=lambda kv: (kv[0] != "rdf:type", kv[0]))
    }


__all__ = [
    "FlowValue",
    "SheetDumper",
    "StatementProblem",
    "dump_sheet",
    "decode_statements",
    "decode_value",
    "encode_statements",
    "encode_value",
    "expand",
    "shorten",
]
