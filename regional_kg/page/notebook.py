"""Show a network inline in Jupyter: the page goes into an iframe's ``srcdoc``, escaped.

An iframe keeps the page's scripts and styles apart from the notebook's; ``sandbox`` without
``allow-same-origin`` keeps the page from touching the notebook even if something slipped through.
"""

from __future__ import annotations

import html as html_lib
from pathlib import Path
from typing import Any

import networkx as nx

from regional_kg.page.render import Rendered, build_page, write_page


class NetworkView:
    """A rendered network that Jupyter displays inline (``_repr_html_``) and that can be saved."""

    def __init__(self, rendered: Rendered, height: int = 640) -> None:
        self.rendered = rendered
        self.height = height

    @property
    def html(self) -> str:
        return self.rendered.html

    def _repr_html_(self) -> str:
        doc = html_lib.escape(self.rendered.html, quote=True)
        return (
            f'<iframe srcdoc="{doc}" sandbox="allow-scripts allow-forms" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
            'title="relation network"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the page as a standalone UTF-8 HTML file."""
        return write_page(self.rendered.html, path)

    def __repr__(self) -> str:
        r = self.rendered
        return f"<NetworkView {len(r.nodes)} nodes, {len(r.edges)} edges>"


def show(graph: nx.MultiGraph, *, height: int = 640, **kwargs: Any) -> NetworkView:
    """Render ``graph`` for a notebook: the returned object displays itself inline."""
    return NetworkView(build_page(graph, height=f"{int(height) - 110}px", **kwargs), height=height)
