"""Checks on a SPARQL text *before* any parser sees it: size, nesting depth, remote clauses.

Why before parsing: Oxigraph's parser is recursive, so a few kilobytes of nested brackets
(``SELECT * WHERE {{{{…}}}}``, 3,000 levels) overflow its stack and kill the process (``rkg
serve`` died, ``rkg query`` segfaulted). No parse option prevents that; the text has to be
refused first. And pyoxigraph exposes no parsed query (no algebra to inspect), while its engine
evaluates ``SERVICE <url>`` and ``LOAD <url>`` by making HTTP requests from the server, so the
remote clauses have to be found in the text too.

One small tokenizer does both. It walks the text token by token the way the SPARQL grammar does
(strings, IRIs, comments, prefixed names with their ``\\#``-style escapes, variables, language
tags, blank nodes), so a keyword, bracket or ``#`` inside a string literal, an IRI or a comment
counts for nothing, and a keyword *outside* one cannot be hidden by a trick that a regular
expression over the raw text falls for. It fails closed: a character that starts no SPARQL
token (a stray quote or backslash, a non-ASCII character outside a name) stops the scan with a
syntax error instead of being skipped, so the scanner never reads past something the engine
would read differently. Oxigraph does not decode ``\\u`` escapes outside strings and IRIs
(checked: ``\\u0053ERVICE`` is a syntax error), so neither does the scanner; inside IRIs they
are decoded before an endpoint is compared with the allow-list.

Used by ``rkg serve`` (every query and update) and ``rkg query`` (size and depth).
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar, cast

from regional_kg.errors import QueryLimitError, RemoteClauseError

#: Deepest bracket nesting (``{``, ``(`` and ``[`` together) a query may have. Real queries stay
#: under 20; Oxigraph's parser survived 1,000 in a test but runs on threads with small stacks.
MAX_DEPTH = 100
#: Largest query text, in characters. The catalogue's longest query is under 5 KB.
MAX_QUERY_CHARS = 512 * 1024
#: Largest update text (``INSERT DATA`` may carry data), in characters.
MAX_UPDATE_CHARS = 10 * 1024 * 1024


#: ``[A-Za-z0-9_\-\u00B7-\U0010FFFF]`` (a name character) and ``[A-Za-z\u00C0-\U0010FFFF]`` (a
#: prefix's first character), spelt as the ASCII and Latin-1 characters they leave out: the same
#: sets, but a class reaching up to U+10FFFF is compiled into a bitmap of every code point, which
#: made importing this module cost 14 ms, the largest part of ``rkg query``'s own start-up.
_PN_CHAR = r"[^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\xb6]"
_PN_START = r"[^\x00-\x40\x5b-\x60\x7b-\xbf]"
_TOKEN = re.compile(
    r"""
    (?:[ \t\r\n]+|\#[^\r\n]*+)*+   # white space and comments (possessive: no backtracking)
    (?:(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$]"""
    + _PN_CHAR
    + r"""+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:(?:"""
    + _PN_CHAR
    + r"""|\.)*)
  | (?P<pname>(?:"""
    + _PN_START
    + r"""(?:"""
    + _PN_CHAR
    + r"""|\.)*)?:(?:"""
    + _PN_CHAR
    + r"""|[.:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[.,;*+\-/!=<>|^?$])
  | (?P<bad>[^ \t\r\n\#])
  | \Z)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PLX = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Scan:
    """What the scanner learnt about a text (shared between callers: immutable)."""

    #: ``select``, ``ask``, ``graph`` (CONSTRUCT / DESCRIBE), or ``None`` (an update)
    form: str | None = None
    depth: int = 0
    #: ``SERVICE`` endpoints as written and resolved (``None``: a variable endpoint)
    services: tuple[str | None, ...] = ()
    #: ``LOAD`` sources, resolved
    loads: tuple[str, ...] = ()


#: texts up to this size are remembered with their scan (clients repeat their queries)
_CACHED_CHARS = 16 * 1024


def _tokens(text: str) -> Iterable[tuple[str, str, int]]:
    """``(kind, text, position)`` of every token, white space and comments left out.

    Each match starts where the previous one ended (the pattern matches at every position:
    a token, a ``bad`` character or the end), so no character is ever skipped unseen.
    """
    end = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if m.start() != end or kind == "bad":
            pos = m.start(kind) if kind == "bad" else end
            line = text.count("\n", 0, pos) + 1
            column = pos - (text.rfind("\n", 0, pos) + 1) + 1
            raise QueryLimitError(
                f"query syntax error at {line}:{column}: unexpected {text[pos]!r}", "syntax"
            )
        end = m.end()
        if kind is not None:
            yield kind, m.group(kind), m.start(kind)


def _iri_value(token: str, base: str | None) -> str:
    value = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])
    return urllib.parse.urljoin(base, value) if base else value


def scan(
    text: str,
    *,
    update: bool = False,
    max_depth: int = MAX_DEPTH,
    max_chars: int | None = None,
) -> Scan:
    """Check ``text`` against the limits and list its remote clauses; raise on a broken limit.

    Stops at the first bracket past ``max_depth``, so a 100,000-level text costs no more than a
    100-level one. A short text's result is cached (a failed scan raises again, uncached).
    """
    if len(text) <= _CACHED_CHARS:
        return _scan_cached(text, update, max_depth, max_chars)
    return _scan(text, update, max_depth, max_chars)


@functools.lru_cache(maxsize=1024)
def _scan_cached(text: str, update: bool, max_depth: int, max_chars: int | None) -> Scan:
    return _scan(text, update, max_depth, max_chars)


def _scan(text: str, update: bool, max_depth: int, max_chars: int | None) -> Scan:
    _check_size(text, update, max_chars)
    return _Scanner(text, update, max_depth).run()


def _what(update: bool) -> str:
    return "update" if update else "query"


def _check_size(text: str, update: bool, max_chars: int | None) -> None:
    """Refuse a text longer than ``max_chars`` (by default, the limit for its kind)."""
    limit = (
        max_chars if max_chars is not None else (MAX_UPDATE_CHARS if update else MAX_QUERY_CHARS)
    )
    if len(text) > limit:
        raise QueryLimitError(
            f"the {_what(update)} is {len(text):,} characters long; the limit is {limit:,}",
            "query-too-large",
        )


#: keywords whose next token (an IRI, a prefix name, ``SILENT``) the scanner waits for
_PENDING_KEYWORDS = frozenset({"PREFIX", "BASE", "SERVICE", "LOAD"})


class _Scanner:
    """One walk over a text's tokens: bracket depth, query form, prefixes, remote clauses.

    A keyword that takes an argument (``PREFIX``, ``BASE``, ``SERVICE``, ``LOAD``) is kept
    *pending* until its next token arrives; that token is then read as its argument instead of
    as a keyword of its own.
    """

    def __init__(self, text: str, update: bool, max_depth: int) -> None:
        self.text, self.update, self.max_depth = text, update, max_depth
        self.form: str | None = None
        self.depth = 0
        self.max_seen = 0
        self.services: list[str | None] = []
        self.loads: list[str] = []
        self.prefixes: dict[str, str] = {}
        self.base: str | None = None
        self.pending: str | None = None  # keyword waiting for its argument
        self.prefix_name: str | None = None

    def run(self) -> Scan:
        for kind, value, pos in _tokens(self.text):
            if kind == "open":
                self.open(pos)
            elif kind == "close":
                self.depth = max(0, self.depth - 1)
            if self.pending is not None:
                self.argument(kind, value)
            elif kind == "word":
                self.keyword(value)
        if self.pending == "SERVICE":  # the text ends right after the keyword: refuse, not guess
            self.services.append(None)
        elif self.pending == "LOAD":
            self.loads.append("")
        return Scan(self.form, self.max_seen, tuple(self.services), tuple(self.loads))

    def open(self, pos: int) -> None:
        """One level deeper; refused past ``max_depth`` (before the parser could overflow)."""
        self.depth += 1
        if self.depth > self.max_depth:
            line = self.text.count("\n", 0, pos) + 1
            raise QueryLimitError(
                f"the {_what(self.update)} nests brackets more than {self.max_depth} levels "
                f"deep (at line {line}); no real query needs that many, so it is refused "
                "before parsing"
            )
        self.max_seen = max(self.max_seen, self.depth)

    def keyword(self, value: str) -> None:
        upper = value.upper()
        if upper in _PENDING_KEYWORDS:
            self.pending = upper
        elif upper in _FORMS and self.form is None and not self.update:
            self.form = _FORMS[upper]

    def argument(self, kind: str, value: str) -> None:
        """The token after a pending keyword: a declaration's part or a remote clause's target."""
        keyword, self.pending = cast(str, self.pending), None
        declaration = self._DECLARATIONS.get(keyword)
        if declaration is not None:
            declaration(self, kind, value)
        elif kind == "word" and value.upper() == "SILENT":
            self.pending = keyword
        elif keyword == "SERVICE":
            self.services.append(_target(kind, value, self.prefixes, self.base))
        else:
            self.loads.append(_target(kind, value, self.prefixes, self.base) or value)

    def prefix(self, kind: str, value: str) -> None:
        if kind == "pname" and value.endswith(":"):
            self.prefix_name, self.pending = value[:-1], "PREFIX-IRI"

    def prefix_iri(self, kind: str, value: str) -> None:
        if kind == "iri" and self.prefix_name is not None:
            self.prefixes[self.prefix_name] = _iri_value(value, self.base)

    def base_iri(self, kind: str, value: str) -> None:
        if kind == "iri":
            self.base = _iri_value(value, self.base)

    _DECLARATIONS: ClassVar[dict[str, Callable[[_Scanner, str, str], None]]] = {
        "PREFIX": prefix,
        "PREFIX-IRI": prefix_iri,
        "BASE": base_iri,
    }


def _target(kind: str, value: str, prefixes: dict[str, str], base: str | None) -> str | None:
    """The IRI a ``SERVICE``/``LOAD`` names, or ``None`` for a variable (or nothing usable)."""
    if kind == "iri":
        return _iri_value(value, base)
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + _PLX.sub(r"\1", local)
        return value  # an undeclared prefix: never an allowed endpoint
    return None


def check_remote(found: Scan, allowed: Iterable[str] = ()) -> None:
    """Refuse ``SERVICE`` and ``LOAD`` unless they name an endpoint in ``allowed``.

    The server must never make a request the operator did not permit: the engine would send it
    from the server's address, to loopback or the local network included.
    """
    allowed_set = {_normal_url(url) for url in allowed}
    for target in found.services:
        if target is None:
            raise RemoteClauseError(
                "SERVICE with a variable endpoint is not supported: the server cannot know in "
                "advance where it would send requests",
                "service-not-allowed",
                400,
            )
        if _normal_url(target) not in allowed_set:
            hint = (
                f" (allowed: {', '.join(sorted(allowed_set))})"
                if allowed_set
                else "; the operator can allow an endpoint with `rkg serve --allow-service URL`"
            )
            raise RemoteClauseError(
                f"SERVICE <{target}> is refused: this server sends no requests to other "
                f"endpoints{hint}",
                "service-not-allowed",
            )
    for source in found.loads:
        if _normal_url(source) not in allowed_set:
            raise RemoteClauseError(
                f"LOAD <{source}> is refused: this server fetches no URLs "
                "(load data with `rkg build` or INSERT DATA)",
                "load-not-allowed",
            )


def _normal_url(url: str) -> str:
    return url.strip()
