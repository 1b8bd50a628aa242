"""``select(n_jobs=...)`` runs each replay under the caller's scikit-learn configuration."""

from __future__ import annotations

import joblib
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mllifecycle.datasets import sea_stream
from mllifecycle.policies import Periodic, RecencyWeights, select

S = sea_stream(1500, noise=0.05, rng=3)
KW = {"initial_train_size": 300, "batch_size": 100, "window": RecencyWeights(150)}


def test_select_in_parallel_keeps_metadata_routing():
    # before: joblib's own Parallel ran the replays (threads or loky workers)
    # with scikit-learn's defaults (routing off), so a scaler that asks for the
    # weights was fitted unweighted there: another model than the serial run's
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(
            StandardScaler().set_fit_request(sample_weight=True),
            LogisticRegression(C=0.01).set_fit_request(sample_weight=True),
        )
        cands = {"a": Periodic(every=300), "b": Periodic(every=600)}
        serial = select(S.X, S.y, pipe, cands, **KW)
        with joblib.parallel_config(backend="threading"):
            par = select(S.X, S.y, pipe, cands, n_jobs=2, **KW)
    for k in ("a", "b"):
        assert serial.replay[k].accuracy == par.replay[k].accuracy
        assert serial.replay[k].retrains == par.replay[k].retrains > 0
