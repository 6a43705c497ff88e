"""``rkg centrality`` on the curated graph, exports for Gephi/Cytoscape, charts, every store."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from regional_kg.build import build
from regional_kg.cli import main
from regional_kg.errors import ParameterError
from regional_kg.network import centrality, export_network, project
from tests.support.network_support import fixture_store, rounded, state

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def curated():
    """The shipped curated graph (validation is the loader's business, tested elsewhere)."""
    return build(store="oxigraph", validate=False).store


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["centrality", "--no-validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_kazakhstan_partners_by_2017_trade_on_the_curated_graph(curated):
    rows = centrality(curated, ["trade"], ego="KZ", year=2017)
    assert [row["label"] for row in rows] == [
        "Uzbekistan",
        "Tajikistan",
        "Kyrgyzstan",
        "Turkmenistan",
    ]
    assert [row["trade_usd_million"] for row in rows] == pytest.approx([1980, 776.3, 758.4, 99.2])
    assert all(row["sources"] >= 1 and row["relations"] == {"turnover": 1} for row in rows)


def test_curated_graph_answers_who_is_central(curated):
    rows = centrality(curated, None, ["pagerank", "degree"])
    assert rows[0]["iso"] == "KZ"  # the source is Kazakhstan's foreign ministry's view
    assert rows[0]["relations"]["turnover"] >= 12
    assert all(row["facts"] >= 1 for row in rows)
    actors = centrality(curated, None, ["degree"], "actors", top=5)
    assert len(actors) == 5 and {row["kind"] for row in actors} >= {"State"}


def test_cli_ego_table_csv_json_md(capsys):
    code, out, err = run(capsys, "--layer", "trade", "--ego", "KZ", "--year", "2017")
    assert code == 0, err
    lines = out.splitlines()
    assert "partners of Kazakhstan" in lines[0]
    assert [line.split()[2] for line in lines[3:]] == ["UZ", "TJ", "KG", "TM"]

    code, out, _ = run(
        capsys, "--layer", "trade", "--ego", "KZ", "--year", "2017", "--format", "csv"
    )
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["iso"] for r in table] == ["UZ", "TJ", "KG", "TM"]
    assert float(table[1]["tie"]) == pytest.approx(776.3 / 1980)
    assert table[0]["relations"] == "turnover=1"

    code, out, _ = run(
        capsys, "--layer", "trade", "--ego", "KZ", "--year", "2017", "--format", "json"
    )
    data = json.loads(out)
    assert [r["iso"] for r in data] == ["UZ", "TJ", "KG", "TM"]
    assert data[0]["trade_usd_million"] == pytest.approx(1980)

    code, out, _ = run(capsys, "--layer", "trade", "--compare", "2016:2017", "--format", "md")
    assert code == 0
    assert "| rank | label | iso |" in out and "strength:change" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ego", "Kazakstan"], "unknown state 'Kazakstan'; did you mean Kazakhstan"),
        (["--layer", "trad"], "unknown layer 'trad'; did you mean trade"),
        (["--measure", "pagrank"], "unknown measure 'pagrank'; did you mean pagerank"),
        (["--view", "states"], "unknown view 'states'"),
        (["--layer-weight", "trade"], "expected LAYER=NUMBER"),
        (["--year", "2017", "--since", "2016"], "either --year or --since/--until"),
        (["--chart", "out.svg"], "PNG"),
    ],
)
def test_cli_errors_are_clear(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_cli_chart_writes_a_png(capsys, tmp_path):
    target = tmp_path / "central.png"
    code, _, err = run(capsys, "--year", "2017", "--chart", str(target))
    assert code == 0, err
    data = target.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 1000
    target = tmp_path / "ego.png"
    code, _, _ = run(capsys, "--layer", "trade", "--ego", "KZ", "--chart", str(target))
    assert target.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_keeps_every_edge_and_its_attributes(tmp_path, fmt):
    store = fixture_store("oxigraph")
    graph = project(store, None, "partners")
    path = export_network(graph, fmt, tmp_path / f"net.{fmt}")
    back = nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_edges() == graph.number_of_edges() == 21
    assert back.number_of_nodes() == 5
    kz, uz = state("KZ"), state("UZ")
    original = graph.get_edge_data(kz, uz)
    reread = back.get_edge_data(kz, uz)
    assert set(reread) == set(original)  # MultiGraph keys (layer/kind/fact) kept
    for key, data in original.items():
        for attr in ("layer", "kind", "fact"):
            assert reread[key][attr] == data[attr]
        assert float(reread[key]["weight"]) == pytest.approx(data["weight"])
        assert reread[key]["date"] == (data["date"] or "")
    assert back.nodes[kz]["label"] == "Kazakhstan"
    assert back.nodes[kz]["iso"] == "KZ"


def test_export_rejects_an_unknown_format(tmp_path):
    with pytest.raises(ParameterError, match="graphml, gexf"):
        export_network(nx.MultiGraph(), "dot", tmp_path / "x.dot")
    assert list(tmp_path.iterdir()) == []


def test_same_results_from_the_remote_store(oxigraph_server):
    oxigraph_server.clear()
    remote = fixture_store(oxigraph_server.spec(update=True, store=True))
    local = fixture_store("oxigraph")
    for kwargs in (
        {"layers": None, "measures": ["pagerank", "betweenness", "strength"]},
        {"layers": None, "view": "actors", "measures": ["degree", "closeness"], "year": 2017},
        {"layers": ["trade"], "ego": "KZ", "year": 2017},
    ):
        assert rounded(centrality(remote, **kwargs)) == rounded(centrality(local, **kwargs))
    oxigraph_server.clear()


def test_rkg_export_writes_the_network_for_gephi(capsys, tmp_path):
    target = tmp_path / "trade.gexf"
    args = ["export", "--no-validate", "--format", "gexf", "--layer", "trade", "--year", "2017"]
    code = main([*args, "-o", str(target)])
    _, err = capsys.readouterr()
    assert code == 0, err
    graph = nx.read_gexf(target)
    assert graph.number_of_edges() == 4  # KZ's four 2017 turnover figures with its neighbours
    assert {d["layer"] for _, _, d in graph.edges(data=True)} == {"trade"}
    code = main(["export", "--no-validate", "--format", "graphml", "--layer", "treaty"])
    out, _ = capsys.readouterr()
    assert code == 0 and out.startswith("<?xml") and "agreement" in out
