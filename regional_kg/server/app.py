"""The HTTP side of ``rkg serve``: routes, the SPARQL 1.1 Protocol, checks, errors as JSON.

Why the standard library (``http.server.ThreadingHTTPServer``) and no web framework: the server
has a handful of routes, needs no templating (one static page) and no async: each connection
gets a thread, and the work of a query happens in the engine process (see
:mod:`regional_kg.server.backend`), so a thread mostly waits on a socket. A framework would add a
dependency and an ASGI server for nothing the endpoint uses.

Every request passes the same gate before anything evaluates: the Host header (against DNS
rebinding), the size and nesting limits and the remote-clause check of
:mod:`regional_kg.limits` (before any parser sees the text), the update token. Queries then go
to the engine, at most ``workers`` at once; the request waits until the deadline (``timeout``;
time spent queued counts) and answers 503 when it passes, and the engine cancels the evaluation
itself at the same deadline (rounded up to a whole second). ``max_rows`` caps the rows (or
triples) of one answer: past it the answer is a 413 error, never a silently truncated result.

A store the engine cannot serve (a remote ``sparql:`` endpoint) is queried in-process through
the store protocol, in a bounded thread pool (:mod:`regional_kg.server.engine`); the remote
server's own limits then apply.

Answers go out in one write on a socket with ``TCP_NODELAY``: headers and body written
separately made every kept-alive request wait ≈40 ms for the client's delayed ACK.
"""

from __future__ import annotations

import csv
import email.utils
import functools
import hmac
import io
import ipaddress
import json
import mimetypes
import re
import socket
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from regional_kg import limits as query_limits
from regional_kg.catalogue import (
    _ENTITY_LABELS,
    _STATE_EXISTS,
    _STATE_LABELS,
    QuerySpec,
    UnknownQueryError,
    catalogue,
    get_query,
    parse_iri,
    run_query,
)
from regional_kg.errors import UserError
from regional_kg.formatting import json_value
from regional_kg.server import engine
from regional_kg.server.backend import (
    AnswerTooLarge,
    Engine,
    EngineFailed,
    EngineStore,
    EngineTimeout,
    QueryTimedOut,
    start_engine,
)
from regional_kg.server.engine import Limits, RequestFailed
from regional_kg.sparql_results import write_csv
from regional_kg.stores.base import QueryError, Store, StoreError

MAX_BODY = 10 * 1024 * 1024


