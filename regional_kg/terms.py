"""RDF terms as text for people: project IRIs compacted with the project's prefixes.

One home for the conversion, so that tables, messages and warnings name a node the same way
(``rkgd:state/KZ``) wherever they are printed.
"""

from __future__ import annotations

import re
from datetime import date

from rdflib import Literal
from rdflib.namespace import XSD

from regional_kg.namespaces import PREFIXES

#: Longest namespace first, so ``rkgd:`` wins over a shorter prefix of the same IRI.
_NAMESPACES = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def compact(iri: str) -> str:
    """``rkgd:state/KZ`` for a project IRI, the full IRI in angle brackets otherwise.

    >>> compact("https://w3id.org/regional-kg/id/state/KZ")
    'rkgd:state/KZ'
    """
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


#: A date at the precision people write it: year, year-month or full date.
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class NotADate(ValueError):
    """``text`` is not a date of that form (``real`` False) or names no real day (``real`` True)."""

    def __init__(self, text: str, *, real: bool) -> None:
        super().__init__(text)
        self.real = real


def partial_date(text: str) -> Literal:
    """``2019`` → xsd:gYear, ``2019-11`` → xsd:gYearMonth, ``2019-11-29`` → xsd:date.

    One reading of dates for query parameters and source sheets, so both accept the same
    texts; callers turn :class:`NotADate` into their own message.

    >>> partial_date("2019-11").datatype == XSD.gYearMonth
    True
    """
    match = _PARTIAL_DATE.fullmatch(text)
    if match is None:
        raise NotADate(text, real=False)
    year, month, day = match.groups()
    try:
        if day:
            date(int(year), int(month), int(day))
            return Literal(text, datatype=XSD.date)
        if month:
            date(int(year), int(month), 1)
            return Literal(text, datatype=XSD.gYearMonth)
    except ValueError:
        raise NotADate(text, real=True) from None
    return Literal(text, datatype=XSD.gYear)
