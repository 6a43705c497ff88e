"""Parameter values to RDF terms without a store: literals of each type, IRIs, checked text.

Why apart from :mod:`.resolve`: the header parser checks ``default=`` and ``values=`` with the
same conversion a run uses, and that needs no store; resolving labels to IRIs does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from regional_kg.catalogue.spec import Param
from regional_kg.errors import ParameterError
from regional_kg.namespaces import PREFIXES
from regional_kg.terms import NotADate, partial_date

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*\Z")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:(\S*)\Z")


def convert_literal(param: Param, value: object) -> Node:
    """Turn a value for ``param`` (string or Python value) into an RDF term; no store needed.

    ``state`` and ``entity`` values are returned as IRIs only when given as IRIs (the store
    resolves labels, see :func:`bind_params`).
    """
    raw = _raw_text(param, value)
    text = raw.strip()
    check_text(param, text)
    if param.values is not None:
        raw = text = _allowed_value(param, text)

    def bad(expected: str) -> ParameterError:
        return ParameterError(f"parameter {param.name!r}: {text!r} is not {expected}")

    return _CONVERTERS.get(param.type, _iri)(raw, text, bad)


def _raw_text(param: Param, value: object) -> str:
    """The value as text before stripping (a string parameter keeps its spaces)."""
    if isinstance(value, Literal | URIRef):
        value = str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str | int | Decimal | float):
        raise ParameterError(f"parameter {param.name!r}: cannot use a {type(value).__name__}")
    return str(value)


def _allowed_value(param: Param, text: str) -> str:
    """The ``values=`` entry ``text`` names (case-insensitively), as the header spells it."""
    allowed = {v.lower(): v for v in param.values or ()}
    if text.lower() not in allowed:
        raise ParameterError(
            f"parameter {param.name!r}: {text!r} is not allowed; "
            f"use one of: {', '.join(param.values or ())}"
        )
    return allowed[text.lower()]


#: builds the error for a value that is not what the type expects ("an integer", ...)
_Bad = Callable[[str], ParameterError]


def _string(raw: str, text: str, bad: _Bad) -> Node:
    return Literal(raw)


def _integer(raw: str, text: str, bad: _Bad) -> Node:
    if not re.fullmatch(r"[+-]?\d{1,30}", text):
        raise bad("an integer")
    return Literal(int(text), datatype=XSD.integer)


def _decimal(raw: str, text: str, bad: _Bad) -> Node:
    if not re.fullmatch(r"[+-]?(\d{1,30}(\.\d{0,20})?|\.\d{1,20})", text):
        raise bad("a decimal number")
    try:
        return Literal(Decimal(text), datatype=XSD.decimal)
    except InvalidOperation:
        raise bad("a decimal number") from None


def _year(raw: str, text: str, bad: _Bad) -> Node:
    if not re.fullmatch(r"\d{4}", text):
        raise bad("a year (YYYY)")
    return Literal(text, datatype=XSD.gYear)


def _date(raw: str, text: str, bad: _Bad) -> Node:
    return _date_literal(text, bad)


def _boolean(raw: str, text: str, bad: _Bad) -> Node:
    lowered = text.lower()
    if lowered in ("true", "yes", "1"):
        return Literal(True)
    if lowered in ("false", "no", "0"):
        return Literal(False)
    raise bad("a boolean (true/false)")


def _iri(raw: str, text: str, bad: _Bad) -> Node:
    """``state``, ``entity`` and ``iri`` values: an IRI as written (labels need the store)."""
    iri = parse_iri(text)
    if iri is None:
        raise bad("an IRI")
    return iri


#: the conversion of each literal type; any other type (state, entity, iri) takes an IRI
_CONVERTERS: dict[str, Callable[[str, str, _Bad], Node]] = {
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "year": _year,
    "date": _date,
    "boolean": _boolean,
}


def check_text(param: Param, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParameterError(f"parameter {param.name!r}: the value is not valid text") from None
    if "\x00" in text:
        raise ParameterError(f"parameter {param.name!r}: the value contains a NUL character")


def _date_literal(text: str, bad: _Bad) -> Literal:
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
