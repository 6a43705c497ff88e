"""The cache of built stores (:mod:`regional_kg.store_cache`): a reading command on the default
store answers from the store an earlier command built for the same inputs -- the same rows --
and builds afresh when an input changed or the entry is broken."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from regional_kg import store_cache
from regional_kg.catalogue import catalogue, example_args
from regional_kg.cli import main
from regional_kg.commands.store_options import cached_store
from regional_kg.stores.oxigraph import OxigraphStore
from tests.support.paths import REPO

TYPOS = """@prefix rkg: <https://w3id.org/regional-kg/ontology#> .
<https://w3id.org/regional-kg/id/visit/2019-01-01-kg-uz-official> a rkg:Vist .
"""
COMMENT = "https://w3id.org/regional-kg/id/state/KZ"
RDFS_COMMENT = "<http://www.w3.org/2000/01/rdf-schema#comment>"
COMMENTS = f"SELECT ?c WHERE {{ <{COMMENT}> {RDFS_COMMENT} ?c }}"


def comment(text: str) -> str:
    """A Turtle file stating ``text`` as a comment on Kazakhstan."""
    return f'<{COMMENT}> {RDFS_COMMENT} "{text}" .\n'


@pytest.fixture
def stores(tmp_path, monkeypatch) -> Path:
    """A fresh, switched-on cache; the folder its entries go to."""
    monkeypatch.setenv("RKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RKG_NO_CACHE", raising=False)
    monkeypatch.delenv(store_cache.OFF_VARIABLE, raising=False)
    return tmp_path / "cache" / "stores"


@pytest.fixture
def graph(tmp_path, monkeypatch) -> Path:
    """A curated graph folder of the test's own (the seed graph), to change."""
    folder = tmp_path / "graph"
    shutil.copytree(Path(os.environ["RKG_GRAPH_DIR"]), folder)
    monkeypatch.setenv("RKG_GRAPH_DIR", str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if store_cache._KEY.match(p.name))


