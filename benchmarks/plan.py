"""What ``make bench`` runs and how long each task may take: the budgets that keep the whole run
under 40 minutes on the 2-core machine, in one table so they can be read and changed together.

A budget is an upper bound, not an estimate: a task that reaches it is stopped and reported as
over budget (with whatever figures it emitted before), and the run's total budget clips every
later task, so the run ends in time even when the machine is slower than expected; a task left
with no time is reported as not run, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The run's whole budget (s): 40 minutes less a margin for synthesis, start-up and the table.
TOTAL = 38 * 60

#: A task left with less than this (s) is reported as not run rather than started to be killed.
MIN_SLICE = 15.0


@dataclass(frozen=True)
class Task:
    """One task of the run: ``sized`` tasks run once per size, the others once per run."""

    name: str
    what: str
    anchor: str
    sized: bool
    core: bool  # core tasks run first at every size; the others after, as time allows
    small: float  # budget (s) below BIG triples, or the budget of an unsized task
    big: float = 0.0  # budget (s) at BIG triples and over; 0: not run at that size (bounded out)

    def budget(self, size: int | None) -> float:
        return self.small if size is None or size < BIG else self.big


BIG = 500_000

#: The order of a run: the core sized tasks at every size, then the unsized ones (once), then
#: the other sized tasks at every size, so a slow machine clips the least informative last.
TASKS = (
    Task("build", "rkg build in memory and on disk, validation off and on, phase split, peak "
         "memory", "raw pyoxigraph load of the same files (Store.load, + bulk_extend on disk)",
         True, True,
         240, 540),
    Task("queries", "every catalogue query through select and run_query, with and without the "
         "optional parameters", "same text and bindings on a bare pyoxigraph Store, same "
         "de-duplicated default graph", True, True, 240, 420),
    Task("centrality", "actor view: projection, default rkg centrality (sampled), exact at 100k",
         "the projection's SPARQL on the bare engine; the 30 s goal", True, True, 150, 240),
    Task("rdflib", "plain rdflib: parse into a Dataset, catalogue queries (5 s each at most)",
         "our in-memory build / select", True, False, 120, 0),
    Task("remote", "the remote store on oxigraph serve and Virtuoso: load and queries",
         "bare in-process pyoxigraph: load of the same quads, same query", True, False, 240, 600),
    Task("server", "rkg serve vs oxigraph serve, same on-disk store (curated graph), 8 clients",
         "oxigraph serve (light query, catalogue text); /sparql for /queries/NAME", False, True,
         240),
    Task("startup", "rkg query agreements --param state=KZ, a fresh process",
         "a bare-pyoxigraph script giving the same rows", False, True, 90),
)

NAMES = tuple(t.name for t in TASKS)


def task(name: str) -> Task:
    return next(t for t in TASKS if t.name == name)


def settings(size: int | None, quick: bool) -> dict:
    """Repeats per task and size: fewer at 1M, where one run of a query says enough."""
    big = size is not None and size >= BIG
    return {
        "query_repeats": 2 if quick else (3 if big else 5),
        "centrality_repeats": 1 if quick else (2 if big else 3),
        "exact": not big,
        "startup_runs": 3 if quick else 7,
        "server_args": ["--clients", "4", "--requests", "20", "--rounds", "2"] if quick else [],
    }
