"""Active learning: which unlabelled rows to send to the labellers next.

Every query strategy is a plain function with one signature (the
:class:`~mllifecycle.protocols.QueryStrategy` protocol)::

    strategy(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None) -> Query

over a fitted classifier and the pool of unlabelled rows. It returns the
chosen pool indices (most informative first) and their scores (higher is
more informative). :class:`ActiveLearner` runs the query-label-refit loop
against an oracle callback; :func:`simulate` replays it on labelled data and
compares the learning curve with random sampling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import new_seed, seeded_clone
from mllifecycle._frames import column_names, frame_kind, in_row_order, is_frame, series_kind
from mllifecycle._gain import known_classes_scorer
from mllifecycle._results import ARRAY_EQ, attrs_to_dict, flat_metrics, format_value, html_table
from mllifecycle._scaling import pow2_exponent
from mllifecycle._validation import (
    ONE_KIND,
    RNGLike,
    check_array,
    check_callable,
    check_has_methods,
    check_int,
    check_labels_as_given,
    check_labels_of_one_kind,
    check_option,
    check_probability,
    check_rng,
    check_scalar,
    described,
    fail,
    label_kinds,
)
from mllifecycle.exceptions import NotFittedError

__all__ = [
    "Query",
    "random_sampling",
    "least_confident",
    "margin",
    "entropy",
    "vote_entropy",
    "kl_divergence",
    "density_weighted",
    "k_center_greedy",
    "cluster_margin",
    "StabilizingPredictions",
    "ActiveLearner",
    "SimulationResult",
    "simulate",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


# unsafe_hash=False: it holds arrays, so it is unhashable (as arrays are)
@attrs.frozen(kw_only=True, repr=False, unsafe_hash=False)
class Query:
    """The rows a query strategy picked.

    Attributes
    ----------
    indices : ndarray of int
        Pool row indices, most informative first.
    scores : ndarray of float
        The strategy's score of each chosen row (higher is more informative).
    strategy : str
        Name of the strategy.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import margin
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> model = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> q = margin(model, np.array([[-3.0], [0.1], [3.0]]))
    >>> q.indices
    array([1])
    """

    # a user's strategy building a Query from lists: batch_size, to_metrics and
    # the repr failed on list.shape / list.mean
    indices: IntArray = attrs.field(eq=ARRAY_EQ, converter=np.asarray)
    scores: FloatArray = attrs.field(eq=ARRAY_EQ, converter=np.asarray)
    strategy: str

    @property
    def batch_size(self) -> int:
        """Number of rows chosen."""
        return int(self.indices.shape[0])

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-safe dict."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return the batch size and the mean and max score."""
        s = self.scores
        return flat_metrics({"batch_size": self.batch_size,
                             "mean_score": float(s.mean()) if s.size else float("nan"),
                             "max_score": float(s.max()) if s.size else float("nan")})

    def __repr__(self) -> str:
        head = ", ".join(str(i) for i in self.indices[:6].tolist())
        more = ", ..." if self.batch_size > 6 else ""
        return f"Query(strategy={self.strategy!r}, indices=[{head}{more}])"

    def _repr_html_(self) -> str:
        rows = list(zip(self.indices.tolist(), self.scores.tolist(), strict=True))
        return html_table(rows, ["pool row", "score"], caption=repr(self))


# ---------------------------------------------------------------- helpers


def _check_pool(X_pool: Any, batch_size: Any, caller: str) -> tuple[FloatArray, int]:
    Xp = check_array(X_pool, "X_pool", caller=caller, ndim=2)
    b = check_int(batch_size, "batch_size", caller=caller, low=1)
    if b > Xp.shape[0]:
        fail("batch_size", f"at most the pool size ({Xp.shape[0]} rows)", b, caller)
    return Xp, b


def _refuse_typed_categories(X: Any, name: str, caller: str) -> None:
    """Refuse a table with columns typed categorical where distances are taken on it.

    Their labels are not coordinates: cosine similarities and Euclidean
    distances on category codes are silently meaningless.
    """
    from mllifecycle._frames import refuse_categorical_columns

    refuse_categorical_columns(
        X, name, "numeric columns for distances (a column typed categorical holds "
        "labels: encode it, or pass an embedding)", caller,
    )


def _start(X_pool: Any, batch_size: Any, rng: RNGLike, caller: str
           ) -> tuple[FloatArray, int, np.random.Generator]:
    """Check the pool, the batch and ``rng`` (the preamble every strategy shares)."""
    Xp, b = _check_pool(X_pool, batch_size, caller)
    return Xp, b, check_rng(rng, caller=caller)


def _model_input(
    model: Any, table: Any, Xa: FloatArray | None, name: str, caller: str
) -> Any:
    """Return what to hand ``model`` for the rows of ``table`` (checked as ``Xa``).

    A model fitted on a table with column names (``feature_names_in_``) is
    refused a table whose columns differ in name or order: handed the bare
    array, it read column ``b`` as ``a`` without a word (scikit-learn itself
    refuses such a table). A pandas table with the fitted columns is handed
    on as it is; anything else as the array.
    """
    fitted = getattr(model, "feature_names_in_", None)
    if fitted is None or table is None:
        return Xa
    from mllifecycle._frames import frame_kind

    names = column_names(table)
    if names is None:
        return Xa
    want = [str(c) for c in np.asarray(fitted).tolist()]
    got = [str(c) for c in names]
    if got != want:
        fail(name, f"the columns the estimator was fitted on, in that order ({want!r})",
             described(f"columns {got!r}"), caller)
    return table if frame_kind(table) == "pandas" else Xa


def _same_columns(X_pool: Any, X_labelled: Any, caller: str) -> None:
    """Refuse two tables whose columns differ in name or order (distances pair them)."""
    a, b = column_names(X_pool), column_names(X_labelled)
    if a is None or b is None:
        return
    want, got = [str(c) for c in a], [str(c) for c in b]
    if got != want:
        fail("X_labelled", f"the columns of X_pool, in that order ({want!r})",
             described(f"columns {got!r}"), caller)


def _proba(estimator: Any, Xp: FloatArray, caller: str, table: Any = None) -> FloatArray:
    check_has_methods(estimator, "estimator", ["predict_proba"], caller)
    classes = getattr(estimator, "classes_", None)
    if classes is not None and len(classes) < 2:
        only = np.asarray(classes).tolist()  # Python values: 3, not np.int64(3)
        fail("estimator", "a classifier fitted on at least 2 classes (query at random "
             "until two classes are labelled; ActiveLearner does so)",
             described(f"one fitted on the single class {only[0]!r}" if only
                       else "one fitted on no class"), caller)
    Xin = _model_input(estimator, table, Xp, "X_pool", caller)
    p = np.asarray(estimator.predict_proba(Xin), dtype=np.float64)
    if p.ndim != 2 or p.shape[0] != Xp.shape[0] or p.shape[1] < 2:
        fail("estimator", "predict_proba returning (n_pool, n_classes >= 2)",
             described(f"shape {p.shape}"), caller)
    return _checked_proba(p, caller)


def _checked_proba(p: FloatArray, caller: str) -> FloatArray:
    """Refuse predict_proba output that is not probabilities (NaN, range, row sums).

    NaN rows would drop out of the ranking (a short batch), and a decision
    function passed off as probabilities would be ranked as if it were one.
    Rows may sum to 1 within 1e-4 (float32 softmax output).
    """
    bad = ~np.isfinite(p).all(axis=1)
    if bad.any():
        fail("estimator", "predict_proba returning probabilities free of NaN and inf",
             described(f"{int(bad.sum())} row(s) with NaN or inf, e.g. row "
                       f"{int(np.flatnonzero(bad)[0])}"), caller)
    if (p < 0).any() or (p > 1).any():
        fail("estimator", "predict_proba returning probabilities in [0, 1]",
             described(f"values in [{float(p.min())!r}, {float(p.max())!r}]"), caller)
    sums = p.sum(axis=1)
    off = np.abs(sums - 1.0) > 1e-4
    if off.any():
        fail("estimator", "predict_proba returning rows that sum to 1",
             described(f"{int(off.sum())} row(s) that do not, e.g. a sum of "
                       f"{float(sums[off][0])!r}"), caller)
    return p


def _top(scores: FloatArray, b: int, gen: np.random.Generator) -> IntArray:
    """Return the indices of the ``b`` largest scores, ties broken at random."""
    n = scores.shape[0]
    if b < n:
        kth = np.partition(scores, n - b)[n - b]
        cand = np.flatnonzero(scores >= kth)
    else:
        cand = np.arange(n)
    order = np.lexsort((gen.random(cand.shape[0]), -scores[cand]))
    return cand[order[:b]].astype(np.intp)


def _query(scores: FloatArray, b: int, gen: np.random.Generator, name: str) -> Query:
    idx = _top(scores, b, gen)
    return Query(indices=idx, scores=scores[idx], strategy=name)


def _sorted2(p: FloatArray) -> FloatArray:
    return np.partition(p, p.shape[1] - 2, axis=1)[:, -2:]


def _least_confident_scores(p: FloatArray) -> FloatArray:
    return np.asarray(1.0 - p.max(axis=1), dtype=np.float64)


