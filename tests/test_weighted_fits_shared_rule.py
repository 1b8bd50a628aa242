"""One rule for weighted fits in replay, augment and transfer (mllifecycle._estimators).

A ``Pipeline`` whose final step takes weights gets them there (the same
model as fitting the final step with the weights by hand), an estimator that
cannot take them is refused with an error naming ``estimator`` and saying
why, and scikit-learn's metadata routing is respected, also with ``n_jobs``.
"""

from __future__ import annotations

import joblib
import numpy as np
import pytest
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.feature_selection import RFECV
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from mllifecycle._estimators import fit_weighted, weight_keyword
from mllifecycle.augment import augmentation_gain
from mllifecycle.datasets import sea_stream
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic, RecencyWeights
from mllifecycle.replay import replay
from mllifecycle.transfer import finetune, progressive, transfer_gain


def _pipe() -> Pipeline:
    return make_pipeline(StandardScaler(), LogisticRegression())


def _routed_pipe(scaler_weights: bool = False) -> Pipeline:
    return make_pipeline(
        StandardScaler().set_fit_request(sample_weight=scaler_weights),
        LogisticRegression().set_fit_request(sample_weight=True),
    )


class _FinalStepWeights(ClassifierMixin, BaseEstimator):
    """The hand-written reference: a pipeline whose weights go to its last step only."""

    def __init__(self, pipe=None):
        self.pipe = pipe

    def fit(self, X, y, sample_weight=None):
        self.pipe_ = clone(self.pipe)
        extra = {} if sample_weight is None else {
            f"{self.pipe_.steps[-1][0]}__sample_weight": sample_weight}
        self.pipe_.fit(X, y, **extra)
        self.classes_ = self.pipe_.classes_
        return self

    def predict(self, X):
        return self.pipe_.predict(X)

    def predict_proba(self, X):
        return self.pipe_.predict_proba(X)


class _KwargsFit(ClassifierMixin, BaseEstimator):
    """A user's classifier whose fit takes the weights among its **kwargs."""

    def fit(self, X, y, **fit_params):
        self.m_ = LogisticRegression().fit(X, y, **fit_params)
        self.classes_ = self.m_.classes_
        return self

    def predict(self, X):
        return self.m_.predict(X)


# --- the rule itself ----------------------------------------------------------


def test_weight_keyword_names_the_final_step_and_says_why_not():
    assert weight_keyword(LogisticRegression()) == ("sample_weight", "")
    assert weight_keyword(_pipe()) == ("logisticregression__sample_weight", "")
    nested = Pipeline([("outer", StandardScaler()), ("inner", _pipe())])
    assert weight_keyword(nested) == ("inner__logisticregression__sample_weight", "")
    key, why = weight_keyword(make_pipeline(StandardScaler(), KNeighborsClassifier()))
    assert key is None
    assert "final step 'kneighborsclassifier'" in why
    assert weight_keyword(_KwargsFit())[0] == "sample_weight"
    key, why = weight_keyword(_KwargsFit(), assume_kwargs=False)
    assert key is None
    assert "**kwargs" in why
    with sklearn.config_context(enable_metadata_routing=True):
        assert weight_keyword(_routed_pipe()) == ("sample_weight", "")
        key, why = weight_keyword(_pipe())
        assert key is None
        assert "metadata routing" in why


def test_fit_weighted_is_the_final_step_fitted_with_the_weights_by_hand():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] + rng.normal(size=80) > 0).astype(int)
    w = rng.uniform(0, 2, 80)
    key, _ = weight_keyword(_pipe())
    got = fit_weighted(_pipe(), X, y, w, key)
    hand = _FinalStepWeights(_pipe()).fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(got.predict_proba(X), hand.predict_proba(X))
    plain = fit_weighted(_pipe(), X, y, None, key)
    assert not np.array_equal(plain.predict_proba(X), got.predict_proba(X))


# --- replay: RFECV needs routing for its fit params ---------------------------


def test_replay_refuses_rfecv_before_any_training():
    # before: RFECV was read as a RFE, which passes sample_weight on: the
    # replay ran and failed at the first weighted retrain with scikit-learn's
    # "Passing extra keyword arguments to RFECV.fit is only supported if
    # enable_metadata_routing=True"
    s = sea_stream(900, noise=0.05, rng=3)
    with pytest.raises(InvalidParameterError, match=r"estimator.*RFECV.*metadata routing"):
        replay(s.X, s.y, RFECV(LogisticRegression()), {"p": Periodic(every=300)},
               window=RecencyWeights(150), initial_train_size=300, batch_size=100)


