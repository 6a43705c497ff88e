"""Hardening (issue #9, item 7): every failure is a clear message and a non-zero exit, and what
the data holds cannot harm the terminal, the spreadsheet or the file system's permissions.

Each test runs the real ``rkg`` entry point (:func:`regional_kg.cli.main`) on small files
written by the test, and checks the exact message, exit code or output.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest

from regional_kg.cli import main

PREFIXES = (
    "@prefix schema: <https://schema.org/> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    "@prefix rkg: <https://w3id.org/regional-kg/ontology#> .\n"
)


def rkg(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``rkg ARGS``; no traceback may reach the user, whatever happens."""
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, out, err


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- output: terminal, spreadsheet, file modes -----------------------------------------------


NAMES_QUERY = "SELECT ?x ?name WHERE { ?x schema:name ?name FILTER(STRSTARTS(STR(?x), 'urn:t')) }"


@pytest.fixture
def hostile(work_dir: Path) -> Path:
    """Names a terminal or a spreadsheet would act on, and numbers that must stay numbers."""
    return write(
        work_dir / "hostile.ttl",
        PREFIXES
        + '<urn:t1> schema:name "red\\u001b[31malert\\u001b[0m\\u0007" .\n'
        + '<urn:t2> schema:name "=HYPERLINK(\\"http://evil\\")" .\n'
        + "<urn:t3> schema:name \"+cmd|' /C calc'!A0\" .\n"
        + '<urn:t4> schema:name "-27.7" .\n'
        + '<urn:t5> schema:name "@SUM(A1)" .\n'
        + '<urn:t6> schema:name "\\tindent" .\n'
        + '<urn:t7> schema:name "abc\\u202Efed" .\n'
        + '<urn:t8> schema:name "plain" .\n',
    )


def test_table_escapes_terminal_control_codes(capsys, hostile: Path) -> None:
    code, out, _ = rkg(
        capsys, "query", NAMES_QUERY, "--source", str(hostile), "--no-validate", "--format", "table"
    )
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    line = next(line for line in out.splitlines() if line.startswith("<urn:t1>"))
    assert line.split(None, 1)[1] == "red\\x1b[31malert\\x1b[0m\\x07"
    assert "abc\\u202efed" in out


def test_markdown_escapes_terminal_control_codes(capsys, hostile: Path) -> None:
    code, out, _ = rkg(
        capsys, "query", NAMES_QUERY, "--source", str(hostile), "--no-validate", "--format", "md"
    )
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "| <urn:t1> | red\\x1b[31malert\\x1b[0m\\x07 |" in out


def test_csv_neutralises_formulas_but_keeps_numbers(capsys, hostile: Path) -> None:
    code, out, _ = rkg(
        capsys, "query", NAMES_QUERY, "--source", str(hostile), "--no-validate", "--format", "csv"
    )
    assert code == 0
    rows = {r["x"]: r["name"] for r in csv.DictReader(io.StringIO(out))}
    assert rows["urn:t2"] == '\'=HYPERLINK("http://evil")'
    assert rows["urn:t3"] == "'+cmd|' /C calc'!A0"
    assert rows["urn:t5"] == "'@SUM(A1)"
    assert rows["urn:t6"] == "'\tindent"
    assert rows["urn:t4"] == "-27.7"  # a number, even as text, is not a formula
    assert rows["urn:t8"] == "plain"


def test_csv_keeps_negative_numeric_literals(capsys, work_dir: Path) -> None:
    source = write(work_dir / "n.ttl", PREFIXES + '<urn:t1> schema:name "x" ; rkg:v -27.7 .\n')
    query = "SELECT ?v ?neg WHERE { <urn:t1> rkg:v ?v BIND(-5 AS ?neg) }"
    code, out, _ = rkg(
        capsys, "query", query, "--source", str(source), "--no-validate", "--format", "csv"
    )
    assert code == 0
    assert out.splitlines()[1] == "-27.7,-5"


def test_export_file_mode_follows_umask(capsys, work_dir: Path) -> None:
    target = work_dir / "out.ttl"
    old = os.umask(0o022)
    try:
        code, _, err = rkg(capsys, "export", "--no-validate", "-f", "ttl", "-o", str(target))
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    old = os.umask(0o077)
    try:
        code, _, err = rkg(capsys, "export", "--no-validate", "-f", "nt", "-o", str(target))
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
