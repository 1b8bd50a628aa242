"""Private helpers shared by the batch drift tests: input checks and permutations."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._validation import (
    check_alpha,
    check_array,
    check_int,
    check_nan_policy,
    check_rng,
    check_same_n_features,
    check_scalar,
    described,
    fail,
)

__all__ = [
    "FloatArray",
    "check_common",
    "check_pair_1d",
    "check_pair_2d",
    "check_pair_categorical",
    "check_optional_nonneg",
    "perm_labels",
    "perm_p_value",
    "perm_blocks",
    "canonical_order",
]

FloatArray = npt.NDArray[np.float64]


def check_optional_nonneg(value: Any, name: str, caller: str) -> float | None:
    """Check an optional non-negative float (``min_effect``, ``threshold``)."""
    if value is None:
        return None
    return check_scalar(value, name, caller=caller, low=0.0)


def check_common(
    caller: str,
    alpha: Any,
    min_effect: Any = None,
    threshold: Any = None,
    n_permutations: Any = None,
    rng: Any = None,
    *,
    need_permutations: bool = False,
) -> tuple[float, float | None, float | None, int | None, np.random.Generator]:
    """Validate the parameters every test shares; return them normalised."""
    a = check_alpha(alpha, "alpha", caller)
    me = check_optional_nonneg(min_effect, "min_effect", caller)
    th = check_optional_nonneg(threshold, "threshold", caller)
    nb: int | None = None
    if n_permutations is not None or need_permutations:
        nb = check_int(n_permutations, "n_permutations", caller=caller, low=1)
    gen = check_rng(rng, "rng", caller)
    return a, me, th, nb, gen


def check_pair_1d(
    reference: Any, current: Any, caller: str, nan_policy: Any = "raise"
) -> tuple[FloatArray, FloatArray]:
    """Validate two 1-D numeric samples with at least 2 values each."""
    pol = check_nan_policy(nan_policy, caller)
    ref = check_array(reference, "reference", caller=caller, ndim=1, min_samples=2, nan_policy=pol)
    cur = check_array(current, "current", caller=caller, ndim=1, min_samples=2, nan_policy=pol)
    return ref, cur


def check_pair_2d(
    reference: Any, current: Any, caller: str, nan_policy: Any = "raise"
) -> tuple[FloatArray, FloatArray]:
    """Validate two numeric samples (1-D becomes one column) with equal widths."""
    pol = check_nan_policy(nan_policy, caller)
    ref = check_array(reference, "reference", caller=caller, min_samples=2, nan_policy=pol)
    cur = check_array(current, "current", caller=caller, min_samples=2, nan_policy=pol)
    check_same_n_features(ref, cur, caller=caller)
    if ref.ndim == 1:
        ref, cur = ref[:, None], cur[:, None]
    return ref, cur


def _is_missing(a: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    if a.dtype.kind == "f":
        out: npt.NDArray[np.bool_] = np.isnan(a)
        return out
    if a.dtype.kind == "O":
        return np.array([v is None or (isinstance(v, float) and v != v) for v in a], bool)
    return np.zeros(a.shape, bool)


def check_pair_categorical(
    reference: Any, current: Any, caller: str, nan_policy: Any = "raise"
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Validate two 1-D samples of category labels (any dtype)."""
    pol = check_nan_policy(nan_policy, caller)
    out = []
    for name, x in (("reference", reference), ("current", current)):
        arr = check_array(x, name, caller=caller, ndim=1, dtype="any", min_samples=0)
        miss = _is_missing(arr)
        if miss.any():
            if pol == "raise":
                fail(
                    name,
                    "free of missing values (or pass nan_policy='omit')",
                    described(f"{int(miss.sum())} missing value(s)"),
                    caller,
                )
            arr = arr[~miss]
        if arr.shape[0] < 2:
            fail(
                name,
                "an array with at least 2 sample(s)",
                described(f"{arr.shape[0]} sample(s)"),
                caller,
            )
        out.append(arr)
    return out[0], out[1]


def perm_labels(rng: np.random.Generator, n_total: int, n_ref: int, n_perm: int) -> Any:
    """Return a (n_perm, n_total) bool matrix; True marks the permuted reference."""
    base = np.zeros((n_perm, n_total), dtype=bool)
    base[:, :n_ref] = True
    return rng.permuted(base, axis=1)


def perm_blocks(
    rng: np.random.Generator, n_total: int, n_ref: int, n_perm: int, per_row: int = 1
) -> Any:
    """Yield blocks of permuted label matrices, bounding memory to ~16 MB a block.

    ``per_row`` is the number of float64 temporaries of length ``n_total`` the
    caller makes per permutation; the block size depends on the sizes only, so a
    given ``rng`` always yields the same permutations.
    """
    block = max(1, min(n_perm, (2_000_000 // max(1, n_total * per_row))))
    done = 0
    while done < n_perm:
        b = min(block, n_perm - done)
        yield perm_labels(rng, n_total, n_ref, b)
        done += b


def perm_p_value(observed: float, permuted: FloatArray) -> float:
    """Permutation p-value ``(b + 1) / (B + 1)`` with a relative tie tolerance."""
    tol = 1e-12 * max(1.0, abs(observed))
    b = int(np.count_nonzero(permuted >= observed - tol))
    return float((b + 1.0) / (permuted.shape[0] + 1.0))


def canonical_order(x: FloatArray) -> npt.NDArray[np.intp]:
    """Row order that depends on the rows' values only (lexicographic)."""
    if x.shape[0] == 0:
        return np.arange(0, dtype=np.intp)
    return np.lexsort(x.T[::-1])
