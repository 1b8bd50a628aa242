"""replay with tables (pandas, polars, pyarrow), progress callbacks, joblib backends."""

from __future__ import annotations

from typing import ClassVar

import joblib
import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from mllifecycle.datasets import sea_stream
from mllifecycle.policies import (
    CostAware,
    LifecycleState,
    OnPerformanceDrop,
    Periodic,
    recommended,
)
from mllifecycle.replay import replay

COLUMNS = ["a", "b", "c"]


@pytest.fixture(scope="module")
def sea():
    return sea_stream(4000, noise=0.02, rng=3)


def strip(result):
    d = result.to_dict(detail=True)
    for p in d["policies"].values():
        p.pop("compute_seconds")
    return d


def make_table(kind, X, names=COLUMNS):
    cols = {n: X[:, j] for j, n in enumerate(names)}
    if kind == "pandas":
        pd = pytest.importorskip("pandas")
        return pd.DataFrame(cols)
    if kind == "polars":
        pl = pytest.importorskip("polars")
        return pl.DataFrame(cols)
    pa = pytest.importorskip("pyarrow")
    return pa.table(cols)


class NameSpy(ClassifierMixin, BaseEstimator):
    """Records the type and column names of every X it is given; predicts from column 'a'."""

    seen: ClassVar[list[tuple[str, tuple[str, ...], int]]] = []

    def fit(self, X, y):
        NameSpy.seen.append(("fit", _names(X), _n_rows(X)))
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        NameSpy.seen.append((type(X).__module__.split(".")[0], _names(X), _n_rows(X)))
        a = np.asarray(_column(X, "a"), dtype=float)
        return self.classes_[(a > 5).astype(int) % len(self.classes_)]


def _names(X):
    if hasattr(X, "column_names"):
        return tuple(X.column_names)
    return tuple(str(c) for c in X.columns)


def _n_rows(X):
    return X.num_rows if hasattr(X, "num_rows") else X.shape[0]


def _column(X, name):
    if hasattr(X, "column_names"):
        return X.column(name).to_numpy()
    return np.asarray(X[name])


def named_pipeline():
    # selects columns by name: fails on an ndarray
    ct = ColumnTransformer(
        [("num", StandardScaler(), ["a", "b"]), ("cat", OneHotEncoder(), ["grade"])]
    )
    return make_pipeline(ct, LogisticRegression(solver="newton-cholesky"))


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_model_gets_row_slices_of_the_same_table(sea, kind):
    table = make_table(kind, sea.X)
    NameSpy.seen = []
    replay(table, sea.y, NameSpy(), {"p": Periodic(every=1000)}, batch_size=500)
    fits = [s for s in NameSpy.seen if s[0] == "fit"]
    asks = [s for s in NameSpy.seen if s[0] != "fit"]
    assert [f[2] for f in fits] == [1000, 1000, 1000, 1000]  # initial + 3 retrains
    assert {s[0] for s in asks} == {kind}
    assert all(s[1] == tuple(COLUMNS) for s in NameSpy.seen)
    assert sum(s[2] for s in asks) == 3000


@pytest.mark.parametrize("kind", ["pandas", "polars"])
def test_numeric_table_gives_the_array_result(sea, kind):
    """Same numbers as a table or as the array it holds (features to the states too)."""
    policies = {"p": Periodic(every=700), "perf": OnPerformanceDrop(0.02, min_samples=200)}
    model = DecisionTreeClassifier(max_depth=4, random_state=0)
    seen = []

    def spy(state: LifecycleState) -> bool:
        seen.append((state.current_X.copy(), state.reference_X.copy()))
        return False

    a = replay(sea.X, sea.y, model, {**policies, "spy": spy}, label_delay=150)
    n_array = len(seen)
    b = replay(make_table(kind, sea.X), sea.y, model, {**policies, "spy": spy}, label_delay=150)
    assert strip(a) == strip(b)
    assert len(seen) == 2 * n_array
    for (cx, rx), (cx2, rx2) in zip(seen[:n_array], seen[n_array:], strict=True):
        np.testing.assert_array_equal(cx, cx2)
        np.testing.assert_array_equal(rx, rx2)


@pytest.mark.parametrize("kind", ["pandas", "polars"])
def test_column_transformer_by_name(sea, kind):
    """A pipeline selecting columns by name (one of them text) replays on a table."""
    rng = np.random.default_rng(0)
    grade = rng.choice(["lo", "hi"], size=sea.X.shape[0])
    cols = {"a": sea.X[:, 0], "b": sea.X[:, 1], "grade": grade}
    if kind == "pandas":
        pd = pytest.importorskip("pandas")
        table = pd.DataFrame(cols)
        y = pd.Series(sea.y, name="label")
    else:
        pl = pytest.importorskip("polars")
        table = pl.DataFrame(cols)
        y = pl.Series("label", sea.y)
    states = []

    def spy(state):
        states.append(state)
        return False

    r = replay(table, y, named_pipeline(), {"p": Periodic(every=1000), "spy": spy})
    assert r["p"].retrains == 3
    assert 0.6 < r["p"].accuracy <= 1.0
    # a text column: the states show the table's values as an object array
    # (text kept), which a batch drift test reads; None left OnDrift blind
    first = states[0]
    assert first.current_X.dtype == object
    assert first.current_X.shape == (100, 3)
    assert list(first.current_X[:, 2]) == list(grade[1000:1100])
    np.testing.assert_array_equal(first.current_X[:, :2].astype(float), sea.X[1000:1100, :2])
    assert first.reference_X.shape == (1000, 3)
    assert not first.current_X.flags.writeable
    # the same pipeline on the bare array cannot select by name
    with pytest.raises((ValueError, TypeError, KeyError, AttributeError)):
        replay(sea.X, sea.y, named_pipeline(), {"p": Periodic(every=1000)})