@pytest.mark.parametrize("wrapper", ["AdaBoostClassifier", "MultiOutputClassifier"])
def test_replay_refuses_a_wrapper_of_a_model_without_weights_before_any_training(wrapper):
    # before: "KNeighborsClassifier doesn't support sample_weight" (or
    # "Underlying estimator does not support sample weights") from
    # scikit-learn at the first weighted retrain
    import sklearn.ensemble
    import sklearn.multioutput

    mod = sklearn.ensemble if wrapper.startswith("Ada") else sklearn.multioutput
    est = getattr(mod, wrapper)(KNeighborsClassifier())
    s = sea_stream(900, noise=0.05, rng=3)
    y = s.y if wrapper.startswith("Ada") else np.c_[s.y, s.y]
    key, why = weight_keyword(est)
    assert key is None
    assert f"{wrapper} of KNeighborsClassifier, whose fit takes no sample_weight" in why
    if wrapper.startswith("Ada"):  # replay takes one label per row
        with pytest.raises(InvalidParameterError, match=r"estimator.*AdaBoostClassifier of"):
            replay(s.X, y, est, {"p": Periodic(every=300)}, window=RecencyWeights(150),
                   initial_train_size=300, batch_size=100)
    assert weight_keyword(getattr(mod, wrapper)(LogisticRegression()))[0] == "sample_weight"


def test_pipeline_with_a_sampler_refused_for_weights():
    # before: replay gave the window's weights to the final step after an
    # imbalanced-learn sampler had reordered the rows (a balanced window is
    # grouped by class): each weight went to another row, silently (accuracy
    # 0.608 where the weighted model scores 0.726); with rows added or
    # dropped, scikit-learn failed at the first retrain
    imblearn_pipeline = pytest.importorskip("imblearn.pipeline")
    from imblearn.under_sampling import RandomUnderSampler

    rng = np.random.default_rng(0)
    y = np.tile([0, 1], 600)
    X = rng.normal(size=(1200, 2))
    X[:, 0] += 1.5 * y * np.where(np.arange(1200) < 600, 1, -1)
    pipe = imblearn_pipeline.Pipeline([("s", RandomUnderSampler(random_state=0)),
                                       ("m", LogisticRegression())])
    key, why = weight_keyword(pipe)
    assert key is None
    assert "step 's' (RandomUnderSampler) resamples the rows" in why
    with pytest.raises(InvalidParameterError, match=r"estimator.*RandomUnderSampler"):
        replay(X, y, pipe, {"p": Periodic(every=100)},
               window=RecencyWeights(50, max_samples=200), initial_train_size=300,
               batch_size=100)
    X2, y2 = _aug_data()
    with pytest.raises(InvalidParameterError, match=r"estimator.*RandomUnderSampler"):
        augmentation_gain(pipe, X2, y2, _down_weighted_copies, n_repeats=1, rng=0)
    xs, ys, xt, yt = _transfer_data()
    with pytest.raises(InvalidParameterError, match=r"estimator.*RandomUnderSampler"):
        finetune(pipe, (xs, ys), (xt, yt), strategy="weighted", rng=0)
    assert finetune(pipe, (xs, ys), (xt, yt), rng=0).strategy == "stacked"


# --- augment ------------------------------------------------------------------


def _aug_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=200) > 0).astype(int)
    return X, y


def _flipped_copy_weighted_zero(X, y, rng=None):
    # every row again with the opposite label, weighted 0: the weighted model
    # is the plain one (a scaler fitted on the doubled rows is the same too)
    return (np.vstack([X, X]), np.concatenate([y, 1 - y]),
            np.concatenate([np.ones(len(y)), np.zeros(len(y))]))


def _down_weighted_copies(X, y, rng=None):
    g = np.random.default_rng(rng)
    Xn = X + g.normal(0, 0.3, X.shape)
    return (np.vstack([X, Xn]), np.concatenate([y, y]),
            np.concatenate([np.ones(len(y)), np.full(len(y), 0.25)]))


def test_augmentation_gain_passes_a_pipelines_weights_to_its_final_step():
    # before: "an estimator whose fit takes sample_weight ... Got Pipeline,
    # whose fit takes no sample_weight", while replay fits the same Pipeline
    X, y = _aug_data()
    res = augmentation_gain(_pipe(), X, y, _flipped_copy_weighted_zero, n_repeats=1, rng=0)
    np.testing.assert_allclose(res.candidate_scores, res.baseline_scores, atol=1e-12)
    got = augmentation_gain(_pipe(), X, y, _down_weighted_copies, n_repeats=1, rng=0)
    hand = augmentation_gain(_FinalStepWeights(_pipe()), X, y, _down_weighted_copies,
                             n_repeats=1, rng=0)
    assert got.candidate_scores == hand.candidate_scores
    assert got.gain == hand.gain


