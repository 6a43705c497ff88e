"""Read a sheet's YAML into plain Python values, remembering the line of every value.

Why not ``yaml.safe_load``: an error must name the YAML line of the field at fault, and the
loaded dicts forget where they came from. So the file is *composed* into YAML nodes (which carry
their marks) and converted here; :class:`Lines` maps every path (``("facts", 0, "visitor")``)
to its 1-based line. Scalars stay text except null, booleans and integers: a date such as
``2019-11-29`` or a share such as ``79.8`` is interpreted by the field that holds it (a float
would lose the printed digits, a ``datetime.date`` the precision).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from regional_kg.errors import SheetError

Path_ = tuple[str | int, ...]

_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


@dataclass
class Lines:
    """Where each value of a sheet stands: path → line (1-based)."""

    sheet: str
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def error(self, path: Path_, message: str) -> SheetError:
        """A :class:`SheetError` at ``path``: its line and its dotted field name."""
        return SheetError(self.sheet, self.line(path), dotted(path) or None, message)


def dotted(path: Path_) -> str:
    """``("facts", 0, "visitor")`` → ``facts[0].visitor``, the way errors name a field."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def read_sheet(path: str | Path, display: str | None = None) -> tuple[object, Lines]:
    """The sheet at ``path`` as Python values plus its :class:`Lines`; bad YAML is an error."""
    display = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SheetError(display, None, None, "not UTF-8 text") from exc
    except OSError as exc:
        raise SheetError(display, None, None, f"cannot read: {exc.strerror or exc}") from exc
    return read_text(text, display)


def read_text(text: str, display: str) -> tuple[object, Lines]:
    """Like :func:`read_sheet`, for YAML text already in hand."""
    lines = Lines(display)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise SheetError(display, line, None, f"not valid YAML: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise SheetError(display, None, None, f"not valid YAML: {exc}") from exc
    if node is None:
        raise SheetError(display, 1, None, "the sheet is empty")
    return _convert(node, (), lines), lines


def _convert(node: yaml.Node, path: Path_, lines: Lines) -> object:
    lines.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SheetError(
                    lines.sheet, key_node.start_mark.line + 1, None, "a key must be plain text"
                )
            key = str(key_node.value)
            if key in result:
                raise SheetError(
                    lines.sheet,
                    key_node.start_mark.line + 1,
                    dotted((*path, key)),
                    "given twice in the same mapping",
                )
            result[key] = _convert(value_node, (*path, key), lines)
            lines.lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), lines) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    raise SheetError(lines.sheet, node.start_mark.line + 1, dotted(path), "unsupported YAML")


def _scalar(node: yaml.ScalarNode) -> object:
    value = str(node.value)
    if node.style is not None and node.style in "'\"":  # quoted: always text
        return value
    if node.tag == _NULL:
        return None
    if node.tag == _BOOL:
        return value.lower() in ("true", "yes", "on")
    if node.tag == _INT:
        try:
            return int(value.replace("_", ""), 0) if not value.isdigit() else int(value)
        except ValueError:
            return value
    return value
