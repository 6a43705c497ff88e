"""The documenting header of a ``.rq`` file (its leading ``#`` lines), parsed and checked.

The keys and parameter types are described in :mod:`regional_kg.catalogue`. A malformed header is
a :class:`QueryHeaderError` naming the file and line, so a catalogue author learns of a typo when
the catalogue loads rather than from a query that quietly binds nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from regional_kg.catalogue.literals import convert_literal
from regional_kg.catalogue.spec import PARAM_TYPES, Param, QuerySpec
from regional_kg.errors import ParameterError, QueryHeaderError

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HEADER_LINE = re.compile(r"#\s*([a-z][a-z-]*)\s*:\s?(.*)\Z")
_PARAM = re.compile(
    r"(?P<name>\S+)\s+(?P<type>\S+)\s+(?P<req>\S+)"
    r'(?P<options>(?:\s+(?:default|values)=(?:"[^"]*"|\S+))*)\s*(?P<desc>.*)\Z'
)
_PARAM_OPTION = re.compile(r'(default|values)=("[^"]*"|\S+)')


def parse_query(
    text: str, name: str, path: Path | None = None, *, strict: bool = True
) -> QuerySpec:
    """Parse a ``.rq`` text into a :class:`QuerySpec`.

    ``strict`` (catalogue files) requires a title and a description and checks that every
    parameter is used in the query; ad-hoc files and texts may have no header at all.
    """
    where = str(path) if path else name
    fields, params = _read_header(text, where)
    _check_unique(params, where)
    if strict:
        _check_complete(text, fields, params, where)
    list_columns = tuple(
        c for v in fields.get("list-columns", []) for c in v.replace(",", " ").split()
    )
    return QuerySpec(
        name=name,
        title=" ".join(fields.get("title", [])) or name,
        description=" ".join(fields.get("description", [])),
        params=tuple(params),
        text=text,
        path=path,
        examples=tuple(fields.get("example", [])),
        list_columns=list_columns,
        adhoc=not strict,
    )


def _read_header(text: str, where: str) -> tuple[dict[str, list[str]], list[Param]]:
    """The header's text fields (each key's lines) and its parameters, up to the first line
    that is not a comment."""
    fields: dict[str, list[str]] = {}
    params: list[Param] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.match(line)
        if match is None:
            continue  # a free comment
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            params.append(_parse_param(value, where, number))
        elif key in ("title", "description", "example", "list-columns"):
            fields.setdefault(key, []).append(value)
        else:
            raise QueryHeaderError(f"{where}:{number}: unknown header key {key!r}")
    return fields, params


def _check_unique(params: list[Param], where: str) -> None:
    names = [p.name for p in params]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise QueryHeaderError(f"{where}: parameter(s) declared twice: {', '.join(duplicates)}")


def _check_complete(
    text: str, fields: dict[str, list[str]], params: list[Param], where: str
) -> None:
    """A catalogue query has a title and a description and uses every parameter it declares."""
    for key in ("title", "description"):
        if not fields.get(key):
            raise QueryHeaderError(f"{where}: the header has no '# {key}:' line")
    body = strip_comments(text)
    for p in params:
        if not re.search(rf"[?$]{p.name}\b", body):
            raise QueryHeaderError(f"{where}: parameter {p.name!r} is not used as ?{p.name}")


def _parse_param(value: str, where: str, number: int) -> Param:
    match = _PARAM.match(value)
    if match is None:
        raise QueryHeaderError(
            f"{where}:{number}: a param line reads "
            "'NAME TYPE required|optional [default=VALUE] DESCRIPTION'"
        )
    at = f"{where}:{number}"
    name, type_, req = match.group("name"), match.group("type"), match.group("req")
    _check_signature(name, type_, req, at)
    options = _param_options(match.group("options"), name, at)
    values = _param_values(options, name, type_, at)
    param = Param(
        name, type_, req == "required", match.group("desc").strip(), options.get("default"), values
    )
    _check_values_convert(param, at)
    return param


def _check_signature(name: str, type_: str, req: str, at: str) -> None:
    """The name is a SPARQL variable name, the type a known one, ``req`` required|optional."""
    if not NAME.match(name):
        raise QueryHeaderError(f"{at}: {name!r} is not a SPARQL variable name")
    if type_ not in PARAM_TYPES:
        raise QueryHeaderError(
            f"{at}: parameter {name!r} has unknown type {type_!r} "
            f"(one of: {', '.join(PARAM_TYPES)})"
        )
    if req not in ("required", "optional"):
        raise QueryHeaderError(
            f"{at}: parameter {name!r}: write 'required' or 'optional', not {req!r}"
        )


def _param_options(text: str, name: str, at: str) -> dict[str, str]:
    """``default=`` and ``values=`` (each once), unquoted."""
    options: dict[str, str] = {}
    for key, raw in _PARAM_OPTION.findall(text):
        if key in options:
            raise QueryHeaderError(f"{at}: parameter {name!r}: {key}= given twice")
        options[key] = raw[1:-1] if raw.startswith('"') else raw
    return options


def _param_values(
    options: dict[str, str], name: str, type_: str, at: str
) -> tuple[str, ...] | None:
    """The ``values=a|b|c`` list: plain values, for a type whose values are literals."""
    if "values" not in options:
        return None
    values = tuple(v.strip() for v in options["values"].split("|"))
    if type_ in ("state", "entity", "iri") or not all(values):
        raise QueryHeaderError(
            f"{at}: parameter {name!r}: values= lists plain values "
            "(a|b|c) of a string, number, year, date or boolean parameter"
        )
    return values


def _check_values_convert(param: Param, at: str) -> None:
    """Each of ``values=`` and the ``default=`` convert as a run would convert them (a
    ``state``/``entity`` default is a label, resolved only against a store)."""
    for value in param.values or ():
        try:
            convert_literal(replace(param, values=None), value)
        except ParameterError as exc:
            raise QueryHeaderError(f"{at}: bad value in values=: {exc}") from None
    if param.default is not None and param.type not in ("state", "entity"):
        try:
            convert_literal(param, param.default)
        except ParameterError as exc:
            raise QueryHeaderError(f"{at}: bad default: {exc}") from None


def strip_comments(text: str) -> str:
    return "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in text.splitlines())
