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

from regional_kg.errors import UserError
from regional_kg.stores.base import SelectResult, Store, term_to_python

#: The catalogue queries the report runs: (name, parameters, why a reader wants it).
KEY_QUERIES: tuple[tuple[str, dict[str, object], str], ...] = (
    ("agreements", {}, "Agreements and their parties"),
    ("visits", {}, "Visits between states"),
    ("meetings", {}, "Meetings and who took part"),
    ("leaders", {}, "Leaders and their offices"),
    ("trade-turnover", {}, "Trade turnover as reported"),
    ("trade-targets", {}, "Trade targets the states set"),
    ("partners", {"state": "KZ"}, "Kazakhstan's partners"),
    ("timeline", {}, "Timeline of events"),
)

#: The network views the report draws: (file stem, title, layers, year).
NETWORK_VIEWS: tuple[tuple[str, str, tuple[str, ...] | None, int | None], ...] = (
    ("network", "Partners network, all layers", None, None),
    ("network-trade-2017", "Partners network, trade in 2017", ("trade",), 2017),
)

MAX_TABLE_ROWS = 200


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

    def summary(self) -> str:
        lines = [f"Report written to {self.index}"]
        lines.append(f"  graph: {self.triples} triples in {len(self.graphs)} named graphs")
        lines.append(f"  validation: {self.validation}")
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
            measure = _main_measure(part)
            top = ", ".join(
                f"{r.get('label', r.get('node'))} ({_fmt(r.get(measure))})" for r in part.rows[:5]
            )
            lines.append(f"  top partners by {measure}: {top}")
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


def _row_dict(row: Any) -> dict[str, object]:
    if isinstance(row, Mapping):
        return dict(row)
    if dataclasses.is_dataclass(row):
        return dataclasses.asdict(row)
    if hasattr(row, "_asdict"):
        return dict(row._asdict())
    return dict(vars(row))


def _main_measure(part: NetworkPart) -> str:
    for name in ("weighted_degree", "degree", "strength", "betweenness", "eigenvector"):
        if name in part.measures:
            return name
    return part.measures[0] if part.measures else "degree"


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def _table(columns: Sequence[str], rows: Sequence[Sequence[object]], limit: int) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in rows[:limit]
    )
    more = (
        f'<p class="more">{len(rows) - limit} more rows in the CSV file.</p>'
        if len(rows) > limit
        else ""
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def _result_rows(result: SelectResult) -> tuple[list[str], list[list[object]]]:
    columns = list(result.variables)
    rows = [[term_to_python(r.get(c)) for c in columns] for r in result.rows]
    return columns, rows


# --------------------------------------------------------------------------- parts


def run_answers(store: Store, out: Path) -> list[QueryAnswer]:
    """Run the key queries; a query that fails is reported as such rather than sinking the run."""
    from regional_kg.catalogue import get_query, run_query

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
    """Project, measure and draw each network view; write its page and centrality CSV."""
    from regional_kg.page.from_store import network_page

    parts = []
    for stem, title, layers, year in NETWORK_VIEWS:
        part = NetworkPart(stem=stem, title=title, layers=layers, year=year)
        drawn = network_page(store, layers=layers, view="partners", year=year, top=top, title=title)
        (out / f"{stem}.html").write_text(drawn.rendered.html, encoding="utf-8")
        part.nodes, part.edges = drawn.rendered.total_nodes, drawn.rendered.total_edges
        part.drawn_nodes, part.drawn_edges = len(drawn.rendered.nodes), len(drawn.rendered.edges)
        part.rows = [_row_dict(r) for r in drawn.rows]
        part.measures = list(drawn.measures)
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
    """A horizontal bar chart of the top ``n`` nodes (False when matplotlib is missing)."""
    if not part.rows:
        return False
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    measure = _main_measure(part)
    rows = sorted(part.rows, key=lambda r: -float(r.get(measure) or 0.0))[:n]
    labels = [str(r.get("label") or r.get("node")) for r in rows][::-1]
    values = [float(r.get(measure) or 0.0) for r in rows][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.42 * len(rows) + 1.2), dpi=110)
    ax.barh(labels, values, color="#0072B2")
    ax.set_xlabel(measure.replace("_", " "))
    ax.set_title(f"{part.title}: top {len(rows)} by {measure.replace('_', ' ')}")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return True


