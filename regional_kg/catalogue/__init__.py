"""The SPARQL query catalogue: ``queries/*.rq`` files, their headers, and safe parameter binding.

Every catalogue query is a plain SPARQL 1.1 SELECT file that runs as it is in any engine (it
declares its own prefixes). What makes it a *catalogue* entry is a header of ``#`` comment lines at
the top of the file, before the first line of SPARQL::

    # title: Agreements of a state
    # description: Every agreement a state is party to, optionally with one partner.
    # description: (a second description line continues the first)
    # param: state   state  required  The state (label, ISO code or IRI)
    # param: partner state  optional  Only agreements that also include this party
    # param: limit   integer optional default=10  At most this many rows
    # list-columns: parties signatories
    # example: rkg query agreements --param state=KZ --param partner=KG

Keys:

``title``
    One line, required.
``description``
    Required; repeated lines are joined with a space.
``param``
    ``NAME TYPE required|optional [default=VALUE] [values=A|B|C] DESCRIPTION``. ``NAME`` is the
    SPARQL variable (``?NAME``) the value is bound to. ``default="two words"`` may be quoted.
    ``values=`` closes the set of values the parameter takes (compared ignoring case): any other
    value is an error listing the allowed ones, rather than a query that quietly matches
    nothing (``--param direction=sideways`` used to give no rows and exit 0).
``list-columns``
    Result columns holding ``GROUP_CONCAT(...; separator="; ")`` lists. SPARQL leaves the order of
    a group's values to the engine, so the catalogue sorts those lists (numerically when every item
    is a number); that is what makes every engine return the same text.
``example``
    A command line showing the query in use; repeatable.

Parameter types, and what a value may look like:

=========  ===========================================================================
state      a state: English or Russian label or alt label (any case), ISO code, or IRI
entity     anything with a label: label, alt label, name, ISO code, or IRI
iri        an IRI, full (``https://…``, ``<…>``) or with a known prefix (``rkgd:state/KZ``)
string     any text (a plain ``xsd:string`` literal)
integer    ``xsd:integer``
decimal    ``xsd:decimal``
year       ``xsd:gYear`` (``2017``)
date       ``xsd:date`` (``2017-12-25``), or at lower precision ``xsd:gYearMonth`` (``2017-12``)
           or ``xsd:gYear`` (``2017``) -- the source dates events at all three precisions
boolean    ``true``/``false`` (also ``yes``/``no``, ``1``/``0``)
=========  ===========================================================================

Values become rdflib terms and go to the store as *bindings* (``store.select(text, bindings)``);
the store substitutes them (or injects a ``VALUES`` block), so user input is never pasted into
query text. A ``state``/``entity`` value is resolved against the store with a SPARQL lookup; an
unknown one is a :class:`~regional_kg.errors.ParameterError` listing close matches.

Optional parameters that are not given stay unbound, so queries must work with the variable
unbound *and* with it bound by substitution or by a ``VALUES`` block. Oxigraph folds ``BOUND(?x)``
to false when ``?x`` occurs in no pattern, even when ``?x`` is substituted, so catalogue queries
never test ``BOUND`` on a parameter: they use ``COALESCE(<test using ?x>, true)`` or
``FILTER EXISTS { … ?x … }`` (which, unbound, matches anything), and they use parameters only
in the top-level group (not inside ``UNION`` branches' filters or sub-selects), where all three
semantics agree.
"""

from __future__ import annotations

import difflib
import re
import shlex
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from regional_kg.errors import ParameterError, UserError
from regional_kg.namespaces import PREFIXES
from regional_kg.resources import queries_dir
from regional_kg.stores.base import QueryError, SelectResult, Store
from regional_kg.terms import NotADate, partial_date

PARAM_TYPES = (
    "state",
    "entity",
    "iri",
    "string",
    "integer",
    "decimal",
    "year",
    "date",
    "boolean",
)
LIST_SEPARATOR = "; "

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HEADER_LINE = re.compile(r"#\s*([a-z][a-z-]*)\s*:\s?(.*)\Z")
_PARAM = re.compile(
    r"(?P<name>\S+)\s+(?P<type>\S+)\s+(?P<req>\S+)"
    r'(?P<options>(?:\s+(?:default|values)=(?:"[^"]*"|\S+))*)\s*(?P<desc>.*)\Z'
)
_PARAM_OPTION = re.compile(r'(default|values)=("[^"]*"|\S+)')
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*\Z")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:(\S*)\Z")
_QUERY_WORD = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE)\b", re.IGNORECASE)


