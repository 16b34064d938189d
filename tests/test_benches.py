"""The benchmarks keep working as the code moves: every name a script under bench/ imports from tracuu —
at the top or inside a function, where only running it would tell — exists. (Two of them imported a
helper the application core had replaced, and failed only when someone ran them.)"""

from __future__ import annotations

import ast
import importlib

import pytest

from conftest import ROOT

BENCHES = sorted((ROOT / "bench").glob("*.py"))


def _imports(path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.module, alias.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tracuu")
            for alias in node.names]  # fmt: skip


@pytest.mark.parametrize("path", BENCHES, ids=lambda p: p.name)
def test_every_name_a_benchmark_imports_exists(path):
    names = _imports(path)
    missing = [f"{module}.{name}" for module, name in names
               if not hasattr(importlib.import_module(module), name)]  # fmt: skip
    assert not missing, f"{path.name}: {missing}"


def test_the_benchmarks_are_found():
    assert len(BENCHES) >= 10 and sum(len(_imports(p)) for p in BENCHES) > 30
