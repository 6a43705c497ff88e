"""``python -m benchmarks.draft [TEXT TRIG DOC PUBLISHED]``: how good are ``rkg draft``'s drafts?

Drafts a sheet from a document's text and scores its visits, meetings and agreements against
the curated graph of the same document (:mod:`regional_kg.sheets.score`: a fact matches on kind,
date and participants). The first case is the seed article, read from ``../shared/seed/`` (the
project never copies its text). Goal: recall ≥ 80 % at precision ≥ 50 % for each of the three.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.common import ROOT
from regional_kg.sheets.score import GOAL_PRECISION, GOAL_RECALL, run_case

SEED_TEXT = ROOT.parent / "shared" / "seed" / "koishybayev-2018-central-asia-new-stage.txt"
SEED_CASE = (SEED_TEXT, ROOT / "graph" / "koishybayev-2018.trig", "koishybayev-2018", "2018-06-08")


def main(argv: list[str]) -> int:
    if argv:
        text, trig, doc, published = argv
        case = (Path(text), Path(trig), doc, published)
    else:
        case = SEED_CASE
    if not case[0].is_file():
        print(f"no text at {case[0]}", file=sys.stderr)
        return 2
    scores = run_case(*case)
    print(f"{case[2]}: drafted facts against curated ones (match: kind, date, participants)")
    print(
        f"{'kind':<10} {'curated':>7} {'drafted':>7} {'matched':>7} {'precision':>9} {'recall':>7}"
    )
    ok = True
    for s in scores.values():
        print(
            f"{s.kind:<10} {s.curated:>7} {s.drafted:>7} {s.matched:>7} "
            f"{s.precision:>9.0%} {s.recall:>7.0%}"
        )
        ok &= s.recall >= GOAL_RECALL and s.precision >= GOAL_PRECISION
    print("goal (recall >= 80 % at precision >= 50 %):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
