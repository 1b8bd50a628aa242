"""replay with weighting windows: Pipelines, metadata routing, models that take no weights."""

from __future__ import annotations

import joblib
import numpy as np
import pytest
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from mllifecycle.datasets import sea_stream
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic, RecencyWeights, WindowSelection
from mllifecycle.replay import replay

S = sea_stream(1500, noise=0.05, rng=3)
KW = {"initial_train_size": 300, "batch_size": 100}


def _pipe() -> Pipeline:
    return make_pipeline(StandardScaler(), LogisticRegression())


class _FinalStepWeights(ClassifierMixin, BaseEstimator):
    """The hand-written reference: a pipeline whose weights go to its last step only."""

    def __init__(self, pipe=None):
        self.pipe = pipe

    def fit(self, X, y, sample_weight=None):
        self.pipe_ = clone(self.pipe)
        extra = {} if sample_weight is None else {"logisticregression__sample_weight":
                                                  sample_weight}
        self.pipe_.fit(X, y, **extra)
        self.classes_ = self.pipe_.classes_
        return self

    def predict(self, X):
        return self.pipe_.predict(X)


FITS: list[str] = []


class _NoWeights(ClassifierMixin, BaseEstimator):
    """A classifier whose fit takes no weights, counting its fits."""

    def fit(self, X, y):
        FITS.append("fit")
        self.m_ = LogisticRegression().fit(X, y)
        self.classes_ = self.m_.classes_
        return self

    def predict(self, X):
        return self.m_.predict(X)


class _KwargsFit(_NoWeights):
    def fit(self, X, y, **fit_params):
        self.m_ = LogisticRegression().fit(X, y, **fit_params)
        self.classes_ = self.m_.classes_
        return self


def _run(est, window=None, **kw):
    return replay(S.X, S.y, est, {"p": Periodic(every=300)},
                  window=RecencyWeights(150) if window is None else window, **KW, **kw)["p"]


def _same(a, b):
    assert a.accuracy == b.accuracy
    np.testing.assert_array_equal(a.batch_accuracy, b.batch_accuracy)
    assert a.retrains == b.retrains > 0


def test_pipeline_weights_go_to_the_final_step():
    # before: ValueError "Pipeline.fit does not accept the sample_weight
    # parameter" at the first retrain
    got = _run(_pipe())
    _same(got, _run(_FinalStepWeights(_pipe())))
    # the weights are used: not the unweighted fit of the same rows
    flat = _run(_pipe(), window=_Unweighted())
    assert not np.array_equal(got.batch_accuracy, flat.batch_accuracy)


def test_nested_pipeline_weights_reach_the_innermost_final_step():
    nested = Pipeline([("outer", StandardScaler()), ("inner", _pipe())])
    _same(_run(nested), _run(_FinalStepWeights(_pipe())))


def test_model_without_weights_refused_before_any_training():
    # before: TypeError "fit() got an unexpected keyword argument
    # 'sample_weight'" at the first retrain, after the initial fit
    FITS.clear()
    with pytest.raises(InvalidParameterError, match=r"estimator.*sample_weight.*'p'"):
        _run(_NoWeights())
    assert FITS == []
    with pytest.raises(InvalidParameterError, match="KNeighborsClassifier, whose fit takes no"):
        _run(KNeighborsClassifier())
    with pytest.raises(InvalidParameterError, match="final step 'kneighborsclassifier'"):
        _run(make_pipeline(StandardScaler(), KNeighborsClassifier()))
    # a per-policy window mapping: only the weighting one matters
    with pytest.raises(InvalidParameterError, match="'w'"):
        replay(S.X, S.y, KNeighborsClassifier(),
               {"u": Periodic(every=300), "w": Periodic(every=300)},
               window={"w": RecencyWeights(100)}, **KW)
    # unweighted windows still work with such a model
    assert _run(KNeighborsClassifier(), window=_Unweighted()).retrains > 0


