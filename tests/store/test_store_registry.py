"""Registry: registration with lineage, gated promotion, rollback, loading."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

from mllifecycle.drift import Reference
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext, MetricThreshold, NoRegression
from mllifecycle.policies import RetrainDecision
from mllifecycle.store import (
    LabelQueue,
    NotFoundError,
    Registry,
    Store,
    StoreError,
    fingerprint,
)

pytest.importorskip("skops")

RNG = np.random.default_rng(7)
X = RNG.normal(size=(300, 3))
Y = (X[:, 0] + 0.3 * RNG.normal(size=300) > 0).astype(int)


def _fit(n=150):
    return LogisticRegression().fit(X[:n], Y[:n])


def _ctx(challenger, champion=None):
    return GateContext(y_true=Y[150:], challenger=challenger, champion=champion, rng=0)


PASS = MetricThreshold("accuracy", minimum=0.5)
FAIL = MetricThreshold("accuracy", minimum=0.999)


def test_register_records_lineage(store_url):
    reg = Registry(Store(store_url))
    model = _fit()
    decision = RetrainDecision(retrain=True, reason="drift in x0", change_point=120)
    v = reg.register(
        "churn",
        model,
        data=(X[:150], Y[:150]),
        metrics={"accuracy": 0.9},
        reference=Reference.fit(X[:150]),
        tags={"team": "growth"},
        decision=decision,
        cost=12.5,
    )
    assert (v.name, v.version, v.parent, v.n_labels, v.cost) == ("churn", 1, None, 150, 12.5)
    assert v.data == fingerprint(X[:150], Y[:150])
    assert v.has_reference
    assert v.decision == json.loads(json.dumps(decision.to_dict()))
    assert v.packages["numpy"] == np.__version__
    assert v.packages["scikit-learn"]
    assert v.metrics == {"accuracy": 0.9}
    assert v.tags == {"team": "growth"}
    v2 = reg.register("churn", _fit(100), parent=1)
    assert (v2.version, v2.parent) == (2, 1)
    assert [x.version for x in reg.versions("churn")] == [1, 2]
    assert reg.get("churn", 1).to_dict()["data"]["sha256"] == v.data.sha256
    # the stored reference gives the same drift reports as the original
    ref = reg.reference("churn", 1)
    original = Reference.fit(X[:150]).compare(X[150:] + np.array([0, 0, 0.4]))
    assert ref.compare(X[150:] + np.array([0, 0, 0.4])).to_dict() == original.to_dict()


def test_model_round_trips(store_url):
    reg = Registry(Store(store_url))
    model = _fit()
    reg.register("churn", model)
    loaded = reg.load("churn", 1)
    assert type(loaded) is LogisticRegression
    np.testing.assert_array_equal(loaded.coef_, model.coef_)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_identical_files_are_stored_once(store_url):
    import hashlib
    import pickle

    store = Store(store_url)
    reg = Registry(store)
    model = _fit()
    a = reg.register("churn", model, format="pickle")
    b = reg.register("other", model, format="pickle")
    assert a.artifact == b.artifact
    assert a.artifact == hashlib.sha256(pickle.dumps(model, protocol=5)).hexdigest()
    with store._read() as tx:
        assert tx.one("SELECT COUNT(*) FROM artifacts")[0] == 1


def test_promote_moves_champion_only_on_pass_and_records_report(store_url):
    reg = Registry(Store(store_url))
    m1, m2 = _fit(150), DummyClassifier(strategy="constant", constant=0).fit(X, Y)
    reg.register("churn", m1)
    reg.register("churn", m2)
    first = reg.promote("churn", 1, gates=PASS, context=_ctx(m1.predict(X[150:])))
    assert (first.passed, first.previous, first.champion) == (True, None, 1)
    assert first.report.first_model
    gates = [PASS, NoRegression("accuracy", margin=0.0, n_resamples=500)]
    ctx = _ctx(m2.predict(X[150:]), champion=m1.predict(X[150:]))
    second = reg.promote("churn", 2, gates=gates, context=ctx, reason="weekly retrain")
    assert not second.passed
    assert (second.previous, second.champion) == (1, 1)
    assert reg.champion("churn").version == 1
    hist = reg.history("churn")
    assert [e.kind for e in hist] == ["register", "register", "promote", "reject"]
    assert hist[3].report == json.loads(json.dumps(second.report.to_dict()))
    assert hist[3].reason == "weekly retrain"
    assert (hist[2].from_version, hist[2].to_version, hist[2].passed) == (None, 1, True)
    assert reg.get("churn", 1).is_champion
    assert not reg.get("churn", 2).is_champion


def test_rollback_walks_back_the_champion_stack(store_url):
    reg = Registry(Store(store_url))
    for _ in range(4):
        v = reg.register("m", DummyClassifier().fit([[0], [1]], [0, 1]))
        reg.promote(
            "m", v.version, gates=PASS, context=GateContext(y_true=[0, 1], challenger=[0, 1])
        )
    assert reg.champion("m").version == 4
    assert reg.rollback("m") == 3
    assert reg.rollback("m") == 2
    assert reg.rollback("m", to=4, reason="fixed") == 4
    assert reg.rollback("m") == 2  # back to the champion before the explicit jump
    assert reg.champion("m").version == 2
    kinds = [
        (e.kind, e.from_version, e.to_version) for e in reg.history("m") if e.kind == "rollback"
    ]
    assert kinds == [("rollback", 4, 3), ("rollback", 3, 2), ("rollback", 2, 4), ("rollback", 4, 2)]


def test_rollback_needs_an_earlier_champion():
    reg = Registry(Store(":memory:"))
    reg.register("m", DummyClassifier().fit([[0], [1]], [0, 1]))
    with pytest.raises(StoreError, match="no earlier champion"):
        reg.rollback("m")
    reg.promote("m", 1, gates=PASS, context=GateContext(y_true=[0, 1], challenger=[0, 1]))
    with pytest.raises(StoreError, match="no earlier champion"):
        reg.rollback("m")
    with pytest.raises(NotFoundError, match="no version 5"):
        reg.rollback("m", to=5)


def test_load_defaults_to_champion():
    reg = Registry(Store(":memory:"))
    reg.register("m", DummyClassifier(strategy="constant", constant=1).fit([[0], [1]], [0, 1]))
    with pytest.raises(StoreError, match="no champion"):
        reg.load("m")
    reg.promote("m", 1, gates=PASS, context=GateContext(y_true=[0, 1], challenger=[0, 1]))
    assert reg.load("m").predict([[5]]).tolist() == [1]


def test_fingerprint_distinguishes_data_and_labels():
    a = fingerprint(X, Y)
    assert a == fingerprint(X.copy(), Y.copy())
    assert a.sha256 != fingerprint(X, 1 - Y).sha256
    x2 = X.copy()
    x2[0, 0] += 1e-12
    assert a.sha256 != fingerprint(x2, Y).sha256
    assert a.sha256 != fingerprint(X.astype(np.float32), Y).sha256
    assert fingerprint(X).y_sha256 is None


def test_fingerprint_of_dataframe_keeps_column_names():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"age": [30, 40], "city": ["a", "b"]})
    fp = fingerprint(df)
    assert fp.columns == ("age", "city")
    assert fp.n_samples == 2
    assert fp.sha256 != fingerprint(df.rename(columns={"age": "years"})).sha256


def test_fingerprint_of_dataframe_with_non_text_column_names():
    # pd.DataFrame(array) names its columns 0, 1, ...: they were looked up
    # as "0", "1" and raised a bare KeyError (also from register(data=...))
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(X)
    fp = fingerprint(df, Y)
    assert fp.columns == ("0", "1", "2")
    assert fp.n_samples == X.shape[0]
    # the names are text in the fingerprint: as the same table named "0", "1", "2"
    named = pd.DataFrame({str(j): X[:, j] for j in range(3)})
    assert fp == fingerprint(named, Y)
    assert fp.sha256 != fingerprint(df.iloc[:, ::-1].set_axis([0, 1, 2], axis=1), Y).sha256
    tupled = pd.DataFrame({("a", "b"): [1, 2, 3]})
    assert fingerprint(tupled).columns == ("('a', 'b')",)
    reg = Registry(Store(":memory:"))
    v = reg.register("m", DummyClassifier().fit(X, Y), data=(df, Y))
    assert v.n_labels == X.shape[0]


@pytest.mark.parametrize("columns", [["x", "x"], [1, "1"]])
def test_fingerprint_refuses_repeated_column_names(columns):
    # a repeated name read the two columns as one block, hashed under each name
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(np.arange(6).reshape(3, 2), columns=columns)
    with pytest.raises(InvalidParameterError,
                       match=r"'X' parameter of fingerprint.*unique column names"):
        fingerprint(df)


def test_portfolio_from_history():
    from mllifecycle.store import portfolio

    reg = Registry(Store(":memory:"))
    fit = DummyClassifier().fit([[0], [1]], [0, 1])
    day = 86400.0
    for t, n, c in [(0, 100, 1.0), (10, 300, 2.0), (30, 200, 3.0)]:
        reg.register("a", fit, n_labels=n, cost=c, created_at=t * day)
    reg.register("b", fit, learning_type="semi-supervised", created_at=0.0)
    reg.register("c", fit, learning_type="weakly-supervised", n_labels=50, created_at=0.0)
    reg.register("c", fit, n_labels=70, created_at=4 * day)
    reg.promote("a", 2, gates=PASS, context=GateContext(y_true=[0, 1], challenger=[0, 1]))
    reg.promote("a", 3, gates=FAIL, context=GateContext(y_true=[0, 1], challenger=[0, 0]))
    rep = portfolio(reg.store)
    a, b, c = rep.models
    assert (a.n_versions, a.n_promotions, a.n_rejections, a.champion) == (3, 1, 1, 2)
    assert a.labels_per_retrain == pytest.approx(200.0)
    assert a.cadence_days == pytest.approx(15.0)  # median of gaps 10 and 20 days
    assert a.labels_per_day == pytest.approx(200.0 / 15.0)
    assert a.total_cost == pytest.approx(6.0)
    assert np.isnan(b.labels_per_retrain)
    assert np.isnan(b.cadence_days)
    assert c.labels_per_day == pytest.approx(60.0 / 4.0)
    assert rep.learning_types == {"semi-supervised": 1, "supervised": 1, "weakly-supervised": 1}
    assert rep.supervised_share == pytest.approx(1 / 3)
    assert rep.labels_per_day == pytest.approx(200.0 / 15.0 + 15.0)
    assert rep.n_unknown_demand == 1
    assert rep.total_labels == 720
    assert json.dumps(rep.to_dict())
    assert set(rep.to_metrics()) >= {"n_models", "supervised_share", "labels_per_day"}
    assert "<table>" in rep._repr_html_()


def _reg():
    reg = Registry(Store(":memory:"))
    reg.register("m", DummyClassifier().fit([[0], [1]], [0, 1]))
    return reg


FIT = DummyClassifier().fit([[0], [1]], [0, 1])
BAD_REGISTER = [
    ({"name": ""}, "'name' parameter of register"),
    ({"name": 3}, "'name' parameter of register"),
    ({"model": None}, "'model' parameter of register"),
    ({"format": "joblib"}, "'format' parameter of register"),
    ({"learning_type": "magic"}, "'learning_type' parameter of register"),
    ({"parent": 0}, "'parent' parameter of register"),
    ({"parent": 7}, "'parent' parameter of register must be a registered version"),
    ({"n_labels": -1}, "'n_labels' parameter of register"),
    ({"cost": float("nan")}, "'cost' parameter of register"),
    ({"cost": -1.0}, r"'cost' parameter of register must be a finite number >= 0"),
    ({"created_at": "today"}, "'created_at' parameter of register"),
    ({"metrics": [1, 2]}, "'metrics' parameter of register"),
    ({"data": (X, Y, Y)}, "'data' parameter of register"),
    ({"data": (X, Y[:3])}, "'y' parameter of fingerprint"),
    ({"reference": "ref"}, "'reference' parameter of register"),
    ({"decision": 3}, "'decision' parameter of register"),
]


def test_parent_of_a_new_name_says_none_is_registered():
    with pytest.raises(InvalidParameterError, match=r"version of 'new' \(none registered yet\)"):
        _reg().register("new", FIT, parent=1)


@pytest.mark.parametrize(("kwargs", "match"), BAD_REGISTER)
def test_register_bad_input(kwargs, match):
    reg = _reg()
    args = {"name": "m", "model": FIT, **kwargs}
    with pytest.raises(InvalidParameterError, match=match):
        reg.register(args.pop("name"), args.pop("model"), **args)
    assert [v.version for v in reg.versions("m")] == [1]  # nothing half-written


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda r: r.get("nope", 1), NotFoundError, "no model named 'nope'"),
        (lambda r: r.get("m", 2), NotFoundError, "no version 2"),
        (lambda r: r.get("m", 0), InvalidParameterError, "'version' parameter of get"),
        (lambda r: r.history("nope"), NotFoundError, "no model named"),
        (lambda r: r.versions("nope"), NotFoundError, "no model named"),
        (lambda r: r.champion("nope"), NotFoundError, "no model named"),
        (lambda r: r.reference("m", 1), NotFoundError, "has no stored reference"),
        (lambda r: r.load("m", 1, trusted="yes"), InvalidParameterError, "'trusted' parameter"),
        (
            lambda r: r.promote(
                "m", 2, gates=PASS, context=GateContext(y_true=[0], challenger=[0])
            ),
            NotFoundError,
            "no version 2",
        ),
        (
            lambda r: r.promote("m", 1, gates=PASS, context={"y_true": [0]}),
            InvalidParameterError,
            "'context' parameter of evaluate_gates",
        ),
        (lambda r: r.rollback("nope"), NotFoundError, "no model named"),
        (lambda r: r.rollback("m", reason=3), InvalidParameterError, "'reason' parameter"),
    ],
)
def test_registry_bad_calls(call, exc, match):
    reg = _reg()
    with pytest.raises(exc, match=match):
        call(reg)
    assert [e.kind for e in reg.history("m")] == ["register"]


@pytest.mark.parametrize(
    ("url", "match"),
    [
        (3, "'url' parameter of Store"),
        ("", "'url' parameter of Store"),
        ("/no/such/dir/x.db", "existing directory"),
    ],
)
def test_store_bad_url(url, match):
    with pytest.raises(InvalidParameterError, match=match):
        Store(url)


def test_store_bad_synchronous(tmp_path):
    with pytest.raises(InvalidParameterError, match="'synchronous' parameter of Store"):
        Store(tmp_path / "s.db", synchronous="off")


def test_unreachable_server_is_a_store_error():
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("psycopg")
    with pytest.raises(
        StoreError, match=r"cannot open the store at postgresql\+psycopg://u:\*\*\*@"
    ):
        Store("postgresql+psycopg://u:secret@127.0.0.1:1/db?connect_timeout=2")


def test_store_refuses_other_dialects():
    pytest.importorskip("sqlalchemy")
    with pytest.raises((InvalidParameterError, StoreError, ModuleNotFoundError)):
        Store("mysql+pymysql://u:secret@127.0.0.1:1/db")


@pytest.mark.parametrize(("synchronous", "level"), [("full", 2), ("normal", 1)])
def test_sqlite_synchronous_setting(tmp_path, synchronous, level):
    store = Store(tmp_path / "s.db", synchronous=synchronous)
    with store._read() as tx:
        assert tx.one("PRAGMA synchronous")[0] == level
        assert tx.one("PRAGMA foreign_keys")[0] == 1


def test_sqlite_url_form_and_wal(tmp_path):
    path = tmp_path / "s.db"
    store = Store(f"sqlite:///{path}")
    assert store.url == str(path)
    with store._read() as tx:
        assert tx.one("PRAGMA journal_mode")[0] == "wal"
    assert Store(path).schema_version == 1


def test_store_registry_and_queue_pickle_by_location(store_url):
    import pickle

    reg = Registry(Store(store_url))
    reg.register("m", FIT)
    again = pickle.loads(pickle.dumps(reg))
    assert again.get("m", 1).version == 1
    q = pickle.loads(pickle.dumps(LabelQueue(reg.store, "x", redundancy=2)))
    assert (q.name, q.redundancy, q.enqueue(["a"])) == ("x", 2, [1])
    normal = pickle.loads(pickle.dumps(Store(store_url, synchronous="normal")))
    assert normal._synchronous == "normal"
    with pytest.raises(TypeError, match="in-memory Store cannot be pickled"):
        pickle.dumps(Store(":memory:"))
