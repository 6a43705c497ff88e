"""``rkg query``'s renderings that the server shares (:mod:`regional_kg.formatting`)."""

from __future__ import annotations

import os
import pty
import sys

import pytest
from rdflib import Literal, URIRef

from regional_kg.formatting import render
from regional_kg.stores.base import SelectResult

RESULT = SelectResult(
    ["s", "label"],
    [
        {"s": URIRef("http://example.org/a"), "label": Literal("=HYPERLINK(1)")},
        {"s": URIRef("http://example.org/b"), "label": Literal("-27.7")},
    ],
)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_json_and_xml_end_with_a_line_break_only_on_a_terminal(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = render(RESULT, fmt)  # stdout is pytest's capture here, not a terminal
    master, slave = pty.openpty()
    try:
        with open(slave, "w", encoding="utf-8") as terminal:
            monkeypatch.setattr(sys, "stdout", terminal)
            shown = render(RESULT, fmt)
    finally:
        os.close(master)
    assert not piped.endswith("\n") and shown == piped + "\n"
    assert piped.startswith('{"head":{"vars":["s","label"]}' if fmt == "json" else "<?xml")


def test_csv_defuses_formulas_but_not_numbers_and_tsv_writes_turtle() -> None:
    assert render(RESULT, "csv") == (
        "s,label\r\nhttp://example.org/a,'=HYPERLINK(1)\r\nhttp://example.org/b,-27.7\r\n"
    )
    assert render(RESULT, "tsv") == (
        '?s\t?label\n<http://example.org/a>\t"=HYPERLINK(1)"\n<http://example.org/b>\t"-27.7"\n'
    )
