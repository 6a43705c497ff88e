"""rkg synth: deterministic, sized, and a region the real loader builds, validates and queries."""

from __future__ import annotations

import hashlib
import io

import pyoxigraph as ox
import pytest

import regional_kg as rkg
from regional_kg import synth
from regional_kg.catalogue import catalogue
from regional_kg.cli import main
from regional_kg.errors import ParameterError

STATES, YEARS, SEED = 6, 3, 3


def _quads(data: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str, str]]:
    """Quads without blank nodes (their labels are not kept by every parser)."""
    return {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in ox.parse(data, format=fmt)
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def test_same_seed_same_bytes_other_seed_other_bytes():
    first = synth.generate_text(STATES, YEARS, SEED)
    assert synth.generate_text(STATES, YEARS, SEED) == first
    other = synth.generate_text(STATES, YEARS, SEED + 1)
    assert other != first
    assert len(first.splitlines()) > 3000


def test_cli_writes_nquads_and_trig_with_the_same_content(tmp_path, capsys):
    nq, trig = tmp_path / "r.nq", tmp_path / "r.trig"
    assert main(["synth", "--states", "5", "--years", "2", "--seed", "7", "-o", str(nq)]) == 0
    assert "5 states x 2 years" in capsys.readouterr().err
    assert main(["synth", "--states", "5", "--years", "2", "--seed", "7", "-o", str(trig)]) == 0
    quads = _quads(nq.read_bytes(), ox.RdfFormat.N_QUADS)
    assert quads == _quads(trig.read_bytes(), ox.RdfFormat.TRIG)
    total = sum(1 for _ in ox.parse(nq.read_bytes(), format=ox.RdfFormat.N_QUADS))
    assert total == nq.read_text(encoding="utf-8").count("\n")
    graphs = {q[3] for q in quads}
    assert graphs == {
        "<https://w3id.org/regional-kg/graph/synthetic/entities>",
        "<https://w3id.org/regional-kg/graph/synthetic/2019>",
        "<https://w3id.org/regional-kg/graph/synthetic/2020>",
    }


#: sha256 of the output as written before the generator was split into helpers (issue #10):
#: a refactoring of synth.py must keep the bytes; a deliberate change of the output updates these.
GOLDEN = {
    (5, 3, 7, "nq"): "f20810a5b94cdce45b33b0fac45bc9a8d0c17f63d92039e8cb78a6a3d305bb62",
    (5, 3, 7, "trig"): "d5476f66acc0f74cea6f3d676ce2b4d7cffaf668825c10e3bbd1581fc2472d45",
    (2, 2, 5, "nq"): "f82bacff8766114c9c631ac03386702a205859006c59199bf8724223073bb9d2",
    (20, 4, 0, "nq"): "38eaf6e98fb7d7eccbee2824bccb383c4c362254d6ab13fc027f69ea178846fb",
}


@pytest.mark.parametrize("case", sorted(GOLDEN))
def test_output_bytes_are_pinned(case):
    states, years, seed, fmt = case
    text = synth.generate_text(states, years, seed, fmt)
    assert hashlib.sha256(text.encode()).hexdigest() == GOLDEN[case]


def test_twenty_thousand_triples_is_the_pinned_size():
    assert synth.size_for(20000) == (20, 4)


@pytest.mark.parametrize("target", [10_000, 100_000])
def test_triples_option_reaches_about_the_asked_size(target):
    states, years = synth.size_for(target)
    stats = synth.generate(io.StringIO(), states, years, 0)
    assert 0.8 * target <= stats.triples <= 1.2 * target


def test_size_for_large_targets_stays_in_the_code_space():
    states, years = synth.size_for(10_000_000)
    assert states <= synth.MAX_STATES
    estimate = states * years * synth.TRIPLES_PER_STATE_YEAR + states * synth.TRIPLES_PER_STATE
    assert 0.9e7 <= estimate <= 1.1e7


def test_codes_never_clash_with_real_states():
    assert not {"KZ", "KG", "TJ", "TM", "UZ", "RU", "CN", "US", "EU", "UN"} & set(synth.CODES)
    assert all(len(c) == 2 and c.isupper() for c in synth.CODES)


def test_bad_sizes_are_user_errors(tmp_path, capsys):
    with pytest.raises(ParameterError, match="--states"):
        synth.generate(io.StringIO(), 1, 3)
    out = tmp_path / "x.nq"
    assert main(["synth", "--triples", "5000", "--states", "4", "-o", str(out)]) == 2
    assert "not both" in capsys.readouterr().err
    assert not out.exists()
    assert main(["synth", "--states", "4", "-o", str(tmp_path / "missing" / "x.nq")]) == 2
    assert "cannot write" in capsys.readouterr().err


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "region.nq"
    synth.write_file(path, STATES, YEARS, SEED)
    return rkg.build([path], store="oxigraph", validate=True)


def test_builds_through_the_real_loader_and_conforms(built):
    assert built.report is not None and built.report.conforms
    assert not built.report.violations
    counts = {str(g).rsplit("/", 1)[1]: n for g, n in built.counts.items()}
    assert counts["entities"] > 300 and counts["2020"] > 1000


def test_every_catalogue_query_returns_rows(built):
    params = synth.catalogue_params(built.store)
    names = [spec.name for spec in catalogue()]
    assert set(names) <= set(params), f"no synthetic parameters for {set(names) - set(params)}"
    empty = [n for n in names if not len(rkg.run_query(built.store, n, params[n]))]
    # a synthetic region has no conflicting claims (nor has the seed graph): conflicts is empty
    # exactly when the store holds no contested fact
    contested = built.store.ask(
        "ASK { ?f <https://w3id.org/regional-kg/ontology#contested> true }"
    )
    assert empty == ([] if contested else ["conflicts"])


def test_facts_cite_synthetic_documents_with_paragraphs(built):
    rows = built.store.select(
        """PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
        SELECT (COUNT(*) AS ?n) (MIN(?p) AS ?lo) WHERE {
          ?fact a rkg:Visit ; prov:qualifiedDerivation [ prov:entity ?doc ; rkg:paragraph ?p ] .
          FILTER(STRSTARTS(STR(?doc), "https://w3id.org/regional-kg/id/doc/synthetic-"))
        }"""
    ).rows[0]
    assert int(rows["n"]) == STATES * YEARS * 2  # two visits per state and year, each cited
    assert int(rows["lo"]) >= 1
