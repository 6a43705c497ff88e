"""Pages: render time of the network page, and in headless Chromium the time until the network
settles (vis-network's ``stabilizationIterationsDone``, which sets ``window.rkg.stabilized``)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.common import emit

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def page_task(params: dict) -> None:
    import regional_kg as rkg
    from regional_kg.network import project
    from regional_kg.page.render import build_page

    store = rkg.build([params["file"]], store="oxigraph", validate=False).store
    graph = project(store, None, "actors")
    pages = []
    folder = Path(tempfile.mkdtemp(prefix="rkg-bench-page-"))
    for size in params.get("nodes", [500, 2000]):
        start = time.perf_counter()
        rendered = build_page(graph, top=size, title=f"{size} nodes")
        seconds = time.perf_counter() - start
        path = folder / f"page-{size}.html"
        path.write_text(rendered.html, encoding="utf-8")
        drawn = min(size, graph.number_of_nodes())
        emit(kind="page", nodes=drawn, phase="render", seconds=seconds, bytes=len(rendered.html))
        pages.append((drawn, path))
    if not Path(CHROMIUM).exists():
        emit(kind="page", phase="settle", error=f"no Chromium at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for drawn, path in pages:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                start = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_function(
                    "window.rkg && window.rkg.stabilized === true", polling=20, timeout=300_000
                )
                seconds = time.perf_counter() - start
                emit(kind="page", nodes=drawn, phase="settle", seconds=seconds)
                page.close()
        finally:
            browser.close()
