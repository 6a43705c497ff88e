"""The timeline page (``rkg timeline-page``): events of the seed graph, sources, escaping, browser.

The seed article's 2018 events of Kazakhstan are the ten rows of
``rkg query timeline --param state=KZ --param from=2018 --param to=2018``: the UN Security
Council presidency (2018-01), four agreements with Tajikistan (2018-03), Rahmon's visit
(2018-03-14), the Astana meeting of the five heads of state and its joint statement, the opening
of the Year of Uzbekistan and the cultural year itself (2018-03-15).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import regional_kg
from regional_kg.catalogue import run_query
from regional_kg.cli import main
from regional_kg.timeline import Event, events_per_year, timeline_events, timeline_page
from tests.support.browser import ARTIFACTS, browser, open_page, wait_for  # noqa: F401
from tests.support.page_graphs import XSS_IMG, XSS_SCRIPT

MEETING = "https://w3id.org/regional-kg/id/event/2018-03-15-ca-heads-of-state-meeting"
SEED_DOC = "Central Asia: New Stage for Strengthening of Regional Partnership and Trust"


@pytest.fixture(scope="module")
def seed():
    return regional_kg.build(validate=False).store


def test_events_are_the_timeline_query_merged_over_the_states(seed):
    events = timeline_events(seed)
    assert len(events) == 27
    kz_2018 = [e for e in events if e.year == 2018 and "KZ" in e.states]
    rows = run_query(seed, "timeline", {"state": "KZ", "from": "2018", "to": "2018"}).rows
    assert sorted(e.item for e in kz_2018) == sorted(str(r["item"]) for r in rows)
    assert len(kz_2018) == 10
    [meeting] = [e for e in events if e.item == MEETING]
    assert meeting.kind == "meeting" and meeting.date == "2018-03-15"
    assert meeting.states == {"KZ", "KG", "TJ", "TM", "UZ"}  # one event, not five
    assert (SEED_DOC, 52) in meeting.sources and (SEED_DOC, 54) in meeting.sources
    assert events_per_year(events)[2017] == {"agreement": 6, "visit": 3, "event": 2, "meeting": 2}
    only_tm = timeline_events(seed, ["TM"])
    assert all("TM" in e.states for e in only_tm) and len(only_tm) < len(events)
    assert {e.year for e in timeline_events(seed, since=2018, until=2018)} == {2018}


def test_positions_keep_the_date_precision():
    assert Event("x", "2018", "event", "y").position() == 2018.5
    assert Event("x", "2018-07", "event", "y").position() == pytest.approx(2018.5 + 0.5 / 12)
    assert Event("x", "2018-01-01", "event", "y").position() == 2018.0


def test_page_is_offline_and_escapes_data():
    event = Event("urn:x", "2018-03-15", "meeting", XSS_SCRIPT, {"KZ"}, [(XSS_IMG, 3)])
    html = timeline_page([event], title=XSS_IMG, subtitle=XSS_SCRIPT)
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=""", html, re.I)
    assert XSS_SCRIPT not in html and XSS_IMG not in html  # escaped in markup and JSON alike
    assert "default-src 'none'" in html
    block = html.split('id="rkg-timeline">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    data = json.loads(block)
    assert data["events"][0]["label"] == XSS_SCRIPT
    assert data["events"][0]["sources"] == [{"document": XSS_IMG, "paragraph": 3}]
    assert "innerHTML" not in html


def test_cli_writes_the_page(capsys, tmp_path):
    out = tmp_path / "kz.html"
    code = main(["timeline-page", "--no-validate", "--state", "KZ", "-o", str(out)])
    stdout = capsys.readouterr().out
    assert code == 0
    assert stdout.startswith(f"Wrote {out}: 25 events, 2010–2019 (agreement 11, ")
    assert "rkg-timeline" in out.read_text(encoding="utf-8")
    code = main(["timeline-page", "--no-validate", "-o", str(tmp_path / "x.png")])
    assert code == 2 and ".html" in capsys.readouterr().err


@pytest.fixture(scope="module")
def seed_page(seed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from regional_kg.page import write_page

    html = timeline_page(timeline_events(seed), title="Seed timeline")
    return write_page(html, tmp_path_factory.mktemp("timeline") / "timeline.html")


def test_timeline_in_the_browser_filters_and_shows_sources(browser, seed_page):  # noqa: F811
    log = open_page(browser, seed_page, wait_stable=False)
    try:
        page = log.page
        wait_for(page, "window.rkgTimeline !== undefined && window.rkgTimeline.ready === true")
        assert page.evaluate("rkgTimeline.shown") == 27
        assert page.locator("button.ev").count() == 27
        assert page.locator(".lane").count() == 6  # one lane per kind of event
        page.select_option("#state-filter", "KZ")
        page.select_option("#year-filter", "2018")
        assert page.evaluate("rkgTimeline.shown") == 10
        assert page.locator("button.ev").count() == 10
        assert page.inner_text("#shown") == "10 of 27 events shown"
        meeting = page.locator(f'button.ev[data-item="{MEETING}"]')
        meeting.click()
        details = page.inner_text("#details")
        assert "Working (Consultative) Meeting" in details
        assert f"{SEED_DOC}, paragraph 52" in details and "KG, KZ, TJ, TM, UZ" in details
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "timeline-kz-2018.png"), full_page=True)
        page.select_option("#state-filter", "TM")
        page.select_option("#year-filter", "")
        tm = [e for e in page.evaluate("rkgTimeline.data.events") if "TM" in e["states"]]
        assert page.evaluate("rkgTimeline.shown") == len(tm)
        assert log.console_errors == [] and log.page_errors == []
        assert log.foreign_requests(seed_page) == []
    finally:
        log.page.context.close()
