"""Package boundaries: no package imports another package's private names, the
protocols depend on no subpackage, and SciPy's private functions are reached
through one shim module only."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest

from mllifecycle import protocols

ROOT = Path(__file__).resolve().parent.parent / "mllifecycle"
FILES = sorted(ROOT.rglob("*.py"))


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, []


def _package(path):
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else None


@pytest.mark.parametrize("path", FILES, ids=[str(f.relative_to(ROOT)) for f in FILES])
def test_no_private_imports_across_packages(path):
    own = _package(path)
    for module, names in _imports(path):
        parts = module.split(".")
        if parts[0] != "mllifecycle" or len(parts) < 2 or parts[1].startswith("_"):
            continue
        if parts[1] == own or (own is None and parts[1] == "cli"):
            continue
        private = [p for p in parts[2:] if p.startswith("_")] + [
            n for n in names if n.startswith("_")
        ]
        assert not private, f"{path.name} imports private {module}:{names}"


def test_protocols_import_no_subpackage():
    for module, _ in _imports(ROOT / "protocols.py"):
        parts = module.split(".")
        if parts[0] == "mllifecycle" and len(parts) > 1:
            assert parts[1].startswith("_") or parts[1] == "exceptions", module


PROTOCOLS = [n for n in protocols.__all__ if isinstance(getattr(protocols, n), type)]


@pytest.mark.parametrize("name", PROTOCOLS)
def test_protocol_type_hints_resolve(name):
    proto = getattr(protocols, name)
    members = {
        attr: (fn.fget if isinstance(fn, property) else fn)
        for attr, fn in vars(proto).items()
        if (attr == "__call__" or not attr.startswith("_"))
        and (callable(fn) or isinstance(fn, property))
    }
    assert members, f"{name} declares no member"
    for attr, fn in members.items():
        hints = typing.get_type_hints(fn)
        assert "return" in hints, f"{name}.{attr} has no return annotation"


def test_scipy_private_modules_only_in_the_shim():
    # a private scipy module (scipy.stats._stats_py, scipy.signal._sigtools, ...)
    # is imported by the shim alone, which tests its fallback
    for path in FILES:
        if path.name == "_scipy_shim.py":
            continue
        for module, names in _imports(path):
            parts = module.split(".")
            if parts[0] != "scipy":
                continue
            private = [p for p in parts[1:] if p.startswith("_")]
            private += [n for n in names if n.startswith("_")]
            assert not private, f"{path.name} imports scipy's private {module}:{names}"
