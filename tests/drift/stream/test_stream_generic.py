"""The optional WarningDetector protocol, and an exact update_many for a user's detector."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.drift.stream import (
    ADWIN,
    CUSUM,
    DDM,
    EDDM,
    HDDM_A,
    HDDM_W,
    KSWIN,
    PageHinkley,
    update_many_from_update,
    with_update_many,
)
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.protocols import StreamDetector, WarningDetector
from mllifecycle.testing import check_stream_detector


@with_update_many
class MeanJump:
    """A user's detector: the mean of the last 20 values leaves [-limit, limit].

    Restarts after a detection (as the built-ins do); warns beyond half the limit.
    """

    def __init__(self, limit=1.0):
        self.limit = limit
        self.reset()

    def reset(self):
        self.buf = []
        self.drift_detected = False
        self.warning_detected = False

    def update(self, x):
        if self.drift_detected:
            self.reset()
        self.buf = [*self.buf[-19:], float(x)]
        m = abs(sum(self.buf) / len(self.buf)) if len(self.buf) == 20 else 0.0
        self.warning_detected = m > self.limit / 2
        self.drift_detected = m > self.limit
        return self.drift_detected


class NoWarnings:
    """A user's detector without a warning zone, using the function form."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.total = 0.0
        self.drift_detected = False

    def update(self, x):
        if self.drift_detected:
            self.reset()
        self.total += x
        self.drift_detected = abs(self.total) > 25.0
        return self.drift_detected

    def update_many(self, xs):
        return update_many_from_update(self, xs)


def stream(seed=0):
    rng = np.random.default_rng(seed)
    return np.r_[rng.normal(0, 1, 500), rng.normal(1.5, 1, 300), rng.normal(0, 1, 300)]


def reference_loop(det, xs):
    hits, warns = [], []
    for i, x in enumerate(xs.tolist()):
        if det.update(x):
            hits.append(i)
        if getattr(det, "warning_detected", False):
            warns.append(i)
    return hits, warns


def test_decorated_user_detector_is_exact_and_conformant():
    xs = stream()
    hits, warns = reference_loop(MeanJump(), xs)
    assert len(hits) >= 2  # the stream does trigger it
    det = MeanJump()
    got = det.update_many(xs)
    assert got.dtype == np.intp
    assert got.tolist() == hits
    assert det.warnings_.tolist() == warns
    assert isinstance(det, StreamDetector)
    assert isinstance(det, WarningDetector)
    check_stream_detector(MeanJump, xs)
    check_stream_detector(lambda: MeanJump(limit=0.5), xs, split=333)


def test_function_form_user_detector_is_exact_and_conformant():
    xs = stream(1)
    hits, _ = reference_loop(NoWarnings(), xs)
    assert hits
    assert NoWarnings().update_many(xs).tolist() == hits
    assert not isinstance(NoWarnings(), WarningDetector)
    check_stream_detector(NoWarnings, xs)


def test_chunked_calls_continue_the_state():
    xs = stream(2)
    hits, _ = reference_loop(MeanJump(), xs)
    det = MeanJump()
    got = [*det.update_many(xs[:517]).tolist(), *(det.update_many(xs[517:]) + 517).tolist()]
    assert got == hits


def test_elements_are_passed_as_python_scalars():
    seen = []

    @with_update_many
    class Recorder:
        drift_detected = False

        def update(self, x):
            seen.append(type(x))
            return False

        def reset(self):
            pass

    Recorder().update_many(np.array([True, False]))
    Recorder().update_many(np.array([1, 2]))
    Recorder().update_many([0.5])
    assert seen == [bool, bool, int, int, float]


class Broken:
    """Claims warnings but update_many ignores the warning zone."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.n = 0
        self.drift_detected = False
        self.warning_detected = False
        self.warnings_ = np.zeros(0, dtype=np.intp)

    def update(self, x):
        self.n += 1
        self.warning_detected = x > 0
        self.drift_detected = False
        return False

    def update_many(self, xs):
        for x in np.asarray(xs).tolist():
            self.update(x)
        return np.zeros(0, dtype=np.intp)


def test_check_stream_detector_catches_wrong_warnings():
    with pytest.raises(AssertionError, match="warnings_"):
        check_stream_detector(Broken, np.array([1.0, -1.0, 2.0]))


@pytest.mark.parametrize(
    ("make", "warning"),
    [(DDM, True), (EDDM, True), (HDDM_A, True), (HDDM_W, True),
     (PageHinkley, False), (CUSUM, False), (ADWIN, False), (KSWIN, False)],
)
def test_builtins_declare_the_warning_protocol(make, warning):
    assert isinstance(make(), StreamDetector)
    assert isinstance(make(), WarningDetector) is warning


@pytest.mark.parametrize("make", [DDM, EDDM, HDDM_A, HDDM_W])
def test_builtin_warning_detectors_pass_the_warning_check(make):
    rng = np.random.default_rng(3)
    errors = np.r_[rng.random(1500) < 0.1, rng.random(1500) < 0.35].astype(float)
    check_stream_detector(make, errors)


@pytest.mark.parametrize(
    ("call", "param", "match"),
    [
        (lambda: update_many_from_update(object(), [1.0]), "detector", "update"),
        (lambda: update_many_from_update(NoWarnings(), np.zeros((2, 2))), "xs", "1-D"),
        (lambda: update_many_from_update(NoWarnings(), [1 + 2j]), "xs", "complex"),
        (lambda: with_update_many(NoWarnings()), "cls", "a class"),
        (lambda: with_update_many(type("NoUpdate", (), {})), "cls", "update"),
        (lambda: with_update_many(NoWarnings), "cls", "without an update_many"),
    ],
)
def test_helper_errors(call, param, match):
    with pytest.raises(InvalidParameterError, match=rf"'{param}' parameter.*{match}"):
        call()


def test_update_many_from_update_passes_strings_to_a_users_update():
    """Text is the user's detector's business: update_many_from_update must
    not refuse what update accepts (the built-in detectors refuse strings)."""
    from mllifecycle.drift.stream import update_many_from_update

    class Label:
        def __init__(self):
            self.drift_detected = False

        def update(self, x):
            self.drift_detected = x == "b"
            return self.drift_detected

    assert update_many_from_update(Label(), ["a", "b", "a", "b"]).tolist() == [1, 3]
    assert update_many_from_update(Label(), np.array(["b", "a"], dtype=object)).tolist() == [0]