@pytest.mark.parametrize(
    ("estimator", "match"),
    [
        (KNeighborsClassifier(), "KNeighborsClassifier, whose fit takes no sample_weight"),
        (make_pipeline(StandardScaler(), KNeighborsClassifier()),
         "Pipeline whose final step 'kneighborsclassifier' is KNeighborsClassifier"),
    ],
)
def test_augmentation_gain_refuses_an_estimator_without_weights(estimator, match):
    X, y = _aug_data()
    with pytest.raises(InvalidParameterError, match=r"'estimator'.*" + match):
        augmentation_gain(estimator, X, y, _down_weighted_copies, n_repeats=1, rng=0)


def test_augmentation_gain_metadata_routing_serial_and_parallel():
    # before: with n_jobs the splits ran under scikit-learn's default
    # configuration (routing off) and the routed Pipeline refused sample_weight
    X, y = _aug_data()
    hand = augmentation_gain(_FinalStepWeights(_pipe()), X, y, _down_weighted_copies,
                             n_repeats=1, rng=0)
    with sklearn.config_context(enable_metadata_routing=True):
        serial = augmentation_gain(_routed_pipe(), X, y, _down_weighted_copies,
                                   n_repeats=1, rng=0)
        with joblib.parallel_config(backend="threading"):
            par = augmentation_gain(_routed_pipe(), X, y, _down_weighted_copies,
                                    n_repeats=1, rng=0, n_jobs=2)
        with pytest.raises(InvalidParameterError, match="metadata routing"):
            augmentation_gain(_pipe(), X, y, _down_weighted_copies, n_repeats=1, rng=0)
    assert serial.candidate_scores == hand.candidate_scores == par.candidate_scores


# --- transfer -----------------------------------------------------------------


def _transfer_data():
    rng = np.random.default_rng(0)
    xs = rng.normal(2, 3, size=(300, 3))
    ys = (xs[:, 0] > 2).astype(int)
    xt = rng.normal(size=(60, 3))
    yt = (xt[:, 0] + 0.3 * xt[:, 1] > 0).astype(int)
    return xs, ys, xt, yt


def test_finetune_weighted_pipeline_is_the_final_step_weighted_by_hand():
    # before: strategy="weighted" refused a Pipeline ("lacks fit(X, y,
    # sample_weight=...)"), and "auto" chose "stacked" for it
    xs, ys, xt, yt = _transfer_data()
    res = finetune(_pipe(), (xs, ys), (xt, yt), strategy="weighted", source_weight=0.2,
                   rng=0)
    x = np.vstack([xs, xt])
    w = np.concatenate([np.full(300, 0.2), np.ones(60)])
    hand = _pipe().fit(x, np.concatenate([ys, yt]), logisticregression__sample_weight=w)
    np.testing.assert_array_equal(res.model.predict_proba(xt), hand.predict_proba(xt))
    auto = finetune(_pipe(), (xs, ys), (xt, yt), rng=0)
    assert auto.strategy == "weighted"
    assert "accepts logisticregression__sample_weight" in auto.reason
    # the tuned weight is the one the hand-written reference tunes
    tuned = finetune(_pipe(), (xs, ys), (xt, yt), strategy="weighted", rng=0)
    ref = finetune(_FinalStepWeights(_pipe()), (xs, ys), (xt, yt), strategy="weighted", rng=0)
    assert tuned.source_weight == ref.source_weight
    np.testing.assert_array_equal(tuned.model.predict_proba(xt), ref.model.predict_proba(xt))


def test_finetune_weighted_refusal_says_why():
    xs, ys, xt, yt = _transfer_data()
    with pytest.raises(InvalidParameterError,
                       match=r"'estimator'.*final step 'kneighborsclassifier'"):
        finetune(make_pipeline(StandardScaler(), KNeighborsClassifier()), (xs, ys),
                 (xt, yt), strategy="weighted", rng=0)


def test_finetune_transformed_target_regressor_weighted():
    # before: refused (its fit takes **fit_params), though it passes
    # sample_weight on to its regressor without metadata routing
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(200, 2))
    ys = np.exp(xs @ [0.5, -0.2] + rng.normal(0, 0.1, 200))
    xt = rng.normal(size=(40, 2))
    yt = np.exp(xt @ [0.6, -0.1] + rng.normal(0, 0.1, 40))
    ttr = TransformedTargetRegressor(LinearRegression(), func=np.log, inverse_func=np.exp)
    res = finetune(ttr, (xs, ys), (xt, yt), strategy="weighted", source_weight=0.1, rng=0)
    w = np.concatenate([np.full(200, 0.1), np.ones(40)])
    hand = LinearRegression().fit(np.vstack([xs, xt]), np.log(np.concatenate([ys, yt])),
                                  sample_weight=w)
    np.testing.assert_allclose(res.model.regressor_.coef_, hand.coef_, rtol=1e-12)


