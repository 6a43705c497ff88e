"""Find RDF source files and parse them into one rdflib ``Dataset``, each in its named graph.

Why named graphs per file: provenance stays queryable (which file said what), and a file can be
dropped or replaced as a unit. Quad formats (TriG, N-Quads, JSON-LD with ``@graph`` names) keep
the graphs they name; triples outside any graph, and every triple of a triples-only format, go to
the file's own graph: ``rkgg:ontology`` for the shipped ontology, ``rkgg:<stem>`` for the shipped
graph folder, ``rkgg:source/<slug>`` for user files.

Every failure is a :class:`~regional_kg.errors.UserError` naming the file (and the line, for
syntax errors); nothing is fetched from the network (remote JSON-LD contexts are refused).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from regional_kg.errors import SourceError, SourceSyntaxError, UserError
from regional_kg.namespaces import ONTOLOGY_GRAPH, RKGG
from regional_kg.resources import graph_dir, ontology_dir
from regional_kg.sheets import compile_sheet
from regional_kg.stores.base import QueryError as StoreQueryError
from regional_kg.stores.oxigraph import to_rdflib
from regional_kg.terms import compact

#: File extension → rdflib parser name.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".yaml": "sheet",  # a sheet (docs/sheets.md), compiled to RDF by regional_kg.sheets
    ".yml": "sheet",
}
QUAD_FORMATS = {"trig", "nquads", "json-ld"}

#: Above this many bytes of input, progress lines go to stderr even without a callback.
PROGRESS_THRESHOLD = 5_000_000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SourceFile:
    """One file to read, and the graph its default-graph triples go to."""

    path: Path
    format: str
    graph: URIRef
    display: str  # how messages name it (the path as the user wrote it)


@dataclass
class ParsedSource:
    source: SourceFile
    triples: int
    graphs: list[URIRef]
    seconds: float


def slug(text: str) -> str:
    """``My File (v2)`` → ``my-file-v2``: lowercase, ASCII letters/digits, single dashes."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value or "source"


def format_of(path: Path) -> str:
    name = path.name.lower()
    for ext in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(ext):
            return FORMATS[ext]
    known = ", ".join(sorted(FORMATS))
    raise SourceError(f"{path}: unknown file type {path.suffix or '(none)'!r}; known: {known}")


def _is_rdf_file(path: Path) -> bool:
    name = path.name.lower()
    return not name.startswith(".") and any(name.endswith(ext) for ext in FORMATS)


def find_sources(
    paths: Iterable[str | Path], *, kind: str = "user", used_slugs: set[str] | None = None
) -> list[SourceFile]:
    """The files behind ``paths`` (folders searched recursively, sorted), with their graphs.

    ``kind`` is ``user`` (graph ``rkgg:source/<slug>``), ``ontology`` (``rkgg:ontology``) or
    ``curated`` (``rkgg:<stem>``).
    """
    used = used_slugs if used_slugs is not None else set()
    found: list[SourceFile] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise SourceError(f"{raw}: no such file or folder")
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _is_rdf_file(p))
            if not files:
                known = ", ".join(sorted(FORMATS))
                raise SourceError(f"{raw}: the folder holds no RDF file ({known})")
        else:
            files = [path]
        for file in files:
            fmt = format_of(file)
            found.append(SourceFile(file, fmt, _graph_for(file, kind, used), str(file)))
    return found


def _graph_for(path: Path, kind: str, used: set[str]) -> URIRef:
    if kind == "ontology":
        return ONTOLOGY_GRAPH
    stem = path.name.split(".")[0]
    base = slug(stem)
    name, n = base, 2
    while name in used:
        name, n = f"{base}-{n}", n + 1
    used.add(name)
    return RKGG[name] if kind == "curated" else RKGG[f"source/{name}"]


def parse_sources(
    sources: Iterable[SourceFile],
    dataset: Dataset | None = None,
    *,
    progress: Progress | None = None,
) -> tuple[Dataset, list[ParsedSource]]:
    """Parse every source into ``dataset`` (a new one by default); return it and what each gave."""
    sources = list(sources)
    dataset = dataset if dataset is not None else Dataset()
    if progress is None:
        total = sum(s.path.stat().st_size for s in sources)
        if total > PROGRESS_THRESHOLD:
            progress = stderr_progress
    parsed = []
    graphs: dict[URIRef, object] = {}
    for source in sources:
        start = time.perf_counter()
        quads = read_quads(source)
        if not quads:
            raise empty_source(source)
        names = set()
        for name in {q[3] for q in quads}:
            target = source.graph if name is None else name
            names.add(target)
            if target not in graphs:
                graphs[target] = dataset.graph(target)
        default = graphs.get(source.graph)
        dataset.addN(
            (s, p, o, default if g is None else graphs[g])  # type: ignore[misc]
            for s, p, o, g in quads
        )
        count = len(quads)
        seconds = time.perf_counter() - start
        parsed.append(ParsedSource(source, count, sorted(names), seconds))
        if progress:
            progress(f"read {source.display}: {count:,} triples ({seconds:.2f} s)")
    return dataset, parsed


