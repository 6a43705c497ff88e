"""``rkg draft``: paragraphs, dates, entities and candidate facts from a text; the benchmark.

The texts here are written for the tests (the seed article is never copied into the project;
the benchmark test reads it from ../shared/seed/ and is skipped, saying so, when it is absent).
Names resolve against the seed graph the tests see by default (conftest.py).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from regional_kg.namespaces import RKGD
from regional_kg.sheets.draft import dates, draft, entities, paragraphs, sentences
from regional_kg.sheets.score import GOAL_PRECISION, GOAL_RECALL, run_case
from tests.support.graphs import REPO

#: The seed article beside the project (../shared/seed/ from the checkout's parent folder).
SEED_TEXT = REPO.parent / "shared" / "seed" / "koishybayev-2018-central-asia-new-stage.txt"
SEED_CASE = (SEED_TEXT, REPO / "graph" / "koishybayev-2018.trig", "koishybayev-2018", "2018-06-08")

RELEASE = """\
Presidents of Kazakhstan and Kyrgyzstan meet in Astana

On December 25-26, 2017 Sooronbay Jeenbekov of Kyrgyzstan made an official visit to Astana.

Nazarbayev and Jeenbekov held talks in Astana on December 25, 2017.
The Agreement on the Demarcation of the Kazakh-Kyrgyz State Border was signed.

In addition, three agreements on migration were signed.

Trade between Kazakhstan and Kyrgyzstan reached $700.5 million in 2017, up 12.5 percent.
"""


def test_paragraphs_are_the_non_empty_lines():
    assert paragraphs("a\n\n  b \n\n\nc\n") == ["a", "b", "c"]
    assert len(paragraphs(RELEASE)) == 6


def test_dates_at_their_printed_precision():
    found = [f.value for f in dates("on December 25-26, 2017 and 15 March 2018", None)]
    assert found == [("2017-12-25", "2017-12-26"), ("2018-03-15", None)]
    assert [f.value for f in dates("in September 2017, by 2020", None)] == [("2017-09", None)]
    assert [f.value for f in dates("the statement (Sept. 22, 2017)", None)] == [
        ("2017-09-22", None)
    ]
    assert [f.value for f in dates("held on March 15 in Astana", 2018)] == [("2018-03-15", None)]
    assert [f.value for f in dates("Since the beginning of 2017,", None)] == [("2017", None)]


def test_sentences_do_not_break_after_month_abbreviations():
    assert [s for _, s in sentences("Met on Sept. 22, 2017 in New York. Then left.")] == [
        "Met on Sept. 22, 2017 in New York.",
        "Then left.",
    ]


def test_entities_from_graph_labels_surnames_and_country_names():
    found = {(f.text, str(f.value).removeprefix(str(RKGD)), f.kind) for f in entities(
        "President of Kyrgyzstan Sooronbay Jeenbekov met Nazarbayev on the Kazakh-Kyrgyz border; "
        "the Central Asian countries agreed."
    )}  # fmt: skip
    assert {
        ("Kyrgyzstan", "state/KG", "state"),
        ("Sooronbay Jeenbekov", "person/sooronbay-jeenbekov", "person"),
        ("Nazarbayev", "person/nursultan-nazarbayev", "person"),  # a unique surname
        ("Kazakh", "state/KZ", "state"),  # countrynames: adjectives of country names
        ("Kyrgyz", "state/KG", "state"),
    } <= found
    region = {v for t, v, _ in found if t == "Central Asian countries"}
    assert region == {f"state/{c}" for c in ("KZ", "KG", "TJ", "TM", "UZ")}


def test_draft_of_a_release():
    data = draft(RELEASE, slug="release", url="https://www.example.org/r", published="2017-12-26")
    assert data["document"] == {
        "id": "release",
        "title": "Presidents of Kazakhstan and Kyrgyzstan meet in Astana",
        "url": "https://www.example.org/r",
        "publisher": "example.org",
        "kind": "news",
        "published": "2017-12-26",
        "language": "en",
        "paragraphs": 6,
    }
    assert data["entities"] == {"example.org": {"type": "publisher", "paragraphs": [1]}}
    assert data["facts"] == [
        {
            "kind": "visit",
            "cue": "official visit",
            "paragraphs": [2],
            "visitor": "Sooronbay Jeenbekov",
            "from": "KG",
            "to": "KZ",
            "type": "official",
            "start": "2017-12-25",
            "end": "2017-12-26",
            "place": "Astana",
            "status": "draft",
        },
        {
            "kind": "meeting",
            "cue": "talks",
            "paragraphs": [3],
            "date": "2017-12-25",
            "place": "Astana",
            "participants": [
                {"who": "Nursultan Nazarbayev", "for": "KZ"},
                {"who": "Sooronbay Jeenbekov", "for": "KG"},
            ],
            "status": "draft",
        },
        {
            "kind": "agreement",
            "cue": "agreement",
            "paragraphs": [4],
            "title": "Agreement on the Demarcation of the Kazakh-Kyrgyz State Border",
            "signed": "2017-12-25",  # the paragraph's date (the talks)
            "parties": ["KZ", "KG"],
            "status": "draft",
        },
        {
            "kind": "agreement",
            "cue": "signed",
            "paragraphs": [5],
            "title": "three agreements on migration",
            "count": 3,
            "type": "agreement",
            "signed": "2017-12-25",
            "parties": ["KZ", "KG"],
            "status": "draft",
        },
        {
            "kind": "trade",
            "cue": "trade",
            "paragraphs": [6],
            "reporter": "KZ",
            "partner": "KG",
            "year": "2017",
            "value": "$700.5 million",
            "note": "change given as 12.5 percent",
            "status": "draft",
        },
    ]


def rkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "regional_kg.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_rkg_draft_writes_a_sheet_that_build_refuses(tmp_path):
    text = tmp_path / "release.txt"
    text.write_text(RELEASE, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = rkg(
        "draft",
        str(text),
        "--url",
        "https://www.example.org/r",
        "--published",
        "2017-12-26",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    sheet = out.read_text(encoding="utf-8")
    assert sheet.count("\n  status: draft") == 5
    line = next(i for i, x in enumerate(sheet.splitlines(), 1) if x == "  status: draft")
    result = rkg("build", "--source", str(out), "--store", "memory")
    assert result.returncode == 2
    assert (
        f"{out}:{line}: facts[0].status: a draft visit fact (drafted from 'official visit')"
        in result.stderr
    )
    result = rkg("sheet", "check", "--allow-drafts", str(out))
    assert result.returncode == 0, result.stderr  # the drafts are well-formed sheets


@pytest.mark.skipif(not SEED_CASE[0].is_file(), reason=f"the seed text is not at {SEED_CASE[0]}")
def test_benchmark_on_the_seed_article():
    scores = run_case(*SEED_CASE)
    figures = {k: (s.curated, s.drafted, s.matched) for k, s in scores.items()}
    assert figures == {"visit": (4, 4, 4), "meeting": (6, 8, 6), "agreement": (13, 13, 13)}
    for s in scores.values():
        assert s.recall >= GOAL_RECALL and s.precision >= GOAL_PRECISION


MEETINGS = """\
Leaders meet twice

