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
import subprocess
import sys
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


# --- sources: huge terms, bad dates, byte order marks, empty files ----------------------------

STORES = ["oxigraph", "memory"]


@pytest.mark.parametrize("store", STORES)
def test_a_50_mb_literal_is_a_clear_error(capsys, work_dir: Path, store: str) -> None:
    big = work_dir / "big.ttl"
    with open(big, "w", encoding="utf-8") as handle:
        handle.write(PREFIXES + '<urn:t1> schema:description "')
        handle.write("a" * 50_000_000)
        handle.write('" .\n')
    code, _, err = rkg(capsys, "info", "--store", store, "--no-validate", "--source", str(big))
    assert code == 2
    last = err.splitlines()[-1]  # (after the progress lines a 50 MB input gets)
    assert last.startswith(f"rkg info: error: {big}: a literal or IRI is too large to read")
    assert "under 16 MB" in err and "MemoryError" not in err


BAD_DATE = PREFIXES + (
    "<https://w3id.org/regional-kg/id/event/x> a rkg:Meeting ;\n"
    '  schema:name "x" ;\n'
    '  schema:startDate "yesterday"^^xsd:date .\n'
)


def run_rkg(*args: str) -> subprocess.CompletedProcess[str]:
    """``rkg`` as a user runs it: a process of its own, so what rdflib logs reaches stderr
    (inside pytest the logging plugin would swallow it)."""
    rkg_bin = Path(sys.executable).with_name("rkg")
    return subprocess.run([str(rkg_bin), *args], capture_output=True, text=True, timeout=300)


def test_bad_date_in_memory_store_is_named_not_a_traceback(work_dir: Path) -> None:
    source = write(work_dir / "baddate.ttl", BAD_DATE)
    done = run_rkg("info", "--store", "memory", "--source", str(source))
    assert done.returncode == 3
    assert "Traceback" not in done.stderr and "Failed to convert" not in done.stderr
    warning = (
        f"rkg: warning: {source}:6: rkgd:event/x schema:startDate: 'yesterday' is not a "
        "valid xsd:date"
    )
    assert warning in done.stderr.splitlines()
    assert "rkg info: error: SHACL validation failed" in done.stderr
    assert "schema:startDate must be one xsd:date" in done.stderr
    # without validation the literal is kept (as Oxigraph keeps it), and still named
    done = run_rkg("info", "--store", "memory", "--no-validate", "--source", str(source))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert warning in done.stderr.splitlines()


