"""The HTTP side of ``rkg serve``: routes, the SPARQL 1.1 Protocol, errors as JSON.

Why the standard library (``http.server.ThreadingHTTPServer``) and no web framework: the server
has a handful of routes, needs no templating (one static page) and no async (pyoxigraph releases
the GIL while it evaluates — measured: another thread kept running through a two-second
aggregate — so plain threads run queries in parallel). A framework would add a dependency and
an ASGI server for nothing the endpoint uses.

Concurrency and limits: each connection gets a thread; queries run in a bounded worker pool
(``workers``) so that at most that many evaluate at once on a small machine. The request waits
for its query until the deadline (``timeout``; time spent queued counts) and answers 503 with a
JSON error when it passes. The worker stops at the next solution it produces; an operator that
must finish before its first solution (ORDER BY, GROUP BY over a huge join) cannot be interrupted
in pyoxigraph 0.5, which has no cancellation, so that worker runs on in the background while the
other workers keep answering. ``max_rows`` caps the rows (or triples) of one answer: past it
the answer is a 413 error, never a silently truncated result.
"""

from __future__ import annotations

import hmac
import json
import mimetypes
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

from regional_kg.errors import UserError
from regional_kg.server import engine
from regional_kg.server.engine import Limits, RequestFailed
from regional_kg.stores.base import QueryError, Store, StoreError

MAX_BODY = 10 * 1024 * 1024