@dataclass
class ServerConfig:
    store: Store
    update_token: str | None = None
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 8
    quiet: bool = False
    #: SERVICE / LOAD endpoints the operator allows (``--allow-service``); none by default
    allow_service: tuple[str, ...] = ()
    #: origins allowed cross-origin requests (``--cors``); ``*`` for any
    cors: tuple[str, ...] = ()
    #: extra Host header names accepted (``--allow-host``), besides loopback and the bound host
    allow_hosts: tuple[str, ...] = ()
    #: the ``oxigraph serve`` process evaluating queries (``None``: in-process, remote stores)
    engine: Engine | None = None
    #: Pages built on first request (network page, report), by route.
    page_cache: dict[str, bytes] = field(default_factory=dict)


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server holding the store, the worker pool and the settings."""

    daemon_threads = True
    allow_reuse_address = True
    #: the listen backlog. The standard library's 5 made a burst of more clients than that
    #: (8 benchmark clients connecting at once) lose SYNs, each retried by the kernel after a
    #: full second: rounds of 8 x 100 light requests took 1.07 s instead of 0.2 s (throughput
    #: "6x" below ``oxigraph serve``, whose Rust listener queues 1,024). The kernel caps it at
    #: ``net.core.somaxconn``.
    request_queue_size = 1024
    server_address: tuple[str, int] | tuple[str, int, int, int]  # an IP socket's: host as text

    def __init__(self, address: tuple[str, int], config: ServerConfig) -> None:
        # everything server_close needs exists before the bind, which may fail (port taken)
        self.config = config
        self.pool = ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="rkg-query")
        self._report_tmp: tempfile.TemporaryDirectory | None = None
        super().__init__(address, Handler)
        #: free engine slots of the ``workers`` (see :meth:`in_slot`), guarded by _active_lock
        self.free_slots = config.workers
        self.hosts = _allowed_hosts(self.server_address[0], config.allow_hosts)
        #: label → IRI per kind (``state``/``entity``), for catalogue parameters; see
        #: :meth:`Handler._resolve_labels`. Rebuilt after an update.
        self.label_index: dict[str, dict[str, str]] = {}
        #: counts updates, so an index built from data an update has since changed is dropped
        self.data_version = 0
        self._specs: tuple[float, dict[str, Any]] | None = None
        self.write_lock = threading.Lock()
        self.page_lock = threading.Lock()
        #: queries being evaluated right now (for /health and tests)
        self.active = 0
        self._active_lock = threading.Lock()
        #: signalled when a slot is freed and a request waits for one
        self._slot_freed = threading.Condition(self._active_lock)
        self._waiting = 0
        self._report: Path | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def evaluate(self, function, *args, **kwargs):
        """Run ``function`` in this worker thread, counted in :attr:`active`."""
        with self._active_lock:
            self.active += 1
        try:
            return function(*args, **kwargs)
        finally:
            with self._active_lock:
                self.active -= 1

    def specs(self) -> dict[str, Any]:
        """The catalogue by name, read again at most every few seconds: the catalogue's own
        freshness check lists and stats every ``.rq`` file on each lookup."""
        now = time.monotonic()
        if self._specs is None or now - self._specs[0] > 5.0:
            self._specs = (now, {spec.name: spec for spec in catalogue()})
        return self._specs[1]

    def in_slot(self, deadline: float, function, *args, **kwargs):
        """Run ``function`` in this thread once one of the ``workers`` slots is free, waiting
        at most until ``deadline``; counted in :attr:`active`.

        One lock for the slot and the count, taken once on the way in and once on the way out
        (a ``BoundedSemaphore`` and :meth:`evaluate` took four, in Python code, per request)."""
        with self._active_lock:
            if self.free_slots <= 0:
                self._wait_for_slot(deadline)
            self.free_slots -= 1
            self.active += 1
        try:
            return function(*args, **kwargs)
        finally:
            with self._active_lock:
                self.free_slots += 1
                self.active -= 1
                if self._waiting:
                    self._slot_freed.notify()

    def _wait_for_slot(self, deadline: float) -> None:
        """Wait (holding ``_active_lock``) until a slot is free; QueryTimeout at ``deadline``."""
        self._waiting += 1
        try:
            while self.free_slots <= 0:
                left = deadline - time.monotonic()
                if left <= 0 or not self._slot_freed.wait(left):
                    if self.free_slots > 0:
                        break
                    raise engine.QueryTimeout(self.config.timeout)
        finally:
            self._waiting -= 1

    def run_until(self, deadline: float, function: Callable[[], Any]) -> Any:
        """``function()`` evaluated by the engine path (in this thread, in a slot) or, for a
        store the engine cannot serve, in the worker pool; :class:`~engine.QueryTimeout` once
        ``deadline`` passes."""
        if self.config.engine is not None:
            return self.in_slot(deadline, function)
        future = self.pool.submit(self.evaluate, function)
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            future.cancel()  # if still queued it never starts
            raise engine.QueryTimeout(self.config.timeout) from None

    def report_dir(self) -> Path:
        """The report (``rkg report``'s pages), written on first use; call under ``page_lock``."""
        if self._report is None:
            try:
                from regional_kg.report import write_report
            except ImportError:
                raise RequestFailed(
                    404, "not-available", "the report is not part of this installation"
                ) from None
            self._report_tmp = tempfile.TemporaryDirectory(prefix="rkg-serve-report-")
            out = Path(self._report_tmp.name) / "report"
            write_report(out, store=self.config.store)
            self._report = out
        return self._report

    def server_close(self) -> None:
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)
        if self.config.engine is not None:
            self.config.engine.close()
        if self._report_tmp is not None:
            self._report_tmp.cleanup()


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    # set by BaseHTTPRequestHandler, but not declared in typeshed's stubs
    raw_requestline: bytes
    _headers_buffer: list[bytes]
    server_version = "regional-kg"
    protocol_version = "HTTP/1.1"

    # --- plumbing ------------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        # one write per answer (see _send) and no Nagle delay on the last segment
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def parse_request(self) -> bool:
        """The request line and headers, read without the email parser the standard library
        uses (a third of the server's own time per request); anything unusual (HTTP/0.9, other
        versions) goes to the standard library's parser."""
        line = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = line.split()
        if len(words) != 3 or words[2] not in ("HTTP/1.1", "HTTP/1.0"):
            return super().parse_request()
        self.requestline = line
        self.command, self.path, self.request_version = words
        headers = _Headers()
        while True:
            raw = self.rfile.readline(65537)
            if len(raw) > 65536:
                self.send_error(431, "Line too long")
                return False
            if raw in (b"\r\n", b"\n", b""):
                break
            name, sep, value = raw.decode("iso-8859-1").partition(":")
            if not sep or not name or name[0] in " \t" or len(headers) >= 100:
                self.send_error(400, "Bad header")
                return False
            key = name.strip().lower()
            if key == "host" and key in headers:
                self.send_error(400, "More than one Host header")
                return False
            headers.setdefault(key, value.strip())
        self.headers = headers  # type: ignore[assignment]
        connection = headers.get("connection", "").lower()
        self.close_connection = connection == "close" or (
            self.request_version == "HTTP/1.0" and connection != "keep-alive"
        )
        if headers.get("expect", "").lower() == "100-continue" and words[2] == "HTTP/1.1":
            return self.handle_expect_100()
        return True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.config.quiet:
            return
        sys.stderr.write(f"rkg serve: {self.address_string()} {format % args}\n")

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_OPTIONS(self) -> None:  # noqa: N802
        """A CORS preflight (for an allowed origin) or the plain list of methods."""
        try:
            self._check_host()
        except RequestFailed as exc:
            self._error(exc.status, exc.code, exc.message)
            return
        headers = {"Allow": "GET, POST, HEAD, OPTIONS"}
        if self._cors_origin() and self.headers.get("Access-Control-Request-Method"):
            headers.update(
                {
                    "Access-Control-Allow-Methods": "GET, POST, HEAD, OPTIONS",
                    "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
                    "Access-Control-Max-Age": "600",
                }
            )
        self._send(204, b"", "text/plain", headers)

    def _dispatch(self, method: str) -> None:
        try:
            self._check_host()
            if "?" in self.path or "#" in self.path or "//" in self.path:
                url = urllib.parse.urlsplit(self.path)
                self.query_params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
                raw_path = url.path
            else:  # the common case, /sparql with a POST body: nothing to split
                self.query_params, raw_path = {}, self.path
            self._route(method, raw_path.rstrip("/") or "/", raw_path)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:
            failure = _client_error(exc)
            if failure is None:  # never a traceback to the client; the log keeps it
                traceback.print_exc(file=sys.stderr)
                failure = (500, "internal-error", "the server failed on this request (see its log)")
            self._error(*failure)

    def _route(self, method: str, path: str, raw_path: str) -> None:
        if path == "/sparql":
            self._sparql(method)
            return
        if method != "GET":
            raise RequestFailed(405, "method-not-allowed", f"{method} is not allowed on {path}")
        page = _PAGES.get(path)
        if page is not None:
            page(self)
        elif path.startswith("/queries/"):
            self._catalogue_query(_unquote(path[len("/queries/") :]))
        elif path == "/report" and not raw_path.endswith("/"):
            self._send(301, b"", "text/plain", {"Location": "/report/"})
        elif path == "/report" or path.startswith("/report/"):
            self._report_file(_unquote(raw_path[len("/report/") :]))
        else:
            raise RequestFailed(404, "not-found", f"no such page: {path}")

    def _index(self) -> None:
        self._send(200, _static("index.html"), "text/html; charset=utf-8")

    def _check_host(self) -> None:
        """Refuse a Host the server does not answer for: a page on ``evil.example`` whose name
        was re-pointed at 127.0.0.1 (DNS rebinding) sends ``Host: evil.example``."""
        host = self.headers.get("Host")
        if host is None:
            return  # HTTP/1.0 clients; browsers always send it
        name = _host_name(host)
        if name in self.server.hosts or _is_ip(name):
            return
        raise RequestFailed(
            421,
            "host-not-allowed",
            f"this server does not answer for host {name!r}; "
            "start it with --allow-host NAME to accept it",
        )

    def _cors_origin(self) -> str | None:
        origin = self.headers.get("Origin")
        allowed = self.server.config.cors
        if not origin or not allowed:
            return None
        if "*" in allowed or origin in allowed:
            return origin
        return None

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        """The answer, status line to body, in one write (see the module's docstring). Built
        here rather than with ``send_response``/``send_header``: those format and append each
        line on its own, a measurable part of a light query's time in the server."""
        parts = [
            _status_line(status),
            _date_header(),
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "X-Content-Type-Options: nosniff\r\n",
        ]
        if content_type.startswith("text/html"):
            parts.append(
                "Content-Security-Policy: default-src 'self'; script-src 'self' 'unsafe-inline'; "
                "style-src 'self' 'unsafe-inline'; img-src 'self' data:\r\n"
            )
        origin = self._cors_origin()
        if origin:
            parts.append(
                f"Access-Control-Allow-Origin: {origin}\r\n"
                "Access-Control-Expose-Headers: X-Result-Count\r\nVary: Origin\r\n"
            )
        for key, value in (headers or {}).items():
            parts.append(f"{key}: {value}\r\n")
        if self.close_connection:
            parts.append("Connection: close\r\n")
        parts.append("\r\n")
        head = "".join(parts).encode("latin-1", "strict")
        self.wfile.write(head + body if self.command != "HEAD" else head)
        if not self.server.config.quiet:
            self.log_request(status, len(body))

    def _error(self, status: int, code: str, message: str) -> None:
        body = json.dumps({"error": code, "message": message}).encode("utf-8")
        try:
            self._send(status, body, "application/json")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise RequestFailed(400, "bad-request", "Content-Length is not a number") from None
        if length > MAX_BODY:
            raise RequestFailed(413, "request-too-large", f"request body over {MAX_BODY} bytes")
        return self.rfile.read(length) if length > 0 else b""

    def _param(self, name: str) -> str | None:
        values = self.query_params.get(name)
        return values[0] if values else None

    # --- /sparql -------------------------------------------------------------------------------

    def _sparql(self, method: str) -> None:
        params = {k: list(v) for k, v in self.query_params.items()}
        query = update = None
        if method == "POST":
            query, update = self._read_post(params)
        elif "update" in params:
            raise RequestFailed(405, "method-not-allowed", "SPARQL Update needs POST")
        if query is None and "query" in params:
            query = params["query"][0]
        if update is None and "update" in params and method == "POST":
            update = params["update"][0]
        if query is not None and update is not None:
            raise RequestFailed(400, "bad-request", "give either query or update, not both")
        if update is not None:
            self._update(update)
        elif query is not None:
            self._query(query, params)
        else:
            self._service_description()

    def _read_post(self, params: dict[str, list[str]]) -> tuple[str | None, str | None]:
        """The query or update a POST body holds (direct, or a form whose fields join
        ``params``): ``(query, update)``, either ``None``."""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = self._body()
        if ctype == "application/sparql-query":
            return _text(body), None
        if ctype == "application/sparql-update":
            return None, _text(body)
        if ctype not in ("application/x-www-form-urlencoded", ""):
            raise RequestFailed(
                415, "unsupported-media-type", f"cannot read a body of type {ctype!r}"
            )
        form = urllib.parse.parse_qs(_text(body), keep_blank_values=True)
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
        return None, None

    def _query(self, query: str, params: dict[str, list[str]]) -> None:
        config = self.server.config
        started = time.monotonic()
        scanned = query_limits.scan(query)  # before any parser sees the text
        query_limits.check_remote(scanned, config.allow_service)
        limits = Limits(started + config.timeout, config.timeout, config.max_rows)
        accept = self.headers.get("Accept")
        options: dict[str, Any] = {
            "explicit_format": params["format"][0] if params.get("format") else None,
            "default_graphs": params.get("default-graph-uri", []),
            "named_graphs": params.get("named-graph-uri", []),
        }
        if config.engine is not None:
            run = functools.partial(
                _engine_query, config.engine, query, scanned.form, accept, limits, **options
            )
        else:
            run = functools.partial(
                engine.run_query, config.store, query, accept, limits, **options
            )
        answer = self.server.run_until(limits.deadline, run)
        headers = {"Vary": "Accept"}
        if answer.rows is not None:
            headers["X-Result-Count"] = str(answer.rows)
        self._send(200, answer.body, answer.content_type, headers)

    def _update(self, text: str) -> None:
        config = self.server.config
        if not config.update_token:
            raise RequestFailed(
                403, "forbidden", "this server is read-only (start it with --update-token)"
            )
        auth = self.headers.get("Authorization") or ""
        given = auth[len("Bearer ") :].strip() if auth.startswith("Bearer ") else ""
        if not given or not hmac.compare_digest(given.encode(), config.update_token.encode()):
            raise RequestFailed(
                403, "forbidden", "SPARQL Update needs 'Authorization: Bearer <update token>'"
            )
        scanned = query_limits.scan(text, update=True)
        query_limits.check_remote(scanned, config.allow_service)
        with self.server.write_lock:
            try:
                # through the store, which keeps its own bookkeeping (the union copy)
                config.store.update(text)
            except QueryError as exc:
                raise RequestFailed(400, "syntax", str(exc)) from None
            self.server.data_version += 1
            self.server.label_index.clear()
        self.server.config.page_cache.clear()
        with self.server.page_lock:
            self.server._report = None  # rebuilt from the changed data on next request
        self._send(204, b"", "text/plain")

    def _service_description(self) -> None:
        accept = (self.headers.get("Accept") or "").lower()
        if "text/html" in accept and "turtle" not in accept:
            self._send(303, b"", "text/plain", {"Location": "/"})
            return
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        endpoint = f"http://{host}/sparql"
        languages = "sd:SPARQL11Query" + (
            ", sd:SPARQL11Update" if self.server.config.update_token else ""
        )
        formats = ", ".join(
            f"<http://www.w3.org/ns/formats/{f}>"
            for f in (
                "SPARQL_Results_JSON",
                "SPARQL_Results_XML",
                "SPARQL_Results_CSV",
                "SPARQL_Results_TSV",
                "Turtle",
                "N-Triples",
                "JSON-LD",
            )
        )
        ttl = (
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\n"
            f"<{endpoint}> a sd:Service ;\n"
            f"    sd:endpoint <{endpoint}> ;\n"
            f"    sd:supportedLanguage {languages} ;\n"
            f"    sd:resultFormat {formats} ;\n"
            "    sd:feature sd:UnionDefaultGraph ;\n"
            "    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .\n"
        )
        self._send(200, ttl.encode("utf-8"), "text/turtle; charset=utf-8")

    # --- other routes --------------------------------------------------------------------------

    def _health(self) -> None:
        """O(1): whether the engine runs, never a count of the data (seconds on a big store)."""
        config = self.server.config
        body: dict[str, Any] = {
            "status": "ok",
            "store": config.store.spec,
            "running_queries": self.server.active,
            "engine": "oxigraph serve" if config.engine is not None else "in-process",
            "read_only": not config.update_token,
        }
        if config.engine is not None and not config.engine.alive():
            body.update(status="engine-stopped", message="the query engine process stopped")
        self._send(
            200 if body["status"] == "ok" else 503,
            json.dumps(body).encode(),
            "application/json",
        )

    def _catalogue(self) -> None:
        entries = [
            {
                "name": spec.name,
                "title": spec.title,
                "description": spec.description,
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "required": p.required,
                        "default": p.default,
                        "description": p.description,
                    }
                    for p in spec.params
                ],
                "text": spec.text,
                "url": f"/queries/{spec.name}",
            }
            for spec in catalogue()
        ]
        self._send(200, json.dumps(entries).encode("utf-8"), "application/json")

    def _catalogue_query(self, name: str) -> None:
        fmt = self._catalogue_format()
        spec = self._catalogue_spec(name)
        params = {k: v[0] for k, v in self.query_params.items() if k != "format"}
        config = self.server.config
        deadline = time.monotonic() + config.timeout
        if config.engine is not None:
            params, known = self.server.in_slot(deadline, self._resolve_labels, spec, params)
            store: Store = _KnownIris(config.engine, config.store.spec, known)
        else:
            store = config.store
        result = self.server.run_until(deadline, functools.partial(run_query, store, spec, params))
        if time.monotonic() > deadline + 1.0:
            raise engine.QueryTimeout(config.timeout)
        if len(result.rows) > config.max_rows:
            raise engine.TooManyRows(config.max_rows, "rows")
        if fmt == "csv":
            out = io.StringIO()
            write_csv(result.variables, result.rows, out)
            self._send(200, out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")
            return
        body = {
            "query": spec.name,
            "title": spec.title,
            "variables": list(result.variables),
            "rows": [{k: json_value(v) for k, v in row.items()} for row in result.rows],
        }
        self._send(200, json.dumps(body).encode("utf-8"), "application/json")

    def _catalogue_format(self) -> str:
        """``json`` (the default) or ``csv``, from ``?format=`` or the Accept header."""
        fmt = (self._param("format") or "").lower()
        if not fmt:
            accept = (self.headers.get("Accept") or "").lower()
            fmt = "csv" if "text/csv" in accept and "json" not in accept else "json"
        if fmt not in ("json", "csv"):
            raise RequestFailed(406, "not-acceptable", "catalogue answers are json or csv")
        return fmt

    def _catalogue_spec(self, name: str) -> QuerySpec:
        spec = self.server.specs().get(name)
        if spec is not None:
            return spec
        try:
            return get_query(name)
        except UnknownQueryError as exc:
            raise RequestFailed(404, "unknown-query", str(exc)) from None

    def _resolve_labels(
        self, spec: Any, params: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, set[str]]]:
        """Replace state/entity labels by the IRI they name, from an index built once.

        The catalogue's own resolution runs a label-matching query per value, a regular
        expression over every label of the store (that made ``/queries/NAME`` 10× slower than
        ``/sparql``), then asks whether the IRI exists. Here one query lists the labels once per
        data version; a label that is unknown or ambiguous is left as given, so the catalogue
        still words the error. Also returned: the IRIs found, by kind, which need no check.
        """
        resolved = dict(params)
        known: dict[str, set[str]] = {"state": set(), "entity": set()}
        for p in spec.params:
            if p.type not in ("state", "entity"):
                continue
            value = resolved.get(p.name) or p.default
            if not value or parse_iri(value) is not None:
                continue
            iri = self._label_index(p.type).get(_normal_label(value))
            if iri is not None:
                resolved[p.name] = f"<{iri}>"
                known[p.type].add(iri)
        return resolved, known

    def _label_index(self, kind: str) -> dict[str, str]:
        index = self.server.label_index.get(kind)
        if index is not None:
            return index
        version = self.server.data_version
        rows = self.server.config.store.select(_STATE_LABELS if kind == "state" else _ENTITY_LABELS)
        found: dict[str, set[str]] = {}
        for row in rows.rows:
            subject, label = row.get("s"), row.get("label")
            if subject is not None and label is not None:
                found.setdefault(_normal_label(str(label)), set()).add(str(subject))
        index = {}
        for normal, subjects in found.items():
            if len(subjects) > 1:  # the catalogue's rule: the project's data IRIs first
                data = {s for s in subjects if s.startswith("https://w3id.org/regional-kg/id/")}
                subjects = data or subjects
            if len(subjects) == 1:
                index[normal] = next(iter(subjects))
        if version == self.server.data_version:
            self.server.label_index[kind] = index
        return index

    def _network(self) -> None:
        cache = self.server.config.page_cache
        with self.server.page_lock:
            if "network" not in cache:
                cache["network"] = _network_html(self.server.config.store)
        self._send(200, cache["network"], "text/html; charset=utf-8")

    def _report_file(self, name: str) -> None:
        """A file of the report, written once per server into a folder of its own."""
        if "\x00" in name:
            raise RequestFailed(400, "bad-request", "a file name cannot contain a NUL character")
        with self.server.page_lock:
            folder = self.server.report_dir()
        name = name or "index.html"
        target = (folder / name).resolve()
        if folder.resolve() not in target.parents or not target.is_file():
            raise RequestFailed(404, "not-found", f"the report has no file {name!r}")
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/json", "image/svg+xml"):
            ctype += "; charset=utf-8"
        self._send(200, target.read_bytes(), ctype)


