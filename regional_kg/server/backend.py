"""The query engine behind ``rkg serve``: an ``oxigraph serve`` process on a loopback port.

Why a separate process and not pyoxigraph in a worker thread: pyoxigraph's Python API cannot
cancel a running query (upstream oxigraph#1926), so after a timeout the thread went on
evaluating — four cross joins kept both cores busy, memory grew to gigabytes and the next cheap
queries timed out too. The ``oxigraph serve`` CLI (same Rust engine, from
the ``oxigraph`` PyPI package) can be killed at the deadline, which stops the evaluation for
certain (its own ``--timeout-s`` answers in time but left a join running, and doubled its CPU
per light query). It is also quicker than evaluating and serialising in Python (≈16× the
throughput on light queries in the issue's measurement), since results are written in Rust.
The alternative, worker processes killed at the deadline, needs the store shared between
processes (forking a live RocksDB or copying memory stores per worker) and a process spawn per
killed query; it would cost more and still leave the serialisation in Python.

So ``rkg serve`` is the front: it checks every request (limits, remote clauses, the update
token, Host and CORS), then forwards the query over a kept-alive loopback connection and
relays the answer. The engine reads an on-disk store in place (``serve-read-only`` when the
server takes no updates, so it cannot write even by mistake); a store in memory is first copied
to a temporary on-disk store, removed when the server stops. The engine process is tied to
``rkg serve`` (``PR_SET_PDEATHSIG``): it dies with it even on ``kill -9``.

:class:`EngineStore` is the same engine behind the :class:`~regional_kg.stores.base.Store`
protocol, for the catalogue, the network page and the report, so they get the timeout too.
"""

from __future__ import annotations

import ctypes
import json
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph

from regional_kg.errors import UserError
from regional_kg.sparql_results import read_bindings
from regional_kg.stores.base import Bindings, QueryError, SelectResult, Store, StoreError
from regional_kg.stores.memory import MemoryStore
from regional_kg.stores.oxigraph import REFRESH_UNION, OxigraphStore

#: what ``oxigraph serve`` writes into a 200 answer when a timeout cancels the query (it is
#: started without ``--timeout-s``, but an answer ending so is still treated as a timeout)
CANCELLED = b"The SPARQL operation has been cancelled"


class EngineTimeout(Exception):
    """The engine did not finish within the deadline (it cancels the query itself)."""


class EngineFailed(Exception):
    """The engine refused the request (``status`` 400: syntax or evaluation error)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class AnswerTooLarge(Exception):
    """The answer passed the byte cap; the connection was dropped so the engine stops."""


@dataclass
class EngineAnswer:
    status: int
    content_type: str
    body: bytes


def oxigraph_cli() -> str:
    """The ``oxigraph`` executable of the ``oxigraph`` PyPI package: next to Python, or on PATH."""
    local = Path(sys.executable).with_name("oxigraph")
    if local.exists():
        return str(local)
    found = shutil.which("oxigraph")
    if not found:
        raise UserError(
            "rkg serve needs the oxigraph command as its query engine: "
            "pip install 'regional-kg[server]' (the oxigraph package, same version as pyoxigraph)"
        )
    return found


def free_port() -> int:
    """A loopback port nothing listens on now (the OS picks it); the engine, the tests and the
    benchmarks start their servers there."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load_prctl() -> Any:
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


#: resolved in the parent: the child, between fork and exec, only calls it (no dlopen there)
_PRCTL = _load_prctl() if sys.platform.startswith("linux") else None


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: the engine ends with rkg serve


