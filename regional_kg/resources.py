"""Where the shipped ontology, curated graph and query catalogue live.

In a wheel they are copied into ``regional_kg/_data`` (see ``setup.py``); in a checkout or an
editable install they are the top-level ``ontology/``, ``graph/`` and ``queries/`` folders.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder ``name`` (``ontology``, ``graph`` or ``queries``) as shipped."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"regional-kg data folder {name!r} is missing from this installation")


def ontology_dir() -> Path:
    return data_dir("ontology")


#: Environment variable naming another folder of curated graph files to load instead of the
#: shipped ``graph/`` (for example a folder holding only the seed document, or a team's own
#: curated graphs); the ontology is always the shipped one.
GRAPH_DIR_VARIABLE = "RKG_GRAPH_DIR"


def graph_dir() -> Path:
    """The curated graph folder: ``$RKG_GRAPH_DIR`` when set, else the shipped ``graph/``."""
    override = os.environ.get(GRAPH_DIR_VARIABLE)
    if override:
        folder = Path(override)
        if not folder.is_dir():
            raise FileNotFoundError(f"{GRAPH_DIR_VARIABLE}={override!r} is not a folder")
        return folder
    return data_dir("graph")


def queries_dir() -> Path:
    return data_dir("queries")
