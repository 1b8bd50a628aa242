"""TwoTier pairs pandas y, keys and sample_weight with X by row label.

A ``y`` (or ``keys``, ``sample_weight``) sorted by index next to a shuffled
``X`` was read by position: the global and local tiers learned, and ``score``
judged, mismatched rows with exit 0 (accuracy 0.92 -> 0.5).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, SGDClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

pd = pytest.importorskip("pandas")

N = 120


def _data():
    rng = np.random.default_rng(0)
    index = [f"r{i:03d}" for i in range(N)]
    X = pd.DataFrame(rng.normal(size=(N, 3)), columns=list("abc"), index=index)
    y = pd.Series((X["a"] + 0.3 * rng.normal(size=N) > 0).astype(int), index=index)
    keys = pd.Series(np.where(X["b"] > 0, "k1", "k2"), index=index)
    w = pd.Series(rng.uniform(0.5, 2.0, N), index=index)
    perm = rng.permutation(N)
    return X.iloc[perm], y, keys, w  # X shuffled; y, keys, weights in sorted order


def _run(X, y, keys, w, local="bias"):
    est = LogisticRegression() if local == "bias" else SGDClassifier(loss="log_loss",
                                                                      random_state=0)
    m = TwoTier(est, local=local).fit(X.iloc[:60] if hasattr(X, "iloc") else X[:60],
                                      y.iloc[:60] if hasattr(y, "iloc") else y[:60])
    half = slice(60, None)

    def part(v):
        return v.iloc[half] if hasattr(v, "iloc") else v[half]

    m.partial_fit(part(X), part(y), part(keys))
    return {
        "proba": m.predict_proba(X, keys),
        "score": m.score(X, y, sample_weight=w, keys=keys),
        "global": m.global_model_.predict_proba(np.asarray(X)),
    }


def _same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


def _aligned(X, y, keys, w):
    return y.loc[X.index], keys.loc[X.index], w.loc[X.index]


@pytest.mark.parametrize("local", ["bias", "partial_fit"])
def test_sorted_y_keys_weights_matched_to_shuffled_x(local):
    X, y, keys, w = _data()
    ya, ka, wa = _aligned(X, y, keys, w)
    # X shuffled, the rest sorted: every row-aligned argument matched by label
    fit_rows = X.index[:60]
    got_y = pd.concat([ya.loc[fit_rows].sort_index(), ya.iloc[60:].sort_index()])
    got_k = pd.concat([ka.loc[fit_rows], ka.iloc[60:].sort_index()])
    _same(_run(X, got_y, got_k, w.sort_index(), local), _run(X, ya, ka, wa, local))
    # each argument on its own
    for args in [(y.sort_index(), ka, wa), (ya, keys.sort_index(), wa), (ya, ka, w)]:
        m = TwoTier(LogisticRegression()).fit(X, args[0], args[1])
        ref = TwoTier(LogisticRegression()).fit(X, ya, ka)
        np.testing.assert_array_equal(m.predict_proba(X, args[1]), ref.predict_proba(X, ka))
        assert m.score(X, args[0], sample_weight=args[2], keys=args[1]) == ref.score(
            X, ya, sample_weight=wa, keys=ka)


def test_sorted_y_score_is_the_aligned_score():
    X, y, keys, _ = _data()
    m = TwoTier(LogisticRegression()).fit(X, y.loc[X.index], keys.loc[X.index])
    aligned = m.score(X, y.loc[X.index], keys=keys.loc[X.index])
    assert aligned > 0.85
    assert m.score(X, y.sort_index(), keys=keys.sort_index()) == aligned


@pytest.mark.parametrize("arg", ["y", "keys", "sample_weight"])
@pytest.mark.parametrize("method", ["fit", "partial_fit", "predict_proba", "score"])
def test_default_index_in_another_order_refused(arg, method):
    X, y, keys, w = _data()
    ya, ka, wa = _aligned(X, y, keys, w)
    X = X.reset_index(drop=True)
    perm = np.random.default_rng(1).permutation(N)
    given = {"y": ya, "keys": ka, "sample_weight": wa}
    given = {k: pd.Series(v.to_numpy(), index=X.index) for k, v in given.items()}
    given[arg] = pd.Series(given[arg].to_numpy(), index=perm)
    m = TwoTier(LogisticRegression()).fit(X.to_numpy(), ya.to_numpy())
    calls = {
        "fit": lambda: m.fit(X, given["y"], given["keys"]),
        "partial_fit": lambda: m.partial_fit(X, given["y"], given["keys"]),
        "predict_proba": lambda: m.predict_proba(X, given["keys"]),
        "score": lambda: m.score(X, given["y"], sample_weight=given["sample_weight"],
                                 keys=given["keys"]),
    }
    takes = {"fit": ("y", "keys"), "partial_fit": ("y", "keys"),
             "predict_proba": ("keys",), "score": ("y", "keys", "sample_weight")}
    if arg not in takes[method]:
        pytest.skip(f"{method} takes no {arg}")
    with pytest.raises(InvalidParameterError, match=f"'{arg}' parameter of TwoTier"):
        calls[method]()


@pytest.mark.parametrize("local", ["bias", "partial_fit"])
def test_arrays_and_aligned_pandas_unchanged(local):
    X, y, keys, w = _data()
    ya, ka, wa = _aligned(X, y, keys, w)
    a = _run(X, ya, ka, wa, local)
    b = _run(X.to_numpy(), ya.to_numpy(), ka.to_numpy(), wa.to_numpy(), local)
    assert a["score"] == b["score"]
    # a table reaches the model in column-major order: the last bit may differ
    # (as before the row pairing)
    np.testing.assert_allclose(a["proba"], b["proba"], rtol=1e-12, atol=1e-15)
