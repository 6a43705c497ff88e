"""Spot checks of the first web source: nCa's report of the fifth Consultative Meeting (2023)."""

from __future__ import annotations

from rdflib import URIRef

from regional_kg.catalogue import run_query

D = "https://w3id.org/regional-kg/id/"
MEETING = D + "event/2023-09-14-ca-heads-of-state-meeting"


def test_the_dushanbe_meeting_with_its_chair_and_guest(full_graph_store):
    rows = [r for r in run_query(full_graph_store, "meetings", {"state": "TJ"})
            if str(r["meeting"]) == MEETING]
    assert {str(r["start"]) for r in rows} == {"2023-09-14"}
    assert {str(r["locationName"]) for r in rows} == {"Dushanbe"}
    roles = {(str(r["participantName"]), str(r["role"]).rsplit("/", 1)[1]) for r in rows}
    assert roles == {
        ("Emomali Rahmon", "chair"),
        ("Kassym-Jomart Tokayev", "president"),
        ("Sadyr Japarov", "president"),
        ("Serdar Berdimuhamedov", "president"),
        ("Shavkat Mirziyoyev", "president"),
        ("Ilham Aliyev", "president"),
        ("Kakha Imnadze", "representative"),
    }


def test_five_documents_adopted_and_four_named(full_graph_store):
    result = full_graph_store.select(
        """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
        PREFIX schema: <https://schema.org/>
        SELECT ?a ?name WHERE { ?a rkg:occasion ?m ; schema:name ?name .
          FILTER NOT EXISTS { ?a a rkg:AgreementGroup } }""",
        {"m": URIRef(MEETING)},
    )
    names = sorted(str(r["name"]) for r in result)
    assert names == [
        "Agreement between the Central Asian countries on general directions of youth policy",
        "Agreement on Strengthening the Interconnectedness of Land Transport in Central Asia",
        "Joint statement of the Heads of State",
        "Regulations on the Council of National Coordinators for Consultative Meetings of the "
        "Heads of Central Asian States",
        "Roadmap to Support Health and Well-being in Central Asia for 2022-2025",
    ]
