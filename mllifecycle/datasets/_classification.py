"""Seeded drifting classification streams with known change points (for replay)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import html_table
from mllifecycle._validation import (
    RNGLike,
    check_int,
    check_option,
    check_probability,
    check_rng,
    check_scalar,
    described,
    fail,
)

__all__ = [
    "ClassificationStream",
    "sea_stream",
    "hyperplane_stream",
    "agrawal_stream",
    "gaussian_stream",
]


_ARRAY_EQ = attrs.cmp_using(eq=np.array_equal)


@attrs.frozen(kw_only=True)
class ClassificationStream:
    """A drifting classification stream with its known change points.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Features, in stream order.
    y : ndarray of shape (n_samples,)
        Integer class labels (noise included).
    change_points : tuple of int
        Positions where a new concept starts (the first sample of each).
    timestamps : ndarray of shape (n_samples,)
        One time unit per sample (``0, 1, 2, ...``).
    name : str
        Generator name.
    concepts : tuple of str
        Description of each concept, in order.
    feature_names : tuple of str
        Column names.
    concept : ndarray of shape (n_samples,), optional
        Index of the concept each sample was drawn from, when it is not the
        segment of ``change_points`` it lies in (gradual changes); default:
        that segment.

    Examples
    --------
    >>> from mllifecycle.datasets import sea_stream
    >>> s = sea_stream(4000, rng=0)
    >>> s.X.shape, s.change_points
    ((4000, 3), (1000, 2000, 3000))
    """

    # the data take part in ==, compared as arrays (two streams differing only
    # in their rows compared equal); hashing keeps to the other fields, which
    # equal streams share
    X: npt.NDArray[np.float64] = attrs.field(eq=_ARRAY_EQ, hash=False, repr=False)
    y: npt.NDArray[np.int64] = attrs.field(eq=_ARRAY_EQ, hash=False, repr=False)
    change_points: tuple[int, ...]
    timestamps: npt.NDArray[np.float64] = attrs.field(eq=_ARRAY_EQ, hash=False, repr=False)
    name: str
    concepts: tuple[str, ...]
    feature_names: tuple[str, ...]
    # the concept each sample was drawn from: with gradual_width, samples around
    # a change point come from either concept, so the segment is not the concept
    _concept: npt.NDArray[np.intp] | None = attrs.field(
        default=None, eq=_ARRAY_EQ, hash=False, repr=False, alias="concept"
    )

    @property
    def n_samples(self) -> int:
        """Number of samples."""
        return int(self.X.shape[0])

    @property
    def concept(self) -> npt.NDArray[np.intp]:
        """Index of the concept each sample was drawn from.

        Under a gradual change (``gradual_width``) samples near a change point
        come from either concept, as drawn; otherwise the segment of
        ``change_points`` each sample lies in.
        """
        if self._concept is not None:
            return self._concept
        return np.searchsorted(
            np.asarray(self.change_points, dtype=np.intp),
            np.arange(self.n_samples),
            side="right",
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe summary (not the data)."""
        return {
            "name": self.name,
            "n_samples": self.n_samples,
            "n_features": int(self.X.shape[1]),
            "change_points": list(self.change_points),
            "concepts": list(self.concepts),
            "class_balance": float(np.mean(self.y == 1)),  # share of class 1 (0/1 labels)
        }

    def _repr_html_(self) -> str:
        rows = [[k, str(v)] for k, v in self.to_dict().items()]
        return html_table(rows, ["field", "value"], caption="ClassificationStream")


