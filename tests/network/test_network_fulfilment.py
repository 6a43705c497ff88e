"""A planned event that a held event fulfils (rkg:fulfils) is one occasion, so the diplomatic
layers give it one edge, as the meetings and timeline queries show it once.

The fixture (tests/fixtures/network/fulfilment.trig) holds a planned and a held state visit of
Uzbekistan to Kazakhstan and a planned and a held summit of Kazakhstan, Uzbekistan and
Kyrgyzstan. The same graph without its rkg:fulfils links shows the double edges the rule removes.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from regional_kg.build import build
from regional_kg.network import project
from tests.support.network_support import state
from tests.support.paths import FIXTURES

FIXTURE = FIXTURES / "network" / "fulfilment.trig"
KZ, UZ, KG = (state(c) for c in ("KZ", "UZ", "KG"))
RKGD = "https://w3id.org/regional-kg/id/"
HELD_VISIT, PLANNED_VISIT = (
    f"{RKGD}visit/2024-08-08-uz-kz-state",
    f"{RKGD}visit/2024-08-uz-kz-state-planned",
)
HELD_SUMMIT = f"{RKGD}event/2024-08-09-summit"
PLANNED_SUMMIT = f"{RKGD}event/2024-summit-planned"


def _store(path: Path):
    return build([path], store="oxigraph", validate=False, include_curated=False).store


@pytest.fixture(scope="module")
def with_fulfils():
    return _store(FIXTURE)


@pytest.fixture(scope="module")
def without_fulfils(tmp_path_factory):
    text = FIXTURE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "rkg:fulfils" not in line]
    # the line before each removed one ended with " ;": close its statement instead
    cleaned = (
        "\n".join(lines)
        .replace('"2024-08-08"^^xsd:date ;\n', '"2024-08-08"^^xsd:date .\n')
        .replace('"2024-08-09"^^xsd:date ;\n', '"2024-08-09"^^xsd:date .\n')
    )
    path = tmp_path_factory.mktemp("fulfilment") / "no-fulfils.trig"
    path.write_text(cleaned, encoding="utf-8")
    return _store(path)


def _facts(graph, a, b) -> Counter:
    return Counter((d["kind"], d["fact"]) for d in (graph.get_edge_data(a, b) or {}).values())


def test_partners_view_counts_the_held_events_only(with_fulfils):
    graph = project(with_fulfils, ["diplomatic"], "partners")
    assert _facts(graph, KZ, UZ) == {("visit", HELD_VISIT): 1, ("meeting", HELD_SUMMIT): 1}
    assert _facts(graph, KZ, KG) == {("meeting", HELD_SUMMIT): 1}
    assert graph.number_of_edges() == 4  # the visit and three summit pairs


def test_without_the_links_the_planned_events_double_every_edge(without_fulfils):
    graph = project(without_fulfils, ["diplomatic"], "partners")
    assert _facts(graph, KZ, UZ) == {
        ("visit", HELD_VISIT): 1,
        ("visit", PLANNED_VISIT): 1,
        ("meeting", HELD_SUMMIT): 1,
        ("meeting", PLANNED_SUMMIT): 1,
    }
    assert graph.number_of_edges() == 8


def test_actor_view_links_no_actor_to_a_fulfilled_plan(with_fulfils, without_fulfils):
    graph = project(with_fulfils, ["diplomatic"], "actors")
    linked = {v for _, v in graph.edges()} | {u for u, _ in graph.edges()}
    assert PLANNED_VISIT not in linked and PLANNED_SUMMIT not in linked
    # visitor, visiting and host state of the visit; three participating states of the summit
    assert Counter(d["fact"] for _, _, d in graph.edges(data=True)) == {
        HELD_VISIT: 3,
        HELD_SUMMIT: 3,
    }
    unfiltered = project(without_fulfils, ["diplomatic"], "actors")
    assert Counter(d["fact"] for _, _, d in unfiltered.edges(data=True))[PLANNED_VISIT] == 3