def test_table_length_mismatch_is_refused(sea):
    pd = pytest.importorskip("pandas")
    from mllifecycle.exceptions import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="'y'"):
        replay(
            pd.DataFrame(sea.X, columns=COLUMNS), sea.y[:-1], NameSpy(), {"p": Periodic(every=500)}
        )


def test_dataframe_with_repeated_column_names_is_refused(sea):
    """A repeated name makes a by-name pipeline ambiguous; it was a raw narwhals
    DuplicateError from inside scikit-learn, now our error naming X."""
    pd = pytest.importorskip("pandas")
    from mllifecycle.exceptions import InvalidParameterError

    frame = pd.DataFrame(sea.X, columns=["a", "a", "b"][: sea.X.shape[1]])
    with pytest.raises(InvalidParameterError, match=r"'X' parameter of replay .*unique column"):
        replay(frame, sea.y, NameSpy(), {"p": Periodic(every=500)})
    numbered = pd.DataFrame(sea.X, columns=[1, "1", "z"][: sea.X.shape[1]])
    with pytest.raises(InvalidParameterError, match=r"column name '1' repeated \(as 1 and '1'\)"):
        replay(numbered, sea.y, NameSpy(), {"p": Periodic(every=500)})


# ---- progress ---------------------------------------------------------------


def test_progress_callback_serial(sea):
    calls = []
    replay(
        sea.X,
        sea.y,
        LogisticRegression(solver="newton-cholesky"),
        {"p": Periodic(every=1000), "never": lambda s: False},
        batch_size=250,
        progress=lambda done, total: calls.append((done, total)),
    )
    n_batches = 3000 // 250
    assert calls == [(k, 2 * n_batches) for k in range(1, 2 * n_batches + 1)]


# threads: the callback counts are the same on any backend (the loky fan-out is
# checked below; starting its workers costs seconds)
@pytest.mark.parametrize("backend", ["threading"])
def test_progress_callback_parallel(sea, backend):
    calls = []
    policies = {"p": Periodic(every=1000), "q": Periodic(every=1500), "r": CostAware(horizon=2000)}
    with joblib.parallel_backend(backend, n_jobs=2):
        replay(
            sea.X,
            sea.y,
            LogisticRegression(solver="newton-cholesky"),
            policies,
            batch_size=300,
            n_jobs=2,
            progress=lambda done, total: calls.append((done, total)),
        )
    n_batches = -(-3000 // 300)
    # one call per policy as it completes, in steps of its batches, ending at the total
    assert calls == [(k * n_batches, 3 * n_batches) for k in (1, 2, 3)]


# ---- joblib backends --------------------------------------------------------


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_parallel_backends_equal_serial(sea, backend):
    policies = {
        "never": lambda s: False,
        "periodic": Periodic(every=700),
        "recommended": recommended(),
        "perf": OnPerformanceDrop(0.02, min_samples=300),
        "cost": CostAware(horizon=3000),
    }
    if backend == "loky":  # lambdas do not pickle with every backend: keep it to named ones
        policies.pop("never")
    model = DecisionTreeClassifier(max_depth=5, random_state=0)
    serial = replay(sea.X, sea.y, model, policies, label_delay=200)
    with joblib.parallel_backend(backend):
        parallel = replay(sea.X, sea.y, model, policies, label_delay=200, n_jobs=2)
    assert strip(serial) == strip(parallel)
    assert list(parallel.runs) == list(policies)
    for name in policies:
        np.testing.assert_array_equal(serial[name].batch_accuracy, parallel[name].batch_accuracy)


def test_parallel_uses_the_active_backend(sea, monkeypatch):
    """The fan-out goes through joblib.Parallel with no backend of its own."""
    import joblib.parallel as jp

    used = []
    original = jp.Parallel.__call__

    def spy(self, iterable):
        used.append(type(self._backend).__name__)
        return original(self, iterable)

    monkeypatch.setattr(jp.Parallel, "__call__", spy)
    with joblib.parallel_backend("threading"):
        replay(
            sea.X,
            sea.y,
            LogisticRegression(),
            {"a": Periodic(every=900), "b": Periodic(every=1300)},
            n_jobs=2,
        )
    assert used == ["ThreadingBackend"]


# ---- the states the replay builds -------------------------------------------


def test_states_are_valid_lifecycle_states(sea):
    """Every state the replay builds passes the checked constructor unchanged."""
    import attrs

    ts = np.cumsum(np.full(sea.X.shape[0], 2.0))
    states = []

    def spy(state):
        states.append(state)
        return False

    replay(
        sea.X,
        sea.y,
        LogisticRegression(),
        {"spy": spy, "p": Periodic(every=800)},
        timestamps=ts,
        label_delay=130,
    )
    assert states
    for s in states:
        rebuilt = LifecycleState(
            **{f.name: getattr(s, f.name) for f in attrs.fields(LifecycleState)}
        )
        assert rebuilt.to_dict() == s.to_dict()
        assert type(s.step) is int
        assert type(s.cost) is float
    assert states[3].time_since_retrain == 2.0 * states[3].samples_since_retrain
