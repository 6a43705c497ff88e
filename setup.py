"""Ship the top-level ontology/, graph/ and queries/ folders inside the wheel.

They live at the top of the repository (where users and reviewers look for them), but an installed
wheel must carry them too: this build step copies them into ``regional_kg/_data/``.
``regional_kg.resources`` looks there first and falls back to the checkout for editable installs.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_DIRS = ("ontology", "graph", "queries")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).parent
        target = Path(self.build_lib) / "regional_kg" / "_data"
        for name in DATA_DIRS:
            dest = target / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(root / name, dest, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildPyWithData})
