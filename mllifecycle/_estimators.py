"""Seeding a cloned scikit-learn estimator or sampler: one copy for every package.

An estimator passed in by the user is never mutated: it is cloned with
:func:`sklearn.base.clone` and only the clone is seeded, so the same ``rng``
gives the same result and the user's object stays as it was.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["new_seed", "seeded_clone"]


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
    An object without ``get_params`` (a plain callable, a duck-typed sampler)
    is returned as it is, since it cannot be cloned.

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
