"""Seeded clones and weighted fits of scikit-learn estimators: one copy for every package.

An estimator passed in by the user is never mutated: it is cloned with
:func:`sklearn.base.clone` and only the clone is seeded, so the same ``rng``
gives the same result and the user's object stays as it was.

Where a fit gets sample weights (replay's weighting windows, an augmenter's
weights, transfer's down-weighted source rows), :func:`weight_keyword` says
once, before any training, which ``fit`` keyword carries them (a
``Pipeline``'s final step, scikit-learn's metadata routing) or why the
estimator cannot take them, and :func:`fit_weighted` fits with it.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

__all__ = ["fit_weighted", "is_pipeline", "is_router", "new_seed", "seeded_clone",
           "weight_keyword"]


def new_seed(gen: np.random.Generator) -> int:
    """Draw a fresh int seed (for a scikit-learn ``random_state``) from ``gen``.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._estimators import new_seed
    >>> new_seed(np.random.default_rng(0)) == new_seed(np.random.default_rng(0))
    True
    """
    return int(gen.integers(0, 2**31 - 1))


def seeded_clone(estimator: Any, seed: int, *, overwrite: bool = False) -> Any:
    """Clone ``estimator`` and seed its ``random_state`` parameters.

    Every ``random_state`` (its own and its sub-estimators', ``step__random_state``)
    left at None is set to ``seed``; with ``overwrite=True`` every one is set,
    whatever it held (for a sampler reseeded in each cross-validation split).
    An object without ``get_params`` (a plain callable, a duck-typed sampler
    or model) cannot be cloned: a deep copy of it is returned (the object
    itself if it cannot be copied), so state it keeps (its own generator,
    what an earlier fit learned) is not carried from one fit to the next,
    nor into the caller's object.

    Parameters
    ----------
    estimator : object
        A scikit-learn estimator or sampler.
    seed : int
        The seed to set.
    overwrite : bool, default=False
        Whether to replace a ``random_state`` the user set.

    Returns
    -------
    object
        The seeded clone.

    Examples
    --------
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from mllifecycle._estimators import seeded_clone
    >>> rf = RandomForestClassifier()
    >>> seeded_clone(rf, 7).random_state, rf.random_state
    (7, None)
    >>> seeded_clone(RandomForestClassifier(random_state=1), 7).random_state
    1
    """
    if not hasattr(estimator, "get_params"):
        # used as it was, one object was fitted in every split: answers
        # depended on the order of the splits (n_jobs=2 against serial) and on
        # earlier calls with the same object, and the caller's object changed
        import copy

        try:
            return copy.deepcopy(estimator)
        except Exception:  # holding a lock, a connection: used as it is
            return estimator
    from sklearn.base import clone

    est = clone(estimator)
    params = est.get_params(deep=True)
    fix = {
        k: seed
        for k, v in params.items()
        if (k == "random_state" or k.endswith("__random_state")) and (overwrite or v is None)
    }
    if fix:
        est.set_params(**fix)
    return est


def is_pipeline(estimator: Any) -> bool:
    """Whether ``estimator`` is a scikit-learn ``Pipeline``."""
    from sklearn.pipeline import Pipeline

    return isinstance(estimator, Pipeline)


def is_router(estimator: Any) -> bool:
    """Whether ``estimator`` routes metadata to others (scikit-learn's metadata routing)."""
    from sklearn.utils.metadata_routing import MetadataRouter, get_routing_for_object

    try:
        return isinstance(get_routing_for_object(estimator), MetadataRouter)
    except Exception:  # a user's object: not a router
        return False


def weight_keyword(estimator: Any, *, assume_kwargs: bool = True) -> tuple[str | None, str]:
    """Return the ``fit`` keyword that takes sample weights, or ``(None, why not)``.

    One rule for every package that fits with weights, worked out once before
    any training (a refusal at the first weighted fit came after the caller
    waited, or, where the capability was read from ``has_fit_parameter``, a
    ``Pipeline`` whose final step takes weights was refused):

    - With scikit-learn's metadata routing enabled
      (``sklearn.set_config(enable_metadata_routing=True)``), a router (a
      ``Pipeline``, a search) gets ``sample_weight=`` and the steps'
      ``set_fit_request`` decide where it goes; requests that would make the
      fit fail (a step that consumes weights left unset, or no step
      requesting them) are refused here.
    - Otherwise a ``Pipeline``'s weights go to its final step
      (``"<name>__sample_weight"``, through nested pipelines): they weight the
      model's loss, as a weighted fit of the model means; the transformers
      before it are fitted on the rows unweighted (a scaler's mean is not the
      model's loss, and scikit-learn routes no weights to a step that has not
      asked for them).
    - A pipeline with an imbalanced-learn sampler before its last step
      cannot take weights: the sampler changes or reorders the rows.
    - Any other estimator gets ``sample_weight=`` when its ``fit`` has such a
      parameter, or takes ``**kwargs`` (with ``assume_kwargs``; without it,
      such a ``fit`` is not counted on to take weights). Among scikit-learn's
      meta-estimators whose ``fit`` takes only ``**params``, a search
      (``GridSearchCV``), ``RFE`` (not ``RFECV``), ``TransformedTargetRegressor``
      and ``SelectFromModel`` pass the wrapped estimator's keyword on, a
      voting or stacking ensemble gives ``sample_weight=`` to every member
      (each must take it), and the others (``FixedThresholdClassifier``,
      ``OneVsRestClassifier``, ``RFECV``...) refuse weights without routing.
      ``AdaBoost*`` and ``MultiOutput*``, whose ``fit`` has ``sample_weight``,
      are refused when the estimator they wrap takes no ``sample_weight=``.

    Parameters
    ----------
    estimator : scikit-learn estimator
        Only read, never fitted.
    assume_kwargs : bool, default=True
        Whether a ``fit(X, y, **kwargs)`` (not one of scikit-learn's) is taken
        to accept ``sample_weight``.

    Returns
    -------
    (str, "") or (None, str)
        The keyword, or None and a description of the estimator saying why
        (for an error's "Got ..." part).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from mllifecycle._estimators import weight_keyword
    >>> weight_keyword(LogisticRegression())
    ('sample_weight', '')
    >>> weight_keyword(make_pipeline(StandardScaler(), LogisticRegression()))
    ('logisticregression__sample_weight', '')
    >>> weight_keyword(KNeighborsClassifier())
    (None, 'KNeighborsClassifier, whose fit takes no sample_weight')
    """
    import sklearn

    name = type(estimator).__name__
    steps = getattr(estimator, "steps", None)
    if is_pipeline(estimator) and isinstance(steps, list):
        for step, est in steps[:-1]:
            if hasattr(est, "fit_resample"):
                # an imbalanced-learn sampler changes (or reorders) the rows
                # the later steps see: one weight per given row no longer
                # matched them (an error, or, for rows only reordered, each
                # weight silently given to another row)
                return None, (f"a {name} whose step {step!r} ({type(est).__name__}) "
                              "resamples the rows, so their weights cannot follow them")
    routing = bool(sklearn.get_config().get("enable_metadata_routing", False))
    if routing and is_router(estimator):
        from sklearn.utils.metadata_routing import process_routing

        try:  # validates every step's request, as the fit would
            process_routing(estimator, "fit", sample_weight=np.ones(2))
        except Exception as exc:  # scikit-learn's own error, reported
            return None, (
                f"{name}, whose metadata routing does not take sample_weight in fit "
                f"({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
            )
        return "sample_weight", ""
    if is_pipeline(estimator) and isinstance(steps, list) and steps:
        last, final = steps[-1][0], steps[-1][1]
        if final is None or isinstance(final, str):  # "passthrough"
            return None, f"a {name} whose final step is {final!r}"
        inner, why = weight_keyword(final, assume_kwargs=assume_kwargs)
        if inner is None:
            return None, f"a {name} whose final step {last!r} is {why}"
        return f"{last}__{inner}", ""
    fit = getattr(estimator, "fit", None)
    try:
        params = inspect.signature(fit).parameters  # type: ignore[arg-type]
    except (TypeError, ValueError):  # no signature to read: try at the fit
        return "sample_weight", ""
    if "sample_weight" in params:
        return _wrapped_takes_weights(estimator, name, assume_kwargs)
    if not any(q.kind is inspect.Parameter.VAR_KEYWORD for q in params.values()):
        return None, f"{name}, whose fit takes no sample_weight"
    # fit(X, y, **params): a user's estimator may take the weights there;
    # scikit-learn's meta-estimators do only through metadata routing, but
    # for a few that pass them on as they are
    if not (type(estimator).__module__.startswith("sklearn.") and is_router(estimator)):
        if assume_kwargs:
            return "sample_weight", ""
        return None, f"{name}, whose fit takes sample_weight only as one of its **kwargs"
    return _sklearn_meta_keyword(estimator, name, assume_kwargs)


def _wrapped_takes_weights(
    estimator: Any, name: str, assume_kwargs: bool
) -> tuple[str | None, str]:
    """``fit(..., sample_weight=...)``: a boosting or multi-output wrapper hands them on.

    ``AdaBoost*`` and ``MultiOutput*`` pass ``sample_weight=`` to the
    estimator they wrap and fail, at the fit, when it takes none.
    """
    if not type(estimator).__module__.startswith("sklearn."):
        return "sample_weight", ""
    from sklearn.ensemble import AdaBoostClassifier, AdaBoostRegressor
    from sklearn.multioutput import MultiOutputClassifier, MultiOutputRegressor

    if not isinstance(estimator, AdaBoostClassifier | AdaBoostRegressor
                      | MultiOutputClassifier | MultiOutputRegressor):
        return "sample_weight", ""
    wrapped = getattr(estimator, "estimator", None)
    if wrapped is None:  # AdaBoost's default tree takes weights
        return "sample_weight", ""
    inner, why = weight_keyword(wrapped, assume_kwargs=assume_kwargs)
    if inner != "sample_weight":
        return None, f"a {name} of " + (
            why or f"{type(wrapped).__name__}, which takes no sample_weight= directly")
    return "sample_weight", ""


def _sklearn_meta_keyword(estimator: Any, name: str, assume_kwargs: bool) -> tuple[str | None, str]:
    """:func:`weight_keyword` for a scikit-learn meta-estimator whose fit takes ``**params``."""
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.feature_selection import RFE, RFECV, SelectFromModel

    # private base classes read by name: their modules are scikit-learn's own
    bases = {c.__name__ for c in type(estimator).__mro__}
    wrapped: Any = None
    if "BaseSearchCV" in bases or isinstance(estimator, RFE | SelectFromModel):
        wrapped = getattr(estimator, "estimator", None)  # fit params go to its fit as they are
    elif isinstance(estimator, TransformedTargetRegressor):
        from sklearn.linear_model import LinearRegression

        wrapped = estimator.regressor if estimator.regressor is not None else LinearRegression()
    if wrapped is not None and not isinstance(estimator, RFECV):  # RFECV needs routing
        inner, why = weight_keyword(wrapped, assume_kwargs=assume_kwargs)
        if inner is None:
            return None, f"a {name} of {why}"
        return inner, ""
    if "_BaseHeterogeneousEnsemble" in bases:  # every member gets sample_weight=
        members = list(getattr(estimator, "estimators", None) or [])
        final = getattr(estimator, "final_estimator", None)
        if final is not None:
            members.append(("final_estimator", final))
        for member, est in members:
            if est is None or isinstance(est, str):  # "drop"
                continue
            inner, why = weight_keyword(est, assume_kwargs=assume_kwargs)
            if inner != "sample_weight":
                return None, f"a {name} whose member {member!r} is " + (
                    why or f"{type(est).__name__}, which takes no sample_weight= directly"
                )
        return "sample_weight", ""
    return None, (
        f"{name}, whose fit takes sample_weight only through scikit-learn's metadata "
        "routing (sklearn.set_config(enable_metadata_routing=True), and "
        "set_fit_request(sample_weight=True) on the estimator it wraps)"
    )


def fit_weighted(
    estimator: Any, X: Any, y: Any, sample_weight: Any, key: str | None = "sample_weight"
) -> Any:
    """Fit ``estimator`` (in place) on ``X, y``, weighted through ``key`` when weights are given.

    ``key`` is what :func:`weight_keyword` returned for the estimator
    (``"sample_weight"``, ``"<final step>__sample_weight"``...), worked out
    once by the caller; ``sample_weight=None`` fits unweighted. Returns what
    ``fit`` returns (the estimator).
    """
    if sample_weight is None:
        return estimator.fit(X, y)
    if key is None:  # the caller refuses with weight_keyword's reason first
        raise ValueError(f"{type(estimator).__name__} takes no sample weights")
    return estimator.fit(X, y, **{key: sample_weight})
