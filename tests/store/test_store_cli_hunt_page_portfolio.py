"""Hunt: the labelling page's script and the portfolio report's equality.

A choice holding ``<!--<script>`` put the page's script in HTML's "double
escaped" state, so its closing ``</script>`` no longer closed it and the
page's buttons never ran; choices are now written with JSON's ``\\u`` escapes.
Two portfolio reports of one unchanged store compared unequal whenever a
model had one version (its NaN cadence), as did a report and its pickle.
"""

from __future__ import annotations

import copy
import json
import math
import pickle

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.store import Registry, Store, portfolio


def _page(asgi, app):
    status, text = asgi(app, "GET", "/", headers=[])
    assert status == 200
    return text


@pytest.mark.parametrize(
    "choices",
    [
        ["<!--<script>", "ok"],
        ["<script>alert(1)</script>", "b"],
        ["a & b", "<!-- x -->", "c > d", "back\\slash"],
    ],
)
def test_choices_leave_no_markup_in_the_script(asgi, choices):
    pytest.importorskip("starlette")
    from mllifecycle.store import create_app

    page = _page(asgi, create_app(Store(":memory:"), choices=choices))
    assert "<!--" not in page
    assert page.count("<script") == 1
    assert page.count("</script>") == 1
    shown = page.split("const CHOICES = ", 1)[1].split(";\n", 1)[0]
    assert json.loads(shown) == choices  # the buttons still carry the exact labels


@pytest.fixture
def registry():
    registry = Registry(Store(":memory:"))
    fit = DummyClassifier().fit([[0], [1]], [0, 1])
    registry.register("single", fit, n_labels=50, created_at=0.0)
    for day in (0, 3, 10):
        registry.register("weekly", fit, n_labels=70, created_at=day * 86400.0)
    return registry


def test_reports_of_one_store_compare_equal(registry):
    a, b = portfolio(registry.store), portfolio(registry.store)
    assert math.isnan(a.models[0].cadence_days)
    assert a == b
    assert a.models[0] == b.models[0]
    assert hash(a.models[0]) == hash(b.models[0])
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.deepcopy(a) == a


def test_nan_equality_still_tells_values_apart(registry):
    a = portfolio(registry.store)
    registry.register("single", DummyClassifier().fit([[0], [1]], [0, 1]), n_labels=50,
                      created_at=5 * 86400.0)
    b = portfolio(registry.store)
    assert a != b
    assert b.models[0].cadence_days == 5.0
    assert a.models[1] == b.models[1]


def test_empty_portfolios_compare_equal():
    assert portfolio(Store(":memory:")) == portfolio(Store(":memory:"))


def test_a_missing_store_file_is_refused_not_created(tmp_path):
    from mllifecycle.exceptions import InvalidParameterError

    typo = tmp_path / "regsitry.db"
    for given in (str(typo), typo, f"sqlite:///{typo}"):
        with pytest.raises(InvalidParameterError, match=r"'store' parameter of portfolio.*"
                           r"existing store file.*no file"):
            portfolio(given)
    assert not typo.exists()  # was created, and reported as a portfolio of 0 models


def test_an_existing_store_file_is_read(tmp_path, registry):
    path = tmp_path / "team.db"
    reg = Registry(Store(str(path)))
    reg.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]), n_labels=5)
    for given in (str(path), path, f"sqlite:///{path}"):
        assert portfolio(given).n_models == 1
    assert portfolio(":memory:").n_models == 0
