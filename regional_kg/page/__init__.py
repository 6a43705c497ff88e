"""The relation network as a web page: offline, safe, every relation kept (pyvis underneath)."""

from regional_kg.page.notebook import NetworkView, show
from regional_kg.page.render import FactInfo, Rendered, build_page, render_network, write_page

__all__ = [
    "FactInfo",
    "NetworkView",
    "Rendered",
    "build_page",
    "render_network",
    "show",
    "write_page",
]
