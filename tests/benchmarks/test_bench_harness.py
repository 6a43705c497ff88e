"""``make bench``'s harness (benchmarks.run): every task of issue #11 and every target row is in
the one table, whatever happened to the task; the schedule, the doc block, the parsers.

The fast tests run the real harness with a run budget of 0 s, so every task takes the path a
task the budget left no time for takes (no child process is started) and the table must still
name each one; the slow one runs the core tasks for real on a small synthetic region.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import run
from benchmarks.drive import parse_startup, server_record
from benchmarks.plan import NAMES, TASKS, task
from benchmarks.table import TARGETS, markdown, table

SIZES = [1_000, 2_000]


def _items(rows: list[list[str]], size: str, name: str) -> set[str]:
    return {r[2] for r in rows if r[1] == name and r[0].startswith(size)}


def test_the_schedule_runs_core_tasks_first_and_every_task_once_per_size() -> None:
    order = [(t.name, s) for t, s in run.schedule(SIZES, set(NAMES))]
    sized = [t.name for t in TASKS if t.sized]
    assert sorted(order, key=str) == sorted(
        [(n, s) for n in sized for s in SIZES] + [("server", None), ("startup", None)], key=str
    )
    core = [t.name for t in TASKS if t.core and t.sized]
    assert order[: len(core) * 2] == [(n, s) for s in SIZES for n in core]
    assert order.index(("server", None)) < order.index(("remote", 1_000))


def test_a_run_with_no_time_left_still_names_every_task_and_target() -> None:
    records = run.bench(SIZES, set(NAMES), quick=True, total=0)
    rows = table(records)
    for size in ("1,000", "2,000"):
        for name in ("build", "queries", "centrality", "remote", "rdflib"):
            assert _items(rows, size, name), (size, name)
        for name in ("build", "queries", "centrality"):
            assert set(TARGETS[name]) <= _items(rows, size, name)
    for name in ("server", "startup"):
        got = {i.split(":")[0] for i in _items(rows, "curated", name)}
        assert set(TARGETS[name]) <= got
    targets = [r for r in rows if r[6]]
    assert targets and all(r[3] == "not measured" for r in targets)
    assert all("not run: task budget spent" in r[7] for r in targets)


def test_a_task_bounded_out_at_a_size_says_so() -> None:
    assert task("rdflib").budget(1_000_000) == 0
    records = run.bench([1_000_000], {"rdflib"}, quick=False, total=0)
    assert [r["reason"] for r in records][0].startswith("bounded out at this size")
    rows = table(records)
    assert rows[0][1:4] == ["rdflib", "(rest)", "not measured"]


def test_stopped_workers_are_reported_over_budget() -> None:
    records = [
        {
            "kind": "build",
            "store": "raw",
            "disk": False,
            "seconds": 0.5,
            "mb": 100.0,
            "triples": 1000,
            "size": 1000,
            "task": "build",
            "sub": "raw load in memory",
        },
        {
            "timeout": 240,
            "size": 1000,
            "task": "build",
            "sub": "rkg build in memory, validation on",
        },
    ]
    rows = {r[2]: r for r in table(records)}
    on = rows["rkg build in memory, validation on"]
    assert on[3] == "not measured" and on[7] == "over budget: stopped after 240 s"
    assert rows["raw load in memory (anchor)"][3] == "500.0 ms"


def test_parse_startup_reads_the_lines_benchmarks_startup_prints() -> None:
    text = (
        "rkg: 12 rows, same as the anchor's: True\n\n"
        "`rkg query agreements --param state=KZ`, 5 runs each, interleaved (seconds)\n"
        "                                     min  median  ratio\n"
        "anchor                             0.081   0.090   1.0x\n"
        "rkg                                0.228   0.333   3.7x\n"
    )
    found = parse_startup(text)
    assert found[0] == {
        "kind": "startup-check",
        "same": True,
        "line": "rkg: 12 rows, same as the anchor's: True",
    }
    assert [(r["way"], r["median"], r["ratio"]) for r in found[1:]] == [
        ("anchor", 0.09, 1.0),
        ("rkg", 0.333, 3.7),
    ]
    rows = table([{**r, "size": None, "task": "startup", "sub": "x"} for r in found])
    assert rows[0][3:7] == ["median 0.333 s", "median 0.090 s", "3.70×", "≤ 0.2 s: missed"]


def test_the_doc_block_is_replaced_and_the_rest_kept(tmp_path: Path) -> None:
    rows = table(run.bench([1_000], {"centrality"}, quick=True, total=0))
    result = tmp_path / "run.json"
    doc = tmp_path / "doc.md"
    doc.write_text(f"# Title\n\nbefore\n\n{run.BEGIN}\nold table\n{run.END}\n\nafter\n")
    result.write_text(
        json.dumps(
            {
                "sizes": [1000],
                "seconds": 60,
                "markdown": markdown(rows),
                "machine": {"cpus": 2, "load": [1.0, 2.0, 3.0]},
            }
        )
    )
    run.write_doc(result, doc)
    text = doc.read_text()
    assert text.startswith("# Title\n\nbefore\n\n" + run.BEGIN)
    assert "old table" not in text and text.endswith(f"{run.END}\n\nafter\n")
    assert "| 1,000 | centrality | projection | not measured |" in text
    run.write_doc(result, doc)  # idempotent
    assert doc.read_text() == text


@pytest.mark.slow
def test_a_real_run_of_the_core_tasks_fills_their_target_rows(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    assert (
        run.main(
            [
                "--quick",
                "--sizes",
                "2000",
                "--tasks",
                "build,queries,centrality",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    data = json.loads(out.read_text())
    rows = data["table"][1:]
    targets = {r[2]: r for r in rows if r[6]}
    assert set(TARGETS["build"]) | set(TARGETS["queries"]) | set(TARGETS["centrality"]) <= set(
        targets
    )
    assert all(r[3] != "not measured" and r[5].endswith("×") for r in targets.values())
    queries = [r for r in rows if r[1] == "queries" and r[2].endswith(": select")]
    assert len(queries) >= 20  # every catalogue query, with and without optional parameters
    assert any(" without " in r[2] for r in queries)


def test_merge_replaces_a_task_at_a_size_with_the_later_runs(tmp_path: Path) -> None:
    first, second, out = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "all.json"
    run.write_results(run.bench([1_000], {"build", "queries"}, True, 0), [1_000], True, 1, first)
    later = [
        {"kind": "not-run", "reason": "second run", "size": 1_000, "task": "queries", "sub": "x"}
    ]
    run.write_results(later, [1_000], True, 1, second)
    data = json.loads(run.merge([first, second], out).read_text())
    reasons = {(r["task"], r["reason"]) for r in data["records"]}
    assert reasons == {("build", "task budget spent"), ("queries", "second run")}
    assert data["merged"] == [str(first), str(second)]
    assert "second run" in run.doc_block(data, "`all.json`")


def test_startup_rows_read_the_warm_cold_and_anchor_lines() -> None:
    text = (
        "rkg: 12 rows, same as the anchor's: True\n"
        "                                         wall min  median  ratio  cpu min  median\n"
        "anchor (load)                               0.228   0.245  1.00x    0.227   0.244\n"
        "anchor (on disk)                            0.044   0.046  0.19x    0.047   0.048\n"
        "rkg warm                                    0.173   0.180  0.74x    0.176   0.182\n"
        "rkg cold                                    0.950   1.025  4.18x    0.925   0.999\n"
    )
    found = parse_startup(text)
    assert [r["way"] for r in found[1:]] == [
        "anchor (load)",
        "anchor (on disk)",
        "rkg warm",
        "rkg cold",
    ]
    rows = table([{**r, "size": None, "task": "startup", "sub": "x"} for r in found])
    assert rows[0][3:7] == ["median 0.180 s", "median 0.245 s", "0.73×", "≤ 0.2 s: met"]
    assert rows[0][7].endswith("first run (build + cache) median 1.025 s")


def test_server_rows_read_what_server_load_writes() -> None:
    def run(rate: float, p95: float) -> dict:
        return {
            "label": "x",
            "requests": 800,
            "errors": 0,
            "req_per_s": rate,
            "p50_ms": 1.0,
            "p95_ms": p95,
            "cpu_ms_per_request": 0.2,
        }

    figures = {
        "runs": {
            "ox_light": run(4000.0, 3.0),
            "rkg_light": run(2000.0, 6.0),
            "ox_catalogue": run(1000.0, 8.0),
            "rkg_catalogue_sparql": run(900.0, 9.0),
            "rkg_catalogue": run(800.0, 10.0),
        },
        "ratios": {},
    }
    record = server_record(figures)
    rows = table([{**record, "size": None, "task": "server", "sub": "8 clients"}])
    light = [r for r in rows if r[2] == "/sparql vs oxigraph serve, light: throughput"]
    assert light and light[0][5] == "2.00×" and light[0][6].endswith("missed")