#: Formats Oxigraph parses for us (fast, strict, with exact error positions).
_OXIGRAPH_PARSED = {"turtle", "trig", "nt", "nquads"}

Quad = tuple[Node, Node, Node, URIRef | None]  # graph None: the file's own graph


def read_quads(source: SourceFile) -> list[Quad]:
    """The quads of one file as rdflib terms (graph ``None`` for triples outside any graph).

    Turtle, TriG, N-Triples and N-Quads are parsed by Oxigraph (Rust: several times faster than
    rdflib, and exactly as strict as the store the data ends in); blank nodes are renamed per
    file, so ``_:b1`` in two files stays two nodes. JSON-LD and RDF/XML go through rdflib.
    """
    if source.format not in _OXIGRAPH_PARSED:
        return _rdflib_quads(source)
    data = read_bytes(source)
    term, ill_typed = _term_converter()
    quads = _oxigraph_quads(source, data, term)
    if ill_typed:
        warn_ill_typed(source, data, quads, ill_typed)
    return quads


def _rdflib_quads(source: SourceFile) -> list[Quad]:
    """The quads of a file only rdflib parses (JSON-LD, RDF/XML, sheets)."""
    part = parse_file(source)
    return [
        (s, p, o, None if g == DATASET_DEFAULT_GRAPH_ID or not isinstance(g, URIRef) else g)
        for s, p, o, g in part.quads((None, None, None, None))
    ]


TermConverter = Callable[[object], Node | None]


def _term_converter() -> tuple[TermConverter, list[Literal]]:
    """Oxigraph terms → rdflib terms, each converted once per file: a fresh ``BNode`` per blank
    node of the file, ``None`` for the default graph; and the list the ill-typed literals met
    are added to. (A closure, not an object: it runs four times per quad.)"""
    cache: dict[object, Node | None] = {}
    ill_typed: list[Literal] = []

    def term(value: object) -> Node | None:
        found = cache.get(value)
        if found is None:
            if isinstance(value, ox.BlankNode):
                found = BNode()
            elif isinstance(value, ox.DefaultGraph):
                found = None
            else:
                found = to_rdflib(value)
                if isinstance(found, Literal) and found.ill_typed:
                    ill_typed.append(found)
            cache[value] = found
        return found

    return term, ill_typed


def _oxigraph_quads(source: SourceFile, data: bytes, term: TermConverter) -> list[Quad]:
    """``data`` parsed by Oxigraph; its failures as the loader's errors (file, line, message)."""
    fmt = getattr(ox.RdfFormat, _OX_FORMATS[source.format])
    try:
        # term() is None only for the default graph, so never in the subject, predicate or object
        return cast(
            list[Quad],
            [
                (term(q.subject), term(q.predicate), term(q.object), term(q.graph_name))
                for q in ox.parse(data, format=fmt, base_iri=source.path.resolve().as_uri())
            ],
        )
    except SyntaxError as exc:
        message = re.sub(r"^Parser error (at|between) [^:]*: ", "", str(exc))
        line = exc.lineno if isinstance(exc.lineno, int) else None
        raise SourceSyntaxError(source.display, line, message) from exc
    except MemoryError as exc:
        raise too_large(source, exc) from None
    except (ValueError, OSError, StoreQueryError) as exc:
        raise SourceSyntaxError(source.display, None, str(exc)) from exc


#: The UTF-8 byte order mark some editors (Notepad, Excel) put at the start of a text file.
BOM = b"\xef\xbb\xbf"


def empty_source(source: SourceFile) -> SourceError:
    """The error for a file that holds no triples: named, never taken silently."""
    return SourceError(
        f"{source.display}: the file holds no triples (is it empty?); "
        "give it some data or leave it out"
    )


def too_large(source: SourceFile, exc: BaseException) -> SourceSyntaxError:
    """Oxigraph's parsers refuse a single term (a literal, an IRI) above 16 MB: say so."""
    return SourceSyntaxError(
        source.display,
        None,
        f"a literal or IRI is too large to read ({exc}); "
        "keep single values under 16 MB (put large texts in a file and link it by IRI)",
    )


