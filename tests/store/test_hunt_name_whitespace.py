"""Hunt: names differing only by surrounding whitespace are refused, not two models.

``"fraud"`` and ``"fraud "`` were stored as two models (two queues, two
workers), so a promotion or a lookup by the name a user thought they typed
silently hit another model or none. A name with leading or trailing
whitespace is now refused (not stripped: stripping would silently send a call
to another name), except a name an earlier release already stored, which
stays readable and writable by its exact name.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.cli import main
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext, MetricThreshold
from mllifecycle.store import LabelQueue, NotFoundError, Registry, Store, _db, _queue, _registry

FIT = DummyClassifier().fit([[0], [1]], [0, 1])
GATE = MetricThreshold("accuracy", minimum=0.5)
CTX = GateContext(y_true=[0, 1], challenger=[0, 1])

PADDED = ["fraud ", " fraud", "fraud\n", "fraud\t", "\tfraud", "fraud\u00a0", "fraud\r\n"]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request):
    return request.getfixturevalue(f"{'sqlite' if request.param == 'sqlite' else 'pg'}_url")


def _refused(name, caller, arg="name"):
    return (
        rf"The '{arg}' parameter of {caller} must be a non-empty string.* without leading or "
        rf"trailing whitespace .* Got {_re_repr(name)} \(did you mean 'fraud'\?\) instead"
    )


def _re_repr(name):
    import re

    return re.escape(repr(name))


CALLS = [
    ("register", lambda r, n: r.register(n, FIT)),
    ("promote", lambda r, n: r.promote(n, 1, gates=GATE, context=CTX)),
    ("rollback", lambda r, n: r.rollback(n)),
    ("get", lambda r, n: r.get(n, 1)),
    ("champion", lambda r, n: r.champion(n)),
    ("versions", lambda r, n: r.versions(n)),
    ("history", lambda r, n: r.history(n)),
    ("reference", lambda r, n: r.reference(n, 1)),
    ("champion", lambda r, n: r.load(n)),  # load reads the champion first
]


@pytest.mark.parametrize("name", PADDED)
@pytest.mark.parametrize(("caller", "call"), CALLS)
def test_registry_refuses_names_with_surrounding_whitespace(url, caller, call, name):
    registry = Registry(Store(url))
    registry.register("fraud", FIT)
    with pytest.raises(InvalidParameterError, match=_refused(name, caller)):
        call(registry, name)
    assert registry.names() == ["fraud"]


QUEUE_CALLS = [
    ("LabelQueue", "name", lambda s, n: LabelQueue(s, n)),
    ("lease", "worker", lambda s, n: LabelQueue(s).lease(n)),
    ("submit", "worker", lambda s, n: LabelQueue(s).submit(1, n, "cat")),
]


@pytest.mark.parametrize("name", PADDED)
@pytest.mark.parametrize(("caller", "arg", "call"), QUEUE_CALLS)
def test_queue_and_worker_names_with_surrounding_whitespace_are_refused(
    url, caller, arg, call, name
):
    store = Store(url)
    LabelQueue(store, "fraud").enqueue(["x"])
    with pytest.raises(InvalidParameterError, match=_refused(name, caller, arg)):
        call(store, name)


def test_inner_whitespace_is_kept(url):
    registry = Registry(Store(url))
    assert registry.register("fraud model", FIT).version == 1
    assert registry.names() == ["fraud model"]


def test_a_miss_names_the_model_differing_only_by_whitespace(url):
    registry = Registry(Store(url))
    with _legacy():
        registry.register("fraud ", FIT)
    with pytest.raises(
        NotFoundError,
        match=r"no model named 'fraud' in the store \(it holds 'fraud ', which differs only by "
        r"leading or trailing whitespace\)",
    ):
        registry.versions("fraud")
    with pytest.raises(NotFoundError, match=r"no model named 'churn' in the store$"):
        registry.versions("churn")


class _legacy:
    """Write as an earlier release did: names with surrounding whitespace accepted."""

    def __enter__(self):
        self.mp = pytest.MonkeyPatch()
        def lenient(*args, exists=None, **kwargs):
            return _db.check_text(*args, exists=lambda text: True, **kwargs)

        self.mp.setattr(_registry, "check_text", lenient)
        self.mp.setattr(_queue, "check_text", lenient)
        return self

    def __exit__(self, *exc):
        self.mp.undo()


def test_names_stored_earlier_with_whitespace_stay_readable_by_their_exact_name(url):
    store = Store(url)
    registry = Registry(store)
    with _legacy():
        registry.register("fraud", FIT, metrics={"auc": 0.7})
        registry.register("fraud ", FIT, metrics={"auc": 0.9})
    assert registry.names() == ["fraud", "fraud "]
    # each exact name reads its own model: the padded one is not refused
    assert registry.get("fraud ", 1).metrics == {"auc": 0.9}
    assert registry.get("fraud", 1).metrics == {"auc": 0.7}
    assert [v.version for v in registry.versions("fraud ")] == [1]
    assert registry.history("fraud ")[0].kind == "register"
    assert registry.champion("fraud ") is None
    # and it can still be worked on: promoted, given versions, rolled back
    assert registry.promote("fraud ", 1, gates=GATE, context=CTX).passed
    assert registry.champion("fraud ").version == 1
    assert registry.champion("fraud") is None
    assert registry.register("fraud ", FIT).version == 2
    assert registry.promote("fraud ", 2, gates=GATE, context=CTX).passed
    assert registry.rollback("fraud ") == 1
    assert registry.load("fraud ").predict([[0]]).tolist() == [0]
    # a name with other whitespace than the stored one is still refused
    with pytest.raises(InvalidParameterError, match=r"Got ' fraud' \(did you mean"):
        registry.versions(" fraud")


def test_queues_and_workers_stored_earlier_with_whitespace_stay_usable(url):
    store = Store(url)
    with _legacy():
        queue = LabelQueue(store, "q ", redundancy=2)
        queue.enqueue(["x"])
        [task] = queue.lease("ann ")
        queue.submit(task, "ann ", "cat")
    again = LabelQueue(store, "q ", redundancy=2)
    assert again.counts()["open"] == 1
    assert again.lease("ann ") == []  # the same worker: has answered, not leased again
    [task] = again.lease("bob")
    again.submit(task, "bob", "cat")
    assert sorted(a["worker"] for a in again.answers()) == ["ann ", "bob"]
    with pytest.raises(InvalidParameterError, match=r"'name' parameter of LabelQueue"):
        LabelQueue(store, " q")


def test_replay_refuses_a_model_name_with_whitespace_before_training():
    from mllifecycle.replay import replay

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    y = (X[:, 0] > 0).astype(int)
    registry = Registry(Store(":memory:"))
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'model_name' parameter of replay must be a model name without leading or "
        r"trailing whitespace .* Got 'fraud ', the model name of policy 'p' instead",
    ):
        replay(X, y, DummyClassifier(), {"p": lambda s: False}, registry=registry,
               model_name="fraud ", initial_train_size=100, batch_size=100)
    with pytest.raises(InvalidParameterError, match=r"'model_name\[p\]' parameter of replay"):
        replay(X, y, DummyClassifier(), {"p": lambda s: False}, registry=registry,
               model_name={"p": "\tfraud"}, initial_train_size=100, batch_size=100)
    assert registry.names() == []


@pytest.mark.parametrize("action", [["show"], ["history"], ["rollback"], ["promote"]])
def test_cli_refuses_a_name_with_whitespace(tmp_path, capsys, action):
    db = str(tmp_path / "reg.db")
    Registry(Store(db)).register("fraud", FIT)
    y = tmp_path / "y.csv"
    y.write_text("0\n1\n")
    extra = (["1", "--y-true", str(y), "--challenger", str(y), "--minimum", "0.5",
              "--no-header"] if action == ["promote"] else [])
    code = main(["registry", *action, "fraud ", *extra, "--store", db])
    err = capsys.readouterr().err
    assert code == 2
    assert "'name' parameter" in err
    assert "without leading or trailing whitespace" in err
    assert "Got 'fraud ' (did you mean 'fraud'?)" in err


def test_cli_reads_a_name_stored_earlier_with_whitespace(tmp_path, capsys):
    db = str(tmp_path / "reg.db")
    with _legacy():
        Registry(Store(db)).register("fraud ", FIT)
    code = main(["registry", "show", "fraud ", "--store", db])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [v["name"] for v in out] == ["fraud "]