@pytest.mark.parametrize("store", STORES)
def test_a_utf8_bom_is_accepted(capsys, work_dir: Path, store: str) -> None:
    source = write(
        work_dir / "bom.ttl", b"\xef\xbb\xbf" + (PREFIXES + '<urn:t1> schema:name "x" .\n').encode()
    )
    query = "SELECT ?s ?n WHERE { ?s schema:name ?n FILTER(?s = <urn:t1>) }"
    code, out, err = rkg(
        capsys, "query", query, "--store", store, "--no-validate", "--source", str(source),
        "--format", "csv",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == ["s,n", "urn:t1,x"]


@pytest.mark.parametrize("store", STORES)
def test_an_empty_source_file_is_an_error(capsys, work_dir: Path, store: str) -> None:
    empty = write(work_dir / "empty.ttl", "")
    comments = write(work_dir / "only-prefixes.ttl", PREFIXES + "# nothing yet\n")
    for source in (empty, comments):
        code, _, err = rkg(
            capsys, "info", "--store", store, "--no-validate", "--source", str(source)
        )
        assert code == 2
        assert err == (
            f"rkg info: error: {source}: the file holds no triples (is it empty?); "
            "give it some data or leave it out\n"
        )
    folder = work_dir / "folder"
    folder.mkdir()
    write(folder / "a.ttl", PREFIXES + '<urn:t1> schema:name "x" .\n')
    write(folder / "b.nt", "")
    code, _, err = rkg(capsys, "info", "--store", store, "--no-validate", "--source", str(folder))
    assert code == 2 and f"{folder / 'b.nt'}: the file holds no triples" in err


# --- queries: closed parameter values, error positions ------------------------------------------


def test_closed_set_parameter_rejects_unknown_values(capsys) -> None:
    code, out, err = rkg(
        capsys, "query", "visits", "--param", "state=KZ", "--param", "direction=sideways",
        "--no-validate",
    )  # fmt: skip
    assert code == 2 and out == ""
    assert err == (
        "rkg query: error: parameter 'direction': 'sideways' is not allowed; "
        "use one of: by, to, any\n"
    )
    answers = []
    for value in ("to", "TO"):
        code, out, _ = rkg(
            capsys, "query", "visits", "--param", "state=KZ", "--param", f"direction={value}",
            "--no-validate", "--format", "csv",
        )  # fmt: skip
        assert code == 0
        answers.append(out)
    assert answers[0] == answers[1] and len(answers[0].splitlines()) > 1


def test_values_in_query_headers() -> None:
    from regional_kg.catalogue import QueryHeaderError, get_query, parse_query

    param = get_query("visits").param("direction")
    assert param is not None and param.values == ("by", "to", "any")
    body = "SELECT ?x WHERE { BIND(?d AS ?x) }"
    header = "# title: t\n# description: d\n"
    spec = parse_query(header + "# param: d integer optional values=1|2|3  a number\n" + body, "q")
    assert spec.params[0].values == ("1", "2", "3") and spec.params[0].description == "a number"
    for line, message in (
        ("# param: d string optional default=x values=a|b  d", "bad default"),
        ("# param: d integer optional values=1|two  d", "bad value in values="),
        ("# param: d state optional values=KZ|UZ  d", "values= lists plain values"),
    ):
        with pytest.raises(QueryHeaderError, match=message):
            parse_query(header + line + "\n" + body, "q")


@pytest.mark.parametrize("store", STORES)
def test_syntax_error_lines_count_the_users_text(capsys, work_dir: Path, store: str) -> None:
    # a one-line query using a project prefix: rkg adds PREFIX lines before it
    code, _, err = rkg(
        capsys, "query", "SELECT ?x WHERE { ?x rkg:y }", "--store", store, "--no-validate"
    )
    assert code == 2
    assert ("error at 1:" in err) if store == "oxigraph" else ("(line:1, col:" in err)
    assert "at 2:" not in err and "line:2" not in err
    rq = write(work_dir / "q.rq", "# a comment\nSELECT ?x\nWHERE { ?x rkg:y }\n")
    code, _, err = rkg(capsys, "query", "-f", str(rq), "--store", store, "--no-validate")
    assert code == 2
    assert ("error at 3:" in err) if store == "oxigraph" else ("(line:3, col:" in err)


def test_centrality_csv_and_table_are_safe(capsys, work_dir: Path) -> None:
    """A state whose label is a formula with an escape code, party to one agreement."""
    source = write(
        work_dir / "evil-state.ttl",
        PREFIXES
        + "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        + '<https://w3id.org/regional-kg/id/state/XX> a rkg:State ; rkg:isoCode "XX" ;\n'
        + "  skos:prefLabel \"=cmd|'/C calc'!A0\\u001b[31m\"@en .\n"
        + '<https://w3id.org/regional-kg/id/agreement/evil> a rkg:Agreement ; schema:name "x" ;\n'
        + "  rkg:party <https://w3id.org/regional-kg/id/state/KZ>,\n"
        + "    <https://w3id.org/regional-kg/id/state/XX> ;\n"
        + '  rkg:signedOn "2018-01-01"^^xsd:date .\n',
    )
    base = ["centrality", "--layer", "treaty", "--source", str(source), "--no-validate"]
    code, out, _ = rkg(capsys, *base, "--format", "csv")
    assert code == 0
    rows = {r["iso"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["XX"]["label"] == "'=cmd|'/C calc'!A0\x1b[31m"  # CSV keeps the text, defused
    assert float(rows["XX"]["strength"]) > 0
    code, out, _ = rkg(capsys, *base)
    assert code == 0 and "\x1b" not in out
    assert "=cmd|'/C calc'!A0\\x1b[31m" in out


@pytest.mark.parametrize(
    "args",
    [
        ["centrality", "--top", "0"],
        ["centrality", "--sample", "-3"],
        ["viz", "--top", "0", "-o", "net.html"],
        ["report", "--top", "0", "-o", "report"],
    ],
)
def test_a_count_below_one_is_refused_before_any_build(capsys, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    code, out, err = rkg(capsys, *args)
    flag, value = args[1], args[2]
    assert code == 2 and out == ""
    assert err == f"rkg {args[0]}: error: {flag} {value}: must be at least 1\n"
    assert list(tmp_path.iterdir()) == []  # refused before anything was written
