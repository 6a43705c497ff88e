"""How a remote load cuts N-Triples into ``INSERT DATA`` chunks (:func:`_nt_chunks`): a blank
node means one node only inside one request, so every line that mentions it, through any chain
of shared blank nodes, goes into the same chunk; other lines stream in order."""

from __future__ import annotations

from rdflib import URIRef

from regional_kg.stores.remote import _nt_chunks

G1, G2 = URIRef("urn:g1"), URIRef("urn:g2")


def test_lines_without_blank_nodes_stream_in_chunks_of_the_size() -> None:
    lines = [f"<urn:s{i}> <urn:p> <urn:o> ." for i in range(5)]
    chunks = list(_nt_chunks([(G1, ["# a comment", "", *lines])], 2))
    assert chunks == [{G1: lines[0:2]}, {G1: lines[2:4]}, {G1: lines[4:5]}]


def test_lines_joined_by_blank_nodes_stay_in_one_chunk_across_graphs() -> None:
    a = "_:a <urn:p> _:b ."
    b = "<urn:s> <urn:p> _:b ."
    c = "_:c <urn:p> <urn:o> ."
    d = '_:a <urn:q> "not _:c, a literal" .'
    plain = [f"<urn:s{i}> <urn:p> <urn:o> ." for i in range(3)]
    graphs = [(G1, [a, plain[0], c, plain[1]]), (G2, [b, d, plain[2]])]
    chunks = list(_nt_chunks(graphs, 2))
    # the plain lines first, as they come; then the group {a, b, d} whole (larger than the
    # size) and {c} on its own
    assert chunks == [
        {G1: plain[0:2]},
        {G2: [plain[2]]},
        {G1: [a], G2: [b, d]},
        {G1: [c]},
    ]
