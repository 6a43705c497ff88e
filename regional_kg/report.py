"""The report: one folder a reader can open offline that shows what the graph holds and says.

``rkg report`` (and ``make demo``) builds the graph, runs the key catalogue queries and the
centrality analysis, draws the network pages and the centrality chart, and writes ``index.html``
linking all of it, with every answer also as CSV. The folder is written into a temporary sibling
and moved into place at the end, so a failed run never leaves half a report behind.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import html
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from regional_kg.build import obtain_build
from regional_kg.catalogue import get_query, run_query
from regional_kg.errors import UserError
from regional_kg.network import Rows
from regional_kg.network.chart import ChartUnavailable, write_chart
from regional_kg.network.evidence import format_relations
from regional_kg.page.from_store import network_page
from regional_kg.progress import Phases
from regional_kg.stores.base import SelectResult, Store, term_to_python
from regional_kg.years import write_years

#: The catalogue queries the report runs: (name, parameters, why a reader wants it).
KEY_QUERIES: tuple[tuple[str, dict[str, object], str], ...] = (
    ("agreements", {"state": "KZ"}, "Agreements of Kazakhstan"),
    ("visits", {"state": "KZ"}, "Visits by and to Kazakhstan"),
    ("meetings", {}, "Meetings and their participants"),
    ("leaders", {}, "Leaders and their offices"),
    ("trade-turnover", {}, "Trade turnover as reported"),
    ("trade-targets", {}, "Trade targets"),
    ("partners", {"state": "KZ"}, "Kazakhstan's partners"),
    ("timeline", {"state": "KZ"}, "Timeline of Kazakhstan's relations"),
)

#: The network views the report draws: (file stem, title, layers, year, view).
NETWORK_VIEWS: tuple[tuple[str, str, tuple[str, ...] | None, int | None, str], ...] = (
    ("network", "Partners network, all layers", None, None, "partners"),
    ("network-trade-2017", "Partners network, trade in 2017", ("trade",), 2017, "partners"),
    ("network-actors", "Actors network: people, organisations, events", None, None, "actors"),
)

MAX_TABLE_ROWS = 200
#: The phases ``rkg report`` announces (building the graph, then :func:`write_report`'s five).
REPORT_PHASES = 6


@dataclass
class QueryAnswer:
    name: str
    title: str
    params: dict[str, object]
    columns: list[str] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)
    error: str | None = None
    csv_name: str | None = None


@dataclass
class NetworkPart:
    stem: str
    title: str
    layers: tuple[str, ...] | None
    year: int | None
    nodes: int = 0
    edges: int = 0
    drawn_nodes: int = 0
    drawn_edges: int = 0
    measures: list[str] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)
    note: str | None = None
    score: str = "score"
    ranked: Any = None  # the centrality Rows (with .meta), for the chart


@dataclass
class ReportResult:
    """What was written, with the figures the terminal summary prints."""

    out_dir: Path
    index: Path
    files: list[Path]
    answers: list[QueryAnswer]
    networks: list[NetworkPart]
    triples: int
    graphs: dict[str, int]
    validation: str
    years: Any = None  # regional_kg.years.YearsSection: "The region through the years"

    def summary(self) -> str:
        lines = [f"Report written to {self.index}"]
        lines.append(f"  graph: {self.triples} triples in {len(self.graphs)} named graphs")
        lines.append(f"  {(self.validation.splitlines() or [''])[0]}")
        for part in self.networks:
            lines.append(
                f"  {part.stem}.html: {part.drawn_nodes} nodes, {part.drawn_edges} relations"
                f" (projection {part.nodes} nodes, {part.edges} relations)"
            )
        failed = [a for a in self.answers if a.error]
        lines.append(
            f"  queries: {len(self.answers) - len(failed)} answered, "
            f"{sum(len(a.rows) for a in self.answers)} rows"
            + (f"; failed: {', '.join(a.name for a in failed)}" if failed else "")
        )
        if self.networks and self.networks[0].rows:
            part = self.networks[0]
            top = ", ".join(
                f"{r.get('label', r.get('node'))} ({_fmt(r.get('score'))})" for r in part.rows[:5]
            )
            lines.append(f"  top partners by {part.score} ({part.title}): {top}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- helpers


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _e(value: object) -> str:
    return html.escape(_fmt(value), quote=True)


_SHORT = (
    ("https://w3id.org/regional-kg/concept/", ""),
    ("https://w3id.org/regional-kg/id/", "rkgd:"),
    ("https://w3id.org/regional-kg/graph/", "rkgg:"),
    ("https://w3id.org/regional-kg/ontology#", "rkg:"),
)


def _short(value: object) -> object:
    """IRIs of our namespaces, shortened for tables people read (the CSV keeps them whole)."""
    if isinstance(value, str):
        for long, short in _SHORT:
            if value.startswith(long):
                return short + value[len(long) :]
    return value


def _row_dict(row: Any) -> dict[str, object]:
    if isinstance(row, Mapping):
        return dict(row)
    if dataclasses.is_dataclass(row) and not isinstance(row, type):
        return dataclasses.asdict(row)
    if hasattr(row, "_asdict"):
        return dict(row._asdict())
    return dict(vars(row))


def _cell(value: object) -> object:
    """Table and CSV text for a row value (the ``relations`` column is a dict)."""
    if isinstance(value, dict):
        return format_relations(value)
    return value


#: Columns of the centrality table in index.html (the CSV has them all).
_RANK_COLUMNS = (
    "rank",
    "label",
    "iso",
    "score",
    "edges",
    "relations",
    "trade_usd_million",
    "facts",
    "sources",
)


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def _table(columns: Sequence[str], rows: Sequence[Sequence[object]], limit: int) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(_short(v))}</td>" for v in row) + "</tr>" for row in rows[:limit]
    )
    more = (
        f'<p class="more">{len(rows) - limit} more rows in the CSV file.</p>'
        if len(rows) > limit
        else ""
    )
    return (
        f"<div class='scroll'><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
        f"</table></div>{more}"
    )


def _result_rows(result: SelectResult) -> tuple[list[str], list[list[object]]]:
    columns = list(result.variables)
    rows = [[term_to_python(r.get(c)) for c in columns] for r in result.rows]
    return columns, rows


# --------------------------------------------------------------------------- parts


def run_answers(store: Store, out: Path) -> list[QueryAnswer]:
    """Run the key queries; a query that fails is reported as such rather than sinking the run."""
    answers = []
    (out / "queries").mkdir(exist_ok=True)
    for name, params, why in KEY_QUERIES:
        answer = QueryAnswer(name=name, title=why, params=dict(params))
        try:
            spec = get_query(name)
            answer.title = spec.title or why
            answer.columns, answer.rows = _result_rows(run_query(store, spec, params))
        except UserError as exc:
            answer.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - engine errors go into the report
            answer.error = f"{type(exc).__name__}: {exc}"
        if answer.error is None:
            answer.csv_name = f"queries/{name}.csv"
            _write_csv(out / answer.csv_name, answer.columns, answer.rows)
        answers.append(answer)
    return answers


def draw_networks(store: Store, out: Path, top: int) -> list[NetworkPart]:
    """Project, rank and draw each network view; write its page, CSV and chart."""
    parts = []
    for stem, title, layers, year, view in NETWORK_VIEWS:
        part = NetworkPart(stem=stem, title=title, layers=layers, year=year)
        drawn = network_page(store, layers=layers, view=view, year=year, top=top, title=title)
        (out / f"{stem}.html").write_text(drawn.rendered.html, encoding="utf-8")
        part.nodes, part.edges = drawn.rendered.total_nodes, drawn.rendered.total_edges
        part.drawn_nodes, part.drawn_edges = len(drawn.rendered.nodes), len(drawn.rendered.edges)
        part.rows = [{k: _cell(v) for k, v in r.items()} for r in drawn.rows]
        part.ranked = drawn.rows
        part.measures = list(drawn.measures)
        part.score = str(drawn.meta.get("score", "score"))
        part.note = drawn.rendered.note
        if part.rows:
            columns = list(part.rows[0])
            _write_csv(
                out / f"centrality-{stem}.csv",
                columns,
                [[r.get(c) for c in columns] for r in part.rows],
            )
        parts.append(part)
    return parts


def centrality_chart(part: NetworkPart, path: Path, n: int = 12) -> bool:
    """The centrality helper's bar chart of the top ``n`` (False when matplotlib is missing)."""
    if not part.ranked:
        return False
    try:
        write_chart(Rows(list(part.ranked)[:n], part.ranked.meta), path, title=part.title)
    except ChartUnavailable:
        return False
    return True


