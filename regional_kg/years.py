"""The report's "The region through the years": centrality, trade, events and terms per year.

Four charts, each with the table it is drawn from beside it (the chart abbreviates long labels;
the table keeps them whole) and a CSV:

* **centrality per year** of the five states (:func:`regional_kg.centrality_by_year`, strength
  over the four layers, one scale for all years);
* **trade per pair per year**: every turnover figure between two states, with the precision it
  was published at as an error bar (``$1.6 billion`` is ±50 million) and contested figures
  (``rkg:contested true``: the sources disagree) drawn with a distinct marker;
* **events per year by kind** (the ``timeline`` query's events, :mod:`regional_kg.timeline`);
* **presidents' terms** as a Gantt chart: a ``rkg:TermOfOffice`` with ``org:memberDuring`` is a
  bar from its beginning to its end (open end: to the last year shown); a term known only from
  ``rkg:attestedOn`` dates (the source says "President X" on that day) is a mark on each date, so
  the chart never draws a span no source gives.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regional_kg.network import centrality_by_year
from regional_kg.network.chart import (
    ChartUnavailable,
    _pyplot,
    save_figure,
    short_label,
    wrap_title,
    write_year_chart,
)
from regional_kg.page.render import write_page
from regional_kg.stores.base import Store
from regional_kg.timeline import KIND_ORDER, events_per_year, timeline_events, timeline_page

_TRADE = """
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?observation ?reporter ?reporterIso ?partner ?partnerIso ?period ?value ?precision
       ?publishedAs ?contested WHERE {
  ?observation a rkg:TradeObservation ; rkg:reporter ?reporter ; rkg:partner ?partner ;
               rkg:refPeriod ?period ; rkg:value ?value .
  ?reporter a rkg:State ; rkg:isoCode ?reporterIso .
  ?partner a rkg:State ; rkg:isoCode ?partnerIso .
  OPTIONAL { ?observation rkg:flow ?flow }
  FILTER(!BOUND(?flow) || ?flow = <https://w3id.org/regional-kg/concept/flow/turnover>)
  OPTIONAL { ?observation rkg:precision ?precision }
  OPTIONAL { ?observation rkg:publishedAs ?publishedAs }
  OPTIONAL { ?observation rkg:contested ?contested }
} ORDER BY ?reporterIso ?partnerIso ?period
"""

_TERMS = """
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX schema: <https://schema.org/>
SELECT ?term ?name ?iso ?begin ?end ?attested WHERE {
  ?term a rkg:TermOfOffice ; org:member ?person ; org:organization ?state ;
        org:role <https://w3id.org/regional-kg/concept/role/president> .
  ?state a rkg:State ; rkg:isoCode ?iso .
  OPTIONAL { ?person schema:name ?name }
  OPTIONAL { ?term org:memberDuring/time:hasBeginning/
             (time:inXSDDate|time:inXSDgYear|time:inXSDgYearMonth) ?begin }
  OPTIONAL { ?term org:memberDuring/time:hasEnd/
             (time:inXSDDate|time:inXSDgYear|time:inXSDgYearMonth) ?end }
  OPTIONAL { ?term rkg:attestedOn ?attested }
} ORDER BY ?iso ?begin ?name
"""


@dataclass
class TradePoint:
    pair: str  # "KZ–UZ" (reporter–partner)
    year: int
    value: float
    precision: float
    contested: bool
    published: str | None


@dataclass
class Term:
    name: str
    iso: str
    begin: str | None = None
    end: str | None = None
    attested: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.iso})"


def _year(text: object) -> int | None:
    try:
        return int(str(text)[:4])
    except ValueError:
        return None


def _fraction(text: str) -> float:
    """``2018`` → 2018.0, ``2018-07`` → 2018.5, ``2018-07-16`` → ≈2018.54 (start of the day)."""
    parts = str(text).split("-")
    year = float(parts[0])
    month = int(parts[1]) if len(parts) > 1 and parts[1] else 1
    day = int(parts[2][:2]) if len(parts) > 2 and parts[2] else 1
    return year + (month - 1) / 12 + (day - 1) / 365


def trade_points(store: Store) -> list[TradePoint]:
    """Turnover between two states per reporter–partner pair and year (region totals left out)."""
    out = []
    for row in store.select(_TRADE).rows:
        year = _year(row["period"])
        if year is None:
            continue
        out.append(
            TradePoint(
                pair=f"{row['reporterIso']}–{row['partnerIso']}",
                year=year,
                value=float(str(row["value"])),
                precision=float(str(row["precision"])) if row.get("precision") else 0.0,
                contested=str(row.get("contested") or "").lower() in ("true", "1"),
                published=str(row["publishedAs"]) if row.get("publishedAs") else None,
            )
        )
    return out


def presidents(store: Store) -> list[Term]:
    """Presidents' terms of office, one row per president and state: the dated span (earliest
    beginning, latest end; open when a dated term has no end) and every attestation date."""
    terms: dict[tuple[str, str], Term] = {}
    open_ended: set[tuple[str, str]] = set()
    for row in store.select(_TERMS).rows:
        iri = str(row["term"])
        name = str(row.get("name") or iri.rsplit("/", 1)[-1])
        key = (name, str(row["iso"]))
        term = terms.setdefault(key, Term(name=name, iso=key[1]))
        begin = str(row["begin"]) if row.get("begin") is not None else None
        end = str(row["end"]) if row.get("end") is not None else None
        if begin:
            term.begin = min(filter(None, (term.begin, begin)))
            if end is None:
                open_ended.add(key)
        if end:
            term.end = max(filter(None, (term.end, end)))
        if row.get("attested") is not None and str(row["attested"]) not in term.attested:
            term.attested.append(str(row["attested"]))
    for key, term in terms.items():
        term.attested.sort()
        if key in open_ended:
            term.end = None
    return sorted(terms.values(), key=lambda t: (t.iso, t.begin or "", t.name))


# --------------------------------------------------------------------------- charts


@contextmanager
def _figure(size: tuple[float, float]) -> Iterator[tuple[Any, Any]]:
    """A matplotlib figure and its axes, closed however the drawing ends."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=size)
    try:
        yield fig, ax
    finally:
        plt.close(fig)


