"""The public Python API: every name in ``regional_kg.__all__`` resolves, and the four-step
notebook path (build, query, centrality, page) gives real answers from the curated graph."""

import regional_kg as rkg


def test_every_public_name_resolves() -> None:
    for name in rkg.__all__:
        assert getattr(rkg, name) is not None, name


def test_notebook_path_on_the_curated_graph(curated_oxigraph) -> None:
    rows = rkg.run_query(curated_oxigraph, "agreements", {"state": "KZ", "partner": "KG"})
    names = {row["name"] for row in rows.as_python()}
    assert (
        "Agreement on the Demarcation of the Kazakh-Kyrgyz State Border between the Republic of "
        "Kazakhstan and the Kyrgyz Republic" in names
    )
    ranking = rkg.centrality(curated_oxigraph, ["trade"], year=2017, ego="KZ")
    assert [row["label"] for row in ranking] == [
        "Uzbekistan",
        "Tajikistan",
        "Kyrgyzstan",
        "Turkmenistan",
    ]
    graph = rkg.project(curated_oxigraph, ["trade"], year=2017)
    assert graph.number_of_edges() == 4
    html = rkg.render_network(graph)
    assert "Uzbekistan" in html and "https://" not in html.split("<body", 1)[0].lower()
