"""Conformance checks a user can run on their own detectors, tests, policies and gates.

The test suite runs the same checks over every built-in. Each check raises
:class:`AssertionError` with a message saying what broke, and returns None when
the object conforms.

Examples
--------
>>> import numpy as np
>>> from mllifecycle.drift.stream import PageHinkley
>>> from mllifecycle.testing import check_stream_detector
>>> stream = np.r_[np.zeros(500), np.full(500, 5.0)]
>>> check_stream_detector(PageHinkley, stream)
"""

from __future__ import annotations

from mllifecycle.testing._checks import (
    check_gate,
    check_policy,
    check_sampler,
    check_stream_detector,
    check_two_sample_test,
)
from mllifecycle.testing._query import check_query_strategy

__all__ = [
    "check_stream_detector",
    "check_two_sample_test",
    "check_policy",
    "check_gate",
    "check_sampler",
    "check_query_strategy",
]