def _save(fig: Any, ax: Any, path: str | os.PathLike, legend: bool = False) -> Path:
    """Lay the figure out, with the ``legend`` beside the axes, and write it to ``path``."""
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    fig.tight_layout()
    return save_figure(fig, path)


def trade_chart(points: Sequence[TradePoint], path: str | os.PathLike) -> Path:
    """One line per pair, error bars of the published precision, contested figures marked."""
    with _figure((9, 5)) as (fig, ax):
        by_pair: dict[str, list[TradePoint]] = defaultdict(list)
        for p in points:
            by_pair[p.pair].append(p)
        for pair in sorted(by_pair, key=lambda k: -max(p.value for p in by_pair[k])):
            series = sorted(by_pair[pair], key=lambda p: p.year)
            ax.errorbar(
                [p.year for p in series],
                [p.value for p in series],
                yerr=[p.precision for p in series],
                marker="o",
                capsize=3,
                label=pair,
            )
        contested = [p for p in points if p.contested]
        if contested:
            ax.scatter(
                [p.year for p in contested],
                [p.value for p in contested],
                marker="X",
                s=140,
                facecolors="none",
                edgecolors="#b00020",
                linewidths=1.8,
                zorder=5,
                label="contested figure",
            )
        years = sorted({p.year for p in points})
        if years:
            ax.set_xticks(years)
        ax.set_xlabel("year")
        ax.set_ylabel("turnover, USD million (bars: published precision)")
        ax.grid(True, alpha=0.3)
        ax.set_title(wrap_title("Trade turnover between states, per reporter–partner pair"))
        return _save(fig, ax, path, legend=bool(points))


def events_chart(per_year: Mapping[int, Mapping[str, int]], path: str | os.PathLike) -> Path:
    """Stacked bars: events per year, one colour per kind."""
    years = list(range(min(per_year), max(per_year) + 1)) if per_year else []
    kinds = sorted(
        {k for counts in per_year.values() for k in counts},
        key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else 99, k),
    )
    with _figure((9, 4.5)) as (fig, ax):
        bottom = [0] * len(years)
        for kind in kinds:
            heights = [per_year.get(y, {}).get(kind, 0) for y in years]
            ax.bar(years, heights, bottom=bottom, label=kind)
            bottom = [a + b for a, b in zip(bottom, heights, strict=True)]
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years], rotation=45 if len(years) > 10 else 0)
        ax.set_ylabel("events")
        ax.set_title("Dated events per year, by kind")
        return _save(fig, ax, path, legend=bool(kinds))