def _items(values: Any, name: str, expected: str, caller: str) -> list[Any]:
    """Return the items of a sequence or 1-D array; raise naming ``name`` for a scalar."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        fail(name, expected, values, caller)  # a bare TypeError from the loop
    return list(values)


def _change_points(
    change_points: Sequence[int] | None, n_concepts: int, n: int, caller: str
) -> tuple[int, ...]:
    if change_points is None:
        if n < n_concepts:
            # equal segments need a sample per concept: fewer would give
            # change points 0, n or repeated ones (concepts that never occur)
            fail(
                "n_samples",
                f"at least {n_concepts} (one sample per concept) when "
                "change_points is not given",
                n,
                caller,
            )
        return tuple(round(n * k / n_concepts) for k in range(1, n_concepts))
    cps = [
        check_int(c, "change_points", caller=caller, low=1, high=n - 1)
        for c in _items(change_points, "change_points", "a sequence of int positions", caller)
    ]
    if any(b <= a for a, b in itertools.pairwise(cps)):
        fail(
            "change_points",
            "strictly increasing positions",
            list(change_points),
            caller,
        )
    return tuple(cps)


def _flip(y: npt.NDArray[np.int64], noise: float, rng: np.random.Generator) -> None:
    if noise > 0:
        y[rng.random(y.shape[0]) < noise] ^= 1


def _segments(
    n: int,
    cps: tuple[int, ...],
    width: int = 0,
    rng: np.random.Generator | None = None,
) -> npt.NDArray[np.intp]:
    """Concept index of each sample; with ``width``, gradual changes.

    A gradual change at ``c`` draws each sample in ``[c - width/2, c + width/2)``
    from the new concept with a probability rising linearly from 0 to 1
    (Minku et al.'s gradual drift); ``c`` is the middle of the transition.
    """
    seg = np.searchsorted(np.asarray(cps, dtype=np.intp), np.arange(n), side="right")
    if width > 0 and rng is not None:
        u = rng.random(n)
        for i, c in enumerate(cps, start=1):
            lo, hi = max(c - width // 2, 0), min(c - width // 2 + width, n)
            t = np.arange(lo, hi)
            p_new = (t - (c - width // 2) + 0.5) / width
            seg[lo:hi] = np.where(u[lo:hi] < p_new, i, i - 1)
    return seg


def _check_width(width: Any, cps: tuple[int, ...], n: int, caller: str) -> int:
    w = check_int(width, "gradual_width", caller=caller, low=0)
    bounds = (0, *cps, n)
    if w and min(b - a for a, b in itertools.pairwise(bounds)) < w:
        fail(
            "gradual_width",
            "no longer than the shortest concept segment",
            described(f"{w} with change points {list(cps)} in {n} samples"),
            caller,
        )
    return w


def _finish(
    X: npt.NDArray[np.float64],
    y: npt.NDArray[np.int64],
    cps: tuple[int, ...],
    name: str,
    concepts: Sequence[str],
    features: Sequence[str],
    concept: npt.NDArray[np.intp] | None = None,
) -> ClassificationStream:
    X.setflags(write=False)
    y.setflags(write=False)
    if concept is not None:
        concept = np.asarray(concept, dtype=np.intp)
        concept.setflags(write=False)
    ts = np.arange(X.shape[0], dtype=np.float64)
    ts.setflags(write=False)
    return ClassificationStream(
        X=X,
        y=y,
        change_points=cps,
        timestamps=ts,
        name=name,
        concepts=tuple(concepts),
        feature_names=tuple(features),
        concept=concept,
    )


def sea_stream(
    n_samples: int = 20_000,
    *,
    thresholds: Sequence[float] = (8.0, 9.0, 7.0, 9.5),
    change_points: Sequence[int] | None = None,
    gradual_width: int = 0,
    noise: float = 0.1,
    rng: RNGLike = None,
) -> ClassificationStream:
    """SEA concepts: ``y = x0 + x1 > threshold``, the threshold jumping at each change.

    Three features uniform on [0, 10]; only the first two matter. Each
    concept has its own threshold (the classic four are 8, 9, 7 and 9.5);
    a fraction ``noise`` of labels is flipped. The labelling rule is River's
    ``SEA`` (``x0 + x1 > threshold`` is class 1).

    Parameters
    ----------
    n_samples : int, default=20000
        Stream length.
    thresholds : sequence of float, default=(8, 9, 7, 9.5)
        One threshold per concept.
    change_points : sequence of int, optional
        Where each concept after the first starts (default: equal segments).
    gradual_width : int, default=0
        Width of each change: 0 for abrupt changes; otherwise the samples in
        a window of this width centred on each change point come from the
        new concept with a probability rising linearly from 0 to 1.
    noise : float, default=0.1
        Probability of flipping a label.
    rng : int, Generator or None
        Seed.

    Returns
    -------
    ClassificationStream

    References
    ----------
    .. [1] W. N. Street and Y. Kim, "A streaming ensemble algorithm (SEA) for
       large-scale classification", KDD 2001.

    Examples
    --------
    >>> from mllifecycle.datasets import sea_stream
    >>> s = sea_stream(10_000, noise=0.0, rng=0)
    >>> bool(((s.X[:2500, 0] + s.X[:2500, 1] > 8) == s.y[:2500]).all())
    True
    """
    caller = "sea_stream"
    n = check_int(n_samples, "n_samples", caller=caller, low=2)
    th = [
        check_scalar(t, "thresholds", caller=caller)
        for t in _items(thresholds, "thresholds", "a sequence of floats, one per concept", caller)
    ]
    if not th:
        fail("thresholds", "at least one threshold", thresholds, caller)
    cps = _change_points(change_points, len(th), n, caller)
    if len(cps) != len(th) - 1:
        fail(
            "change_points",
            f"{len(th) - 1} position(s), one fewer than the thresholds",
            described(f"{len(cps)} position(s)"),
            caller,
        )
    width = _check_width(gradual_width, cps, n, caller)
    noise = check_probability(noise, "noise", caller)
    gen = check_rng(rng, caller=caller)
    X = gen.uniform(0.0, 10.0, size=(n, 3))
    seg = _segments(n, cps, width, gen)
    theta = np.asarray(th)[seg]
    y = (X[:, 0] + X[:, 1] > theta).astype(np.int64)
    _flip(y, noise, gen)
    return _finish(
        X, y, cps, "sea", [f"x0 + x1 > {t:g}" for t in th], ["x0", "x1", "x2"],
        seg if width else None,
    )


def hyperplane_stream(
    n_samples: int = 20_000,
    *,
    n_features: int = 10,
    n_drift_features: int = 5,
    n_concepts: int = 4,
    change_points: Sequence[int] | None = None,
    mag_change: float = 0.0,
    sigma: float = 0.1,
    noise: float = 0.05,
    rng: RNGLike = None,
) -> ClassificationStream:
    """Rotating hyperplane: ``y = w . x >= sum(w) / 2`` on the unit cube.

    Features are uniform on [0, 1]. At each change point the weights of the
    first ``n_drift_features`` features are redrawn (an abrupt rotation);
    with ``mag_change > 0`` those weights also move by ``mag_change`` per
    sample, reversing direction with probability ``sigma`` (the gradual
    drift of Hulten et al.).

    Parameters
    ----------
    n_samples : int, default=20000
        Stream length.
    n_features : int, default=10
        Number of features.
    n_drift_features : int, default=5
        Features whose weights change.
    n_concepts : int, default=4
        Number of abrupt concepts (ignored when ``change_points`` is given).
    change_points : sequence of int, optional
        Where each abrupt rotation happens (default: equal segments).
    mag_change : float, default=0.0
        Gradual weight change per sample.
    sigma : float, default=0.1
        Probability of reversing the gradual change's direction.
    noise : float, default=0.05
        Probability of flipping a label.
    rng : int, Generator or None
        Seed.

    Returns
    -------
    ClassificationStream

    References
    ----------
    .. [1] G. Hulten, L. Spencer and P. Domingos, "Mining time-changing data
       streams", KDD 2001.

    Examples
    --------
    >>> from mllifecycle.datasets import hyperplane_stream
    >>> s = hyperplane_stream(2000, n_features=5, rng=0)
    >>> s.X.shape, len(s.change_points)
    ((2000, 5), 3)
    """
    caller = "hyperplane_stream"
    n = check_int(n_samples, "n_samples", caller=caller, low=2)
    d = check_int(n_features, "n_features", caller=caller, low=2)
    k = check_int(n_drift_features, "n_drift_features", caller=caller, low=1, high=d)
    nc = check_int(n_concepts, "n_concepts", caller=caller, low=1, high=n)
    cps = _change_points(change_points, nc, n, caller)
    mag = check_scalar(mag_change, "mag_change", caller=caller, low=0.0)
    sigma = check_probability(sigma, "sigma", caller)
    noise = check_probability(noise, "noise", caller)
    gen = check_rng(rng, caller=caller)
    X = gen.random((n, d))
    w0 = gen.random(d)
    jumps = gen.random((len(cps) + 1, k))
    seg = _segments(n, cps)
    W = np.broadcast_to(w0, (n, d)).copy()
    W[:, :k] = jumps[seg]
    if mag > 0:
        flips = gen.random((n, k)) < sigma
        direction = np.where(np.cumsum(flips, axis=0) % 2 == 0, 1.0, -1.0)
        W[:, :k] += np.cumsum(direction * mag, axis=0)
    y = (np.einsum("ij,ij->i", X, W) >= 0.5 * W.sum(axis=1)).astype(np.int64)
    _flip(y, noise, gen)
    concepts = [f"rotation {i}" for i in range(len(cps) + 1)]
    return _finish(X, y, cps, "hyperplane", concepts, [f"x{i}" for i in range(d)])


_AGRAWAL_FEATURES = (
    "salary",
    "commission",
    "age",
    "elevel",
    "car",
    "zipcode",
    "hvalue",
    "hyears",
    "loan",
)


def _between(x: npt.NDArray[np.float64], lo: float, hi: float) -> npt.NDArray[np.bool_]:
    return (lo <= x) & (x <= hi)


def _agrawal_label(X: npt.NDArray[np.float64], function: int) -> npt.NDArray[np.int64]:
    """Agrawal et al.'s classification functions 0-9, vectorised (as River's)."""
    salary, commission, age, elevel = X[:, 0], X[:, 1], X[:, 2], X[:, 3]
    hvalue, hyears, loan = X[:, 6], X[:, 7], X[:, 8]
    young, mid = age < 40, (age >= 40) & (age < 60)
    if function == 0:
        out = (age < 40) | (age >= 60)
    elif function == 1:
        out = np.where(
            young,
            _between(salary, 50e3, 100e3),
            np.where(mid, _between(salary, 75e3, 125e3), _between(salary, 25e3, 75e3)),
        )
    elif function == 2:
        out = np.where(
            young,
            (elevel == 0) | (elevel == 1),
            np.where(mid, _between(elevel, 1, 3), _between(elevel, 2, 4)),
        )
    elif function == 3:
        low = (elevel == 0) | (elevel == 1)
        out = np.where(
            young,
            np.where(low, _between(salary, 25e3, 75e3), _between(salary, 50e3, 100e3)),
            np.where(
                mid,
                np.where(
                    _between(elevel, 1, 3),
                    _between(salary, 50e3, 100e3),
                    _between(salary, 75e3, 125e3),
                ),
                np.where(
                    (elevel == 2) | (elevel == 3) | (elevel == 4),
                    _between(salary, 50e3, 100e3),
                    _between(salary, 25e3, 75e3),
                ),
            ),
        )
    elif function == 4:  # as River's, including its out-of-range salary tests
        out = np.where(
            young,
            np.where(
                _between(salary, 50e3, 100e3),
                _between(loan, 100e3, 300e3),
                _between(salary, 200e3, 400e3),
            ),
            np.where(
                mid,
                np.where(
                    _between(salary, 75e3, 125e3),
                    (salary >= 200e3) & (loan <= 400e3),
                    _between(salary, 300e3, 500e3),
                ),
                np.where(
                    _between(salary, 25e3, 75e3),
                    _between(loan, 300e3, 500e3),
                    _between(loan, 75e3, 300e3),
                ),
            ),
        )
    elif function == 5:
        total = salary + commission
        out = np.where(
            young,
            _between(total, 50e3, 100e3),
            np.where(mid, _between(total, 75e3, 125e3), _between(total, 25e3, 75e3)),
        )
    else:
        if function == 6:
            disposable = 2 * (salary + commission) / 3 - loan / 5 - 20000
        elif function == 7:
            disposable = 2 * (salary + commission) / 3 - 5000 * elevel - 20000
        elif function == 8:
            disposable = (
                2 * (salary + commission) / 3 - 5000 * elevel - loan / 5 - 10000
            )
        else:
            equity = np.where(hyears >= 20, hvalue * (hyears - 20) / 10, 0.0)
            disposable = (
                2 * (salary + commission) / 3 - 5000 * elevel + equity / 5 - 10000
            )
        out = ~(disposable > 1)
    return np.asarray(out, dtype=np.int64)


def agrawal_stream(
    n_samples: int = 20_000,
    *,
    functions: Sequence[int] = (0, 2, 5, 8),
    change_points: Sequence[int] | None = None,
    gradual_width: int = 0,
    noise: float = 0.05,
    rng: RNGLike = None,
) -> ClassificationStream:
    """Agrawal-style loan applications whose approval rule changes at each change point.

    Nine features (salary, commission, age, education level, car, zip code,
    house value, years owned, loan) drawn as in Agrawal et al. and River's
    ``Agrawal``; the class is one of their ten classification functions (0-9),
    switching to the next function in ``functions`` at each change point.
    Classes are not balanced.

    Parameters
    ----------
    n_samples : int, default=20000
        Stream length.
    functions : sequence of int, default=(0, 2, 5, 8)
        Classification function (0-9) of each concept.
    change_points : sequence of int, optional
        Where each concept after the first starts (default: equal segments).
    gradual_width : int, default=0
        Width of each change: 0 for abrupt changes; otherwise the samples in
        a window of this width centred on each change point come from the
        new concept with a probability rising linearly from 0 to 1.
    noise : float, default=0.05
        Probability of flipping a label.
    rng : int, Generator or None
        Seed.

    Returns
    -------
    ClassificationStream

    References
    ----------
    .. [1] R. Agrawal, T. Imielinski and A. Swami, "Database mining: a
       performance perspective", IEEE Transactions on Knowledge and Data
       Engineering, 5(6), 914-925, 1993.

    Examples
    --------
    >>> from mllifecycle.datasets import agrawal_stream
    >>> s = agrawal_stream(3000, functions=(0, 1), rng=0)
    >>> s.feature_names[:3], s.change_points
    (('salary', 'commission', 'age'), (1500,))
    """
    caller = "agrawal_stream"
    n = check_int(n_samples, "n_samples", caller=caller, low=2)
    fns = [
        check_int(f, "functions", caller=caller, low=0, high=9)
        for f in _items(functions, "functions", "a sequence of ints in [0, 9], one per "
                        "concept", caller)
    ]
    if not fns:
        fail("functions", "at least one function", functions, caller)
    cps = _change_points(change_points, len(fns), n, caller)
    if len(cps) != len(fns) - 1:
        fail(
            "change_points",
            f"{len(fns) - 1} position(s), one fewer than the functions",
            described(f"{len(cps)} position(s)"),
            caller,
        )
    width = _check_width(gradual_width, cps, n, caller)
    noise = check_probability(noise, "noise", caller)
    gen = check_rng(rng, caller=caller)
    salary = 20000 + 130000 * gen.random(n)
    commission = np.where(salary >= 75000, 0.0, 10000 + 75000 * gen.random(n))
    age = gen.integers(20, 81, n).astype(float)
    elevel = gen.integers(0, 5, n).astype(float)
    car = gen.integers(1, 21, n).astype(float)
    zipcode = gen.integers(0, 9, n).astype(float)
    hvalue = (8 - zipcode) * 100000 * (0.5 + gen.random(n))
    hyears = gen.integers(1, 31, n).astype(float)
    loan = gen.random(n) * 500000
    X = np.column_stack(
        [salary, commission, age, elevel, car, zipcode, hvalue, hyears, loan]
    )
    seg = _segments(n, cps, width, gen)
    y = np.empty(n, dtype=np.int64)
    for i, f in enumerate(fns):
        rows = seg == i
        y[rows] = _agrawal_label(X[rows], f)
    _flip(y, noise, gen)
    return _finish(
        X, y, cps, "agrawal", [f"function {f}" for f in fns], _AGRAWAL_FEATURES,
        seg if width else None,
    )


def gaussian_stream(
    n_samples: int = 20_000,
    *,
    kind: str = "concept",
    n_concepts: int = 4,
    change_points: Sequence[int] | None = None,
    magnitude: float = 1.0,
    noise: float = 0.05,
    rng: RNGLike = None,
) -> ClassificationStream:
    """Two Gaussian features whose joint distribution shifts in one chosen way.

    - ``"covariate"``: P(X) moves (the mean of ``x0`` shifts by
      ``2 * magnitude`` per concept) while P(y | X) stays the curved rule
      ``y = x1 > sin(1.5 x0)``, so a locally fitted linear model goes stale.
    - ``"prior"``: P(y) changes (class-1 share cycling through 0.5, 0.15,
      0.85, ...) while P(X | y) stays ``N(+-magnitude, I)``.
    - ``"concept"``: P(y | X) changes: ``y = w_k . x > 0`` with ``w_k``
      rotated by ``magnitude * 90`` degrees at each change; P(X) = N(0, I).

    Parameters
    ----------
    n_samples : int, default=20000
        Stream length.
    kind : {"covariate", "prior", "concept"}, default="concept"
        Which part of the joint distribution shifts.
    n_concepts : int, default=4
        Number of concepts (ignored when ``change_points`` is given).
    change_points : sequence of int, optional
        Where each concept after the first starts (default: equal segments).
    magnitude : float, default=1.0
        Size of each shift (see above).
    noise : float, default=0.05
        Probability of flipping a label.
    rng : int, Generator or None
        Seed.

    Returns
    -------
    ClassificationStream

    Examples
    --------
    >>> from mllifecycle.datasets import gaussian_stream
    >>> s = gaussian_stream(4000, kind="prior", noise=0.0, rng=0)
    >>> [round(float(s.y[s.concept == k].mean()), 1) for k in range(4)]
    [0.5, 0.1, 0.9, 0.5]
    """
    caller = "gaussian_stream"
    n = check_int(n_samples, "n_samples", caller=caller, low=2)
    check_option(kind, "kind", ("covariate", "prior", "concept"), caller)
    nc = check_int(n_concepts, "n_concepts", caller=caller, low=1, high=n)
    cps = _change_points(change_points, nc, n, caller)
    mag = check_scalar(magnitude, "magnitude", caller=caller, low=0.0)
    noise = check_probability(noise, "noise", caller)
    gen = check_rng(rng, caller=caller)
    seg = _segments(n, cps)
    k = len(cps) + 1
    if kind == "covariate":
        shift = 2.0 * mag * np.arange(k)
        X = gen.normal(size=(n, 2))
        X[:, 0] += shift[seg]
        y = (X[:, 1] > np.sin(1.5 * X[:, 0])).astype(np.int64)
        concepts = [f"x0 ~ N({s:g}, 1)" for s in shift]
    elif kind == "prior":
        cycle = np.array([0.5, 0.15, 0.85])
        share = cycle[np.arange(k) % 3]
        y = (gen.random(n) < share[seg]).astype(np.int64)
        X = gen.normal(size=(n, 2)) + mag * np.where(y == 1, 1.0, -1.0)[:, None]
        concepts = [f"P(y=1) = {s:g}" for s in share]
    else:
        angle = np.deg2rad(90.0 * mag) * np.arange(k)
        W = np.column_stack([np.cos(angle), np.sin(angle)])
        X = gen.normal(size=(n, 2))
        y = (np.einsum("ij,ij->i", X, W[seg]) > 0).astype(np.int64)
        concepts = [f"w = ({c:.2f}, {s:.2f})" for c, s in W]
    _flip(y, noise, gen)
    return _finish(X, y, cps, f"gaussian-{kind}", concepts, ["x0", "x1"])
