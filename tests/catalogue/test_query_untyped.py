"""``rkg query --file my.rq --param state=KZ`` without a header warns that "KZ" is bound as text."""

from __future__ import annotations

from pathlib import Path

from regional_kg.cli import main

QUERY = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
SELECT ?v WHERE { ?v a rkg:Visit ; rkg:hostState ?state }
"""


def _run(capsys, tmp_path: Path, text: str, *params: str) -> tuple[int, str, str]:
    path = tmp_path / "my.rq"
    path.write_text(text, encoding="utf-8")
    args = ["query", "--no-validate", "--file", str(path), "--format", "csv"]
    for p in params:
        args += ["--param", p]
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_an_entity_name_bound_as_a_string_is_warned_about(capsys, tmp_path):
    code, out, err = _run(capsys, tmp_path, QUERY, "state=KZ")
    assert code == 0
    assert "warning: --param state=KZ" in err
    assert 'binds the string "KZ"' in err and "https://w3id.org/regional-kg/id/state/KZ" in err
    assert "# param: state state required" in err
    assert out.strip() == "v"  # the query itself still answers nothing: the string "KZ"


def test_declared_types_and_non_entities_are_not_warned_about(capsys, tmp_path):
    typed = "# param: state state required  The host\n" + QUERY
    code, out, err = _run(capsys, tmp_path, typed, "state=KZ")
    assert code == 0 and "warning" not in err
    # Kazakhstan hosted three visits in the seed article: TM (2017-04), KG (2017-12), TJ (2018-03)
    assert sorted(out.split()[1:]) == [
        "https://w3id.org/regional-kg/id/visit/2017-04-18-tm-kz-state",
        "https://w3id.org/regional-kg/id/visit/2017-12-25-kg-kz-official",
        "https://w3id.org/regional-kg/id/visit/2018-03-14-tj-kz-official",
    ]
    _, _, err = _run(capsys, tmp_path, QUERY, "state=Atlantis")
    assert "warning" not in err
    _, _, err = _run(capsys, tmp_path, QUERY, "state=2017")
    assert "warning" not in err
