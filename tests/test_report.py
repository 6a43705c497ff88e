"""``rkg report``: every part written, answers equal to the catalogue's, links resolve, escaped,
offline, atomic; the network page draws exactly the projection (in headless Chromium)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from regional_kg.build import build
from regional_kg.catalogue import run_query
from regional_kg.cli import main
from regional_kg.errors import ParameterError
from regional_kg.network import centrality, project
from regional_kg.report import KEY_QUERIES, validation_text, write_report
from tests.support.browser import ARTIFACTS, browser, open_page, wait_for  # noqa: F401

PROBE = "<img src=x onerror=alert(1)>"
PROBE_TTL = f"""
@prefix rkg: <https://w3id.org/regional-kg/ontology#> .
@prefix schema: <https://schema.org/> .
<https://w3id.org/regional-kg/id/doc/probe> a rkg:SourceDocument ;
    schema:name "{PROBE}" ; rkg:paragraphCount 1 .
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    probe = tmp_path_factory.mktemp("src") / "probe.ttl"
    probe.write_text(PROBE_TTL, encoding="utf-8")
    return build([probe], store="oxigraph")


@pytest.fixture(scope="module")
def report(built, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("out") / "report"
    return write_report(out, store=built.store, validation=validation_text(built))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_part_is_written(report):
    names = {str(p.relative_to(report.out_dir)) for p in report.files}
    assert {
        "index.html",
        "network.html",
        "network-trade-2017.html",
        "network-actors.html",
        "centrality-network.csv",
        "centrality-network.png",
        "centrality-network-trade-2017.csv",
    } <= names
    assert {f"queries/{name}.csv" for name, _, _ in KEY_QUERIES} <= names
    assert all(p.is_file() for p in report.files)
    assert [a.name for a in report.answers if a.error] == []
    assert (
        report.out_dir.joinpath("centrality-network.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    )
    # nothing left beside the report (the temporary folder was moved into place)
    assert sorted(p.name for p in report.out_dir.parent.iterdir()) == ["report"]


def test_answers_equal_the_catalogue(report, built):
    for name, params, _ in KEY_QUERIES:
        direct = run_query(built.store, name, params)
        rows = _read_csv(report.out_dir / "queries" / f"{name}.csv")
        assert len(rows) == len(direct), name
        assert list(rows[0]) == direct.variables if rows else True
    partners = _read_csv(report.out_dir / "queries" / "partners.csv")
    assert partners, "Kazakhstan has partners in the curated graph"


def test_centrality_matches_the_network_module(report, built):
    rows = _read_csv(report.out_dir / "centrality-network.csv")
    direct = centrality(built.store, None, None, "partners")
    assert [r["label"] for r in rows] == [r["label"] for r in direct]
    trade = _read_csv(report.out_dir / "centrality-network-trade-2017.csv")
    direct_trade = centrality(built.store, ["trade"], None, "partners", year=2017)
    assert [r["node"] for r in trade] == [r["node"] for r in direct_trade]
    part = report.networks[0]
    graph = project(built.store, None, "partners")
    assert (part.nodes, part.edges) == (graph.number_of_nodes(), graph.number_of_edges())
    assert f"{direct[0]['label']} (" in report.summary()


def test_index_is_escaped_offline_and_links_resolve(report):
    index = report.index.read_text(encoding="utf-8")
    assert PROBE not in index and "&lt;img src=x onerror=alert(1)&gt;" in index
    assert "<script" not in index  # the index needs no script at all
    refs = re.findall(r"""(?:href|src)=['"]([^'"]+)['"]""", index)
    assert refs
    for ref in refs:
        if ref.startswith(("#", "data:")):
            continue
        assert not urlparse(ref).scheme, f"remote or absolute reference: {ref}"
        assert (report.out_dir / unquote(ref)).is_file(), ref
    assert "SHACL validation: conforms" in index
    assert "Central Asia: New Stage for Strengthening of Regional Partnership and Trust" in index


def test_failed_run_leaves_the_previous_report(report, built, tmp_path):
    out = tmp_path / "kept"
    first = write_report(out, store=built.store)
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(ParameterError):
        write_report(out, store=built.store, top=0)  # fails after the query answers are written
    assert sorted(p.name for p in out.iterdir()) == before
    assert first.index.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept"]


def test_cli_report_and_viz(tmp_path, capsys):
    assert main(["report", "-o", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert "Report written to" in out and "top partners by" in out
    assert (tmp_path / "r" / "index.html").is_file()
    page = tmp_path / "trade.html"
    args = ["viz", "--layer", "trade", "--year", "2017", "--top", "3", "-o", str(page)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "3 nodes" in out and "Showing the top 3 of 5 nodes" in out
    assert "Showing the top 3 of 5 nodes" in page.read_text(encoding="utf-8")
    assert main(["viz", "--size-by", "fame", "-o", str(tmp_path / "x.html")]) == 2
    assert main(["viz", "--layer", "gossip", "-o", str(tmp_path / "y.html")]) == 2
    assert main(["viz", "-o", str(tmp_path / "z.txt")]) == 2
    err = capsys.readouterr().err
    assert "unknown measure 'fame'" in err and "unknown layer 'gossip'" in err
    assert "Traceback" not in err
    assert not any((tmp_path / n).exists() for n in ("x.html", "y.html", "z.txt"))


def test_report_in_the_browser(browser, report, built):  # noqa: F811
    """Links resolve, the network page is offline and quiet and draws exactly the projection."""
    log = open_page(browser, report.index, wait_stable=False)
    try:
        hrefs = log.page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        files = [h for h in hrefs if "#" not in h]
        assert len(files) >= 2 + len(KEY_QUERIES)
        for href in files:
            assert href.startswith("file://"), href
            assert Path(unquote(urlparse(href).path)).is_file(), href
        assert log.dialogs == [] and log.console_errors == [] and log.page_errors == []
        assert log.foreign_requests(report.index) == []
    finally:
        log.page.context.close()

    network = report.out_dir / "network.html"
    log = open_page(browser, network)
    try:
        page = log.page
        graph = project(built.store, None, "partners")
        assert sorted(page.evaluate("rkg.nodes.getIds()")) == sorted(graph.nodes)
        drawn = page.evaluate(
            "rkg.edges.get().filter(e => !e.aggregate).map(e => [e.from, e.to, e.layer])"
        )
        want = Counter((*sorted((u, v)), d["layer"]) for u, v, d in graph.edges(data=True))
        assert Counter((*sorted(e[:2]), e[2]) for e in drawn) == want
        # the partners view opens with each pair's relations of a layer folded into one edge
        assert page.evaluate("rkg.network.body.edgeIndices.length") == len(want)
        page.evaluate("rkg.setCollapsed(false)")
        assert page.evaluate("rkg.network.body.edgeIndices.length") == graph.number_of_edges()
        # every relation's tooltip (a DOM element) names the fact's source document and paragraph
        sourced = page.evaluate(
            "rkg.edges.get().filter(e => !e.aggregate && "
            "/Source.*Central Asia: New Stage.*, paragraphs? \\d+/"
            ".test(e.title.textContent)).length"
        )
        assert sourced == graph.number_of_edges()
        assert log.console_errors == [] and log.page_errors == []
        assert log.foreign_requests(network) == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-network.png"))
    finally:
        page.context.close()
