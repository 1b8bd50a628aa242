"""A global batch model with per-key local models adapted online (two tiers)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from mllifecycle._frames import (
    column_names,
    column_to_numpy,
    frame_to_numpy,
    in_row_order,
    is_frame,
    series_kind,
)
from mllifecycle._validation import (
    check_bool,
    check_int,
    check_labels_of_one_kind,
    check_same_label_kind,
    check_scalar,
    described,
    fail,
    label_kinds,
    refuse_sparse,
)
from mllifecycle._weights import check_weights

__all__ = ["TwoTier", "LOCAL_STRATEGIES"]

LOCAL_STRATEGIES = ("bias", "partial_fit", "blend")
FloatArray = npt.NDArray[np.float64]
_EPS = 1e-12


def _key_family(v: Any) -> str:
    """Return the kind of a key (NumPy and Python scalars of one kind are one family).

    Booleans (Python or NumPy) are keys of their own kind: ``True == 1`` (and
    hashes alike), so read as ints they shared the local model of key ``1``.
    """
    if isinstance(v, bool | np.bool_):
        return "bool"
    if isinstance(v, int | np.integer):
        return "int"
    if isinstance(v, float | np.floating):
        return "float"
    if isinstance(v, str):
        return "str"
    return type(v).__name__


def _is_missing(v: Any) -> bool:
    """None, a float NaN, ``pd.NA`` or ``pd.NaT``: a missing key."""
    if v is None:
        return True
    if isinstance(v, float | np.floating):
        return bool(v != v)
    return type(v).__name__ in ("NAType", "NaTType")


def _key_array(keys: Any, n: int, caller: str, name: str = "keys") -> npt.NDArray[Any]:
    """Keys as a 1-D array of one hashable kind; missing keys and mixed types refused.

    A missing key (None, NaN, ``pd.NA``, a null) is refused in every form it
    comes in: as a key it would pool every row without a key into one local
    model. Object arrays of floats follow the float64 rules (whole floats are
    the integer keys), and NumPy scalars are the Python keys of their kind.
    """
    if keys is None:
        fail(name, f"one key per row ({n} keys)", keys, caller)
    if series_kind(keys) is not None:
        # pandas nullable, polars and pyarrow (text too) columns: nulls become NaN/None
        arr = column_to_numpy(keys)
    elif isinstance(keys, list | tuple):
        # NumPy would turn [1, "a"] into strings, and keys 1 and "1" into one key
        arr = np.empty(len(keys), dtype=object)
        arr[:] = list(keys)
    else:
        arr = np.asarray(keys.to_numpy() if hasattr(keys, "to_numpy") else keys)
    if arr.ndim != 1 or arr.shape[0] != n:
        fail(name, f"a 1-D sequence of {n} keys (one per row)", described(f"shape {arr.shape}"),
             caller)
    if arr.dtype == object:
        values = arr.tolist()
        missing = sum(_is_missing(v) for v in values)
        if missing:
            fail(name, "keys without NaN, None, pd.NA or nulls (missing keys)",
                 described(f"{missing} missing value(s)"), caller)
        fams = {_key_family(v) for v in values}
        if fams == {"bool", "int"}:
            # True == 1 (and hashes alike): a flag key would share the local model of key 1
            check_labels_of_one_kind(values, name, caller,
                                     expected="keys of one type (booleans and numbers are not "
                                     "told apart: True == 1)")
        if len(fams) > 1:
            fail(name, "keys of one type", described(f"mixed types {sorted(fams)}"), caller)
        if fams == {"bool"}:
            # flags stay flags: as ints they were the keys 1 and 0 of a later batch
            arr = arr.astype(bool)
        elif fams == {"float"}:
            arr = arr.astype(np.float64)
        elif fams == {"int"}:
            try:
                arr = arr.astype(np.int64)
            except OverflowError:  # beyond int64: Python ints, exact
                arr = np.asarray([int(v) for v in values], dtype=object)
        elif fams == {"str"}:
            arr = arr.astype(str)
        else:
            try:  # the keys are hashed and sorted (np.unique): complex numbers cannot be
                sorted(set(values))
            except TypeError:
                fail(name, "keys of one type that can be ordered (ints or strings)",
                     described(f"keys of type {fams.pop()}, which cannot be ordered"), caller)
    if arr.dtype.kind == "f":
        nan = int(np.isnan(arr).sum())
        if nan:
            fail(name, "keys without NaN, None, pd.NA or nulls (missing keys)",
                 described(f"{nan} missing value(s)"), caller)
        if np.any(arr != np.round(arr)):
            fail(name, "integer or text keys", described("fractional numbers"), caller)
        if np.any(np.abs(arr) > 2.0**53):
            # beyond 2**53 a float is not an exact integer (and past 2**63 the
            # int64 cast sent every key to -2**63: distinct keys merged)
            fail(name, "integer or text keys (float keys exact as integers, at most 2**53 "
                 "in size)", described("floats beyond 2**53"), caller)
        arr = arr.astype(np.int64)
    elif arr.dtype != object and arr.dtype.kind not in "biuUS":
        fail(name, "integer, text or boolean keys", described(f"dtype {arr.dtype}"), caller)
    return arr


def _one_key(key: Any, caller: str) -> Any:
    """One key read as :func:`_key_array` reads a batch's keys (the same rule everywhere).

    ``3.0`` is the key ``3`` (as in ``partial_fit(..., keys=[3.0])``),
    ``np.int64(3)`` is ``3``; a missing, fractional or unorderable key is
    refused naming ``key``.
    """
    if isinstance(key, list | tuple | dict | set) or (isinstance(key, np.ndarray) and key.ndim):
        fail("key", "one key (an int, a string or a boolean)",
             described(f"a {type(key).__name__}"), caller)
    got = _key_array([key.item() if isinstance(key, np.ndarray) else key], 1, caller,
                     "key")[0]
    return got.item() if isinstance(got, np.generic) else got


def _in_x_order(X: Any, caller: str, **row_args: Any) -> list[Any]:
    """Return the row-aligned arguments in ``X``'s row order (pandas matched by label).

    A pandas ``y``, ``keys`` or ``sample_weight`` whose index holds ``X``'s
    row labels in another order (sorted, or ``X`` shuffled) was paired by
    position, training and scoring mismatched rows; see
    :func:`mllifecycle._frames.in_row_order` for what is refused.
    """
    return [in_row_order(v, X, name, "X", caller) for name, v in row_args.items()]


def _labels(y: Any, n: int, caller: str) -> tuple[npt.NDArray[Any], dict[str, Any]]:
    """``y`` as a 1-D array of ``n`` labels, and its :func:`label_kinds`.

    ``np.asarray([True, 1, 0])`` holds the ints ``[1, 1, 0]`` and
    ``np.asarray(["1", 1])`` two ``"1"``: a list of two kinds is kept as
    objects, so the kinds can be checked rather than merged into one class.
    """
    if isinstance(y, list | tuple):
        kinds = label_kinds(y)
        if len(kinds) > 1:
            ya = np.empty(len(y), dtype=object)
            ya[:] = list(y)
        else:
            ya = np.asarray(y)
    else:
        ya = np.asarray(y)
        kinds = label_kinds(ya) if ya.ndim == 1 else {}
    if ya.ndim != 1 or ya.shape[0] != n:
        fail("y", f"{n} labels", described(f"shape {ya.shape}"), caller)
    return ya, kinds


def _no_flags_for_counts(kinds: dict[str, Any], classes: npt.NDArray[Any], caller: str,
                         hint: str = "True == 1 would merge them: convert one of them, e.g. "
                         "with astype(int)") -> None:
    """Refuse booleans where the classes are numbers, or numbers where they are booleans.

    ``True == 1`` (and ``np.array_equal([False, True], [0, 1])``): a flag would
    be counted as the class ``1``. Other mismatches (text against numbers)
    are refused as labels outside the classes.
    """
    def flags_or_numbers(k: dict[str, Any]) -> dict[str, Any]:
        return {key: v for key, v in k.items() if key in ("booleans", "numbers")}

    mine = flags_or_numbers(kinds)
    if len(mine) > 1:
        check_labels_of_one_kind(list(mine.values()), "y", caller)
    check_same_label_kind(mine, "y", flags_or_numbers(label_kinds(classes)), "classes_",
                          caller, hint=hint)


class TwoTier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """A global model trained in batch, with a local model per key adapted online.

    The pattern of real-time applications (one model for all users, trained in
    batch, beside small models per user, device or segment that keep adapting):
    :meth:`fit` trains the global tier; :meth:`partial_fit` adapts the local
    tier of each key from a batch of labelled rows; :meth:`predict_proba`
    combines them. A key never seen (or evicted) gets the global model's answer.

    Local strategies:

    - ``"bias"`` (default; works with any classifier with ``predict_proba``):
      a per-key, per-class correction of the global model's log-probabilities,
      ``log((n_c + tau p_c) / (m_c + tau p_c))`` where ``n_c`` counts the key's
      labels of class ``c``, ``m_c`` sums the global model's probabilities of
      ``c`` on the same rows and ``p_c`` is the global class balance: the
      key's own calibration-in-the-large, shrunk toward no correction by the
      pseudo-count ``tau`` (a prior-shift correction in the spirit of Saerens et
      al. 2002). Updating it is two ``bincount`` calls per batch.
    - ``"partial_fit"``: a copy of the fitted global model per key, updated with
      ``partial_fit`` on the key's rows (the global model must support
      ``partial_fit``, e.g. :class:`~sklearn.linear_model.SGDClassifier`).
    - ``"blend"``: the global and the key's ``partial_fit`` probabilities
      averaged with weight ``n / (n + tau)`` on the local one, so a key's own
      model counts more as its data grows (empirical-Bayes shrinkage).

    ``tau="auto"`` estimates the pseudo-count from the keys seen so far by the
    method of moments (the ratio of within-key noise to between-key variance of
    the keys' mean residuals, as in a beta-binomial model), refreshed at every
    :meth:`partial_fit`.

    Memory is bounded: at most ``max_keys`` local states are kept; when a new
    key needs room the least recently updated key is evicted (and falls back to
    the global model until it is seen again).

    Parameters set after :meth:`fit` (``set_params``): as for scikit-learn's
    ``SGDClassifier.partial_fit`` and River's online models, ``tau``,
    ``local`` and ``max_keys`` are read (and checked) at each
    :meth:`partial_fit` and :meth:`predict_proba` call, so they take effect
    without refitting (a lower ``max_keys`` evicts the least recent keys at
    the next :meth:`partial_fit`; a switch from ``"bias"`` to a model per key
    is refused while keys learned without one are held). ``global_estimator``
    and ``reset_on_refit`` act at the next :meth:`fit`.

    Parameters
    ----------
    global_estimator : scikit-learn classifier
        Cloned and fitted by :meth:`fit`.
    local : {"bias", "partial_fit", "blend"}, default="bias"
    tau : float or "auto", default="auto"
        Pseudo-count of the shrinkage (``"bias"`` and ``"blend"``).
    max_keys : int, default=100_000
        Local states kept (least-recently-used eviction beyond); a batch
        passed to :meth:`partial_fit` may hold at most this many distinct keys.
    reset_on_refit : bool, default=True
        Whether :meth:`fit` (a new global model) clears the local tier.

    Attributes
    ----------
    global_model_ : estimator
        The fitted global tier.
    classes_ : ndarray
    feature_names_in_ : ndarray of str
        Column names, when fitted on a table with string column names; a
        table with other columns (or the same in another order) is refused by
        :meth:`partial_fit` and :meth:`predict_proba`.
    n_keys_ : int
        Local states held.
    n_evicted_ : int
        Keys evicted so far.

    References
    ----------
    .. [1] Saerens, M., Latinne, P. and Decaestecker, C. (2002). Adjusting the
       outputs of a classifier to new a priori probabilities. Neural Comput.,
       14(1), 21-41.
    .. [2] Efron, B. and Morris, C. (1975). Data analysis using Stein's
       estimator and its generalizations. JASA, 70(350), 311-319.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.twotier import TwoTier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(4000, 2)); keys = rng.integers(0, 20, 4000)
    >>> y = (X[:, 0] + (keys % 2) * 1.5 - 0.75 > 0).astype(int)  # keys shift the boundary
    >>> model = TwoTier(LogisticRegression()).fit(X[:2000], y[:2000])
    >>> _ = model.partial_fit(X[2000:3000], y[2000:3000], keys[2000:3000])
    >>> glob = model.global_model_.score(X[3000:], y[3000:])
    >>> two = model.score(X[3000:], y[3000:], keys=keys[3000:])
    >>> bool(two > glob)
    True
    """

    classes_: npt.NDArray[Any]  # set by fit

    def __init__(
        self,
        global_estimator: Any,
        *,
        local: str = "bias",
        tau: float | str = "auto",
        max_keys: int = 100_000,
        reset_on_refit: bool = True,
    ) -> None:
        self.global_estimator = global_estimator
        self.local = local
        self.tau = tau
        self.max_keys = max_keys
        self.reset_on_refit = reset_on_refit

    # ------------------------------------------------------------------ checks
    def _check_params(self, caller: str) -> None:
        if self.local not in LOCAL_STRATEGIES:
            fail("local", f"one of {LOCAL_STRATEGIES}", self.local, caller)
        if not (isinstance(self.tau, str) and self.tau == "auto"):
            check_scalar(self.tau, "tau", caller=caller, low=0.0)
        # True is no count (it held one key), and reset_on_refit="no" was true
        check_int(self.max_keys, "max_keys", caller=caller, low=1)
        check_bool(self.reset_on_refit, "reset_on_refit", caller)
        if not hasattr(self.global_estimator, "predict_proba"):
            raise TypeError(
                f"{caller}: the global estimator {type(self.global_estimator).__name__} has no "
                "predict_proba; every local strategy corrects the global model's probabilities"
            )
        if self.local in ("partial_fit", "blend") and not hasattr(
            self.global_estimator, "partial_fit"
        ):
            raise TypeError(
                f"{caller}: local={self.local!r} updates a copy of the global model with "
                f"partial_fit, which {type(self.global_estimator).__name__} does not have "
                "(use e.g. SGDClassifier(loss='log_loss'), or local='bias')"
            )

    _tau_: float | None

    def _check_live_params(self, caller: str) -> float:
        """Check the parameters read after :meth:`fit`; return the ``tau`` in force.

        An online model reads its hyper-parameters at each call, as
        scikit-learn's ``SGDClassifier.partial_fit`` and River's models do:
        ``set_params(tau=...)``, ``local`` or ``max_keys`` after :meth:`fit`
        take effect at the next :meth:`partial_fit` / :meth:`predict_proba`
        (a ``tau`` set after fit was ignored until the next ``fit``).
        ``global_estimator`` and ``reset_on_refit`` act at :meth:`fit`.
        """
        if self.local not in LOCAL_STRATEGIES:
            fail("local", f"one of {LOCAL_STRATEGIES}", self.local, caller)
        auto = isinstance(self.tau, str) and self.tau == "auto"
        if auto:
            if self._tau_ is None:  # partial_fit calls made under a numeric tau
                self._tau_ = self._estimate_tau()
            tau = self._tau_
        else:
            tau = check_scalar(self.tau, "tau", caller=caller, low=0.0)
        check_int(self.max_keys, "max_keys", caller=caller, low=1)
        if self.local in ("partial_fit", "blend"):
            if not hasattr(self.global_model_, "partial_fit"):
                raise TypeError(
                    f"{caller}: local={self.local!r} updates a copy of the global model with "
                    f"partial_fit, which {type(self.global_model_).__name__} does not have"
                )
            bare = [k for k, slot in self._slots.items() if slot not in self._models]
            if bare:
                # keys learned under local="bias" have no model of their own: a
                # switch after fit would find none (a raw KeyError)
                fail("local", "'bias', the strategy the local tier's keys were learned "
                     "with (call reset_local() or fit before switching to a model per key)",
                     self.local, caller)
        return float(tau)

    def _check_X(
        self, X: Any, caller: str, check_features: bool = True, check_names: bool = True
    ) -> FloatArray:
        # a sparse matrix became a 0-d object array: refused as "dtype object"
        refuse_sparse(X, "X", caller)
        names = column_names(X)
        fitted = getattr(self, "feature_names_in_", None)
        if check_names and fitted is not None and names is not None and (
            [str(n) for n in names] != fitted.tolist()
        ):
            # the columns are read by position: other names are other features
            fail("X", f"a table with the columns {fitted.tolist()} seen in fit, in that order",
                 described(f"columns {[str(n) for n in names]}"), caller)
        # tables through the shared layer: pd.NA and nulls become NaN (missing values)
        arr = frame_to_numpy(X) if is_frame(X) else np.asarray(
            X.to_numpy() if hasattr(X, "to_numpy") else X
        )
        if arr.dtype.kind == "c":
            fail("X", "real numbers", described("complex values"), caller)
        try:
            # one memory layout: a Fortran-ordered X gave the global model's
            # fit and probabilities in the last bit another answer
            arr = arr.astype(np.float64, order="C")
        except (TypeError, ValueError):
            fail("X", "a numeric 2-D array", described(f"dtype {arr.dtype}"), caller)
        if arr.ndim != 2:
            fail("X", "a 2-D array", described(f"shape {arr.shape}"), caller)
        if (
            check_features
            and hasattr(self, "n_features_in_")
            and arr.shape[1] != self.n_features_in_
        ):
            fail("X", f"{self.n_features_in_} features", described(f"{arr.shape[1]}"), caller)
        if not np.all(np.isfinite(arr)):
            fail("X", "finite values", described("NaN or infinite values"), caller)
        return arr

    # --------------------------------------------------------------- the tiers
    def fit(self, X: Any, y: Any, keys: Any = None) -> TwoTier:
        """Train the global tier in batch (and clear the local tier).

        ``keys`` are accepted for symmetry and, when given, warm the local
        tier with the same rows (they are checked first: bad keys leave the
        model as it was).
        """
        caller = "TwoTier.fit"
        self._check_params(caller)
        y, keys = _in_x_order(X, caller, y=y, keys=keys)
        # a refit may change the feature count, unless kept local models need it
        keep = not self.reset_on_refit and bool(getattr(self, "_slots", None))
        Xa = self._check_X(
            X, caller, check_features=keep and bool(self._models), check_names=False
        )
        ya, kinds = _labels(y, Xa.shape[0], caller)
        check_labels_of_one_kind(list(kinds.values()), "y", caller)
        if keep:  # [False, True] equals the kept classes [0, 1]: flags read as counts
            _no_flags_for_counts(kinds, self.classes_, caller,
                                 hint="the local tier kept by reset_on_refit=False is "
                                 "indexed by them")
        ka = None
        if keys is not None:
            # the keys warm the local tier after the global fit: refused there,
            # they named TwoTier.partial_fit (a call never made) and left the new
            # global model in place
            ka = _key_array(keys, Xa.shape[0], caller)
            n_keys = int(np.unique(ka).size)
            if n_keys > self.max_keys:
                fail("keys", f"at most max_keys={self.max_keys} distinct keys (fit warms "
                     "the local tier of every key it is given: raise max_keys, or warm "
                     "fewer keys)",
                     described(f"{n_keys} distinct keys"), caller)
            if keep and ka.size:
                self._refuse_other_key_kind(ka[0], caller)
        model = clone(self.global_estimator).fit(Xa, ya)
        classes: npt.NDArray[Any] = np.asarray(model.classes_)
        old: npt.NDArray[Any] = getattr(self, "classes_", classes)
        if keep and not np.array_equal(classes, old):
            # the kept per-key, per-class state is indexed by the old classes
            fail("y", f"labels of the kept local tier's classes {old.tolist()} "
                 "(reset_on_refit=False)", described(f"classes {classes.tolist()}"), caller)
        self.global_model_ = model
        self.classes_ = classes
        self.n_features_in_ = Xa.shape[1]
        names = column_names(X)
        if names is not None and all(isinstance(n, str) for n in names):
            self.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        prior = np.bincount(np.searchsorted(self.classes_, ya), minlength=self.classes_.size)
        self.class_prior_ = prior / prior.sum()
        if (self.reset_on_refit or not hasattr(self, "_slots")
                or self._counts.shape[1] != self.classes_.size):
            # reset_on_refit=False with no key held: the (empty) per-class state
            # of the old classes broke the next partial_fit with a raw ValueError
            self._reset_local()
        if ka is not None:
            self._partial_fit(Xa, ya, ka, caller)
        return self

    def _reset_local(self) -> None:
        k = self.classes_.size
        self._slots: dict[Any, int] = {}
        cap = int(min(self.max_keys, 1024))
        self._counts = np.zeros((cap, k))
        self._expected = np.zeros((cap, k))
        self._pq = np.zeros((cap, k))  # sums of p (1 - p): the residuals' variance
        self._n = np.zeros(cap)
        self._last = np.zeros(cap)
        self._models: dict[int, Any] = {}
        self._free: list[int] = list(range(cap - 1, -1, -1))
        self._clock = 0
        self.n_evicted_ = 0
        # the method-of-moments pseudo-count, refreshed at every partial_fit
        # under tau="auto"; None: not yet estimated for the keys held (computed
        # when "auto" is set after partial_fit calls made with a numeric tau)
        self._tau_ = 10.0

    @property
    def n_keys_(self) -> int:
        """Number of keys with a local state."""
        check_is_fitted(self, "global_model_")
        return len(self._slots)

    def _grow(self, need: int) -> None:
        cap = self._n.size
        new_cap = int(min(self.max_keys, max(cap * 2, cap + need)))
        if new_cap <= cap:
            return
        k = self.classes_.size
        for name in ("_counts", "_expected", "_pq"):
            old = getattr(self, name)
            arr = np.zeros((new_cap, k))
            arr[:cap] = old
            setattr(self, name, arr)
        for name in ("_n", "_last"):
            old1 = getattr(self, name)
            arr1 = np.zeros(new_cap)
            arr1[:cap] = old1
            setattr(self, name, arr1)
        self._free.extend(range(new_cap - 1, cap - 1, -1))

    def _slots_for(self, uniq: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        """Slot of each key, allocating (and evicting the least recent) as needed."""
        out = np.empty(uniq.size, dtype=np.int64)
        new = []
        for i, key in enumerate(uniq.tolist()):
            slot = self._slots.get(key)
            if slot is None:
                new.append(i)
            else:
                out[i] = slot
        # max_keys is read now (it may have been lowered after fit): keys beyond
        # it are evicted before any slot is added
        short = len(self._slots) + len(new) - int(self.max_keys)
        if short > 0:
            # least recently used first; keys of this batch are never evicted
            fresh = set(new)
            busy = set(out[[i for i in range(uniq.size) if i not in fresh]].tolist())
            held = np.array(sorted(self._slots.values()))
            order = held[np.argsort(self._last[held], kind="stable")]
            victims = [s for s in order.tolist() if s not in busy][:short]
            by_slot = {s: k for k, s in self._slots.items()}
            for s in victims:
                del self._slots[by_slot[s]]
                self._models.pop(s, None)
                self._counts[s] = 0.0
                self._expected[s] = 0.0
                self._pq[s] = 0.0
                self._n[s] = 0.0
                self._free.append(s)
            self.n_evicted_ += len(victims)
        if len(self._free) < len(new):
            self._grow(len(new) - len(self._free))
        for i in new:
            slot = self._free.pop()
            self._slots[uniq[i].item() if hasattr(uniq[i], "item") else uniq[i]] = slot
            out[i] = slot
        return out

    def partial_fit(self, X: Any, y: Any, keys: Any) -> TwoTier:
        """Adapt the local tier of every key in the batch from its labelled rows.

        Pandas ``y`` and ``keys`` whose index holds ``X``'s row labels in
        another order are matched to ``X``'s rows by label (as in ``fit``,
        ``predict_proba`` and ``score``), the rule the gates use.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels among the global model's classes.
        keys : array-like of shape (n_samples,)
            The key (user, device, segment) of each row: ints, strings or
            booleans, one type (booleans are not the ints 0 and 1).

        Returns
        -------
        self
        """
        return self._partial_fit(X, y, keys, "TwoTier.partial_fit")

    def _partial_fit(self, X: Any, y: Any, keys: Any, caller: str) -> TwoTier:
        """:meth:`partial_fit`, its errors naming ``caller`` (``fit`` warms keys with it)."""
        check_is_fitted(self, "global_model_")
        y, keys = _in_x_order(X, caller, y=y, keys=keys)
        self._check_live_params(caller)
        Xa = self._check_X(X, caller)
        ya, kinds = _labels(y, Xa.shape[0], caller)
        _no_flags_for_counts(kinds, self.classes_, caller)
        ka = _key_array(keys, Xa.shape[0], caller)
        if ka.size:
            self._refuse_other_key_kind(ka[0], caller)
        try:
            idx = np.searchsorted(self.classes_, ya)
        except TypeError:  # None, or text among numeric classes: not comparable
            known = set(self.classes_.tolist())
            bad = next((v for v in ya.tolist() if v not in known), ya[0])
            fail("y", f"labels among the classes {self.classes_.tolist()}", bad, caller)
        idx = np.clip(idx, 0, self.classes_.size - 1)
        if np.any(self.classes_[idx] != ya):
            bad = ya[self.classes_[idx] != ya][0].item()
            fail("y", f"labels among the classes {self.classes_.tolist()}", bad, caller)
        if Xa.shape[0] == 0:
            return self
        uniq, inv = np.unique(ka, return_inverse=True)
        if uniq.size > self.max_keys:
            # the batch's keys are never evicted: they could not all be held
            fail("keys", f"at most max_keys={self.max_keys} distinct keys per batch (split the "
                 "batch, or raise max_keys)", described(f"{uniq.size} distinct keys"), caller)
        slots = self._slots_for(uniq)
        self._clock += 1
        self._last[slots] = self._clock
        row_slot = slots[inv]
        k = self.classes_.size
        proba = self.global_model_.predict_proba(Xa)
        flat = row_slot * k + idx
        size = self._n.size * k
        self._counts += np.bincount(flat, minlength=size).reshape(-1, k)
        for c in range(k):
            self._expected[:, c] += np.bincount(row_slot, weights=proba[:, c],
                                                minlength=self._n.size)
            self._pq[:, c] += np.bincount(row_slot, weights=proba[:, c] * (1 - proba[:, c]),
                                          minlength=self._n.size)
        self._n += np.bincount(row_slot, minlength=self._n.size)
        if self.local in ("partial_fit", "blend"):
            for j, slot in enumerate(slots.tolist()):
                rows = inv == j
                model = self._models.get(slot)
                if model is None:
                    model = copy.deepcopy(self.global_model_)
                    self._models[slot] = model
                model.partial_fit(Xa[rows], ya[rows], classes=self.classes_)
        if self.tau == "auto":
            self._tau_ = self._estimate_tau()
        else:  # estimated when "auto" is set later (no cost while tau is a number)
            self._tau_ = None
        return self

    def _estimate_tau(self) -> float:
        """Method-of-moments pseudo-count from the keys' mean residuals.

        For each key and class, the mean residual ``(n_c - m_c) / n`` has
        variance ``between + sum p(1-p) / n**2`` if the keys' true corrections
        vary with variance ``between`` (a beta-binomial model); ``between`` is
        the observed variance less the mean sampling part, pooled over
        classes, and ``tau`` is the mean per-row variance over ``between``.
        """
        held = np.array(sorted(self._slots.values()))
        if held.size < 5:
            return 10.0
        n = self._n[held]
        ok = n >= 2
        if ok.sum() < 5:
            return 10.0
        n = n[ok][:, None]
        r = (self._counts[held][ok] - self._expected[held][ok]) / n
        within = self._pq[held][ok] / n**2
        between = float(np.sum(np.var(r, axis=0, ddof=1) - within.mean(axis=0)))
        if between <= 1e-12:
            return 1e6  # keys do not differ: stay with the global model
        base = float(np.sum((self._pq[held][ok] / n).mean(axis=0)))
        return float(np.clip(base / between, 0.5, 1e6))

    def predict_proba(self, X: Any, keys: Any = None) -> FloatArray:
        """Class probabilities: global for cold keys, corrected by each key's local tier."""
        caller = "TwoTier.predict_proba"
        check_is_fitted(self, "global_model_")
        (keys,) = _in_x_order(X, caller, keys=keys)
        Xa = self._check_X(X, caller)
        proba = np.asarray(self.global_model_.predict_proba(Xa), dtype=np.float64)
        if keys is None:  # the global tier alone: no local parameter is read
            return proba
        tau = self._check_live_params(caller)
        # checked even while no key is warm: keys of another length (or missing,
        # or fractional) were accepted until the first partial_fit, refused after
        ka = _key_array(keys, Xa.shape[0], caller)
        if Xa.shape[0] == 0 or not self._slots:
            return proba
        if ka.size:
            self._refuse_other_key_kind(ka[0], caller)
        uniq, inv = np.unique(ka, return_inverse=True)
        slot_of = np.array(
            [self._slots.get(u.item() if hasattr(u, "item") else u, -1) for u in uniq],
            dtype=np.int64,
        )[inv]
        warm = slot_of >= 0
        if not warm.any():
            return proba
        s = slot_of[warm]
        if self.local == "bias":
            prior = tau * self.class_prior_
            corr = np.log(self._counts[s] + prior + _EPS) - np.log(self._expected[s] + prior + _EPS)
            logit = np.log(np.clip(proba[warm], _EPS, 1.0)) + corr
            logit -= logit.max(axis=1, keepdims=True)
            out = np.exp(logit)
            proba[warm] = out / out.sum(axis=1, keepdims=True)
            return proba
        rows = np.flatnonzero(warm)
        local = np.empty((rows.size, self.classes_.size))
        for slot in np.unique(s).tolist():
            sel = s == slot
            local[sel] = self._models[slot].predict_proba(Xa[rows[sel]])
        if self.local == "partial_fit":
            proba[warm] = local
        else:
            w = (self._n[s] / (self._n[s] + tau))[:, None]
            proba[warm] = (1 - w) * proba[warm] + w * local
        return proba

    def predict(self, X: Any, keys: Any = None) -> npt.NDArray[Any]:
        """Class labels (see :meth:`predict_proba`)."""
        # the probabilities first: self.classes_ read first made an unfitted model
        # fail with AttributeError "no attribute 'classes_'", not NotFittedError
        proba = self.predict_proba(X, keys)
        return np.asarray(self.classes_[np.argmax(proba, axis=1)])

    def score(self, X: Any, y: Any, sample_weight: Any = None, keys: Any = None) -> float:
        """Accuracy of :meth:`predict` with the local tier of ``keys``."""
        from sklearn.metrics import accuracy_score

        caller = "TwoTier.score"
        check_is_fitted(self, "global_model_")
        y, sample_weight, keys = _in_x_order(X, caller, y=y, sample_weight=sample_weight,
                                             keys=keys)
        pred = self.predict(X, keys)
        ya, kinds = _labels(y, pred.shape[0], caller)
        # a negative weight gave an accuracy above 1 (or a raw sklearn error for NaN)
        w = check_weights(sample_weight, pred.shape[0], caller, positive_sum=True)
        # True == 1: flags scored against the classes 0 and 1 would count as right
        _no_flags_for_counts(kinds, self.classes_, caller)
        # text against numeric classes (or the reverse): sklearn's raw "Mix of label
        # input types" ValueError, naming no argument
        check_same_label_kind(kinds, "y", label_kinds(self.classes_), "classes_", caller)
        # object arrays of ints are "unknown" targets to sklearn (a raw ValueError):
        # labels of one kind are compared as the plain array NumPy makes of them
        if ya.dtype == object and len(kinds) == 1:
            ya = np.asarray(ya.tolist())
        return float(accuracy_score(ya, pred, sample_weight=w))

    def _refuse_other_key_kind(self, key: Any, caller: str, name: str = "keys") -> None:
        """Refuse keys of another kind than the keys learned so far (``"1"`` after ``1``).

        Such a key never matches a local model, so the rows silently got the
        global model's answer (and a ``partial_fit`` started a second local
        model for the same entity).
        """
        if not self._slots:
            return
        learned = next(iter(self._slots))
        got = key.item() if isinstance(key, np.generic) else key
        # flags are keys of their own kind (True == 1 would reach the local model of key 1)
        a = _key_family(learned)
        b = _key_family(got)
        if a != b:
            fail(name, f"keys of the kind of the keys learned so far ({a} keys, such as "
                 f"{learned!r})", described(f"{b} keys, such as {got!r}"), caller)

    def reset_key(self, key: Any) -> None:
        """Forget one key's local state (it falls back to the global model)."""
        caller = "TwoTier.reset_key"
        check_is_fitted(self, "global_model_")
        key = _one_key(key, caller)  # 3.0 is the key 3, as partial_fit reads it
        self._refuse_other_key_kind(key, caller, "key")
        slot = self._slots.pop(key, None)
        if slot is None:
            return
        self._models.pop(slot, None)
        self._counts[slot] = 0.0
        self._expected[slot] = 0.0
        self._pq[slot] = 0.0
        self._n[slot] = 0.0
        self._free.append(slot)

    def reset_local(self) -> None:
        """Forget every key's local state (e.g. after a new global model)."""
        check_is_fitted(self, "global_model_")
        self._reset_local()

    def local_state(self, key: Any) -> dict[str, Any] | None:
        """One key's local state as plain data (counts, expected, rows), or None if cold.

        A key of another kind than the keys learned (``"1"`` or ``True`` when
        they are ints) is refused, as by :meth:`reset_key`: ``True`` would
        show key ``1``'s state and ``"1"`` a cold key. A key is read as
        :meth:`partial_fit` reads keys: ``3.0`` is the key ``3``.
        """
        caller = "TwoTier.local_state"
        check_is_fitted(self, "global_model_")
        key = _one_key(key, caller)  # 3.0 is the key 3, as partial_fit reads it
        self._refuse_other_key_kind(key, caller, "key")
        slot = self._slots.get(key)
        if slot is None:
            return None
        return {
            "counts": self._counts[slot].copy(),
            "expected": self._expected[slot].copy(),
            "n_samples": float(self._n[slot]),
            "model": self._models.get(slot),
        }

    def memory_per_key(self) -> float:
        """Bytes of local state per key held (arrays, and copied models if any)."""
        import pickle

        check_is_fitted(self, "global_model_")
        k = self.classes_.size
        per = (3 * k + 2) * 8.0
        if self._models:
            sample = next(iter(self._models.values()))
            per += len(pickle.dumps(sample))
        return per
