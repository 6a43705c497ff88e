"""Parameters bound to a query: checked against its header, converted, entities resolved.

A ``state``/``entity`` value (label, ISO code or IRI) is looked up in the store: indexed exact
lookups first, the normalised label scan only after a miss, answers cached per store generation
(the whole cost of ``/queries/NAME`` was once this scan).
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from regional_kg.catalogue.headers import NAME, strip_comments
from regional_kg.catalogue.literals import check_text, convert_literal, parse_iri
from regional_kg.catalogue.spec import Param, QuerySpec
from regional_kg.errors import ParameterError
from regional_kg.stores.base import SelectResult, Store

# Everything a label-like value may match, for the lookup of states and entities.
_LABEL_PROLOGUE = """
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""
_LABEL_PATH = "skos:prefLabel|skos:altLabel|rdfs:label|schema:name|rkg:isoCode"
_LABELS = (
    _LABEL_PROLOGUE
    + """
SELECT DISTINCT ?s ?label WHERE {
  %s
  { ?s skos:prefLabel ?label } UNION { ?s skos:altLabel ?label } UNION { ?s rdfs:label ?label }
  UNION { ?s schema:name ?label } UNION { ?s rkg:isoCode ?label }
  FILTER(isIRI(?s))
}
"""
)
_STATE_LABELS = _LABELS % "?s a rkg:State ."
_ENTITY_LABELS = _LABELS % ""
# The targeted lookup: only the subjects with a label equal to ?needle once both are normalised
# the way _normal does it (lower case, en dash as hyphen, runs of white space as one space).
# It runs in the engine over the label triples alone; nothing but the matches comes back.
_MATCH = (
    _LABEL_PROLOGUE
    + """
SELECT DISTINCT ?s WHERE {
  ?s %s ?label .
  %s
  FILTER(isIRI(?s)
         && REPLACE(REPLACE(REPLACE(LCASE(STR(?label)), "\u2013", "-"), "\\\\s+", " "),
                    "^ | $", "") = ?needle)
}
"""
)
_STATE_MATCH = _MATCH % (f"({_LABEL_PATH})", "?s a rkg:State .")
_ENTITY_MATCH = _MATCH % (f"({_LABEL_PATH})", "")
_STATE_EXISTS = (
    _LABEL_PROLOGUE + f"ASK {{ ?x a rkg:State ; {_LABEL_PATH} ?label . FILTER(isIRI(?x)) }}"
)


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace("\u2013", "-").split())


#: Language tags an exact label lookup tries (with the plain and ``xsd:string`` forms): the
#: languages the curated and synthetic graphs label in. A label in another one is still found,
#: by the normalised scan that follows a miss.
_LOOKUP_LANGS = ("en", "ru", "kk", "ky", "uz", "tg", "tk", "zh", "fr", "de", "tr", "fa", "ar")
_EXACT = (
    _LABEL_PROLOGUE
    + """
SELECT DISTINCT ?s WHERE {
  VALUES ?label { %s }
  ?s %s ?label .
  %s
  FILTER(isIRI(?s))
}
"""
)


def _exact_query(kind: str, text: str) -> str:
    """One indexed lookup: the subjects with a label equal to ``text`` (as given, in upper case
    for codes, in lower and title case), plain or in one of :data:`_LOOKUP_LANGS`."""
    variants = dict.fromkeys([text, " ".join(text.split())])
    if len(text) <= 3:
        variants[text.upper()] = None
    for variant in list(variants):
        variants[variant.lower()] = None
        variants[variant[:1].upper() + variant[1:]] = None
    terms = []
    for variant in variants:
        plain = Literal(variant)
        terms.append(plain.n3())
        terms.extend(Literal(variant, lang=lang).n3() for lang in _LOOKUP_LANGS)
    state = "?s a rkg:State ." if kind == "state" else ""
    return _EXACT % (" ".join(terms), f"({_LABEL_PATH})", state)


#: store → (its generation, {(kind, text): IRI}): a resolved value is looked up once per store
#: until the store is written (see :attr:`Store.generation`).
_RESOLVED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def resolve_entity(store: Store, param: Param, value: object) -> URIRef:
    """The IRI a ``state``/``entity`` value names in ``store`` (label, ISO code or IRI).

    Indexed lookups first (does the IRI exist; which subjects carry exactly this label, with the
    usual language tags), so a call costs one small query however large the store; only after a
    miss the labels are compared normalised (case, dashes, white space) in the engine, and only
    a value that matches nothing reads every label, to suggest close ones in the error. Results
    are cached per store until it is written.
    """
    text = str(value).strip()
    check_text(param, text)
    kind = "state" if param.type == "state" else "entity"
    key = (kind, text, isinstance(value, Literal))
    try:
        generation, cached = _RESOLVED[store]
    except (KeyError, TypeError):
        generation, cached = None, None
    if cached is None or generation != store.generation:
        cached = {}
        try:
            _RESOLVED[store] = (store.generation, cached)
        except TypeError:  # not weak-referenceable: no cache
            pass
    found = cached.get(key)
    if found is None:
        found = cached[key] = _resolve(store, param, value, text, kind)
    return found


