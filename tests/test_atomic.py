"""regional_kg.atomic: a file is replaced whole or not at all, with an ordinary file's mode."""

from __future__ import annotations

import os
import stat

import pytest

from regional_kg.atomic import replacing, write_atomically
from regional_kg.errors import UserError


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_the_new_file_takes_the_umask_mode_not_mkstemps_0600(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "page.html", b"<p>hi</p>")
    finally:
        os.umask(old)
    written = tmp_path / "page.html"
    assert written.read_bytes() == b"<p>hi</p>"
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_a_missing_folder_is_a_user_error_naming_it(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        write_atomically(tmp_path / "nope" / "x.ttl", b"")