class Engine:
    """A running ``oxigraph serve`` over ``location`` with per-thread kept-alive connections."""

    def __init__(
        self,
        location: Path,
        *,
        timeout: float,
        writable: bool,
        union: bool = False,
        scratch: tempfile.TemporaryDirectory | None = None,
    ) -> None:
        self.location, self.timeout, self.writable, self.union = location, timeout, writable, union
        self.scratch = scratch
        self.port = 0
        self.process: subprocess.Popen | None = None
        self._local = threading.local()
        #: held while the process is replaced; requests wait on it before reconnecting
        self._lock = threading.Lock()
        #: counts processes started: a timeout replaces the process only once
        self.generation = 0
        #: processes killed at a deadline (for /health and tests)
        self.restarts = 0
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rkg-engine")

    # --- process ---------------------------------------------------------------------------

    def start(self, wait: float = 60.0) -> Engine:
        with self._lock:
            self._spawn(wait)
            self.generation += 1
        return self

    def _spawn(self, wait: float = 60.0) -> None:
        # Started from one long-lived thread: PR_SET_PDEATHSIG fires when the *thread* that
        # forked the child ends, and request threads end with their connection.
        self._spawner.submit(self._spawn_here, wait).result()

    def _spawn_here(self, wait: float) -> None:
        cmd = [
            oxigraph_cli(),
            "serve" if self.writable else "serve-read-only",
            "--location",
            str(self.location),
            # No --timeout-s: rkg's own deadline kills the process (see replace), and the
            # engine's timer cost it 1.6-1.9x the CPU per light query (0.18 -> 0.30 ms,
            # measured with 8 clients), half of oxigraph serve's throughput.
        ]
        if self.union:
            cmd.append("--union-default-graph")
        for _attempt in range(3):  # a free port may be taken between the probe and the bind
            port = free_port()
            self.process = subprocess.Popen(
                [*cmd, "--bind", f"127.0.0.1:{port}"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                preexec_fn=_die_with_parent if _PRCTL is not None else None,
            )
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        self.port = port
                        return
                except OSError:
                    time.sleep(0.01)
            err = self._stop_process()
            if "address" not in err.lower():
                raise UserError(f"the query engine (oxigraph serve) did not start: {err.strip()}")
        raise UserError("the query engine (oxigraph serve) found no free loopback port")

    def replace(self, generation: int) -> None:
        """Kill the process that ran a query past its deadline and start a fresh one.

        Why kill: the engine's own timeout answers in time but leaves the evaluation running
        inside a join (measured: 15 s of CPU after a 1 s timeout on 120k triples). A new
        process is up in ≈25 ms; queries that were in flight on the old one are sent again
        (:meth:`request`), within their own deadlines.
        """
        with self._lock:
            if generation != self.generation or self.process is None:
                return  # another thread replaced it already
            # first, so that requests breaking with the old process know to try the new one
            self.generation += 1
            self._stop_process(kill=True)
            self.restarts += 1
            self._spawn()

    def _stop_process(self, kill: bool = False) -> str:
        err = ""
        if self.process is not None:
            if self.process.poll() is None:
                if kill:
                    self.process.kill()
                else:
                    self.process.terminate()
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            if self.process.stderr is not None:
                if not kill:
                    err = self.process.stderr.read().decode("utf-8", "replace")
                self.process.stderr.close()
        self.process = None
        return err

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def close(self) -> None:
        with self._lock:
            self._stop_process()
        self._spawner.shutdown(wait=False)
        if self.scratch is not None:
            self.scratch.cleanup()
            self.scratch = None

    # --- requests --------------------------------------------------------------------------

    def _connection(self) -> tuple[_Connection, int]:
        """This thread's connection and the generation of the process it goes to."""
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "generation", None) != self.generation:
            if conn is not None:
                conn.close()
            with self._lock:  # not while the process is being replaced
                port, generation = self.port, self.generation
            conn = _Connection(port)
            self._local.conn, self._local.generation = conn, generation
        return conn, self._local.generation

    def _drop_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str],
        *,
        deadline: float,
        max_bytes: int = 1 << 40,
        retry: bool = True,
    ) -> EngineAnswer:
        """One request on this thread's kept-alive connection.

        Past ``deadline`` the engine process is replaced (:meth:`replace`) so the evaluation
        really stops, and :class:`EngineTimeout` is raised. An idempotent request whose
        connection broke (a stale keep-alive, or a process replaced for another query's
        timeout) is sent again.
        """
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise EngineTimeout()
            generation = self.generation  # until the connection says which process it reached
            try:
                conn, generation = self._connection()
                status, ctype, data, keep = conn.exchange(
                    method, path, body, headers, remaining, max_bytes
                )
                if not keep:
                    self._drop_connection()
                if data.endswith(CANCELLED):  # the engine gave up on its own: the work may go on
                    self.replace(generation)
                    raise EngineTimeout()
                return EngineAnswer(status, ctype, data)
            except AnswerTooLarge:
                self._drop_connection()
                self.replace(generation)  # it would go on writing
                raise
            except TimeoutError:
                self._drop_connection()
                self.replace(generation)
                raise EngineTimeout() from None
            except (ConnectionError, OSError, ValueError) as exc:
                attempt += 1
                self._after_broken(exc, generation, attempt, retry)

    def _after_broken(self, exc: Exception, generation: int, attempt: int, retry: bool) -> None:
        """After the ``attempt``-th broken connection: return to send the request again (a
        process replaced meanwhile, or a stale keep-alive once), else raise
        :class:`StoreError`. A crashed process is replaced, so the server lives on."""
        self._drop_connection()
        replaced = generation != self.generation  # killed for another query's timeout
        if not replaced and not self.alive() and attempt <= 2:
            self.replace(generation)
            replaced = True
        if retry and (replaced or attempt == 1) and attempt <= 5:
            return
        if not self.alive():
            raise StoreError("the query engine (oxigraph serve) stopped") from None
        raise StoreError(f"the query engine failed: {exc}") from None

    def query(
        self,
        text: str,
        accept: str,
        *,
        deadline: float,
        max_bytes: int = 1 << 40,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> EngineAnswer:
        """Evaluate a query; raise :class:`EngineTimeout` / :class:`EngineFailed` when it fails."""
        params = [("default-graph-uri", g) for g in default_graphs]
        params += [("named-graph-uri", g) for g in named_graphs]
        path = "/query" + ("?" + urllib.parse.urlencode(params) if params else "")
        answer = self.request(
            "POST",
            path,
            text.encode("utf-8"),
            {"Content-Type": "application/sparql-query", "Accept": accept},
            deadline=deadline,
            max_bytes=max_bytes,
        )
        if answer.status != 200:
            raise EngineFailed(answer.status, answer.body.decode("utf-8", "replace").strip())
        return answer

    def update(self, text: str, *, deadline: float) -> None:
        """Run an update, then make the default graph the union again (the stores' convention:
        :mod:`regional_kg.stores.oxigraph`). An update killed at its deadline is rolled back
        (Oxigraph applies an update in one transaction)."""
        for step in (text, REFRESH_UNION):
            answer = self.request(
                "POST",
                "/update",
                step.encode("utf-8"),
                {"Content-Type": "application/sparql-update"},
                deadline=deadline,
                retry=False,
            )
            if answer.status not in (200, 204):
                raise EngineFailed(answer.status, answer.body.decode("utf-8", "replace").strip())


class _Connection:
    """A minimal HTTP/1.1 client for the engine on loopback: one ``sendall`` per request, and
    the answer read with ``recv_into`` into one buffer and cut with ``bytes.find`` (a light
    query's whole answer usually arrives in one or two reads). ``http.client``'s email parser,
    and later a ``readline`` per header and per chunk, were most of the server's own cost per
    request.

    The socket stays in blocking mode with the kernel's ``SO_RCVTIMEO``/``SO_SNDTIMEO`` as the
    deadline: Python's own socket timeout puts the socket in non-blocking mode and calls
    ``poll`` before every ``send`` and ``recv`` (and ``settimeout`` is an ``ioctl``), three
    system calls per request of the nine the front made. The kernel timeouts are set again only
    when the time left moves by more than :attr:`SLACK` from the last value set (a request
    that waited for a slot), so on a kept-alive connection they are usually not touched at all;
    a deadline then fires at most ``SLACK`` late.
    """

    _READ = 256 * 1024
    #: how far the time left may drift from the kernel timeouts before they are set again
    SLACK = 0.005

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setblocking(True)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.port = port
        self._host = f"Host: 127.0.0.1:{port}\r\n".encode("latin-1")
        self._buffer = bytearray()
        self._view = memoryview(bytearray(self._READ))
        #: the kernel timeouts now set, in seconds (0: none yet)
        self._timeout = 0.0

    def close(self) -> None:
        self.sock.close()

    def _deadline_in(self, seconds: float) -> None:
        """Make a blocked ``send``/``recv`` give up after ``seconds`` (see the class)."""
        if abs(seconds - self._timeout) <= self.SLACK and self._timeout:
            return
        seconds = max(seconds, 0.001)  # a zero timeval would mean "wait for ever"
        whole = int(seconds)
        timeval = struct.pack("ll", whole, int((seconds - whole) * 1_000_000))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)
        self._timeout = seconds

    def _fill(self) -> None:
        """Append what the socket has to the buffer (at least one byte, or an error)."""
        try:
            n = self.sock.recv_into(self._view)
        except BlockingIOError:  # SO_RCVTIMEO passed
            raise TimeoutError("the engine did not answer in time") from None
        if not n:
            raise ConnectionError("the engine closed the connection")
        self._buffer += self._view[:n]

    def _line(self, start: int) -> int:
        """The index of the CRLF ending the line that begins at ``start``, reading as needed."""
        while True:
            end = self._buffer.find(b"\r\n", start)
            if end >= 0:
                return end
            if len(self._buffer) - start > 65536:
                raise ValueError("a line of the engine's answer is too long")
            self._fill()

    def _need(self, size: int) -> None:
        while len(self._buffer) < size:
            self._fill()

    def exchange(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str],
        timeout: float,
        max_bytes: int,
    ) -> tuple[int, str, bytes, bool]:
        """Send one request, read the whole answer: status, content type, body, keep-alive."""
        self._deadline_in(timeout)
        head = f"{method} {path} HTTP/1.1\r\n".encode("latin-1") + self._host
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        extra += f"Content-Length: {len(body) if body else 0}\r\n\r\n"
        try:
            self.sock.sendall(head + extra.encode("latin-1") + (body or b""))
        except BlockingIOError:  # SO_SNDTIMEO passed
            raise TimeoutError("the engine did not take the request in time") from None
        status, found = self._read_head()
        keep = found.get("connection", "").lower() != "close"
        ctype = found.get("content-type", "")
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return status, ctype, b"", keep
        if found.get("transfer-encoding", "").lower() == "chunked":
            data = self._read_chunked(max_bytes)
        elif "content-length" in found:
            data = self._read_length(int(found["content-length"]), max_bytes)
        else:  # to the end of the connection
            data, keep = self._read_to_close(max_bytes), False
        return status, ctype, data, keep

    def _read_head(self) -> tuple[int, dict[str, str]]:
        """The status and the headers (by lower-case name) of the answer."""
        buffer = self._buffer
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end >= 0:
                break
            if len(buffer) > 65536:
                raise ValueError("the engine's answer headers are too long")
            self._fill()
        lines = bytes(buffer[:end]).decode("latin-1").split("\r\n")
        del buffer[: end + 4]
        found: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            found[name.strip().lower()] = value.strip()
        return int(lines[0].split(None, 2)[1]), found

    def _read_chunked(self, max_bytes: int) -> bytes:
        """A chunked body, the trailers skipped; :class:`AnswerTooLarge` past ``max_bytes``."""
        buffer = self._buffer
        chunks, size, pos = [], 0, 0
        while True:
            eol = self._line(pos)
            length = int(bytes(buffer[pos:eol]).split(b";", 1)[0], 16)
            pos = eol + 2
            if length == 0:
                break
            size += length
            if size > max_bytes:
                raise AnswerTooLarge()
            self._need(pos + length + 2)
            chunks.append(bytes(buffer[pos : pos + length]))
            pos += length + 2  # the chunk and its CRLF
            if pos > self._READ:  # keep the buffer short: drop what has been read
                del buffer[:pos]
                pos = 0
        while True:  # trailers, up to the empty line
            eol = self._line(pos)
            done, pos = eol == pos, eol + 2
            if done:
                break
        del buffer[:pos]
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _read_length(self, length: int, max_bytes: int) -> bytes:
        if length > max_bytes:
            raise AnswerTooLarge()
        self._need(length)
        data = bytes(self._buffer[:length])
        del self._buffer[:length]
        return data

    def _read_to_close(self, max_bytes: int) -> bytes:
        buffer = self._buffer
        try:
            while len(buffer) <= max_bytes:
                self._fill()
        except ConnectionError:
            pass
        if len(buffer) > max_bytes:
            raise AnswerTooLarge()
        data = bytes(buffer)
        buffer.clear()
        return data