def rkg(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _examples() -> list[list[str]]:
    return [args[1:] for spec in catalogue() for args in example_args(spec)]


def test_every_catalogue_example_answers_the_same_from_the_cache(stores, capsys, monkeypatch):
    examples = _examples()
    assert len(examples) > 20
    monkeypatch.setenv(store_cache.OFF_VARIABLE, "1")
    uncached = [rkg(capsys, *args) for args in examples]
    assert entries(stores) == []
    monkeypatch.delenv(store_cache.OFF_VARIABLE)
    first = rkg(capsys, *examples[0])  # builds, and keeps the store
    assert first == uncached[0]
    assert len(entries(stores)) == 1
    hit = cached_store([], validate=True)
    assert isinstance(hit, OxigraphStore) and hit.read_only  # the next ones are hits
    assert hit.path is not None and hit.path.is_relative_to(stores)
    hit.close()
    for args, expected in zip(examples, uncached, strict=True):
        assert rkg(capsys, *args) == expected, args
    assert len(entries(stores)) == 1
    assert sum(1 for code, out, _ in uncached if code == 0 and out.count("\n") > 2) > 15


def _bnodes_as_one(text: str) -> list[str]:
    return sorted(re.sub(r"_:[A-Za-z0-9]+", "_:b", text).splitlines())


@pytest.mark.parametrize(
    "args",
    [
        ["info"],
        ["sources"],
        ["centrality", "--layer", "trade", "--year", "2017", "--ego", "KZ"],
        ["export", "--format", "nq"],
    ],
)
def test_the_other_reading_commands_answer_the_same_from_the_cache(stores, capsys, args):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(store_cache.OFF_VARIABLE, "1")
        code, out, err = rkg(capsys, *args)
    assert code == 0 and out
    rkg(capsys, *args)  # builds and keeps it
    (entry,) = entries(stores)
    again = rkg(capsys, *args)  # a hit
    assert (again[0], _bnodes_as_one(again[1]), again[2]) == (code, _bnodes_as_one(out), err)
    assert entries(stores) == [entry]


def test_a_hit_is_the_store_the_build_made(stores):
    built = cached_store([], validate=True)
    assert not isinstance(built, OxigraphStore) or not built.read_only  # built in memory
    hit = cached_store([], validate=True)
    assert isinstance(hit, OxigraphStore) and hit.read_only
    assert hit.spec == "oxigraph" and not hit.persistent  # it stands for the built store
    assert len(hit) == len(built) > 6_000
    assert hit.graph_names() == built.graph_names()
    assert hit.dump("nquads").count(b"\n") == built.dump("nquads").count(b"\n")
    assert hit.union_ready  # the de-duplicated union came along
    hit.close()


def test_a_changed_graph_file_gives_a_fresh_build(stores, graph, capsys):
    code, out, _ = rkg(capsys, "query", COMMENTS, "--format", "csv")
    assert code == 0 and out.splitlines() == ["c"]
    (graph / "mine.ttl").write_text(comment("new"))
    code, out, _ = rkg(capsys, "query", COMMENTS, "--format", "csv")
    assert out.splitlines() == ["c", "new"]
    assert len(entries(stores)) == 2
    (graph / "mine.ttl").write_text(comment("old"))
    code, out, _ = rkg(capsys, "query", COMMENTS, "--format", "csv")
    assert out.splitlines() == ["c", "old"]  # same size, same second: still a new key


def test_a_file_changed_within_the_clock_tick_is_not_trusted_to_its_stat(
    stores, graph, capsys, monkeypatch
):
    """Same size, same mtime, same inode: only the bytes tell. A memo (stat -> content key) is
    kept only for files older than RACY_SECONDS, so such a change still gives a new key."""
    monkeypatch.setattr(store_cache, "RACY_SECONDS", 3600.0)
    mine = graph / "mine.ttl"
    mine.write_text(comment("aaa"))
    stamp = mine.stat().st_mtime_ns
    assert rkg(capsys, "query", COMMENTS, "--format", "csv")[1].splitlines() == ["c", "aaa"]
    with open(mine, "r+b") as handle:  # in place: the inode stays
        data = handle.read()
        handle.seek(0)
        handle.write(data.replace(b"aaa", b"bbb"))
    os.utime(mine, ns=(stamp, stamp))
    assert rkg(capsys, "query", COMMENTS, "--format", "csv")[1].splitlines() == ["c", "bbb"]
    assert not (stores / "memo").exists() or not any((stores / "memo").iterdir())


def test_an_old_unchanged_tree_is_keyed_by_its_stat_memo(stores, graph, capsys):
    past = time.time() - 3600
    for path in graph.iterdir():
        os.utime(path, (past, past))
    entry = store_cache.entry_for([], validate=True)
    assert entry is not None
    assert len(list((stores / "memo").iterdir())) == 1
    again = store_cache.entry_for([], validate=True)
    assert again == entry
    for path in graph.iterdir():  # a touch (a checkout of the same bytes): the same entry
        os.utime(path, (past + 60, past + 60))
    assert store_cache.entry_for([], validate=True) == entry
    assert store_cache.entry_for([], validate=False) != entry
    for memo in (stores / "memo").iterdir():  # a memo that is not one: the bytes decide
        memo.write_bytes(b"\xff\xfe not a key")
    assert store_cache.entry_for([], validate=True) == entry


def _largest_file(entry: Path) -> Path:
    return max((entry / "store").iterdir(), key=lambda p: p.stat().st_size)


def test_a_truncated_entry_is_rebuilt_not_served(stores, capsys):
    expected = rkg(capsys, "query", "agreements", "--param", "state=KZ")
    (entry,) = entries(stores)
    victim = _largest_file(entry)
    size = victim.stat().st_size
    with open(victim, "r+b") as handle:
        handle.truncate(size // 2)
    assert store_cache.Entry(entry, entry.name).open() is None  # detected, and removed
    assert entries(stores) == []
    assert rkg(capsys, "query", "agreements", "--param", "state=KZ") == expected
    (entry,) = entries(stores)  # written again, whole
    assert store_cache.Entry(entry, entry.name).open() is not None


@pytest.mark.parametrize("damage", ["no manifest", "bad manifest", "other key", "no store"])
def test_a_broken_entry_is_rebuilt(stores, capsys, damage):
    expected = rkg(capsys, "query", "agreements", "--param", "state=KZ")
    (entry,) = entries(stores)
    manifest = entry / "entry.json"
    if damage == "no manifest":
        manifest.unlink()
    elif damage == "bad manifest":
        manifest.write_text('{"format": 1, "key": ')
    elif damage == "other key":
        manifest.write_text(manifest.read_text().replace(entry.name, "0" * 64))
    else:
        shutil.rmtree(entry / "store")
    assert rkg(capsys, "query", "agreements", "--param", "state=KZ") == expected
    (entry,) = entries(stores)
    assert store_cache.Entry(entry, entry.name).open() is not None


def test_what_the_build_said_is_said_again_on_a_hit(stores, tmp_path, capsys):
    mine = tmp_path / "mine.ttl"
    mine.write_text(TYPOS, encoding="utf-8")
    first = rkg(capsys, "query", "sources", "--source", str(mine), "--format", "csv")
    assert "rkg:Vist is not defined" in first[2]
    assert len(entries(stores)) == 1
    assert rkg(capsys, "query", "sources", "--source", str(mine), "--format", "csv") == first


def test_the_newest_entries_are_kept(stores, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(store_cache, "KEEP", 2)
    kept: list[set[Path]] = [set()]
    for n in range(4):
        source = tmp_path / f"s{n}.ttl"
        source.write_text(comment(f"{n}"))
        code, out, _ = rkg(capsys, "query", COMMENTS, "--source", str(source), "--format", "csv")
        assert out.splitlines() == ["c", str(n)]
        kept.append(set(entries(stores)))
    assert [len(k) for k in kept] == [0, 1, 2, 2, 2]
    new = [(now - before).pop() for before, now in zip(kept, kept[1:], strict=False)]
    assert kept[-1] == {new[2], new[3]}  # the two newest


def test_a_used_entry_counts_as_new(stores, tmp_path):
    folder = tmp_path / "folder"
    names = []
    for n, age in enumerate((300, 200, 100)):  # entry 0 is the oldest made...
        entry = folder / (str(n) * 64)
        (entry / "store").mkdir(parents=True)
        (entry / "entry.json").write_text("{}")
        os.utime(entry / "entry.json", (time.time() - age,) * 2)
        names.append(entry.name)
    store_cache._touch(folder / names[0] / "entry.json")  # ...but the last used
    removed = store_cache.prune(folder, keep=2)
    assert [p.name for p in removed] == [names[1]]
    assert sorted(p.name for p in entries(folder)) == sorted([names[0], names[2]])


def test_what_a_killed_writer_left_is_removed(stores, capsys):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stores.mkdir(parents=True)
    leftover = stores / f".building-{dead}-abc"
    (leftover / "store").mkdir(parents=True)
    mine = stores / f".building-{os.getpid()}-abc"  # a writer still running
    mine.mkdir()
    rkg(capsys, "query", "agreements", "--param", "state=KZ")
    assert not leftover.exists() and mine.exists()


def test_two_writers_of_one_entry_leave_one(stores):
    store = cached_store([], validate=True)
    entry = store_cache.entry_for([], validate=True)
    assert entry is not None and entry.folder.is_dir()
    assert store.native is not None and entry.save(store.native) is True  # already there
    assert entries(stores) == [entry.folder]
    assert [p for p in stores.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("switch", ["RKG_NO_STORE_CACHE", "RKG_NO_CACHE"])
def test_switched_off_nothing_is_kept(stores, capsys, monkeypatch, switch):
    monkeypatch.setenv(switch, "1")
    assert rkg(capsys, "query", "agreements", "--param", "state=KZ")[0] == 0
    assert entries(stores) == []


@pytest.mark.parametrize("spec", ["memory", "oxigraph:{tmp}/kg"])
def test_other_stores_are_not_cached(stores, tmp_path, capsys, spec):
    spec = spec.format(tmp=tmp_path)
    if spec.startswith("oxigraph:"):
        assert rkg(capsys, "build", "--store", spec, "--quiet")[0] == 0
    assert rkg(capsys, "query", "agreements", "--param", "state=KZ", "--store", spec)[0] == 0
    assert entries(stores) == []


def test_a_cache_that_cannot_be_written_is_only_slower(tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("RKG_CACHE_DIR", str(blocker))
    monkeypatch.delenv("RKG_NO_CACHE", raising=False)
    code, out, err = rkg(capsys, "query", "agreements", "--param", "state=KZ")
    assert code == 0 and "rkgd:agreement/" in out


_MODULES_AFTER = """
import sys
from regional_kg.cli import main
main(sys.argv[1:])
print("\\n".join(sorted(sys.modules)))
"""


def test_a_hit_imports_no_build_no_sheets_no_shacl(stores):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-c", _MODULES_AFTER, "query", "agreements", "--param", "state=KZ"]
    loaded = []
    for _ in range(2):  # a miss, then a hit
        done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=REPO, check=True)
        loaded.append(set(done.stdout.split()))
    assert "regional_kg.build.pipeline" in loaded[0]
    for heavy in (
        "regional_kg.build",
        "regional_kg.build.pipeline",
        "regional_kg.build.validation",
        "regional_kg.sheets",
        "rdflib.plugins.sparql",
        "pyshacl",
        "yaml",
    ):
        assert heavy not in loaded[1], heavy
