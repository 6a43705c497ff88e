"""A bar chart of ranked rows (matplotlib, Agg backend, imported only when asked for)."""

from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

from regional_kg.errors import UserError
from regional_kg.network.timeseries import series


class ChartUnavailable(UserError):
    """matplotlib is not installed (it is the ``chart`` extra)."""


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        raise ChartUnavailable(
            "--chart needs matplotlib: pip install 'regional-kg[chart]'"
        ) from None
    return plt


def short_label(text: str, limit: int = 28) -> str:
    """A label that fits a chart axis: whole when short, else cut at a word with an ellipsis.

    Long meeting names ("Consultative meeting of the heads of state of Central Asia, Astana")
    squeezed the bars to slivers; the chart shows the short form and the table beside it the
    full label.
    """
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[len(cut)] != " " and " " in cut[limit // 2 :]:  # do not end inside a word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–") + "…"


def wrap_title(text: str, width: int = 60) -> str:
    """A title wrapped onto lines of at most ``width`` characters, so it is never cut off."""
    return "\n".join(textwrap.wrap(text, width=width)) or text


def save_figure(fig, path: str | os.PathLike) -> Path:
    """Write ``fig`` as a PNG atomically, readable by others (mkstemp alone makes 0600)."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".png", dir=target.parent)
    os.close(fd)
    _umask = os.umask(0)
    os.umask(_umask)
    os.chmod(tmp, 0o666 & ~_umask)
    try:
        fig.savefig(tmp, format="png", dpi=100, bbox_inches="tight")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def finish_line_chart(fig, ax, title: str, path: str | os.PathLike, legend: bool) -> Path:
    """Grid, wrapped title, the legend beside the plot (when there are lines), saved as PNG.

    The finish shared by the line charts (years per node here, turnover per pair in
    :mod:`regional_kg.years`), so they look alike and long legends never cover the lines.
    """
    ax.grid(True, alpha=0.3)
    ax.set_title(wrap_title(title), fontsize="medium")
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    fig.tight_layout()
    return save_figure(fig, path)


def _axis_label(row) -> str:
    return short_label(str(row.get("iso") or row.get("label") or row.get("node")))


def write_chart(rows, path: str | os.PathLike, title: str | None = None) -> Path:
    """Horizontal bars of ``score`` per row; with several layers, stacked per layer.

    The stacked parts are each layer's weighted share ``w_l · score_l / Σ w`` of the aggregate,
    so the bar shows which layer makes a node central. Labels are shortened
    (:func:`short_label`), the title wrapped, and the legend sits below the plot, so long
    names neither squeeze the bars nor hide behind the legend.
    """
    plt = _pyplot()
    meta = getattr(rows, "meta", {}) or {}
    score = str(meta.get("score", "score"))
    layers = [la for la in meta.get("layers", []) if la != "all"]
    weights = meta.get("layer_weights", {})
    stacked = (
        len(layers) > 1
        and "all" not in meta.get("layers", [])
        and (rows and all(f"{score}:{la}" in rows[0] for la in layers))
    )
    labels = _unique([_axis_label(r) for r in rows])[::-1]
    height = max(2.8, 0.4 * len(rows) + 1.6)
    fig, ax = plt.subplots(figsize=(8, height))
    legend_band = 0.0
    try:
        if stacked:
            total = sum(weights.get(la, 1.0) for la in layers) or 1.0
            left = [0.0] * len(rows)
            for layer in layers:
                part = [
                    weights.get(layer, 1.0) * float(r.get(f"{score}:{layer}", 0.0)) / total
                    for r in rows
                ][::-1]
                ax.barh(labels, part, left=left, label=layer)
                left = [a + b for a, b in zip(left, part, strict=True)]
            # below the axis label, in a band of its own (0.35 inch), so it covers nothing
            legend_band = 0.35 / height
            fig.legend(
                *ax.get_legend_handles_labels(),
                loc="lower center",
                ncol=min(len(layers), 4),
                fontsize="small",
                frameon=False,
            )
        else:
            ax.barh(labels, [float(r.get("score", 0.0)) for r in rows][::-1], color="#3b6ea5")
        ax.set_xlabel(score)
        ax.set_title(
            wrap_title(title or f"{score} — {meta.get('view', '')}, {meta.get('period', '')}"),
            fontsize="medium",
        )
        fig.tight_layout(rect=(0, legend_band, 1, 1))
        return save_figure(fig, path)
    finally:
        plt.close(fig)


def _unique(labels: list[str]) -> list[str]:
    """Shortened labels made distinct again (two long names may share a prefix)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def write_year_chart(
    rows, path: str | os.PathLike, title: str | None = None, measure: str | None = None
) -> Path:
    """One line per node of ``measure`` (default: the first) over the years of
    :func:`regional_kg.network.timeseries.centrality_by_year` rows; the legend beside the plot,
    labels shortened. At most 12 lines (the highest totals): more would be unreadable."""
    plt = _pyplot()
    meta = getattr(rows, "meta", {}) or {}
    measure = measure or str(meta.get("score", "score"))
    lines = series(rows, measure)
    ranked = sorted(lines.items(), key=lambda kv: -sum(kv[1]["years"].values()))[:12]
    years = list(meta.get("years") or sorted({y for _, s in ranked for y in s["years"]}))
    fig, ax = plt.subplots(figsize=(9, 4.8))
    try:
        markers = "osD^v<>ph*Xd"
        for i, (_node, entry) in enumerate(ranked):
            label = short_label(str(entry.get("iso") or entry.get("label")), 24)
            ax.plot(
                years,
                [entry["years"].get(y, 0.0) for y in years],
                marker=markers[i % len(markers)],
                label=label,
            )
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years], rotation=45 if len(years) > 10 else 0)
        ax.set_xlabel("year" + (" (cumulative)" if meta.get("cumulative") else ""))
        ax.set_ylabel(measure)
        layers = ", ".join(meta.get("layers", []))
        heading = title or f"{measure} per year — {meta.get('view', '')}; layers: {layers}"
        return finish_line_chart(fig, ax, heading, path, legend=bool(ranked))
    finally:
        plt.close(fig)
