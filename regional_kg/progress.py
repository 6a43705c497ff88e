"""Progress of long phases (``rkg report``, ``rkg demo``): live on a terminal, plain lines else.

On a terminal one status line is rewritten in place (``[3/7] drawing the network pages…``) and
cleared at the end, so the user sees the work move without a scroll of messages; piped or
captured (CI logs, ``2> log.txt``) each phase is one plain line, without carriage returns or
escape codes, which log files and ``grep`` read as they are.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


class Phases:
    """Announce the phases of a long job on ``stream`` (default: stderr)."""

    def __init__(self, job: str, total: int, stream: TextIO | None = None) -> None:
        self.job = job
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.started = time.monotonic()
        try:
            self.live = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.live = False

    def step(self, text: str) -> None:
        """The next phase starts: say what it does."""
        self.done += 1
        line = f"{self.job}: [{self.done}/{self.total}] {text}"
        if self.live:
            width = shutil.get_terminal_size(fallback=(80, 24)).columns - 1
            if len(line) > width:
                line = line[: max(width - 1, 0)] + "…"
            self.stream.write("\r\x1b[2K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        """Clear the live line (plain output needs no closing line)."""
        if self.live:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