#: the GET routes that are one exact path
_PAGES: dict[str, Callable[[Handler], None]] = {
    "/": Handler._index,
    "/health": Handler._health,
    "/queries": Handler._catalogue,
    "/network": Handler._network,
}


def _client_error(exc: Exception) -> tuple[int, str, str] | None:
    """The status, code and message a failure is answered with; ``None`` for a bug (a 500)."""
    if isinstance(exc, RequestFailed):
        return exc.status, exc.code, exc.message
    if isinstance(exc, query_limits.RemoteClauseError):
        return exc.status, exc.code, str(exc)
    if isinstance(exc, query_limits.QueryLimitError):
        return 400, exc.code, str(exc)
    if isinstance(exc, UserError):
        return 400, "bad-request", str(exc)
    if isinstance(exc, QueryTimedOut):
        return 503, "timeout", engine.QueryTimeout(exc.seconds).message
    if isinstance(exc, StoreError):
        return 502, "store-error", str(exc)
    return None


# --- the engine path of /sparql ----------------------------------------------------------------

#: short format name → media type asked of the engine
_ENGINE_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def _engine_query(
    backend: Engine,
    query: str,
    form: str | None,
    accept: str | None,
    limits: Limits,
    *,
    explicit_format: str | None,
    default_graphs: list[str],
    named_graphs: list[str],
) -> engine.Answer:
    """Forward a checked query to the engine and relay its answer, counted and capped.

    The engine writes every format itself (in Rust); Python only counts rows for the cap and
    ``X-Result-Count``. Graphs come back as N-Triples (one triple a line, so counting is
    exact) and are re-serialised by pyoxigraph when Turtle or JSON-LD was asked for.
    """
    if form is None:
        form = "select"  # no query form keyword: the engine's parser says where it goes wrong
    fmt = engine.negotiate(accept, form, explicit_format)
    media = "application/n-triples" if form == "graph" else _ENGINE_TYPES[fmt]
    body = _ask_engine(backend, query, media, form, limits, default_graphs, named_graphs)
    if form == "graph":
        return _graph_answer(body, fmt, limits)
    if form == "ask":
        return engine.Answer(body, engine.CONTENT_TYPES[fmt])
    count = _count_rows(body, fmt)
    if count > limits.max_rows:
        raise engine.TooManyRows(limits.max_rows, "rows")
    return engine.Answer(body, engine.CONTENT_TYPES[fmt], count)


