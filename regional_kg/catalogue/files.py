"""Where a query comes from: the catalogue folder (``queries/*.rq``), a ``.rq`` file, or a text.

Ad-hoc files and texts get the project's ``PREFIX`` lines they use but do not declare, and an
engine's error positions are moved back into the text the user wrote.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from regional_kg.catalogue.headers import parse_query
from regional_kg.catalogue.spec import QuerySpec
from regional_kg.errors import ParameterError, UnknownQueryError
from regional_kg.namespaces import PREFIXES
from regional_kg.resources import queries_dir

_QUERY_WORD = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE)\b", re.IGNORECASE)


def catalogue(directory: Path | None = None) -> list[QuerySpec]:
    """Every query of the catalogue (``queries/*.rq``), sorted by name."""
    return list(_load_catalogue(directory or queries_dir()))


@cache
def _load_catalogue_cached(
    directory: Path, stamp: tuple[tuple[str, int], ...]
) -> tuple[tuple[QuerySpec, ...], dict[str, QuerySpec]]:
    specs = tuple(
        parse_query(
            (directory / name).read_text(encoding="utf-8"), name[: -len(".rq")], directory / name
        )
        for name, _ in stamp
    )
    return specs, {spec.name: spec for spec in specs}


def _load_catalogue(directory: Path) -> tuple[QuerySpec, ...]:
    return _loaded(directory)[0]


def _loaded(directory: Path) -> tuple[tuple[QuerySpec, ...], dict[str, QuerySpec]]:
    """The parsed queries, parsed again only when a file was added, removed or changed.

    Why ``os.scandir``: the check runs on every ``run_query`` (a server notices an edited query
    without a restart); through ``Path.glob`` and ``Path.stat`` it cost 0.3 ms a call, more
    than a selective query itself at 1M triples (``initiatives`` with ``by``: 0.4 ms)."""
    with os.scandir(directory) as entries:
        stamp = tuple(
            sorted(
                (entry.name, entry.stat().st_mtime_ns)
                for entry in entries
                if entry.name.endswith(".rq") and not entry.name.startswith(".") and entry.is_file()
            )
        )
    return _load_catalogue_cached(directory, stamp)


def get_query(name: str, directory: Path | None = None) -> QuerySpec:
    """The catalogue query ``name``; an unknown name suggests close ones."""
    specs = _loaded(directory or queries_dir())[1]
    if name in specs:
        return specs[name]
    close = difflib.get_close_matches(name, list(specs), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownQueryError(
        f"unknown query {name!r}{hint} (rkg query --list shows all {len(specs)})"
    )


def looks_like_query(text: str) -> bool:
    """True for SPARQL text, False for a catalogue name."""
    return bool(_QUERY_WORD.search(text)) and ("{" in text or "\n" in text)


def resolve_spec(name_or_text: str, directory: Path | None = None) -> QuerySpec:
    """A catalogue query by name, or an ad-hoc query text (its header, if any, is honoured)."""
    if looks_like_query(name_or_text):
        spec = parse_query(name_or_text, "<query>", strict=False)
        return _prefixed(spec)
    return get_query(name_or_text.strip(), directory)


def load_file(path: str | Path) -> QuerySpec:
    """An ad-hoc ``.rq`` file (header optional)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"cannot read query file {path}: {exc}") from None
    spec = parse_query(text, path.stem, path, strict=False)
    return _prefixed(spec)


def _prefixed(spec: QuerySpec) -> QuerySpec:
    """``spec`` with the prologue added, remembering how many lines it took."""
    text = with_prologue(spec.text)
    return replace(spec, text=text, prologue_lines=text.count("\n") - spec.text.count("\n"))


_LINE_COLUMN = re.compile(r"\b(at|between) (\d+):(\d+)")  # Oxigraph: "error at 2:28"
_LINE_WORD = re.compile(r"\bline:? ?(\d+)")  # pyparsing: "(line:2, col:19)"
_CHAR = re.compile(r"\bat char (\d+)")  # pyparsing: "(at char 71)"


def user_positions(message: str, spec: QuerySpec) -> str:
    """An engine's error ``message`` with line numbers counted in the text the user wrote.

    An ad-hoc query gets ``PREFIX`` lines put in front of it, so a one-line query's error was
    reported "at 2:28". Positions inside the added prologue (impossible for valid prefixes) are
    left alone.
    """
    shift = spec.prologue_lines
    if not shift:
        return message

    def fix(number: str) -> str:
        line = int(number) - shift
        return str(line) if line >= 1 else number

    chars = sum(len(line) + 1 for line in spec.text.split("\n")[:shift])

    def fix_char(match: re.Match[str]) -> str:
        offset = int(match.group(1)) - chars
        return f"at char {offset}" if offset >= 0 else match.group(0)

    message = _LINE_COLUMN.sub(lambda m: f"{m.group(1)} {fix(m.group(2))}:{m.group(3)}", message)
    message = _CHAR.sub(fix_char, message)
    return _LINE_WORD.sub(lambda m: m.group(0).replace(m.group(1), fix(m.group(1))), message)


def with_prologue(text: str) -> str:
    """Add ``PREFIX`` lines for the project's prefixes the text uses but does not declare."""
    declared = {m.lower() for m in re.findall(r"\bPREFIX\s+([\w.-]*):", text, re.IGNORECASE)}
    missing = [
        f"PREFIX {p}: <{ns}>"
        for p, ns in PREFIXES.items()
        if p.lower() not in declared and re.search(rf"(?<![\w.:/-]){re.escape(p)}:", text)
    ]
    return "\n".join([*missing, text]) if missing else text
