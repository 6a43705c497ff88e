"""``rkg query``: listing, showing, formats, and clear errors with exit codes."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from rdflib.query import Result

from regional_kg.cli import main

FAST = ["--no-validate"]


def rkg(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["query", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_list_shows_names_titles_params(capsys):
    code, out, _ = rkg(capsys, "--list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "title", "params"]
    agreements = next(line for line in lines if line.startswith("agreements "))
    assert "Agreements of a state" in agreements and "state* partner from to" in agreements


def test_show_prints_header_and_text(capsys):
    code, out, _ = rkg(capsys, "--show", "trade-targets")
    assert code == 0
    assert out.startswith("# title: Trade targets")
    assert "SELECT" in out and "# param: state" in out


def test_agreements_as_markdown(capsys):
    code, out, _ = rkg(
        capsys,
        "agreements",
        "--param",
        "state=KZ",
        "--param",
        "partner=KG",
        "--format",
        "md",
        *FAST,
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("| agreement | name | type | signedOn |")
    assert lines[1].startswith("| --- |")
    assert len(lines) == 2 + 5
    assert any("rkgd:agreement/2017-12-25-kz-kg-border-regime" in line for line in lines)


def test_table_json_csv_tsv(capsys):
    base = ["trade-turnover", "-p", "reporter=KZ", "-p", "partner=UZ", *FAST]
    code, out, _ = rkg(capsys, *base)
    assert code == 0
    header, rule, *rows = out.splitlines()
    assert header.split()[:4] == ["reporter", "partner", "partnerName", "period"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert rows[2].split()[:5] == ["rkgd:state/KZ", "rkgd:state/UZ", "Uzbekistan", "2017", "1980"]

    code, out, _ = rkg(capsys, *base, "--format", "json")  # SPARQL 1.1 Query Results JSON
    standard = json.loads(out)
    assert standard["head"]["vars"][:2] == ["reporter", "partner"]
    third = standard["results"]["bindings"][2]
    assert third["reporter"] == {"type": "uri", "value": "https://w3id.org/regional-kg/id/state/KZ"}
    assert third["value"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert Decimal(third["value"]["value"]) == 1980
    assert "previousValue" not in standard["results"]["bindings"][0]  # unbound: left out
    # a standard reader reads it back to the same terms
    parsed = Result.parse(io.StringIO(out), format="json")
    assert [str(r["period"]) for r in parsed] == ["2015", "2016", "2017"]

    code, out, _ = rkg(capsys, *base, "--format", "xml")  # SPARQL 1.1 Query Results XML
    parsed = Result.parse(io.BytesIO(out.encode("utf-8")), format="xml")
    assert [str(r["value"]) for r in parsed][2] in ("1980", "1980.0")
    assert str(parsed.vars[0]) == "reporter"

    code, out, _ = rkg(capsys, *base, "--format", "rows")  # plain rows for scripts
    data = json.loads(out)
    assert [row["value"] for row in data] == [1600, 1500, 1980]
    assert data[2]["changePercent"] == 32 and data[2]["period"] == "2017"
    assert data[2]["reporter"] == "https://w3id.org/regional-kg/id/state/KZ"
    assert "previousValue" not in data[0]  # unbound: left out

    code, out, _ = rkg(capsys, *base, "--format", "csv")
    assert "\r\n" in out
    table = list(csv.reader(io.StringIO(out)))
    assert table[0][:2] == ["reporter", "partner"]
    assert table[3][0] == "https://w3id.org/regional-kg/id/state/KZ"
    assert table[1][table[0].index("previousValue")] == ""

    code, out, _ = rkg(capsys, *base, "--format", "tsv")
    lines = out.splitlines()
    assert lines[0].split("\t")[0] == "?reporter"
    assert lines[1].split("\t")[0] == "<https://w3id.org/regional-kg/id/state/KZ>"
    assert '"$1.6 billion"' in lines[1]


def test_adhoc_text_and_file(capsys, tmp_path):
    code, out, _ = rkg(
        capsys, "SELECT ?code WHERE { ?s a rkg:State ; rkg:isoCode ?code } ORDER BY ?code", *FAST
    )
    assert code == 0 and out.split()[2:4] == ["CN", "KG"]
    query = tmp_path / "mine.rq"
    query.write_text(
        "# title: Code\n# description: ISO code of a state\n# param: s state required The state\n"
        "SELECT ?code WHERE { ?s rkg:isoCode ?code }\n",
        encoding="utf-8",
    )
    code, out, _ = rkg(capsys, "--file", str(query), "-p", "s=Tajikistan", "--format", "csv", *FAST)
    assert code == 0 and out.splitlines() == ["code", "TJ"]


def test_empty_result_message_and_exit_zero(capsys):
    code, out, err = rkg(capsys, "visits", "-p", "state=CN", *FAST)
    assert code == 0 and out == ""
    assert "no results" in err


@pytest.mark.parametrize(
    "args,message",
    [
        (["agreemnts", "-p", "state=KZ"], "did you mean agreements"),
        (["agreements", "-p", "state=KZ", "-p", "colour=red"], "no parameter 'colour'"),
        (["agreements"], "needs parameter 'state'"),
        (["trade-turnover", "-p", "year=abc"], "parameter 'year'"),
        (["agreements", "-p", "state=Atlantis"], "no state called 'Atlantis'"),
        (["agreements", "-p", "state"], "KEY=VALUE"),
        (["SELECT ?x WHERE { ?x ?y }"], "query <query>"),
        ([], "give a query name"),
    ],
)
def test_errors_are_clear_with_nonzero_exit(capsys, args, message):
    code, out, err = rkg(capsys, *args, *FAST)
    assert code == 2
    assert err.startswith("rkg query: error:")
    assert message in err
    assert out == ""


def test_empty_result_in_a_machine_format_still_prints_its_header(capsys):
    code, out, err = rkg(capsys, "visits", "-p", "state=CN", "--format", "csv", *FAST)
    assert code == 0 and "no results for visits" in err
    assert out.splitlines()[0].split(",")[:3] == ["visit", "start", "end"]
    assert out.splitlines()[1:] == []


def test_a_query_and_a_file_together_are_refused(capsys, tmp_path):
    query = tmp_path / "mine.rq"
    query.write_text("SELECT ?s WHERE { ?s a rkg:State }\n", encoding="utf-8")
    code, out, err = rkg(capsys, "agreements", "--file", str(query), *FAST)
    assert code == 2 and out == ""
    assert "give either a query (name or text) or --file, not both" in err