def _ask_engine(
    backend: Engine,
    query: str,
    media: str,
    form: str,
    limits: Limits,
    default_graphs: list[str],
    named_graphs: list[str],
) -> bytes:
    """The engine's answer body, its failures as the client's errors."""
    try:
        answer = backend.query(
            query,
            media,
            deadline=limits.deadline,
            max_bytes=min(limits.max_rows * 4096, 1 << 30),
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
    except EngineTimeout:
        raise engine.QueryTimeout(limits.timeout) from None
    except AnswerTooLarge:
        raise engine.TooManyRows(
            limits.max_rows, "triples" if form == "graph" else "rows"
        ) from None
    except EngineFailed as exc:
        if exc.status >= 500:
            raise RequestFailed(502, "engine-error", exc.message) from None
        code = "syntax" if "error at" in exc.message or "expected" in exc.message else "query-error"
        prefix = "query syntax error: " if code == "syntax" else ""
        raise RequestFailed(400, code, prefix + exc.message) from None
    return answer.body


def _graph_answer(body: bytes, fmt: str, limits: Limits) -> engine.Answer:
    """The engine's N-Triples, counted (one triple a line) and re-serialised if asked."""
    count = body.count(b"\n")
    if count > limits.max_rows:
        raise engine.TooManyRows(limits.max_rows, "triples")
    if fmt != "ntriples":
        serialized = ox.serialize(
            ox.parse(body, format=ox.RdfFormat.N_TRIPLES),
            format=engine.OX_FORMATS[fmt],
            prefixes=engine.prefixes_for(fmt),
        )
        assert serialized is not None  # serialize() without an output returns the bytes
        body = serialized
    return engine.Answer(body, engine.CONTENT_TYPES[fmt], count)


def _count_rows(body: bytes, fmt: str) -> int:
    """Rows of a SELECT answer as the engine wrote it."""
    if fmt == "json":
        return _count_json_rows(body)
    if fmt == "xml":
        return body.count(b"<result>")
    if fmt == "tsv":
        return max(0, body.count(b"\n") - 1)  # the engine escapes newlines in values
    return max(0, sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1)


#: where one solution ends and the next begins in Oxigraph's compact SPARQL JSON (see
#: :func:`_count_json_rows`): ``},{"`` and a variable name's first byte, or an empty ``{}``
_ROW_BREAK = re.compile(rb'\},\{("[^,}\]:]|\})')


def _count_json_rows(body: bytes) -> int:
    """The bindings of the engine's SPARQL JSON, counted without building them: ``json.loads``
    took 20-35 µs of the front's ≈120 µs on a light query (this: ≈5 µs), and 0.23 s on a
    35,000-row answer of 8.7 MB (this: 0.09 s).

    Once the escapes ``\\\\`` and ``\\"`` are dropped (a backslash always starts a
    two-character escape, and a run of them pairs up from the left as ``bytes.replace`` scans),
    every ``"`` left opens or closes a string. In the engine's compact layout two solutions
    meet as ``},{"`` followed by a variable name. The same bytes appear elsewhere only as the
    end of a string whose text ends in ``},{``, and the byte after such a closing quote is
    ``,``, ``}``, ``]`` or ``:``, which never starts a variable name. The first solution
    follows ``"bindings":[``. An empty solution ``{}`` (or its bytes inside a literal) and any
    other layout are parsed instead.
    """
    text = body.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in body else body
    start = text.find(b'"bindings":[') + 12
    if start < 12 or not text.startswith(b'{"head":{"vars":['):
        return len(json.loads(body)["results"]["bindings"])
    first = text[start : start + 2]
    if first[:1] != b"{":
        return 0
    breaks = _ROW_BREAK.findall(text, start)
    if first == b"{}" or b"}" in breaks:
        return len(json.loads(body)["results"]["bindings"])
    return 1 + len(breaks)


# --- helpers -----------------------------------------------------------------------------------


class _KnownIris(EngineStore):
    """The engine store, answering the catalogue's existence checks itself for IRIs the label
    index just found (a state with a label, an entity with a label): one round trip less."""

    _ENTITY_EXISTS = "ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }"

    def __init__(self, engine: Engine, spec: str, known: dict[str, set[str]]) -> None:
        super().__init__(engine, spec)
        self._known = {
            _STATE_EXISTS: known.get("state", set()),
            self._ENTITY_EXISTS: known.get("entity", set()),
        }

    def ask(self, query: str, bindings: Any = None) -> bool:
        iris = self._known.get(query)
        if iris and bindings and set(bindings) == {"x"} and str(bindings["x"]) in iris:
            return True
        return super().ask(query, bindings)


class _Headers(dict):
    """Request headers by lower-case name; ``get`` ignores case like ``email.message``'s."""

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return dict.get(self, name.lower(), default)

    def __getitem__(self, name: str) -> Any:
        return dict.get(self, name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and dict.__contains__(self, name.lower())


_REASONS = {status.value: status.phrase for status in HTTPStatus}


@functools.lru_cache(maxsize=64)
def _status_line(status: int) -> str:
    return f"HTTP/1.1 {status} {_REASONS.get(status, '')}\r\nServer: regional-kg\r\n"


_date_cache: list[Any] = [0, ""]


def _date_header() -> str:
    """The ``Date`` header, formatted once a second (HTTP/1.1 servers with a clock send it)."""
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, f"Date: {email.utils.formatdate(now, usegmt=True)}\r\n"]
    return _date_cache[1]


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestFailed(
            400, "bad-request", f"the request body is not UTF-8 (byte {exc.start})"
        ) from None


def _unquote(part: str) -> str:
    if "%" not in part:
        return part
    try:
        return urllib.parse.unquote(part, errors="strict")
    except UnicodeDecodeError:
        raise RequestFailed(400, "bad-request", "the path is not UTF-8 once decoded") from None


def _normal_label(text: str) -> str:
    return " ".join(text.casefold().replace("\u2013", "-").split())


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_ip(name: str) -> bool:
    """An IP literal cannot be re-pointed by DNS, so it is always safe to answer for."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _allowed_hosts(bound: str, extra: tuple[str, ...]) -> set[str]:
    names = {"localhost", "localhost.localdomain", "127.0.0.1", "::1"}
    if bound and bound not in ("0.0.0.0", "::"):
        names.add(bound.lower())
    names.update(_host_name(name) for name in extra)
    return names


def _static(name: str) -> bytes:
    return resources.files("regional_kg.server").joinpath(name).read_bytes()


def _network_html(store: Store) -> bytes:
    """The relation network page (``rkg viz``'s page), if this installation has it."""
    try:
        from regional_kg.page.from_store import network_page
    except ImportError:
        raise RequestFailed(
            404, "not-available", "the network page is not part of this installation"
        ) from None
    return network_page(store).rendered.html.encode("utf-8")


def make_server(
    store: Store,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    update_token: str | None = None,
    timeout: float = 30.0,
    max_rows: int = 100_000,
    workers: int = 8,
    quiet: bool = False,
    allow_service: tuple[str, ...] = (),
    cors: tuple[str, ...] = (),
    allow_hosts: tuple[str, ...] = (),
    use_engine: bool = True,
) -> SparqlServer:
    """A ready server bound to ``host:port`` (port 0 picks a free one); call ``serve_forever``.

    With ``use_engine`` (the default) an Oxigraph or in-memory store is served by an ``oxigraph
    serve`` process (see :mod:`regional_kg.server.backend`); an on-disk store is closed and
    handed to it. ``server_close`` stops the engine.
    """
    if not 0 <= port <= 65535:
        raise UserError(f"--port {port}: a port is a number from 0 to 65535")
    config = ServerConfig(
        store,
        update_token,
        timeout,
        max_rows,
        workers,
        quiet,
        tuple(allow_service),
        tuple(cors),
        tuple(allow_hosts),
    )
    try:
        server = SparqlServer((host, port), config)  # bind first: a taken port fails fast
    except (OSError, OverflowError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(f"cannot listen on {host}:{port}: {reason}") from None
    if use_engine:
        try:
            backend = start_engine(store, timeout=timeout, writable=bool(update_token))
        except BaseException:
            server.server_close()
            raise
        if backend is not None:
            config.engine, config.store = backend, EngineStore(backend, store.spec)
    return server
