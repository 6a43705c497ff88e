"""Validation and inference cost: pySHACL (what the loader runs) and the SPARQL-based checks of
:mod:`regional_kg.build.fastvalidate` on Oxigraph, on the same inferred data."""

from __future__ import annotations

import time

from benchmarks.common import emit, peak_rss_mb, reset_peak


def _slowest(timings: dict, n: int = 5) -> list[str]:
    """The ``n`` slowest compiled checks, as ``seconds shape path``: where validation goes."""
    ranked = sorted(timings.items(), key=lambda item: -item[1])[:n]
    return [f"{s:.3f} s {check.shape.n3()} {check.path or '(node)'}" for check, s in ranked]


def validate_task(params: dict) -> None:
    from regional_kg.build import prepare

    dataset, _parsed, _report, timings = prepare([params["file"]], validate_data=False)
    emit(kind="build", store="validation", phase="infer", seconds=timings["infer"])
    if params.get("fast", True):
        from regional_kg.build import fastvalidate

        per_check: dict[fastvalidate.Check, float] = {}
        report = fastvalidate.validate_dataset(dataset, timings=per_check)
        emit(
            kind="build",
            store="validation",
            phase="fastvalidate",
            seconds=report.seconds,  # the checks only (not copying the dataset to Oxigraph)
            violations=len(report.violations),
            slowest=_slowest(per_check),
        )
    if params.get("pyshacl", True):
        from regional_kg.build.validation import validate

        reset_peak()
        start = time.perf_counter()
        report = validate(dataset, raise_on_violation=False)
        emit(
            kind="build",
            store="validation",
            phase="pyshacl",
            seconds=time.perf_counter() - start,
            violations=len(report.violations),
            mb=peak_rss_mb(),
        )
