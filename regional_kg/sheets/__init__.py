"""Sheets: one YAML file per source document, compiled into the graph's RDF (docs/sheets.md).

Why sheets: a curator who reads a press release should be able to record its facts without
writing Turtle. A sheet names things as people write them (``Tokayev``, ``KG``, ``Tashkent``),
dates at the precision printed and amounts as published; :func:`compile_sheet` resolves the names
against the graph's labels (the query resolver's rules), derives stable IRIs from content and
writes the same nodes and qualified derivations a curator writes by hand.
"""

from pathlib import Path

from regional_kg.sheets.compile import Compiled, compile_sheet, compile_text
from regional_kg.sheets.reader import SheetError

SHEET_EXTENSIONS = (".yaml", ".yml")


def compiler_files() -> list:
    """The files a sheet's RDF depends on besides the sheet and the graph: the compiler's code
    and schema. A build's validation cache key includes them, so a changed compiler revalidates."""
    folder = Path(__file__).parent
    names = (
        "compile.py",
        "reader.py",
        "resolve.py",
        "statements.py",
        "values.py",
        "vocabulary.py",
        "schema.json",
    )
    return [folder / name for name in names]


__all__ = [
    "SHEET_EXTENSIONS",
    "compiler_files",
    "Compiled",
    "SheetError",
    "compile_sheet",
    "compile_text",
]
