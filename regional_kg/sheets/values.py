"""Values as sources print them: dates at any precision, money amounts, percentages.

Why a module of its own: the sheet compiler and the drafter read the same printed forms and must
agree on them, and each rule (``$1.5 billion`` is 1500.0 USD million, give or take 50) is the
convention of graph/README.md that the curated graph already follows.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from rdflib import Literal
from rdflib.namespace import XSD

from regional_kg.terms import NotADate, partial_date


class ValueProblem(ValueError):
    """A printed value cannot be read; the message says what was expected."""


def date_literal(value: object) -> Literal:
    """``2019`` → gYear, ``2019-11`` → gYearMonth, ``2019-11-29`` → date; else ValueProblem."""
    text = str(value).strip()
    try:
        return partial_date(text)
    except NotADate as exc:
        if exc.real:
            raise ValueProblem(f"{text!r} is not a real date") from None
        raise ValueProblem(f"{text!r} is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)") from None


def year_literal(value: object) -> Literal:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ValueProblem(f"{text!r} is not a year (write YYYY)")
    return Literal(text, datatype=XSD.gYear)


def month_of(value: Literal) -> Literal:
    """The month of a date (``2017-12-25`` → ``2017-12``); coarser dates stay as they are."""
    if value.datatype == XSD.date:
        return Literal(str(value)[:7], datatype=XSD.gYearMonth)
    return value


_SCALE = {
    "thousand": Decimal("0.001"),
    "k": Decimal("0.001"),
    "million": Decimal(1),
    "mln": Decimal(1),
    "m": Decimal(1),
    "billion": Decimal(1000),
    "bln": Decimal(1000),
    "bn": Decimal(1000),
    "b": Decimal(1000),
    "trillion": Decimal(1_000_000),
    "tn": Decimal(1_000_000),
}
_AMOUNT = re.compile(
    r"(?:US\s?)?(?P<cur>\$|USD\s*|US\$\s*)?(?P<num>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<scale>thousand|million|mln|billion|bln|bn|trillion|tn|[kmb])?\.?\s*"
    r"(?P<cur2>dollars|USD|US dollars)?\Z",
    re.IGNORECASE,
)


def decimal_text(number: Decimal) -> Decimal:
    """``5000`` → ``5000.0``: canonical, at least one decimal (an ``xsd:decimal`` as curated)."""
    text = format(number.normalize(), "f")
    if "." not in text:
        text += ".0"
    return Decimal(text)


def parse_amount(value: object) -> tuple[Decimal, Decimal, str]:
    """``$1.5 billion`` → (1500.0, 50, "$1.5 billion"): USD million, half-width, as printed.

    The precision is half a unit of the last printed digit, in USD million ("$700.5 million" →
    0.05, "$1.98 billion" → 5), so ranges can be checked with interval arithmetic.
    """
    printed = str(value).strip()
    match = _AMOUNT.match(printed)
    if match is None or not (match.group("cur") or match.group("cur2") or match.group("scale")):
        raise ValueProblem(
            f'{printed!r} is not an amount as published (e.g. "$1.5 billion", "$700.5 million")'
        )
    digits = match.group("num").replace(",", "")
    scale = _SCALE[(match.group("scale") or "million").lower()] if match.group("scale") else None
    if scale is None:  # "$2,500,000": plain dollars
        scale = Decimal("0.000001")
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise ValueProblem(f"{printed!r}: cannot read the number") from None
    places = len(digits.split(".")[1]) if "." in digits else 0
    value_m = decimal_text(number * scale)
    precision = decimal_text(Decimal(5) * Decimal(10) ** (-places - 1) * scale)
    return value_m, precision, printed


_PERCENT = re.compile(r"(?P<num>[+-]?\d+(?:\.\d+)?)\s*(?:%|per\s?cent|pct)?\Z", re.IGNORECASE)


def parse_percent(value: object) -> tuple[Decimal, Decimal, str]:
    """``79.8%`` / ``19 percent`` / ``79.8`` → (79.8, 0.05, printed): per cent, half-width."""
    printed = str(value).strip()
    match = _PERCENT.match(printed)
    if match is None:
        raise ValueProblem(f'{printed!r} is not a percentage (e.g. 79.8 or "19 percent")')
    digits = match.group("num")
    places = len(digits.split(".")[1]) if "." in digits else 0
    return (
        decimal_text(Decimal(digits)),
        decimal_text(Decimal(5) * Decimal(10) ** (-places - 1)),
        printed,
    )


def parse_decimal(value: object) -> Decimal:
    """``5000.0`` → Decimal("5000.0"): a figure as the curator states it (digits kept)."""
    text = str(value).strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueProblem(f"{text!r} is not a number") from None