def graph_sizes(store: Store) -> dict[str, int]:
    result = store.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    return {str(r["g"]): int(str(r["n"])) for r in result.rows}


_SOURCES = """
PREFIX schema: <https://schema.org/>
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?doc ?name ?paragraphs (COUNT(DISTINCT ?fact) AS ?facts) WHERE {
  ?doc a rkg:SourceDocument .
  OPTIONAL { ?doc schema:name ?name }
  OPTIONAL { ?doc rkg:paragraphCount ?paragraphs }
  OPTIONAL { ?fact prov:qualifiedDerivation/prov:entity ?doc }
} GROUP BY ?doc ?name ?paragraphs ORDER BY ?doc
"""


def source_rows(store: Store) -> tuple[list[str], list[list[object]]]:
    return _result_rows(store.select(_SOURCES))


# --------------------------------------------------------------------------- index.html

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #222;
       background: #fafafa; }
header { background: #1f3b57; color: #fff; padding: 14px 24px; }
header h1 { margin: 0; font-size: 22px; } header p { margin: 4px 0 0; opacity: .85; }
main { padding: 8px 24px 40px; max-width: 1200px; }
h2 { border-bottom: 2px solid #1f3b57; padding-bottom: 3px; margin-top: 28px; }
h3 { margin-bottom: 4px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; background: #fff; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
.error { color: #a33; } .more, .note { color: #666; font-size: 13px; }
nav a { margin-right: 14px; } img.chart { max-width: 100%; border: 1px solid #ddd; }
ul.links li { margin: 3px 0; }
.scroll { overflow-x: auto; max-width: 100%; }
.pair { display: flex; gap: 18px; align-items: flex-start; flex-wrap: wrap; }
.pair .chart-box { flex: 1 1 560px; max-width: 760px; }
"""


def _index_html(
    result: ReportResult,
    sources: tuple[list[str], list[list[object]]],
    charts: Mapping[str, Path],
) -> str:
    parts: list[str] = []
    add = parts.append
    add("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>")
    add(
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data: 'self'\">"
    )
    add("<title>regional-kg report</title>")
    add(f"<style>{_CSS}</style></head><body>")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    add("<header><h1>regional-kg: international relations in Central Asia</h1>")
    add(f"<p>Report generated {_e(stamp)} from {result.triples} triples.</p></header><main>")
    add(
        "<nav><a href='#networks'>Networks</a><a href='#centrality'>Centrality</a>"
        "<a href='#years'>The region through the years</a>"
        "<a href='#queries'>Query answers</a><a href='#validation'>Validation</a>"
        "<a href='#sources'>Sources</a></nav>"
    )

    add("<h2 id='networks'>Network pages</h2><ul class='links'>")
    for part in result.networks:
        add(
            f"<li><a href='{_e(part.stem)}.html'>{_e(part.title)}</a>: "
            f"{part.drawn_nodes} nodes and {part.drawn_edges} relations drawn "
            f"(projection: {part.nodes} nodes, {part.edges} relations)."
            + (f" <span class='note'>{_e(part.note)}</span>" if part.note else "")
            + "</li>"
        )
    if result.years is not None:
        add(
            f"<li><a href='timeline.html'>Timeline of events</a>: {len(result.years.events)} "
            "dated events of the five states, one lane per kind, each with its sources.</li>"
        )
    add("</ul>")

    add("<h2 id='centrality'>Centrality</h2>")
    for part in result.networks:
        add(f"<h3>{_e(part.title)}</h3>")
        chart = charts.get(part.stem)
        if chart is not None:
            data = base64.b64encode(chart.read_bytes()).decode("ascii")
            add(
                f"<p><a href='{_e(chart.name)}'><img class='chart' alt='centrality chart: "
                f"{_e(part.title)}' src='data:image/png;base64,{data}'></a></p>"
            )
        if not part.rows:
            add("<p class='note'>No nodes in this view.</p>")
            continue
        columns = [c for c in _RANK_COLUMNS if c in part.rows[0]]
        add(f"<p class='note'>Ranked by {_e(part.score)}.</p>")
        add(_table(columns, [[r.get(c) for c in columns] for r in part.rows], 15))
        add(f"<p class='more'><a href='centrality-{_e(part.stem)}.csv'>All rows (CSV)</a></p>")

    if result.years is not None:
        add(_years_html(result.years))

    add("<h2 id='queries'>Query answers</h2>")
    for a in result.answers:
        params = ", ".join(f"{k}={v}" for k, v in a.params.items())
        add(f"<h3>{_e(a.title)}</h3><p class='note'>Catalogue query <code>{_e(a.name)}</code>")
        add(f"{' with ' + _e(params) if params else ''}")
        if a.error:
            add(f"</p><p class='error'>Failed: {_e(a.error)}</p>")
            continue
        add(f"; {len(a.rows)} rows; <a href='{_e(a.csv_name)}'>CSV</a>.</p>")
        add(_table(a.columns, a.rows, MAX_TABLE_ROWS) if a.rows else "<p>No rows.</p>")

    add("<h2 id='validation'>Validation</h2>")
    add(f"<pre>{_e(result.validation)}</pre>")

    add("<h2 id='sources'>Sources</h2>")
    add(_table(sources[0], sources[1], 50))
    add("<h3>Named graphs</h3>")
    add(_table(["graph", "triples"], [[g, n] for g, n in result.graphs.items()], 100))
    add("</main></body></html>")
    return "\n".join(parts)


def _img(path: Path | None, alt: str) -> str:
    if path is None:
        return "<p class='note'>(chart not drawn: matplotlib is not installed)</p>"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f"<a href='{_e(path.name)}'><img class='chart' alt='{_e(alt)}' "
        f"src='data:image/png;base64,{data}'></a>"
    )


def _side_by_side(chart: str, table: str) -> str:
    return f"<div class='pair'><div class='chart-box'>{chart}</div><div>{table}</div></div>"


def _years_html(years: Any) -> str:
    """The section "The region through the years": each chart with its table beside it (the
    chart shortens long labels; the table gives them whole) and a link to its CSV."""
    out = ["<h2 id='years'>The region through the years</h2>"]
    rows = list(years.centrality)
    ys = list(years.centrality.meta.get("years") or [])
    out.append("<h3>Centrality per year</h3>")
    out.append(
        "<p class='note'>Strength over the four layers, each year on one common scale "
        "(<code>rkg centrality --by-year</code>); 0 means no dated relation that year.</p>"
    )
    nodes: dict[str, str] = {}
    scores: dict[tuple[str, int], float] = {}
    for r in rows:
        nodes.setdefault(str(r["node"]), f"{r.get('label')} ({r.get('iso') or ''})")
        scores[(str(r["node"]), int(r["year"]))] = float(r["score"])
    table = _table(
        ["state", *[str(y) for y in ys]],
        [[label, *[round(scores.get((n, y), 0.0), 3) for y in ys]] for n, label in nodes.items()],
        50,
    )
    out.append(_side_by_side(_img(years.charts.get("centrality"), "centrality per year"), table))
    out.append(f"<p class='more'><a href='{_e(years.csv['centrality'])}'>All rows (CSV)</a></p>")

    out.append("<h3>Trade per pair per year</h3>")
    out.append(
        "<p class='note'>Turnover reported between two states (USD million); error bars are the "
        "precision the figure was published at; a red × marks a contested figure (sources "
        "disagree: <code>rkg query conflicts</code>).</p>"
    )
    trade = _table(
        ["pair", "year", "USD million", "±", "as published", "contested"],
        [
            [p.pair, p.year, p.value, p.precision, p.published or "", "yes" if p.contested else ""]
            for p in years.trade
        ],
        60,
    )
    out.append(_side_by_side(_img(years.charts.get("trade"), "trade per pair per year"), trade))
    out.append(f"<p class='more'><a href='{_e(years.csv['trade'])}'>CSV</a></p>")

    out.append("<h3>Events per year, by kind</h3>")
    kinds = sorted({k for c in years.per_year.values() for k in c})
    events = _table(
        ["year", *kinds, "total"],
        [
            [y, *[c.get(k, 0) for k in kinds], sum(c.values())]
            for y, c in sorted(years.per_year.items())
        ],
        60,
    )
    out.append(_side_by_side(_img(years.charts.get("events"), "events per year"), events))
    out.append(
        f"<p class='more'><a href='timeline.html'>Timeline page</a> · "
        f"<a href='{_e(years.csv['events'])}'>CSV</a></p>"
    )

    out.append("<h3>Presidents' terms of office</h3>")
    terms = _table(
        ["president", "state", "from", "to", "named on"],
        [
            [
                t.name,
                t.iso,
                t.begin or "",
                t.end or ("(in office)" if t.begin else ""),
                ", ".join(t.attested),
            ]
            for t in years.terms
        ],
        60,
    )
    out.append(_side_by_side(_img(years.charts.get("terms"), "presidents' terms"), terms))
    out.append(f"<p class='more'><a href='{_e(years.csv['terms'])}'>CSV</a></p>")
    return "\n".join(out)


# --------------------------------------------------------------------------- entry point


def write_report(
    out_dir: str | Path,
    *,
    store: Store,
    validation: str = "not run",
    top: int = 150,
    progress: Any = None,
) -> ReportResult:
    """Write the report for ``store`` into ``out_dir`` (replaced atomically).

    ``progress``: a :class:`regional_kg.progress.Phases` told of each phase (``rkg report``
    passes one; the Python API stays quiet)."""

    def step(text: str) -> None:
        if progress is not None:
            progress.step(text)

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        step("running the key queries")
        answers = run_answers(store, tmp)
        step("drawing the network pages")
        networks = draw_networks(store, tmp, top)
        step("drawing the centrality charts")
        charts = {
            part.stem: tmp / f"centrality-{part.stem}.png"
            for part in networks
            if centrality_chart(part, tmp / f"centrality-{part.stem}.png")
        }

        step("the region through the years: series, charts, timeline")
        years = write_years(store, tmp)
        step("writing index.html")
        graphs = graph_sizes(store)
        result = ReportResult(
            out_dir=out_dir,
            index=out_dir / "index.html",
            files=[],
            answers=answers,
            networks=networks,
            triples=sum(graphs.values()),
            graphs=graphs,
            validation=validation,
            years=years,
        )
        index = _index_html(result, source_rows(store), charts)
        (tmp / "index.html").write_text(index, encoding="utf-8")
        result.files = sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file())
        for path in tmp.rglob("*"):  # mkdtemp/mkstemp make private files; a report is for reading
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        _swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.files = [out_dir / f for f in result.files]
    return result


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``tmp``: two renames, the old report kept until the new one is in."""
    os.chmod(tmp, 0o755)
    if out_dir.exists():
        if not out_dir.is_dir():
            raise UserError(f"{out_dir}: exists and is not a folder")
        old = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
        out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out_dir)


__all__ = ["KEY_QUERIES", "NETWORK_VIEWS", "ReportResult", "build_report", "write_report"]


def build_report(
    output: str | Path,
    *,
    store: str = "oxigraph",
    sources: Sequence[str | Path] = (),
    validate: bool = True,
    top: int = 150,
) -> ReportResult:
    """Build (or open) the graph in ``store`` with ``sources``, then write the report to ``output``.

    What ``rkg report`` does, with its options as typed parameters. A persistent store is only
    read (:func:`regional_kg.build.obtain_build`): with ``sources`` the report covers an
    in-memory copy of it plus the sources. ``top`` caps the nodes drawn per network page.
    """
    if top < 1:
        raise UserError(f"top must be at least 1, got {top}")
    progress = Phases("report", REPORT_PHASES)
    progress.step("building the graph")
    built = obtain_build(store, list(sources), validate=validate, read_only=True)
    try:
        return write_report(
            output,
            store=built.store,
            validation=validation_text(built),
            top=top,
            progress=progress,
        )
    finally:
        progress.finish()
        if getattr(built, "reused", False):
            built.store.close()


def validation_text(built: Any) -> str:
    """What SHACL validation said, from the loader's BuildResult (warnings listed)."""
    report = getattr(built, "report", None)
    if report is None and getattr(built, "reused", False):
        spec = built.store.spec
        return f"Validation not run: the report reads {spec} as `rkg build` loaded it."
    if report is None:
        return "Validation skipped (--no-validate)."
    text = getattr(report, "text", None)
    return "SHACL validation: " + str(text if text is not None else report)
