"""Child-process entry: ``python -m benchmarks.worker TASK JSON-PARAMS`` (see benchmarks.common)."""

from __future__ import annotations

import json
import sys


def main() -> int:
    task, params = sys.argv[1], json.loads(sys.argv[2])
    if task == "baseline":
        from benchmarks.build import baseline_task as fn
    elif task == "store":
        from benchmarks.build import store_task as fn
    elif task == "validate":
        from benchmarks.validate import validate_task as fn
    elif task == "network":
        from benchmarks.network import network_task as fn
    elif task == "page":
        from benchmarks.page import page_task as fn
    elif task == "anchor-raw-load":
        from benchmarks.anchored import raw_load_task as fn
    elif task == "anchor-build":
        from benchmarks.anchored import build_task as fn
    elif task == "anchor-centrality":
        from benchmarks.network import centrality_anchor_task as fn
    elif task == "anchor-queries":
        from benchmarks.anchored import queries_task as fn
    else:
        raise SystemExit(f"unknown task {task}")
    fn(params)
    return 0


if __name__ == "__main__":
    sys.exit(main())
