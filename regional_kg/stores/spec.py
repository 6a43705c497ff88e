"""A store spec (``memory``, ``oxigraph``, ``oxigraph:DIR``, ``sparql:URL…``) read once, typed.

Why: the spec used to be re-read wherever a kind of store mattered (``spec[len("oxigraph:"):]``
in four places, ``startswith("oxigraph:")`` in more), each copy free to disagree on spaces or an
empty folder. :meth:`StoreSpec.parse` is the one reading; everything else asks its fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from regional_kg.errors import BadStoreSpec

Kind = Literal["memory", "oxigraph", "oxigraph-disk", "sparql"]
KINDS: tuple[Kind, ...] = get_args(Kind)

SPEC_HELP = "memory | oxigraph | oxigraph:DIR | sparql:QUERY_URL"


@dataclass(frozen=True)
class StoreSpec:
    """What a spec names: its ``kind``, the folder of an on-disk Oxigraph store (``path``) or
    the endpoint part of a ``sparql:`` spec (``location``: ``QUERY_URL[#options]``)."""

    text: str
    kind: Kind
    path: Path | None = None
    location: str = ""

    @classmethod
    def parse(cls, spec: str | StoreSpec) -> StoreSpec:
        """The spec read once; a :class:`BadStoreSpec` names what is wrong with it."""
        if isinstance(spec, StoreSpec):
            return spec
        text = str(spec).strip()
        if text in ("memory", "oxigraph"):
            return cls(text, text)  # type: ignore[arg-type]  # (narrowed by the test above)
        if text.startswith("oxigraph:"):
            folder = text[len("oxigraph:") :]
            if not folder:
                raise BadStoreSpec(f"store spec {text!r} needs a folder: oxigraph:DIR")
            return cls(text, "oxigraph-disk", path=Path(folder))
        if text.startswith("sparql:"):
            return cls(text, "sparql", location=text[len("sparql:") :])
        raise BadStoreSpec(f"unknown store spec {text!r}; use {SPEC_HELP}")

    @classmethod
    def on_disk(cls, path: Path) -> StoreSpec:
        """The spec of the Oxigraph store in the folder ``path``."""
        return cls(f"oxigraph:{path}", "oxigraph-disk", path=path)

    @property
    def persistent(self) -> bool:
        """True for stores whose data outlives the process (on disk, remote)."""
        return self.kind in ("oxigraph-disk", "sparql")

    def __str__(self) -> str:
        return self.text