def _entropy_rows(p: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(p > 0, p * np.log(p), 0.0)
    return np.asarray(-t.sum(axis=1), dtype=np.float64)


def _margin_scores(p: FloatArray) -> FloatArray:
    top2 = _sorted2(p)
    return np.asarray(1.0 - (top2[:, 1] - top2[:, 0]), dtype=np.float64)


# ---------------------------------------------------------------- uncertainty


def random_sampling(
    estimator: Any, X_pool: npt.ArrayLike, *, batch_size: int = 1,
    X_labelled: npt.ArrayLike | None = None, rng: RNGLike = None,
) -> Query:
    """Pick pool rows uniformly at random (the baseline every strategy must beat).

    Parameters
    ----------
    estimator : object
        Ignored (kept for the common strategy signature).
    X_pool : array-like of shape (n_pool, n_features)
    batch_size : int, default=1
    X_labelled : array-like, optional
        Ignored.
    rng : int, numpy.random.Generator or None, default=None

    Returns
    -------
    Query
        ``scores`` are the uniform draws that ordered the rows.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import random_sampling
    >>> random_sampling(None, np.zeros((10, 2)), batch_size=3, rng=0).batch_size
    3
    """
    caller = "random_sampling"
    Xp, b, gen = _start(X_pool, batch_size, rng, caller)
    return _query(np.asarray(gen.random(Xp.shape[0]), dtype=np.float64), b, gen, "random")


def least_confident(
    estimator: Any, X_pool: npt.ArrayLike, *, batch_size: int = 1,
    X_labelled: npt.ArrayLike | None = None, rng: RNGLike = None,
) -> Query:
    """Pick the rows whose most probable class is least probable.

    Score ``1 - max_k p_k`` (Lewis and Gale [1]_; Settles [2]_).

    Parameters
    ----------
    estimator : fitted classifier with ``predict_proba``
    X_pool : array-like of shape (n_pool, n_features)
        Unlabelled rows (no NaN).
    batch_size : int, default=1
        Rows to pick (the top scores; ties broken at random with ``rng``).
    X_labelled : array-like, optional
        Ignored (kept for the common strategy signature).
    rng : int, numpy.random.Generator or None, default=None

    Returns
    -------
    Query

    Raises
    ------
    TypeError
        If ``estimator`` has no ``predict_proba``.

    References
    ----------
    .. [1] D. D. Lewis and W. A. Gale, "A sequential algorithm for training
       text classifiers", SIGIR (1994).
    .. [2] B. Settles, "Active learning literature survey", University of
       Wisconsin-Madison CS Technical Report 1648 (2009).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import least_confident
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> model = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> least_confident(model, np.array([[-3.0], [0.1], [3.0]])).indices
    array([1])
    """
    caller = "least_confident"
    Xp, b, gen = _start(X_pool, batch_size, rng, caller)
    p = _proba(estimator, Xp, caller, X_pool)
    return _query(np.asarray(1.0 - p.max(axis=1)), b, gen, "least_confident")


def margin(
    estimator: Any, X_pool: npt.ArrayLike, *, batch_size: int = 1,
    X_labelled: npt.ArrayLike | None = None, rng: RNGLike = None,
) -> Query:
    """Pick the rows with the smallest gap between the two most probable classes.

    Score ``1 - (p_(1) - p_(2))`` (Scheffer, Decomain and Wrobel [1]_).

    Parameters
    ----------
    estimator : fitted classifier with ``predict_proba``
    X_pool : array-like of shape (n_pool, n_features)
    batch_size : int, default=1
    X_labelled : array-like, optional
        Ignored.
    rng : int, numpy.random.Generator or None, default=None
        Breaks ties.

    Returns
    -------
    Query

    References
    ----------
    .. [1] T. Scheffer, C. Decomain and S. Wrobel, "Active hidden Markov
       models for information extraction", IDA (2001).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import margin
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> model = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> margin(model, np.array([[-3.0], [0.1], [6.0]]), batch_size=2).indices
    array([1, 0])
    """
    caller = "margin"
    Xp, b, gen = _start(X_pool, batch_size, rng, caller)
    p = _proba(estimator, Xp, caller, X_pool)
    return _query(_margin_scores(p), b, gen, "margin")


def entropy(
    estimator: Any, X_pool: npt.ArrayLike, *, batch_size: int = 1,
    X_labelled: npt.ArrayLike | None = None, rng: RNGLike = None,
) -> Query:
    """Pick the rows whose predicted class distribution has the highest entropy.

    Score ``-sum_k p_k log p_k`` (Shannon entropy, Settles [1]_). With more
    than two classes it favours rows where several classes overlap, which
    a model may never learn to separate; :func:`margin` is usually the
    better choice there (``benchmarks/results/active.md``, 5-class sets).

    Parameters
    ----------
    estimator : fitted classifier with ``predict_proba``
    X_pool : array-like of shape (n_pool, n_features)
    batch_size : int, default=1
    X_labelled : array-like, optional
        Ignored.
    rng : int, numpy.random.Generator or None, default=None

    Returns
    -------
    Query

    References
    ----------
    .. [1] B. Settles, "Active learning literature survey", University of
       Wisconsin-Madison CS Technical Report 1648 (2009).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import entropy
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> model = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> entropy(model, np.array([[-3.0], [0.1], [3.0]])).indices
    array([1])
    """
    caller = "entropy"
    Xp, b, gen = _start(X_pool, batch_size, rng, caller)
    p = _proba(estimator, Xp, caller, X_pool)
    return _query(_entropy_rows(p), b, gen, "entropy")


# ---------------------------------------------------------------- committees


def _committee_proba(estimator: Any, Xp: FloatArray, caller: str,
                     table: Any = None) -> FloatArray:
    """Member probabilities aligned on one class list: (n_members, n_pool, n_classes)."""
    if isinstance(estimator, Sequence) and not isinstance(estimator, str):
        members = list(estimator)
        coded = False
        # members fitted on 0 and "0" (or True and 1) would pool them as one class
        values = [v for m in members for v in np.asarray(getattr(m, "classes_", [])).tolist()]
        check_labels_of_one_kind(values, "estimator", caller,
                                 expected="a committee whose members were fitted on class "
                                 "labels of one kind (all text, all numbers or all booleans)")
        all_classes: Any = np.unique(np.asarray(values)) if values else []
    elif hasattr(estimator, "estimators_"):
        members = list(estimator.estimators_)
        all_classes = np.asarray(getattr(estimator, "classes_", []))
        coded = True  # scikit-learn ensembles fit members on encoded labels 0..K-1
        # the ensemble holds the column names; its members were fitted on arrays
        _model_input(estimator, table, Xp, "X_pool", caller)
    else:
        fail("estimator", "a committee: a fitted ensemble with estimators_ (e.g. "
             "BaggingClassifier, RandomForestClassifier) or a list of fitted classifiers",
             estimator, caller)
    if len(members) < 2:
        fail("estimator", "a committee of at least 2 members",
             described(f"{len(members)} member(s)"), caller)
    k = len(all_classes)
    if k < 2:
        fail("estimator", "a committee fitted on at least 2 classes (query at random "
             "until two classes are labelled)", described(f"{k} class(es)"), caller)
    if coded:
        coded = _members_coded(members, k)
    out = np.zeros((len(members), Xp.shape[0], k))
    for i, m in enumerate(members):
        check_has_methods(m, "estimator", ["predict_proba"], caller)
        p = np.asarray(m.predict_proba(_model_input(m, table, Xp, "X_pool", caller)),
                       dtype=np.float64)
        mc = np.asarray(m.classes_)
        if p.ndim != 2 or p.shape != (Xp.shape[0], mc.size):
            fail("estimator", "members whose predict_proba returns (n_pool, "
                 "len(classes_))", described(f"member {i}: shape {p.shape}"), caller)
        _checked_proba(p, caller)
        cols = mc.astype(np.intp) if coded else np.searchsorted(all_classes, mc)
        if not coded and (np.any(cols >= k) or not np.array_equal(
                np.asarray(all_classes)[np.minimum(cols, k - 1)], mc)):
            fail("estimator", f"members fitted on the committee's classes "
                 f"{np.asarray(all_classes).tolist()!r} (or on their codes 0..{k - 1})",
                 described(f"member {i} with classes {mc.tolist()!r}"), caller)
        out[i][:, cols] = p
    return out


def _members_coded(members: list[Any], k: int) -> bool:
    """Whether an ensemble's members were fitted on the codes 0..K-1 of its classes.

    scikit-learn's forests, bagging, voting and stacking fit their members on
    encoded labels; AdaBoost fits them on the labels themselves. Members'
    classes ``[-1, 1]`` (AdaBoost on labels -1/+1) were read as the codes
    -1 and 1: column -1 is the last, so the probabilities of class -1 landed
    on class 1's column and were overwritten. The codes are used only when
    every member's classes are whole numbers in [0, K) (where they are also
    the ensemble's labels, the codes are the usual case: a bagged member that
    missed a class).
    """
    for m in members:
        mc = np.asarray(getattr(m, "classes_", []))
        if not (mc.dtype.kind in "iuf" and mc.size and np.all(mc == np.round(mc))
                and mc.min() >= 0 and mc.max() < k):
            return False
    return True


def vote_entropy(
    estimator: Any, X_pool: npt.ArrayLike, *, batch_size: int = 1,
    X_labelled: npt.ArrayLike | None = None, rng: RNGLike = None,
) -> Query:
    """Query by committee: pick the rows the members' votes disagree on most.

    Score: entropy of the vote shares ``V_k / C`` of the ``C`` members'
    predicted classes (Dagan and Engelson [1]_; Seung, Opper and
    Sompolinsky [2]_).

    Parameters
    ----------
    estimator : fitted ensemble with ``estimators_`` or list of fitted classifiers
        The committee, e.g. a ``BaggingClassifier`` or a random forest.
    X_pool : array-like of shape (n_pool, n_features)
    batch_size : int, default=1
    X_labelled : array-like, optional
        Ignored.
    rng : int, numpy.random.Generator or None, default=None
        Breaks ties (vote entropy has many).

    Returns
    -------
    Query

    References
    ----------
    .. [1] I. Dagan and S. P. Engelson, "Committee-based sampling for training
       probabilistic classifiers", ICML (1995).
    .. [2] H. S. Seung, M. Opper and H. Sompolinsky, "Query by committee",
       COLT (1992).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import BaggingClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from mllifecycle.labels import vote_entropy
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(80, 2))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> bag = BaggingClassifier(DecisionTreeClassifier(), random_state=0).fit(X, y)
    >>> q = vote_entropy(bag, rng.normal(size=(50, 2)), batch_size=5, rng=0)
    >>> q.batch_size
    5
    """
    caller = "vote_entropy"
    Xp, b, gen = _start(X_pool, batch_size, rng, caller)
    P = _committee_proba(estimator, Xp, caller, X_pool)
    votes = P.argmax(axis=2)  # (members, n)
    k = P.shape[2]
    shares = np.stack([(votes == c).mean(axis=0) for c in range(k)], axis=1)
    return _query(_entropy_rows(shares), b, gen, "vote_entropy")


def kl_divergence(
    estimator: Any, X_pool: npt.ArrayLike, *, batch_size: int = 1,
    X_labelled: npt.ArrayLike | None = None, rng: RNGLike = None,
) -> Query:
    """Query by committee: pick the rows where members diverge most from consensus.

    Score: mean over members of ``KL(P_member || P_consensus)``, the consensus
    being the members' mean distribution (McCallum and Nigam [1]_).

    Parameters
    ----------
    estimator : fitted ensemble with ``estimators_`` or list of fitted classifiers
    X_pool : array-like of shape (n_pool, n_features)
    batch_size : int, default=1
    X_labelled : array-like, optional
        Ignored.
    rng : int, numpy.random.Generator or None, default=None

    Returns
    -------
    Query

    References
    ----------
    .. [1] A. McCallum and K. Nigam, "Employing EM and pool-based active
       learning for text classification", ICML (1998).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import kl_divergence
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> a = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> b = LogisticRegression().fit(X + 1.5, [0, 0, 1, 1])
    >>> kl_divergence([a, b], np.array([[-5.0], [0.7], [6.0]])).indices
    array([1])
    """
    caller = "kl_divergence"
    Xp, b, gen = _start(X_pool, batch_size, rng, caller)
    P = _committee_proba(estimator, Xp, caller, X_pool)
    cons = P.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(P > 0, P * (np.log(P) - np.log(cons)[None]), 0.0)
    return _query(np.asarray(terms.sum(axis=2).mean(axis=0)), b, gen, "kl_divergence")


# ---------------------------------------------------------------- density / diversity


def density_weighted(
    estimator: Any, X_pool: npt.ArrayLike, *, batch_size: int = 1,
    X_labelled: npt.ArrayLike | None = None, rng: RNGLike = None,
    beta: float = 1.0, uncertainty: str = "entropy",
) -> Query:
    """Uncertainty weighted by how representative a row is of the pool.

    Score ``u(x) * d(x) ** beta`` with ``d(x)`` the mean cosine similarity of
    ``x`` to the pool rows (information density, Settles and Craven [1]_),
    mapped to [0, 1] as ``(1 + cos) / 2``. The mean similarity to all rows is
    one dot product with the mean unit vector, so the cost is linear in the
    pool size. Outliers, uncertain but unrepresentative, are passed over.

    Parameters
    ----------
    estimator : fitted classifier with ``predict_proba``
    X_pool : array-like of shape (n_pool, n_features)
        Centre or standardise the features: cosine similarity is taken
        around the origin.
    batch_size : int, default=1
    X_labelled : array-like, optional
        Ignored.
    rng : int, numpy.random.Generator or None, default=None
    beta : float, default=1.0
        Weight of density against uncertainty (0 gives plain uncertainty).
    uncertainty : {"entropy", "margin", "least_confident"}, default="entropy"

    Returns
    -------
    Query

    References
    ----------
    .. [1] B. Settles and M. Craven, "An analysis of active learning
       strategies for sequence labeling tasks", EMNLP (2008).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import density_weighted
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 2))
    >>> model = LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))
    >>> density_weighted(model, X, batch_size=4, rng=0).batch_size
    4
    """
    caller = "density_weighted"
    _refuse_typed_categories(X_pool, "X_pool", caller)
    Xp, b, gen = _start(X_pool, batch_size, rng, caller)
    w = check_scalar(beta, "beta", caller=caller, low=0.0)
    kind = check_option(uncertainty, "uncertainty",
                        ("entropy", "margin", "least_confident"), caller)
    p = _proba(estimator, Xp, caller, X_pool)
    u = {"entropy": _entropy_rows, "margin": _margin_scores,
         "least_confident": _least_confident_scores}[kind](p)
    # rows divided by their largest entry first: the squares of entries beyond
    # ~1e154 (or below ~1e-154) overflow (underflow), which made every row's
    # unit vector 0 and every density 1/2
    top = np.abs(Xp).max(axis=1)
    scaled = Xp / np.where(top > 0, top, 1.0)[:, None]
    norms = np.linalg.norm(scaled, axis=1)
    unit = scaled / np.where(norms > 0, norms, 1.0)[:, None]
    dens = (1.0 + unit @ unit.mean(axis=0)) / 2.0
    return _query(np.asarray(u * dens**w, dtype=np.float64), b, gen, "density_weighted")


def _sq_norms(X: FloatArray) -> FloatArray:
    return np.asarray(np.einsum("ij,ij->i", X, X), dtype=np.float64)


def _tol_scale(d: int) -> float:
    """Bound factor on the rounding of ``|a|^2 + |b|^2 - 2 a.b`` in ``d`` dimensions.

    Each of the two norms and the dot product carry at most ``(d - 1) eps``
    times ``|a|^2 + |b|^2`` of error in any summation order (BLAS included;
    Higham 2002, §3.1), and the sum and difference a few ``eps`` more; twice
    that is kept as a margin.
    """
    return float((4 * d + 16) * np.finfo(np.float64).eps)


def _min_sq_dist(Xp: FloatArray, C: FloatArray, norms_p: FloatArray | None = None,
                 row_chunk: int = 4096, col_chunk: int = 512) -> FloatArray:
    """Squared distance of each row of ``Xp`` to its nearest row of ``C``, exactly.

    Exact means from the differences, not the expansion ``|a|^2 + |b|^2 -
    2ab``: that loses the digits of distances far below the rows' norms
    (near-duplicate rows, or features with a large offset), and the greedy
    cover would then pick the wrong row. The expansion (one matrix product)
    is used only to find, per row, the rows of ``C`` that can be nearest
    given a rigorous bound on its rounding; the distances to those are then
    taken from the differences. Usually one candidate per row, so this costs
    a matrix product instead of ``n * m`` difference vectors; with a large
    offset every pair is a candidate and it costs what the direct way does.
    """
    n, d = Xp.shape
    na = _sq_norms(Xp) if norms_p is None else norms_p
    nc = _sq_norms(C)
    k = _tol_scale(d + 1)
    best = np.full(n, np.inf)
    for c0 in range(0, C.shape[0], col_chunk):
        B, b2 = C[c0:c0 + col_chunk], nc[c0:c0 + col_chunk]
        # one product gives |b|^2 - 2 a.b = |a - b|^2 - |a|^2 (scaling by 2 is
        # exact); its rounding is below tol per row (the chunk's largest |b|^2
        # stands in for each one)
        Bt = np.ascontiguousarray(np.vstack([-2.0 * B.T, b2[None, :]]))
        b2max = float(b2.max())
        for r0 in range(0, n, row_chunk):
            A, a2 = Xp[r0:r0 + row_chunk], na[r0:r0 + row_chunk]
            D = np.hstack([A, np.ones((A.shape[0], 1))]) @ Bt
            near = D.argmin(axis=1)
            at = np.arange(D.shape[0])
            cut = D[at, near] + 2.0 * k * (a2 + b2max)
            D[at, near] = np.inf
            # the nearest row by the product, and every other row that may be
            # nearer within the rounding: distances taken from the differences
            diff = A - B[near]
            part = np.einsum("ij,ij->i", diff, diff)
            more = np.flatnonzero(D.min(axis=1) <= cut)
            if more.shape[0]:
                ri, cj = np.nonzero(D[more] <= cut[more, None])
                dd = A[more[ri]] - B[cj]
                ex = np.einsum("ij,ij->i", dd, dd)
                starts = np.flatnonzero(np.r_[True, ri[1:] != ri[:-1]])
                part[more] = np.minimum(part[more], np.minimum.reduceat(ex, starts))
            rows = slice(r0, r0 + A.shape[0])
            best[rows] = np.minimum(best[rows], part)
    return best


def _lower_sq_dist(Z: FloatArray, norms: FloatArray, i: int, d_old: FloatArray,
                   k: float) -> FloatArray:
    """``min(d_old, |Z - Z[i]|^2)`` exactly, the differences taken only where it can matter."""
    approx = norms + norms[i] - 2.0 * (Z @ Z[i])
    rows = np.flatnonzero(approx - k * (norms + norms[i]) < d_old)
    if rows.shape[0]:
        diff = Z[rows] - Z[i]
        d_old[rows] = np.minimum(d_old[rows], np.einsum("ij,ij->i", diff, diff))
    return d_old


def k_center_greedy(
    estimator: Any, X_pool: npt.ArrayLike, *, batch_size: int = 1,
    X_labelled: npt.ArrayLike | None = None, rng: RNGLike = None,
    embedding: Callable[[Any], Any] | None = None,
    candidate_factor: float | None = None,
) -> Query:
    """Core-set batch: greedily pick the row farthest from everything chosen so far.

    The greedy 2-approximation of the k-center problem used by Sener and
    Savarese's core-set active learning [1]_: each pick maximises its
    Euclidean distance to the nearest labelled or already picked row, so a
    batch covers the pool instead of crowding one uncertain region.

    On the whole pool (the default, as in the paper) this is pure diversity:
    the model's uncertainty plays no part. That is its regime: a cold start,
    a model whose probabilities cannot be trusted yet, or a learned embedding
    with large batches. With a fitted probabilistic model and batches of
    tens, top-k margin usually learns faster (``benchmarks/active.py``:
    whole-pool k-center greedy beat it in 2 of 12 runs at batch size 50).
    ``candidate_factor`` makes it a hybrid in the manner of
    :func:`cluster_margin`: the greedy cover is taken over the
    ``candidate_factor * batch_size`` lowest-margin rows only, so the batch
    is uncertain *and* spread out (with ``candidate_factor=3`` it beat top-k
    margin in 11 of the 12 runs). For batches > 1 with a probabilistic
    model, :func:`cluster_margin` is the recommended default.

    Parameters
    ----------
    estimator : object
        Ignored unless ``embedding`` is None and it has ``transform`` (then
        distances are taken in its transformed space), or ``candidate_factor``
        is given (then a fitted classifier with ``predict_proba``).
    X_pool : array-like of shape (n_pool, n_features)
    batch_size : int, default=1
    X_labelled : array-like of shape (n_labelled, n_features), optional
        Rows already labelled (the initial centres). Without them the first
        pick is at random.
    rng : int, numpy.random.Generator or None, default=None
    embedding : callable, optional
        Maps rows to the space distances are taken in (e.g. a network's
        penultimate layer). Distances are Euclidean in that space: put the
        features on comparable scales.
    candidate_factor : float, optional
        If given (at least 1), restrict the greedy cover to the
        ``ceil(candidate_factor * batch_size)`` rows of smallest margin
        ``1 - (p_(1) - p_(2))`` (ties at random with ``rng``).

    Returns
    -------
    Query
        ``scores`` are each pick's distance to its nearest centre when picked.

    References
    ----------
    .. [1] O. Sener and S. Savarese, "Active learning for convolutional neural
       networks: a core-set approach", ICLR (2018).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import k_center_greedy
    >>> pool = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [10.0, 0.0]])
    >>> k_center_greedy(None, pool, batch_size=2, X_labelled=[[0.0, 0.1]]).indices
    array([3, 2])

    The hybrid keeps to uncertain rows:

    >>> from sklearn.linear_model import LogisticRegression
    >>> model = LogisticRegression().fit([[-1.0, 0.0], [1.0, 0.0]], [0, 1])
    >>> pool = np.array([[-9.0, 0.0], [0.1, 3.0], [0.0, -3.0], [9.0, 0.0], [0.2, 0.0]])
    >>> k_center_greedy(model, pool, batch_size=2, X_labelled=[[0.0, 0.0]],
    ...                 candidate_factor=1.5).indices
    array([1, 2])
    """
    caller = "k_center_greedy"
    if embedding is None and not hasattr(estimator, "transform"):
        _refuse_typed_categories(X_pool, "X_pool", caller)
        _refuse_typed_categories(X_labelled, "X_labelled", caller)
    Xp, b, gen = _start(X_pool, batch_size, rng, caller)
    rows: IntArray | None = None
    if candidate_factor is not None:
        factor = check_scalar(candidate_factor, "candidate_factor", caller=caller, low=1.0)
        m = min(Xp.shape[0], max(b, int(np.ceil(factor * b))))
        rows = _top(_margin_scores(_proba(estimator, Xp, caller, X_pool)), m, gen)
    transform = embedding
    model = None  # the fitted model whose transform is the embedding, if any
    if transform is None and hasattr(estimator, "transform"):
        transform, model = estimator.transform, estimator
    Xc = Xp if rows is None else Xp[rows]
    Xc_in: Any = Xc
    if model is not None:  # columns read by name: checked against the fit's
        Xc_in = _model_input(model, X_pool, Xp, "X_pool", caller)
        if Xc_in is not Xp:
            Xc_in = Xc_in if rows is None else Xc_in.iloc[rows]
        elif rows is not None:
            Xc_in = Xc
    Z = Xc if transform is None else check_array(transform(Xc_in), "embedding(X_pool)",
                                                 caller=caller, ndim=2)
    if Z.shape[0] != Xc.shape[0]:
        fail("embedding", f"a map returning one row per pool row ({Xc.shape[0]})",
             described(f"{Z.shape[0]} rows"), caller)
    if X_labelled is not None:
        L = check_array(X_labelled, "X_labelled", caller=caller, ndim=2, min_samples=0)
        if L.shape[0] and L.shape[1] != Xp.shape[1]:
            fail("X_labelled", f"{Xp.shape[1]} feature(s) like X_pool",
                 described(f"{L.shape[1]}"), caller)
        if model is None:  # distances (or the embedding) pair the columns by position
            _same_columns(X_pool, X_labelled, caller)
        if L.shape[0] and transform is not None:
            L_in = L if model is None else _model_input(model, X_labelled, L, "X_labelled",
                                                         caller)
            L = check_array(transform(L_in), "embedding(X_labelled)", caller=caller, ndim=2)
            if L.shape[1] != Z.shape[1]:
                fail("embedding", f"a map giving X_labelled the {Z.shape[1]} dimension(s) it "
                     "gives X_pool", described(f"{L.shape[1]}"), caller)
    else:
        L = np.empty((0, Z.shape[1]))
    picks, scores = _greedy_cover(Z, L, b, gen)
    idx = np.asarray(picks, dtype=np.intp)
    return Query(indices=idx if rows is None else rows[idx],
                 scores=np.asarray(scores, dtype=np.float64), strategy="k_center_greedy")


def _pow2_scale_exp(*arrays: FloatArray) -> int:
    """Exponent ``k`` bringing the largest entry near 1 (0 if within 1e-100 .. 1e100).

    Squared distances of entries beyond ~1e154 overflow to inf, below ~1e-154
    underflow to 0. Scaling by ``2 ** k`` is exact (capped at ``2 ** 1023``).
    """
    big = max(float(np.abs(a).max(initial=0.0)) for a in arrays)
    if big == 0.0 or 1e-100 < big < 1e100:
        return 0
    return pow2_exponent(big)


def _pow2_rescaled(x: FloatArray) -> FloatArray:
    k = _pow2_scale_exp(x)
    return x if k == 0 else np.asarray(np.ldexp(x, k), dtype=np.float64)


def _greedy_cover(Z: FloatArray, L: FloatArray, b: int, gen: np.random.Generator
                  ) -> tuple[list[int], list[float]]:
    """Greedy k-center: ``b`` rows of ``Z``, each farthest from ``L`` and earlier picks."""
    picks: list[int] = []
    scores: list[float] = []
    # squared distances of entries beyond ~1e154 overflow (below ~1e-154 underflow):
    # every distance became inf (0) and the picks random. A power-of-two scale is
    # exact, so the picks are those of the data as given; scores are scaled back.
    k = _pow2_scale_exp(Z, L)
    unscale = 1.0
    if k:
        Z, L, unscale = np.ldexp(Z, k), np.ldexp(L, k), float(np.ldexp(1.0, -k))
    Z = np.ascontiguousarray(Z, dtype=np.float64)
    norms = _sq_norms(Z)
    tol = _tol_scale(Z.shape[1])
    if L.shape[0]:
        d = _min_sq_dist(Z, L, norms)
    else:
        first = int(gen.integers(Z.shape[0]))
        picks.append(first)
        scores.append(float("inf"))
        d = _lower_sq_dist(Z, norms, first, np.full(Z.shape[0], np.inf), tol)
        d[first] = -1.0
    while len(picks) < b:
        best = d.max()
        ties = np.flatnonzero(d == best)
        i = int(ties[gen.integers(ties.shape[0])]) if ties.shape[0] > 1 else int(ties[0])
        picks.append(i)
        scores.append(float(np.sqrt(best)) * unscale)
        d = _lower_sq_dist(Z, norms, i, d, tol)
        d[i] = -1.0
        d[picks] = -1.0
    return picks, scores


def cluster_margin(
    estimator: Any, X_pool: npt.ArrayLike, *, batch_size: int = 1,
    X_labelled: npt.ArrayLike | None = None, rng: RNGLike = None,
    candidate_factor: float = 3.0,
) -> Query:
    """Diverse low-margin batch: cluster the most uncertain rows, take one per cluster.

    Cluster-Margin (Citovsky et al. [1]_): the ``candidate_factor *
    batch_size`` rows with the smallest margin are clustered by
    average-linkage agglomerative clustering into ``batch_size`` clusters;
    clusters are visited smallest first, round robin, taking a random
    member each time. (The paper clusters the whole pool once and reuses the
    clustering across rounds; clustering only the candidates keeps this a
    stateless function and gives the same one-per-cluster diversity.)

    The recommended strategy for batches > 1 with a probabilistic model,
    and :class:`ActiveLearner`'s default: in ``benchmarks/active.py`` it
    beat top-k margin at batch size 50 in 11 of 12 runs (synthetic and
    digits), where whole-pool :func:`k_center_greedy` did in 2. With
    ``batch_size=1`` it is margin sampling.

    Parameters
    ----------
    estimator : fitted classifier with ``predict_proba``
    X_pool : array-like of shape (n_pool, n_features)
    batch_size : int, default=1
    X_labelled : array-like, optional
        Ignored.
    rng : int, numpy.random.Generator or None, default=None
    candidate_factor : float, default=3.0
        Candidates per batch slot (at least 1). The paper uses 10 for batches
        of thousands; for batches of tens, 2-3 beat top-k margin more often
        in ``benchmarks/active.py`` (the default was chosen there, on seeds
        0-3 of the synthetic and digits sets).

    Returns
    -------
    Query
        ``scores`` are the margin scores ``1 - (p_(1) - p_(2))``.

    References
    ----------
    .. [1] G. Citovsky, G. DeSalvo, C. Gentile, L. Karydas, A. Rajagopalan,
       A. Rostamizadeh and S. Kumar, "Batch active learning at scale",
       NeurIPS (2021).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import cluster_margin
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2))
    >>> model = LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))
    >>> cluster_margin(model, X, batch_size=5, rng=0).batch_size
    5
    """
    caller = "cluster_margin"
    _refuse_typed_categories(X_pool, "X_pool", caller)
    Xp, b, gen = _start(X_pool, batch_size, rng, caller)
    factor = check_scalar(candidate_factor, "candidate_factor", caller=caller, low=1.0)
    p = _proba(estimator, Xp, caller, X_pool)
    s = _margin_scores(p)
    m = min(Xp.shape[0], max(b, int(np.ceil(factor * b))))
    cand = _top(s, m, gen)
    if b == 1 or m == b:
        idx = cand[:b]
        return Query(indices=idx, scores=s[idx], strategy="cluster_margin")
    from sklearn.cluster import AgglomerativeClustering

    lab = AgglomerativeClustering(n_clusters=b, linkage="average").fit_predict(
        _pow2_rescaled(Xp[cand]))
    groups = [list(gen.permutation(cand[lab == c])) for c in range(b)]
    groups.sort(key=len)
    picks: list[int] = []
    while len(picks) < b:
        for g in groups:
            if g and len(picks) < b:
                picks.append(int(g.pop()))
    idx = np.asarray(picks, dtype=np.intp)
    return Query(indices=idx, scores=s[idx], strategy="cluster_margin")


# ---------------------------------------------------------------- stopping


@attrs.define(kw_only=True)
class StabilizingPredictions:
    """Stopping rule: stop once successive models agree on a held-aside stop set.

    After each round, the new model's predictions on ``X_stop`` are compared
    with the previous model's by Cohen's kappa; the rule fires when the last
    ``window`` agreements all reach ``threshold`` (Bloodgood and
    Vijay-Shanker [1]_). ``X_stop`` needs no labels: a few hundred pool
    rows will do.

    Parameters
    ----------
    X_stop : array-like of shape (n_stop, n_features)
        A table's columns must be those of the learner's pool (or of the
        model's ``feature_names_in_``), in the same order.
    window : int, default=3
    threshold : float, default=0.99

    References
    ----------
    .. [1] M. Bloodgood and K. Vijay-Shanker, "A method for stopping active
       learning based on stabilizing predictions and the need for
       user-adjustable stopping", CoNLL (2009).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import StabilizingPredictions
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> stop = StabilizingPredictions(X_stop=X, window=1)
    >>> class Learner:  # anything with estimator_
    ...     estimator_ = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> stop(Learner()), stop(Learner())
    (False, True)
    """

    # the repr shows the stop set's shape, not every row of it
    X_stop: Any = attrs.field(eq=ARRAY_EQ,
                              repr=lambda a: f"<array of shape {getattr(a, 'shape', '?')}>")
    window: int = 3
    threshold: float = 0.99
    kappas: list[float] = attrs.field(factory=list, init=False)
    _previous: Any = attrs.field(default=None, init=False, eq=ARRAY_EQ, repr=False)
    # the table X_stop was given as: a model fitted on named columns is handed
    # it (checked against its columns); as the bare array, a table with the
    # columns in another order was read by position
    _table: Any = attrs.field(default=None, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        caller = "StabilizingPredictions"
        self._table = self.X_stop if is_frame(self.X_stop) else None
        self.X_stop = check_array(self.X_stop, "X_stop", caller=caller, ndim=2)
        self.window = check_int(self.window, "window", caller=caller, low=1)
        self.threshold = check_scalar(self.threshold, "threshold", caller=caller,
                                      low=-1.0, high=1.0)

    def reset(self) -> None:
        """Forget the previous predictions and agreements."""
        self.kappas = []
        self._previous = None

    def __call__(self, learner: Any) -> bool:
        """Return True when the learner should stop."""
        est = getattr(learner, "estimator_", None)
        if est is None:
            return False
        pool = getattr(learner, "_pool_columns", None)
        if (pool is not None and self._table is not None
                and getattr(est, "feature_names_in_", None) is None):
            # the learner's model is fitted on its table pool as an array: a stop set
            # with the columns in another order was read by position (the kappas of
            # predictions on scrambled rows decided when to stop)
            got = column_names(self._table)
            if got is not None and [str(c) for c in got] != pool:
                fail("X_stop", f"the columns of the learner's X_pool, in that order ({pool!r})",
                     described(f"columns {[str(c) for c in got]!r}"), "StabilizingPredictions")
        rows = _model_input(est, self._table, self.X_stop, "X_stop", "StabilizingPredictions")
        pred = np.asarray(est.predict(rows))
        if self._previous is not None:
            self.kappas.append(_kappa(self._previous, pred))
        self._previous = pred
        recent = self.kappas[-self.window:]
        return len(recent) == self.window and min(recent) >= self.threshold


def _kappa(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> float:
    labels, inv = np.unique(np.r_[a, b], return_inverse=True)
    ia, ib = inv[: a.shape[0]], inv[a.shape[0]:]
    k = labels.shape[0]
    po = float((ia == ib).mean())
    pe = float((np.bincount(ia, minlength=k) * np.bincount(ib, minlength=k)).sum()
               / a.shape[0] ** 2)
    return 1.0 if pe >= 1.0 else (po - pe) / (1.0 - pe)


# ---------------------------------------------------------------- the loop


def _missing(v: Any) -> bool:
    """None, NaN of any float type, or pandas' NA: the oracle did not label the row."""
    if v is None or type(v).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(v, float | np.floating) and bool(np.isnan(v))


def _stored_as_given(values: list[Any], name: str, caller: str, *,
                     expected: str = ONE_KIND) -> npt.NDArray[Any]:
    """Return ``values`` as NumPy stores them, refusing two kinds or a recast.

    ``np.asarray([0, "0"])`` holds two ``"0"`` and ``True == 1``: labels of
    two kinds would silently become one class, so they are refused naming
    two of them. Labels of one kind NumPy still stores as other values
    (``2**53 + 1`` next to a float becomes ``2**53``) are refused too.
    """
    check_labels_of_one_kind(values, name, caller, expected=expected)
    stored = np.asarray(values)
    if stored.ndim > 1:  # answers [[0], [1]] (a column y[idx][:, None])
        fail(name, "one label per row (a 1-D sequence of labels)",
             described(f"labels stored as an array of shape {stored.shape}"), caller)
    if stored.ndim != 1 or stored.tolist() != values:
        flat = stored.ravel().tolist() if stored.ndim == 1 else []
        at = next((i for i, (a, b) in enumerate(zip(values, flat, strict=False)) if a != b), 0)
        fail(name, "labels NumPy stores as given (integers beyond 2**53 next to floats "
             "are rounded: pass them all as int or all as str)",
             described(f"{values[at]!r}, stored as {stored.ravel()[at].item()!r}"
                       if flat else "labels NumPy cannot store as a 1-D array"), caller)
    return stored


def _refuse_recast_labels(got: npt.NDArray[Any], answered: list[Any],
                          known: npt.NDArray[Any], caller: str) -> None:
    """Refuse answers of two kinds, or of another kind or dtype than the labels so far.

    Joining string answers to integer labels turns ``0`` into ``"0"`` (and
    ``0.0`` into ``"0.0"``, another class than an answer ``"0"``), and
    ``True`` answers joined to integer labels count as ``1``: the model would
    be refitted on labels nobody gave.
    """
    _stored_as_given(answered, "labels", caller,
                     expected="answers of one kind (all text, all numbers or all booleans)")
    if not got.shape[0] or not known.shape[0]:
        return
    joined = np.concatenate([known, got])
    n = known.shape[0]
    if (set(label_kinds(got)) != set(label_kinds(known)) or joined[:n].tolist() != known.tolist()
            or joined[n:].tolist() != got.tolist()):
        fail("labels", f"answers of the type of the labels so far ({known.dtype}, e.g. "
             f"{known.tolist()[0]!r})", described(f"{got.tolist()[0]!r} ({got.dtype})"), caller)


def _labels_of_one_type(raw: Any, yl: npt.NDArray[Any], caller: str) -> npt.NDArray[Any]:
    """Refuse initial labels of two kinds or NumPy reads as other values (``[0, "0"]``)."""
    if isinstance(raw, list | tuple):
        given = np.empty(len(raw), dtype=object)
        given[:] = list(raw)
        values = given.tolist()
    elif yl.dtype == object:
        values = yl.tolist()
    else:
        return yl
    stored = _stored_as_given(values, "y_labelled", caller)
    return yl if yl.dtype != object else stored


def _strategy_name(strategy: Any, default: str) -> str:
    """Name a strategy for results: a ``functools.partial`` by the function it wraps.

    ``partial(cluster_margin, candidate_factor=5)`` and ``partial(density_weighted,
    beta=2)`` were both reported as ``"partial"``, so two strategies compared
    with :func:`simulate` could not be told apart.
    """
    import functools

    while isinstance(strategy, functools.partial):
        strategy = strategy.func
    return str(getattr(strategy, "__name__", default))


def _strategy_answer(q: Any, b: int, n: int) -> tuple[IntArray, FloatArray]:
    """Check a strategy's answer for a batch of ``b`` from ``n`` rows; return its arrays.

    A negative index picked the last pool row, more rows than ``batch_size``
    were all taught (buying past the budget), and an answer without
    ``indices`` raised a bare AttributeError or IndexError.
    """
    caller = "ActiveLearner.query"
    if not (hasattr(q, "indices") and hasattr(q, "scores")):
        fail("strategy", "a query strategy returning a Query (indices and scores)",
             described(f"an answer of type {type(q).__name__}"), caller)
    idx = np.asarray(q.indices)
    whole = idx.dtype.kind in "iu" or (idx.dtype.kind == "f" and bool(
        np.all(np.isfinite(idx)) and np.all(idx == np.round(idx))))
    if idx.ndim != 1 or (idx.size and not whole):
        fail("strategy", "a Query whose indices are a 1-D array of integer pool rows",
             described(f"indices of shape {idx.shape} and dtype {idx.dtype}"), caller)
    if idx.size > b:
        fail("strategy", f"a Query of at most batch_size={b} rows",
             described(f"{idx.size} rows"), caller)
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = idx.min() if idx.min() < 0 else idx.max()
        fail("strategy", f"a Query of pool rows in [0, {n - 1}] (positions in the X_pool "
             "it was given)", described(f"the row {bad.item()!r}"), caller)
    if np.unique(idx).size != idx.size:
        fail("strategy", "a Query of distinct pool rows",
             described("a row picked more than once"), caller)
    scores = np.asarray(q.scores, dtype=np.float64).ravel()
    if scores.shape[0] != idx.shape[0]:
        fail("strategy", "a Query with one score per index",
             described(f"{scores.shape[0]} score(s) for {idx.shape[0]} index(es)"), caller)
    return idx.astype(np.intp), scores


def _next_child(gen: np.random.Generator) -> np.random.Generator:
    """Return the generator ``gen.spawn(1)[0]`` would, without spawning.

    ``spawn`` counts its children on the generator's SeedSequence, which is
    the caller's own when ``rng`` is a SeedSequence: the same SeedSequence
    passed twice seeded the estimator differently the second time (another
    forest, other queries), and the caller's SeedSequence was changed.
    """
    seq = gen.bit_generator.seed_seq
    if not isinstance(seq, np.random.SeedSequence):
        raise TypeError("no SeedSequence to spawn from")
    child = np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key,
                                                           seq.n_children_spawned),
                                   pool_size=seq.pool_size)
    return np.random.Generator(type(gen.bit_generator)(child))


@attrs.define(kw_only=True)
class ActiveLearner:
    """The query-label-refit loop, with a label budget and a stopping rule.

    ``fit(X_pool, X_labelled, y_labelled)`` sets the pool and fits a clone of
    ``estimator`` on the labelled rows; ``query()`` asks ``strategy`` for the
    next batch; ``teach(indices, labels)`` adds the answers and refits;
    ``run(oracle)`` loops until the budget is spent, the pool is empty, the
    strategy queries no row, the oracle answers nothing, or
    ``stopping(learner)`` returns True. The oracle
    is any callable ``oracle(indices) -> labels`` (a person at a prompt, a
    crowd aggregation, a label queue); a ``None`` or NaN answer means "not
    labelled": it costs nothing and the row is not asked again.

    While fewer than two classes are labelled no model can rank the pool, so
    batches are drawn at random (recorded in ``history_``).

    Parameters
    ----------
    estimator : scikit-learn classifier with ``predict_proba``
        Cloned (an unset ``random_state`` seeded from ``rng``); never mutated.
    strategy : QueryStrategy, default=cluster_margin
        Batch-diverse low-margin selection; with ``batch_size=1`` it picks
        the lowest-margin row, as :func:`margin` does.
    batch_size : int, default=1
    budget : int, optional
        Labels to buy (answered queries); default: until the pool is empty.
    stopping : callable, optional
        ``stopping(learner) -> bool`` checked after every refit, e.g.
        :class:`StabilizingPredictions`.
    rng : int, numpy.random.Generator or None, default=None
        Seeds the queries and the estimator clones. The same int (or
        ``numpy.random.SeedSequence``) gives the same run at every
        :meth:`fit`; a Generator is drawn from (advanced), so a second fit
        with the same Generator object may query other rows.

    Attributes
    ----------
    estimator_ : fitted clone, or None while fewer than 2 classes are labelled
    labelled_indices_ : ndarray of int
        Pool rows labelled so far, in the order they were labelled.
    y_pool_labelled_ : ndarray
        Their labels.
    n_bought_ : int
        Labels bought so far (the budget spent).
    history_ : list of dict
        Per round: labels so far, rows queried, rows answered, strategy.
    stop_reason_ : str or None
    skipped_indices_ : ndarray of int
        Pool rows the oracle left unanswered.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import ActiveLearner, margin
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2))
    >>> y = (X[:, 0] + X[:, 1] > 0).astype(int)
    >>> learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin,
    ...                         batch_size=5, budget=20, rng=0)
    >>> learner = learner.fit(X).run(lambda idx: y[idx])
    >>> learner.n_bought_, learner.stop_reason_
    (20, 'budget spent')
    """

    estimator: Any
    strategy: Callable[..., Any] = cluster_margin
    batch_size: int = 1
    budget: int | None = None
    stopping: Callable[[Any], bool] | None = None
    rng: RNGLike = None

    estimator_: Any = attrs.field(default=None, init=False, repr=False)
    labelled_indices_: IntArray = attrs.field(eq=ARRAY_EQ, factory=lambda: np.empty(0, np.intp),
                                              init=False, repr=False)
    y_pool_labelled_: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ, factory=lambda: np.empty(0),
                                                     init=False, repr=False)
    n_bought_: int = attrs.field(default=0, init=False)
    history_: list[dict[str, Any]] = attrs.field(factory=list, init=False, repr=False)
    stop_reason_: str | None = attrs.field(default=None, init=False)
    skipped_indices_: IntArray = attrs.field(eq=ARRAY_EQ, factory=lambda: np.empty(0, np.intp),
                                             init=False, repr=False)
    _X_pool: Any = attrs.field(default=None, init=False, repr=False)
    _X_init: Any = attrs.field(default=None, init=False, repr=False)
    _y_init: Any = attrs.field(default=None, init=False, repr=False)
    _gen: Any = attrs.field(default=None, init=False, repr=False)
    _est_seed: int = attrs.field(default=0, init=False, repr=False)
    _pool_index: Any = attrs.field(default=None, init=False, repr=False, eq=False)
    # a table pool's column names: the model is fitted on the bare array, so a
    # stop set (StabilizingPredictions.X_stop) is checked against them
    _pool_columns: Any = attrs.field(default=None, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        caller = "ActiveLearner"
        check_has_methods(self.estimator, "estimator", ["fit", "predict_proba"], caller)
        check_callable(self.strategy, "strategy", caller)
        self.batch_size = check_int(self.batch_size, "batch_size", caller=caller, low=1)
        if self.budget is not None:
            self.budget = check_int(self.budget, "budget", caller=caller, low=1)
        if self.stopping is not None:
            check_callable(self.stopping, "stopping", caller)

    def fit(self, X_pool: npt.ArrayLike, X_labelled: npt.ArrayLike | None = None,
            y_labelled: npt.ArrayLike | None = None) -> ActiveLearner:
        """Set the pool and the initially labelled rows; fit when 2+ classes are known."""
        caller = "ActiveLearner.fit"
        Xp = check_array(X_pool, "X_pool", caller=caller, ndim=2)
        if Xp.shape[0] < self.batch_size:
            fail("X_pool", f"at least batch_size={self.batch_size} rows",
                 described(f"{Xp.shape[0]} row(s)"), caller)
        self._X_pool = Xp
        # a pandas pool's row labels: teach matches a Series of answers on them too
        pandas_pool = frame_kind(X_pool) == "pandas"
        self._pool_index = getattr(X_pool, "index", None) if pandas_pool else None
        names = column_names(X_pool)
        self._pool_columns = None if names is None else [str(c) for c in names]
        if (X_labelled is None) != (y_labelled is None):
            fail("y_labelled", "given together with X_labelled", y_labelled, caller)
        if X_labelled is not None:
            # a pandas y_labelled with X_labelled's row labels in another order:
            # matched by label (it was paired by position)
            y_labelled = in_row_order(y_labelled, X_labelled, "y_labelled", "X_labelled",
                                      caller)
            # tables with their columns in another order were stacked by position:
            # the model learned column b's weights from column a
            _same_columns(X_pool, X_labelled, caller)
            Xl = check_array(X_labelled, "X_labelled", caller=caller, ndim=2, min_samples=0)
            yl = check_array(y_labelled, "y_labelled", caller=caller, ndim=1, dtype="any",
                             min_samples=0)
            yl = _labels_of_one_type(y_labelled, yl, caller)
            if Xl.shape[0] != yl.shape[0]:
                fail("y_labelled", f"one label per row of X_labelled ({Xl.shape[0]})",
                     described(f"{yl.shape[0]} label(s)"), caller)
            if Xl.shape[0] and Xl.shape[1] != Xp.shape[1]:
                fail("X_labelled", f"{Xp.shape[1]} feature(s) like X_pool",
                     described(f"{Xl.shape[1]}"), caller)
            self._X_init, self._y_init = Xl, yl
        else:
            self._X_init = np.empty((0, Xp.shape[1]))
            self._y_init = np.empty(0)
        self._gen = check_rng(self.rng, caller=caller)
        # an unset random_state of the estimator (a forest's) seeded from rng:
        # the same rng, the same refits and queries. A spawned child leaves the
        # stream of the query seeds as it was.
        try:
            self._est_seed = new_seed(_next_child(self._gen))
        except (AttributeError, TypeError, ValueError):  # no SeedSequence to spawn from
            self._est_seed = new_seed(self._gen)
        self.labelled_indices_ = np.empty(0, np.intp)
        self.y_pool_labelled_ = np.empty(0, dtype=self._y_init.dtype)
        self.n_bought_ = 0
        self.skipped_indices_ = np.empty(0, np.intp)
        self.history_ = []
        self.stop_reason_ = None
        if self.stopping is not None and hasattr(self.stopping, "reset"):
            self.stopping.reset()  # type: ignore[no-untyped-call]
        self._refit()
        return self

    def _training(self) -> tuple[FloatArray, npt.NDArray[Any]]:
        X = np.r_[self._X_init, self._X_pool[self.labelled_indices_]]
        # an empty part (float64 when nothing was given) must not change the labels' dtype
        parts = [y for y in (self._y_init, self.y_pool_labelled_) if y.shape[0]]
        y = np.concatenate(parts) if len(parts) == 2 else (parts[0] if parts else self._y_init)
        return X, y

    def _refit(self) -> None:
        X, y = self._training()
        if np.unique(y).shape[0] >= 2:
            self.estimator_ = seeded_clone(self.estimator, self._est_seed).fit(X, y)
        else:
            self.estimator_ = None

    @property
    def remaining_(self) -> IntArray:
        """Pool rows neither labelled nor skipped by the oracle."""
        mask = np.ones(self._X_pool.shape[0], dtype=bool)
        mask[self.labelled_indices_] = False
        mask[self.skipped_indices_] = False
        return np.flatnonzero(mask)

    def query(self, batch_size: int | None = None) -> Query:
        """Ask the strategy for the next batch (pool indices), without labelling it."""
        if self._X_pool is None:
            raise NotFittedError("ActiveLearner.query needs a pool: call fit(X_pool) first.")
        rem = self.remaining_
        b = self.batch_size if batch_size is None else check_int(
            batch_size, "batch_size", caller="ActiveLearner.query")
        b = min(b, rem.shape[0])
        if self.budget is not None:
            b = min(b, self.budget - self.n_bought_)
        if b < 1:
            fail("self", "a learner with pool rows and budget left",
                 described(f"{rem.shape[0]} pool row(s), "
                           f"{None if self.budget is None else self.budget - self.n_bought_}"
                           " label(s) of budget"), "ActiveLearner.query")
        seed = int(self._gen.integers(2**31 - 1))
        Xr = self._X_pool[rem]
        if self.estimator_ is None:
            q = random_sampling(None, Xr, batch_size=b, rng=seed)
            name = "random (fewer than 2 classes labelled)"
        else:
            Xl, _ = self._training()
            q = self.strategy(self.estimator_, Xr, batch_size=b, X_labelled=Xl, rng=seed)
            name = getattr(q, "strategy", None) or _strategy_name(self.strategy, "custom")
        idx, scores = _strategy_answer(q, b, Xr.shape[0])
        return Query(indices=rem[idx], scores=scores, strategy=str(name))

    def teach(self, indices: npt.ArrayLike, labels: Sequence[Any] | npt.ArrayLike
              ) -> ActiveLearner:
        """Add the oracle's answers for pool rows ``indices`` and refit.

        ``None`` or NaN answers mean "not labelled": those rows are set aside
        (``skipped_indices_``) and not queried again; they cost no budget.
        ``labels`` are read in the order of ``indices`` (pool positions), except
        a pandas Series whose index holds exactly those positions (or, for a
        pandas pool, those rows' labels) in another order: it is matched by
        label. A Series with any other index than a default ``0..n-1``
        RangeIndex is refused. A ``{row: label}`` mapping is read by key (the
        keys: those positions, or a pandas pool's row labels); a set, which
        has no order, is refused.
        """
        caller = "ActiveLearner.teach"
        if self._X_pool is None:
            raise NotFittedError("ActiveLearner.teach needs a pool: call fit(X_pool) first.")
        raw = np.asarray(indices).ravel()
        if raw.size and (raw.dtype.kind not in "iuf" or (
                raw.dtype.kind == "f" and not np.all(raw == np.round(raw)))):
            fail("indices", "integer pool row indices (as Query.indices gives them)",
                 described(f"an array of dtype {raw.dtype}" if raw.dtype.kind != "f"
                           else "non-integer values"), caller)
        idx = raw.astype(np.intp)
        uniq, counts = np.unique(idx, return_counts=True)
        if (counts > 1).any():
            fail("indices", "distinct pool rows (one answer per row)",
                 described(f"row {int(uniq[counts > 1][0])} more than once"), caller)
        if isinstance(labels, Mapping):
            # {row: label} was iterated over its keys: the queried row numbers were
            # taught as the labels (classes 6, 83, ... beside 0 and 1)
            labels = _answers_by_key(labels, idx, self._pool_index, caller)
        elif isinstance(labels, Set):
            # a set has no order to pair with 'indices' (and merges equal answers)
            fail("labels", "answers in the order of 'indices' (a list, an array, a Series "
                 "or a {row: label} mapping)",
                 described(f"a {type(labels).__name__}, which has no order"), caller)
        if (isinstance(labels, str | bytes) or not isinstance(labels, Iterable)
                or getattr(labels, "ndim", 1) != 1):
            # "ab" was taught letter by letter as the labels "a" and "b"; a bare
            # scalar raised "'int' object is not iterable"
            ndim = getattr(labels, "ndim", 0)
            fail("labels", "a 1-D sequence of answers, one per row of 'indices'",
                 described(f"an array of shape {np.shape(labels)}" if ndim > 1 else
                           f"the single {type(labels).__name__} {labels!r}"), caller)
        labs = list(labels)
        if len(labs) != idx.shape[0]:
            fail("labels", f"one answer per queried row ({idx.shape[0]})",
                 described(f"{len(labs)} answer(s)"), caller)
        labs = _answers_in_order(labels, labs, idx, self._pool_index, caller)
        if idx.size and (idx.min() < 0 or idx.max() >= self._X_pool.shape[0]):
            fail("indices", f"pool row indices in [0, {self._X_pool.shape[0] - 1}]",
                 idx, caller)
        if np.isin(idx, self.labelled_indices_).any():
            fail("indices", "rows not labelled yet",
                 described("some already labelled rows"), caller)
        keep = [i for i, v in enumerate(labs) if not _missing(v)]
        skip = [i for i, v in enumerate(labs) if _missing(v)]
        self.skipped_indices_ = np.r_[self.skipped_indices_, idx[skip]].astype(np.intp)
        answered = [labs[i] for i in keep]
        got = np.asarray(answered)
        known = self._training()[1]
        _refuse_recast_labels(got, answered, known, caller)
        if got.size and known.size and known.dtype.kind in "iu" and got.dtype.kind == "f":
            # whole-number floats answering integer labels (an oracle that abstains
            # with NaN returns floats): kept as the labels' integers, not turning
            # them, the model's classes_ and its predictions into floats
            as_int = got.astype(known.dtype)
            if np.array_equal(as_int, got):
                got = as_int
        self.labelled_indices_ = np.r_[self.labelled_indices_, idx[keep]].astype(np.intp)
        # a batch answered with None/NaN only: ``np.asarray([])`` is float64, and
        # joined to integer labels it turned them (and the refitted model's
        # classes_ and predictions) into floats
        if got.size:
            self.y_pool_labelled_ = (np.r_[self.y_pool_labelled_, got]
                                     if self.y_pool_labelled_.size else got)
        self.n_bought_ += len(keep)
        self._refit()
        return self

    def run(self, oracle: Callable[[IntArray], Any]) -> ActiveLearner:
        """Query, ask ``oracle(indices)``, teach; repeat until a stop condition."""
        check_callable(oracle, "oracle", "ActiveLearner.run")
        if self._X_pool is None:
            raise NotFittedError("ActiveLearner.run needs a pool: call fit(X_pool) first.")
        while True:
            if self.budget is not None and self.n_bought_ >= self.budget:
                self.stop_reason_ = "budget spent"
                break
            if self.remaining_.shape[0] == 0:
                self.stop_reason_ = "pool exhausted"
                break
            q = self.query()
            if q.indices.shape[0] == 0:
                # a strategy that picked nothing: the oracle was asked nothing, so
                # "oracle answered nothing" named the wrong party
                self.stop_reason_ = "strategy queried no row"
                break
            answers = oracle(q.indices)
            before = self.n_bought_
            self.teach(q.indices, answers)
            self.history_.append({
                "n_labelled": int(self._y_init.shape[0] + self.labelled_indices_.shape[0]),
                "queried": q.indices.tolist(), "answered": self.n_bought_ - before,
                "strategy": q.strategy,
            })
            if self.n_bought_ == before:
                self.stop_reason_ = "oracle answered nothing"
                break
            if self.stopping is not None and self.stopping(self):
                self.stop_reason_ = "stopping rule"
                break
        return self


def _answers_by_key(labels: Mapping[Any, Any], idx: IntArray, pool_index: Any,
                    caller: str) -> list[Any]:
    """Return a ``{row: label}`` mapping's answers in the order of the pool rows ``idx``.

    The keys are the queried pool positions (``Query.indices``) or, for a pandas
    pool, those rows' labels in its index; any other keys are refused.
    """
    names = [idx.tolist()]
    if pool_index is not None:
        names.append(list(pool_index[idx]))
    keys = list(labels.keys())
    found = []
    for rows in names:
        try:
            same = len(keys) == len(rows) and set(keys) == set(rows)
        except TypeError:  # unhashable row labels
            same = False
        if same:
            found.append([labels[r] for r in rows])
    if found and all(f == found[0] for f in found):
        return found[0]
    more = " ..." if len(idx) > 5 else ""
    fail("labels", "a mapping keyed by exactly the rows of 'indices' (pool positions"
         + (" or the pool's row labels" if len(names) > 1 else "") + ")",
         described(f"a mapping with the keys {keys[:5]!r}{' ...' if len(keys) > 5 else ''} "
                   f"for the rows {idx[:5].tolist()!r}{more}"
                   + (" (it holds both, pairing other answers)" if len(found) > 1 else "")),
         caller)


def _answers_in_order(labels: Any, labs: list[Any], idx: IntArray, pool_index: Any,
                      caller: str) -> list[Any]:
    """Return a pandas ``labels``' answers in the order of the pool rows ``idx``.

    A Series whose index holds exactly the pool rows ``idx`` in another order
    (``y_pool.loc[sorted(indices)]``) was read by position: each answer went
    to another row. Such a Series is matched by label, on the pool positions
    or, for a pandas pool, on its row labels (``pool_index[idx]``). One with a
    default ``0..n-1`` RangeIndex (``pd.Series(answers)``) is read by position,
    as are arrays and lists; any other index (other row labels) is refused.
    """
    from mllifecycle._frames import _default_index

    if series_kind(labels) != "pandas":
        return labs
    index = labels.index
    if _default_index(index) or len(index) != len(idx):
        return labs
    names = [idx]
    if pool_index is not None and not _default_index(pool_index):
        names.append(pool_index[idx])
    for rows in names:
        if list(index) == list(rows):
            return labs
    found = []
    if index.is_unique:
        for rows in names:
            try:
                pos = index.get_indexer(rows)
            except (TypeError, ValueError):  # labels that cannot be looked up
                continue
            if (pos >= 0).all():
                found.append(pos)
    if found and all(np.array_equal(f, found[0]) for f in found):
        return [labs[int(p)] for p in found[0]]
    what = ("exactly the pool rows of 'indices' (positions"
            + (" or the pool's row labels" if len(names) > 1 else "") + ")")
    more = " ..." if len(idx) > 5 else ""
    fail("labels", "answers in the order of 'indices' (a list, an array), or a Series "
         f"indexed by {what}, matched by label",
         described(f"a Series indexed by {index[:5].tolist()!r}{more} for the rows "
                   f"{idx[:5].tolist()!r}{more}"
                   + (" (it holds both, in different orders)" if len(found) > 1 else "")),
         caller)


# ---------------------------------------------------------------- simulation


# unsafe_hash=False: it holds arrays, so it is unhashable (as arrays are)
@attrs.frozen(kw_only=True, repr=False, unsafe_hash=False)
class SimulationResult:
    """Learning curves of a strategy and of random sampling on the same data.

    Attributes
    ----------
    n_labels : ndarray of int
        Labels used (initial + bought) at each point of the curves.
    scores, random_scores : ndarray of float
        Held-out score of the strategy's model and the mean held-out score of
        random sampling's models (over ``random_runs``).
    area, random_area : float
        Normalised area under each curve (the mean score over the label
        range, trapezoidal rule).
    area_difference : float
        ``area - random_area`` (positive: the strategy learns faster).
    labels_to_match_random : int or None
        Fewest labels at which the strategy reached random sampling's final
        score (None if it never did).
    label_fraction : float
        ``labels_to_match_random / n_labels[-1]`` (NaN if never matched):
        0.6 means 40 % of the labels saved.
    strategy : str
    scoring : str
    batch_size, budget, initial_size, n_test : int
    random_runs : ndarray of shape (n_random, n_points)
        Each random-sampling run's curve.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import margin, simulate
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(400, 2))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> res = simulate(X, y, LogisticRegression(), margin, budget=30, batch_size=5, rng=0)
    >>> res.n_labels[:3]
    array([ 4,  9, 14])
    """

    n_labels: npt.NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)
    scores: FloatArray = attrs.field(eq=ARRAY_EQ)
    random_scores: FloatArray = attrs.field(eq=ARRAY_EQ)
    area: float
    random_area: float
    area_difference: float
    labels_to_match_random: int | None
    # NaN when never matched: NaN equal to NaN
    label_fraction: float = attrs.field(eq=ARRAY_EQ)
    strategy: str
    scoring: str
    batch_size: int
    budget: int
    initial_size: int
    n_test: int
    random_runs: FloatArray = attrs.field(eq=ARRAY_EQ, factory=lambda: np.zeros((0, 0)))

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-safe dict."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return areas, final scores and the label fraction."""
        return flat_metrics({
            "area": self.area, "random_area": self.random_area,
            "area_difference": self.area_difference,
            "final_score": float(self.scores[-1]),
            "random_final_score": float(self.random_scores[-1]),
            "label_fraction": self.label_fraction,
        })

    def __repr__(self) -> str:
        return (f"SimulationResult(strategy={self.strategy!r}, "
                f"area={format_value(self.area, 3)}, "
                f"random_area={format_value(self.random_area, 3)}, "
                f"labels_to_match_random={self.labels_to_match_random}, "
                f"label_fraction={format_value(self.label_fraction, 3)})")

    def _repr_html_(self) -> str:
        rows = list(zip(self.n_labels.tolist(), self.scores.tolist(),
                        self.random_scores.tolist(), strict=True))
        return html_table(rows, ["labels", self.strategy, "random"], caption=repr(self))


