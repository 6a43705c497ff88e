"""The optional parts of regional-kg: which extra installs each optional module, and the clear
error a missing one gives instead of a traceback.

``pip install regional-kg`` installs what building, querying, the network measures, the pages
and the server need; a module only some commands use comes with an extra
(``pip install 'regional-kg[shacl]'``), so a plain install stays small. An import site of an
optional module calls :func:`require`; :mod:`regional_kg.cli` also turns a plain
``ModuleNotFoundError`` of one of them into the same message (:func:`missing_extra`).
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from regional_kg.errors import UserError

#: Optional module -> the extra that installs it (``[project.optional-dependencies]``).
EXTRAS = {
    "pyshacl": "shacl",
    "jsonschema": "sheets",
    "countrynames": "sheets",
    "matplotlib": "chart",
    "rich": "pretty",
    "igraph": "fast",
}


class MissingExtra(UserError):
    """An optional module is not installed; the message names the extra that installs it."""


def require(module: str, needed_for: str) -> ModuleType:
    """``module``, imported; :class:`MissingExtra` saying ``needed_for`` needs it when it is not
    installed. ``module`` is a key of :data:`EXTRAS`."""
    try:
        return import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise  # installed, but something it imports is missing: not ours to explain
        raise MissingExtra(_message(module, needed_for)) from None


def missing_extra(exc: ModuleNotFoundError) -> MissingExtra | None:
    """The :class:`MissingExtra` for ``exc`` when the missing module is an optional one."""
    top = (exc.name or "").partition(".")[0]
    if top not in EXTRAS:
        return None
    return MissingExtra(_message(top, "this command"))


def _message(module: str, needed_for: str) -> str:
    extra = EXTRAS[module]
    return f"{needed_for} needs {module}: pip install 'regional-kg[{extra}]'"