Tokayev and Mirziyoyev held talks in Tashkent on March 3, 2022 and in Samarkand on March 5, 2022.

The meeting also covered water; Kyrgyzstan and Tajikistan sent observers.

The next consultations took place on August 6, 2022.

Water was discussed.

A summit of the five states is planned.

Officials held talks.
"""


def test_meetings_per_place_merged_mentions_and_inherited_states():
    """Two places in one sentence give two meetings, each dated by its nearest date and without
    participants; an undated mention in the next paragraph adds its paragraph and states to the
    last meeting; a meeting naming no state takes those of the last dated meeting; an undated
    "summit" with no meeting just before is a meeting of its own, an undated "talks" is none."""
    facts = draft(MEETINGS, slug="meetings", published="2022-03-06")["facts"]
    assert facts == [
        {
            "kind": "meeting",
            "cue": "talks",
            "paragraphs": [2],
            "date": "2022-03-03",
            "place": "Tashkent",
            "states": ["UZ"],
            "status": "draft",
        },
        {
            "kind": "meeting",
            "cue": "talks",
            "paragraphs": [2, 3],
            "date": "2022-03-05",
            "place": "Samarkand",
            "states": ["UZ", "KG", "TJ"],
            "status": "draft",
        },
        {
            "kind": "meeting",
            "cue": "consultations",
            "paragraphs": [4],
            "date": "2022-08-06",
            "states": ["UZ", "KG", "TJ"],
            "status": "draft",
        },
        {
            "kind": "meeting",
            "cue": "summit",
            "paragraphs": [6],
            "states": ["UZ", "KG", "TJ"],
            "status": "draft",
        },
    ]
