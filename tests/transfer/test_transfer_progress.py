"""progress= on every long operation of transfer: callbacks see every step, bad values fail."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.tree import DecisionTreeClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import finetune, importance_weights, progressive, transfer_gain


def _task(rng, n, shift=0.0):
    X = rng.normal(shift, 1.0, size=(n, 3))
    return X, (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)


def _recorder():
    seen: list[tuple[int, int]] = []
    return seen, lambda done, total: seen.append((done, total))


def assert_complete(seen, total):
    assert seen, "the callback was never called"
    assert [d for d, _ in seen] == list(range(1, total + 1))
    assert {t for _, t in seen} == {total}


@pytest.mark.parametrize(
    ("strategy", "estimator", "kw", "total"),
    [
        # 5 candidate weights (0, 0.3x, 3x, 30x, 1 per row) x cv=3 folds, then the final fit
        ("weighted", LogisticRegression(), {"cv": 3}, 5 * 3 + 1),
        ("weighted", LogisticRegression(), {"source_weight": 0.5}, 1),
        ("partial_fit", SGDClassifier(), {"source_epochs": 2, "target_epochs": 3}, 5),
        ("warm_start", DecisionTreeClassifier(), {}, 2),
        ("stacked", LogisticRegression(), {}, 2),
    ],
)
def test_finetune_reports_every_fit(strategy, estimator, kw, total):
    rng = np.random.default_rng(0)
    seen, cb = _recorder()
    if strategy == "warm_start":
        from sklearn.ensemble import RandomForestClassifier

        estimator = RandomForestClassifier(n_estimators=3)
    # 2000 source rows, 60 target rows: the five candidate weights are distinct
    finetune(estimator, _task(rng, 2000), _task(rng, 60, 0.3), strategy=strategy,
             rng=0, progress=cb, **kw)
    assert_complete(seen, total)


def test_finetune_progress_does_not_change_the_model():
    rng = np.random.default_rng(1)
    src, tgt = _task(rng, 300), _task(rng, 50, 0.2)
    a = finetune(LogisticRegression(), src, tgt, cv=3, rng=0)
    b = finetune(LogisticRegression(), src, tgt, cv=3, rng=0, progress=lambda d, t: None)
    assert a.source_weight == b.source_weight
    assert np.array_equal(a.model.coef_, b.model.coef_)


def test_progressive_reports_each_stage():
    rng = np.random.default_rng(2)
    seen, cb = _recorder()
    progressive(LogisticRegression(), [_task(rng, 300), _task(rng, 80), _task(rng, 40)],
                validation=_task(rng, 100), source_weight=1.0, rng=0, progress=cb)
    assert_complete(seen, 3)


def test_kmm_reports_solver_iterations_up_to_max_iter():
    rng = np.random.default_rng(3)
    seen, cb = _recorder()
    importance_weights(rng.normal(size=(80, 2)), rng.normal(0.5, 1, size=(60, 2)),
                       method="kmm", max_iter=30, rng=0, progress=cb)
    assert_complete(seen, 30)


def test_transfer_gain_reports_each_split():
    rng = np.random.default_rng(4)
    seen, cb = _recorder()
    transfer_gain(LogisticRegression(), _task(rng, 200), _task(rng, 60, 0.2), cv=3,
                  n_repeats=2, finetune_params={"source_weight": 1.0}, rng=0, progress=cb)
    assert seen[-1][0] == seen[-1][1] == 6


@pytest.mark.parametrize(
    ("fn", "args", "kw"),
    [
        (finetune, "ft", {}),
        (progressive, "pr", {}),
        (importance_weights, "iw", {"method": "kmm"}),
    ],
)
@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_bad_progress_is_refused_naming_it(fn, args, kw, bad):
    rng = np.random.default_rng(5)
    data = {
        "ft": (LogisticRegression(), _task(rng, 50), _task(rng, 20)),
        "pr": (LogisticRegression(), [_task(rng, 50)]),
        "iw": (rng.normal(size=(20, 2)), rng.normal(size=(20, 2))),
    }[args]
    if args == "pr":
        kw = {**kw, "validation": _task(rng, 20)}
    with pytest.raises(InvalidParameterError, match=r"'progress' parameter of \w+ must be"):
        fn(*data, progress=bad, **kw)
