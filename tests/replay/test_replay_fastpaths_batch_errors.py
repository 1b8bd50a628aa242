"""The replay's per-batch shortcuts give what the direct computations give (2).

``_batch_errors`` writes a batch's 0/1 errors as booleans copied into the
float errors, where the loop wrote them with one ``np.not_equal(..., out=)``;
it must give the same floats, the same count, and fail (or broadcast) as the
one ufunc did. The fields of a state that change only at a retrain or a
deployment (``retrains``, ``model_version``, ``deployed_at``,
``reference_X``, ``last_change_point``, ``challenge``) are kept in the
states' template and updated where they change; every state must still show
the values the replay's events imply, and keep them after later retrains.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin

from mllifecycle.gates import FunctionGate
from mllifecycle.policies import RetrainDecision, SinceLastDrift
from mllifecycle.replay import replay
from mllifecycle.replay._replay import _batch_errors


def _one_ufunc(pred, y, n):
    """The loop's former way: != into the float errors in one ufunc, then a count."""
    out = np.full(n, 7.0)
    np.not_equal(pred, y, out=out)
    return out, int(np.count_nonzero(out))


def _outcome(fn):
    try:
        return ("ok", fn())
    except Exception as exc:  # the same kind of failure, whatever the message
        return ("raised", type(exc))


def _check_same(pred, y):
    n = np.shape(y)[0]

    def old():
        return _one_ufunc(pred, y, n)

    def new():
        out = np.full(n, 7.0)
        count = _batch_errors(pred, y, out)
        return out, count

    a, b = _outcome(old), _outcome(new)
    assert a[0] == b[0]
    if a[0] == "ok":
        (out_a, n_a), (out_b, n_b) = a[1], b[1]
        assert out_a.dtype == out_b.dtype == np.float64
        assert np.array_equal(out_a, out_b)
        assert n_a == n_b
        assert type(n_b) is int
    else:
        assert a[1] is b[1]


_LABELS = {
    "int64": st.integers(-3, 3),
    "uint8": st.integers(0, 3),
    "float64": st.sampled_from([0.0, 1.0, -0.0, 2.5, np.nan, np.inf]),
    "bool": st.booleans(),
    "<U2": st.sampled_from(["a", "b", "", "ab"]),
}


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    kind=st.sampled_from(sorted(_LABELS)),
    pred_kind=st.sampled_from(sorted(_LABELS)),
    n=st.integers(1, 40),
)
def test_property_batch_errors_are_the_one_ufunc_errors(data, kind, pred_kind, n):
    y = np.array(data.draw(st.lists(_LABELS[kind], min_size=n, max_size=n)), dtype=kind)
    pred = np.array(
        data.draw(st.lists(_LABELS[pred_kind], min_size=n, max_size=n)), dtype=pred_kind
    )
    _check_same(pred, y)


@pytest.mark.parametrize(
    "make_pred",
    [
        lambda y: y.copy(),  # all right
        lambda y: 1 - y,  # all wrong
        lambda y: y[:1],  # one prediction broadcast over the batch
        lambda y: np.int64(1),  # a 0-d answer
        lambda y: y[:, None],  # a column: (b, 1) against (b,)
        lambda y: y[None, :],  # a row: (1, b)
        lambda y: y[:-1],  # one short
        lambda y: list(y),  # a list
        lambda y: y.astype(object),  # objects against ints
        lambda y: y.astype(np.float32),
        lambda y: np.zeros((0,), dtype=np.int64),  # empty
    ],
    ids=[
        "right",
        "wrong",
        "one",
        "0-d",
        "column",
        "row",
        "short",
        "list",
        "objects",
        "float32",
        "empty",
    ],
)
@pytest.mark.parametrize("n", [1, 5, 100])
def test_batch_errors_shapes_and_kinds_as_the_one_ufunc(make_pred, n):
    rng = np.random.default_rng(n)
    y = rng.integers(0, 2, n)
    _check_same(make_pred(y), y)


