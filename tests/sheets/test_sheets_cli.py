"""End to end through the real ``rkg`` command (a subprocess): a press-release sheet builds,
its visit shows in ``rkg query timeline`` and ``rkg query visits``, and bad sheets stop the
build with their line.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from rdflib import Dataset, URIRef

from tests.support.graphs import full_graph_env
from tests.support.paths import FIXTURES

SHEETS = FIXTURES / "sheets"
RELEASE = SHEETS / "akorda-2021-12-06-mirziyoyev-state-visit.yaml"
VISIT = "https://w3id.org/regional-kg/id/visit/2021-12-06-uz-kz-state"


def rkg(*args: str) -> subprocess.CompletedProcess:
    with full_graph_env():  # Tokayev is in the 2023 web source, outside the seed graph
        return subprocess.run(
            [sys.executable, "-m", "regional_kg.cli", *args],
            capture_output=True,
            text=True,
            timeout=300,
        )


def rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> str:
    store = f"oxigraph:{tmp_path_factory.mktemp('sheet-store') / 'kg'}"
    result = rkg("build", "--source", str(RELEASE), "--store", store)
    assert result.returncode == 0, result.stderr
    assert "rkgg:akorda-2021-12-06-mirziyoyev-state-visit" in result.stdout
    assert "validation: conforms" in result.stdout
    return store


def test_built_sheet_visit_in_visits_query(built):
    result = rkg(
        "query", "visits", "--param", "state=Uzbekistan", "--store", built, "--format", "csv"
    )
    assert result.returncode == 0, result.stderr
    (row,) = [r for r in rows(result.stdout) if r["visit"] == VISIT]
    assert row == {
        "visit": VISIT,
        "start": "2021-12-06",
        "end": "2021-12-06",
        "role": "by",
        "visitor": "https://w3id.org/regional-kg/id/person/shavkat-mirziyoyev",
        "visitorName": "Shavkat Mirziyoyev",
        "visitingState": "https://w3id.org/regional-kg/id/state/UZ",
        "hostState": "https://w3id.org/regional-kg/id/state/KZ",
        "type": "https://w3id.org/regional-kg/concept/visit-type/state",
        "location": "https://w3id.org/regional-kg/id/place/astana",
        "locationName": "Astana",
        "occasion": "",
        "occasionName": "",
    }


def test_built_sheet_visit_in_timeline(built):
    result = rkg(
        "query", "timeline", "--param", "state=KZ", "--param", "from=2021-12",
        "--param", "to=2021-12", "--store", built, "--format", "csv",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # the sheet's three facts are there (curated documents of the same visit may add more: the
    # visit itself is one node, whoever reports it)
    assert {(r["date"], r["kind"], r["item"]) for r in rows(result.stdout)} >= {
        (
            "2021-12-06",
            "agreement",
            "https://w3id.org/regional-kg/id/agreement/2021-12-06-kz-uz-declaration-allied-relations",
        ),
        ("2021-12-06", "meeting", "https://w3id.org/regional-kg/id/event/2021-12-06-kz-uz-meeting"),
        ("2021-12-06", "visit", VISIT),
    }


def test_sheet_check_and_to_rdf():
    result = rkg("sheet", "check", str(SHEETS))
    assert result.returncode == 0, result.stderr
    assert f"{RELEASE}: ok, 3 facts" in result.stdout
    result = rkg("sheet", "to-rdf", str(RELEASE))
    assert result.returncode == 0, result.stderr
    dataset = Dataset()
    dataset.parse(data=result.stdout, format="trig")
    graph = dataset.graph(
        URIRef("https://w3id.org/regional-kg/graph/akorda-2021-12-06-mirziyoyev-state-visit")
    )
    assert (URIRef(VISIT), None, None) in graph
    assert "visit:2021-12-06-uz-kz-state a rkg:Visit" in result.stdout


def test_build_refuses_a_draft_and_names_the_line(tmp_path):
    text = RELEASE.read_text(encoding="utf-8").replace(
        "    paragraphs: [5]\n", "    paragraphs: [5]\n    status: draft\n    cue: turnover\n"
    )
    sheet = tmp_path / "draft.yaml"
    sheet.write_text(text, encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "status: draft" in x)
    result = rkg("build", "--source", str(tmp_path), "--store", "memory")
    assert result.returncode == 2
    assert (
        f"{sheet}:{line}: facts[2].status: a draft trade fact (drafted from 'turnover')"
        in result.stderr
    )
    result = rkg("sheet", "check", "--allow-drafts", str(sheet))
    assert result.returncode == 0, result.stderr


def test_check_reports_every_bad_sheet(tmp_path):
    good = RELEASE.read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(good.replace("visitor: Mirziyoyev", "visitor: Mirziyoyeff"))
    (tmp_path / "b.yaml").write_text(good.replace("paragraphs: [5]", "paragraphs: [7]"))
    result = rkg("sheet", "check", str(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "a.yaml:" in lines[0] and "facts[0].visitor: no entity called 'Mirziyoyeff'" in lines[0]
    assert "b.yaml:" in lines[1] and "paragraph 7 is outside the document" in lines[1]


def test_from_rdf_writes_a_sheet_that_checks(tmp_path):
    out = tmp_path / "nca.yaml"
    result = rkg("sheet", "from-rdf", "nca-2023-09-15-fifth-consultative-meeting", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "  id: event/2023-09-14-ca-heads-of-state-meeting\n" in text
    result = rkg("sheet", "check", str(out))
    assert result.returncode == 0, result.stderr
    assert f"{out}: ok, 9 facts, 314 triples" in result.stdout  # the two claims too
    result = rkg("sheet", "from-rdf", "no-such-document")
    assert result.returncode == 2
    assert "no source document doc/no-such-document in the graph" in result.stderr
