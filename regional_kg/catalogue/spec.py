"""The data a catalogue query is made of: its declared parameters and the parsed query.

Why a module of its own: the header parser, the parameter conversion and resolution, and the
runner all speak of :class:`Param` and :class:`QuerySpec`; keeping the types here lets each of
those modules import them without importing one another.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

PARAM_TYPES = (
    "state",
    "entity",
    "iri",
    "string",
    "integer",
    "decimal",
    "year",
    "date",
    "boolean",
)
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Param:
    """A declared query parameter: bound to ``?name`` as an RDF term of ``type``."""

    name: str
    type: str
    required: bool
    description: str = ""
    default: str | None = None
    #: The only values allowed (``values=a|b`` in the header), or ``None`` for any value.
    values: tuple[str, ...] | None = None


@dataclass(frozen=True)
class QuerySpec:
    """One catalogue query: its header, parsed, and its SPARQL text (header included)."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None
    examples: tuple[str, ...] = ()
    list_columns: tuple[str, ...] = ()
    #: True for a query given as text or ``--file`` rather than taken from the catalogue.
    adhoc: bool = False
    #: ``PREFIX`` lines put before the user's text (:func:`with_prologue`): error positions
    #: are moved back by this many lines so they point into the text the user wrote.
    prologue_lines: int = 0

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def header(self) -> str:
        """The leading comment block (what ``rkg query --show`` prints first)."""
        lines: list[str] = []
        for line in self.text.splitlines():
            if line.strip().startswith("#") or (lines and not line.strip()):
                lines.append(line)
            else:
                break
        return "\n".join(lines).rstrip()


def describe_params(spec: QuerySpec) -> str:
    """``state* partner from to`` — required ones starred, for ``rkg query --list``."""
    return " ".join(
        p.name
        + ("*" if p.required else "")
        + (f"={p.default}" if p.default else "")
        + (f"({'|'.join(p.values)})" if p.values else "")
        for p in spec.params
    )


def example_args(spec: QuerySpec) -> list[list[str]]:
    """The examples of ``spec`` split into argument lists (for tests and docs)."""
    return [shlex.split(example) for example in spec.examples]
