"""Apache Jena ARQ (Debian's ``libapache-jena-java``) as a second, independent SPARQL engine.

Debian moves Jena's bundled xerces classes to the package ``xerces.*`` but leaves their message
files inside ``jena-core.jar`` under ``org/apache/jena/ext/xerces``; without them every typed
literal fails with a MissingResourceException. :func:`classpath` extracts them into a folder put
first on the class path (see ``../shared/docs/research-notes.md``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

from regional_kg.sparql_results import read_bindings

JAVA_DIR = Path("/usr/share/java")
JARS = (
    "jena-arq jena-base jena-cmds jena-core jena-dboe-base jena-dboe-index jena-dboe-storage "
    "jena-dboe-trans-data jena-dboe-transaction jena-iri jena-rdfconnection jena-shacl jena-shex "
    "jena-tdb jena-tdb2 commons-cli commons-codec commons-compress commons-csv commons-io "
    "commons-lang3 dexx.collection gson guava httpclient httpcore jackson-core jackson-databind "
    "jackson-annotations jsonld-java jakarta.json-api titanium-json-ld protobuf thrift slf4j-api "
    "slf4j-nop"
).split()


def available() -> str | None:
    """None when Jena can run here, else why not (for a skip reason or a CI failure)."""
    if shutil.which("java") is None:
        return "no java on PATH (Debian: default-jre-headless)"
    missing = [j for j in JARS if not (JAVA_DIR / f"{j}.jar").exists()]
    if missing:
        return f"Jena jars missing from {JAVA_DIR} (Debian: libapache-jena-java): {missing[:3]}"
    return None


@cache
def classpath(work: Path) -> str:
    """The class path: the extracted xerces message files first, then Debian's jars."""
    messages = work / "jena-messages"
    if not messages.exists():
        with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
            prefix = "org/apache/jena/ext/xerces/"
            for name in jar.namelist():
                if name.startswith(prefix) and name.endswith(".properties"):
                    target = messages / "xerces" / name[len(prefix) :]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(jar.read(name))
    return os.pathsep.join([str(messages), *(str(JAVA_DIR / f"{j}.jar") for j in JARS)])


def select(work: Path, data: Path, query: str) -> tuple[list[str], list[dict]]:
    """Run a SELECT with ``arq.sparql`` over the N-Triples file ``data``: (variables, rows)."""
    query_file = work / "query.rq"
    query_file.write_text(query, encoding="utf-8")
    completed = subprocess.run(
        ["java", "-cp", classpath(work), "arq.sparql", "--data", str(data),
         "--query", str(query_file), "--results", "json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise AssertionError(f"Jena failed ({completed.returncode}): {completed.stderr[-2000:]}")
    answer = json.loads(completed.stdout)
    return read_bindings(answer)
