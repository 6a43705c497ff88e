"""A bar chart of ranked rows (matplotlib, Agg backend, imported only when asked for)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from regional_kg.errors import UserError


class ChartUnavailable(UserError):
    """matplotlib is not installed (it is the ``chart`` extra)."""


def write_chart(rows, path: str | os.PathLike, title: str | None = None) -> Path:
    """Horizontal bars of ``score`` per row; with several layers, stacked per layer.

    The stacked parts are each layer's weighted share ``w_l · score_l / Σ w`` of the aggregate,
    so the bar shows which layer makes a node central.
    """
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        raise ChartUnavailable(
            "--chart needs matplotlib: pip install 'regional-kg[chart]'"
        ) from None
    meta = getattr(rows, "meta", {}) or {}
    score = str(meta.get("score", "score"))
    layers = [la for la in meta.get("layers", []) if la != "all"]
    weights = meta.get("layer_weights", {})
    stacked = (
        len(layers) > 1
        and "all" not in meta.get("layers", [])
        and (rows and all(f"{score}:{la}" in rows[0] for la in layers))
    )
    labels = [str(r.get("iso") or r.get("label")) for r in rows][::-1]
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.4 * len(rows) + 1.2)))
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
            ax.legend(loc="lower right", fontsize="small")
        else:
            ax.barh(labels, [float(r.get("score", 0.0)) for r in rows][::-1], color="#3b6ea5")
        ax.set_xlabel(score)
        ax.set_title(title or f"{score} — {meta.get('view', '')}, {meta.get('period', '')}")
        fig.tight_layout()
        target = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".png", dir=target.parent)
        os.close(fd)
        _umask = os.umask(0)
        os.umask(_umask)
        os.chmod(tmp, 0o666 & ~_umask)  # mkstemp makes 0600; a written file should not be
        try:
            fig.savefig(tmp, format="png", dpi=100)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    finally:
        plt.close(fig)
    return target
