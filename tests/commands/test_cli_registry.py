"""The command table: ``rkg --help`` lists every command from it without importing them, only
the command that runs is imported, and every help text is what it was before the table."""

from __future__ import annotations

import argparse
import pkgutil
import subprocess
import sys
from importlib import import_module

import pytest

import regional_kg.commands
from regional_kg.cli import build_parser, main
from regional_kg.commands import COMMANDS, module_name
from tests.support.paths import FIXTURES, REPO

HELP = FIXTURES / "help-py3.11"


def _argv(fixture: str) -> list[str]:
    """``rkg.txt`` -> ``--help``, ``query.txt`` -> ``query --help``, ``sheet-check.txt`` ->
    ``sheet check --help`` (``timeline-page`` is a command of its own)."""
    if fixture == "rkg":
        return ["--help"]
    words = [fixture] if fixture in COMMANDS else fixture.split("-", 1)
    return [*words, "--help"]


def _help(capsys, monkeypatch, argv: list[str]) -> str:
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    return capsys.readouterr().out


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="captured with Python 3.11's argparse")
@pytest.mark.parametrize("fixture", sorted(p.stem for p in HELP.glob("*.txt")))
def test_help_is_what_it_was_before_the_table(capsys, monkeypatch, fixture):
    expected = (HELP / f"{fixture}.txt").read_text(encoding="utf-8")
    assert _help(capsys, monkeypatch, _argv(fixture)) == expected


def test_every_command_and_sub_action_has_a_captured_help():
    captured = {p.stem for p in HELP.glob("*.txt")}
    assert {"rkg", *COMMANDS, "sheet-check", "sheet-to-rdf", "sheet-from-rdf"} == captured


def _listing(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
    """The (command, one-line help) pairs ``parser``'s ``--help`` lists, in order."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [(choice.dest, choice.help) for choice in action._choices_actions]


def test_the_listing_from_the_table_is_what_each_module_registers(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    listed = build_parser([])
    table = [(name, command.help) for name, command in COMMANDS.items()]
    assert _listing(listed) == table
    for name in COMMANDS:  # the chosen command's module registered for real, the others listed
        chosen = build_parser([name])
        assert _listing(chosen) == table, name
        assert chosen.format_help() == listed.format_help(), name
        assert callable(chosen.parse_args([name, *_required(name)]).func), name


def _required(command: str) -> list[str]:
    """Arguments that let ``rkg COMMAND`` parse (its required ones)."""
    return {
        "viz": ["-o", "x.html"],
        "timeline-page": ["-o", "x.html"],
        "synth": ["-o", "x.nq"],
        "draft": ["doc.txt"],
    }.get(command, [])


def test_every_command_module_is_in_the_table():
    modules = {
        info.name
        for info in pkgutil.iter_modules(regional_kg.commands.__path__)
        if hasattr(import_module(f"regional_kg.commands.{info.name}"), "register")
    }
    assert modules == {command.module for command in COMMANDS.values()}
    for name in COMMANDS:
        assert hasattr(import_module(module_name(name)), "register")


_MODULES_AFTER = """
import sys
from regional_kg.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("\\n".join(sorted(sys.modules)))
"""


def _modules_loaded_by(*argv: str) -> set[str]:
    """The modules a fresh interpreter has imported after ``rkg ARGV`` (stdout piped)."""
    out = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    ).stdout
    return set(out.split())


def test_help_imports_no_command_module():
    loaded = _modules_loaded_by("--help")
    assert {m for m in loaded if m.startswith("regional_kg.commands.")} == set()
    assert "rdflib" not in loaded and "networkx" not in loaded


def test_query_imports_only_what_it_needs():
    loaded = _modules_loaded_by("query", "--list")
    commands = {m for m in loaded if m.startswith("regional_kg.commands.")}
    assert commands == {
        "regional_kg.commands.common",
        "regional_kg.commands.query",
        "regional_kg.commands.store_options",
    }
    for heavy in ("networkx", "pyvis", "pyshacl", "jsonschema", "rich", "regional_kg.server"):
        assert heavy not in loaded, heavy


def test_draft_imports_the_sheet_module_alone():
    loaded = _modules_loaded_by("draft", "--help")
    commands = {m for m in loaded if m.startswith("regional_kg.commands.")}
    assert commands == {"regional_kg.commands.common", "regional_kg.commands.sheet"}