@dataclass
class ServerConfig:
    store: Store
    update_token: str | None = None
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 4
    quiet: bool = False
    #: Pages built on first request (network page, report), by route.
    page_cache: dict[str, bytes] = field(default_factory=dict)


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server holding the store, the worker pool and the settings."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], config: ServerConfig) -> None:
        super().__init__(address, Handler)
        self.config = config
        self.pool = ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="rkg-query")
        self.write_lock = threading.Lock()
        self.page_lock = threading.Lock()
        #: queries being evaluated right now (for /health and tests)
        self.active = 0
        self._active_lock = threading.Lock()
        self._report: Path | None = None
        self._report_tmp: tempfile.TemporaryDirectory | None = None

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
        if self._report_tmp is not None:
            self._report_tmp.cleanup()


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "regional-kg"
    protocol_version = "HTTP/1.1"

    # --- plumbing ------------------------------------------------------------------------------

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
        self._send(204, b"", "text/plain", {"Allow": "GET, POST, HEAD, OPTIONS"})

    def _dispatch(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.query_params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        raw_path = url.path
        path = raw_path.rstrip("/") or "/"
        try:
            if path == "/sparql":
                self._sparql(method)
            elif method != "GET":
                raise RequestFailed(405, "method-not-allowed", f"{method} is not allowed on {path}")
            elif path == "/":
                self._send(200, _static("index.html"), "text/html; charset=utf-8")
            elif path == "/health":
                self._health()
            elif path == "/queries":
                self._catalogue()
            elif path.startswith("/queries/"):
                self._catalogue_query(urllib.parse.unquote(path[len("/queries/") :]))
            elif path == "/network":
                self._network()
            elif path == "/report" and not raw_path.endswith("/"):
                self._send(301, b"", "text/plain", {"Location": "/report/"})
            elif path == "/report" or path.startswith("/report/"):
                self._report_file(urllib.parse.unquote(raw_path[len("/report/") :]))
            else:
                raise RequestFailed(404, "not-found", f"no such page: {path}")
        except RequestFailed as exc:
            self._error(exc.status, exc.code, exc.message)
        except UserError as exc:
            self._error(400, "bad-request", str(exc))
        except StoreError as exc:
            self._error(502, "store-error", str(exc))
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception:  # never a traceback to the client; the log keeps it
            traceback.print_exc(file=sys.stderr)
            self._error(500, "internal-error", "the server failed on this request (see its log)")

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if content_type.startswith("text/html"):
            self.send_header(
                "Content-Security-Policy",
                "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                "style-src 'self' 'unsafe-inline'; img-src 'self' data:",
            )
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, code: str, message: str) -> None:
        body = json.dumps({"error": code, "message": message}).encode("utf-8")
        try:
            self._send(status, body, "application/json")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise RequestFailed(413, "request-too-large", f"request body over {MAX_BODY} bytes")
        return self.rfile.read(length) if length else b""

    def _param(self, name: str) -> str | None:
        values = self.query_params.get(name)
        return values[0] if values else None

    # --- /sparql -------------------------------------------------------------------------------

    def _sparql(self, method: str) -> None:
        params = {k: list(v) for k, v in self.query_params.items()}
        query = update = None
        if method == "POST":
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            body = self._body()
            if ctype == "application/sparql-query":
                query = body.decode("utf-8")
            elif ctype == "application/sparql-update":
                update = body.decode("utf-8")
            elif ctype in ("application/x-www-form-urlencoded", ""):
                form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
            else:
                raise RequestFailed(
                    415, "unsupported-media-type", f"cannot read a body of type {ctype!r}"
                )
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

    def _query(self, query: str, params: dict[str, list[str]]) -> None:
        config = self.server.config
        started = time.monotonic()
        limits = Limits(started + config.timeout, config.timeout, config.max_rows)
        fmt = (params.get("format") or [None])[0]
        future = self.server.pool.submit(
            self.server.evaluate,
            engine.run_query,
            config.store,
            query,
            self.headers.get("Accept"),
            limits,
            explicit_format=fmt,
            default_graphs=params.get("default-graph-uri", []),
            named_graphs=params.get("named-graph-uri", []),
        )
        try:
            answer = future.result(timeout=max(0.0, limits.deadline - time.monotonic()))
        except FutureTimeout:
            future.cancel()  # if still queued it never starts; if running it stops at a row
            raise engine.QueryTimeout(config.timeout) from None
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
        with self.server.write_lock:
            try:
                # through the store, which keeps its own bookkeeping (e.g. the union copy)
                config.store.update(text)
            except QueryError as exc:
                raise RequestFailed(400, "syntax", str(exc)) from None
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
        store = self.server.config.store
        body = {"status": "ok", "store": store.spec, "running_queries": self.server.active}
        try:
            body["triples"] = len(store)
        except StoreError as exc:
            body.update(status="store-unavailable", message=str(exc))
        self._send(
            200 if body["status"] == "ok" else 503,
            json.dumps(body).encode(),
            "application/json",
        )

    def _catalogue(self) -> None:
        from regional_kg.catalogue import catalogue

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
        from regional_kg.catalogue import UnknownQueryError, get_query, run_query
        from regional_kg.formatting import json_value

        fmt = (self._param("format") or "").lower()
        if not fmt:
            accept = (self.headers.get("Accept") or "").lower()
            fmt = "csv" if "text/csv" in accept and "json" not in accept else "json"
        if fmt not in ("json", "csv"):
            raise RequestFailed(406, "not-acceptable", "catalogue answers are json or csv")
        try:
            spec = get_query(name)
        except UnknownQueryError as exc:
            raise RequestFailed(404, "unknown-query", str(exc)) from None
        params = {k: v[0] for k, v in self.query_params.items() if k != "format"}
        config = self.server.config
        future = self.server.pool.submit(
            self.server.evaluate, run_query, config.store, spec, params
        )
        try:
            result = future.result(timeout=config.timeout)
        except FutureTimeout:
            future.cancel()
            raise engine.QueryTimeout(config.timeout) from None
        if len(result.rows) > config.max_rows:
            raise engine.TooManyRows(config.max_rows, "rows")
        if fmt == "csv":
            import csv
            import io

            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(result.variables)
            for row in result.rows:
                writer.writerow(
                    ["" if row.get(v) is None else str(row[v]) for v in result.variables]
                )
            self._send(200, out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")
            return
        body = {
            "query": spec.name,
            "title": spec.title,
            "variables": list(result.variables),
            "rows": [{k: json_value(v) for k, v in row.items()} for row in result.rows],
        }
        self._send(200, json.dumps(body).encode("utf-8"), "application/json")

    def _network(self) -> None:
        cache = self.server.config.page_cache
        with self.server.page_lock:
            if "network" not in cache:
                cache["network"] = _network_html(self.server.config.store)
        self._send(200, cache["network"], "text/html; charset=utf-8")

    def _report_file(self, name: str) -> None:
        """A file of the report, written once per server into a folder of its own."""
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
    workers: int = 4,
    quiet: bool = False,
) -> SparqlServer:
    """A ready server bound to ``host:port`` (port 0 picks a free one); call ``serve_forever``."""
    config = ServerConfig(store, update_token, timeout, max_rows, workers, quiet)
    return SparqlServer((host, port), config)