def test_batch_errors_with_pandas_predictions():
    pd = pytest.importorskip("pandas")
    y = np.array([0, 1, 1, 0, 1])
    _check_same(pd.Series([0, 0, 1, 1, 1]), y)


class _ColumnModel(ClassifierMixin, BaseEstimator):
    """Predicts column 1 of X."""

    def fit(self, X, y, sample_weight=None):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return X[:, 1].astype(np.int64)

    def predict_proba(self, X):
        p = X[:, 1].astype(float)
        return np.column_stack([1.0 - p, p])


def _scripted(every, seen):
    """Retrains every ``every`` samples, reporting a change point now and then.

    A function policy: the replay copies the policy, not the function, so
    ``seen`` is the caller's list.
    """
    count = [0]

    def policy(state):
        seen.append(state)
        if state.samples_since_retrain < every:
            return RetrainDecision(retrain=False, reason="wait")
        count[0] += 1
        k = count[0]
        cp = None if k % 3 == 0 else max(0, state.labels_available - 150 * (k % 4))
        return RetrainDecision(retrain=True, reason=f"go {k}", change_point=cp)

    return policy


def _every_other_gate():
    """A gate passing every other challenger."""
    calls = [0]

    def passes(ctx):
        calls[0] += 1
        return calls[0] % 2 == 0

    return [FunctionGate(passes, name="every other")]


@pytest.mark.parametrize("gated", [False, True])
@pytest.mark.parametrize(("batch", "delay"), [(100, 0), (37, 120)])
def test_states_show_the_retrains_and_deployments_of_the_events(gated, batch, delay):
    gates = _every_other_gate() if gated else None
    rng = np.random.default_rng(batch + delay)
    n = 4000
    y = rng.integers(0, 2, n)
    # a long run of one class: some retrains are skipped (one class)
    y[1500:2300] = 1
    wrong = rng.random(n) < np.where(np.arange(n) < n // 2, 0.1, 0.4)
    X = np.column_stack([rng.normal(size=n), np.where(wrong, 1 - y, y).astype(float)])
    seen = []
    r = replay(
        X,
        y,
        _ColumnModel(),
        {"p": _scripted(400, seen)},
        batch_size=batch,
        label_delay=delay,
        initial_train_size=300,
        gates=gates,
        window=SinceLastDrift(200),
    )
    events = r["p"].events
    assert any(not e.fitted for e in events)  # a skipped retrain
    if gates is not None:
        assert any(e.fitted and not e.deployed for e in events)  # a rejected one
        assert any(e.deployed for e in events)
    snapshots = [
        (
            s.retrains,
            s.model_version,
            s.deployed_at,
            s.last_change_point,
            None if s.reference_X is None else s.reference_X.copy(),
        )
        for s in seen
    ]
    challenge = seen[0].challenge
    assert callable(challenge)
    reported, k = None, 0
    for state in seen:
        before = [e for e in events if e.step < state.step]
        fitted = [e for e in before if e.fitted]
        deployed = [e for e in fitted if e.deployed]
        assert state.retrains == len(fitted)
        assert state.model_version == len(deployed)
        assert state.deployed_at == (deployed[-1].step if deployed else 300)
        lo, hi = (deployed[-1].train_start, deployed[-1].train_stop) if deployed else (0, 300)
        assert np.array_equal(state.reference_X, X[max(lo, hi - 5000) : hi])
        assert state.challenge is challenge
        # the change point the decisions at earlier steps reported
        assert state.last_change_point == reported
        if state.samples_since_retrain >= 400:  # this state's decision retrained
            k += 1
            cp = None if k % 3 == 0 else max(0, state.labels_available - 150 * (k % 4))
            if cp is not None:
                reported = cp
    # states are snapshots: later retrains did not change the earlier ones
    for state, (rt, mv, dep, cp, ref) in zip(seen, snapshots, strict=True):
        assert (
            state.retrains,
            state.model_version,
            state.deployed_at,
            state.last_change_point,
        ) == (rt, mv, dep, cp)
        assert np.array_equal(state.reference_X, ref)
