"""Output that fits the terminal: tables fitted (Rich) on a terminal, plain when piped; the
report's phases live on a terminal and as plain lines otherwise. Run under a real pseudo-terminal.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from regional_kg.formatting import text_table

RKG = str(Path(sys.executable).parent / "rkg")


def run_in_terminal(args: list[str], columns: int, cwd: Path) -> str:
    """``rkg args`` with stdout and stderr on a pseudo-terminal ``columns`` wide."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "40", "TERM": "xterm"}
    proc = subprocess.Popen(
        [RKG, *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, cwd=cwd, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(master)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_table_fits_a_narrow_terminal_and_stays_plain_when_piped(tmp_path):
    shown = run_in_terminal(["query", "--list"], 72, tmp_path)
    lines = [line for line in shown.splitlines() if line]
    assert max(len(line) for line in lines) <= 72
    # long titles wrap inside their column instead of being cut off or wrapping the window
    assert any(line.startswith("conflicts") for line in lines)
    assert "Conflicts between sources" in shown
    piped = subprocess.run(
        [RKG, "query", "--list"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
        env={**os.environ, "COLUMNS": "72"},
    ).stdout
    assert any(
        line.startswith("conflicts ") and "Conflicts between sources" in line
        for line in piped.splitlines()
    )
    assert max(len(line) for line in piped.splitlines()) > 72  # whole cells, as before
    assert "\x1b" not in piped


def test_rich_table_keeps_data_as_text():
    out = text_table(
        ["name", "n"], [["[bold]x[/bold] " + "long " * 20, "1"]], [False, True], width=40
    )
    assert "[bold]x[/bold]" in out  # markup in data is not interpreted
    assert max(len(line) for line in out.splitlines()) <= 40


def test_report_phases_live_on_a_terminal_plain_when_piped(tmp_path):
    shown = run_in_terminal(["report", "-o", str(tmp_path / "a"), "--top", "20"], 100, tmp_path)
    assert "\r\x1b[2Kreport: [1/6] building the graph" in shown
    assert "report: [6/6] writing index.html" in shown
    assert "\nreport: [2/6]" not in shown  # rewritten in place, not one line each
    piped = subprocess.run(
        [RKG, "report", "-o", str(tmp_path / "b"), "--top", "20"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert piped.stderr.splitlines()[:2] == [
        "report: [1/6] building the graph",
        "report: [2/6] running the key queries",
    ]
    assert "\r" not in piped.stderr and "\x1b" not in piped.stderr
