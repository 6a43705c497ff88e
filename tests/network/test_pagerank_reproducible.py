"""igraph's PageRank gives the same scores on every call (OpenMP kept to one thread).

On more than one OpenMP thread, PRPACK's sums run in a varying order and the scores changed in
their last digits (about 1e-15) from one call to the next on the same graph: measured on this
graph (2 cores), repeated calls differed before :func:`regional_kg.network.measures._import_igraph`
set ``OMP_NUM_THREADS``. Run in a fresh interpreter, since the setting only counts before the
OpenMP runtime starts.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import random
import networkx as nx
from regional_kg.network.measures import compute

rng = random.Random(1)
graph = nx.gnm_random_graph(20000, 120000, seed=1)
for u, v in graph.edges:
    w = rng.random()
    graph.edges[u, v].update(weight=w, distance=1.0 / w)
first = compute(graph, ["pagerank"], backend="igraph")["pagerank"]
repeats = [compute(graph, ["pagerank"], backend="igraph")["pagerank"] for _ in range(4)]
print(sum(1 for r in repeats if r != first), len(first))
"""


def test_igraph_pagerank_is_identical_on_every_call() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    differing, nodes = (int(x) for x in done.stdout.split())
    assert nodes == 20000
    assert differing == 0
