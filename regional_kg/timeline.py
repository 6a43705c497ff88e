"""The timeline page: the region's dated events on a time axis, one lane per kind, with sources.

``rkg timeline-page [--state S] -o FILE.html`` and the report's "The region through the years"
draw it. The events are the catalogue's ``timeline`` query (visits, meetings, agreements,
cultural years, memberships and chairmanships, terms of office, elections and other events), run
once per state and merged, so the page shows exactly what ``rkg query timeline`` lists; each
event's sources (every document and paragraph it is derived from) come from one more query.

The page is one self-contained file like the network page (:mod:`regional_kg.page.render`): no
CDN, a Content-Security-Policy that allows nothing outside the file, the data in a JSON block
with ``<``, ``>`` and ``&`` escaped, and every text put on the page with ``textContent``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from rdflib import URIRef

from regional_kg.catalogue import run_query
from regional_kg.page.render import script_json, write_page
from regional_kg.stores.base import Store

PAGE_DIR = Path(__file__).resolve().parent / "page"
#: The lanes, top to bottom (kinds the ``timeline`` query returns; others are added after).
KIND_ORDER: tuple[str, ...] = (
    "meeting",
    "visit",
    "agreement",
    "event",
    "term of office",
    "membership",
    "chairmanship",
    "cultural year",
)
#: The five states of the region, whose timelines the page merges when no state is given.
REGION = ("KZ", "KG", "TJ", "TM", "UZ")
_DATE = re.compile(r"(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")

_SOURCES = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?item ?doc ?docName ?paragraph WHERE {
  VALUES ?item { %s }
  ?item prov:qualifiedDerivation ?d .
  ?d prov:entity ?doc .
  OPTIONAL { ?doc schema:name ?docName }
  OPTIONAL { ?d rkg:paragraph ?paragraph }
}"""


@dataclass
class Event:
    """One dated event as the page shows it."""

    item: str
    date: str
    kind: str
    label: str
    states: set[str] = field(default_factory=set)
    sources: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def year(self) -> int:
        return int(_DATE.match(self.date).group(1))  # type: ignore[union-attr]

    def position(self) -> float:
        """The date as a fractional year (2018-07-01 ≈ 2018.5; a bare year sits at mid-year),
        so dates of any precision share one axis."""
        match = _DATE.match(self.date)
        if not match:
            return 0.0
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if month is None:
            return year + 0.5
        return year + (month - 1) / 12 + ((day - 1) / 31 if day else 0.5) / 12

    def as_json(self) -> dict[str, object]:
        return {
            "item": self.item,
            "date": self.date,
            "year": self.year,
            "x": round(self.position(), 4),
            "kind": self.kind,
            "label": self.label,
            "states": sorted(self.states),
            "sources": [
                {"document": doc, "paragraph": paragraph} for doc, paragraph in self.sources
            ],
        }


def timeline_events(
    store: Store,
    states: Iterable[str] | None = None,
    *,
    since: int | None = None,
    until: int | None = None,
) -> list[Event]:
    """The ``timeline`` query's events of ``states`` (default: the five), merged by item.

    An event of several states (a summit) is one event listing them all. ``since``/``until``
    keep the years shown. Sorted by date, kind and label.
    """
    wanted = list(states) if states else list(REGION)
    found: dict[str, Event] = {}
    for state in wanted:
        for row in run_query(store, "timeline", {"state": state}).rows:
            item, date = str(row["item"]), str(row.get("date") or "")
            if not _DATE.match(date):
                continue
            event = found.get(item)
            if event is None or date < event.date:
                label = str(row.get("label") or item.rstrip("/").rsplit("/", 1)[-1])
                event = found[item] = Event(
                    item=item,
                    date=date,
                    kind=str(row.get("kind") or "event"),
                    label=label,
                    states=event.states if event else set(),
                )
            event.states.add(_iso(state))
    events = [
        e
        for e in found.values()
        if (since is None or e.year >= since) and (until is None or e.year <= until)
    ]
    _attach_sources(store, events)
    return sorted(events, key=lambda e: (e.date, _kind_rank(e.kind), e.label, e.item))


def _iso(state: str) -> str:
    text = str(state).rstrip("/").rsplit("/", 1)[-1]
    return text.upper() if len(text) == 2 else text


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def _attach_sources(store: Store, events: Sequence[Event], chunk: int = 200) -> None:
    by_item = {e.item: e for e in events}
    items = sorted(by_item)
    seen: dict[str, set[tuple[str, int | None]]] = defaultdict(set)
    for start in range(0, len(items), chunk):
        values = " ".join(URIRef(i).n3() for i in items[start : start + chunk])
        for row in store.select(_SOURCES % values).rows:
            paragraph = row.get("paragraph")
            try:
                number = int(str(paragraph)) if paragraph is not None else None
            except ValueError:
                number = None
            doc = str(row.get("docName") or row["doc"])
            seen[str(row["item"])].add((doc, number))
    for item, locators in seen.items():
        by_item[item].sources = sorted(locators, key=lambda s: (s[0], s[1] or 0))


def events_per_year(events: Iterable[Event]) -> dict[int, dict[str, int]]:
    """``{year: {kind: count}}`` (the report's "events per year by kind")."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in events:
        out[event.year][event.kind] += 1
    return {year: dict(kinds) for year, kinds in sorted(out.items())}


def timeline_page(
    events: Sequence[Event], *, title: str = "The region through the years", subtitle: str = ""
) -> str:
    """The self-contained HTML page of ``events`` (see the module docstring)."""
    env = Environment(loader=FileSystemLoader(str(PAGE_DIR)), autoescape=True)
    env.filters["script_json"] = script_json
    kinds = sorted({e.kind for e in events}, key=lambda k: (_kind_rank(k), k))
    years = sorted({e.year for e in events})
    states = sorted({s for e in events for s in e.states})
    data = {
        "events": [e.as_json() for e in events],
        "kinds": kinds,
        "years": list(range(years[0], years[-1] + 1)) if years else [],
        "states": states,
    }
    return env.get_template("timeline.html").render(
        title=title, subtitle=subtitle, data=data, count=len(events)
    )


def write_timeline_page(
    store: Store,
    path: str | Path,
    *,
    states: Iterable[str] | None = None,
    since: int | None = None,
    until: int | None = None,
    title: str | None = None,
) -> tuple[Path, list[Event]]:
    """Query the events and write the page to ``path``; returns the path and the events."""
    chosen = list(states) if states else None
    events = timeline_events(store, chosen, since=since, until=until)
    who = ", ".join(chosen) if chosen else "the five states of Central Asia"
    page = timeline_page(
        events,
        title=title or f"Timeline: {who}",
        subtitle=f"{len(events)} dated events of {who}; hover or click an event for its sources.",
    )
    return write_page(page, path), events
