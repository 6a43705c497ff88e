"""The built wheel works on its own: installed into a fresh venv, run outside the checkout.

This proves the ontology, curated graph and query catalogue ship inside the wheel
(``regional_kg/_data``) and that nothing reads files from the source tree. The sources are copied
to a temporary folder first, so building leaves no ``build/`` behind in the checkout. The new venv
borrows the test environment's dependencies through a ``.pth`` line (no download), but the
``regional_kg`` it imports is the installed wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.support.paths import REPO

ROOT = REPO  # the checkout
SHIPPED = ("regional_kg", "ontology", "graph", "queries")
TOP_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the freshly built wheel installed; returns the venv's bin folder."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_data", "*.egg-info")
    for name in SHIPPED:
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in TOP_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    dist = base / "dist"
    run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)], src)
    wheels = list(dist.glob("regional_kg-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "regional_kg/_data/ontology/regional-kg.ttl" in names
    assert "regional_kg/_data/graph/koishybayev-2018.trig" in names
    assert any(n.startswith("regional_kg/_data/queries/") and n.endswith(".rq") for n in names)

    venv = base / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base)
    bin_dir = venv / "bin"
    py = bin_dir / "python"
    site = Path(
        run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base
        ).stdout.strip()
    )
    (site / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheels[0]),
        ],
        base,
    )
    return bin_dir


def clean_env(bin_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_installed_package_is_the_wheel(installed: Path, tmp_path: Path) -> None:
    code = "import regional_kg.resources as r; print(r.__file__); print(r.ontology_dir())"
    out = run([str(installed / "python"), "-c", code], tmp_path, clean_env(installed)).stdout
    module_file, ontology = out.splitlines()
    venv = str(installed.parent)
    assert module_file.startswith(venv) and str(ROOT) not in module_file
    assert ontology.startswith(venv) and ontology.endswith("_data/ontology")


def test_rkg_info_runs_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    out = run([str(installed / "rkg"), "info"], tmp_path, clean_env(installed)).stdout
    assert "rkgg:koishybayev-2018" in out and "rkgg:inferred" in out
    assert "rkg:State" in out and "rkg:Visit" in out


def test_rkg_build_into_a_folder_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    env = clean_env(installed)
    out = run([str(installed / "rkg"), "build", "--store", "oxigraph:kg"], tmp_path, env).stdout
    assert "validation: conforms" in out and "rkgg:reference" in out
    assert (tmp_path / "kg" / "CURRENT").is_file()
