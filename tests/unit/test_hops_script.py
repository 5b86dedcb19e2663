"""scripts/hops.py counts a reader's files and hops the way docs/architecture.md says: calls
written in product code, a cached call as the call it stands for, a generator expression with
the function that wrote it, and neither a module body run by an import nor a library's hook."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hops() -> ModuleType:
    return load(ROOT / "scripts" / "hops.py", "hops_under_test")


def product(tmp_path: Path, files: dict[str, str]) -> dict[str, ModuleType]:
    """Little modules under tmp_path/waitlist/, loaded under private names."""
    (tmp_path / "waitlist").mkdir()
    loaded = {}
    for name, text in files.items():
        path = tmp_path / "waitlist" / f"{name}.py"
        path.write_text(text, encoding="utf-8")
        loaded[name] = load(path, f"hops_case_{tmp_path.name}_{name}")
    return loaded


def measure(hops: ModuleType, root: Path, entry, *args):
    """The tree of one call of `entry`, modules counted from `root`."""
    profiler = hops.Profiler(root.resolve())
    with hops.profiling(profiler), profiler.armed(entry):
        entry(*args)
    return profiler.take()


def test_a_chain_of_calls_counts_each_file_each_hop_and_the_depth(hops, tmp_path):
    m = product(
        tmp_path,
        {
            "c": "def leaf():\n    return 1\n",
            "b": "def middle(leaf):\n    return leaf() + leaf()\n",
        },
    )
    entry_file = tmp_path / "waitlist" / "a.py"
    entry_file.write_text(
        "def entry(middle, leaf):\n    return middle(leaf) + leaf()\n", encoding="utf-8"
    )
    entry = load(entry_file, f"hops_case_{tmp_path.name}_a").entry
    tree = measure(hops, tmp_path, entry, m["b"].middle, m["c"].leaf)
    assert tree.files == {"waitlist/a.py", "waitlist/b.py", "waitlist/c.py"}
    assert set(tree.edges) == {
        ("waitlist/a.py", "waitlist/b.py"),
        ("waitlist/b.py", "waitlist/c.py"),
        ("waitlist/a.py", "waitlist/c.py"),
    }
    assert tree.depth == 2
    assert tree.chain == ["waitlist/a.py", "waitlist/b.py", "waitlist/c.py"]


def test_a_cache_hit_is_the_call_it_stands_for(hops, tmp_path):
    cached = "import functools\n\n@functools.cache\ndef leaf():\n    return 1\n"
    m = product(tmp_path, {"c": cached})
    m["c"].leaf()  # warm: the measured call is a hit, with no Python frame of its own
    entry_file = tmp_path / "waitlist" / "a.py"
    entry_file.write_text("from c import leaf\n\ndef entry():\n    return leaf()\n", "utf-8")
    sys.modules["c"] = m["c"]
    try:
        entry = load(entry_file, f"hops_case_{tmp_path.name}_a").entry
    finally:
        del sys.modules["c"]
    profiler = hops.Profiler(tmp_path.resolve())
    with hops.caches_seen(tmp_path.resolve()):
        with hops.profiling(profiler), profiler.armed(entry):
            assert entry() == 1
        assert m["c"].leaf.cache_info().hits == 1  # the call went to the cache, and hit
    assert set(profiler.take().edges) == {("waitlist/a.py", "waitlist/c.py")}


def test_iterating_a_generator_expression_is_not_a_hop(hops, tmp_path):
    m = product(tmp_path, {"stats": "def total(values):\n    return sum([v for v in values])\n"})
    entry_file = tmp_path / "waitlist" / "a.py"
    entry_file.write_text(
        "def entry(total):\n    return total(x * 2 for x in range(3))\n", encoding="utf-8"
    )
    entry = load(entry_file, f"hops_case_{tmp_path.name}_a").entry
    tree = measure(hops, tmp_path, entry, m["stats"].total)
    assert set(tree.edges) == {("waitlist/a.py", "waitlist/stats.py")}


def test_a_module_body_an_import_runs_ran_but_is_off_the_tree(hops, tmp_path):
    (tmp_path / "waitlist").mkdir()
    lazy = tmp_path / "waitlist" / "lazy.py"
    lazy.write_text("def double(x):\n    return 2 * x\n\nVALUE = double(2)\n", "utf-8")
    entry_file = tmp_path / "waitlist" / "a.py"
    entry_file.write_text(
        "import importlib.util\n\n"
        "def entry(path, name):\n"
        "    spec = importlib.util.spec_from_file_location(name, path)\n"
        "    spec.loader.exec_module(importlib.util.module_from_spec(spec))\n",
        encoding="utf-8",
    )
    entry = load(entry_file, f"hops_case_{tmp_path.name}_a").entry
    tree = measure(hops, tmp_path, entry, lazy, f"hops_case_{tmp_path.name}_lazy")
    assert tree.ran == {"waitlist/a.py", "waitlist/lazy.py"}
    assert tree.files == {"waitlist/a.py"}
    assert not tree.edges


def test_a_hook_a_library_calls_ran_but_is_off_the_tree(hops, tmp_path):
    m = product(tmp_path, {"hook": "def default(value):\n    return 'x'\n"})
    entry_file = tmp_path / "waitlist" / "a.py"
    entry_file.write_text(
        "import json\n\n"
        "def entry(default):\n"  # with an indent, json's own Python code calls `default`
        "    return json.dumps({'a': object()}, default=default, indent=1)\n",
        encoding="utf-8",
    )
    entry = load(entry_file, f"hops_case_{tmp_path.name}_a").entry
    tree = measure(hops, tmp_path, entry, m["hook"].default)
    assert tree.ran == {"waitlist/a.py", "waitlist/hook.py"}
    assert tree.files == {"waitlist/a.py"}
    assert not tree.edges
