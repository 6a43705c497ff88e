"""A real Virtuoso (Debian's ``virtuoso-opensource``) on free loopback ports, for the tests.

``start_virtuoso()`` writes a ``virtuoso.ini`` into a temporary folder (database, ISQL and HTTP
ports on 127.0.0.1 only), runs ``virtuoso-t -f`` in the foreground and waits until ``/sparql``
answers. The ``dba`` account keeps Virtuoso's default password (``dba``): the server listens on
loopback only and lives as long as the test session. Updates go to ``/sparql-auth`` with digest
authentication, graphs through the Graph Store Protocol at ``/sparql-graph-crud-auth``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from regional_kg.server.backend import free_port

BINARY = "virtuoso-t"
PASSWORD = "dba"  # Virtuoso's default for a fresh database; loopback only


def rkg_build(*args: str) -> subprocess.CompletedProcess[str]:
    """``rkg build ARGS`` in a fresh process, with this process's environment (the password)."""
    return subprocess.run(
        [sys.executable, "-m", "regional_kg.cli", "build", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
    )


@contextmanager
def password_in_environment() -> Iterator[None]:
    """``RKG_SPARQL_PASSWORD`` set to :data:`PASSWORD` for the block (the store and the
    ``rkg`` processes a test starts read it there), and put back as it was afterwards."""
    saved = os.environ.get("RKG_SPARQL_PASSWORD")
    os.environ["RKG_SPARQL_PASSWORD"] = PASSWORD
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("RKG_SPARQL_PASSWORD", None)
        else:
            os.environ["RKG_SPARQL_PASSWORD"] = saved


def available() -> bool:
    return shutil.which(BINARY) is not None


_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{isql}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
CaseMode                 = 2
MaxStaticCursorRows      = 5000
AllowOSCalls             = 0
DirsAllowed              = ., {dir}
ThreadsPerQuery          = 2
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty}
MaxQueryMem              = 1G
TransactionAfterImageLimit = {after_image}

[HTTPServer]
ServerPort                  = 127.0.0.1:{http}
ServerRoot                  = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
MaxSortedTopRows           = 1000000
DefaultGraph               =
"""


@dataclass
class Virtuoso:
    folder: Path
    http: int
    isql: int
    process: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http}"

    @property
    def spec(self) -> str:
        """A ``sparql:`` spec that reads and writes (password from ``RKG_SPARQL_PASSWORD``)."""
        b = self.base
        return (
            f"sparql:{b}/sparql#update={b}/sparql-auth&store={b}/sparql-graph-crud-auth"
            "&user=dba&auth=digest"
        )

    @property
    def update_spec(self) -> str:
        """The same, loading with SPARQL Update (``INSERT DATA``) instead of the Graph Store."""
        b = self.base
        return f"sparql:{b}/sparql#update={b}/sparql-auth&user=dba&auth=digest"

    def peak_rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


#: Virtuoso's limit on one transaction's roll-forward log: its default (50 MB) aborted the replacing
#: load of the 1M-triple benchmark region (error SR325), which is one transaction; 2 GB holds it.
#: docs/server.md tells users the same.
AFTER_IMAGE_LIMIT = 2_000_000_000


def start_virtuoso(buffers: int = 20000, after_image: int = AFTER_IMAGE_LIMIT) -> Virtuoso:
    """A fresh Virtuoso in a temporary folder; raises RuntimeError if it does not come up.
    ``after_image``: its ``TransactionAfterImageLimit`` in bytes (see :data:`AFTER_IMAGE_LIMIT`)."""
    if not available():
        raise RuntimeError(f"{BINARY} is missing: apt-get install virtuoso-opensource")
    folder = Path(tempfile.mkdtemp(prefix="rkg-virtuoso-"))
    http, isql = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        _INI.format(
            dir=folder,
            http=http,
            isql=isql,
            buffers=buffers,
            dirty=buffers * 3 // 4,
            after_image=after_image,
        ),
        encoding="utf-8",
    )
    log = open(folder / "stdout.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [BINARY, "-f", "-c", str(ini)], cwd=folder, stdout=log, stderr=subprocess.STDOUT
    )
    server = Virtuoso(folder, http, isql, process)
    url = f"{server.base}/sparql?query=" + urllib.request.quote("ASK { }")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = (folder / "stdout.log").read_text(errors="replace")[-2000:]
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(f"virtuoso-t exited ({process.returncode}): {text}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError("Virtuoso did not answer on /sparql within 120 s")