def _resolve(store: Store, param: Param, value: object, text: str, kind: str) -> URIRef:
    iri = parse_iri(text) if not isinstance(value, Literal) else None
    if iri is not None:
        # An entity needs only to occur in the store (a labelled one does); a state, a label.
        found = store.ask(_STATE_EXISTS, {"x": iri}) if kind == "state" else _mentioned(store, iri)
        if found:
            return iri
        raise ParameterError(f"parameter {param.name!r}: no {kind} {iri} in the store")
    exact = store.select(_exact_query(kind, text))
    matches = _subjects(exact)
    if not matches:
        needle = _normal(text)
        query = _STATE_MATCH if kind == "state" else _ENTITY_MATCH
        result = store.select(query, {"needle": Literal(needle)})
        matches = _subjects(result)
    return _the_one(matches, param, text) or _no_match(store, param, kind, text)


def _subjects(result: SelectResult) -> set[URIRef]:
    """The IRIs bound to ``?s`` in ``result``."""
    return {s for s in result.values("s") if isinstance(s, URIRef)}


def _the_one(matches: set[URIRef], param: Param, text: str) -> URIRef | None:
    """The single subject ``text`` names among ``matches``; ``None`` for no match at all.

    Several matches: the project's data IRIs win over ontology terms and concepts with the same
    label; if that still leaves more than one, the value is ambiguous (an error naming them).
    """
    if len(matches) > 1:
        data = {m for m in matches if str(m).startswith("https://w3id.org/regional-kg/id/")}
        matches = data or matches
    if len(matches) == 1:
        return next(iter(matches))
    if matches:
        names = ", ".join(sorted(str(m) for m in matches))
        raise ParameterError(f"parameter {param.name!r}: {text!r} is ambiguous: {names}")
    return None


def _no_match(store: Store, param: Param, kind: str, text: str) -> URIRef:
    """Scan every label: a match SPARQL's case folding missed (``ß``), else close matches."""
    result = store.select(_STATE_LABELS if kind == "state" else _ENTITY_LABELS)
    labels: dict[str, set[URIRef]] = {}
    for row in result.rows:
        subject, label = row.get("s"), row.get("label")
        if isinstance(subject, URIRef) and label is not None:
            labels.setdefault(_normal(str(label)), set()).add(subject)
    found = _the_one(labels.get(_normal(text), set()), param, text)
    if found is not None:
        return found
    originals = {
        _normal(str(row["label"])): str(row["label"]) for row in result.rows if row.get("label")
    }
    close = difflib.get_close_matches(_normal(text), list(originals), n=5, cutoff=0.6)
    hint = f"; close matches: {', '.join(originals[c] for c in close)}" if close else ""
    raise ParameterError(f"parameter {param.name!r}: no {kind} called {text!r}{hint}")


def _mentioned(store: Store, iri: URIRef) -> bool:
    return store.ask("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", {"x": iri})


def bind_params(
    store: Store, spec: QuerySpec, params: Mapping[str, object] | None
) -> dict[str, Node]:
    """Check ``params`` against ``spec`` and turn them into bindings (variable → RDF term)."""
    params = dict(params or {})
    declared = {p.name: p for p in spec.params}
    if spec.adhoc and not declared and params:
        return _untyped_bindings(spec, params)
    unknown = sorted(set(params) - set(declared))
    if unknown:
        names = ", ".join(declared) or "none"
        raise ParameterError(
            f"query {spec.name!r} has no parameter {', '.join(map(repr, unknown))} "
            f"(its parameters: {names})"
        )
    bindings: dict[str, Node] = {}
    for p in spec.params:
        value = params.get(p.name)
        if value is None or (isinstance(value, str) and value == "" and p.type != "string"):
            if p.default is None:
                if p.required:
                    raise ParameterError(
                        f"query {spec.name!r} needs parameter {p.name!r} ({p.type}): "
                        f"--param {p.name}=VALUE"
                    )
                continue
            value = p.default
        if p.type in ("state", "entity"):
            bindings[p.name] = resolve_entity(store, p, value)
        else:
            bindings[p.name] = convert_literal(p, value)
    return bindings


def _untyped_bindings(spec: QuerySpec, params: Mapping[str, object]) -> dict[str, Node]:
    """Parameters of a query without a header: IRIs, numbers and booleans, else strings."""
    body = strip_comments(spec.text)
    bindings: dict[str, Node] = {}
    for name, value in params.items():
        if not NAME.match(name) or not re.search(rf"[?$]{name}\b", body):
            raise ParameterError(f"the query has no variable ?{name} to bind")
        text = str(value).strip()
        param = Param(name, "string", False)
        check_text(param, text)
        iri = parse_iri(text)
        if iri is not None:
            bindings[name] = iri
        elif re.fullmatch(r"[+-]?\d{1,30}", text):
            bindings[name] = Literal(int(text), datatype=XSD.integer)
        elif text in ("true", "false"):
            bindings[name] = Literal(text == "true")
        else:
            bindings[name] = Literal(str(value))
    return bindings
