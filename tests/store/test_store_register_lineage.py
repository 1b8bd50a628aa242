"""``register(data=(X, None))`` records no labels (it recorded every row as a label)."""

from __future__ import annotations

import numpy as np
from sklearn.dummy import DummyClassifier

from mllifecycle.store import Registry, Store, portfolio

FIT = DummyClassifier().fit([[0], [1]], [0, 1])
X = np.random.default_rng(0).normal(size=(50, 2))


def test_features_without_labels_record_no_labels(tmp_path):
    # an unsupervised model registered with (X, None) claimed 50 labels, and the
    # portfolio counted them in its labelling demand
    reg = Registry(Store(str(tmp_path / "r.db")))
    v = reg.register("seg", FIT, data=(X, None), learning_type="unsupervised")
    assert v.n_labels is None
    assert (v.data.n_samples, v.data.y_sha256) == (50, None)
    assert v.data == reg.register("seg", FIT, data=X).data
    assert portfolio(reg.store).total_labels == 0


def test_labels_are_still_counted_from_y_or_given(tmp_path):
    reg = Registry(Store(str(tmp_path / "r.db")))
    assert reg.register("m", FIT, data=(X, np.arange(50) % 2)).n_labels == 50
    assert reg.register("m", FIT, data=(X, None), n_labels=7).n_labels == 7
