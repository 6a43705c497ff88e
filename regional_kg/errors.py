"""Errors a user can act on. The CLI prints their message (no traceback) and exits non-zero."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user: the message names the file, line, node or parameter."""

    exit_code = 2


class SourceSyntaxError(UserError):
    """A source file does not parse; the message names the file and line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line = path, line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class ValidationFailed(UserError):
    """The data violates the SHACL shapes; ``report`` lists focus node, path and message."""

    exit_code = 3

    def __init__(self, message: str, report: object = None) -> None:
        self.report = report
        super().__init__(message)


class ParameterError(UserError):
    """A query or command parameter is missing, unknown or of the wrong type."""
