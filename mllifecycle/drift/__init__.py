"""Drift: tests of whether data moved away from a reference.

Two-sample tests between a reference and a current sample, per feature
(:func:`ks`, :func:`cramer_von_mises`, :func:`anderson_darling`,
:func:`chi_square`, :func:`psi`, :func:`jensen_shannon`, :func:`hellinger`,
:func:`wasserstein`) and multivariate (:func:`mmd`, :func:`energy`,
:func:`classifier_drift`); whole data sets with :func:`detect` (a test per
column, multiple-testing correction, ranked :class:`DriftReport`); and a fitted,
mergeable :class:`Reference` for monitoring many windows. Every test returns a
frozen :class:`DriftResult`. Streaming change detectors live in
:mod:`mllifecycle.drift.stream`.

Examples
--------
>>> import numpy as np
>>> from mllifecycle import drift
>>> rng = np.random.default_rng(0)
>>> drift.ks(rng.normal(size=200), rng.normal(1.0, size=200)).drift_detected
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mllifecycle.drift._anderson import anderson_darling
    from mllifecycle.drift._binned import hellinger, jensen_shannon, psi
    from mllifecycle.drift._chi_square import chi_square
    from mllifecycle.drift._classifier import classifier_drift
    from mllifecycle.drift._cvm import cramer_von_mises
    from mllifecycle.drift._detect import adjust_p_values, detect
    from mllifecycle.drift._energy import energy
    from mllifecycle.drift._kolmogorov import ks
    from mllifecycle.drift._mmd import mmd
    from mllifecycle.drift._reference import Reference
    from mllifecycle.drift._result import DriftReport, DriftResult, FeatureDrift
    from mllifecycle.drift._wasserstein import wasserstein

__all__ = [
    "DriftResult",
    "FeatureDrift",
    "DriftReport",
    "ks",
    "cramer_von_mises",
    "anderson_darling",
    "chi_square",
    "psi",
    "jensen_shannon",
    "hellinger",
    "wasserstein",
    "mmd",
    "energy",
    "classifier_drift",
    "detect",
    "adjust_p_values",
    "Reference",
]


_WHERE = {
    "DriftResult": "_result",
    "FeatureDrift": "_result",
    "DriftReport": "_result",
    "ks": "_kolmogorov",
    "cramer_von_mises": "_cvm",
    "anderson_darling": "_anderson",
    "chi_square": "_chi_square",
    "psi": "_binned",
    "jensen_shannon": "_binned",
    "hellinger": "_binned",
    "wasserstein": "_wasserstein",
    "mmd": "_mmd",
    "energy": "_energy",
    "classifier_drift": "_classifier",
    "detect": "_detect",
    "adjust_p_values": "_detect",
    "Reference": "_reference",
}


def __getattr__(name: str) -> Any:
    # Lazy, so that ``mllifecycle drift --help`` and ``import mllifecycle.drift.stream``
    # do not load SciPy.
    if name in _WHERE:
        value = getattr(importlib.import_module(f"mllifecycle.drift.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    if name == "stream":
        return importlib.import_module("mllifecycle.drift.stream")
    raise AttributeError(f"module 'mllifecycle.drift' has no attribute {name!r}")


def __dir__() -> list[str]:
    return [*__all__, "stream"]
