"""Which curated graph the tests see: the seed article by default, the whole graph on request."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.support.paths import REPO

__all__ = ["REPO", "SHIPPED_GRAPH_DIR", "SEED_GRAPH_FILES", "full_graph_env"]

# --- the seed graph by default, the whole graph on request ----------------------------------------
#: The tests written against the seed article (exact rows of every catalogue query, the page and
#: report counts) see the seed graph only: ``RKG_GRAPH_DIR`` points every build, in this process
#: and in the ``rkg`` subprocesses it starts, at a folder holding the seed and reference graphs.
#: Tests of the whole 2017-2025 graph build it explicitly with :func:`full_graph_env`.
SHIPPED_GRAPH_DIR = REPO / "graph"
SEED_GRAPH_FILES = ("koishybayev-2018.trig", "reference.trig")
_SEED_DIR = Path(tempfile.mkdtemp(prefix="rkg-seed-graph-"))
for _name in SEED_GRAPH_FILES:
    shutil.copy(SHIPPED_GRAPH_DIR / _name, _SEED_DIR / _name)
os.environ["RKG_GRAPH_DIR"] = str(_SEED_DIR)
atexit.register(shutil.rmtree, _SEED_DIR, True)


@contextlib.contextmanager
def full_graph_env() -> Iterator[None]:
    """Within the block, builds (and subprocesses) load the whole shipped ``graph/`` folder."""
    saved = os.environ.pop("RKG_GRAPH_DIR", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["RKG_GRAPH_DIR"] = saved
