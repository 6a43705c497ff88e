"""Sheets: one YAML file per source document, compiled into the graph's RDF (docs/sheets.md).

Why sheets: a curator who reads a press release should be able to record its facts without
writing Turtle. A sheet names things as people write them (``Tokayev``, ``KG``, ``Tashkent``),
dates at the precision printed and amounts as published; :func:`compile_sheet` resolves the names
against the graph's labels (the query resolver's rules), derives stable IRIs from content and
writes the same nodes and qualified derivations a curator writes by hand.
"""

from regional_kg.sheets.compile import Compiled, compile_sheet, compile_text
from regional_kg.sheets.reader import SheetError

SHEET_EXTENSIONS = (".yaml", ".yml")

__all__ = ["SHEET_EXTENSIONS", "Compiled", "SheetError", "compile_sheet", "compile_text"]