def terms_chart(
    terms: Sequence[Term], path: str | os.PathLike, last_year: int, first_year: int | None = None
) -> Path:
    """Gantt chart of presidents' terms (bars for dated spans, marks for attestations), on whole
    years from ``first_year`` to ``last_year`` so it lines up with the section's other charts."""
    with _figure((9, max(2.6, 0.45 * len(terms) + 1.4))) as (fig, ax):
        labels = [short_label(t.label, 32) for t in terms]
        right = int(max([_fraction(t.end) for t in terms if t.end] + [last_year])) + 1
        spans = attested = False
        for i, term in enumerate(terms):
            if term.begin:
                start = _fraction(term.begin)
                # an open term runs to the right edge: still in office at the last year shown
                end: float = right
                if term.end:
                    end = _fraction(term.end) + (1 / 365 if "-" in term.end else 1)
                ax.barh(i, end - start, left=start, color="#3b6ea5", height=0.5)
                spans = True
            if term.attested:
                ax.scatter(
                    [_fraction(d) for d in term.attested],
                    [i] * len(term.attested),
                    marker="|",
                    s=220,
                    color="#d55e00",
                    linewidths=2.5,
                    zorder=4,
                )
                attested = True
        ax.set_yticks(range(len(terms)))
        ax.set_yticklabels(labels)
        ax.invert_yaxis()
        ax.set_xlabel("year")
        ax.grid(True, axis="x", alpha=0.3)
        notes = []
        if spans:
            notes.append("bar: term as dated (org:memberDuring)")
        if attested:
            notes.append("mark: date a source names the president")
        ax.set_title(wrap_title("Presidents' terms of office — " + "; ".join(notes or ["none"])))
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")
        dated = [_fraction(t.begin) for t in terms if t.begin] + [
            _fraction(d) for t in terms for d in t.attested
        ]
        starts = [int(x) for x in dated] + ([first_year] if first_year is not None else [])
        ax.set_xlim(min(starts) if starts else last_year, right)
        return _save(fig, ax, path)


# --------------------------------------------------------------------------- the section


@dataclass
class YearsSection:
    """What the section wrote: charts (name → path), tables for the HTML, CSV names."""

    charts: dict[str, Path] = field(default_factory=dict)
    centrality: Any = None
    trade: list[TradePoint] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    per_year: dict[int, dict[str, int]] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    csv: dict[str, str] = field(default_factory=dict)


def write_years(store: Store, out: Path) -> YearsSection:
    """Compute the section's series, write its charts (if matplotlib is there) and CSVs."""
    section = YearsSection()
    section.centrality = centrality_by_year(store, measures=["strength"])
    section.trade = trade_points(store)
    section.events = timeline_events(store)
    section.per_year = events_per_year(section.events)
    section.terms = presidents(store)
    years = list(section.centrality.meta.get("years") or [])
    last = max(years + list(section.per_year) + [p.year for p in section.trade] or [2025])

    write_page(
        timeline_page(
            section.events,
            title="Timeline: the five states of Central Asia",
            subtitle=f"{len(section.events)} dated events; hover or click an event for its "
            "sources.",
        ),
        out / "timeline.html",
    )
    tables = {
        "years-centrality.csv": (
            ["year", "node", "label", "iso", "measure", "score", "rank", "edges", "facts"],
            [
                [r.get(c) for c in ("year", "node", "label", "iso", "measure", "score", "rank")]
                + [r.get("edges"), r.get("facts")]
                for r in section.centrality
            ],
        ),
        "years-trade.csv": (
            ["pair", "year", "value_usd_million", "precision", "published_as", "contested"],
            [
                [p.pair, p.year, p.value, p.precision, p.published or "", p.contested]
                for p in section.trade
            ],
        ),
        "years-events.csv": (
            ["year", "kind", "events"],
            [[y, k, n] for y, kinds in section.per_year.items() for k, n in kinds.items()],
        ),
        "years-terms.csv": (
            ["president", "state", "begin", "end", "attested"],
            [
                [t.name, t.iso, t.begin or "", t.end or "", "; ".join(t.attested)]
                for t in section.terms
            ],
        ),
    }
    for name, (columns, rows) in tables.items():
        with (out / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            writer.writerows(rows)
        section.csv[name.removesuffix(".csv").removeprefix("years-")] = name
    try:
        section.charts["centrality"] = write_year_chart(
            section.centrality,
            out / "years-centrality.png",
            title="Strength of the five states per year (four layers, one scale for all years)",
        )
        if section.trade:
            section.charts["trade"] = trade_chart(section.trade, out / "years-trade.png")
        if section.per_year:
            section.charts["events"] = events_chart(section.per_year, out / "years-events.png")
        if section.terms:
            section.charts["terms"] = terms_chart(
                section.terms, out / "years-terms.png", last, years[0] if years else None
            )
    except ChartUnavailable:
        pass
    return section
