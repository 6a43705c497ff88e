"""A real Oxigraph server for tests: ``oxigraph serve`` on a free loopback port, stopped after.

No mock stands in for a SPARQL endpoint: the remote store, the enrichment and the catalogue are
tested against the server the ``oxigraph`` PyPI package ships (its CLI sits next to the Python of
the virtual environment).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from regional_kg.server.backend import free_port, oxigraph_cli


@dataclass
class OxigraphServer:
    """A running ``oxigraph serve``; ``base`` is ``http://127.0.0.1:PORT``."""

    location: Path
    port: int
    process: subprocess.Popen | None = None
    extra_args: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    def spec(self, *, update: bool = True, store: bool = False) -> str:
        """A ``sparql:`` store spec for this server (options after ``#``)."""
        options = []
        if update:
            options.append(f"update={self.update_url}")
        if store:
            options.append(f"store={self.store_url}")
        return f"sparql:{self.query_url}" + (f"#{'&'.join(options)}" if options else "")

    def start(self, timeout: float = 30.0) -> OxigraphServer:
        cmd = [
            oxigraph_cli(),
            "serve",
            "--location",
            str(self.location),
            "--bind",
            f"127.0.0.1:{self.port}",
            *self.extra_args,
        ]
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = (
                    self.process.stderr.read().decode(errors="replace")
                    if self.process.stderr
                    else ""
                )
                raise RuntimeError(f"oxigraph serve exited: {err}")
            try:
                with urllib.request.urlopen(f"{self.query_url}?query=ASK%7B%7D", timeout=2):
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer on {self.base} within {timeout}s")

    def clear(self) -> None:
        """Empty the server (``DROP ALL``), for tests sharing one server."""
        data = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
        urllib.request.urlopen(urllib.request.Request(self.update_url, data=data), timeout=30)

    def load_file(self, path: Path, content_type: str = "application/trig") -> None:
        """POST a file to the Graph Store endpoint: a dataset (TriG, N-Quads) keeps its named
        graphs; triples (Turtle, N-Triples) go into the default graph."""
        dataset = content_type in ("application/trig", "application/n-quads")
        url = self.store_url if dataset else f"{self.store_url}?default"
        request = urllib.request.Request(url, data=Path(path).read_bytes(), method="POST")
        request.add_header("Content-Type", content_type)
        urllib.request.urlopen(request, timeout=60)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stderr:
            self.process.stderr.close()
        self.process = None


def start_oxigraph_server(*extra_args: str) -> tuple[OxigraphServer, tempfile.TemporaryDirectory]:
    """Start a server on a fresh temporary folder; the caller stops it and cleans the folder."""
    tmp = tempfile.TemporaryDirectory(prefix="rkg-oxigraph-")
    server = OxigraphServer(Path(tmp.name), free_port(), extra_args=list(extra_args))
    return server.start(), tmp
