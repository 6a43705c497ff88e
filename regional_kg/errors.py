"""Errors a user can act on, all in one module (other modules import and raise them). The CLI
prints their message (no traceback) and exits non-zero."""

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


class QueryLimitError(UserError):
    """The text breaks a limit (size, nesting) or is not SPARQL the scanner can follow."""

    def __init__(self, message: str, code: str = "query-too-complex") -> None:
        super().__init__(message)
        self.code = code


class RemoteClauseError(UserError):
    """The text asks the server to contact another address (``SERVICE``, ``LOAD``)."""

    def __init__(self, message: str, code: str, status: int = 403) -> None:
        super().__init__(message)
        self.code, self.status = code, status


class EnrichmentError(UserError):
    """The endpoint cannot be reached or answers with an error; nothing was written."""


class ExportFormatError(UserError):
    """The export format is not one we write."""


class SourceError(UserError):
    """A source path is missing, empty or of a format we do not read."""


class StoreUnavailable(UserError):
    """The requested store cannot be opened or written (locked, not a store, ...)."""


class QueryHeaderError(UserError):
    """A ``.rq`` file's header is malformed; the message names the file and line."""


class UnknownQueryError(ParameterError):
    """No catalogue query has that name; the message suggests close names."""


class SheetError(UserError):
    """A sheet is wrong: the message names the sheet, the YAML line and the field."""

    def __init__(self, sheet: str, line: int | None, field_: str | None, message: str) -> None:
        self.sheet, self.line, self.field, self.reason = sheet, line, field_, message
        where = f"{sheet}:{line}" if line else sheet
        what = f" {field_}:" if field_ else ""
        super().__init__(f"{where}:{what} {message}")


class QueryFailed(UserError):
    """The engine rejected the query (syntax or evaluation error)."""


class BadStoreSpec(UserError):
    """The ``--store`` value names no kind of store we know."""
