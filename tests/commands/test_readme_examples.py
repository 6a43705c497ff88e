"""The README cannot drift: every ```console block marked ``<!-- checked -->`` is run.

A checked block is a ```console fence whose previous non-blank line is ``<!-- checked -->``.
Each ``$ command`` in it runs in a fresh folder (with the seed graph, like every test: see
``conftest.py``); the lines after it, up to the next ``$``, are the output it must print (stdout
then stderr), compared line by line with trailing spaces and the figures of timings (``1.28 s``)
left out. A command shown without output must succeed; ``> FILE`` sends stdout to a file.
Blocks not marked are left alone: they show commands that need a server, the network or a long
run.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.paths import REPO

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
MARK = "<!-- checked -->"
_TIMING = re.compile(r"\d+(?:\.\d+)?\s?(?:s|ms)\b")
#: what depends on the machine's state, not on the command: the validation cache's note
_CACHE_NOTE = re.compile(r" \(same inputs as an earlier clean validation\)")


@dataclass
class Example:
    document: Path
    line: int
    command: str
    expected: list[str]

    @property
    def id(self) -> str:
        return f"{self.document.name}:{self.line}"


def checked_examples(path: Path) -> list[Example]:
    """The commands of the checked console blocks of ``path``, with their expected output."""
    lines = path.read_text(encoding="utf-8").splitlines()
    examples: list[Example] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            previous = next((x.strip() for x in reversed(lines[:i]) if x.strip()), "")
            j = i + 1
            block: list[tuple[int, str]] = []
            while j < len(lines) and lines[j].strip() != "```":
                block.append((j + 1, lines[j]))
                j += 1
            if previous == MARK:
                current: Example | None = None
                for number, text in block:
                    if text.startswith("$ "):
                        current = Example(path, number, text[2:], [])
                        examples.append(current)
                    elif current is not None:
                        current.expected.append(text)
            i = j
        i += 1
    for example in examples:  # a blank line between two commands is layout, not output
        while example.expected and not example.expected[-1].strip():
            example.expected.pop()
    return examples


EXAMPLES = [e for doc in DOCUMENTS for e in checked_examples(doc)]


def normalise(text: str) -> list[str]:
    return [
        _CACHE_NOTE.sub("", _TIMING.sub("<time>", line.rstrip()))
        for line in text.rstrip("\n").splitlines()
    ]


def test_the_readme_has_checked_examples():
    """The marker is in use (a renamed marker would silently check nothing)."""
    assert len([e for e in EXAMPLES if e.document.name == "README.md"]) >= 4


def test_marker_parsing(tmp_path: Path):
    doc = tmp_path / "x.md"
    doc.write_text(
        "text\n\n<!-- checked -->\n```console\n$ rkg a\nout 1\n\n$ rkg b   # note\n```\n"
        "```console\n$ rkg not-checked\n```\n",
        encoding="utf-8",
    )
    found = checked_examples(doc)
    assert [(e.command, e.expected) for e in found] == [
        ("rkg a", ["out 1"]),
        ("rkg b   # note", []),
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_checked_example(example: Example, tmp_path: Path):
    words = shlex.split(example.command, comments=True)
    assert words and words[0] == "rkg", f"{example.id}: only rkg commands are checked"
    target = None
    if ">" in words:  # `rkg … > file`: stdout goes to the file, as the shell would do
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["COLUMNS"] = "200"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "rkg"), *words[1:]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, f"{example.id}: {example.command}\n{done.stderr}"
    shown = done.stdout + done.stderr
    if target is not None:
        (tmp_path / target).write_text(done.stdout, encoding="utf-8")
        assert done.stdout, f"{example.id}: nothing written to {target}"
        shown = done.stderr
    if example.expected:
        got = normalise(shown)
        assert got == normalise("\n".join(example.expected)), (
            f"{example.id}: `{example.command}` prints something else than the document shows"
        )
