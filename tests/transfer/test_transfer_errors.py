"""Bad input table: every public function rejects bad input with a clear message."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.neighbors import KNeighborsClassifier
from threadpoolctl import threadpool_limits

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import (
    domain_distance,
    finetune,
    importance_weights,
    progressive,
    transfer_gain,
)


@pytest.fixture(autouse=True)
def _one_blas_thread():
    """Many tiny BLAS calls (L-BFGS-B inside LogisticRegression) thrash when threaded
    on a shared 2-core machine; one thread makes them ~10x faster and changes no result."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


RNG = np.random.default_rng(0)
XS = RNG.normal(size=(60, 3))
YS = (XS[:, 0] > 0).astype(int)
XT = RNG.normal(size=(20, 3))
YT = (XT[:, 0] > 0).astype(int)
SRC, TGT = (XS, YS), (XT, YT)
LR = LogisticRegression()

CASES = [
    # feature-count mismatch between source and target
    (finetune, (LR, SRC, (XT[:, :2], YT)), {},
     r"'target\[0\] \(X\)' parameter of finetune must be an array with 3 feature"),
    (transfer_gain, (LR, SRC, (XT[:, :2], YT)), {}, r"with 3 feature\(s\).*Got 2"),
    (importance_weights, (XS, XT[:, :2]), {},
     r"'X_target' parameter of importance_weights must be an array with 3 feature"),
    (domain_distance, (XS, XT[:, :2]), {}, r"'X_target' parameter of domain_distance"),
    # empty target
    (finetune, (LR, SRC, (np.empty((0, 3)), np.empty(0))), {},
     r"'target\[0\] \(X\)' parameter of finetune must be an array with at least 1 sample"),
    (importance_weights, (XS, np.empty((0, 3))), {}, r"at least 2 sample"),
    # estimator supporting none of the strategies asked for: names what is missing
    (finetune, (KNeighborsClassifier(), SRC, TGT), {"strategy": "partial_fit"},
     r"must be an estimator supporting strategy 'partial_fit'.*KNeighborsClassifier, "
     r"which lacks partial_fit\(\)"),
    (finetune, (KNeighborsClassifier(), SRC, TGT),
     {"strategy": ["weighted", "warm_start"]},
     r"lacks fit\(X, y, sample_weight=\.\.\.\) for 'weighted'; a warm_start parameter "
     r"for 'warm_start'"),
    (transfer_gain, (KNeighborsClassifier(), SRC, TGT), {"method": "partial_fit"},
     r"lacks partial_fit\(\)"),
    (finetune, (object(), SRC, TGT), {}, r"'estimator' parameter of finetune.*lacks fit"),
    # wrong option values
    (finetune, (LR, SRC, TGT), {"strategy": "magic"}, r"'strategy' parameter of finetune"),
    (finetune, (LR, SRC, TGT), {"source_weight": -1.0}, r"'source_weight' parameter"),
    (finetune, (LR, SRC, TGT), {"source_weight": "big"}, r"'auto' or a float >= 0"),
    (finetune, (LR, SRC, TGT), {"cv": 1}, r"'cv' parameter of finetune"),
    (finetune, (LR, SRC, TGT), {"scoring": 3}, r"'scoring' parameter of finetune"),
    (finetune, (LR, SRC, (XT[:3], YT[:3])), {"cv": 5},
     r"at least cv=5 rows to tune source_weight='auto'"),
    (finetune, (LR, XS, TGT), {}, r"'source' parameter of finetune must be a pair \(X, y\)"),
    (finetune, (LR, (XS, YS[:5]), TGT), {}, r"same number of samples"),
    (finetune, (LR, (XS, YS), (XT, np.r_[YT[:-1], np.inf])), {}, r"finite"),
    (finetune, (SGDClassifier(), SRC, TGT),
     {"strategy": "partial_fit", "schedule": 0.5}, r"'schedule' parameter"),
    (finetune, (KNeighborsClassifier(), SRC, TGT),
     {"strategy": "partial_fit", "schedule": lambda e: 1.0}, r"supporting strategy"),
    (finetune, (LogisticRegression(warm_start=True), SRC, (XT, np.where(YT == 1, 2, YT))),
     {"strategy": "warm_start"}, r"same classes as the source"),
    (importance_weights, (XS, XT), {"method": "ratio"}, r"'method' parameter"),
    (importance_weights, (XS, XT), {"clip": 1.0}, r"'clip' parameter.*\(1.0, inf\)"),
    (importance_weights, (XS, XT), {"cv": 50}, r"'cv' parameter.*at most the smaller"),
    (importance_weights, (XS, XT), {"estimator": KNeighborsClassifier}, r"'estimator'"),
    (importance_weights, (XS, XT), {"bandwidth": 0.0, "method": "kmm"}, r"'bandwidth'"),
    (importance_weights, (XS, XT), {"rng": -1}, r"'rng' parameter"),
    (importance_weights, (np.c_[XS[:, :2], np.full(60, np.nan)], XT), {}, r"NaN"),
    (transfer_gain, (LR, SRC, TGT), {"cv": 100}, r"'cv' parameter of transfer_gain"),
    (transfer_gain, (LR, SRC, TGT), {"cv": "five"}, r"'cv' parameter"),
    (transfer_gain, (LR, SRC, TGT), {"confidence_level": 1.0}, r"'confidence_level'"),
    (transfer_gain, (LR, SRC, TGT), {"finetune_params": {"strategy": "x"}},
     r"without 'strategy'"),
    (progressive, (LR, []), {"validation": TGT}, r"'stages' parameter of progressive"),
    (progressive, (LR, [SRC, (XT[:, :2], YT)]), {"validation": TGT},
     r"'stages\[1\]\[0\] \(X\)' parameter of progressive must be an array with 3"),
    (progressive, (LR, [SRC]), {"validation": (XT[:, :1], YT)}, r"'validation\[0\] \(X\)'"),
    (progressive, (LR, [SRC]), {"validation": TGT, "tolerance": -0.1}, r"'tolerance'"),
    (domain_distance, (XS, XT), {"thresholds": (0.9, 0.7)}, r"low <= high"),
    (domain_distance, (XS, XT), {"alpha": 1.5}, r"'alpha' parameter of domain_distance"),
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "match"), CASES)
def test_bad_input_raises_invalid_parameter_error(fn, args, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        fn(*args, **kwargs)


def test_invalid_parameter_error_is_value_and_type_error():
    with pytest.raises(ValueError, match="finetune"):
        finetune(LR, SRC, (XT[:, :2], YT))
    with pytest.raises(TypeError, match="strategy"):
        finetune(KNeighborsClassifier(), SRC, TGT, strategy="partial_fit")


def test_weight_tuning_names_the_error_every_candidate_hit():
    """When every candidate fit failed, the message blamed the target rows only;
    the estimator's own error (here a broken fit) was swallowed."""

    class Broken(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            raise ValueError("boom inside the estimator")

    rng = np.random.default_rng(0)
    xs, xt = rng.normal(size=(100, 2)), rng.normal(size=(10, 2))
    with pytest.raises(InvalidParameterError,
                       match=r"every candidate failed \(first error: ValueError: boom inside "
                             r"the estimator\)"):
        finetune(Broken(), (xs, (xs[:, 0] > 0).astype(int)), (xt, (xt[:, 0] > 0).astype(int)),
                 rng=0)
