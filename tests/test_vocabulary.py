"""One vocabulary (docs/vocabulary.md): no public signature or result field uses
a name the vocabulary rules out, and the table here is the one in the docs."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import attrs
import pytest

import mllifecycle

# canonical name -> names that mean the same thing and must not be used
BANNED = {
    "n_resamples": ["n_permutations", "n_bootstrap", "n_bootstraps", "n_boot"],
    "n_bins": ["bins", "nbins"],
    "std_error": ["standard_error", "stderr", "se", "std_err"],
    "confidence_level": ["confidence", "level", "ci_level"],
    "ci_low / ci_high": ["lower", "upper", "lo", "hi"],
    "rng": ["seed", "random_seed"],
    "n_samples": ["n", "size", "n_rows"],
    "grace_period": ["warm_start", "min_instances", "min_num_instances"],
    "progress": ["verbose"],
    "y_proba": ["proba"],
    "estimator": ["model", "clf"],
    "sample_weight": ["weights"],
    "max_iter / tol": ["iterations", "eps"],
}
FORBIDDEN = {bad: good for good, bads in BANNED.items() for bad in bads}

# `alpha` is a significance level only: every owner of an `alpha` parameter is
# documented as a (significance) level in its docstring
ALPHA_IS_SIGNIFICANCE = re.compile(r"significance|(?<!confidence )\blevel\b", re.I)

# fields of results that are not parameters: a result may carry a fitted
# `model` (what it returns), `weights` of importance weighting are the result,
# and `proba` is a posterior a result holds (a crowd's, label spreading's)
RESULT_FIELD_EXCEPTIONS = {"model", "weights", "proba"}

# parameters that keep another name on purpose, with the reason
ALLOWED = {
    # the registry stores any fitted model object; it never clones or fits it
    ("mllifecycle.store.Registry.register", "model"),
}


def _packages():
    names = ["mllifecycle." + s for s in mllifecycle._submodules]
    names.append("mllifecycle.drift.stream")
    return sorted(set(names))


def _members():
    for modname in _packages():
        mod = importlib.import_module(modname)
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if inspect.isclass(obj) and obj.__module__.startswith("mllifecycle"):
                yield f"{modname}.{name}", obj, True
                for attr, fn in vars(obj).items():
                    if not attr.startswith("_") and inspect.isfunction(fn):
                        yield f"{modname}.{name}.{attr}", fn, False
            elif inspect.isfunction(obj) and obj.__module__.startswith("mllifecycle"):
                yield f"{modname}.{name}", obj, False


def _violations():
    found = []
    for qual, obj, is_class in _members():
        if getattr(obj, "_is_protocol", False):
            continue
        try:
            params = list(inspect.signature(obj).parameters)
        except (TypeError, ValueError):
            continue
        is_result = is_class and attrs.has(obj) and hasattr(obj, "to_dict")
        for p in params:
            if (qual, p) in ALLOWED:
                continue
            if p in FORBIDDEN and not (is_result and p in RESULT_FIELD_EXCEPTIONS):
                found.append(f"{qual}({p}=...): use {FORBIDDEN[p]!r}")
        if "alpha" in params:
            doc = inspect.getdoc(obj) or ""
            block = re.search(r"alpha\s*:.*?(?=\n\S|\Z)", doc, re.S)
            text = " ".join(block.group(0).split()) if block else ""
            if not ALPHA_IS_SIGNIFICANCE.search(text):
                found.append(f"{qual}(alpha=...): alpha is only a significance level")
    return found


def test_public_signatures_use_the_vocabulary():
    found = _violations()
    assert not found, "names outside the vocabulary:\n" + "\n".join(found)


def test_no_correction_takes_the_string_none():
    from mllifecycle._multitest import CORRECTIONS

    assert "none" not in CORRECTIONS
    assert None in CORRECTIONS


def test_the_docs_table_lists_every_banned_name():
    text = (Path(__file__).resolve().parent.parent / "docs" / "vocabulary.md").read_text()
    for good, bads in BANNED.items():
        for part in good.split(" / "):
            assert f"`{part}`" in text, f"docs/vocabulary.md does not name {part!r}"
        for bad in bads:
            assert f"`{bad}`" in text, f"docs/vocabulary.md does not rule out {bad!r}"


@pytest.mark.parametrize("bad", sorted(FORBIDDEN))
def test_checker_catches_a_bad_name(bad):
    # the check itself can fail: a function using a banned name is reported
    ns: dict[str, object] = {}
    exec(f"def f({bad}=None):\n    '''Doc.'''\n", ns)
    params = list(inspect.signature(ns["f"]).parameters)
    assert any(p in FORBIDDEN for p in params)
