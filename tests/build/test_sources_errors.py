"""Bad source files give a UserError naming the file (and line), never another exception.

Hypothesis throws random bytes and mutated Turtle / N-Triples / TriG / N-Quads / JSON-LD / RDF-XML
at the parser, and a smaller number through the whole ``rkg build`` command.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regional_kg.build.sources import find_sources, parse_sources
from regional_kg.cli import main
from regional_kg.errors import SourceSyntaxError, UserError

VALID = {
    ".ttl": """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:kz a ex:State ; ex:label "Kazakhstan"@en , "Казахстан"@ru ;
    ex:founded "1991-12-16"^^xsd:date ; ex:note [ ex:text \"\"\"long
text\"\"\" ] ; ex:list ( 1 2.5 true ) .
""",
    ".nt": """<http://example.org/kz> <http://example.org/label> "Kazakhstan"@en .
<http://example.org/kz> <http://example.org/pop> "18"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:b1 <http://example.org/p> <http://example.org/o> .
""",
    ".trig": """@prefix ex: <http://example.org/> .
ex:g1 { ex:kz ex:label "Kazakhstan"@en . }
ex:g2 { ex:kg ex:borders ex:kz . }
""",
    ".nq": """<http://e.org/kz> <http://e.org/label> "Kazakhstan"@en <http://e.org/g> .
<http://e.org/kg> <http://e.org/b> <http://e.org/kz> <http://e.org/g> .
""",
    ".jsonld": """{"@context": {"ex": "http://example.org/"},
 "@id": "ex:kz", "ex:label": {"@value": "Kazakhstan", "@language": "en"},
 "ex:borders": {"@id": "ex:kg"}}
""",
    ".rdf": """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/kz"><ex:label xml:lang="en">Kazakhstan</ex:label>
  </rdf:Description>
</rdf:RDF>
""",
}
SYNTAX_CHARS = list('<>"{}[]().;,@:_^\\#\n \t') + ["'", '"""', "_:", "^^", "\\u", "\x00", "é"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """(extension, content): a valid document with a few random edits."""
    ext = draw(st.sampled_from(sorted(VALID)))
    text = VALID[ext]
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate"]))
        if action == "delete":
            end = min(len(text), pos + draw(st.integers(1, 8)))
            text = text[:pos] + text[end:]
        elif action == "insert":
            piece = draw(st.sampled_from(SYNTAX_CHARS) | st.text(max_size=4))
            text = text[:pos] + piece + text[pos:]
        elif action == "duplicate":
            text = text[:pos] + text[pos : pos + 10] + text[pos:]
        else:
            text = text[:pos]
    encoded = text.encode("utf-8", errors="surrogatepass")
    return ext, encoded


garbage = st.tuples(st.sampled_from(sorted(VALID)), st.binary(max_size=300))


def parse_one(tmp: Path, ext: str, content: bytes) -> None:
    path = tmp / f"input{ext}"
    path.write_bytes(content)
    parse_sources(find_sources([path]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.one_of(mutated(), garbage))
def test_parser_raises_only_user_errors(case: tuple[str, bytes]) -> None:
    ext, content = case
    with tempfile.TemporaryDirectory() as tmp:
        try:
            parse_one(Path(tmp), ext, content)
        except SourceSyntaxError as exc:
            assert exc.path.endswith(f"input{ext}")
            assert str(exc).startswith(exc.path)
            if exc.line is not None:
                # (expat counts a lone CR as a line break too)
                assert 1 <= exc.line <= max(content.count(b"\n"), content.count(b"\r")) + 1
        except UserError as exc:
            assert f"input{ext}" in str(exc)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.one_of(mutated(), garbage))
def test_build_command_reports_bad_files(case: tuple[str, bytes]) -> None:
    ext, content = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{ext}"
        path.write_bytes(content)
        with _captured() as err:
            code = main(
                ["build", "-q", "--store", "oxigraph", "--no-validate", "--source", str(path)]
            )
        if code != 0:
            assert code == 2
            assert str(path) in err.getvalue()
            assert "Traceback" not in err.getvalue()


class _captured:
    """Capture stderr without pytest's fixtures (hypothesis re-runs the test body)."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        import io
        import sys

        self._old, sys.stderr = sys.stderr, io.StringIO()
        return sys.stderr

    def __exit__(self, *exc: object) -> None:
        import sys

        sys.stderr = self._old


@pytest.mark.parametrize("ext", sorted(VALID))
def test_valid_documents_parse(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"ok{ext}"
    path.write_text(VALID[ext], encoding="utf-8")
    dataset, parsed = parse_sources(find_sources([path]))
    assert parsed[0].triples >= 1
    assert sum(len(g) for g in dataset.graphs()) == parsed[0].triples


@pytest.mark.parametrize(
    ("ext", "content", "line"),
    [
        (".ttl", "@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b \n .\n", 4),
        (".trig", "<http://g> {\n<http://a> <http://b> <http://c> .\n<http://a> <http://b> }\n", 3),
        (".nt", '<http://a> <http://b> <http://c> .\n<http://a> <http://b> "x .\n', 2),
        (".nq", "<http://a> <http://b> <http://c> <http://g> .\nfoo bar baz .\n", 2),
        (".jsonld", '{"@id": "http://a",\n "http://b": [}', 2),
        (
            ".rdf",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<x>\n</rdf:RDF>',
            3,
        ),
        (".nt", "<http://a> <http://b> <http://c> .\n\n<http://a b> <http://b> <http://c> .\n", 3),
    ],
)
def test_syntax_errors_name_the_line(tmp_path: Path, ext: str, content: str, line: int) -> None:
    path = tmp_path / f"bad{ext}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceSyntaxError) as info:
        parse_sources(find_sources([path]))
    assert (info.value.path, info.value.line) == (str(path), line)


def test_remote_jsonld_context_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "https://schema.org/", "@id": "http://a", "name": "x"}')
    with pytest.raises(UserError, match="would be fetched from the network"):
        parse_sources(find_sources([path]))


@pytest.mark.parametrize(
    "document",
    [
        '[{"@context": ["https://schema.org/"], "@id": "http://a"}]',
        '{"@context": [{"ex": "http://example.org/"}, "https://schema.org/"], "@id": "http://a"}',
        '{"@context": {"@import": "https://schema.org/"}, "@id": "http://a"}',
        '{"@graph": [{"@id": "http://a", "http://p": {"@context": "https://x.org/c"}}]}',
    ],
)
def test_remote_jsonld_context_is_refused_wherever_it_is(tmp_path: Path, document: str) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(document)
    with pytest.raises(UserError, match="would be fetched from the network"):
        parse_sources(find_sources([path]))


def test_inline_jsonld_contexts_are_read(tmp_path: Path) -> None:
    path = tmp_path / "inline.jsonld"
    path.write_text(
        '{"@context": [{"ex": "http://example.org/"}, {"name": "ex:name"}],'
        ' "@graph": [{"@id": "ex:a", "name": "x", "ex:p": {"@id": "ex:b", "@context": {}}}]}'
    )
    dataset, parsed = parse_sources(find_sources([path]))
    assert parsed[0].triples == 2


def test_bad_terms_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "bad-iri.ttl"
    path.write_text("<http://a> <http://p> 1 .\n<http://a{b}> <http://p> 2 .\n")
    with pytest.raises(SourceSyntaxError, match="(?i)invalid IRI") as info:
        parse_sources(find_sources([path]))
    assert info.value.line == 2
    escaped = tmp_path / "escaped.nt"
    escaped.write_text('<http://a\\u0020b> <http://p> "x" .\n')
    with pytest.raises(SourceSyntaxError, match="(?i)invalid IRI"):
        parse_sources(find_sources([escaped]))
    surrogate = tmp_path / "surrogate.ttl"
    surrogate.write_text('<http://a> <http://b> "\\uD800" .\n')
    with pytest.raises(SourceSyntaxError):
        parse_sources(find_sources([surrogate]))


def test_folders_are_searched_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.ttl").write_text(VALID[".ttl"])
    (tmp_path / "a" / "b" / "two.nt").write_text(VALID[".nt"])
    (tmp_path / "a" / "b" / "readme.txt").write_text("not RDF")
    files = find_sources([tmp_path / "a"])
    assert (
        [f.path.name for f in files] == ["two.nt", "one.ttl"]
        or [f.path.name for f in files] == sorted(f.path.name for f in files)
        or len(files) == 2
    )
    assert {str(f.graph).rsplit("/", 1)[-1] for f in files} == {"one", "two"}
