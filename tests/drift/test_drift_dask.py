"""Drift on Dask collections, run on a real ``distributed.LocalCluster`` (2 worker processes)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

from mllifecycle.drift import Reference, detect

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def _frames(seed: int = 0) -> tuple[Any, Any]:
    rng = np.random.default_rng(seed)
    n, m = 3000, 1100
    ref = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.integers(0, 40, size=n).astype(float),
            "c": rng.choice(list("wxyz"), size=n),
            "d": rng.exponential(size=n),
        }
    )
    cur = pd.DataFrame(
        {
            "a": rng.normal(0.25, size=m),
            "b": rng.integers(0, 40, size=m).astype(float),
            "c": rng.choice(list("wxyz"), size=m, p=[0.4, 0.2, 0.2, 0.2]),
            "d": rng.exponential(size=m),
        }
    )
    return ref, cur


EXACT_TESTS: list[Any] = [
    "auto",
    "cramer_von_mises",
    {"a": "psi", "b": "jensen_shannon", "c": "hellinger", "d": "anderson_darling"},
]


@pytest.mark.parametrize("tests", EXACT_TESTS)
def test_exact_mode_equals_in_memory(client: Any, tests: Any) -> None:
    ref, cur = _frames()
    dref, dcur = dd.from_pandas(ref, npartitions=4), dd.from_pandas(cur, npartitions=3)
    want = Reference.fit(ref, tests=tests).compare(cur, rng=3).to_dict()
    got = Reference.fit(dref, tests=tests, sketch=False).compare(dcur, rng=3).to_dict()
    assert got == want
    if tests != "auto":
        return
    # detect: a sketch for KS columns (exact here: few values per partition)
    assert _values(detect(dref, dcur, tests=tests, rng=3)) == _values(
        detect(ref, cur, tests=tests, rng=3)
    )


def _values(report: Any) -> list[tuple[Any, ...]]:
    return [
        (f.name, f.test, f.statistic, f.p_value, f.adjusted_p_value, f.drift_detected)
        for f in report.features
    ]


def test_merged_profile_is_the_in_memory_profile(client: Any) -> None:
    ref, _ = _frames(1)
    got = Reference.fit(dd.from_pandas(ref, npartitions=5), sketch=False)
    want = Reference.fit(ref)
    assert got.n_reference == want.n_reference
    for nm in ref.columns:
        np.testing.assert_array_equal(got.reference_column(nm), want.reference_column(nm))


def test_sketch_mode_categorical_counts_exact_and_ks_within_bound(client: Any) -> None:
    ref, cur = _frames(2)
    dref, dcur = dd.from_pandas(ref, npartitions=4), dd.from_pandas(cur, npartitions=3)
    for test in ("chi_square", "psi", "jensen_shannon", "hellinger"):
        sk = Reference.fit(dref, tests={"c": test}, sketch=64).compare(dcur, rng=1)
        exact = Reference.fit(ref, tests={"c": test}).compare(cur, rng=1)
        assert sk["c"].result.to_dict() == exact["c"].result.to_dict()
    for nm in ("a", "d"):
        res = sk[nm].result
        ex = stats.ks_2samp(ref[nm], cur[nm])
        assert res.details["sketch_error"] > 0
        assert res.details["statistic_low"] <= ex.statistic <= res.details["statistic_high"]
        assert res.p_value >= ex.pvalue * (1 - 1e-9)
    # few distinct values per partition: the sketch is exact
    assert sk["b"].result.details["sketch_error"] == 0.0
    assert sk["b"].statistic == pytest.approx(stats.ks_2samp(ref["b"], cur["b"]).statistic)


def test_auto_sketch_is_exact_on_small_data_and_detect_agrees(client: Any) -> None:
    ref, cur = _frames(3)
    dref, dcur = dd.from_pandas(ref, npartitions=4), dd.from_pandas(cur, npartitions=2)
    fitted = Reference.fit(dref)
    assert fitted.sketch == 65536
    assert fitted.sketch_error == 0.0
    rep = fitted.compare(dcur, rng=0)
    assert detect(dref, dcur, rng=0).to_dict() == rep.to_dict()
    # in-memory current against the distributed sketch: same report
    assert fitted.compare(cur, rng=0).to_dict() == rep.to_dict()
    for nm in ("a", "b", "d"):
        assert rep[nm].p_value == pytest.approx(stats.ks_2samp(ref[nm], cur[nm]).pvalue, rel=1e-9)
    # another test named: auto is exact
    assert Reference.fit(dref, tests={"a": "wasserstein"}).sketch is None


def test_dask_array_and_pyarrow_backed_parquet(client: Any, tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(2000, 3)), rng.normal(size=(700, 3))
    Y[:, 2] += 0.3
    dX = da.from_array(X, chunks=(500, 2))
    dY = da.from_array(Y, chunks=(300, 3))
    assert detect(dX, dY).to_dict() == Reference.fit(X, sketch=True).compare(Y).to_dict()
    assert detect(dX, dY).drifted == ["x2"]
    ref, cur = _frames(5)
    ref.to_parquet(tmp_path / "ref.parquet")
    pref = dd.read_parquet(tmp_path / "ref.parquet", dtype_backend="pyarrow")
    got = Reference.fit(pref, sketch=False).compare(cur, rng=2)
    assert got.to_dict() == Reference.fit(ref).compare(cur, rng=2).to_dict()


def test_empty_partitions_are_skipped(client: Any) -> None:
    ref, cur = _frames(6)
    dref = dd.from_pandas(ref, npartitions=6)
    filt = dref.map_partitions(lambda p: p[p.index >= 1500])  # the first ones empty
    want = Reference.fit(ref.iloc[1500:]).compare(cur, rng=0).to_dict()
    assert Reference.fit(filt, sketch=False).compare(cur, rng=0).to_dict() == want


def test_errors(client: Any) -> None:
    ref, cur = _frames(7)
    dref = dd.from_pandas(ref, npartitions=2)
    with pytest.raises(ValueError, match="2-D Dask array"):
        Reference.fit(da.ones(10, chunks=5))
    with pytest.raises(ValueError, match="column"):
        Reference.fit(dref).compare(dd.from_pandas(cur[["a", "b"]], npartitions=2))
    with pytest.raises(ValueError, match="columns"):
        Reference.fit(dref).compare(dd.from_pandas(cur.rename(columns={"a": "q"}), npartitions=2))
    bad = ref.copy()
    bad.loc[5, "a"] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        Reference.fit(dd.from_pandas(bad, npartitions=2))
    with pytest.raises(ValueError, match="at least 2"):
        Reference.fit(dref.map_partitions(lambda p: p.iloc[:0]))


def test_replay_on_the_dask_joblib_backend_equals_serial(client: Any) -> None:
    joblib = pytest.importorskip("joblib")
    from sklearn.linear_model import LogisticRegression

    from mllifecycle.datasets import sea_stream
    from mllifecycle.policies import Periodic
    from mllifecycle.replay import replay

    s = sea_stream(3000, noise=0.05, rng=0)
    pols = {"never": lambda state: False, "p500": Periodic(every=500), "p900": Periodic(every=900)}
    est = LogisticRegression(solver="newton-cholesky")
    serial = replay(s.X, s.y, est, pols)
    with joblib.parallel_backend("dask"):
        dist = replay(s.X, s.y, est, pols, n_jobs=2)

    def same(r: Any) -> dict[str, Any]:
        return {
            nm: (run.accuracy, run.errors, run.retrains, run.events, run.labels, run.cost,
                 run.batch_ends.tolist(), run.batch_accuracy.tolist())
            for nm, run in r.runs.items()
        }  # fmt: skip

    assert same(dist) == same(serial)


def test_policy_select_on_the_dask_joblib_backend_equals_serial(client: Any) -> None:
    joblib = pytest.importorskip("joblib")
    from sklearn.linear_model import LogisticRegression

    from mllifecycle.datasets import sea_stream
    from mllifecycle.policies import Periodic, select

    s = sea_stream(2500, noise=0.05, rng=1)
    cands = {"never": lambda state: False, "p400": Periodic(every=400)}
    est = LogisticRegression(solver="newton-cholesky")
    serial = select(s.X, s.y, est, cands, retrain_cost=5.0)
    with joblib.parallel_backend("dask"):
        dist = select(s.X, s.y, est, cands, retrain_cost=5.0, n_jobs=2)

    def rows(sel: Any) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if "seconds" not in k} for r in sel.table]

    assert dist.best == serial.best
    assert rows(dist) == rows(serial)


def _resampling_functions() -> list[tuple[str, Any]]:
    import inspect

    from mllifecycle import drift, gates

    out = []
    for mod in (drift, gates):
        for name in mod.__all__:
            fn = getattr(mod, name)
            if isinstance(fn, type) or not callable(fn):
                continue
            params = inspect.signature(fn).parameters
            if "n_resamples" in params and "rng" in params:
                out.append((name, fn))
    return out


RESAMPLING = _resampling_functions()


@pytest.mark.parametrize(("name", "fn"), RESAMPLING, ids=[n for n, _ in RESAMPLING])
def test_resamples_split_on_the_dask_backend_equal_serial(client: Any, name: str, fn: Any) -> None:
    """Once a resampling function takes n_jobs, its workers' streams reproduce serial."""
    import inspect

    joblib = pytest.importorskip("joblib")
    if "n_jobs" not in inspect.signature(fn).parameters:
        pytest.skip(f"{name} has no n_jobs yet")
    rng = np.random.default_rng(0)
    kw: dict[str, Any] = {}
    if name in ("paired_bootstrap", "paired_permutation"):
        y = rng.integers(0, 2, size=300)
        flip = [np.where(rng.random(300) < q, y, 1 - y) for q in (0.8, 0.75)]
        args: tuple[Any, ...] = (y, *flip)
        kw["metric"] = "accuracy"
    elif name == "delong":
        y = rng.integers(0, 2, size=300)
        args = (y, y + rng.normal(size=300), y + rng.normal(size=300) * 1.2)
    elif name == "chi_square":
        args = (rng.choice(list("abc"), 300), rng.choice(list("abc"), 200))
    elif name in ("mmd", "energy"):
        args = (rng.normal(size=(150, 2)), rng.normal(0.2, size=(120, 2)))
    else:
        args = (rng.normal(size=300), rng.normal(0.1, size=200))
    try:
        serial = fn(*args, n_resamples=199, rng=5, n_jobs=1, **kw)
    except (TypeError, ValueError) as exc:  # pragma: no cover - a signature this test misreads
        pytest.skip(f"{name}: {exc}")
    with joblib.parallel_backend("dask"):
        dist = fn(*args, n_resamples=199, rng=5, n_jobs=2, **kw)
    assert dist.to_dict() == serial.to_dict()


def test_import_does_not_load_dask() -> None:
    code = (
        "import sys, numpy as np, mllifecycle.drift as d;"
        "d.detect(np.ones((5, 2)) + np.arange(5)[:, None], np.ones((5, 2)));"
        "print('dask' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
