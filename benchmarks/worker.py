"""Child-process entry: ``python -m benchmarks.worker TASK JSON-PARAMS`` (see benchmarks.common).

Each task's module is imported only when that task runs: a worker's peak memory (VmHWM) and
start-up are then its task's own, not every benchmark's (the raw-engine anchors in particular
must not carry the package's imports).
"""

from __future__ import annotations

import importlib
import json
import sys

#: task -> (module, function)
TASKS = {
    "baseline": ("benchmarks.build", "baseline_task"),
    "store": ("benchmarks.build", "store_task"),
    "validate": ("benchmarks.validate", "validate_task"),
    "network": ("benchmarks.network", "network_task"),
    "page": ("benchmarks.page", "page_task"),
    "anchor-raw-load": ("benchmarks.anchored", "raw_load_task"),
    "anchor-build": ("benchmarks.anchored", "build_task"),
    "anchor-centrality": ("benchmarks.network", "centrality_anchor_task"),
    "anchor-queries": ("benchmarks.anchored", "queries_task"),
}


def main() -> int:
    task, params = sys.argv[1], json.loads(sys.argv[2])
    if task not in TASKS:
        raise SystemExit(f"unknown task {task}")
    module, name = TASKS[task]
    getattr(importlib.import_module(module), name)(params)
    return 0


if __name__ == "__main__":
    sys.exit(main())
