"""Shared helpers of the network tests: the hand-made fixture, loaded into a real store."""

from __future__ import annotations

from regional_kg.build import build
from tests.support.paths import FIXTURES

FIXTURE = FIXTURES / "network" / "small.trig"
RKGD = "https://w3id.org/regional-kg/id/"


def state(code: str) -> str:
    return f"{RKGD}state/{code}"


def fixture_store(spec: str = "oxigraph"):
    """The small fixture (only), with the loader's inference, in a store of kind ``spec``."""
    return build([FIXTURE], store=spec, validate=False, include_curated=False).store


def rounded(rows, places: int = 9) -> list[dict]:
    """Rows with floats rounded, for comparing results across stores and backends."""
    out = []
    for row in rows:
        out.append(
            {k: round(v, places) if isinstance(v, float) else v for k, v in dict(row).items()}
        )
    return out