def test_finetune_kwargs_fit_weighted_when_asked_not_by_auto():
    # the same rule as replay for a fit(X, y, **kwargs) named explicitly;
    # "auto" keeps not counting on it (as before)
    xs, ys, xt, yt = _transfer_data()
    res = finetune(_KwargsFit(), (xs, ys), (xt, yt), strategy="weighted",
                   source_weight=0.2, rng=0)
    ref = finetune(LogisticRegression(), (xs, ys), (xt, yt), strategy="weighted",
                   source_weight=0.2, rng=0)
    np.testing.assert_array_equal(res.model.predict(xt), ref.model.predict(xt))
    assert finetune(_KwargsFit(), (xs, ys), (xt, yt), rng=0).strategy == "stacked"


def test_progressive_weighted_pipeline():
    xs, ys, xt, yt = _transfer_data()
    # before: strategy="weighted" refused the Pipeline
    stages = {"src": (xs, ys), "tgt": (xt[:40], yt[:40])}
    val = (xt[40:], yt[40:])
    got = progressive(_pipe(), stages, validation=val, strategy="weighted",
                      source_weight=0.2, tolerance=1.0, rng=0)
    ref = progressive(_FinalStepWeights(_pipe()), stages, validation=val,
                      strategy="weighted", source_weight=0.2, tolerance=1.0, rng=0)
    assert list(got.kept) == list(ref.kept) == ["src", "tgt"]
    np.testing.assert_array_equal(got.model.predict_proba(xt), ref.model.predict_proba(xt))


def test_transfer_gain_routing_same_answer_with_n_jobs():
    # before: a thread (or loky worker) ran with routing off, so the scaler
    # that asked for the weights was fitted unweighted: another gain, silently
    xs, ys, xt, yt = _transfer_data()
    kw = {"n_repeats": 1, "scoring": "neg_log_loss", "rng": 0,
          "finetune_params": {"source_weight": 0.05}}
    with sklearn.config_context(enable_metadata_routing=True):
        serial = transfer_gain(_routed_pipe(True), (xs, ys), (xt, yt), **kw)
        with joblib.parallel_config(backend="threading"):
            par = transfer_gain(_routed_pipe(True), (xs, ys), (xt, yt), n_jobs=2, **kw)
    assert serial.method == "weighted"
    assert par.candidate_scores == serial.candidate_scores
    assert par.gain == serial.gain


# --- augment: the augmenter's weights get the library's one check ------------------


def _with_weights(weights):
    def aug(X, y, rng=None):
        return np.vstack([X, X]), np.concatenate([y, 1 - y]), weights(len(y))
    return aug


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        (lambda n: np.r_[np.ones(n), -np.ones(n)], "not non-negative weights: 160 negative"),
        (lambda n: np.zeros(2 * n), "not weights with a positive sum"),
        (lambda n: np.r_[np.ones(n), np.full(n, np.nan)], "NaN"),
        (lambda n: np.array(["1"] * (2 * n)), "not numeric"),
    ],
)
def test_augmentation_gain_checks_the_augmenters_weights(weights, match):
    # before: negative weights were fitted as they came by GaussianNB and
    # trees (a gain of -0.375 returned for a nonsensical model), and failed
    # inside LogisticRegression with a bare ZeroDivisionError
    from sklearn.naive_bayes import GaussianNB

    X, y = _aug_data()
    for est in (GaussianNB(), LogisticRegression()):
        with pytest.raises(InvalidParameterError,
                           match=r"'augmenter' parameter of augmentation_gain.*" + match):
            augmentation_gain(est, X, y, _with_weights(weights), n_repeats=1, rng=0)


# --- transfer: a source weight whose total overflows ---------------------------------


@pytest.mark.parametrize("source_weight", [1e306, 1e308])
def test_source_weight_beyond_the_float_range_refused(source_weight):
    # before: the weights of 300 source rows summed to inf; LogisticRegression
    # returned all-zero coefficients (a constant model) with only warnings
    xs, ys, xt, yt = _transfer_data()
    with pytest.raises(InvalidParameterError,
                       match=r"'source_weight' parameter of finetune.*totalling inf over 300"):
        finetune(LogisticRegression(), (xs, ys), (xt, yt), strategy="weighted",
                 source_weight=source_weight, rng=0)
    stages = {"src": (xs, ys), "tgt": (xt[:40], yt[:40])}
    with pytest.raises(InvalidParameterError, match=r"'source_weight' parameter of progressive"):
        progressive(LogisticRegression(), stages, validation=(xt[40:], yt[40:]),
                    strategy="weighted", source_weight=source_weight, rng=0)
    # the largest total that fits still fits
    big = finetune(LogisticRegression(), (xs, ys), (xt, yt), strategy="weighted",
                   source_weight=1e305, rng=0)
    assert np.isfinite(big.model.coef_).all()
    assert np.abs(big.model.coef_).max() > 0