def warn_ill_typed(
    source: SourceFile,
    data: bytes,
    quads: Iterable[tuple[Node, Node, Node, object]],
    literals: list[Literal],
) -> None:
    """Name (file, line, node) each literal whose text does not fit its datatype, once.

    They are kept as they are (Oxigraph keeps them too, so both stores hold the same data) and
    the shapes reject them, but with ``--no-validate`` the user would otherwise never know why
    a date compares wrongly.
    """
    wanted = set(literals)
    for subject, predicate, obj, _ in quads:
        if not isinstance(obj, Literal) or obj not in wanted:
            continue
        wanted.discard(obj)
        line = _line_of(data, str(obj))
        where = f"{source.display}:{line}" if line else source.display
        node = compact(str(subject)) if isinstance(subject, URIRef) else f"_:{subject}"
        datatype = compact(str(obj.datatype))
        print(
            f"rkg: warning: {where}: {node} {compact(str(predicate))}: {str(obj)!r} is not a "
            f"valid {datatype}",
            file=sys.stderr,
        )
        if not wanted:
            break


def read_bytes(source: SourceFile) -> bytes:
    """The file's bytes, a leading UTF-8 byte order mark dropped (parsers took it for a
    subject: "bom.ttl:1: \ufeff is not a valid subject"); line numbers stay the same."""
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{source.display}: cannot read: {exc.strerror or exc}") from exc
    return data[len(BOM) :] if data.startswith(BOM) else data


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_file(source: SourceFile) -> Dataset:
    """One file into a fresh Dataset with rdflib; any failure is a :class:`SourceSyntaxError`."""
    if source.format == "sheet":
        return compile_sheet(source.path, display=source.display).dataset
    data = read_bytes(source)
    if source.format == "json-ld":
        _check_json(source, data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceSyntaxError(source.display, line, "not UTF-8 text") from exc
    part = Dataset()
    try:
        part.parse(data=text, format=source.format, publicID=source.path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many kinds for bad input
        error_line, message = locate_error(source, data, exc)
        raise SourceSyntaxError(source.display, error_line, message) from exc
    check_terms(source, part, data)
    return part


def check_terms(source: SourceFile, part: Dataset, data: bytes) -> None:
    """Refuse terms rdflib lets through but RDF (and Oxigraph) do not: bad IRIs, bad text.

    rdflib accepts e.g. ``"@id": "a b"`` in JSON-LD or ``\\uD800`` escapes in Turtle; such
    terms would only fail later, far from the file, when a store loads them.
    """
    seen: set[object] = set()
    ill_typed: list[Literal] = []
    for quad in part.quads((None, None, None, None)):
        for term in quad:
            if term in seen or term is None:
                continue
            seen.add(term)
            problem = _term_problem(term)
            if problem:
                line = _line_of(data, str(term))
                raise SourceSyntaxError(source.display, line, problem)
            if isinstance(term, Literal) and term.ill_typed:
                ill_typed.append(term)
    if ill_typed:
        warn_ill_typed(source, data, part.quads((None, None, None, None)), ill_typed)


def _term_problem(term: object) -> str | None:
    """Why ``term`` is not valid RDF, asking Oxigraph (the strictest engine we load into)."""
    if isinstance(term, URIRef):
        try:
            ox.NamedNode(str(term))
        except (ValueError, UnicodeEncodeError) as exc:
            return f"invalid IRI <{str(term)[:100]}>: {exc}"
    elif isinstance(term, Literal):
        try:
            str(term).encode("utf-8")
        except UnicodeEncodeError:
            return f"invalid character (a lone surrogate) in literal {str(term)[:60]!r}"
        if term.language is not None:
            try:
                ox.Literal(str(term), language=term.language)
            except ValueError as exc:
                return f"invalid language tag @{term.language}: {exc}"
        elif term.datatype is not None and _term_problem(term.datatype):
            return f"invalid datatype IRI <{term.datatype}>"
    return None


def _line_of(data: bytes, text: str) -> int | None:
    """The line where ``text`` first occurs in the file, if it occurs there as written."""
    try:
        index = data.find(text.encode("utf-8"))
    except UnicodeEncodeError:
        return None
    return data[:index].count(b"\n") + 1 if index >= 0 else None


def _check_json(source: SourceFile, data: bytes) -> None:
    """JSON errors with their line; refuse contexts that would be fetched from the network."""
    try:
        document = json.loads(data)
    except UnicodeDecodeError as exc:
        raise SourceSyntaxError(source.display, None, "not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise SourceSyntaxError(source.display, exc.lineno, f"invalid JSON: {exc.msg}") from exc
    remote = _remote_context(document)
    if remote:
        raise SourceError(
            f"{source.display}: JSON-LD context {remote!r} would be fetched from the network; "
            "put the context inline instead"
        )
    if not isinstance(document, dict | list):
        raise SourceSyntaxError(source.display, 1, "a JSON-LD document is an object or an array")


#: The JSON-LD keys whose string values are IRIs of contexts the parser would fetch.
_CONTEXT_KEYS = ("@context", "@import")


def _remote_context(node: object) -> str | None:
    """The first context given by IRI anywhere in a JSON-LD document (depth first)."""
    for key, value in _members(node):
        if key in _CONTEXT_KEYS:
            found = _context_iri(value)
            if found is not None:  # (even an empty IRI ends the search of this object)
                return found
        else:
            found = _remote_context(value)
            if found:
                return found
    return None


def _members(node: object) -> Iterable[tuple[object, object]]:
    """``(key, value)`` of an object, ``(None, item)`` of an array; nothing for a scalar."""
    if isinstance(node, dict):
        return node.items()
    if isinstance(node, list):
        return ((None, item) for item in node)
    return ()


def _context_iri(value: object) -> str | None:
    """The value of a ``@context``/``@import`` key: an IRI itself, a list of contexts, or an
    inline context that may import another by IRI."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            return item
        found = _remote_context(item)
        if found:
            return found
    return None


_OX_FORMATS = {
    "turtle": "TURTLE",
    "trig": "TRIG",
    "nt": "N_TRIPLES",
    "nquads": "N_QUADS",
    "xml": "RDF_XML",
}
_LINE_IN_TEXT = re.compile(r"\bline (\d+)")


def locate_error(source: SourceFile, data: bytes, exc: BaseException) -> tuple[int | None, str]:
    """The line and a one-line message for a parse failure.

    Oxigraph's parsers report precise positions, so the file is re-read with Oxigraph when it
    rejects it too; otherwise the line comes from rdflib's exception.
    """
    name = _OX_FORMATS.get(source.format)
    if name is not None:
        try:
            for _ in ox.parse(data, format=getattr(ox.RdfFormat, name)):
                pass
        except SyntaxError as ox_exc:
            message = str(ox_exc)
            message = re.sub(r"^Parser error (at|between) [^:]*: ", "", message)
            line = ox_exc.lineno if isinstance(ox_exc.lineno, int) else None
            return line or _rdflib_line(exc, data), message
        except Exception:  # noqa: BLE001 - fall back to rdflib's own report
            pass
    return _rdflib_line(exc, data), _one_line(exc)


def _rdflib_line(exc: BaseException, data: bytes) -> int | None:
    text, offset = getattr(exc, "_str", None), getattr(exc, "_i", None)
    if isinstance(offset, int):  # notation3 BadSyntax
        if isinstance(text, bytes):
            return text[:offset].count(b"\n") + 1
        if isinstance(text, str):
            return text[:offset].count("\n") + 1
    get_line = getattr(exc, "getLineNumber", None)  # SAX (RDF/XML)
    if callable(get_line):
        try:
            return int(get_line())
        except (TypeError, ValueError):
            return None
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    match = _LINE_IN_TEXT.search(str(exc))
    return int(match.group(1)) if match else None


def _one_line(exc: BaseException) -> str:
    why = getattr(exc, "_why", None)
    if isinstance(why, str) and why:
        return f"bad syntax ({why})"
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    first = re.sub(r"^<[^>]*>:\d+:\d+: ", "", first)  # SAX's "<unknown>:LINE:COL: "
    return first[:300]


# --- the files of a build ------------------------------------------------------------

#: Graph IRIs of user sources start with this.
USER_NS = "https://w3id.org/regional-kg/graph/source/"

#: Extensions of the shipped ontology and curated graph files.
CURATED_EXTENSIONS = (".ttl", ".trig")


def curated_sources(used_slugs: set[str]) -> list[SourceFile]:
    """The shipped ontology (→ ``rkgg:ontology``) and curated graph files (.ttl/.trig)."""
    files: list[SourceFile] = []
    for folder, kind in ((ontology_dir, "ontology"), (graph_dir, "curated")):
        try:
            directory = folder()
        except FileNotFoundError as exc:
            raise UserError(str(exc)) from exc
        paths = sorted(
            p
            for p in directory.rglob("*")
            if p.is_file() and p.suffix in CURATED_EXTENSIONS and not p.name.startswith(".")
        )
        if paths:
            files.extend(find_sources(paths, kind=kind, used_slugs=used_slugs))
    return files


def select_files(sources: Iterable[str | Path], include_curated: bool) -> list[SourceFile]:
    """The curated files (unless ``include_curated`` is false) and ``sources``, named once each."""
    used: set[str] = set()
    files = curated_sources(used) if include_curated else []
    files += find_sources(list(sources), kind="user", used_slugs=used)
    if not files:
        raise UserError("nothing to build: no curated graph and no --source given")
    return files