class QueryHeaderError(UserError):
    """A ``.rq`` file's header is malformed; the message names the file and line."""


class UnknownQueryError(ParameterError):
    """No catalogue query has that name; the message suggests close names."""


@dataclass(frozen=True)
class Param:
    """A declared query parameter: bound to ``?name`` as an RDF term of ``type``."""

    name: str
    type: str
    required: bool
    description: str = ""
    default: str | None = None
    #: The only values allowed (``values=a|b`` in the header), or ``None`` for any value.
    values: tuple[str, ...] | None = None


@dataclass(frozen=True)
class QuerySpec:
    """One catalogue query: its header, parsed, and its SPARQL text (header included)."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None
    examples: tuple[str, ...] = ()
    list_columns: tuple[str, ...] = ()
    #: True for a query given as text or ``--file`` rather than taken from the catalogue.
    adhoc: bool = False
    #: ``PREFIX`` lines put before the user's text (:func:`with_prologue`): error positions
    #: are moved back by this many lines so they point into the text the user wrote.
    prologue_lines: int = 0

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def header(self) -> str:
        """The leading comment block (what ``rkg query --show`` prints first)."""
        lines = []
        for line in self.text.splitlines():
            if line.strip().startswith("#") or (lines and not line.strip()):
                lines.append(line)
            else:
                break
        return "\n".join(lines).rstrip()


# --- parsing ---------------------------------------------------------------------------------


def parse_query(
    text: str, name: str, path: Path | None = None, *, strict: bool = True
) -> QuerySpec:
    """Parse a ``.rq`` text into a :class:`QuerySpec`.

    ``strict`` (catalogue files) requires a title and a description and checks that every
    parameter is used in the query; ad-hoc files and texts may have no header at all.
    """
    where = str(path) if path else name
    fields: dict[str, list[str]] = {}
    params: list[Param] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.match(line)
        if match is None:
            continue  # a free comment
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            params.append(_parse_param(value, where, number))
        elif key in ("title", "description", "example", "list-columns"):
            fields.setdefault(key, []).append(value)
        else:
            raise QueryHeaderError(f"{where}:{number}: unknown header key {key!r}")
    names = [p.name for p in params]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise QueryHeaderError(f"{where}: parameter(s) declared twice: {', '.join(duplicates)}")
    if strict:
        for key in ("title", "description"):
            if not fields.get(key):
                raise QueryHeaderError(f"{where}: the header has no '# {key}:' line")
        body = _strip_comments(text)
        for p in params:
            if not re.search(rf"[?$]{p.name}\b", body):
                raise QueryHeaderError(f"{where}: parameter {p.name!r} is not used as ?{p.name}")
    list_columns = tuple(
        c for v in fields.get("list-columns", []) for c in v.replace(",", " ").split()
    )
    return QuerySpec(
        name=name,
        title=" ".join(fields.get("title", [])) or name,
        description=" ".join(fields.get("description", [])),
        params=tuple(params),
        text=text,
        path=path,
        examples=tuple(fields.get("example", [])),
        list_columns=list_columns,
        adhoc=not strict,
    )


def _parse_param(value: str, where: str, number: int) -> Param:
    match = _PARAM.match(value)
    if match is None:
        raise QueryHeaderError(
            f"{where}:{number}: a param line reads "
            "'NAME TYPE required|optional [default=VALUE] DESCRIPTION'"
        )
    name, type_, req = match.group("name"), match.group("type"), match.group("req")
    if not _NAME.match(name):
        raise QueryHeaderError(f"{where}:{number}: {name!r} is not a SPARQL variable name")
    if type_ not in PARAM_TYPES:
        raise QueryHeaderError(
            f"{where}:{number}: parameter {name!r} has unknown type {type_!r} "
            f"(one of: {', '.join(PARAM_TYPES)})"
        )
    if req not in ("required", "optional"):
        raise QueryHeaderError(
            f"{where}:{number}: parameter {name!r}: write 'required' or 'optional', not {req!r}"
        )
    options: dict[str, str] = {}
    for key, raw in _PARAM_OPTION.findall(match.group("options")):
        if key in options:
            raise QueryHeaderError(f"{where}:{number}: parameter {name!r}: {key}= given twice")
        options[key] = raw[1:-1] if raw.startswith('"') else raw
    default = options.get("default")
    values = None
    if "values" in options:
        values = tuple(v.strip() for v in options["values"].split("|"))
        if type_ in ("state", "entity", "iri") or not all(values):
            raise QueryHeaderError(
                f"{where}:{number}: parameter {name!r}: values= lists plain values "
                "(a|b|c) of a string, number, year, date or boolean parameter"
            )
    param = Param(name, type_, req == "required", match.group("desc").strip(), default, values)
    for value in values or ():
        try:
            convert_literal(replace(param, values=None), value)
        except ParameterError as exc:
            raise QueryHeaderError(f"{where}:{number}: bad value in values=: {exc}") from None
    if default is not None and type_ not in ("state", "entity"):
        try:
            convert_literal(param, default)
        except ParameterError as exc:
            raise QueryHeaderError(f"{where}:{number}: bad default: {exc}") from None
    return param


def _strip_comments(text: str) -> str:
    return "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in text.splitlines())


# --- the catalogue ---------------------------------------------------------------------------


def catalogue(directory: Path | None = None) -> list[QuerySpec]:
    """Every query of the catalogue (``queries/*.rq``), sorted by name."""
    return list(_load_catalogue(directory or queries_dir()))


@cache
def _load_catalogue_cached(directory: Path, stamp: tuple[tuple[str, int], ...]) -> tuple:
    return tuple(
        parse_query(p.read_text(encoding="utf-8"), p.stem, p)
        for p in sorted(directory.glob("*.rq"))
    )


def _load_catalogue(directory: Path) -> tuple[QuerySpec, ...]:
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(directory.glob("*.rq")))
    return _load_catalogue_cached(directory.resolve(), stamp)


def get_query(name: str, directory: Path | None = None) -> QuerySpec:
    """The catalogue query ``name``; an unknown name suggests close ones."""
    specs = {spec.name: spec for spec in catalogue(directory)}
    if name in specs:
        return specs[name]
    close = difflib.get_close_matches(name, list(specs), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownQueryError(
        f"unknown query {name!r}{hint} (rkg query --list shows all {len(specs)})"
    )


def looks_like_query(text: str) -> bool:
    """True for SPARQL text, False for a catalogue name."""
    return bool(_QUERY_WORD.search(text)) and ("{" in text or "\n" in text)


def resolve_spec(name_or_text: str, directory: Path | None = None) -> QuerySpec:
    """A catalogue query by name, or an ad-hoc query text (its header, if any, is honoured)."""
    if looks_like_query(name_or_text):
        spec = parse_query(name_or_text, "<query>", strict=False)
        return _prefixed(spec)
    return get_query(name_or_text.strip(), directory)


def load_file(path: str | Path) -> QuerySpec:
    """An ad-hoc ``.rq`` file (header optional)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"cannot read query file {path}: {exc}") from None
    spec = parse_query(text, path.stem, path, strict=False)
    return _prefixed(spec)


def _prefixed(spec: QuerySpec) -> QuerySpec:
    """``spec`` with the prologue added, remembering how many lines it took."""
    text = with_prologue(spec.text)
    return replace(spec, text=text, prologue_lines=text.count("\n") - spec.text.count("\n"))


_LINE_COLUMN = re.compile(r"\b(at|between) (\d+):(\d+)")  # Oxigraph: "error at 2:28"
_LINE_WORD = re.compile(r"\bline:? ?(\d+)")  # pyparsing: "(line:2, col:19)"
_CHAR = re.compile(r"\bat char (\d+)")  # pyparsing: "(at char 71)"


def user_positions(message: str, spec: QuerySpec) -> str:
    """An engine's error ``message`` with line numbers counted in the text the user wrote.

    An ad-hoc query gets ``PREFIX`` lines put in front of it, so a one-line query's error was
    reported "at 2:28". Positions inside the added prologue (impossible for valid prefixes) are
    left alone.
    """
    shift = spec.prologue_lines
    if not shift:
        return message

    def fix(number: str) -> str:
        line = int(number) - shift
        return str(line) if line >= 1 else number

    chars = sum(len(line) + 1 for line in spec.text.split("\n")[:shift])

    def fix_char(match: re.Match[str]) -> str:
        offset = int(match.group(1)) - chars
        return f"at char {offset}" if offset >= 0 else match.group(0)

    message = _LINE_COLUMN.sub(lambda m: f"{m.group(1)} {fix(m.group(2))}:{m.group(3)}", message)
    message = _CHAR.sub(fix_char, message)
    return _LINE_WORD.sub(lambda m: m.group(0).replace(m.group(1), fix(m.group(1))), message)


def with_prologue(text: str) -> str:
    """Add ``PREFIX`` lines for the project's prefixes the text uses but does not declare."""
    declared = {m.lower() for m in re.findall(r"\bPREFIX\s+([\w.-]*):", text, re.IGNORECASE)}
    missing = [
        f"PREFIX {p}: <{ns}>"
        for p, ns in PREFIXES.items()
        if p.lower() not in declared and re.search(rf"(?<![\w.:/-]){re.escape(p)}:", text)
    ]
    return "\n".join([*missing, text]) if missing else text


# --- parameter values ------------------------------------------------------------------------


def convert_literal(param: Param, value: object) -> Node:
    """Turn a value for ``param`` (string or Python value) into an RDF term; no store needed.

    ``state`` and ``entity`` values are returned as IRIs only when given as IRIs (the store
    resolves labels, see :func:`bind_params`).
    """
    kind = param.type
    if isinstance(value, Literal | URIRef):
        value = str(value)
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, date):
        value = value.isoformat()
    elif not isinstance(value, str | int | Decimal | float):
        raise ParameterError(f"parameter {param.name!r}: cannot use a {type(value).__name__}")
    text = str(value).strip()
    _check_text(param, text)
    if param.values is not None:
        allowed = {v.lower(): v for v in param.values}
        if text.lower() not in allowed:
            raise ParameterError(
                f"parameter {param.name!r}: {text!r} is not allowed; "
                f"use one of: {', '.join(param.values)}"
            )
        value = text = allowed[text.lower()]

    def bad(expected: str) -> ParameterError:
        return ParameterError(f"parameter {param.name!r}: {text!r} is not {expected}")

    if kind == "string":
        return Literal(str(value))
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,30}", text):
            raise bad("an integer")
        return Literal(int(text), datatype=XSD.integer)
    if kind == "decimal":
        if not re.fullmatch(r"[+-]?(\d{1,30}(\.\d{0,20})?|\.\d{1,20})", text):
            raise bad("a decimal number")
        try:
            return Literal(Decimal(text), datatype=XSD.decimal)
        except InvalidOperation:
            raise bad("a decimal number") from None
    if kind == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise bad("a year (YYYY)")
        return Literal(text, datatype=XSD.gYear)
    if kind == "date":
        return _date_literal(text, bad)
    if kind == "boolean":
        lowered = text.lower()
        if lowered in ("true", "yes", "1"):
            return Literal(True)
        if lowered in ("false", "no", "0"):
            return Literal(False)
        raise bad("a boolean (true/false)")
    iri = parse_iri(text)
    if iri is None:
        raise bad("an IRI")
    return iri


def _check_text(param: Param, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParameterError(f"parameter {param.name!r}: the value is not valid text") from None
    if "\x00" in text:
        raise ParameterError(f"parameter {param.name!r}: the value contains a NUL character")


def _date_literal(text: str, bad) -> Literal:
    try:
        return partial_date(text)
    except NotADate as exc:
        raise bad("a valid date" if exc.real else "a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None


def parse_iri(text: str) -> URIRef | None:
    """``<…>``, a full IRI, or ``prefix:local`` with a project prefix; ``None`` otherwise."""
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    match = _PREFIXED.match(text)
    if match and match.group(1) in PREFIXES and not text.startswith(("http:", "https:")):
        local = match.group(2)
        candidate = str(PREFIXES[match.group(1)]) + local
        return URIRef(candidate) if _IRI.match(candidate) else None
    if _IRI.match(text) and re.match(r"[A-Za-z][A-Za-z0-9+.-]*://|urn:", text):
        return URIRef(text)
    return None


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
    _check_text(param, text)
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
    matches = {row["s"] for row in exact.rows if isinstance(row.get("s"), URIRef)}
    if not matches:
        needle = _normal(text)
        query = _STATE_MATCH if kind == "state" else _ENTITY_MATCH
        result = store.select(query, {"needle": Literal(needle)})
        matches = {row["s"] for row in result.rows if isinstance(row.get("s"), URIRef)}
    if len(matches) > 1:
        # Prefer the project's data IRIs over ontology terms and concepts with the same label.
        data = {m for m in matches if str(m).startswith("https://w3id.org/regional-kg/id/")}
        matches = data or matches
    if len(matches) == 1:
        return next(iter(matches))
    if matches:
        names = ", ".join(sorted(str(m) for m in matches))
        raise ParameterError(f"parameter {param.name!r}: {text!r} is ambiguous: {names}")
    return _no_match(store, param, kind, text)


def _no_match(store: Store, param: Param, kind: str, text: str) -> URIRef:
    """Scan every label: a match SPARQL's case folding missed (``ß``), else close matches."""
    result = store.select(_STATE_LABELS if kind == "state" else _ENTITY_LABELS)
    labels: dict[str, set[URIRef]] = {}
    for row in result.rows:
        subject, label = row.get("s"), row.get("label")
        if isinstance(subject, URIRef) and label is not None:
            labels.setdefault(_normal(str(label)), set()).add(subject)
    matches = labels.get(_normal(text), set())
    if len(matches) > 1:
        data = {m for m in matches if str(m).startswith("https://w3id.org/regional-kg/id/")}
        matches = data or matches
    if len(matches) == 1:
        return next(iter(matches))
    if matches:
        names = ", ".join(sorted(str(m) for m in matches))
        raise ParameterError(f"parameter {param.name!r}: {text!r} is ambiguous: {names}")
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
    body = _strip_comments(spec.text)
    bindings: dict[str, Node] = {}
    for name, value in params.items():
        if not _NAME.match(name) or not re.search(rf"[?$]{name}\b", body):
            raise ParameterError(f"the query has no variable ?{name} to bind")
        text = str(value).strip()
        param = Param(name, "string", False)
        _check_text(param, text)
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


# --- running ---------------------------------------------------------------------------------


def run_query(
    store: Store,
    name_or_text: str | QuerySpec,
    params: Mapping[str, object] | None = None,
) -> SelectResult:
    """Run a catalogue query (by name) or a SELECT text on ``store`` with ``params`` bound.

    Raises :class:`~regional_kg.errors.ParameterError` for unknown queries and bad parameters,
    and the store's ``QueryError`` when the engine rejects the query.
    """
    spec = name_or_text if isinstance(name_or_text, QuerySpec) else resolve_spec(name_or_text)
    bindings = bind_params(store, spec, params)
    try:
        result = store.select(spec.text, bindings)
    except QueryError as exc:
        if not spec.prologue_lines:
            raise
        raise type(exc)(user_positions(str(exc), spec)) from None
    return normalise_lists(result, spec.list_columns)


def normalise_lists(result: SelectResult, columns: tuple[str, ...]) -> SelectResult:
    """Make ``GROUP_CONCAT`` list columns engine-independent by sorting their items.

    SPARQL leaves the order of a group's values undefined, so items are sorted (numerically, in
    canonical form, when all are numbers); nothing is removed: a query that means a set says
    ``GROUP_CONCAT(DISTINCT ...)`` itself, so the same text gives the same rows on any engine.
    An empty list is left unbound (rdflib gives ``""`` where Oxigraph gives no value).
    """
    if not columns:
        return result
    rows = []
    for row in result.rows:
        new = dict(row)
        for column in columns:
            term = row.get(column)
            if not isinstance(term, Literal):
                continue
            items = [i for i in str(term).split(LIST_SEPARATOR) if i != ""]
            if not items:
                del new[column]
                continue
            if all(re.fullmatch(r"[+-]?\d+(\.\d+)?", i) for i in items):
                numbers = sorted(Decimal(i) for i in items)
                items = [_canonical(n) for n in numbers]
            else:
                items = sorted(items)
            new[column] = Literal(LIST_SEPARATOR.join(items))
        rows.append(new)
    return replace(result, rows=rows)


def _canonical(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def describe_params(spec: QuerySpec) -> str:
    """``state* partner from to`` — required ones starred, for ``rkg query --list``."""
    return " ".join(
        p.name
        + ("*" if p.required else "")
        + (f"={p.default}" if p.default else "")
        + (f"({'|'.join(p.values)})" if p.values else "")
        for p in spec.params
    )


def example_args(spec: QuerySpec) -> list[list[str]]:
    """The examples of ``spec`` split into argument lists (for tests and docs)."""
    return [shlex.split(example) for example in spec.examples]


__all__ = [
    "PARAM_TYPES",
    "Param",
    "QuerySpec",
    "QueryHeaderError",
    "UnknownQueryError",
    "bind_params",
    "catalogue",
    "get_query",
    "load_file",
    "normalise_lists",
    "parse_query",
    "resolve_entity",
    "run_query",
]