def start_engine(store: Store, *, timeout: float, writable: bool) -> Engine | None:
    """The engine for ``store``, or ``None`` for a store it cannot serve (a remote endpoint).

    An on-disk Oxigraph store is closed here (its folder then belongs to the engine); a store in
    memory is copied to a temporary folder and left as it is.
    """
    if isinstance(store, OxigraphStore) and store.path is not None:
        union = not store.union_ready
        location = store.path
        store.close()
        return Engine(location, timeout=timeout, writable=writable, union=union).start()
    if not isinstance(store, OxigraphStore | MemoryStore):
        return None
    scratch = tempfile.TemporaryDirectory(prefix="rkg-serve-engine-")
    location = Path(scratch.name) / "store"
    try:
        disk = ox.Store(str(location))
        if isinstance(store, OxigraphStore):
            data = store.native.dump(format=ox.RdfFormat.N_QUADS)  # the union copy included
            disk.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            if not store.union_ready:
                disk.update(REFRESH_UNION)
        else:
            disk.bulk_load(store.dump("nquads"), format=ox.RdfFormat.N_QUADS)
            disk.update(REFRESH_UNION)
        disk.flush()
        del disk  # closes RocksDB and releases the folder's lock
    except BaseException:
        scratch.cleanup()
        raise
    return Engine(location, timeout=timeout, writable=writable, scratch=scratch).start()


