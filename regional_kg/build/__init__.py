"""The build: sources → stage → infer → validate → commit, into any store.

:func:`build` is the one pipeline (:mod:`regional_kg.build.pipeline`); its steps each have a
module: finding and parsing files (:mod:`~regional_kg.build.sources`), staging them in an engine
(:mod:`~regional_kg.build.stages`, with the Oxigraph steps in :mod:`~regional_kg.build.native`),
inference (:mod:`~regional_kg.build.inference`), the undefined-term check
(:mod:`~regional_kg.build.vocabulary`), SHACL (:mod:`~regional_kg.build.fastvalidate`, and
pySHACL as the reference, :mod:`~regional_kg.build.validation`) and atomic on-disk targets
(:mod:`~regional_kg.build.ondisk`).

``regional_kg.build`` is also what ``rkg.build(...)`` names once this package is imported
(Python sets a subpackage as an attribute of its parent, over the function the parent exports),
so the package is callable and calling it is calling :func:`build`.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from regional_kg.build.ondisk import StoreUnavailable, clean_leftovers
from regional_kg.build.pipeline import (
    VALIDATORS,
    build,
    choose_validator,
    obtain_build,
    obtain_store,
    open_existing,
    overlay,
    prepare,
    read_dataset,
)
from regional_kg.build.result import BuildResult

__all__ = [
    "VALIDATORS",
    "BuildResult",
    "StoreUnavailable",
    "build",
    "choose_validator",
    "clean_leftovers",
    "obtain_build",
    "obtain_store",
    "open_existing",
    "overlay",
    "prepare",
    "read_dataset",
]


class _CallablePackage(types.ModuleType):
    """This package, callable as :func:`build` (see the module notes)."""

    def __call__(self, *args: Any, **kwargs: Any) -> BuildResult:
        return build(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