class _Unweighted:
    def select(self, state):
        return WindowSelection(start=max(0, state.labels_available - 600),
                               stop=state.labels_available)


class _UserWeights:
    """A user's window that weights rows (not known before it answers)."""

    def select(self, state):
        stop = state.labels_available
        return WindowSelection(start=stop - 200, stop=stop, sample_weight=np.ones(200))


def test_user_weighting_window_and_model_without_weights_clear_error():
    # before: a bare TypeError from the model's fit
    with pytest.raises(InvalidParameterError, match=r"estimator.*_UserWeights.*sample_weight"):
        _run(KNeighborsClassifier(), window=_UserWeights())


def test_fit_with_kwargs_takes_the_weights():
    _same(_run(_KwargsFit()), _run(LogisticRegression()))


def test_metadata_routing_requests_are_used():
    expected = _run(_FinalStepWeights(_pipe()))
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(
            StandardScaler().set_fit_request(sample_weight=False),
            LogisticRegression().set_fit_request(sample_weight=True),
        )
        _same(_run(pipe), expected)
        # requests that cannot route the weights: refused before any training
        with pytest.raises(InvalidParameterError, match=r"metadata routing.*StandardScaler"):
            _run(_pipe())


def test_metadata_routing_kept_in_parallel_runs():
    # before: the threads (and loky workers) ran with scikit-learn's default
    # configuration, routing off, and the Pipeline refused sample_weight
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(
            StandardScaler().set_fit_request(sample_weight=False),
            LogisticRegression().set_fit_request(sample_weight=True),
        )
        serial = replay(S.X, S.y, pipe, {"a": Periodic(every=300), "b": Periodic(every=600)},
                        window=RecencyWeights(150), **KW)
        with joblib.parallel_config(backend="threading"):
            par = replay(S.X, S.y, pipe, {"a": Periodic(every=300), "b": Periodic(every=600)},
                         window=RecencyWeights(150), n_jobs=2, **KW)
    for k in ("a", "b"):
        _same(serial[k], par[k])


def test_search_of_a_pipeline_passes_the_final_step_keyword():
    # before: GridSearchCV passed sample_weight= to Pipeline.fit in every
    # fold: "All the 5 fits failed" at the first retrain
    from sklearn.model_selection import GridSearchCV

    search = GridSearchCV(_pipe(), {"logisticregression__C": [1.0]})
    _same(_run(search), _run(_FinalStepWeights(_pipe())))
    with pytest.raises(InvalidParameterError, match="GridSearchCV of a Pipeline"):
        _run(GridSearchCV(make_pipeline(StandardScaler(), KNeighborsClassifier()), {}))


def test_meta_estimators_that_need_routing_refused_before_any_training():
    # before: "Passing extra keyword arguments to FixedThresholdClassifier is
    # only supported if enable_metadata_routing=True" at the first retrain
    from sklearn.model_selection import FixedThresholdClassifier

    fixed = FixedThresholdClassifier(LogisticRegression(), threshold=0.4)
    with pytest.raises(InvalidParameterError, match="only through scikit-learn's metadata"):
        _run(fixed)
    with sklearn.config_context(enable_metadata_routing=True):
        routed = FixedThresholdClassifier(
            LogisticRegression().set_fit_request(sample_weight=True), threshold=0.4)
        assert _run(routed).retrains > 0


def test_voting_members_must_each_take_weights():
    # before: "Underlying estimator KNeighborsClassifier does not support
    # sample weights" at the first retrain
    from sklearn.ensemble import VotingClassifier

    bad = VotingClassifier([("lr", LogisticRegression()), ("knn", KNeighborsClassifier())])
    with pytest.raises(InvalidParameterError, match="member 'knn'"):
        _run(bad)
    good = VotingClassifier([("a", LogisticRegression()), ("b", LogisticRegression(C=0.5))])
    assert _run(good).retrains > 0
