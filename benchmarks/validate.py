"""Validation and inference cost: pySHACL (what the loader runs) and the SPARQL-based checks of
:mod:`regional_kg.build.fastvalidate` on Oxigraph, on the same inferred data."""

from __future__ import annotations

import time

from benchmarks.common import emit, peak_rss_mb, reset_peak


def validate_task(params: dict) -> None:
    from regional_kg.build import prepare

    dataset, _parsed, _report, timings = prepare([params["file"]], validate_data=False)
    emit(kind="build", store="validation", phase="infer", seconds=timings["infer"])
    if params.get("fast", True):
        from regional_kg.build import fastvalidate

        report = fastvalidate.validate_dataset(dataset)
        emit(
            kind="build",
            store="validation",
            phase="fastvalidate",
            seconds=report.seconds,  # the checks only (not copying the dataset to Oxigraph)
            violations=len(report.violations),
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