def graph_sizes(store: Store) -> dict[str, int]:
    result = store.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    return {str(r["g"]): int(r["n"]) for r in result.rows}


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
"""


def _index_html(
    result: ReportResult,
    sources: tuple[list[str], list[list[object]]],
    chart: str | None,
    chart_png: bytes | None,
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
    add("</ul>")

    add("<h2 id='centrality'>Centrality</h2>")
    if chart and chart_png:
        data = base64.b64encode(chart_png).decode("ascii")
        add(
            f"<p><a href='{_e(chart)}'><img class='chart' alt='centrality chart' "
            f"src='data:image/png;base64,{data}'></a></p>"
        )
    for part in result.networks:
        add(f"<h3>{_e(part.title)}</h3>")
        if not part.rows:
            add("<p class='note'>No nodes in this view.</p>")
            continue
        columns = list(part.rows[0])
        add(_table(columns, [[r.get(c) for c in columns] for r in part.rows], 15))
        add(f"<p class='more'><a href='centrality-{_e(part.stem)}.csv'>All rows (CSV)</a></p>")

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

    add(f"<h2 id='validation'>Validation</h2><p>{_e(result.validation)}</p>")

    add("<h2 id='sources'>Sources</h2>")
    add(_table(sources[0], sources[1], 50))
    add("<h3>Named graphs</h3>")
    add(_table(["graph", "triples"], [[g, n] for g, n in result.graphs.items()], 100))
    add("</main></body></html>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- entry point


def write_report(
    out_dir: str | Path,
    *,
    store: Store,
    validation: str = "not run",
    top: int = 150,
) -> ReportResult:
    """Write the report for ``store`` into ``out_dir`` (replaced atomically)."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        answers = run_answers(store, tmp)
        networks = draw_networks(store, tmp, top)
        chart = "centrality.png"
        has_chart = bool(networks) and centrality_chart(networks[0], tmp / chart)
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
        )
        png = (tmp / chart).read_bytes() if has_chart else None
        index = _index_html(result, source_rows(store), chart if has_chart else None, png)
        (tmp / "index.html").write_text(index, encoding="utf-8")
        result.files = sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file())
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


def chart_bytes(part: NetworkPart) -> bytes | None:
    """The centrality chart as PNG bytes (for notebooks)."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "chart.png"
        return path.read_bytes() if centrality_chart(part, path) else None


__all__ = ["KEY_QUERIES", "NETWORK_VIEWS", "ReportResult", "report_from_args", "write_report"]


def report_from_args(args: Any) -> ReportResult:
    """Build the graph as ``rkg report``'s options say, then write the report."""
    from regional_kg.loader import build

    if args.top is not None and args.top < 1:
        raise UserError(f"--top must be at least 1, got {args.top}")
    built = build(sources=args.source, store=args.store, validate=not args.no_validate)
    return write_report(
        args.output, store=built.store, validation=validation_text(built), top=args.top
    )


def validation_text(built: Any) -> str:
    """One line on SHACL validation, from whatever the loader's BuildResult reports."""
    report = getattr(built, "report", None)
    if report is None:
        return "not run"
    conforms = getattr(report, "conforms", None)
    if conforms is None and isinstance(report, Mapping):
        conforms = report.get("conforms")
    if conforms is True:
        return "The data conforms to the SHACL shapes (no violations)."
    if conforms is False:
        return f"SHACL violations: {getattr(report, 'text', report)}"
    return str(report)
