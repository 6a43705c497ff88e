"""``rkg query``: listing, showing, formats, and clear errors with exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

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

    code, out, _ = rkg(capsys, *base, "--format", "json")
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
