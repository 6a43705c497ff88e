"""Optional parts are extras: without one, the commands that need it say which extra installs
it (one line, exit 2, no traceback), and everything else works. Each test runs ``rkg`` in a
fresh interpreter where the optional module cannot be imported (``sys.modules[name] = None``,
as if it were not installed)."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from regional_kg.extras import EXTRAS, MissingExtra, missing_extra, require
from tests.support.paths import FIXTURES, REPO

_WITHOUT = """
import sys
for name in sys.argv[1].split(","):
    sys.modules[name] = None
from regional_kg.cli import main
sys.exit(main(sys.argv[2:]))
"""

SHEET = FIXTURES / "sheets" / "akorda-2021-12-06-mirziyoyev-state-visit.yaml"


def rkg_without(modules: str, *args: str, cwd=REPO) -> subprocess.CompletedProcess[str]:
    """``rkg ARGS`` in an interpreter where ``modules`` (comma-separated) are missing."""
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT, modules, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


PYSHACL = (
    "error: validating with pySHACL (--validator pyshacl, --store memory) needs pyshacl: "
    "pip install 'regional-kg[shacl]'\n"
)


@pytest.mark.parametrize(
    "args", [["build", "--store", "memory"], ["build", "--validator", "pyshacl"]]
)
def test_pyshacl_validation_without_the_shacl_extra_names_it(args):
    done = rkg_without("pyshacl", *args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "rkg build: " + PYSHACL


def test_the_default_build_and_a_query_need_no_pyshacl():
    done = rkg_without("pyshacl", "build")
    assert done.returncode == 0, done.stderr
    assert "validation: conforms" in done.stdout
    done = rkg_without("pyshacl", "query", "partners", "--param", "state=KZ", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("partner")


def test_a_wide_table_without_the_pretty_extra_prints_whole(tmp_path):
    script = (
        "import sys; sys.modules['rich'] = None\n"
        "from regional_kg.formatting import text_table\n"
        "print(text_table(['label', 'n'], [['x' * 80, '1']], [False, True], width=40), end='')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2] == "x" * 80 + "  1"


def test_a_memory_build_without_validation_needs_no_pyshacl():
    done = rkg_without("pyshacl", "build", "--store", "memory", "--no-validate")
    assert done.returncode == 0, done.stderr
    assert "validation: skipped" in done.stdout


SHEETS = "needs jsonschema: pip install 'regional-kg[sheets]'\n"


def test_sheets_without_the_sheets_extra_name_it():
    done = rkg_without("jsonschema", "sheet", "check", str(SHEET))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "rkg sheet: error: reading a source sheet " + SHEETS
    done = rkg_without("jsonschema", "build", "--source", str(SHEET))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.endswith("rkg build: error: reading a source sheet " + SHEETS)


def test_draft_without_the_sheets_extra_names_it(tmp_path):
    text = tmp_path / "release.txt"
    text.write_text("Astana, 6 December 2021\nThe Kazakh and Uzbek presidents met.\n")
    done = rkg_without("countrynames", "draft", str(text))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "rkg draft: error: drafting a source sheet needs countrynames: "
        "pip install 'regional-kg[sheets]'\n"
    )


def test_require_names_the_extra_and_passes_other_failures_on(monkeypatch):
    assert require("jsonschema", "x").__name__ == "jsonschema"
    monkeypatch.setitem(sys.modules, "pyshacl", None)
    with pytest.raises(MissingExtra) as missing:
        require("pyshacl", "checking shapes")
    assert str(missing.value) == "checking shapes needs pyshacl: pip install 'regional-kg[shacl]'"
    assert missing.value.exit_code == 2
    # a module that is not optional is a bug to show, not an extra to name
    assert missing_extra(ModuleNotFoundError("No module named 'yaml'", name="yaml")) is None
    found = missing_extra(ModuleNotFoundError(name="matplotlib.pyplot"))
    assert str(found) == "this command needs matplotlib: pip install 'regional-kg[chart]'"


def test_every_optional_module_is_an_extra_and_in_the_test_extra():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]

    def names(requirements: list[str]) -> set[str]:
        return {r.split(">")[0].split("=")[0].split("<")[0].strip().lower() for r in requirements}

    core = names(project["dependencies"])
    for module, extra in EXTRAS.items():
        assert module in names(extras[extra]), (module, extra)
        assert module not in core, module  # a plain install leaves it out
        assert module in names(extras["test"]), module  # make test installs it
    # the design card's packages stay core
    assert {"rdflib", "networkx", "pyvis", "sparqlwrapper"} <= core