# --- the engine as a Store -----------------------------------------------------------------


class EngineStore(Store):
    """The :class:`Engine` behind the store protocol; ``spec`` is the served store's spec."""

    persistent = True

    def __init__(self, engine: Engine, spec: str) -> None:
        self.engine, self.spec = engine, spec

    def _deadline(self) -> float:
        return time.monotonic() + self.engine.timeout

    def _json(self, query: str, bindings: Bindings | None) -> dict[str, Any]:
        if bindings:
            query = self.bind(query, bindings)
        try:
            answer = self.engine.query(
                query, "application/sparql-results+json", deadline=self._deadline()
            )
        except EngineFailed as exc:
            raise QueryError(f"{self.spec}: {exc.message}") from None
        except EngineTimeout:
            raise QueryTimedOut(self.engine.timeout) from None
        return json.loads(answer.body)

    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult:
        variables, rows = read_bindings(self._json(query, bindings))
        return SelectResult(variables, rows)

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        return bool(self._json(query, bindings).get("boolean"))

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        if bindings:
            query = self.bind(query, bindings)
        try:
            answer = self.engine.query(query, "application/n-triples", deadline=self._deadline())
        except EngineFailed as exc:
            raise QueryError(f"{self.spec}: {exc.message}") from None
        except EngineTimeout:
            raise QueryTimedOut(self.engine.timeout) from None
        return Graph().parse(data=answer.body.decode("utf-8"), format="nt")

    def dump(self, format: str = "nquads") -> bytes:
        if format not in ("nquads", "trig"):
            raise StoreError(f"cannot dump as {format!r}: use nquads or trig")
        parts = []
        for name in self.graph_names():
            answer = self.engine.request(
                "GET",
                "/store?" + urllib.parse.urlencode({"graph": str(name)}),
                None,
                {"Accept": "application/n-triples"},
                deadline=self._deadline(),
            )
            if answer.status != 200:
                raise StoreError(f"{self.spec}: cannot read graph {name}: {answer.status}")
            if format == "trig":
                parts.append(b"<%s> {\n%s}\n" % (str(name).encode(), answer.body))
            else:
                suffix = b" <" + str(name).encode() + b"> .\n"
                parts.append(b"".join(line[:-2] + suffix for line in answer.body.splitlines()))
        return b"".join(parts)

    def update(self, update: str) -> None:
        if not self.engine.writable:
            raise StoreError(f"{self.spec} is served read-only")
        try:
            self.engine.update(update, deadline=self._deadline())
        except EngineFailed as exc:
            raise QueryError(f"{self.spec}: update failed: {exc.message}") from None

    def load(self, dataset: Dataset, *, replace: bool = False) -> None:
        raise StoreError(f"{self.spec}: load data with `rkg build`, not through the server")

    def close(self) -> None:
        self.engine.close()


class QueryTimedOut(StoreError):
    """A store query through the engine passed the server's timeout."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the query ran longer than {seconds:g} s and was stopped")
        self.seconds = seconds