def _area(x: npt.NDArray[Any], y: FloatArray) -> float:
    if x.shape[0] < 2 or x[-1] == x[0]:
        return float(y.mean())
    return float(np.trapezoid(y, x) / (x[-1] - x[0]))


def simulate(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    estimator: Any,
    strategy: Callable[..., Any],
    *,
    budget: int,
    batch_size: int = 1,
    initial_size: int | None = None,
    test_size: float = 0.25,
    scoring: Any = None,
    n_random: int = 5,
    rng: RNGLike = None,
) -> SimulationResult:
    """Replay active learning on labelled data and compare it with random sampling.

    ``X, y`` are split (stratified) into a pool and a test set. Both the
    strategy and random sampling start from the same ``initial_size``
    labelled pool rows (one per class, the rest at random), buy ``budget``
    labels in batches of ``batch_size`` from an oracle that reveals ``y``,
    and after every batch the refitted model is scored on the test set. The
    learning curves, their normalised areas and the labels the strategy
    needed to reach random sampling's final score summarise the comparison
    (the protocol of Settles [1]_ §3).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    estimator : scikit-learn classifier with ``predict_proba``
    strategy : QueryStrategy
        Must return ``batch_size`` rows per query (the last one: the labels
        left to buy), so that both curves are scored at the same label
        counts; a shorter or empty batch is refused naming ``strategy``.
    budget : int
        Labels bought after the initial set (>= 1).
    batch_size : int, default=1
    initial_size : int, optional
        Rows labelled at the start (default ``2 * n_classes``; at least
        ``n_classes``).
    test_size : float, default=0.25
    scoring : str or callable, optional
        A scikit-learn scorer; default accuracy.
    n_random : int, default=5
        Random-sampling runs averaged into the baseline curve (>= 1; the
        runs are in ``random_runs``). ``n_random=1`` reproduces the single
        random run of earlier versions for the same ``rng``.
    rng : int, numpy.random.Generator or None, default=None
        Seeds the split, the initial set, the strategy, random sampling and
        (where it is unset) the estimator's ``random_state``.

    Returns
    -------
    SimulationResult

    References
    ----------
    .. [1] B. Settles, "Active learning literature survey", University of
       Wisconsin-Madison CS Technical Report 1648 (2009).

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from mllifecycle.labels import margin, simulate
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), LogisticRegression())
    >>> res = simulate(X, y, model, margin, budget=60, batch_size=10, rng=0)
    >>> int(res.n_labels[-1]), len(res.scores) == len(res.random_scores) == 7
    (64, True)
    """
    caller = "simulate"
    check_has_methods(estimator, "estimator", ["fit", "predict_proba"], caller)
    check_callable(strategy, "strategy", caller)
    y = in_row_order(y, X, "y", "X", caller)  # pandas rows matched by label
    Xa = check_array(X, "X", caller=caller, ndim=2)
    ya = check_array(y, "y", caller=caller, ndim=1, dtype="any")
    if ya.shape[0] != Xa.shape[0]:
        fail("y", f"one label per row of X ({Xa.shape[0]})",
             described(f"{ya.shape[0]} label(s)"), caller)
    # [True, 1] became two 1s (one class), [0, "a"] cannot be sorted into classes
    check_labels_as_given(y, ya, "y", caller)
    bud = check_int(budget, "budget", caller=caller, low=1)
    b = check_int(batch_size, "batch_size", caller=caller, low=1)
    ts = check_probability(test_size, "test_size", caller=caller, open_interval=True)
    gen = check_rng(rng, caller=caller)
    classes, class_counts = np.unique(ya, return_counts=True)
    k = classes.shape[0]
    if k < 2:
        fail("y", "labels of at least 2 classes", described("a single class"), caller)
    if class_counts.min() < 2:  # the stratified pool/test split needs two of each
        fail("y", "at least 2 rows of every class (the pool and the test set are "
             "stratified)", described(f"class {classes[class_counts.argmin()].item()!r} "
                                      "with 1 row"), caller)
    init = 2 * k if initial_size is None else check_int(
        initial_size, "initial_size", caller=caller, low=k)
    n_rand = check_int(n_random, "n_random", caller=caller, low=1)
    from sklearn.metrics import check_scoring
    from sklearn.model_selection import train_test_split

    seed = int(gen.integers(2**31 - 1))
    Xp, Xt, yp, yt = train_test_split(Xa, ya, test_size=ts, stratify=ya, random_state=seed)
    if init >= Xp.shape[0]:
        # "budget must be at most -1" blamed the budget for a pool the initial
        # labels alone fill
        fail("initial_size" if initial_size is not None else "test_size",
             f"a pool larger than the {init} initial labels (the pool holds "
             f"{Xp.shape[0]} of {Xa.shape[0]} rows at test_size={ts:g})",
             initial_size if initial_size is not None else test_size, caller)
    if init + bud > Xp.shape[0]:
        fail("budget", f"at most {Xp.shape[0] - init} (pool of {Xp.shape[0]} rows minus "
             f"{init} initial labels)", bud, caller)
    if b > Xp.shape[0] - init:
        fail("batch_size", f"at most the pool size ({Xp.shape[0] - init})", b, caller)
    # initial set: one row per class, the rest at random
    first = [int(gen.choice(np.flatnonzero(yp == c))) for c in classes
             if (yp == c).any()]
    rest = np.setdiff1d(np.arange(Xp.shape[0]), first)
    start = np.r_[first, gen.choice(rest, size=init - len(first), replace=False)]
    start = start.astype(np.intp)
    pool_idx = np.setdiff1d(np.arange(Xp.shape[0]), start)
    # log loss and its kin over the model's classes (the test rows may lack one)
    scorer = known_classes_scorer(
        check_scoring(estimator, scoring=scoring if scoring is not None else "accuracy"))
    seeds = gen.integers(2**31 - 1, size=2)

    def curve(strat: Callable[..., Any], s: int) -> tuple[list[int], list[float]]:
        learner = ActiveLearner(estimator=estimator, strategy=strat, batch_size=b,
                                budget=bud, rng=int(s))
        learner.fit(Xp[pool_idx], Xp[start], yp[start])
        ns = [init]
        sc = [float(scorer(learner.estimator_, Xt, yt))]
        oracle_y = yp[pool_idx]
        while learner.n_bought_ < bud:
            want = min(b, bud - learner.n_bought_)
            q = learner.query()
            got = q.indices.shape[0]
            if got < want:
                # an empty batch looped for ever; a short one left the strategy's curve
                # at other label counts than random sampling's (a bare broadcast error)
                fail("strategy", f"a query strategy returning batch_size={b} rows (the "
                     "last batch: the labels left to buy), so that its learning curve "
                     "and random sampling's are scored at the same label counts",
                     described(f"{'an empty Query' if got == 0 else f'{got} row(s)'} "
                               f"where {want} were asked, after {learner.n_bought_} of "
                               f"{bud} labels"), caller)
            learner.teach(q.indices, oracle_y[q.indices])
            ns.append(init + learner.n_bought_)
            sc.append(float(scorer(learner.estimator_, Xt, yt))
                      if learner.estimator_ is not None else float("nan"))
        return ns, sc

    # drawn after the first two seeds, so n_random=1 is the earlier single run
    rand_seeds = [int(seeds[1])] + [int(v) for v in gen.integers(2**31 - 1, size=n_rand - 1)]
    ns, s_strat = curve(strategy, int(seeds[0]))
    runs = np.asarray([curve(random_sampling, s)[1] for s in rand_seeds], dtype=np.float64)
    n_arr = np.asarray(ns, dtype=np.int64)
    a = np.asarray(s_strat)
    r = runs.mean(axis=0)
    hit = np.flatnonzero(a >= r[-1])
    match = int(n_arr[hit[0]]) if hit.size else None
    name = scoring if isinstance(scoring, str) else (
        "accuracy" if scoring is None else getattr(scoring, "__name__", "custom"))
    sname = _strategy_name(strategy, type(strategy).__name__)
    return SimulationResult(
        n_labels=n_arr, scores=a, random_scores=r, area=_area(n_arr, a),
        random_area=_area(n_arr, r), area_difference=_area(n_arr, a) - _area(n_arr, r),
        labels_to_match_random=match,
        label_fraction=float(match / n_arr[-1]) if match is not None else float("nan"),
        strategy=sname, scoring=name, batch_size=b, budget=bud, initial_size=init,
        n_test=int(Xt.shape[0]), random_runs=runs,
    )
