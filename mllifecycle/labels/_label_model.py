"""The label model: combine labelling-function votes without gold labels."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._frames import in_row_order
from mllifecycle._results import ARRAY_EQ
from mllifecycle._validation import (
    RNGLike,
    check_int,
    check_option,
    check_rng,
    check_same_label_kind,
    check_scalar,
    described,
    fail,
    label_kinds,
)
from mllifecycle.exceptions import NotFittedError
from mllifecycle.labels._crowd import (
    _Answers,
    _ds_em,
    _label_array,
    _normalise_log,
    _refuse_flags_with_numbers,
    _same_flag_kind,
    _shares_by_class,
)
from mllifecycle.labels._lf import (
    ABSTAIN,
    LabelMatrix,
    _is_abstain,
    _row_labels,
    check_label_matrix,
)

__all__ = ["LabelModel"]

FloatArray = npt.NDArray[np.float64]
_METHODS = ("majority_vote", "dawid_skene", "matrix_completion")


def _check_balance(value: Any, k: int, caller: str,
                   classes: npt.NDArray[Any] | None = None) -> FloatArray | None:
    """Return ``class_balance`` as floats in the order of ``classes`` (checked).

    Keyed by class (a dict, a Series indexed by class), it was read by
    position: ``{"spam": 0.3, "ham": 0.7}`` gave the sorted classes ham 0.3
    and spam 0.7 (a dict raised a bare TypeError); see ``_shares_by_class``.
    """
    if value is None:
        return None
    shares = _shares_by_class(value, classes, "class_balance", caller)
    try:
        arr = np.asarray(shares, dtype=np.float64)
    except (TypeError, ValueError):
        fail("class_balance", f"{k} positive probabilities summing to 1", value, caller)
    if arr.shape != (k,) or not np.all(np.isfinite(arr)) or np.any(arr <= 0) \
            or abs(arr.sum() - 1) > 1e-8:
        fail("class_balance", f"{k} positive probabilities summing to 1", value, caller)
    return arr


def _one_hot(vals: npt.NDArray[np.int64], k: int, with_abstain: bool) -> Any:
    """Sparse (n, m * r) one-hot of each function's vote; r = k (+1 for abstain)."""
    from scipy import sparse

    n, m = vals.shape
    r = k + 1 if with_abstain else k
    v = np.where(vals == ABSTAIN, k, vals)
    rows = np.repeat(np.arange(n), m)
    cols = (np.arange(m)[None, :] * r + v).ravel()
    keep = np.ones(n * m, dtype=bool) if with_abstain else (vals.ravel() != ABSTAIN)
    return sparse.csr_matrix((np.ones(int(keep.sum())), (rows[keep], cols[keep])),
                             shape=(n, m * r))


def _given_names(L: Any) -> tuple[str, ...] | None:
    """Names of the labelling functions of a LabelMatrix or a table's columns (else None)."""
    if isinstance(L, LabelMatrix):
        return tuple(str(n) for n in L.names)
    from mllifecycle._frames import column_names, is_frame

    if is_frame(L):
        names = column_names(L)
        return None if names is None else tuple(str(n) for n in names)
    return None


@attrs.define(kw_only=True)
class LabelModel:
    """Combine labelling-function votes into probabilistic labels, without gold labels.

    Three models, from cheapest to richest:

    ``"majority_vote"``
        The share of votes for each class. No parameters; right when the
        functions are about equally accurate, or as a baseline.
    ``"dawid_skene"`` (default)
        Each function has a class-conditional distribution over its votes
        *including abstaining*, so a function that fires mostly on one class
        (a one-sided heuristic) carries information by firing. Fitted by EM
        (Dawid and Skene, 1979) from the majority-vote posterior; estimates the
        class balance. Right in general once there are a few hundred
        examples per class.
    ``"matrix_completion"``
        Snorkel's label model (Ratner et al., 2019): the class-conditional
        vote probabilities ``mu`` are fitted to the observed agreement
        matrix of the votes, ``O ~ mu diag(p) mu^T`` off the diagonal blocks,
        plus the vote marginals ``mu p = diag(O)``, by L-BFGS-B within
        [0, 1] (no EM, no per-example pass once ``O`` is built). The class
        balance ``p`` is ``class_balance`` or uniform, as in Snorkel; votes
        only enter the prediction (abstains do not). Right for very large
        matrices, or when comparing with Snorkel.

    All three assume the functions vote independently given the true
    class. Correlated functions (near-duplicates, one refining another) are
    counted as independent evidence and make the posterior overconfident;
    :func:`analyze` shows overlaps, and the remedy is to drop or merge
    near-duplicates. Examples on which every function abstains get the
    class balance as their probabilities (under ``"dawid_skene"``, the
    posterior given that nobody fired) and ``ABSTAIN`` from :meth:`predict`.

    Parameters
    ----------
    method : {"dawid_skene", "matrix_completion", "majority_vote"}, default="dawid_skene"
    n_classes : int, optional
        Default: from the label matrix (its ``classes``, or max vote + 1).
    class_balance : array-like of shape (n_classes,), dict or pandas Series, optional
        Known class balance (fixed instead of estimated), in the order of
        the classes (``classes_``), or keyed by class: a dict, or a Series
        indexed by class (one with a default ``0..k-1`` index is read in
        order).
    max_iter : int, default=100
        EM iterations (``"dawid_skene"``) or L-BFGS-B iterations.
    tol : float, default=1e-6
        Relative log-likelihood change that stops EM.
    smoothing : float, default=0.01
        Pseudo-count per confusion cell (``"dawid_skene"``).
    l2 : float, default=0.0
        Ridge penalty pulling ``mu`` to its initial value (``"matrix_completion"``).
    tie_break : {"random", "abstain"}, default="random"
        What :meth:`predict` does when several classes are equally probable:
        pick the one of larger ``class_balance_``, remaining ties uniformly at
        random (seeded from ``rng`` at :meth:`fit`, so every call gives the
        same labels); or return ``ABSTAIN``.
    rng : int, numpy.random.Generator or None, default=None
        Seed for breaking ties. A Generator is drawn from (advanced) by every
        :meth:`fit`: a refit with the same Generator object may break ties
        differently; an int (or a ``numpy.random.SeedSequence``) gives the
        same labels at every refit.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels; the column order of :meth:`predict_proba`.
    class_balance_ : ndarray of shape (n_classes,)
        ``class_balance`` when given; otherwise, under ``"majority_vote"`` the
        mean vote share over the examples at least one function voted on
        (examples without votes carry no evidence), under ``"dawid_skene"``
        the EM estimate, under ``"matrix_completion"`` uniform. Without a
        given ``class_balance``, a class no function voted for at fit (one
        named only by ``n_classes`` or ``apply(classes=...)``) has balance 0
        under every method, so it is never predicted (while at least two
        classes are voted for).
    accuracy_ : ndarray of shape (n_lfs,)
        Estimated accuracy of each function on the examples it labels (NaN
        for a function that labels none).
    coverage_ : ndarray of shape (n_lfs,)
    conditional_ : ndarray of shape (n_lfs, n_classes, n_classes + 1)
        ``conditional_[j, y, v]``: probability that function ``j`` votes ``v``
        (the last column: abstains) when the true class is ``y``.
    n_iter_ : int
    converged_ : bool

    References
    ----------
    A. P. Dawid and A. M. Skene (1979), JRSS C 28(1) 20-28. A. Ratner, B.
    Hancock, J. Dunnmon, F. Sala, S. Pandey and C. Ré (2019), "Training complex
    models with multi-task weak supervision", AAAI 33, 4763-4771.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import LabelModel
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 2000)
    >>> def lf(acc, cov):
    ...     vote = np.where(rng.random(2000) < acc, y, 1 - y)
    ...     return np.where(rng.random(2000) < cov, vote, -1)
    >>> L = np.column_stack([lf(0.9, 0.5), lf(0.8, 0.6), lf(0.6, 0.9), lf(0.7, 0.4)])
    >>> model = LabelModel(rng=0).fit(L)
    >>> model.accuracy_.round(2).tolist()
    [0.85, 0.83, 0.59, 0.72]
    >>> covered = (L != -1).any(axis=1)
    >>> vote = LabelModel(method="majority_vote", rng=0).fit(L)
    >>> def accuracy(m):
    ...     return (m.predict(L)[covered] == y[covered]).mean()
    >>> bool(accuracy(model) > accuracy(vote) + 0.03)
    True
    """

    method: str = "dawid_skene"
    n_classes: int | None = None
    class_balance: Any = attrs.field(default=None, eq=ARRAY_EQ)
    max_iter: int = 100
    tol: float = 1e-6
    smoothing: float = 0.01
    l2: float = 0.0
    tie_break: str = "random"
    rng: RNGLike = None

    classes_: Any = attrs.field(init=False, default=None, repr=False, eq=ARRAY_EQ)
    class_balance_: Any = attrs.field(init=False, default=None, repr=False, eq=ARRAY_EQ)
    accuracy_: Any = attrs.field(init=False, default=None, repr=False, eq=ARRAY_EQ)
    coverage_: Any = attrs.field(init=False, default=None, repr=False, eq=ARRAY_EQ)
    conditional_: Any = attrs.field(init=False, default=None, repr=False, eq=ARRAY_EQ)
    n_iter_: int = attrs.field(init=False, default=0, repr=False)
    converged_: bool = attrs.field(init=False, default=False, repr=False)
    _log_cond: Any = attrs.field(init=False, default=None, repr=False, eq=ARRAY_EQ)
    _n_lfs: int = attrs.field(init=False, default=0, repr=False)
    # the generator has done its work at fit (_tie_seed); compared by identity, a
    # copy or pickle of a fitted model was unequal to it
    _gen: Any = attrs.field(init=False, default=None, repr=False, eq=False)
    _tie_seed: int = attrs.field(init=False, default=0, repr=False)
    _lf_names: Any = attrs.field(init=False, default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        caller = "LabelModel"
        check_option(self.method, "method", _METHODS, caller)
        if self.n_classes is not None:
            check_int(self.n_classes, "n_classes", caller=caller, low=2)
        check_int(self.max_iter, "max_iter", caller=caller)
        check_scalar(self.tol, "tol", caller=caller, low=0.0)
        check_scalar(self.smoothing, "smoothing", caller=caller, low=0.0)
        check_scalar(self.l2, "l2", caller=caller, low=0.0)
        check_option(self.tie_break, "tie_break", ("random", "abstain"), caller)
        self._gen = check_rng(self.rng, caller=caller)
        if self.class_balance is not None and self.n_classes is not None:
            _check_balance(self.class_balance, self.n_classes, caller)

    # ------------------------------------------------------------------ fit
    def fit(self, L: Any) -> LabelModel:
        """Estimate the functions' accuracies and the class balance from votes alone.

        Parameters
        ----------
        L : LabelMatrix or int array of shape (n_samples, n_lfs)
            Votes, ``ABSTAIN`` = -1.

        Returns
        -------
        LabelModel
            ``self``, fitted.

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.labels import LabelModel
        >>> L = np.array([[0, 0, -1], [1, 1, 1], [1, -1, 1], [0, 0, 1]] * 50)
        >>> LabelModel(method="majority_vote").fit(L).class_balance_.round(2).tolist()
        [0.42, 0.58]
        """
        caller = "LabelModel.fit"
        vals, cls, _ = check_label_matrix(L, "L", caller, self.n_classes)
        # ties in predict are broken by draws seeded here: predict (and score)
        # give the same labels every call, and a refit with the same seed the
        # same ones again
        self._gen = check_rng(self.rng, caller=caller)
        self._tie_seed = int(self._gen.integers(2**63 - 1))
        k = len(cls)
        if k < 2:
            # e.g. float votes of one value: every example would get that class
            fail("L", "a label matrix of at least 2 classes (pass every class to "
                 "apply(classes=...))", described(f"the classes {cls.tolist()!r}"), caller)
        m = vals.shape[1]
        balance = _check_balance(self.class_balance, k, caller, cls)
        self.classes_ = cls
        self._n_lfs = m
        self._lf_names = _given_names(L)
        voted = vals != ABSTAIN
        self.coverage_ = voted.mean(axis=0)
        # a class no function ever votes for (declared by n_classes or
        # apply(classes=...)) has no evidence: left free, EM made it a "votes
        # for 1 with one function abstaining" class and predicted it (21 of 500
        # rows whose every vote said 1); its balance is held at 0 unless given
        unvoted = ~np.isin(np.arange(k), vals[voted])
        absent: npt.NDArray[np.bool_] | None = unvoted
        if balance is not None or int((~unvoted).sum()) < 2 or not unvoted.any():
            absent = None
        if self.method == "majority_vote":
            if balance is None:
                # the mean vote share over the examples some function voted on:
                # rows nobody voted on carry no evidence, and counting them at a
                # uniform share pulled the balance towards uniform (1/3 : 2/3 of
                # the votes came out 0.375 : 0.625 with a quarter unlabelled)
                any_vote = voted.any(axis=1)
                balance = (self._mv(vals[any_vote], k, np.full(k, 1.0 / k)).mean(axis=0)
                           if any_vote.any() else np.full(k, 1.0 / k))
            post = self._mv(vals, k, balance)
            self.class_balance_ = balance
            self.n_iter_, self.converged_ = 1, True
            self._set_conditional(vals, post, k)
        elif self.method == "dawid_skene":
            self._fit_ds(vals, k, balance, absent)
        else:
            if absent is not None:  # uniform over the classes some function votes for
                balance = np.where(absent, 0.0, 1.0 / float((~absent).sum()))
            self._fit_mc(vals, k, balance)
        return self

    def _mv(self, vals: npt.NDArray[np.int64], k: int, balance: FloatArray) -> FloatArray:
        n = vals.shape[0]
        counts = np.zeros((n, k))
        r, c = np.nonzero(vals != ABSTAIN)
        np.add.at(counts, (r, vals[r, c]), 1.0)
        tot = counts.sum(axis=1, keepdims=True)
        return np.where(tot > 0, counts / np.where(tot > 0, tot, 1), balance[None, :])

    def _set_conditional(self, vals: npt.NDArray[np.int64], post: FloatArray, k: int) -> None:
        s = _one_hot(vals, k, with_abstain=True)
        m = vals.shape[1]
        c = np.asarray(s.T @ post).reshape(m, k + 1, k).transpose(0, 2, 1) + self.smoothing
        self.conditional_ = c / c.sum(axis=2, keepdims=True)
        self._finish_accuracy(k)

    def _finish_accuracy(self, k: int) -> None:
        cond = self.conditional_
        p = self.class_balance_
        fire = cond[:, :, :k].sum(axis=2)  # P(vote | y)
        right = cond[:, np.arange(k), np.arange(k)]  # P(vote = y | y)
        acc = (right * p).sum(axis=1) / np.maximum((fire * p).sum(axis=1), 1e-300)
        # a function that never voted has no accuracy: the smoothing made it
        # 0.5 (1/k) and matrix completion 0.0, an "always wrong" function
        self.accuracy_ = np.where(np.asarray(self.coverage_) > 0, acc, np.nan)

    def _fit_ds(self, vals: npt.NDArray[np.int64], k: int, balance: FloatArray | None,
                absent: npt.NDArray[np.bool_] | None = None) -> None:
        n, m = vals.shape
        r, c = np.nonzero(vals != ABSTAIN)
        empty = np.zeros(0, dtype=np.intp)
        data = _Answers(t=r.astype(np.intp), w=c.astype(np.intp),
                        y=vals[r, c].astype(np.intp), tasks=np.arange(n), workers=np.arange(m),
                        classes=np.arange(k), gold_idx=empty, gold_y=empty)
        s = _one_hot(vals, k, with_abstain=True)
        _, prior, conf, _, _, it, conv = _ds_em(
            data, s, max_iter=self.max_iter, tol=self.tol, smoothing=self.smoothing,
            fixed_prior=balance, absent=absent)
        self.class_balance_ = prior
        self.conditional_ = conf
        self.n_iter_, self.converged_ = it, conv
        self._log_cond = None
        self._finish_accuracy(k)

    def _fit_mc(self, vals: npt.NDArray[np.int64], k: int, balance: FloatArray | None) -> None:
        from scipy.optimize import minimize

        n, m = vals.shape
        p = np.full(k, 1.0 / k) if balance is None else balance
        psi = _one_hot(vals, k, with_abstain=False)  # (n, m*k)
        o = np.asarray((psi.T @ psi).todense()) / n
        d = np.diag(o).copy()
        block = np.kron(np.eye(m), np.ones((k, k)))
        mask = block == 0
        cov = vals != ABSTAIN
        # start: each function right 70% of the time when it fires (Snorkel's prec_init)
        lf_cov = cov.mean(axis=0)
        mu0 = np.zeros((m * k, k))
        for j in range(m):
            for y in range(k):
                mu0[j * k:(j + 1) * k, y] = lf_cov[j] * 0.3 / max(k - 1, 1)
                mu0[j * k + y, y] = lf_cov[j] * 0.7
        l2 = self.l2

        def loss(x: FloatArray) -> tuple[float, FloatArray]:
            mu = x.reshape(m * k, k)
            mp = mu * p[None, :]
            r1 = np.where(mask, mp @ mu.T - o, 0.0)
            r2 = mu @ p - d
            val = float((r1 ** 2).sum() + (r2 ** 2).sum() + l2 * ((mu - mu0) ** 2).sum())
            grad = 4.0 * r1 @ mp + 2.0 * np.outer(r2, p) + 2.0 * l2 * (mu - mu0)
            return val, grad.ravel()

        res = minimize(loss, mu0.ravel(), jac=True, method="L-BFGS-B",
                       bounds=[(0.0, 1.0)] * mu0.size,
                       options={"maxiter": self.max_iter * 10, "ftol": 1e-15, "gtol": 1e-12})
        mu = res.x.reshape(m, k, k)  # [j, vote, y]
        cond = np.empty((m, k, k + 1))
        cond[:, :, :k] = mu.transpose(0, 2, 1)
        fire = np.clip(cond[:, :, :k].sum(axis=2), 0.0, 1.0)
        cond[:, :, k] = 1.0 - fire
        self.conditional_ = cond
        self.class_balance_ = p
        self.n_iter_, self.converged_ = int(res.nit), bool(res.success)
        self._finish_accuracy(k)

    # ------------------------------------------------------------------ predict
    def _check_fitted(self, caller: str) -> None:
        if self.conditional_ is None:
            raise NotFittedError(f"{caller}: this LabelModel is not fitted yet; call fit(L) first")

    def _check_lf_order(self, L: Any, caller: str) -> None:
        """Refuse the fitted functions' names in another order (read by position).

        ``apply([f2, f1], X)`` on new data gave each function the other's
        fitted accuracy, silently; only a reordering of the same distinct
        names is refused (unnamed or renamed functions are read by position).
        """
        fitted = getattr(self, "_lf_names", None)
        given = _given_names(L)
        if fitted is None or given is None or given == fitted:
            return
        if len(set(given)) == len(given) == len(fitted) == len(set(fitted)) \
                and set(given) == set(fitted):
            fail("L", f"labelling functions in the order of fit {list(fitted)!r}",
                 described(f"the order {list(given)!r}"), caller)

    def _in_fitted_classes(self, L: Any, caller: str) -> Any:
        """Re-code a LabelMatrix to ``classes_``.

        Its own classes may be in another order or a subset: ``apply`` infers them
        from the votes of each batch.
        """
        if not isinstance(L, LabelMatrix):
            return L
        fitted, given = self.classes_.tolist(), L.classes.tolist()
        # [False, True] == [0, 1]: flags would be read as the fitted classes 0 and 1
        _same_flag_kind(label_kinds(L.classes), "L", label_kinds(self.classes_), "classes_",
                        caller, noun="a label matrix whose classes are")
        if given == fitted:
            return L
        index = {c: i for i, c in enumerate(fitted)}
        code = np.array([index.get(c, -2) for c in given] + [ABSTAIN], dtype=np.int64)
        vals = code[L.values]  # ABSTAIN (-1) picks the last entry, ABSTAIN
        if (vals == -2).any():
            bad = given[int(L.values[vals == -2][0])]
            fail("L", f"votes among the fitted classes {fitted!r}",
                 described(f"a label matrix voting {bad!r}"), caller)
        return LabelMatrix(values=vals, classes=self.classes_, names=L.names, index=L.index)

    def predict_proba(self, L: Any) -> FloatArray:
        """Return the probability of each class (columns in ``classes_`` order).

        Parameters
        ----------
        L : LabelMatrix or int array of shape (n_samples, n_lfs)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.labels import LabelModel
        >>> L = np.array([[0, 0], [1, 1], [-1, -1]] * 20)
        >>> LabelModel(method="majority_vote").fit(L).predict_proba(L[:3]).tolist()
        [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]
        """
        caller = "LabelModel.predict_proba"
        self._check_fitted(caller)
        self._check_lf_order(L, caller)
        k = len(self.classes_)
        vals, _, _ = check_label_matrix(self._in_fitted_classes(L, caller), "L", caller, k)
        if vals.shape[1] != self._n_lfs:
            fail("L", f"{self._n_lfs} columns (one per labelling function, as in fit)",
                 described(f"{vals.shape[1]}"), caller)
        p = np.asarray(self.class_balance_, dtype=np.float64)
        if self.method == "majority_vote":
            return np.asarray(self._mv(vals, k, p), dtype=np.float64)
        with np.errstate(divide="ignore"):
            if self.method == "dawid_skene":
                s = _one_hot(vals, k, with_abstain=True)
                logc = np.log(self.conditional_).transpose(0, 2, 1).reshape(-1, k)
            else:  # Snorkel: votes only, abstains carry no factor
                s = _one_hot(vals, k, with_abstain=False)
                mu = np.clip(self.conditional_[:, :, :k], 1e-6, 1.0)
                logc = np.log(mu).transpose(0, 2, 1).reshape(-1, k)
            # a class of balance 0 (no function voted for it at fit) gets -inf
            logp = np.log(p)[None, :] + np.asarray(s @ logc)
        impossible = np.flatnonzero(np.isneginf(logp).all(axis=1))
        if impossible.size:  # only without smoothing: a vote never seen in fit
            i = int(impossible[0])
            fail("L", "votes the fitted model gives a non-zero probability under some "
                 "class (fit with smoothing > 0 to allow votes not seen in fit)",
                 described(f"{impossible.size} row(s) impossible under every class, "
                           f"e.g. row {i}: {vals[i].tolist()}"), caller)
        proba, _ = _normalise_log(logp)
        if self.method == "matrix_completion":
            none = (vals == ABSTAIN).all(axis=1)
            proba[none] = p
        return proba

    def predict(self, L: Any) -> npt.NDArray[Any]:
        """Return the most probable class of each example (``ABSTAIN`` when none voted).

        Ties follow ``tie_break``. For a label matrix with non-integer classes
        the result is an object array with ``None`` for unlabelled examples.

        Parameters
        ----------
        L : LabelMatrix or int array of shape (n_samples, n_lfs)

        Returns
        -------
        ndarray of shape (n_samples,)

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.labels import LabelModel
        >>> L = np.array([[0, 0], [1, 1], [-1, -1], [0, 1]] * 20)
        >>> LabelModel(method="majority_vote", tie_break="abstain").fit(L).predict(L[:4])
        array([ 0,  1, -1, -1])
        """
        proba = self.predict_proba(L)
        vals, _, _ = check_label_matrix(self._in_fitted_classes(L, "LabelModel.predict"), "L",
                                        "LabelModel.predict", len(self.classes_))
        top = proba >= proba.max(axis=1, keepdims=True) - 1e-12
        if self.tie_break == "random":
            pri = np.where(top, np.asarray(self.class_balance_)[None, :], -1.0)
            top &= pri >= pri.max(axis=1, keepdims=True) - 1e-12
            draws = np.random.default_rng(self._tie_seed).random(proba.shape)
            idx = (draws * top).argmax(axis=1)
            tie = np.zeros(len(proba), dtype=bool)
        else:
            idx = proba.argmax(axis=1)
            tie = top.sum(axis=1) > 1
        unlabelled = (vals == ABSTAIN).all(axis=1) | tie
        cls = np.asarray(self.classes_)
        if cls.dtype.kind in "iu":
            out: npt.NDArray[Any] = np.asarray(cls[idx], dtype=np.int64)
            out[unlabelled] = ABSTAIN
            return out
        obj: npt.NDArray[Any] = np.asarray(cls[idx], dtype=object)
        obj[unlabelled] = None
        return obj

    def score(self, L: Any, y: Any) -> float:
        """Accuracy of :meth:`predict` on the examples it labels (ABSTAIN excluded).

        Parameters
        ----------
        L : LabelMatrix or int array of shape (n_samples, n_lfs)
        y : array-like of shape (n_samples,)
            True class labels. ``None``, NaN, ``pandas.NA`` or ``ABSTAIN`` mark
            an unknown label (as for :func:`analyze`): those examples are
            left out of the score, not counted as wrong predictions.

        Returns
        -------
        float
            NaN when no example with a known label is labelled.

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.labels import LabelModel
        >>> L = np.array([[0, 0], [1, 1], [-1, -1]] * 20)
        >>> LabelModel(method="majority_vote").fit(L).score(L, [0, 1, 1] * 20)
        1.0
        """
        caller = "LabelModel.score"
        # a table L's rows, or those of the table a LabelMatrix was applied to,
        # matched by label
        y = in_row_order(y, _row_labels(L), "y", "L", caller)
        pred = self.predict(L)
        yv = (_label_array(y) if isinstance(y, list | tuple)
              else np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y))
        if yv.shape != pred.shape:
            fail("y", f"{len(pred)} labels", described(f"shape {yv.shape}"), caller)
        # unknown true labels are left out: compared with a prediction they
        # counted as wrong (0.75 instead of 1.0 with a quarter of y missing)
        known = np.array([not _is_abstain(v) for v in yv.tolist()], dtype=bool)
        if not known.all():
            pred, yv = pred[known], yv[known]
        # True == 1: flags scored against the classes 0 and 1 (or counts against flags)
        y_kinds = _refuse_flags_with_numbers(yv, "y", caller)
        _same_flag_kind(y_kinds, "y", label_kinds(self.classes_), "classes_", caller)
        # text against numbers never compares equal: every prediction was
        # "wrong" and the score 0.0 (y of class indices for text classes, or
        # text "0"/"1" for the classes 0 and 1)
        check_same_label_kind({k: v for k, v in y_kinds.items()
                               if k not in ("NoneType", "NAType")}, "y",
                              label_kinds(self.classes_), "classes_", caller,
                              hint="write y as the classes are written")
        lab = np.array([v is not None and not (isinstance(v, int | np.integer) and v == ABSTAIN)
                        for v in pred.tolist()])
        return float(np.mean(pred[lab] == yv[lab])) if lab.any() else math.nan
